//! Quality figures of a laid-out diagram (docs/diagrams.md): crossings between flows, bends,
//! total flow length and drawing area. Used to choose between layout variants, by the
//! benchmarks, and by the comparison with Graphviz.

use crate::diagram::geometry::{Point, bends, crossings, length, meeting_pairs};
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

impl Metrics {
    /// True when this drawing has a smaller area than `other` with no more crossings and no
    /// more bends: the rule by which a change made for area is kept.
    pub(crate) fn smaller_and_no_worse_than(&self, other: &Metrics) -> bool {
        self.crossings <= other.crossings && self.bends <= other.bends && self.area < other.area
    }

    /// True when this drawing has fewer bends than `other` with no more crossings and no
    /// larger area: the rule of the last pass for bends.
    pub(crate) fn fewer_bends_no_larger_than(&self, other: &Metrics) -> bool {
        self.crossings <= other.crossings && self.bends < other.bends && self.area <= other.area
    }
}

/// Measures a diagram.
pub fn measure(d: &Diagram) -> Metrics {
    measure_with_counts(d).0
}

/// [`measure`], with the crossings of each flow ([`crossings_per_flow`]) it sums.
pub(crate) fn measure_with_counts(d: &Diagram) -> (Metrics, Vec<usize>) {
    let count = crossings_per_flow(d);
    let total_crossings = count.iter().sum::<usize>() / 2;
    let metrics = Metrics {
        crossings: total_crossings,
        bends: d.flows.iter().map(|f| bends(&f.points)).sum(),
        length: d.flows.iter().map(|f| length(&f.points)).sum(),
        area: d.width * d.height,
    };
    (metrics, count)
}

/// How many proper crossings each flow of `d` has with the others, by flow index.
pub(crate) fn crossings_per_flow(d: &Diagram) -> Vec<usize> {
    let lines: Vec<&[Point]> = d.flows.iter().map(|f| f.points.as_slice()).collect();
    let mut count = vec![0; lines.len()];
    for (i, j) in meeting_pairs(&lines) {
        let c = crossings(lines[i], lines[j]);
        count[i] += c;
        count[j] += c;
    }
    count
}
