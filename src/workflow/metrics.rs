//! Quality figures of a laid-out diagram (docs/diagrams.md): crossings between flows, bends,
//! total flow length and drawing area. Used to choose between layout variants, by the
//! benchmarks, and by the comparison with Graphviz.

use crate::diagram::geometry::{bends, crossings, length};
use crate::diagram::model::Diagram;

/// The quality figures of one diagram.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// Proper crossings between two flows.
    pub crossings: usize,
    /// Bends of all flows.
    pub bends: usize,
    /// Total length of the flows.
    pub length: f32,
    /// Width × height of the drawing (viewBox).
    pub area: f32,
}

/// Measures a diagram.
pub fn measure(d: &Diagram) -> Metrics {
    let total_crossings = crossings_per_flow(d).iter().sum::<usize>() / 2;
    Metrics {
        crossings: total_crossings,
        bends: d.flows.iter().map(|f| bends(&f.points)).sum(),
        length: d.flows.iter().map(|f| length(&f.points)).sum(),
        area: d.width * d.height,
    }
}

/// How many proper crossings each flow of `d` has with the others, by flow index.
pub(crate) fn crossings_per_flow(d: &Diagram) -> Vec<usize> {
    // Bounding boxes first: most pairs of flows are far apart.
    let boxes: Vec<(f32, f32, f32, f32)> = d
        .flows
        .iter()
        .map(|f| {
            f.points
                .iter()
                .fold((f32::MAX, f32::MIN, f32::MAX, f32::MIN), |b, p| {
                    (b.0.min(p.x), b.1.max(p.x), b.2.min(p.y), b.3.max(p.y))
                })
        })
        .collect();
    let mut count = vec![0; d.flows.len()];
    for (i, a) in d.flows.iter().enumerate() {
        for (j, b) in d.flows.iter().enumerate().skip(i + 1) {
            let (p, q) = (boxes[i], boxes[j]);
            if p.1 < q.0 || q.1 < p.0 || p.3 < q.2 || q.3 < p.2 {
                continue;
            }
            let c = crossings(&a.points, &b.points);
            count[i] += c;
            count[j] += c;
        }
    }
    count
}
