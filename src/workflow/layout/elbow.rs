//! Elbows: a flow routed down, across a channel and down again (two bends) is redrawn
//! with one bend where the page leaves room for it, leaving its source by the side that
//! faces its target and turning down into the target's top, or leaving by the bottom and
//! turning into the target's facing side; a flow out of a decision's side vertex that goes
//! down beside it, across and down (three bends) runs straight out to its target's x; a
//! flow out of a side that goes up (a loop) or down beside the steps, across and down into
//! its target's top turns into the target's facing side instead. Most such flows join two lanes in consecutive ranks.
//! Decisions are left and entered only at their vertices, and a labelled flow keeps its
//! start, where its label is. A redrawn flow must not pass through a box, a label or a
//! comment's tether, cross more flows than before, run closer than [`MIN_APART`] to a
//! parallel segment of another flow (but it may join another flow's last segment into
//! the same target: they merge there), or share a side with another flow. The stretch of
//! its old route a redrawn flow keeps (a loop's start, shared with its decision's other
//! exit out of the same vertex) was already there and is not held against it.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use crate::diagram::geometry::{Point, Rect, crossings, extent};
use crate::diagram::model::{Flow, Node, Shape};

/// Smallest distance between parallel segments of two flows.
pub(crate) const MIN_APART: f32 = 8.0;
/// Room kept between a redrawn flow and a box or label it passes by.
const CLEARANCE: f32 = 6.0;
/// Shortest horizontal run out of (or into) a side, so the arrow stays readable.
pub(super) const MIN_RUN: f32 = 16.0;

/// Redraws the two-bend flows of `flows` with one bend where it is clear.
pub(crate) fn elbows(nodes: &[Node], flows: &mut [Flow]) {
    let index: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut reach = flow_bounds(flows);
    let obstacles = Obstacles::new(nodes, flows);
    for f in 0..flows.len() {
        let flow = &flows[f];
        let (Some(&s), Some(&t)) = (index.get(flow.from.as_str()), index.get(flow.to.as_str()))
        else {
            continue;
        };
        let mut pts = flow.points.clone();
        // A jog first: the flow may then have the shape the rules below redraw.
        let old = OldRoute::new(&pts);
        for candidate in jog_candidates(&pts) {
            if clear(&obstacles, flows, &reach, f, (s, t), &old, &candidate) {
                flows[f].points = candidate.points;
                reach[f] = bounds(&flows[f].points);
                pts = flows[f].points.clone();
                break;
            }
        }
        let flow = &flows[f];
        let labelled = flow.label.is_some();
        let found = if flow.back {
            turn_in_candidates(&nodes[t], &pts)
        } else if down_across_down(&pts) {
            candidates(&nodes[s], &nodes[t], &pts, labelled)
        } else {
            let mut found = side_candidates(&nodes[s], &pts);
            found.extend(turn_in_candidates(&nodes[t], &pts));
            found
        };
        let old = OldRoute::new(&pts);
        for candidate in found {
            if clear(&obstacles, flows, &reach, f, (s, t), &old, &candidate) {
                flows[f].points = candidate.points;
                reach[f] = bounds(&flows[f].points);
                break;
            }
        }
    }
}

/// The bounds of each flow's points, which [`clear`] compares with a redrawn flow's reach.
pub(super) fn flow_bounds(flows: &[Flow]) -> Vec<Rect> {
    flows.iter().map(|f| bounds(&f.points)).collect()
}

/// A flow that runs across, turns up or down a short way, then across again the same way
/// and on the same way as its turn (a jog: four bends where two do), redrawn with its first
/// run carried straight on to its next vertical. Each jog gives one candidate.
fn jog_candidates(p: &[Point]) -> Vec<Candidate> {
    let h = |a: Point, b: Point| (a.y - b.y).abs() < 0.01 && (a.x - b.x).abs() > 0.01;
    let v = |a: Point, b: Point| (a.x - b.x).abs() < 0.01 && (a.y - b.y).abs() > 0.01;
    let mut out = Vec::new();
    for i in 0..p.len().saturating_sub(4) {
        let (a, b, c, d, e) = (p[i], p[i + 1], p[i + 2], p[i + 3], p[i + 4]);
        let shape = h(a, b) && v(b, c) && h(c, d) && v(d, e);
        let same_across = (b.x - a.x) * (d.x - c.x) > 0.0;
        let same_turn = (c.y - b.y) * (e.y - d.y) > 0.0;
        if shape && same_across && same_turn {
            let mut points = p[..=i].to_vec();
            points.push(Point::new(d.x, a.y));
            points.extend_from_slice(&p[i + 4..]);
            out.push(Candidate {
                points,
                side: (usize::MAX, 0.0),
                merge: false,
            });
        }
    }
    out
}

