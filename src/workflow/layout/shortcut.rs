//! Shortcuts: a flow with two bends or more keeps its route up to one of its corners and
//! turns from there into its target with one bend, into the target's top or into the side
//! facing it; or it leaves its source by one bend, from the bottom or the side facing the
//! rest of its route, and keeps its route from one of its corners on. The fewest bends win,
//! then the shortest. Many flows into one step (a solution several branches reach) come
//! down beside it and turn in, instead of each crossing over to the centre of its top.
//!
//! A redrawn flow keeps the rules of [`elbow`](super::elbow): it passes through no box,
//! label or tether, crosses no more flows than before and runs no closer than 8 px to a
//! parallel segment of another flow. A flow entering a side where others end joins them at
//! the same point, on their last segment (flows into one target merge); a side where a flow
//! leaves stays its own. A labelled flow keeps its first segment, beside which its label is;
//! a decision is left only where it was, and entered only at its vertices.

use std::cmp::Ordering;

use crate::diagram::geometry::{Point, bends, length, simplify};
use crate::diagram::model::{Flow, Node, Shape};

use super::elbow::{
    Candidate, MIN_RUN, Obstacles, OldRoute, bounds, clear, fixed_ports, flow_bounds,
};

/// Shortest last segment into a box's top: room for the arrow head.
const MIN_DROP: f32 = 12.0;

/// Redraws the flows of `flows` that have two bends or more with fewer where it is clear,
/// those with most bends first.
pub(crate) fn shortcuts(nodes: &[Node], flows: &mut [Flow]) {
    let mut order: Vec<usize> = (0..flows.len())
        .filter(|&f| bends(&flows[f].points) >= 2)
        .collect();
    order.sort_by_key(|&f| (std::cmp::Reverse(bends(&flows[f].points)), f));
    let mut reach = flow_bounds(flows);
    let obstacles = Obstacles::new(nodes, flows);
    for f in order {
        let flow = &flows[f];
        let (Some(s), Some(t)) = (
            nodes.iter().position(|n| n.id == flow.from),
            nodes.iter().position(|n| n.id == flow.to),
        ) else {
            continue;
        };
        let pts = flow.points.clone();
        let now = bends(&pts);
        let labelled = flow.label.is_some();
        let mut found = into_target(&nodes[t], &pts, labelled);
        if !labelled && !fixed_ports(nodes[s].shape) {
            found.extend(out_of_source(&nodes[s], &pts));
        }
        found.retain(|c| bends(&c.points) < now);
        found.sort_by(|a, b| {
            (bends(&a.points), length(&a.points))
                .partial_cmp(&(bends(&b.points), length(&b.points)))
                .unwrap_or(Ordering::Equal)
        });
        let old = OldRoute::new(&pts);
        if let Some(c) = found
            .into_iter()
            .find(|c| clear(&obstacles, flows, &reach, f, (s, t), &old, c))
        {
            flows[f].points = c.points;
            reach[f] = bounds(&flows[f].points);
        }
    }
}

/// The routes that keep `pts` up to one of its points and turn from there into `dst` with
/// one bend: into its top (across, then down) or into the side facing that point (down or
/// up, then across). A labelled flow keeps its first segment.
fn into_target(dst: &Node, pts: &[Point], labelled: bool) -> Vec<Candidate> {
    let n = pts.len();
    let r = dst.rect;
    let end = pts[n - 1];
    // A flat top is entered where the flow entered it; a vertex at the centre.
    let top = if (end.y - r.y).abs() < 0.01 && dst.shape != Shape::Diamond {
        Point::new(end.x, r.y)
    } else {
        Point::new(r.center().x, r.y)
    };
    let sides_open = !fixed_ports(dst.shape) || dst.shape == Shape::Diamond;
    let cy = r.center().y;
    let first = usize::from(labelled);
    let mut out = Vec::new();
    for i in first..n.saturating_sub(1) {
        let p = pts[i];
        let prefix = &pts[..=i];
        if top.y - p.y >= MIN_DROP {
            let route = [Point::new(top.x, p.y), top];
            if let Some(points) = joined(prefix, &route, pts, i == 0) {
                out.push(Candidate {
                    points,
                    side: (usize::MAX, 0.0),
                    merge: false,
                });
            }
        }
        if !sides_open {
            continue;
        }
        let side_x = if p.x <= r.x - MIN_RUN {
            r.x
        } else if p.x >= r.right() + MIN_RUN {
            r.right()
        } else {
            continue;
        };
        let route = [Point::new(p.x, cy), Point::new(side_x, cy)];
        if let Some(points) = joined(prefix, &route, pts, i == 0) {
            out.push(Candidate {
                points,
                side: (1, side_x),
                merge: true,
            });
        }
    }
    out
}

