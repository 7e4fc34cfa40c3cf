//! Orthogonal routing in channels: every flow runs vertically through its own cells and
//! turns horizontally only in the channels between ranks, on a track of its own. Tracks are
//! ordered to avoid crossings and collinear overlaps, then channels get their heights.

use crate::diagram::geometry::{Point, simplify};
use crate::diagram::shapes::SKEW;

use super::graph::{Layered, Side, Stack, Stacked};

/// Vertical distance between two tracks of a channel (and from its edges).
pub(crate) const TRACK_STEP: f32 = 12.0;
/// Smallest height of a channel between two ranks (room for an arrow head).
pub(crate) const CHANNEL_MIN: f32 = 36.0;
/// Room between a step and the comment standing above or below it (its dashed line).
pub(crate) const STACK_GAP: f32 = 20.0;

/// A horizontal piece of a flow in a channel, with the vertical stubs at its two ends: a
/// stub going up leaves the channel by its top edge, one going down by its bottom edge.
#[derive(Debug, Clone)]
struct Segment {
    lo: f32,
    hi: f32,
    stubs: [(f32, bool); 2],
}

/// Where each rank and channel sits vertically.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rows {
    /// Top of each rank's band.
    pub rank_top: Vec<f32>,
    /// Height of each rank's band.
    pub rank_h: Vec<f32>,
    /// How far each rank's centre line lies below its top.
    pub rank_up: Vec<f32>,
    /// Top of each channel; channel k lies above rank k, the last one below the last rank.
    pub channel_top: Vec<f32>,
    /// Height of each channel.
    pub channel_h: Vec<f32>,
    /// Bottom of the last channel.
    pub bottom: f32,
}

impl Rows {
    /// The centre line of rank `r`.
    pub fn center(&self, r: usize) -> f32 {
        self.rank_top[r] + self.rank_up[r]
    }
}

/// How far each rank of `g` reaches above and below its centre line with its boxes alone:
/// half its tallest box each way.
pub(crate) fn box_extents(g: &Layered) -> Vec<(f32, f32)> {
    let mut stacked = vec![false; g.nodes.len()];
    for s in &g.stacked {
        stacked[s.comment] = true;
    }
    let mut out = vec![(0.0f32, 0.0f32); g.ranks.max(1)];
    for (i, n) in g.nodes.iter().enumerate() {
        if stacked[i] {
            continue;
        }
        let (up, down) = &mut out[n.rank];
        *up = up.max(n.h / 2.0);
        *down = down.max(n.h / 2.0);
    }
    out
}

/// How far from its step's centre line a comment above or below it reaches.
fn stack_reach(g: &Layered, s: &Stacked) -> f32 {
    g.nodes[s.step].h / 2.0 + STACK_GAP + g.nodes[s.comment].h
}

/// The boxes the router connects: for each node, its box (x, y are filled in by `route`
/// from the rank geometry).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ports {
    /// Centre x.
    pub cx: f32,
    /// Box width.
    pub w: f32,
    /// Box height.
    pub h: f32,
    /// True for a parallelogram: a flow leaves or enters a slanted side at its midpoint.
    pub slanted: bool,
    /// Half-width of the straight part of the top edge around the centre (0: only the centre).
    pub flat_top: f32,
    /// Half-width of the straight part of the bottom edge around the centre.
    pub flat_bottom: f32,
}

impl Ports {
    /// The x where the box's right (or left) side crosses its centre line: the box's edge,
    /// or half the skew inside it on a parallelogram's slanted side.
    fn side_mid(&self, right: bool) -> f32 {
        let inset = if self.slanted { SKEW / 2.0 } else { 0.0 };
        let half = self.w / 2.0 - inset;
        if right {
            self.cx + half
        } else {
            self.cx - half
        }
    }
}

/// A jog this small next to a box is removed by moving the flow's end along the box's edge.
const SMALL_JOG: f32 = 48.0;

