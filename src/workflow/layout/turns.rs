//! Labels of exits that share a line: when a decision sends several branches out of one
//! side, they leave along one horizontal line and turn down one after the other. Each label
//! is first placed where the layout kept room for it, right after the turn of the branch
//! before it; once the lanes are narrowed, its own turn may stand far beyond, under another
//! label's, and the label reads as the branch before's. It moves next to its own turn,
//! where nothing else is drawn. Two branches into one step share their whole line (the
//! simpler of their two, given to both first): the second label goes above the first.

use crate::diagram::geometry::{Point, Rect, bends, crossings, length};
use crate::diagram::model::{Diagram, Flow};

/// Room between a label and its turn, as beside the vertex (see `draw_flows`).
const TURN_GAP: f32 = 6.0;

/// Room kept around a moved label from boxes, other labels and lines.
const CLEAR: f32 = 4.0;

/// Moves the label of each branch that leaves on a line shared with a branch turning before
/// it next to its own turn (before it on the way out), and the label of a branch whose whole
/// line is a sibling's (the two go to one step) from beyond the turn, where no line is, to
/// above the sibling's label; each where that place is clear of every box, every other
/// label, every flow's line and every lane border.
pub(crate) fn labels_by_their_turns(d: &mut Diagram) {
    for f in 0..d.flows.len() {
        // By its turn first; a twin whose sibling's label took that place stacks above it.
        let places = [moved_label(d, f), stacked_label(d, f)];
        let Some(rect) = places.into_iter().flatten().find(|r| is_clear(d, f, r)) else {
            continue;
        };
        if let Some(label) = &mut d.flows[f].label {
            label.rect = rect;
        }
    }
}