/// The routes that leave `src` by one bend, from its bottom (down, then across) or from the
/// side facing one of `pts`' later points (across, then down or up), and keep `pts` from
/// that point on.
fn out_of_source(src: &Node, pts: &[Point]) -> Vec<Candidate> {
    let n = pts.len();
    let r = src.rect;
    let start = pts[0];
    let bottom = if (start.y - r.bottom()).abs() < 0.01 {
        Point::new(start.x, r.bottom())
    } else {
        Point::new(r.center().x, r.bottom())
    };
    let cy = r.center().y;
    let mut out = Vec::new();
    for j in 1..n.saturating_sub(1) {
        let q = pts[j];
        let suffix = &pts[j..];
        if q.y - bottom.y >= MIN_DROP {
            let route = [bottom, Point::new(bottom.x, q.y)];
            if let Some(points) = joined(&route, suffix, pts, false) {
                out.push(Candidate {
                    points,
                    side: (usize::MAX, 0.0),
                    merge: false,
                });
            }
        }
        let side_x = if q.x <= r.x - MIN_RUN {
            r.x
        } else if q.x >= r.right() + MIN_RUN {
            r.right()
        } else {
            continue;
        };
        let route = [Point::new(side_x, cy), Point::new(q.x, cy)];
        if let Some(points) = joined(&route, suffix, pts, false) {
            out.push(Candidate {
                points,
                side: (0, side_x),
                merge: false,
            });
        }
    }
    out
}

/// `head` followed by `tail` as one orthogonal route, or `None` when it turns back on
/// itself, or when `same_start` and it leaves its first point another way than `old` did
/// (a port is left straight out of its box).
fn joined(head: &[Point], tail: &[Point], old: &[Point], same_start: bool) -> Option<Vec<Point>> {
    let mut raw: Vec<Point> = Vec::with_capacity(head.len() + tail.len());
    for &p in head.iter().chain(tail) {
        if raw
            .last()
            .is_none_or(|q: &Point| (q.x - p.x).abs() > 0.01 || (q.y - p.y).abs() > 0.01)
        {
            raw.push(p);
        }
    }
    if raw.len() < 2 {
        return None;
    }
    let orthogonal = raw
        .windows(2)
        .all(|w| (w[0].x - w[1].x).abs() < 0.01 || (w[0].y - w[1].y).abs() < 0.01);
    let turns_back = raw.windows(3).any(|w| {
        let (a, b) = (direction(w[0], w[1]), direction(w[1], w[2]));
        a.0 == -b.0 && a.1 == -b.1
    });
    if !orthogonal || turns_back {
        return None;
    }
    if same_start && old.len() >= 2 && direction(raw[0], raw[1]) != direction(old[0], old[1]) {
        return None;
    }
    Some(simplify(&raw))
}