/// True for a flow going down from a bottom edge, across, and down into a top edge.
fn down_across_down(p: &[Point]) -> bool {
    p.len() == 4
        && (p[0].x - p[1].x).abs() < 0.01
        && (p[1].y - p[2].y).abs() < 0.01
        && (p[2].x - p[3].x).abs() < 0.01
        && (p[0].x - p[3].x).abs() > 0.01
        && p[0].y < p[1].y
        && p[1].y < p[3].y
}

/// A redrawn flow and the side of a box it newly uses: (0 for the source's, 1 for the
/// target's, anything else for none; x of that side).
pub(super) struct Candidate {
    pub(super) points: Vec<Point>,
    pub(super) side: (usize, f32),
    /// The flow may join flows already ending at the same point of that side of its target:
    /// they merge there.
    pub(super) merge: bool,
}

/// Shapes whose side midpoints are not ports a flow may use.
pub(super) fn fixed_ports(shape: Shape) -> bool {
    matches!(
        shape,
        Shape::Diamond | Shape::Parallelogram | Shape::Bracket
    )
}

/// The one-bend versions of `pts`: out of the source's side, then into the target's side.
/// A labelled flow keeps its start, where its label is.
fn candidates(src: &Node, dst: &Node, pts: &[Point], labelled: bool) -> Vec<Candidate> {
    let mut out = Vec::new();
    let (start, end) = (pts[0], pts[3]);
    let rightwards = end.x > start.x;
    if !fixed_ports(src.shape) && !labelled {
        let sx = if rightwards {
            src.rect.right()
        } else {
            src.rect.x
        };
        let cy = src.rect.center().y;
        if (end.x - sx).abs() >= MIN_RUN && (end.x > sx) == rightwards && cy < end.y {
            out.push(Candidate {
                points: vec![Point::new(sx, cy), Point::new(end.x, cy), end],
                side: (0, sx),
                merge: false,
            });
        }
    }
    // A decision is entered at its side vertex, as at its top one.
    if !fixed_ports(dst.shape) || dst.shape == Shape::Diamond {
        let tx = if rightwards {
            dst.rect.x
        } else {
            dst.rect.right()
        };
        let cy = dst.rect.center().y;
        if (tx - start.x).abs() >= MIN_RUN && (tx > start.x) == rightwards && cy > start.y {
            out.push(Candidate {
                points: vec![start, Point::new(start.x, cy), Point::new(tx, cy)],
                side: (1, tx),
                merge: false,
            });
        }
    }
    out
}

/// A flow leaving a side (a decision's side vertex), going down beside its source, across
/// and down into its target's top (three bends), redrawn straight out of the side to the
/// target's x and down into it (one bend) when the target lies further that way. Its start,
/// and so its label beside the port, stay where they are.
fn side_candidates(src: &Node, p: &[Point]) -> Vec<Candidate> {
    let shape = p.len() == 5
        && (p[0].y - p[1].y).abs() < 0.01
        && (p[1].x - p[2].x).abs() < 0.01
        && (p[2].y - p[3].y).abs() < 0.01
        && (p[3].x - p[4].x).abs() < 0.01
        && p[1].y < p[2].y
        && p[3].y < p[4].y;
    if !shape {
        return Vec::new();
    }
    let (start, end) = (p[0], p[4]);
    let outwards = p[1].x - start.x;
    let run = end.x - start.x;
    let beyond_box = if outwards > 0.0 {
        end.x >= src.rect.right() + MIN_RUN
    } else {
        end.x <= src.rect.x - MIN_RUN
    };
    if run * outwards <= 0.0 || !beyond_box || start.y >= end.y {
        return Vec::new();
    }
    vec![Candidate {
        points: vec![start, Point::new(end.x, start.y), end],
        side: (usize::MAX, 0.0),
        merge: false,
    }]
}

