//! Quality figures of a laid-out diagram (DIAGRAMS.md): crossings between flows, bends,
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
    let mut total_crossings = 0;
    for (i, a) in d.flows.iter().enumerate() {
        for b in &d.flows[i + 1..] {
            total_crossings += crossings(&a.points, &b.points);
        }
    }
    Metrics {
        crossings: total_crossings,
        bends: d.flows.iter().map(|f| bends(&f.points)).sum(),
        length: d.flows.iter().map(|f| length(&f.points)).sum(),
        area: d.width * d.height,
    }
}