/// Removes a small jog just after the source or just before the target when the flow can
/// leave or enter the box's straight edge right above or below the jog's other end.
fn drop_small_jogs(
    pts: Vec<Point>,
    from: &Ports,
    to: &Ports,
    from_bottom: bool,
    lone_entry: bool,
    lone_exit: bool,
) -> Vec<Point> {
    let mut pts = simplify(&pts);
    let n = pts.len();
    if n >= 4 {
        let (a, b, c) = (pts[n - 3], pts[n - 2], pts[n - 1]);
        let dx = (a.x - c.x).abs();
        if lone_entry && (a.y - b.y).abs() < 0.01 && dx > 0.0 && dx <= SMALL_JOG.min(to.flat_top) {
            pts[n - 1].x = a.x;
            pts.remove(n - 2);
        }
    }
    let n = pts.len();
    if from_bottom && lone_exit && n >= 4 {
        let (a, b, c) = (pts[0], pts[1], pts[2]);
        let dx = (c.x - a.x).abs();
        if (b.y - c.y).abs() < 0.01 && dx > 0.0 && dx <= SMALL_JOG.min(from.flat_bottom) {
            pts[0].x = c.x;
            pts.remove(1);
        }
    }
    simplify(&pts)
}

/// Routes every edge. `label_zone[k]` is the room kept at the top of channel k for labels
/// under decisions; `top` is where channel 0 starts. Returns the rows and each edge's
/// polyline.
pub(crate) fn route(
    g: &Layered,
    ports: &[Ports],
    label_zone: &[f32],
    label_w: &[f32],
    top: f32,
) -> (Rows, Vec<Vec<Point>>) {
    let ranks = g.ranks.max(1);
    // Channel segments of every edge, in path order: (channel, segment index).
    let mut channels: Vec<Vec<Segment>> = vec![Vec::new(); ranks + 1];
    let mut legs: Vec<Vec<(usize, usize)>> = Vec::with_capacity(g.edges.len());
    for e in &g.edges {
        let mut edge_legs = Vec::new();
        let x = |c: usize| g.cells[c].x;
        // A handoff runs across its row: it has nothing in the channels.
        let cells: &[usize] = if e.handoff { &[] } else { &e.cells };
        let rising = if e.back { e.rising(g).len() } else { 0 };
        for (i, pair) in cells.windows(2).enumerate() {
            let (a, b) = (pair[0], pair[1]);
            let (channel, stubs) = if i + 1 < rising {
                (g.cells[a].rank, [(x(a), false), (x(b), true)])
            } else if i + 1 == rising {
                // A loop over the top: across the first channel to the track coming down.
                (0, [(x(a), false), (x(b), false)])
            } else {
                (g.cells[b].rank, [(x(a), true), (x(b), false)])
            };
            edge_legs.push((channel, push_segment(&mut channels[channel], stubs)));
        }
        if e.back && !e.over_top {
            let turn = *e.cells.last().unwrap_or(&e.cells[0]);
            let channel = g.nodes[e.to].rank;
            let stubs = [(x(turn), false), (ports[e.to].cx, false)];
            edge_legs.push((channel, push_segment(&mut channels[channel], stubs)));
        }
        legs.push(edge_legs);
    }
    let tracks: Vec<(Vec<usize>, usize)> = channels.iter().map(|c| assign_tracks(c)).collect();
    let heights = channel_heights(&tracks, label_zone, ranks);
    let extents = rank_extents(
        g,
        ports,
        &Free {
            channels: &channels,
            heights: &heights,
            label_w,
        },
    );
    let rows = vertical_layout(&extents, &heights, top);
    let mut entries = vec![0usize; g.nodes.len()];
    let mut bottom_exits = vec![0usize; g.nodes.len()];
    for e in g.edges.iter().filter(|e| !e.handoff) {
        entries[e.to] += 1;
        if e.side == Side::Bottom {
            bottom_exits[e.from] += 1;
        }
    }
    let mut polylines = Vec::with_capacity(g.edges.len());
    for (e, edge_legs) in g.edges.iter().zip(&legs) {
        let mut pts = Vec::new();
        let (u, v) = (e.from, e.to);
        let (ru, rv) = (g.nodes[u].rank, g.nodes[v].rank);
        let pu = &ports[u];
        let cy = rows.center(ru);
        let u_bottom = cy + pu.h / 2.0;
        match e.side {
            Side::Bottom => pts.push(Point::new(pu.cx, u_bottom)),
            Side::Right | Side::Left => {
                pts.push(Point::new(pu.side_mid(e.side == Side::Right), cy));
                // A handoff runs on across the row into its target (below).
                if let (false, Some(&cell)) = (e.handoff, e.cells.first()) {
                    pts.push(Point::new(g.cells[cell].x, cy));
                }
            }
        }
        for &(channel, seg) in edge_legs {
            let s = &channels[channel][seg];
            if s.hi - s.lo <= 0.0 {
                continue;
            }
            let y = rows.channel_top[channel]
                + label_zone.get(channel).copied().unwrap_or(0.0)
                + TRACK_STEP * (tracks[channel].0[seg] + 1) as f32;
            pts.push(Point::new(s.stubs[0].0, y));
            pts.push(Point::new(s.stubs[1].0, y));
        }
        if e.handoff {
            // Into the target's facing side, on the row's centre line.
            let x = ports[v].side_mid(e.side != Side::Right);
            pts.push(Point::new(x, rows.center(rv)));
            polylines.push(simplify(&pts));
            continue;
        }
        let v_top = rows.center(rv) - ports[v].h / 2.0;
        pts.push(Point::new(ports[v].cx, v_top));
        // Several arrows entering one box, or leaving one port, stay on its centre.
        let lone_entry = entries[v] == 1;
        let lone_exit = bottom_exits[u] == 1;
        polylines.push(drop_small_jogs(
            pts,
            pu,
            &ports[v],
            e.side == Side::Bottom,
            lone_entry,
            lone_exit,
        ));
    }
    (rows, polylines)
}