/// A flow leaving a side, going up (a loop) or down beside the steps, across above its
/// target and down into its top (three bends), redrawn to turn into the target's facing
/// side (two bends).
fn turn_in_candidates(dst: &Node, p: &[Point]) -> Vec<Candidate> {
    let shape = p.len() == 5
        && (p[0].y - p[1].y).abs() < 0.01
        && (p[1].x - p[2].x).abs() < 0.01
        && (p[2].y - p[3].y).abs() < 0.01
        && (p[3].x - p[4].x).abs() < 0.01
        && p[3].y < p[4].y;
    if !shape || (fixed_ports(dst.shape) && dst.shape != Shape::Diamond) {
        return Vec::new();
    }
    let cy = dst.rect.center().y;
    let tx = if p[1].x <= dst.rect.x - MIN_RUN {
        dst.rect.x
    } else if p[1].x >= dst.rect.right() + MIN_RUN {
        dst.rect.right()
    } else {
        return Vec::new();
    };
    // The vertical keeps its direction: up for a loop, down for a forward flow.
    if (cy - p[1].y) * (p[2].y - p[1].y) <= 0.0 {
        return Vec::new();
    }
    vec![Candidate {
        points: vec![p[0], p[1], Point::new(p[1].x, cy), Point::new(tx, cy)],
        side: (1, tx),
        merge: false,
    }]
}

/// A flow's route before it is redrawn, with the crossings it has with the other flows,
/// counted once for all the candidates that may replace it.
pub(super) struct OldRoute<'a> {
    points: &'a [Point],
    crossings: OnceCell<usize>,
}

impl<'a> OldRoute<'a> {
    /// The route `points`, its crossings not counted yet.
    pub(super) fn new(points: &'a [Point]) -> OldRoute<'a> {
        OldRoute {
            points,
            crossings: OnceCell::new(),
        }
    }

    /// How many times this route of flow `f` crosses the other flows of `flows`; only
    /// flows whose bounds meet the route's can cross it.
    fn crossings(&self, flows: &[Flow], flow_bounds: &[Rect], f: usize) -> usize {
        *self.crossings.get_or_init(|| {
            let reach = grow(bounds(self.points), MIN_APART + 1.0);
            flows
                .iter()
                .enumerate()
                .filter(|&(g, _)| g != f && flow_bounds[g].overlaps(&reach))
                .map(|(_, other)| crossings(self.points, &other.points))
                .sum()
        })
    }
}

/// The boxes, comment tethers and exit labels a redrawn flow must keep clear of, each with
/// its clearance, sorted by their top: a candidate is compared only with those in its
/// height. Nothing of these moves while flows are redrawn.
pub(super) struct Obstacles<'a> {
    nodes: &'a [Node],
    /// Each box grown by [`CLEARANCE`], with its node.
    boxes: Band,
    /// Each tether's span grown by half the clearance.
    tethers: Band,
    /// Each exit label grown by 3 px, with its flow.
    labels: Band,
}

impl<'a> Obstacles<'a> {
    /// The obstacles of `nodes` and of the labels of `flows`.
    pub(super) fn new(nodes: &'a [Node], flows: &[Flow]) -> Obstacles<'a> {
        let boxes = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (grow(n.rect, CLEARANCE), i));
        let tethers = nodes.iter().enumerate().filter_map(|(i, n)| {
            n.tether
                .map(|(a, b)| (grow(span(a, b), CLEARANCE / 2.0), i))
        });
        let labels = flows
            .iter()
            .enumerate()
            .filter_map(|(g, f)| f.label.as_ref().map(|l| (grow(l.rect, 3.0), g)));
        Obstacles {
            nodes,
            boxes: Band::new(boxes),
            tethers: Band::new(tethers),
            labels: Band::new(labels),
        }
    }
}

/// Rectangles, each with the index of what it belongs to, sorted by their top.
struct Band {
    rects: Vec<(Rect, usize)>,
    /// The tallest rectangle's height.
    tallest: f32,
}

impl Band {
    fn new(rects: impl Iterator<Item = (Rect, usize)>) -> Band {
        let mut rects: Vec<(Rect, usize)> = rects.collect();
        rects.sort_by(|a, b| a.0.y.total_cmp(&b.0.y));
        let tallest = rects.iter().map(|r| r.0.h).fold(0.0, f32::max);
        Band { rects, tallest }
    }