/// The unit direction from `a` to `b` of an orthogonal segment: (-1, 0, 1) on each axis.
fn direction(a: Point, b: Point) -> (i8, i8) {
    let sign = |d: f32| {
        if d > 0.01 {
            1
        } else if d < -0.01 {
            -1
        } else {
            0
        }
    };
    (sign(b.x - a.x), sign(b.y - a.y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::geometry::Rect;
    use crate::diagram::model::Label;
    use crate::diagram::text::TextBlock;
    use crate::workflow::layout::fixtures::{flow, node, xy};

    /// `a` above and left of `b`, both left of `t`, whose left side's midpoint is (200, 320).
    fn three_boxes() -> [Node; 3] {
        [
            node("a", Shape::Rect, Rect::new(0.0, 0.0, 40.0, 40.0)),
            node("b", Shape::Rect, Rect::new(60.0, 100.0, 60.0, 40.0)),
            node("t", Shape::Rect, Rect::new(200.0, 300.0, 100.0, 40.0)),
        ]
    }

    /// b's flow down, across over t and down into its top: two bends.
    const ACROSS_INTO_TOP: [(f32, f32); 4] =
        [(90.0, 140.0), (90.0, 250.0), (250.0, 250.0), (250.0, 300.0)];

    #[test]
    fn a_flow_comes_down_beside_its_target_and_merges_into_the_flow_entering_its_side() {
        let nodes = three_boxes();
        let mut flows = [
            flow("a", "t", &[(20.0, 40.0), (20.0, 320.0), (200.0, 320.0)]),
            flow("b", "t", &ACROSS_INTO_TOP),
        ];
        shortcuts(&nodes, &mut flows);
        assert_eq!(
            xy(&flows[1]),
            vec![(90.0, 140.0), (90.0, 320.0), (200.0, 320.0)]
        );
        assert_eq!(
            xy(&flows[0]),
            vec![(20.0, 40.0), (20.0, 320.0), (200.0, 320.0)]
        );
    }

    #[test]
    fn a_side_a_flow_leaves_from_is_not_joined() {
        // t's left side is where a loop back to a leaves: b's flow leaves by its own right
        // side instead, and goes down into t's top.
        let nodes = three_boxes();
        let mut flows = [
            flow("t", "a", &[(200.0, 320.0), (20.0, 320.0), (20.0, 40.0)]),
            flow("b", "t", &ACROSS_INTO_TOP),
        ];
        shortcuts(&nodes, &mut flows);
        assert_eq!(
            xy(&flows[1]),
            vec![(120.0, 120.0), (250.0, 120.0), (250.0, 300.0)]
        );
    }

    #[test]
    fn a_labelled_exit_keeps_its_start_and_runs_on_to_its_targets_top() {
        // A decision's side exit, out, down beside it, across and down (three bends): its
        // first run goes straight on over the target and down (one bend), its label stays.
        let nodes = [
            node("d", Shape::Diamond, Rect::new(40.0, 100.0, 100.0, 60.0)),
            node("t", Shape::Rect, Rect::new(200.0, 300.0, 100.0, 40.0)),
        ];
        let mut exit = flow(
            "d",
            "t",
            &[
                (140.0, 130.0),
                (160.0, 130.0),
                (160.0, 250.0),
                (250.0, 250.0),
                (250.0, 300.0),
            ],
        );
        let label = Label {
            text: TextBlock::new("Non", 96.0, 12.0),
            rect: Rect::new(146.0, 110.0, 30.0, 17.0),
        };
        exit.label = Some(label);
        let mut flows = [exit];
        shortcuts(&nodes, &mut flows);
        assert_eq!(
            xy(&flows[0]),
            vec![(140.0, 130.0), (250.0, 130.0), (250.0, 300.0)]
        );
        assert_eq!(flows[0].label.as_ref().map(|l| l.rect.x), Some(146.0));
    }

    #[test]
    fn a_route_through_a_box_is_not_taken() {
        // A box under the flow's turn, beside t, blocks the way down to t's side: the flow
        // leaves by b's right side and goes down into t's top.
        let mut nodes = three_boxes().to_vec();
        nodes.push(node("x", Shape::Rect, Rect::new(60.0, 270.0, 60.0, 40.0)));
        let mut flows = [flow("b", "t", &ACROSS_INTO_TOP)];
        shortcuts(&nodes, &mut flows);
        assert_eq!(
            xy(&flows[0]),
            vec![(120.0, 120.0), (250.0, 120.0), (250.0, 300.0)]
        );
    }
}
