//! Narrowing after routing: the drawn diagram is compacted horizontally, lanes included.
//!
//! Placement works rank by rank on cells, and packing moves whole vertical stacks; neither
//! sees that a box, a track or a label in one rank can slide under a box of another rank
//! once the flows are drawn, so a lane can stay wider than its boxes need (a side port far
//! from its box, a column that only one rank uses, a lane border far from its content).
//! Here every drawn thing is an item with an x extent and a y extent: boxes, vertical flow
//! segments, labels and the lane borders (which span the whole height). Two items whose
//! y extents meet keep their left-to-right order, at least the spacing rules' distance
//! apart (or as close as they already are, when closer). Horizontal flow segments stretch
//! or shrink with their ends. Keeping the order of every pair that shares a height keeps
//! every crossing as it was (a horizontal segment crosses a vertical one exactly when the
//! vertical lies between its two ends at its height) and never puts a flow through a box
//! or a label: crossings never change and bends can only go (a jog whose two verticals
//! come into line). One exception: a vertical line or label of a flow (not tied to a box)
//! and a lane border that flow crosses anyway keep no order, only their distance: the line
//! may go over into the next lane where that lane leaves room at its height, which changes no
//! crossing between flows.
//!
//! A second pass then frees the lone vertical end of a flow on a box's straight top or
//! bottom edge (the only flow ending or starting there): it may slide along that edge, in
//! the middle 70 % of the box, so the box may come nearer the flow's other parts (a side
//! exit's label and vertical, a track) and its lane narrows. The first pass, every end tied
//! to its box, lines the jogs up first, so no flow keeps a jog the first pass straightens.
//!
//! The items are solved as one-dimensional shifts: first the leftmost shifts (longest
//! paths from the first lane's left border), which fix every lane border as far left as
//! its content allows; then each group of items, left to right, takes the shift inside the
//! room its neighbours leave that straightens a jog of its flows, or else stays with its
//! lane's left border.

use std::collections::BTreeMap;

use crate::diagram::geometry::{Point, Rect, simplify};
use crate::diagram::model::Diagram;

use super::place::{self, BOX_GAP, TRACK_GAP};

/// Room between a lane border and a box or a vertical flow segment.
const BORDER_PAD: f32 = 20.0;
/// Room between a lane border and a flow label.
const BORDER_LABEL: f32 = 4.0;
/// Room between a flow label and a box or another label.
const LABEL_GAP: f32 = 6.0;
/// Room between a flow label and a vertical flow segment.
const LABEL_LINE: f32 = 8.0;
/// Tolerance on coordinates.
const EPS: f32 = 0.01;

/// What an item is, for the spacing rules.
#[derive(Debug, Clone, Copy, PartialEq)]
enum What {
    /// Lane border number k (k = 0 is the first lane's left edge).
    Border(usize),
    /// A step's box.
    Box,
    /// A vertical segment (or a lone bend point) of flow f.
    Segment(usize),
    /// The label of flow f.
    Label(usize),
}

/// One drawn thing: its x extent, its y extent and what it is.
#[derive(Debug, Clone, Copy)]
struct Item {
    lo: f32,
    hi: f32,
    top: f32,
    bottom: f32,
    what: What,
}

/// The room each flow's label takes for the compaction (width, height): the largest of the
/// languages a workflow is drawn in, so every language gets the same geometry.
pub(crate) type LabelRoom = Option<(f32, f32)>;

/// Compacts `d` horizontally. `lane_min[k]` is the least width of lane k (its title);
/// `rooms[f]` the room of flow f's label.
pub(crate) fn narrow(d: &mut Diagram, lane_min: &[f32], rooms: &[LabelRoom]) {
    // First with every end tied to its box, which lines the jogs up; then again with the
    // lone ends free to slide along their box's edge, from a drawing whose jogs are already
    // gone (a jog only goes, so the flows keep the bends the first pass left them).
    for slides in [false, true] {
        let Some(model) = Model::new(d, lane_min, rooms, slides) else {
            return;
        };
        if slides && model.slides.is_empty() {
            return;
        }
        let shifts = model.solve();
        model.apply(d, &shifts);
    }
}

/// The items of a diagram, which group each belongs to, and the order constraints.
struct Model {
    items: Vec<Item>,
    /// The group of each item (items of one group move together).
    group: Vec<usize>,
    groups: usize,
    /// The item each flow point's x follows, by flow.
    owners: Vec<Vec<usize>>,
    /// The item of each node's box.
    node_items: Vec<usize>,
    /// The item of each flow's label.
    label_items: Vec<Option<usize>>,
    /// Border items, left to right.
    borders: Vec<usize>,
    /// Constraints `shift[b] >= shift[a] + d` between groups.
    edges: Vec<(usize, usize, f32)>,
    /// The order constraints between a lane border and a line or label of a flow that
    /// crosses that border anyway: kept only where the line or label would otherwise come
    /// too near the border ([`Model::solve`]).
    deferred: Vec<Deferred>,
    /// For each flow, the borders it crosses (first, last), when it crosses any.
    crossed: Vec<Option<(usize, usize)>>,
    /// The least width of each lane.
    lane_min: Vec<f32>,
    /// For a comment, the node its dashed line joins.
    tethers: Vec<Option<usize>>,
    /// The lone flow ends that may slide along their box's straight top or bottom edge.
    slides: Vec<Slide>,
}

/// A flow's vertical end segment free to slide along the straight edge of the box it
/// enters (or leaves): it stays between `lo` and `hi` from the box's left edge.
#[derive(Debug, Clone, Copy)]
struct Slide {
    /// The vertical segment's item.
    segment: usize,
    /// The box's item.
    boxed: usize,
    lo: f32,
    hi: f32,
}

/// How far from its box's centre a lone flow end may slide, as a share of the box's width
/// (within the straight part of its edge): a box may then come nearer the flow's other
/// parts, the entry staying in the middle 70 % of the edge.
const SLIDE_SHARE: f32 = 0.35;