    /// The rectangles that may reach into the heights from `lo` to `hi` (a few more: the
    /// callers test each exactly); none of the others does.
    fn near(&self, lo: f32, hi: f32) -> &[(Rect, usize)] {
        let from = self
            .rects
            .partition_point(|(r, _)| r.y < lo - self.tallest - 1.0);
        let to = self.rects.partition_point(|(r, _)| r.y <= hi + 1.0);
        &self.rects[from..to.max(from)]
    }
}

/// True when `c` may replace flow `f`'s route `route` (see the module's rules).
pub(super) fn clear(
    obstacles: &Obstacles,
    flows: &[Flow],
    flow_bounds: &[Rect],
    f: usize,
    (s, t): (usize, usize),
    route: &OldRoute,
    c: &Candidate,
) -> bool {
    let old = route.points;
    let segs: Vec<(Point, Point)> = c.points.windows(2).map(|w| (w[0], w[1])).collect();
    // A rectangle the candidate's extent does not cross is crossed by none of its segments:
    // most boxes and labels are ruled out by this one test.
    let (lo, hi) = extent(&c.points);
    let crossed =
        |rect: Rect| rect.crossed_by(lo, hi) && segs.iter().any(|&(a, b)| rect.crossed_by(a, b));
    let nodes = obstacles.nodes;
    for &(grown, i) in obstacles.boxes.near(lo.y, hi.y) {
        let rect = if i == s || i == t {
            nodes[i].rect
        } else {
            grown
        };
        if crossed(rect) {
            return false;
        }
    }
    if obstacles
        .tethers
        .near(lo.y, hi.y)
        .iter()
        .any(|&(rect, _)| crossed(rect))
    {
        return false;
    }
    // Another flow's label is kept clear of by 3 px.
    if obstacles
        .labels
        .near(lo.y, hi.y)
        .iter()
        .any(|&(rect, g)| g != f && crossed(rect))
    {
        return false;
    }
    if let Some(label) = &flows[f].label
        && segs.iter().any(|&(a, b)| label.rect.crossed_by(a, b))
    {
        return false;
    }
    // The side used must be free: no other flow starts or ends on it.
    let side_node = match c.side.0 {
        0 => Some(s),
        1 => Some(t),
        _ => None,
    };
    let on_side = |p: Point| {
        side_node.is_some_and(|n| {
            let r = nodes[n].rect;
            (p.x - c.side.1).abs() < 1.0 && p.y >= r.y - 0.5 && p.y <= r.bottom() + 0.5
        })
    };
    // A stretch of the old route kept as it was (the start of a loop, with its label) is
    // not newly close to anything.
    let kept: Vec<bool> = segs.iter().map(|&seg| within(seg, old)).collect();
    // Flows outside the reach of the old and new routes cannot cross or come near them.
    let reach = grow(bounds(old).union(&bounds(&c.points)), MIN_APART + 1.0);
    let mut after = 0;
    for (g, other) in flows.iter().enumerate() {
        if g == f || !flow_bounds[g].overlaps(&reach) {
            continue;
        }
        // Two flows into one target may share their last segment: they merge there.
        let end = c.points[c.points.len() - 1];
        let merging_end = |p: &Point| {
            c.merge
                && other.to == flows[f].to
                && (p.x - end.x).abs() < 0.01
                && (p.y - end.y).abs() < 0.01
        };
        if other.points.first().is_some_and(|&p| on_side(p))
            || other
                .points
                .last()
                .is_some_and(|&p| on_side(p) && !merging_end(&p))
        {
            return false;
        }
        let merges = other.to == flows[f].to
            && other
                .points
                .last()
                .is_some_and(|p| (p.x - end.x).abs() < 0.01 && (p.y - end.y).abs() < 0.01);
        let last = other.points.len().saturating_sub(2);
        for (k, w) in other.points.windows(2).enumerate() {
            for (j, &(a, b)) in segs.iter().enumerate() {
                if (merges && k == last && j + 1 == segs.len()) || kept[j] {
                    continue;
                }
                if too_close((a, b), (w[0], w[1])) {
                    return false;
                }
            }
        }
        after += crossings(&c.points, &other.points);
        // More crossings than before already: the candidate is refused whatever follows.
        // (A candidate crossing nothing never has the old route's crossings counted.)
        if after > 0 && after > route.crossings(flows, flow_bounds, f) {
            return false;
        }
    }
    // Every count above was checked as it grew: the candidate crosses no more than before.
    true
}