fn push_segment(channel: &mut Vec<Segment>, stubs: [(f32, bool); 2]) -> usize {
    let (lo, hi) = (stubs[0].0.min(stubs[1].0), stubs[0].0.max(stubs[1].0));
    channel.push(Segment { lo, hi, stubs });
    channel.len() - 1
}

fn overlaps(a: &Segment, b: &Segment) -> bool {
    a.hi - a.lo > 0.0 && b.hi - b.lo > 0.0 && a.lo <= b.hi + 1.0 && b.lo <= a.hi + 1.0
}

/// What it costs to put `a`'s horizontal above `b`'s: crossings it causes, and a heavy
/// price for a collinear overlap of two unrelated verticals.
fn cost_above(a: &Segment, b: &Segment) -> usize {
    let inside = |s: &Segment, x: f32| x > s.lo + 0.5 && x < s.hi - 0.5;
    let mut c = 0;
    for &(x, up) in &b.stubs {
        if up && inside(a, x) {
            c += 1;
        }
    }
    for &(x, up) in &a.stubs {
        if !up && inside(b, x) {
            c += 1;
        }
    }
    for &(xa, up_a) in &a.stubs {
        for &(xb, up_b) in &b.stubs {
            if !up_a && up_b && (xa - xb).abs() < 0.5 {
                c += 10;
            }
        }
    }
    c
}