impl Model {
    /// The model of `d`; with `slides`, the lone vertical ends on a box's straight top or
    /// bottom edge may slide along it.
    fn new(d: &Diagram, lane_min: &[f32], rooms: &[LabelRoom], slides_on: bool) -> Option<Model> {
        let mut items: Vec<Item> = Vec::new();
        let edges_x = lane_edges(d);
        let (top, bottom) = (f32::MIN / 4.0, f32::MAX / 4.0);
        let mut borders = Vec::new();
        for (k, &x) in edges_x.iter().enumerate() {
            borders.push(items.len());
            items.push(Item {
                lo: x,
                hi: x,
                top,
                bottom,
                what: What::Border(k),
            });
        }
        let index: BTreeMap<&str, usize> = d
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let mut node_items = Vec::with_capacity(d.nodes.len());
        for n in &d.nodes {
            node_items.push(items.len());
            items.push(rect_item(&n.rect, What::Box));
        }
        let mut unions: Vec<(usize, usize)> = Vec::new();
        let tethers = tether_targets(d);
        // A comment above or below its step keeps its dashed line straight: they move as one.
        for (i, n) in d.nodes.iter().enumerate() {
            if let (true, Some(t)) = (stacked(n), tethers[i]) {
                unions.push((node_items[i], node_items[t]));
            }
        }
        let mut slides: Vec<Slide> = Vec::new();
        let ends = edge_ends(d, &index);
        let mut owners: Vec<Vec<usize>> = Vec::with_capacity(d.flows.len());
        for (f, flow) in d.flows.iter().enumerate() {
            let pts = &flow.points;
            let mut owner = vec![usize::MAX; pts.len()];
            for i in 0..pts.len().saturating_sub(1) {
                let (a, b) = (pts[i], pts[i + 1]);
                if (a.x - b.x).abs() <= EPS && (a.y - b.y).abs() > EPS {
                    let it = items.len();
                    items.push(Item {
                        lo: a.x,
                        hi: a.x,
                        top: a.y.min(b.y),
                        bottom: a.y.max(b.y),
                        what: What::Segment(f),
                    });
                    owner[i] = it;
                    owner[i + 1] = it;
                }
            }
            let from_node = index.get(flow.from.as_str()).copied();
            let to_node = index.get(flow.to.as_str()).copied();
            let last = pts.len().saturating_sub(1);
            for (i, p) in pts.iter().enumerate() {
                // An end on a box's side follows the box; a vertical end is tied to it,
                // unless it is the only end on the box's straight top or bottom edge: it
                // may then slide along that edge.
                let end_node = if i == 0 {
                    from_node
                } else if i == last {
                    to_node
                } else {
                    None
                };
                let end_box = end_node.map(|n| node_items[n]);
                if let (Some(n), true) = (end_node, slides_on && owner[i] != usize::MAX)
                    && let Some((lo, hi)) = slide_room(&d.nodes[n], *p, &ends[n])
                {
                    slides.push(Slide {
                        segment: owner[i],
                        boxed: node_items[n],
                        lo,
                        hi,
                    });
                    continue;
                }
                match (owner[i], end_box) {
                    (usize::MAX, Some(b)) => owner[i] = b,
                    (usize::MAX, None) => {
                        owner[i] = items.len();
                        items.push(Item {
                            lo: p.x,
                            hi: p.x,
                            top: p.y,
                            bottom: p.y,
                            what: What::Segment(f),
                        });
                    }
                    (it, Some(b)) => unions.push((it, b)),
                    _ => {}
                }
            }
            owners.push(owner);
        }
        let mut label_items = vec![None; d.flows.len()];
        for (f, flow) in d.flows.iter().enumerate() {
            let (Some(label), Some(&start)) = (&flow.label, flow.points.first()) else {
                continue;
            };
            let (w, h) = rooms
                .get(f)
                .copied()
                .flatten()
                .unwrap_or((label.rect.w, label.rect.h));
            let r = label.rect;
            let it = items.len();
            let (item, anchor) = if r.y > start.y {
                // Under a bottom vertex: it follows the flow's first segment.
                (rect_item(&Rect::new(r.x, r.y, w, h), What::Label(f)), None)
            } else if r.center().x >= start.x {
                // Beside a right exit, above its line (down to the line, which it must not
                // leave): it follows the port or the port cell it is measured from.
                let item = Item {
                    lo: r.x,
                    hi: r.x + w,
                    top: start.y - h - 3.0,
                    bottom: start.y,
                    what: What::Label(f),
                };
                (item, Some(r.x - 6.0))
            } else {
                let item = Item {
                    lo: r.right() - w,
                    hi: r.right(),
                    top: start.y - h - 3.0,
                    bottom: start.y,
                    what: What::Label(f),
                };
                (item, Some(r.right() + 6.0))
            };
            items.push(item);
            label_items[f] = Some(it);
            let owner = &owners[f];
            let tie = match anchor {
                None => owner.first().copied(),
                Some(x) => items[..it]
                    .iter()
                    .enumerate()
                    .find(|(_, o)| match o.what {
                        What::Box => {
                            ((o.lo - x).abs() < 0.5 || (o.hi - x).abs() < 0.5)
                                && o.top <= start.y + EPS
                                && o.bottom >= start.y - EPS
                        }
                        What::Segment(_) => {
                            (o.lo - x).abs() < 0.5
                                && o.top <= start.y + EPS
                                && o.bottom >= start.y - EPS
                        }
                        _ => false,
                    })
                    .map(|(k, _)| k),
            };
            if let Some(t) = tie {
                unions.push((it, t));
            }
        }
        let n = items.len();
        let mut parent: Vec<usize> = (0..n).collect();
        for (a, b) in unions {
            join(&mut parent, a, b);
        }
        // Items already overlapping (a line through a label, two flows sharing their last
        // segment into one target) keep their relative places.
        let pairs = meeting_pairs(&items);
        let sliding: std::collections::BTreeSet<(usize, usize)> = slides
            .iter()
            .map(|s| (s.segment.min(s.boxed), s.segment.max(s.boxed)))
            .collect();
        for &(a, b) in &pairs {
            if is_border(&items[a]) || is_border(&items[b]) || sliding.contains(&(a, b)) {
                continue;
            }
            if overlapping(&items[a], &items[b]) {
                join(&mut parent, a, b);
            }
        }
        let mut group_of_root: BTreeMap<usize, usize> = BTreeMap::new();
        let mut group = vec![0usize; n];
        for (i, g) in group.iter_mut().enumerate() {
            let root = find(&mut parent, i);
            let next = group_of_root.len();
            *g = *group_of_root.entry(root).or_insert(next);
        }
        let groups = group_of_root.len();
        let crossed = crossed_borders(d);
        let mut model = Model {
            items,
            group,
            groups,
            owners,
            node_items,
            label_items,
            borders,
            edges: Vec::new(),
            deferred: Vec::new(),
            crossed,
            lane_min: lane_min.to_vec(),
            tethers,
            slides,
        };
        // Two borders never share a group: a lane's content ties nothing to its borders.
        let border_groups: Vec<usize> = model.borders.iter().map(|&b| model.group[b]).collect();
        let mut sorted = border_groups.clone();
        sorted.dedup();
        if sorted.len() != border_groups.len() {
            return None;
        }
        (model.edges, model.deferred) = model.constraints(&pairs);
        Some(model)
    }

