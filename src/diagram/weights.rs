//! What a decoration pass adds to an already laid-out diagram before it is written: a weight
//! per flow (a band whose width says how many items took it, a count caption placed beside
//! it, its count in `data-count`) and nodes drawn faded. The layout never sees it: the
//! lifecycle analytics compute it from the [`Diagram`](super::model::Diagram) they decorate.

use std::collections::BTreeSet;

use super::geometry::Rect;

/// The weight of one flow.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowWeight {
    /// How many items took the flow (written in `data-count`).
    pub count: usize,
    /// The width of the band drawn along the flow; 0 draws no band.
    pub width: f32,
    /// The caption beside the flow (`12 · 80 %`) and its box, when a place was found.
    pub caption: Option<(String, Rect)>,
}

/// The decoration of a whole diagram.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Weights {
    /// One per flow of the diagram, in the same order.
    pub flows: Vec<FlowWeight>,
    /// Ids of the nodes to draw faded (no item reached them).
    pub faded: BTreeSet<String>,
}