/// Orders the segments top to bottom and packs them on tracks; returns each segment's
/// track and the number of tracks.
fn assign_tracks(segs: &[Segment]) -> (Vec<usize>, usize) {
    let n = segs.len();
    let active: Vec<usize> = (0..n).filter(|&i| segs[i].hi - segs[i].lo > 0.0).collect();
    let mut score = vec![0i64; n];
    for &i in &active {
        for &j in &active {
            if i != j && overlaps(&segs[i], &segs[j]) {
                score[i] +=
                    cost_above(&segs[i], &segs[j]) as i64 - cost_above(&segs[j], &segs[i]) as i64;
            }
        }
    }
    let mut order = active.clone();
    order.sort_by(|&a, &b| {
        (score[a], segs[a].lo, a)
            .partial_cmp(&(score[b], segs[b].lo, b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    // Adjacent swaps while they lower the cost of an overlapping pair.
    for _ in 0..n {
        let mut changed = false;
        for k in 1..order.len() {
            let (a, b) = (order[k - 1], order[k]);
            if overlaps(&segs[a], &segs[b])
                && cost_above(&segs[b], &segs[a]) < cost_above(&segs[a], &segs[b])
            {
                order.swap(k - 1, k);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut track = vec![0usize; n];
    let mut count = 0;
    for (k, &i) in order.iter().enumerate() {
        let t = order[..k]
            .iter()
            .filter(|&&j| overlaps(&segs[i], &segs[j]))
            .map(|&j| track[j] + 1)
            .max()
            .unwrap_or(0);
        track[i] = t;
        count = count.max(t + 1);
    }
    (track, count)
}

/// Each channel's height: as tall as its tracks (and the labels at its top) need.
fn channel_heights(tracks: &[(Vec<usize>, usize)], label_zone: &[f32], ranks: usize) -> Vec<f32> {
    (0..=ranks)
        .map(|k| {
            let zone = label_zone.get(k).copied().unwrap_or(0.0);
            let needed = zone + TRACK_STEP * (tracks[k].1 + 1) as f32;
            let min = if k == 0 || k == ranks {
                TRACK_STEP
            } else {
                CHANNEL_MIN
            };
            if k == ranks {
                zone.max(TRACK_STEP)
            } else if k == 0 && tracks[k].1 == 0 {
                TRACK_STEP
            } else {
                needed.max(min)
            }
        })
        .collect()
}

/// What is drawn in the channels, for finding room free of it.
struct Free<'a> {
    /// Each channel's segments.
    channels: &'a [Vec<Segment>],
    /// Each channel's height.
    heights: &'a [f32],
    /// The width of the label under each node's bottom exit (0 without one).
    label_w: &'a [f32],
}

/// How far each rank of `g` reaches above and below its centre line, where its steps are
/// centred: half its tallest box each way, and over a step with a comment above (below) it,
/// the step's half height, [`STACK_GAP`] and the comment, less what of that fits in the
/// channel above (below) the rank and the facing half of the rank beyond, where nothing
/// else is drawn over the comment's width: only the rest makes the rank taller, in every
/// lane.
fn rank_extents(g: &Layered, ports: &[Ports], free: &Free) -> Vec<(f32, f32)> {
    let boxes = box_extents(g);
    let mut out = boxes.clone();
    // The channels a comment already stands in, with its span: one per span.
    let mut taken: Vec<(usize, f32, f32)> = Vec::new();
    for s in &g.stacked {
        let rank = g.nodes[s.step].rank;
        let c = &ports[s.comment];
        let (lo, hi) = (c.cx - c.w / 2.0 - TRACK_STEP, c.cx + c.w / 2.0 + TRACK_STEP);
        let (channel, beyond) = match s.at {
            Stack::Above => (rank, rank.checked_sub(1)),
            Stack::Below => (rank + 1, Some(rank + 1).filter(|&r| r < boxes.len())),
        };
        let room = match beyond {
            Some(next)
                if channel_free(free, g, ports, channel, (lo, hi))
                    && !taken
                        .iter()
                        .any(|&(k, a, b)| k == channel && a <= hi && lo <= b) =>
            {
                taken.push((channel, lo, hi));
                let half = match s.at {
                    Stack::Above => boxes[next].1,
                    Stack::Below => boxes[next].0,
                };
                let inside = if rank_free(g, ports, next, (lo, hi)) {
                    half - TRACK_STEP
                } else {
                    0.0
                };
                free.heights[channel] - TRACK_STEP + inside.max(0.0)
            }
            _ => 0.0,
        };
        let need = (stack_reach(g, s) - room).max(0.0);
        let (up, down) = &mut out[rank];
        match s.at {
            Stack::Above => *up = up.max(need),
            Stack::Below => *down = down.max(need),
        }
    }
    out
}

/// How far right of a decision's bottom exit its label starts.
pub(crate) const BOTTOM_LABEL_DX: f32 = 5.0;

/// True when nothing of channel `k` stands over `span` (x from, to): no horizontal run or
/// vertical pass of a flow, no label under a decision of the rank above.
fn channel_free(free: &Free, g: &Layered, ports: &[Ports], k: usize, span: (f32, f32)) -> bool {
    let (lo, hi) = span;
    let runs = free.channels[k].iter().all(|s| s.hi < lo || s.lo > hi);
    let labels = g.nodes.iter().enumerate().all(|(n, info)| {
        let w = free.label_w.get(n).copied().unwrap_or(0.0);
        let x = ports[n].cx;
        w == 0.0 || info.rank + 1 != k || x + BOTTOM_LABEL_DX + w < lo || x > hi
    });
    runs && labels
}

/// True when nothing of rank `r` stands over `span`: no box, port or flow's cell, and no
/// flow running across the rank (a side exit to its turn, a handoff) over it.
fn rank_free(g: &Layered, ports: &[Ports], r: usize, span: (f32, f32)) -> bool {
    let (lo, hi) = span;
    let apart = |a: f32, b: f32| b < lo || a > hi;
    let cells = g
        .cells
        .iter()
        .filter(|c| c.rank == r)
        .all(|c| apart(c.x - c.w / 2.0, c.x + c.w / 2.0));
    let runs = g.edges.iter().all(|e| {
        if g.nodes[e.from].rank != r || e.side == Side::Bottom {
            return true;
        }
        let from = ports[e.from].cx;
        let to = if e.handoff {
            ports[e.to].cx
        } else {
            e.cells.first().map_or(from, |&c| g.cells[c].x)
        };
        apart(from.min(to), from.max(to))
    });
    cells && runs
}

/// The rows: each channel as tall as `heights` says, each rank as its `extents` above and
/// below its centre line.
fn vertical_layout(extents: &[(f32, f32)], heights: &[f32], top: f32) -> Rows {
    let mut rows = Rows::default();
    let mut y = top;
    let ranks = extents.len();
    for (k, &h) in heights.iter().enumerate().take(ranks + 1) {
        rows.channel_top.push(y);
        rows.channel_h.push(h);
        y += h;
        if k < ranks {
            let (up, down) = extents[k];
            rows.rank_top.push(y);
            rows.rank_h.push(up + down);
            rows.rank_up.push(up);
            y += up + down;
        }
    }
    rows.bottom = y;
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(a: (f32, bool), b: (f32, bool)) -> Segment {
        Segment {
            lo: a.0.min(b.0),
            hi: a.0.max(b.0),
            stubs: [a, b],
        }
    }

    #[test]
    fn jogs_to_the_right_stack_without_crossing() {
        // Two flows going down and to the right: the one further right goes on top.
        let segs = vec![
            seg((0.0, true), (10.0, false)),
            seg((5.0, true), (15.0, false)),
        ];
        let (tracks, count) = assign_tracks(&segs);
        assert_eq!(count, 2);
        assert_eq!(tracks, vec![1, 0]);
        assert_eq!(cost_above(&segs[1], &segs[0]), 0);
    }

    #[test]
    fn disjoint_segments_share_a_track() {
        let segs = vec![
            seg((0.0, true), (10.0, false)),
            seg((20.0, true), (30.0, false)),
        ];
        assert_eq!(assign_tracks(&segs), (vec![0, 0], 1));
    }
}