/// True when segment `(a, b)` lies on one segment of the polyline `old`.
fn within((a, b): (Point, Point), old: &[Point]) -> bool {
    let on = |p: Point, (q, r): (Point, Point)| {
        let (x0, x1) = (q.x.min(r.x) - 0.01, q.x.max(r.x) + 0.01);
        let (y0, y1) = (q.y.min(r.y) - 0.01, q.y.max(r.y) + 0.01);
        p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1
    };
    old.windows(2)
        .any(|w| on(a, (w[0], w[1])) && on(b, (w[0], w[1])))
}

/// True when two segments run parallel closer than [`MIN_APART`] along a common stretch.
fn too_close((a0, a1): (Point, Point), (b0, b1): (Point, Point)) -> bool {
    let a_h = (a0.y - a1.y).abs() < 0.01;
    let b_h = (b0.y - b1.y).abs() < 0.01;
    let a_v = (a0.x - a1.x).abs() < 0.01;
    let b_v = (b0.x - b1.x).abs() < 0.01;
    let overlap = |(p, q): (f32, f32), (r, s): (f32, f32)| {
        p.min(q).max(r.min(s)) < p.max(q).min(r.max(s)) - 0.01
    };
    if a_h && b_h {
        (a0.y - b0.y).abs() < MIN_APART && overlap((a0.x, a1.x), (b0.x, b1.x))
    } else if a_v && b_v {
        (a0.x - b0.x).abs() < MIN_APART && overlap((a0.y, a1.y), (b0.y, b1.y))
    } else {
        false
    }
}

/// The smallest rectangle holding every point.
pub(super) fn bounds(points: &[Point]) -> Rect {
    let (lo, hi) = extent(points);
    Rect::new(lo.x, lo.y, hi.x - lo.x, hi.y - lo.y)
}

/// The rectangle spanned by two points.
fn span(a: Point, b: Point) -> Rect {
    Rect::new(
        a.x.min(b.x),
        a.y.min(b.y),
        (a.x - b.x).abs(),
        (a.y - b.y).abs(),
    )
}