    /// The order constraints between groups, sorted by the left edge of their first group
    /// (so one relaxation round mostly settles them), and those put off (a flow's line or
    /// label and a border the flow crosses).
    fn constraints(&self, pairs: &[(usize, usize)]) -> (Vec<(usize, usize, f32)>, Vec<Deferred>) {
        let mut all: Vec<(usize, usize, f32)> = Vec::with_capacity(pairs.len());
        let mut deferred = Vec::new();
        // Groups holding a box or a border: their lines stay in their lane.
        let mut anchored = vec![false; self.groups];
        for (it, &g) in self.items.iter().zip(&self.group) {
            anchored[g] |= matches!(it.what, What::Box | What::Border(_));
        }
        // A sliding end stays on its box's edge, so in the box's lane.
        for s in &self.slides {
            anchored[self.group[s.segment]] = true;
        }
        for &(i, j) in pairs {
            let (gi, gj) = (self.group[i], self.group[j]);
            if gi == gj {
                continue;
            }
            let (a, b) = (&self.items[i], &self.items[j]);
            let (left, right, gl, gr) = if a.hi <= b.lo + EPS {
                (a, b, gi, gj)
            } else if b.hi <= a.lo + EPS {
                (b, a, gj, gi)
            } else {
                continue;
            };
            let Some(rule) = self.rule(left, right) else {
                continue;
            };
            let now = right.lo - left.hi;
            let edge = (gl, gr, (rule.min(now) - now).ceil());
            if let Some((border, item)) = self.crossing_pair(i, j, &anchored) {
                deferred.push(Deferred {
                    edge,
                    border,
                    item,
                    room: rule.min(now),
                });
                continue;
            }
            all.push(edge);
        }
        all.extend(self.slide_edges());
        // Ordered by the left edge of their first group, by buckets (a sort of every
        // constraint costs more than the rest of the pass on small diagrams).
        let mut lo_x = vec![f32::MAX; self.groups];
        for (i, it) in self.items.iter().enumerate() {
            lo_x[self.group[i]] = lo_x[self.group[i]].min(it.lo);
        }
        let mut by_x: Vec<usize> = (0..self.groups).collect();
        by_x.sort_by(|&a, &b| {
            (lo_x[a], a)
                .partial_cmp(&(lo_x[b], b))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut rank = vec![0usize; self.groups];
        for (r, &g) in by_x.iter().enumerate() {
            rank[g] = r;
        }
        let mut start = vec![0usize; self.groups + 1];
        for e in &all {
            start[rank[e.0] + 1] += 1;
        }
        for r in 0..self.groups {
            start[r + 1] += start[r];
        }
        let mut out = vec![(0usize, 0usize, 0.0f32); all.len()];
        for e in all {
            let slot = &mut start[rank[e.0]];
            out[*slot] = e;
            *slot += 1;
        }
        (out, deferred)
    }

    /// The constraints keeping each sliding end on its box's edge: the segment at least
    /// `lo` and at most `hi` right of the box's left edge.
    fn slide_edges(&self) -> Vec<(usize, usize, f32)> {
        let mut out = Vec::new();
        for s in &self.slides {
            let (gs, gb) = (self.group[s.segment], self.group[s.boxed]);
            if gs == gb {
                continue;
            }
            let x = self.items[s.segment].lo;
            let left = self.items[s.boxed].lo;
            out.push((gb, gs, (left + s.lo - x).ceil()));
            out.push((gs, gb, (x - left - s.hi).ceil()));
        }
        out
    }

    /// (border, item) when one of `i`, `j` is a lane border and the other a vertical line or
    /// a label of a flow crossing that border: the line may then stand on either side of it.
    fn crossing_pair(&self, i: usize, j: usize, anchored: &[bool]) -> Option<(usize, usize)> {
        let (border, item) = match (self.items[i].what, self.items[j].what) {
            (What::Border(_), _) => (i, j),
            (_, What::Border(_)) => (j, i),
            _ => return None,
        };
        let What::Border(k) = self.items[border].what else {
            return None;
        };
        let flow = match self.items[item].what {
            What::Segment(f) | What::Label(f) => f,
            _ => return None,
        };
        // A line tied to a box stays in the box's lane.
        if anchored[self.group[item]] {
            return None;
        }
        let (first, last) = self.crossed.get(flow).copied().flatten()?;
        (first <= k && k <= last).then_some((border, item))
    }

    /// The least distance between `left` and `right` side by side; None when their order
    /// needs no constraint (two borders not next to each other).
    fn rule(&self, left: &Item, right: &Item) -> Option<f32> {
        use What::*;
        let touching = left.bottom - left.top.max(right.top) < 0.5
            || right.bottom - right.top.max(left.top) < 0.5;
        Some(match (left.what, right.what) {
            (Border(a), Border(b)) => {
                if b != a + 1 {
                    return None;
                }
                self.lane_min.get(a).copied().unwrap_or(0.0)
            }
            (Border(_), Label(_)) | (Label(_), Border(_)) => BORDER_LABEL,
            (Border(_), _) | (_, Border(_)) => BORDER_PAD,
            (Box, Box) => BOX_GAP,
            (Box, Segment(_)) | (Segment(_), Box) => TRACK_GAP,
            (Segment(a), Segment(b)) if a == b && touching => 0.0,
            (Segment(_), Segment(_)) => TRACK_GAP,
            (Label(_), Segment(_)) | (Segment(_), Label(_)) => LABEL_LINE,
            (Label(_), _) | (_, Label(_)) => LABEL_GAP,
        })
    }

    /// The shift of every group. The put-off constraints are left out at first: a line or
    /// label of a flow may then cross a border its flow crosses anyway (into the next lane,
    /// where that lane is empty at its height). Those that come too near a border are put
    /// across it, or where that cannot be (it must stay left of something left of the
    /// border), back on their side; then the shifts are solved again.
    fn solve(&self) -> Vec<f32> {
        let mut edges = self.edges.clone();
        let mut pending: Vec<&Deferred> = self.deferred.iter().collect();
        let mut shifts = match self.solve_with(&edges) {
            Some(s) => s,
            None => return self.solve_kept(),
        };
        for _ in 0..DEFERRED_ROUNDS {
            let (near, apart): (Vec<&Deferred>, Vec<&Deferred>) =
                pending.into_iter().partition(|c| self.too_near(c, &shifts));
            if near.is_empty() {
                return shifts;
            }
            pending = apart;
            let mut across = edges.clone();
            across.extend(near.iter().map(|c| self.across(c)));
            if let Some(s) = self.solve_with(&across) {
                edges = across;
                shifts = s;
                continue;
            }
            edges.extend(near.iter().map(|c| c.edge));
            match self.solve_with(&edges) {
                Some(s) => shifts = s,
                None => return self.solve_kept(),
            }
        }
        if pending.iter().any(|c| self.too_near(c, &shifts)) {
            return self.solve_kept();
        }
        shifts
    }

    /// The shifts with every line and label on its side of every border.
    fn solve_kept(&self) -> Vec<f32> {
        let mut edges = self.edges.clone();
        edges.extend(self.deferred.iter().map(|c| c.edge));
        self.solve_with(&edges)
            .unwrap_or_else(|| vec![0.0; self.groups])
    }

    /// The constraint putting the item of `c` on the other side of its border, `c.room`
    /// away from it.
    fn across(&self, c: &Deferred) -> (usize, usize, f32) {
        let (b, it) = (&self.items[c.border], &self.items[c.item]);
        let (gb, gi) = (self.group[c.border], self.group[c.item]);
        if it.hi <= b.lo + EPS {
            (gb, gi, (b.lo + c.room - it.lo).ceil())
        } else {
            (gi, gb, (it.hi + c.room - b.lo).ceil())
        }
    }

    /// True when, after `shifts`, the item of `c` is nearer its border than it may be.
    fn too_near(&self, c: &Deferred, shifts: &[f32]) -> bool {
        let b = &self.items[c.border];
        let x = b.lo + shifts[self.group[c.border]];
        let it = &self.items[c.item];
        let s = shifts[self.group[c.item]];
        let (lo, hi) = (it.lo + s, it.hi + s);
        hi + c.room > x + EPS && lo - c.room < x - EPS
    }

    /// The shift of every group under the constraints `edges`; None when they cannot all
    /// hold (a cycle of them pushes a group right of itself).
    fn solve_with(&self, edges: &[(usize, usize, f32)]) -> Option<Vec<f32>> {
        let g = self.groups;
        let first = self.group[self.borders[0]];
        // Leftmost shifts: longest paths from the first border (every cycle of the
        // constraints weighs at most zero, since the drawing as it is satisfies them).
        let mut left = vec![f32::MIN; g];
        left[first] = 0.0;
        relax(&mut left, edges, g, true);
        for (i, l) in left.iter_mut().enumerate() {
            if *l == f32::MIN {
                // Nothing pushes it: it stays (cannot happen, every item meets a border).
                *l = if i == first { 0.0 } else { 0.0f32.min(*l) };
            }
        }
        // Borders stay leftmost; everything else may lie anywhere up to its rightmost shift.
        let border_groups: Vec<usize> = self.borders.iter().map(|&b| self.group[b]).collect();
        let mut right = vec![f32::MAX; g];
        for &b in &border_groups {
            right[b] = left[b];
        }
        relax(&mut right, edges, g, false);
        for (r, &l) in right.iter_mut().zip(&left) {
            if *r == f32::MAX || *r < l {
                *r = l;
            }
        }
        if !satisfied(edges, &left) {
            return None;
        }
        let shifts = self.settle(edges, &left, &right, &border_groups);
        Some(if satisfied(edges, &shifts) {
            shifts
        } else {
            left
        })
    }

    /// Each group, in order of its leftmost shift, takes a shift inside the room left by
    /// the groups already placed: the one that straightens most of its flows' jogs, else
    /// its lane's left border's.
    fn settle(
        &self,
        edges: &[(usize, usize, f32)],
        left: &[f32],
        right: &[f32],
        border_groups: &[usize],
    ) -> Vec<f32> {
        let g = self.groups;
        let mut preds: Vec<Vec<(usize, f32)>> = vec![Vec::new(); g];
        let mut succs: Vec<Vec<(usize, f32)>> = vec![Vec::new(); g];
        for &(a, b, d) in edges {
            preds[b].push((a, d));
            succs[a].push((b, d));
        }
        // Each group's leftmost x, and the jogs joining it to other groups: (other group,
        // the other end's x minus this end's x).
        let mut lo_x = vec![f32::MAX; g];
        for (i, it) in self.items.iter().enumerate() {
            lo_x[self.group[i]] = lo_x[self.group[i]].min(it.lo);
        }
        let mut jogs: Vec<Vec<(usize, f32)>> = vec![Vec::new(); g];
        for owner in &self.owners {
            for w in owner.windows(2) {
                let (a, b) = (self.group[w[0]], self.group[w[1]]);
                if a == b {
                    continue;
                }
                let (xa, xb) = (self.items[w[0]].lo, self.items[w[1]].lo);
                if matches!(self.items[w[0]].what, What::Segment(_))
                    && matches!(self.items[w[1]].what, What::Segment(_))
                {
                    jogs[a].push((b, xb - xa));
                    jogs[b].push((a, xa - xb));
                }
            }
        }
        // The flows' own jogs, apart from the slides' below (a bend each when not in line).
        let flow_jogs = jogs.clone();
        // A sliding end and its box: back in line (the end at the box's centre) where the
        // room allows, as a jog straightened.
        for s in &self.slides {
            let (a, b) = (self.group[s.segment], self.group[s.boxed]);
            if a == b {
                continue;
            }
            let (bx, sx) = (self.items[s.boxed], self.items[s.segment].lo);
            let centre = (bx.lo + bx.hi) / 2.0;
            jogs[a].push((b, centre - sx));
            jogs[b].push((a, sx - centre));
        }
        // The slide of each group made of a sliding end, to line a jog up with where it
        // will stand before it is placed.
        let mut sliding: Vec<Option<&Slide>> = vec![None; g];
        for s in &self.slides {
            sliding[self.group[s.segment]].get_or_insert(s);
        }
        let mut order: Vec<usize> = (0..g).collect();
        order.sort_by(|&a, &b| {
            (left[a], lo_x[a], a)
                .partial_cmp(&(left[b], lo_x[b], b))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let border_x: Vec<f32> = self.borders.iter().map(|&b| self.items[b].lo).collect();
        let mut shift: Vec<Option<f32>> = vec![None; g];
        for &b in border_groups {
            shift[b] = Some(left[b]);
        }
        for &grp in &order {
            if shift[grp].is_some() {
                continue;
            }
            let lo = preds[grp]
                .iter()
                .filter_map(|&(p, d)| shift[p].map(|s| s + d))
                .fold(left[grp], f32::max);
            let hi = succs[grp]
                .iter()
                .filter_map(|&(s, d)| shift[s].map(|x| x - d))
                .fold(right[grp], f32::min);
            if lo > hi + EPS {
                shift[grp] = Some(lo);
                continue;
            }
            let lane = border_x
                .iter()
                .rposition(|&x| x <= lo_x[grp] + EPS)
                .unwrap_or(0);
            let here = shift[border_groups[lane]].unwrap_or(0.0);
            let targets: Vec<f32> = jogs[grp]
                .iter()
                .filter_map(|&(o, dx)| match shift[o] {
                    Some(s) => Some(s + dx),
                    None => self.slide_target(sliding[o]?, &shift, dx, lo, hi),
                })
                .collect();
            shift[grp] = Some(choose(&targets, here, lo, hi));
        }
        let mut shift: Vec<f32> = shift.into_iter().map(|s| s.unwrap_or(0.0)).collect();
        // A jog may still line up, one of its groups moved inside the room all the others
        // leave it, now that every group is placed (a sliding end placed after the other
        // end of its jog, or its box, may have left no target to line up with).
        let room = |grp: usize, shift: &[f32]| {
            place::room(&preds[grp], &succs[grp], shift, left[grp], f32::MAX)
        };
        // A group moves only when more of its flows' jogs are then in line than before, so
        // no jog already straight bends again.
        let in_line = |grp: usize, at: f32, shift: &[f32]| {
            flow_jogs[grp]
                .iter()
                .filter(|&&(o, dx)| (at - (shift[o] + dx)).abs() < EPS)
                .count()
        };
        let moves = |grp: usize, to: f32, shift: &mut Vec<f32>| {
            let (lo, hi) = room(grp, shift);
            let better = in_line(grp, to, shift) > in_line(grp, shift[grp], shift);
            if better && to >= lo - EPS && to <= hi + EPS {
                shift[grp] = to;
                return true;
            }
            false
        };
        for grp in 0..g {
            if self.slides.is_empty() || border_groups.contains(&grp) {
                continue;
            }
            for &(o, dx) in &flow_jogs[grp] {
                if (shift[grp] - (shift[o] + dx)).abs() < EPS {
                    continue;
                }
                if moves(grp, shift[o] + dx, &mut shift)
                    || (!border_groups.contains(&o) && moves(o, shift[grp] - dx, &mut shift))
                {
                    break;
                }
            }
        }
        // A group may move to `to` where the room allows and none of its flows' jogs in line
        // comes out of line.
        let fits = |grp: usize, to: f32, shift: &[f32]| {
            let (lo, hi) = room(grp, shift);
            to >= lo - EPS
                && to <= hi + EPS
                && in_line(grp, to, shift) >= in_line(grp, shift[grp], shift)
        };
        // Then each slid end back at its box's centre where it fits.
        for s in &self.slides {
            let (gs, gb) = (self.group[s.segment], self.group[s.boxed]);
            if gs == gb || border_groups.contains(&gs) {
                continue;
            }
            let (bx, sx) = (self.items[s.boxed], self.items[s.segment].lo);
            let to = shift[gb] + (bx.lo + bx.hi) / 2.0 - sx;
            if fits(gs, to, &shift) {
                shift[gs] = to;
            }
        }
        self.centre_straight_pairs(&mut shift, fits, border_groups);
        shift
    }

    /// Two boxes joined by one straight vertical flow whose ends both slide (the only end
    /// on each box's edge): the settling above leaves each box as far left as it may go,
    /// so the line stands at one box's centre, off the other's. Where the room the others
    /// leave allows and none of its jogs comes out of line (`fits`: whether a group may
    /// move to a shift), one box moves under (or over) the other, the line between their
    /// centres; the lanes keep their width.
    fn centre_straight_pairs(
        &self,
        shift: &mut [f32],
        fits: impl Fn(usize, f32, &[f32]) -> bool,
        border_groups: &[usize],
    ) {
        let centre = |item: usize, shift: &[f32]| {
            let b = &self.items[item];
            (b.lo + b.hi) / 2.0 + shift[self.group[item]]
        };
        for (k, a) in self.slides.iter().enumerate() {
            let Some(b) = self.slides[k + 1..].iter().find(|b| b.segment == a.segment) else {
                continue;
            };
            let gs = self.group[a.segment];
            if border_groups.contains(&gs) || self.group[a.boxed] == self.group[b.boxed] {
                continue;
            }
            for (mover, anchor) in [(b.boxed, a.boxed), (a.boxed, b.boxed)] {
                let (gm, target) = (self.group[mover], centre(anchor, shift));
                let by = target - centre(mover, shift);
                if by.abs() < EPS || border_groups.contains(&gm) {
                    break;
                }
                let line_to = target - self.items[a.segment].lo;
                let (line_was, box_was) = (shift[gs], shift[gm]);
                if !fits(gs, line_to, shift) {
                    continue;
                }
                shift[gs] = line_to;
                if fits(gm, box_was + by, shift) {
                    shift[gm] = box_was + by;
                    break;
                }
                shift[gs] = line_was;
            }
        }
    }

    /// The shift in `lo..=hi` lining a jog up with the sliding end `s` not yet placed (`dx`:
    /// the end's x minus the jog's other end's x), once its box is placed: where the end may
    /// stand on the box's edge, nearest the box's centre.
    fn slide_target(
        &self,
        s: &Slide,
        shift: &[Option<f32>],
        dx: f32,
        lo: f32,
        hi: f32,
    ) -> Option<f32> {
        let boxed = &self.items[s.boxed];
        let left = boxed.lo + shift[self.group[s.boxed]]?;
        let x = self.items[s.segment].lo - dx;
        let (from, to) = ((left + s.lo).max(x + lo), (left + s.hi).min(x + hi));
        if from > to + EPS {
            return None;
        }
        let centre = left + (boxed.hi - boxed.lo) / 2.0;
        Some(centre.clamp(from, to.max(from)) - x)
    }

    /// Moves everything in `d` by its group's shift.
    fn apply(&self, d: &mut Diagram, shifts: &[f32]) {
        let by = |item: usize| shifts[self.group[item]];
        for (n, &it) in d.nodes.iter_mut().zip(&self.node_items) {
            let s = by(it);
            n.rect.x += s;
            n.text_top.x += s;
            if let Some(b) = &mut n.badge {
                b.rect.x += s;
            }
            if let Some(m) = &mut n.mark {
                m.center.x += s;
            }
        }
        for (f, flow) in d.flows.iter_mut().enumerate() {
            for (p, &o) in flow.points.iter_mut().zip(&self.owners[f]) {
                p.x += by(o);
            }
            flow.points = simplify(&flow.points);
            if let (Some(label), Some(it)) = (&mut flow.label, self.label_items[f]) {
                label.rect.x += by(it);
            }
        }
        // A comment's dashed line joins its step's facing side: each end follows its box.
        for n in 0..d.nodes.len() {
            let Some((a, b)) = d.nodes[n].tether else {
                continue;
            };
            let own = by(self.node_items[n]);
            let step = self.tethers[n].map_or(own, |t| by(self.node_items[t]));
            d.nodes[n].tether = Some((Point::new(a.x + step, a.y), Point::new(b.x + own, b.y)));
        }
        let xs: Vec<f32> = self
            .borders
            .iter()
            .map(|&b| self.items[b].lo + by(b))
            .collect();
        for (k, lane) in d.lanes.iter_mut().enumerate() {
            lane.rect.x = xs[k];
            lane.rect.w = xs[k + 1] - xs[k];
        }
        let right = xs.last().copied().unwrap_or(0.0);
        let legend = d.legend_rect.map_or(0.0, |r| r.right());
        d.width = (right.max(legend) + super::MARGIN).ceil();
    }
}

/// True when `shifts` keep every constraint of `edges`.
fn satisfied(edges: &[(usize, usize, f32)], shifts: &[f32]) -> bool {
    edges
        .iter()
        .all(|&(a, b, d)| shifts[b] >= shifts[a] + d - EPS)
}

/// An order constraint between a lane border and a line or label of a flow crossing it.
#[derive(Debug, Clone, Copy)]
struct Deferred {
    /// The constraint as it would be kept (groups and least shift difference).
    edge: (usize, usize, f32),
    /// The border's item.
    border: usize,
    /// The line's or label's item.
    item: usize,
    /// The room it needs from the border, on either side.
    room: f32,
}

/// How many times the put-off constraints that came too near are added before all are.
const DEFERRED_ROUNDS: usize = 4;

/// For each flow, the first and last lane borders between its two ends' lanes (border k
/// being the left edge of lane k), when they are in different lanes.
fn crossed_borders(d: &Diagram) -> Vec<Option<(usize, usize)>> {
    let lane_of = |id: &str| -> Option<usize> {
        let node = d.nodes.iter().find(|n| n.id == id)?;
        let lane = node.lane.as_deref()?;
        d.lanes.iter().position(|l| l.id == lane)
    };
    d.flows
        .iter()
        .map(|f| {
            let (a, b) = (lane_of(&f.from)?, lane_of(&f.to)?);
            (a != b).then(|| (a.min(b) + 1, a.max(b)))
        })
        .collect()
}

/// How many flow ends touch each node's top edge and its bottom edge.
fn edge_ends(d: &Diagram, index: &BTreeMap<&str, usize>) -> Vec<[usize; 2]> {
    let mut out = vec![[0usize; 2]; d.nodes.len()];
    for f in &d.flows {
        let ends = [
            (f.from.as_str(), f.points.first()),
            (f.to.as_str(), f.points.last()),
        ];
        for (id, p) in ends {
            let (Some(&n), Some(p)) = (index.get(id), p) else {
                continue;
            };
            let r = &d.nodes[n].rect;
            if (p.y - r.y).abs() < 0.5 {
                out[n][0] += 1;
            } else if (p.y - r.bottom()).abs() < 0.5 {
                out[n][1] += 1;
            }
        }
    }
    out
}

/// Where a flow end at `p` on `node` may slide, from the box's left edge (lo, hi): only the
/// one end on its box's top or bottom edge (`ends`: the count on each), and only along the
/// straight part of that edge, in the middle of the box.
fn slide_room(
    node: &crate::diagram::model::Node,
    p: Point,
    ends: &[usize; 2],
) -> Option<(f32, f32)> {
    let r = &node.rect;
    let (flat_top, flat_bottom) = super::flat_edges(node.shape, r.w, r.h);
    let flat = if (p.y - r.y).abs() < 0.5 && ends[0] == 1 {
        flat_top
    } else if (p.y - r.bottom()).abs() < 0.5 && ends[1] == 1 {
        flat_bottom
    } else {
        return None;
    };
    let room = flat.min(r.w * SLIDE_SHARE).floor();
    let at = p.x - r.x;
    let (lo, hi) = (r.w / 2.0 - room, r.w / 2.0 + room);
    (room >= 2.0 && at >= lo - EPS && at <= hi + EPS).then_some((lo.min(at), hi.max(at)))
}

/// For each comment, the node whose edge its dashed line starts from: a side, or the top
/// or bottom for a comment below or above its step.
fn tether_targets(d: &Diagram) -> Vec<Option<usize>> {
    d.nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let (a, _) = n.tether?;
            d.nodes.iter().enumerate().position(|(k, t)| {
                let r = &t.rect;
                let on_side = ((r.x - a.x).abs() < 0.5 || (r.right() - a.x).abs() < 0.5)
                    && r.y <= a.y + EPS
                    && a.y <= r.bottom() + EPS;
                let on_edge = ((r.y - a.y).abs() < 0.5 || (r.bottom() - a.y).abs() < 0.5)
                    && r.x <= a.x + EPS
                    && a.x <= r.right() + EPS;
                k != i && (on_side || on_edge)
            })
        })
        .collect()
}

/// True for a comment's dashed line standing vertical: the comment stands above or below
/// its step and moves with it.
fn stacked(n: &crate::diagram::model::Node) -> bool {
    n.tether
        .is_some_and(|(a, b)| (a.x - b.x).abs() <= EPS && (a.y - b.y).abs() > EPS)
}

/// The right edge of what `d` draws, its legend aside: its last lane's, or without lanes
/// its rightmost box, line or label with the room a lane border would keep from it.
pub(crate) fn drawing_right(d: &Diagram) -> f32 {
    lane_edges(d).last().copied().unwrap_or(super::MARGIN)
}

/// The x of every lane border, left to right: the lanes' edges, or for a diagram without
/// lanes one band around everything drawn.
fn lane_edges(d: &Diagram) -> Vec<f32> {
    if let Some(first) = d.lanes.first() {
        let mut xs = vec![first.rect.x];
        xs.extend(d.lanes.iter().map(|l| l.rect.right()));
        return xs;
    }
    let mut hi = f32::MIN;
    for n in &d.nodes {
        hi = hi.max(n.rect.right() + BORDER_PAD);
    }
    for f in &d.flows {
        for p in &f.points {
            hi = hi.max(p.x + BORDER_PAD);
        }
        if let Some(l) = &f.label {
            hi = hi.max(l.rect.right() + BORDER_LABEL);
        }
    }
    vec![super::MARGIN, hi.max(super::MARGIN)]
}

fn rect_item(r: &Rect, what: What) -> Item {
    Item {
        lo: r.x,
        hi: r.right(),
        top: r.y,
        bottom: r.bottom(),
        what,
    }
}

fn is_border(i: &Item) -> bool {
    matches!(i.what, What::Border(_))
}

/// True when two items share some area (or a stretch of line).
fn overlapping(a: &Item, b: &Item) -> bool {
    let x = a.lo <= b.hi + EPS && b.lo <= a.hi + EPS;
    let strictly = a.lo < b.hi - EPS && b.lo < a.hi - EPS;
    let y = a.top.max(b.top) < a.bottom.min(b.bottom) - 0.5;
    let y_touch = a.top <= b.bottom + EPS && b.top <= a.bottom + EPS;
    (x && y) || (strictly && y_touch)
}

/// The pairs of items whose y extents meet (borders meet everything).
fn meeting_pairs(items: &[Item]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        items[a]
            .top
            .partial_cmp(&items[b].top)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut out = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            if items[j].top > items[i].bottom + EPS {
                break;
            }
            out.push((i.min(j), i.max(j)));
        }
    }
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn join(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// Longest paths (`forward`: `x[b] >= x[a] + d` pushes b right of its predecessors) or
/// shortest ones backwards (`x[a] <= x[b] - d`), by rounds of relaxation.
fn relax(x: &mut [f32], edges: &[(usize, usize, f32)], n: usize, forward: bool) {
    for _ in 0..n.max(1) {
        let mut changed = false;
        let ordered: Box<dyn Iterator<Item = &(usize, usize, f32)>> = if forward {
            Box::new(edges.iter())
        } else {
            Box::new(edges.iter().rev())
        };
        for &(a, b, d) in ordered {
            if forward {
                if x[a] > f32::MIN && x[a] + d > x[b] + EPS {
                    x[b] = x[a] + d;
                    changed = true;
                }
            } else if x[b] < f32::MAX && x[b] - d < x[a] - EPS {
                x[a] = x[b] - d;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// The target most jogs share among those inside [lo, hi] (nearest to `here` on a tie);
/// without one inside, `here` kept inside the room.
fn choose(targets: &[f32], here: f32, lo: f32, hi: f32) -> f32 {
    let mut best: Option<(usize, f32)> = None;
    for &t in targets {
        if t < lo - EPS || t > hi + EPS {
            continue;
        }
        let count = targets.iter().filter(|&&u| (u - t).abs() < 0.5).count();
        let better = match best {
            None => true,
            Some((bc, bt)) => count > bc || (count == bc && (t - here).abs() < (bt - here).abs()),
        };
        if better {
            best = Some((count, t));
        }
    }
    match best {
        Some((_, t)) => t.clamp(lo, hi.max(lo)),
        None => here.clamp(lo, hi.max(lo)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::model::{Flow, LaneBand, Node, Shape};
    use crate::diagram::text::TextBlock;
    use crate::language::Language;
    use crate::workflow::layout::fixtures::flow;

    fn node(id: &str, rect: Rect) -> Node {
        Node {
            id: id.to_string(),
            kind: "action".to_string(),
            lane: None,
            shape: Shape::Rect,
            rect,
            text: TextBlock::new(id, 100.0, 13.0),
            text_top: Point::new(rect.center().x, rect.y),
            badge: None,
            mark: None,
            link: None,
            tether: None,
        }
    }

    fn lane(id: &str, x: f32, w: f32) -> LaneBand {
        LaneBand {
            id: id.to_string(),
            label: TextBlock::new(id, 200.0, 13.0),
            rect: Rect::new(x, 16.0, w, 400.0),
            header: 30.0,
        }
    }

    fn diagram(lanes: Vec<LaneBand>, nodes: Vec<Node>, flows: Vec<Flow>) -> Diagram {
        Diagram {
            id: "t".to_string(),
            title: "t".to_string(),
            description: String::new(),
            lang: Language::Fr,
            width: 1000.0,
            height: 432.0,
            lanes,
            nodes,
            flows,
            legend_rect: None,
            legend: Vec::new(),
        }
    }

    /// Lane a (16..516) holds box A (100 wide) at 36..136 in the first rank, whose right
    /// exit runs to x 400 and down into B's top (B 100 wide in the second rank, centred at
    /// 400); lane b (516..716) holds C at 556..656; `more` flows after A's.
    fn port_and_step(more: Vec<Flow>) -> Diagram {
        let mut flows = vec![flow(
            "A",
            "B",
            &[(136.0, 80.0), (400.0, 80.0), (400.0, 160.0)],
        )];
        flows.extend(more);
        diagram(
            vec![lane("a", 16.0, 500.0), lane("b", 516.0, 200.0)],
            vec![
                node("A", Rect::new(36.0, 60.0, 100.0, 40.0)),
                node("B", Rect::new(350.0, 160.0, 100.0, 40.0)),
                node("C", Rect::new(556.0, 60.0, 100.0, 40.0)),
            ],
            flows,
        )
    }

    #[test]
    fn a_step_under_a_far_port_comes_back_beside_its_source_and_the_lanes_follow() {
        // Lane a (16..516): box A (100 wide) at 36..136 in the first rank; its right exit
        // runs to x 400 and down into B's top (B 100 wide in the second rank, centred at
        // 400). Lane b (516..716) holds C at 556..656. B comes back until the port's
        // vertical is 18 px right of A, the border to 20 px right of B, and C to 20 px
        // right of that border (its lane then as narrow as C allows).
        let mut d = port_and_step(vec![]);
        narrow(&mut d, &[120.0, 120.0], &[None]);
        let xs: Vec<f32> = d.nodes.iter().map(|n| n.rect.x).collect();
        // The port at 136 + 18 = 154; the flow is B's only entry, so B slides left of it
        // until the entry is 35 % of B's width right of its centre (69..169, the entry at
        // 154): lane a ends at 189 instead of 224 with B centred under the port.
        assert_eq!(xs, vec![36.0, 69.0, 209.0]);
        let points: Vec<(f32, f32)> = d.flows[0].points.iter().map(|p| (p.x, p.y)).collect();
        assert_eq!(points, vec![(136.0, 80.0), (154.0, 80.0), (154.0, 160.0)]);
        let lanes: Vec<(f32, f32)> = d.lanes.iter().map(|l| (l.rect.x, l.rect.w)).collect();
        assert_eq!(lanes, vec![(16.0, 173.0), (189.0, 140.0)]);
        assert_eq!(d.width, 189.0 + 140.0 + 16.0);
    }

    #[test]
    fn a_box_under_a_slid_box_comes_back_under_its_centre() {
        // As in the test above, B slides left to 69..169 (its entry 35 % right of its
        // centre); under it D (60 wide, 370..430) is joined to B's bottom by a straight
        // flow, the only one on either edge. Settled alone, D came left only as far as
        // the line allowed, with the line at D's centre (139), 20 px right of B's (119).
        // Held centred, D stands under B's centre and the line runs centre to centre; the
        // lanes stay as narrow.
        let mut d = port_and_step(vec![flow("B", "D", &[(400.0, 200.0), (400.0, 260.0)])]);
        d.nodes.push(node("D", Rect::new(370.0, 260.0, 60.0, 40.0)));
        narrow(&mut d, &[120.0, 120.0], &[None, None]);
        let xs: Vec<f32> = d.nodes.iter().map(|n| n.rect.x).collect();
        assert_eq!(xs, vec![36.0, 69.0, 209.0, 89.0]);
        let points: Vec<(f32, f32)> = d.flows[1].points.iter().map(|p| (p.x, p.y)).collect();
        assert_eq!(points, vec![(119.0, 200.0), (119.0, 260.0)]);
        let lanes: Vec<(f32, f32)> = d.lanes.iter().map(|l| (l.rect.x, l.rect.w)).collect();
        assert_eq!(lanes, vec![(16.0, 173.0), (189.0, 140.0)]);
    }

    #[test]
    fn two_entries_into_one_top_keep_its_centre() {
        // As above, with a second flow, from C in lane b, into B's top at the same point:
        // B keeps both entries at its centre, which comes no nearer A than the port's
        // vertical allows.
        let mut d = port_and_step(vec![flow(
            "C",
            "B",
            &[
                (606.0, 100.0),
                (606.0, 130.0),
                (400.0, 130.0),
                (400.0, 160.0),
            ],
        )]);
        narrow(&mut d, &[120.0, 120.0], &[None, None]);
        let b = d.nodes[1].rect;
        assert_eq!(b.center().x, 154.0);
        assert_eq!(b.center().x, d.flows[0].points[2].x);
        assert_eq!(b.center().x, d.flows[1].points[3].x);
    }

    #[test]
    fn a_crossing_line_keeps_its_side() {
        // A flow from A's right side runs right over a vertical flow (D down to E) to F:
        // narrowing keeps the vertical between A and F, so the crossing stays.
        let mut d = diagram(
            vec![lane("a", 16.0, 700.0)],
            vec![
                node("A", Rect::new(36.0, 60.0, 100.0, 40.0)),
                node("D", Rect::new(250.0, 20.0, 100.0, 30.0)),
                node("E", Rect::new(250.0, 300.0, 100.0, 30.0)),
                node("F", Rect::new(550.0, 160.0, 100.0, 40.0)),
            ],
            vec![
                flow("A", "F", &[(136.0, 80.0), (600.0, 80.0), (600.0, 160.0)]),
                flow("D", "E", &[(300.0, 50.0), (300.0, 300.0)]),
            ],
        );
        narrow(&mut d, &[120.0], &[None, None]);
        let a = &d.flows[0].points;
        let v = d.flows[1].points[0].x;
        assert!(a[0].x < v && v < a[1].x, "{a:?} {v}");
        assert_eq!(
            crate::diagram::geometry::crossings(a, &d.flows[1].points),
            1
        );
        // A and D share no height (A 60..100, D 20..50), but D's line passes beside A: it
        // stays 18 px right of A's box, at 154.
        assert_eq!(v, 154.0);
        // F (tied to the port's line into it) comes 18 px right of D's line: 172..272.
        assert_eq!(a[1].x, 222.0);
    }

    #[test]
    fn a_line_crossing_a_border_moves_into_the_next_lane_where_it_is_empty() {
        // Lanes a, b, c (300 wide). A and D (lane a, 36..136) one over the other; E in lane
        // b lower down; C in lane c beside D. A's flow runs right, down its line at x 250
        // and right over lane b into C. The line crosses lane b's left border anyway, so
        // lane a is only as wide as A and D need (140, not 158: before, the line stayed in
        // lane a, 18 px right of D); the line keeps its x (nothing pulls it), now in lane b,
        // which holds nothing at its height and is 156..296.
        let mut d = diagram(
            vec![
                lane("a", 16.0, 300.0),
                lane("b", 316.0, 300.0),
                lane("c", 616.0, 300.0),
            ],
            vec![
                node("A", Rect::new(36.0, 60.0, 100.0, 40.0)),
                node("D", Rect::new(36.0, 140.0, 100.0, 40.0)),
                node("E", Rect::new(356.0, 300.0, 100.0, 40.0)),
                node("C", Rect::new(656.0, 140.0, 100.0, 40.0)),
            ],
            vec![flow(
                "A",
                "C",
                &[(136.0, 80.0), (250.0, 80.0), (250.0, 160.0), (656.0, 160.0)],
            )],
        );
        for (n, l) in d.nodes.iter_mut().zip(["a", "a", "b", "c"]) {
            n.lane = Some(l.to_string());
        }
        narrow(&mut d, &[120.0, 120.0, 120.0], &[None]);
        let lanes: Vec<(f32, f32)> = d.lanes.iter().map(|l| (l.rect.x, l.rect.w)).collect();
        assert_eq!(lanes, vec![(16.0, 140.0), (156.0, 140.0), (296.0, 140.0)]);
        let xs: Vec<f32> = d.nodes.iter().map(|n| n.rect.x).collect();
        assert_eq!(xs, vec![36.0, 36.0, 176.0, 316.0]);
        let points: Vec<(f32, f32)> = d.flows[0].points.iter().map(|p| (p.x, p.y)).collect();
        assert_eq!(
            points,
            vec![(136.0, 80.0), (250.0, 80.0), (250.0, 160.0), (316.0, 160.0)]
        );
        assert_eq!(d.width, 296.0 + 140.0 + 16.0);
    }
}