/// Gives each branch that leaves a decision from the same point as a sibling branch into the
/// same step that sibling's line, when the sibling's has fewer bends (then is shorter) and
/// crosses no more flows: the two share their whole line. The router gives every flow cells
/// of its own, and the passes after it redraw each flow alone, so two branches into one step
/// could leave along one line and part, one turning down early, running across lower and
/// joining the other only at the step (a user's ransomware workflow: "Serveurs" and
/// "Sauvegardes" into the continuity plan, 690 px apart, 91 px apart).
pub(crate) fn twins_share_their_line(d: &mut Diagram) {
    for f in 0..d.flows.len() {
        let Some(start) = d.flows[f].points.first().copied() else {
            continue;
        };
        let score = |points: &[Point]| (bends(points), length(points));
        let best = siblings(d, f, start)
            .filter(|o| o.to == d.flows[f].to && o.points != d.flows[f].points)
            .min_by(|a, b| {
                score(&a.points)
                    .partial_cmp(&score(&b.points))
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .map(|o| o.points.clone());
        let Some(points) = best else { continue };
        let fewer = score(&points) < score(&d.flows[f].points);
        if fewer
            && crossings_with_others(d, f, &points)
                <= crossings_with_others(d, f, &d.flows[f].points)
        {
            d.flows[f].points = points;
        }
    }
}

/// How many times `points` cross the lines of the flows other than flow `f` and its twins
/// (branches from the same point into the same step).
fn crossings_with_others(d: &Diagram, f: usize, points: &[Point]) -> usize {
    let me = &d.flows[f];
    d.flows
        .iter()
        .enumerate()
        .filter(|&(k, o)| k != f && !(o.from == me.from && o.to == me.to))
        .map(|(_, o)| crossings(points, &o.points))
        .sum()
}

/// Where flow `f`'s label would stand next to its turn, when it leaves along a line that a
/// sibling branch turns off before it; None otherwise.
fn moved_label(d: &Diagram, f: usize) -> Option<Rect> {
    let (r, start, turn, dir) = side_exit(&d.flows[f])?;
    let before =
        |t: Point| (t.x - start.x) * dir > 0.0 && (t.x - start.x).abs() < (turn.x - start.x).abs();
    if !siblings(d, f, start).any(|o| first_turn(&o.points).is_some_and(before)) {
        return None;
    }
    let x = before_turn(turn, dir, r.w);
    // Only ever further along the line, towards its own turn.
    ((x - r.x) * dir > 0.5).then(|| Rect::new(x, r.y, r.w, r.h))
}

/// Where flow `f`'s label would stand when it was placed beyond its own turn, past the end
/// of the horizontal line it labels (a sibling branch turns at the same point, into the
/// same step): before the turn, above that sibling's label.
fn stacked_label(d: &Diagram, f: usize) -> Option<Rect> {
    let (r, start, turn, dir) = side_exit(&d.flows[f])?;
    let beyond = if dir > 0.0 {
        r.x >= turn.x
    } else {
        r.right() <= turn.x
    };
    // A twin given its sibling's line (see [`twins_share_their_line`]) keeps its label
    // where its own line turned: it stacks likewise unless it already stands at the turn
    // or by the vertex.
    let twin =
        siblings(d, f, start).any(|o| o.to == d.flows[f].to && o.points == d.flows[f].points);
    let at_turn = (r.x - before_turn(turn, dir, r.w)).abs() < 0.5;
    let by_vertex = (r.x - after_start(start, dir, r.w)).abs() < 0.5;
    let placed_elsewhere = twin && !at_turn && !by_vertex;
    if !beyond && !placed_elsewhere {
        return None;
    }
    let below = siblings(d, f, start)
        .filter(|o| first_turn(&o.points).is_some_and(|t| same(t, turn)))
        .find_map(|o| o.label.as_ref())?
        .rect;
    let x = before_turn(turn, dir, r.w);
    Some(Rect::new(x, below.y - CLEAR - 1.0 - r.h, r.w, r.h))
}

/// A labelled flow leaving sideways: its label's box, its start, its first turn and the
/// direction it leaves in (1 right, -1 left); None for any other flow.
fn side_exit(flow: &Flow) -> Option<(Rect, Point, Point, f32)> {
    let r = flow.label.as_ref()?.rect;
    let start = *flow.points.first()?;
    let turn = first_turn(&flow.points)?;
    let dir = (turn.x - start.x).signum();
    (dir != 0.0).then_some((r, start, turn, dir))
}

/// The other flows out of flow `f`'s source that leave from the same point `start`.
fn siblings(d: &Diagram, f: usize, start: Point) -> impl Iterator<Item = &Flow> {
    let from = &d.flows[f].from;
    d.flows.iter().enumerate().filter_map(move |(k, o)| {
        let shares = k != f && &o.from == from && o.points.first().is_some_and(|p| same(*p, start));
        shares.then_some(o)
    })
}

/// The left edge of a label `w` wide ending [`TURN_GAP`] before `turn` on a line leaving
/// in direction `dir`.
fn before_turn(turn: Point, dir: f32, w: f32) -> f32 {
    if dir > 0.0 {
        turn.x - TURN_GAP - w
    } else {
        turn.x + TURN_GAP
    }
}

/// The left edge of a label `w` wide standing [`TURN_GAP`] after `start`, by its vertex, on
/// a line leaving in direction `dir`.
fn after_start(start: Point, dir: f32, w: f32) -> f32 {
    if dir > 0.0 {
        start.x + TURN_GAP
    } else {
        start.x - TURN_GAP - w
    }
}

/// The point where a flow leaving horizontally first turns; None when it leaves vertically.
fn first_turn(points: &[Point]) -> Option<Point> {
    let start = *points.first()?;
    points
        .iter()
        .skip(1)
        .take_while(|p| (p.y - start.y).abs() < 0.5)
        .last()
        .copied()
}

/// True when two points are the same to half a pixel.
fn same(a: Point, b: Point) -> bool {
    (a.x - b.x).abs() < 0.5 && (a.y - b.y).abs() < 0.5
}

/// True when `rect`, grown by [`CLEAR`], meets no box, no other flow's label, no line of
/// another flow, and no lane border.
fn is_clear(d: &Diagram, f: usize, rect: &Rect) -> bool {
    let room = rect.inflate(CLEAR);
    let boxes = d.nodes.iter().all(|n| !n.rect.overlaps(&room));
    let labels = d
        .flows
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != f)
        .filter_map(|(_, o)| o.label.as_ref())
        .all(|l| !l.rect.overlaps(&room));
    let start = d.flows[f].points[0];
    let lines = d.flows.iter().all(|o| !crosses(o, start, &room));
    let borders = d.lanes.iter().all(|l| {
        let inside = |x: f32| room.x < x && x < room.right();
        !inside(l.rect.x) && !inside(l.rect.right())
    });
    boxes && labels && lines && borders
}

/// True when a segment of `flow` passes through `room`, other than the shared line leaving
/// `start` the label stands on.
fn crosses(flow: &Flow, start: Point, room: &Rect) -> bool {
    let on_shared_line = |a: Point, b: Point| {
        flow.points.first().is_some_and(|p| same(*p, start))
            && (a.y - start.y).abs() < 0.5
            && (b.y - start.y).abs() < 0.5
    };
    flow.points
        .windows(2)
        .any(|s| !on_shared_line(s[0], s[1]) && room.crossed_by(s[0], s[1]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::model::{Label, Shape};
    use crate::diagram::text::TextBlock;
    use crate::language::Language;
    use crate::workflow::layout::fixtures;

    /// A decision whose right vertex is at (100, 50) sends three branches along one line,
    /// turning down at x = 160, 400 and 700; each label stands where the layout kept room,
    /// right after the turn before it.
    fn three_branches(more: Vec<crate::diagram::model::Node>) -> Diagram {
        let labelled = |to: &str, turn: f32, x: f32| {
            let mut f = fixtures::flow("q", to, &[(100.0, 50.0), (turn, 50.0), (turn, 120.0)]);
            f.label = Some(Label {
                text: TextBlock::new(to, 200.0, 12.0),
                rect: Rect::new(x, 30.0, 60.0, 17.0),
            });
            f
        };
        let mut nodes = vec![fixtures::node(
            "q",
            Shape::Diamond,
            Rect::new(0.0, 0.0, 100.0, 100.0),
        )];
        nodes.extend(more);
        Diagram {
            id: "t".to_string(),
            title: "t".to_string(),
            description: String::new(),
            lang: Language::Fr,
            width: 800.0,
            height: 200.0,
            lanes: Vec::new(),
            nodes,
            flows: vec![
                labelled("a", 160.0, 106.0),
                labelled("b", 400.0, 166.0),
                labelled("c", 700.0, 406.0),
            ],
            legend_rect: None,
            legend: Vec::new(),
        }
    }

    /// The top-left corner of each label, in flow order.
    fn label_places(d: &Diagram) -> Vec<(f32, f32)> {
        d.flows
            .iter()
            .filter_map(|f| f.label.as_ref())
            .map(|l| (l.rect.x, l.rect.y))
            .collect()
    }

    fn label_x(d: &Diagram) -> Vec<f32> {
        d.flows
            .iter()
            .filter_map(|f| f.label.as_ref())
            .map(|l| l.rect.x)
            .collect()
    }

    #[test]
    fn a_label_on_a_shared_line_moves_next_to_its_own_turn() {
        let mut d = three_branches(Vec::new());
        labels_by_their_turns(&mut d);
        // The first stays by the vertex; the others end 6 px before their turns.
        assert_eq!(label_x(&d), vec![106.0, 334.0, 634.0]);
    }

    #[test]
    fn a_label_stays_where_its_turn_has_no_room() {
        // A box above the line just before the third turn.
        let blocker = fixtures::node("x", Shape::Rect, Rect::new(600.0, 0.0, 60.0, 40.0));
        let mut d = three_branches(vec![blocker]);
        labels_by_their_turns(&mut d);
        assert_eq!(label_x(&d), vec![106.0, 334.0, 406.0]);
    }

    #[test]
    fn a_label_past_the_end_of_a_merged_line_stacks_above_its_siblings() {
        // Two branches into one step share their whole line, turning down at x = 300: the
        // second label was placed after the turn, where no line is.
        let mut d = three_branches(Vec::new());
        d.flows.truncate(1);
        for (k, x) in [(0, 106.0), (1, 306.0)] {
            let mut f = fixtures::flow("q", "a", &[(100.0, 50.0), (300.0, 50.0), (300.0, 120.0)]);
            f.label = Some(Label {
                text: TextBlock::new("b", 200.0, 12.0),
                rect: Rect::new(x, 30.0, 60.0, 17.0),
            });
            if k == 0 {
                d.flows[0] = f;
            } else {
                d.flows.push(f);
            }
        }
        labels_by_their_turns(&mut d);
        let rects = label_places(&d);
        // The first stays by the vertex; the second ends 6 px before the turn, 5 px above.
        assert_eq!(rects, vec![(106.0, 30.0), (234.0, 8.0)]);
    }

    /// Two branches of `q` into step `p`: a turns down at 400 and runs across lower to p's
    /// top at 700 (three bends); b goes straight along to 700 (one bend).
    fn twins() -> (Flow, Flow) {
        let a = fixtures::flow(
            "q",
            "p",
            &[
                (100.0, 50.0),
                (400.0, 50.0),
                (400.0, 90.0),
                (700.0, 90.0),
                (700.0, 120.0),
            ],
        );
        let b = fixtures::flow("q", "p", &[(100.0, 50.0), (700.0, 50.0), (700.0, 120.0)]);
        (a, b)
    }

    #[test]
    fn twin_branches_share_the_simpler_line_and_their_labels_stack_by_its_turn() {
        // The twins, and a third branch turning at 160.
        let mut d = three_branches(Vec::new());
        let label = |text: &str, x: f32| Label {
            text: TextBlock::new(text, 200.0, 12.0),
            rect: Rect::new(x, 30.0, 60.0, 17.0),
        };
        let (mut a, mut b) = twins();
        a.label = Some(label("a", 334.0));
        b.label = Some(label("b", 406.0));
        d.flows = vec![d.flows[0].clone(), a, b];
        twins_share_their_line(&mut d);
        assert_eq!(fixtures::xy(&d.flows[1]), fixtures::xy(&d.flows[2]));
        assert_eq!(
            fixtures::xy(&d.flows[1]),
            vec![(100.0, 50.0), (700.0, 50.0), (700.0, 120.0)]
        );
        labels_by_their_turns(&mut d);
        let rects = label_places(&d);
        // a's label ends 6 px before the shared turn; b's, mid-line where a turned before,
        // stacks above it.
        assert_eq!(rects, vec![(106.0, 30.0), (634.0, 30.0), (634.0, 8.0)]);
    }

    #[test]
    fn a_twin_keeps_its_line_when_the_simpler_one_crosses_more() {
        let mut d = three_branches(Vec::new());
        let (a, b) = twins();
        // A vertical line from above crossing b's run at x = 600 but ending before a's.
        let across = fixtures::flow("x", "y", &[(600.0, 0.0), (600.0, 70.0)]);
        d.flows = vec![a.clone(), b, across];
        twins_share_their_line(&mut d);
        assert_eq!(fixtures::xy(&d.flows[0]), fixtures::xy(&a));
    }

    #[test]
    fn a_line_through_the_place_keeps_the_label_where_it_was() {
        let mut d = three_branches(Vec::new());
        d.flows.push(fixtures::flow(
            "y",
            "z",
            &[(350.0, 0.0), (350.0, 45.0), (300.0, 45.0)],
        ));
        labels_by_their_turns(&mut d);
        assert_eq!(label_x(&d), vec![106.0, 166.0, 634.0]);
    }
}