/// `r` grown by `by` on every side.
fn grow(r: Rect, by: f32) -> Rect {
    Rect::new(r.x - by, r.y - by, r.w + 2.0 * by, r.h + 2.0 * by)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::layout::fixtures;

    use crate::workflow::layout::fixtures::xy;

    #[test]
    fn a_band_gives_the_rectangles_that_may_reach_the_heights_asked() {
        let rects = [
            Rect::new(0.0, 0.0, 10.0, 50.0),
            Rect::new(0.0, 100.0, 10.0, 10.0),
            Rect::new(0.0, 200.0, 10.0, 10.0),
        ];
        let band = Band::new(rects.iter().enumerate().map(|(i, &r)| (r, i)));
        let near = |lo, hi| band.near(lo, hi).iter().map(|r| r.1).collect::<Vec<_>>();
        // The tall first box reaches down to 50: asked from 40, it is there.
        assert_eq!(near(40.0, 105.0), vec![0, 1]);
        // Those above `lo` by less than the tallest's height are kept for the exact test.
        assert_eq!(near(150.0, 160.0), vec![1]);
        assert_eq!(near(120.0, 205.0), vec![1, 2]);
        assert!(near(300.0, 310.0).is_empty());
    }

    fn node(id: &str, rect: Rect) -> Node {
        fixtures::node(id, Shape::Rect, rect)
    }

    fn flow(points: &[(f32, f32)]) -> Flow {
        fixtures::flow("a", "b", points)
    }

    const DOWN_ACROSS_DOWN: [(f32, f32); 4] =
        [(50.0, 40.0), (50.0, 70.0), (250.0, 70.0), (250.0, 100.0)];

    #[test]
    fn a_flow_to_the_next_rank_of_another_lane_leaves_by_the_side() {
        let nodes = [
            node("a", Rect::new(0.0, 0.0, 100.0, 40.0)),
            node("b", Rect::new(200.0, 100.0, 100.0, 40.0)),
        ];
        let mut flows = [flow(&DOWN_ACROSS_DOWN)];
        elbows(&nodes, &mut flows);
        assert_eq!(
            xy(&flows[0]),
            vec![(100.0, 20.0), (250.0, 20.0), (250.0, 100.0)]
        );
    }

    #[test]
    fn a_box_beside_the_source_sends_the_flow_into_the_targets_side() {
        let nodes = [
            node("a", Rect::new(0.0, 0.0, 100.0, 40.0)),
            node("b", Rect::new(200.0, 100.0, 100.0, 40.0)),
            node("c", Rect::new(140.0, 0.0, 40.0, 40.0)),
        ];
        let mut flows = [flow(&DOWN_ACROSS_DOWN)];
        elbows(&nodes, &mut flows);
        assert_eq!(
            xy(&flows[0]),
            vec![(50.0, 40.0), (50.0, 120.0), (200.0, 120.0)]
        );
    }

    #[test]
    fn a_decision_is_left_and_entered_only_at_its_vertices() {
        let mut nodes = [
            node("a", Rect::new(0.0, 0.0, 100.0, 40.0)),
            node("b", Rect::new(200.0, 100.0, 100.0, 40.0)),
        ];
        nodes[0].shape = Shape::Diamond;
        nodes[1].shape = Shape::Diamond;
        let mut flows = [flow(&DOWN_ACROSS_DOWN)];
        elbows(&nodes, &mut flows);
        // Not out of a's side (its side vertex is at mid-height, not a free side), but
        // down from its bottom vertex and into b's left vertex.
        assert_eq!(
            xy(&flows[0]),
            vec![(50.0, 40.0), (50.0, 120.0), (200.0, 120.0)]
        );
    }

    #[test]
    fn a_side_exit_runs_straight_out_to_its_target() {
        // A decision's right vertex at (100, 20): out 30 px, down, across, down (3 bends).
        let mut nodes = [
            node("a", Rect::new(0.0, 0.0, 100.0, 40.0)),
            node("b", Rect::new(200.0, 100.0, 100.0, 40.0)),
        ];
        nodes[0].shape = Shape::Diamond;
        let mut flows = [flow(&[
            (100.0, 20.0),
            (130.0, 20.0),
            (130.0, 70.0),
            (250.0, 70.0),
            (250.0, 100.0),
        ])];
        elbows(&nodes, &mut flows);
        assert_eq!(
            xy(&flows[0]),
            vec![(100.0, 20.0), (250.0, 20.0), (250.0, 100.0)]
        );
    }

    #[test]
    fn a_loop_turns_into_its_targets_side() {
        // A loop out of a's left side at (0, 220), up the left at x = -30, across above b
        // and down into b's top: it now turns into b's left side instead.
        let nodes = [
            node("a", Rect::new(0.0, 200.0, 100.0, 40.0)),
            node("b", Rect::new(0.0, 0.0, 100.0, 40.0)),
        ];
        let mut flows = [flow(&[
            (0.0, 220.0),
            (-30.0, 220.0),
            (-30.0, -20.0),
            (50.0, -20.0),
            (50.0, 0.0),
        ])];
        flows[0].back = true;
        elbows(&nodes, &mut flows);
        assert_eq!(
            xy(&flows[0]),
            vec![(0.0, 220.0), (-30.0, 220.0), (-30.0, 20.0), (0.0, 20.0)]
        );
    }

    #[test]
    fn two_flows_into_one_target_may_merge_on_its_last_segment() {
        // Flow 0 already runs down into b's top at x = 250; flow 1 from c joins it there.
        let nodes = [
            node("a", Rect::new(200.0, -100.0, 100.0, 40.0)),
            node("b", Rect::new(200.0, 100.0, 100.0, 40.0)),
            node("c", Rect::new(0.0, 0.0, 100.0, 40.0)),
        ];
        let mut flows = [
            flow(&[(250.0, -60.0), (250.0, 100.0)]),
            flow(&DOWN_ACROSS_DOWN),
        ];
        flows[1].from = "c".to_string();
        elbows(&nodes, &mut flows);
        assert_eq!(
            xy(&flows[1]),
            vec![(100.0, 20.0), (250.0, 20.0), (250.0, 100.0)]
        );
    }

    #[test]
    fn a_side_exit_coming_back_under_its_decision_turns_into_its_targets_side() {
        // Out of a's right vertex, down, back left and down into b's top (3 bends): it now
        // turns into b's right side (2 bends).
        let mut nodes = [
            node("a", Rect::new(0.0, 0.0, 100.0, 40.0)),
            node("b", Rect::new(0.0, 200.0, 100.0, 40.0)),
        ];
        nodes[0].shape = Shape::Diamond;
        let mut flows = [flow(&[
            (100.0, 20.0),
            (130.0, 20.0),
            (130.0, 180.0),
            (50.0, 180.0),
            (50.0, 200.0),
        ])];
        elbows(&nodes, &mut flows);
        assert_eq!(
            xy(&flows[0]),
            vec![(100.0, 20.0), (130.0, 20.0), (130.0, 220.0), (100.0, 220.0)]
        );
    }

    #[test]
    fn a_loop_sharing_its_start_with_another_exit_still_turns_into_the_side() {
        // Decision d at the bottom sends two loops out of its right vertex along one first
        // segment: the outer one, to t at the top, turns into t's right side, not its top.
        let mut nodes = [
            node("t", Rect::new(0.0, 0.0, 100.0, 40.0)),
            node("u", Rect::new(0.0, 100.0, 100.0, 40.0)),
            node("d", Rect::new(0.0, 300.0, 100.0, 60.0)),
        ];
        nodes[2].shape = Shape::Diamond;
        let mut inner = flow(&[
            (100.0, 330.0),
            (150.0, 330.0),
            (150.0, 120.0),
            (100.0, 120.0),
        ]);
        inner.to = "u".to_string();
        let mut outer = flow(&[
            (100.0, 330.0),
            (200.0, 330.0),
            (200.0, -20.0),
            (50.0, -20.0),
            (50.0, 0.0),
        ]);
        outer.to = "t".to_string();
        outer.back = true;
        let mut flows = [inner, outer];
        flows[0].from = "d".to_string();
        flows[1].from = "d".to_string();
        elbows(&nodes, &mut flows);
        assert_eq!(
            xy(&flows[1]),
            vec![(100.0, 330.0), (200.0, 330.0), (200.0, 20.0), (100.0, 20.0)]
        );
    }

    #[test]
    fn a_loop_runs_straight_out_of_its_jog_and_into_its_targets_side() {
        // From a's right side: right, up 40, right again, up to above b, left, down into
        // b's top (five bends); redrawn straight right, up and into b's right side (two).
        let nodes = [
            node("a", Rect::new(0.0, 300.0, 100.0, 40.0)),
            node("b", Rect::new(200.0, 100.0, 100.0, 40.0)),
        ];
        let mut f = flow(&[
            (100.0, 320.0),
            (120.0, 320.0),
            (120.0, 280.0),
            (340.0, 280.0),
            (340.0, 80.0),
            (250.0, 80.0),
            (250.0, 100.0),
        ]);
        f.back = true;
        let mut flows = [f];
        elbows(&nodes, &mut flows);
        assert_eq!(
            xy(&flows[0]),
            vec![
                (100.0, 320.0),
                (340.0, 320.0),
                (340.0, 120.0),
                (300.0, 120.0)
            ]
        );
    }

    #[test]
    fn a_jog_around_a_box_stays() {
        // The same loop with a box on the straight run: the jog is needed.
        let nodes = [
            node("a", Rect::new(0.0, 300.0, 100.0, 40.0)),
            node("b", Rect::new(200.0, 100.0, 100.0, 40.0)),
            node("c", Rect::new(200.0, 300.0, 60.0, 40.0)),
        ];
        let jog = [
            (100.0, 320.0),
            (120.0, 320.0),
            (120.0, 280.0),
            (340.0, 280.0),
            (340.0, 80.0),
            (250.0, 80.0),
            (250.0, 100.0),
        ];
        let mut f = flow(&jog);
        f.back = true;
        let mut flows = [f];
        elbows(&nodes, &mut flows);
        assert_eq!(xy(&flows[0]), jog.to_vec());
    }
}
