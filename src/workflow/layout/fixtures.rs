//! Boxes and flows for the unit tests of the layout passes that work on a drawn diagram.

use crate::diagram::geometry::{Point, Rect};
use crate::diagram::model::{Flow, Node, Shape};
use crate::diagram::text::TextBlock;

/// An action step `id` of no lane drawn as `shape` in `rect`, with no text.
pub(super) fn node(id: &str, shape: Shape, rect: Rect) -> Node {
    Node {
        id: id.to_string(),
        kind: "action".to_string(),
        lane: None,
        shape,
        rect,
        text: TextBlock::new("", 100.0, 13.0),
        text_top: Point::new(0.0, 0.0),
        badge: None,
        mark: None,
        link: None,
        tether: None,
    }
}

/// An unlabelled flow from `from` to `to` through `points`.
pub(super) fn flow(from: &str, to: &str, points: &[(f32, f32)]) -> Flow {
    Flow {
        from: from.to_string(),
        to: to.to_string(),
        points: points.iter().map(|&(x, y)| Point::new(x, y)).collect(),
        label: None,
        back: false,
    }
}

/// The points of `f`, as pairs to compare with expected ones.
pub(super) fn xy(f: &Flow) -> Vec<(f32, f32)> {
    f.points.iter().map(|p| (p.x, p.y)).collect()
}
