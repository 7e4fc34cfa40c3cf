//! Horizontal placement inside each lane: every cell is pulled towards the median of its
//! neighbours (so chains of steps and long flows run straight), under the minimum distances
//! its neighbours in the rank need (boxes, ports and the labels beside exits). Each pull is
//! solved exactly as an isotonic regression (pool adjacent violators).

use super::graph::{Adjacency, CellKind, Layered};
use super::order::is_box;

/// Space between two boxes side by side.
pub(crate) const BOX_GAP: f32 = 40.0;
/// Space between a box and a track, or two tracks.
pub(crate) const TRACK_GAP: f32 = 18.0;
/// Room between a port and the start of its label, and after the label.
pub(crate) const LABEL_ROOM: f32 = 22.0;
/// Sweeps of median pulls.
const SWEEPS: usize = 8;

/// Places the cells of `order` (cells of each rank, left to right) in lane-local x;
/// `bottom_label_w[node]` is the width of the label under a decision's bottom vertex.
pub(crate) fn place(g: &mut Layered, order: &[Vec<usize>], lanes: usize, bottom_label_w: &[f32]) {
    let down = Adjacency::down(g);
    // A loop's turn cell also leans towards the step it turns into.
    let partners = g
        .cells
        .iter()
        .enumerate()
        .filter_map(|(c, cell)| cell.partner.map(|p| (c, p)));
    let up = Adjacency::of(
        g.cells.len(),
        g.links.iter().map(|&(a, b)| (b, a)).chain(partners),
    );
    // Rows of one lane in one rank.
    let rows: Vec<Vec<Vec<usize>>> = (0..lanes)
        .map(|lane| {
            order
                .iter()
                .map(|r| {
                    r.iter()
                        .copied()
                        .filter(|&c| g.cells[c].lane == lane)
                        .collect()
                })
                .collect()
        })
        .collect();
    let seps: Vec<Vec<Vec<f32>>> = rows
        .iter()
        .map(|lane_rows| {
            lane_rows
                .iter()
                .map(|row| {
                    row.windows(2)
                        .map(|w| separation(g, w[0], w[1], bottom_label_w))
                        .collect()
                })
                .collect()
        })
        .collect();
    for (lane_rows, lane_seps) in rows.iter().zip(&seps) {
        for (row, sep) in lane_rows.iter().zip(lane_seps) {
            let mut x = 0.0;
            for (i, &c) in row.iter().enumerate() {
                if i > 0 {
                    x += sep[i - 1];
                }
                g.cells[c].x = x;
            }
        }
    }
    // Buffers shared by every row of every sweep.
    let mut desired: Vec<f32> = Vec::new();
    let mut xs: Vec<f32> = Vec::new();
    let mut pav = Pav::default();
    // The sweeps run to the end: they were seen never to come back to where they were two
    // sweeps before (the generated 15 and 100 steps, support-complet, probleme), unlike the
    // passes below.
    for sweep in 0..SWEEPS {
        let downwards = sweep % 2 == 0;
        let frame = LaneFrame::new(g, lanes, &up, &down);
        for (lane_rows, lane_seps) in rows.iter().zip(&seps) {
            let n = lane_rows.len();
            for k in 0..n {
                let r = if downwards { k } else { n - 1 - k };
                let row = &lane_rows[r];
                if row.is_empty() {
                    continue;
                }
                desired.clear();
                for &c in row {
                    let (primary, secondary) = if downwards {
                        (&up[c], &down[c])
                    } else {
                        (&down[c], &up[c])
                    };
                    desired.push(desired_x(g, &frame, c, primary, secondary, &mut xs));
                }
                pav.solve(&desired, &lane_seps[r]);
                for (&c, &x) in row.iter().zip(&pav.out) {
                    g.cells[c].x = x;
                }
            }
        }
    }
    for cell in &mut g.cells {
        cell.x = cell.x.round();
    }
    // Where each cell sits: its row (lane, rank) and its index in it.
    let mut slot = vec![(0usize, 0usize, 0usize); g.cells.len()];
    for (lane, lane_rows) in rows.iter().enumerate() {
        for (rank, row) in lane_rows.iter().enumerate() {
            for (i, &c) in row.iter().enumerate() {
                slot[c] = (lane, rank, i);
            }
        }
    }
    let mut before: Vec<f32> = Vec::new();
    for _ in 0..4 {
        before.clear();
        before.extend(g.cells.iter().map(|c| c.x));
        straighten(g, &rows, &seps, &slot, &up, &down);
        align_stacks(g, &rows, &seps, &slot, &up, &down);
        // Both passes depend on the cells' x alone: once they move nothing, the rounds
        // left would move nothing either.
        if same_xs(g, &before) {
            break;
        }
    }
}

/// Where an item at positions `x` may stand between its neighbours: at least each
/// predecessor's x plus its gap (`preds`, (item, gap)) and `lo`, at most each successor's x
/// minus its gap (`succs`) and `hi`.
pub(super) fn room(
    preds: &[(usize, f32)],
    succs: &[(usize, f32)],
    x: &[f32],
    lo: f32,
    hi: f32,
) -> (f32, f32) {
    let lo = preds.iter().map(|&(p, d)| x[p] + d).fold(lo, f32::max);
    let hi = succs.iter().map(|&(s, d)| x[s] - d).fold(hi, f32::min);
    (lo, hi)
}

/// True when every cell of `g` stands at the x of `xs` (the same bits).
pub(super) fn same_xs(g: &Layered, xs: &[f32]) -> bool {
    g.cells.len() == xs.len()
        && g.cells
            .iter()
            .zip(xs)
            .all(|(c, &x)| c.x.to_bits() == x.to_bits())
}

/// Moves whole vertical stacks (cells joined by straight flows) onto the x of a neighbour
/// outside the stack when every row of the stack leaves room: a chain split in two columns
/// becomes one.
fn align_stacks(
    g: &mut Layered,
    rows: &[Vec<Vec<usize>>],
    seps: &[Vec<Vec<f32>>],
    slot: &[(usize, usize, usize)],
    up: &Adjacency,
    down: &Adjacency,
) {
    let stacks = Stacks::new(g, down);
    let stack_of = &stacks.of;
    let room = |g: &Layered, c: usize| {
        let (lane, rank, i) = slot[c];
        let row = &rows[lane][rank];
        let sep = &seps[lane][rank];
        let lo = if i > 0 {
            g.cells[row[i - 1]].x + sep[i - 1]
        } else {
            f32::MIN
        };
        let hi = if i + 1 < row.len() {
            g.cells[row[i + 1]].x - sep[i]
        } else {
            f32::MAX
        };
        (lo, hi)
    };
    for root in 0..stack_of.len() {
        let members = stacks.members(root);
        if members.is_empty() {
            continue;
        }
        let here = g.cells[members[0]].x;
        let mut gains: Vec<(f32, usize)> = Vec::new();
        for &c in members {
            for &o in up[c].iter().chain(&down[c]) {
                if g.cells[o].lane != g.cells[c].lane || stack_of[o] == root {
                    continue;
                }
                let x = g.cells[o].x;
                match gains.iter_mut().find(|(gx, _)| (*gx - x).abs() < 0.5) {
                    Some(entry) => entry.1 += 1,
                    None => gains.push((x, 1)),
                }
            }
        }
        gains.sort_by(|a, b| {
            (b.1, (a.0 - here).abs())
                .partial_cmp(&(a.1, (b.0 - here).abs()))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        // Cells of the stack may sit side by side in no row, so each checks its own room.
        let fits = |g: &Layered, x: f32| {
            members.iter().all(|&c| {
                let (lo, hi) = room(g, c);
                x >= lo - 0.01 && x <= hi + 0.01
            })
        };
        if let Some(&(x, _)) = gains.iter().find(|(x, _)| fits(g, *x)) {
            for &c in members {
                g.cells[c].x = x;
            }
        }
    }
}

/// Where each lane sits in the last sweep, to pull cells towards neighbours in other lanes.
struct LaneFrame {
    offset: Vec<f32>,
    lo: Vec<f32>,
    hi: Vec<f32>,
}

impl LaneFrame {
    /// Lane extents are measured on the cells held by a neighbour in their own lane, so a
    /// cell leaning towards another lane cannot widen its lane by itself.
    fn new(g: &Layered, lanes: usize, up: &Adjacency, down: &Adjacency) -> LaneFrame {
        let mut lo = vec![f32::MAX; lanes];
        let mut hi = vec![f32::MIN; lanes];
        for (i, c) in g.cells.iter().enumerate() {
            let anchored = up[i]
                .iter()
                .chain(&down[i])
                .any(|&o| g.cells[o].lane == c.lane);
            if !anchored {
                continue;
            }
            lo[c.lane] = lo[c.lane].min(c.x - c.w / 2.0);
            hi[c.lane] = hi[c.lane].max(c.x + c.w / 2.0);
        }
        let mut offset = vec![0.0; lanes];
        let mut left = 0.0;
        for k in 0..lanes {
            if lo[k] > hi[k] {
                lo[k] = 0.0;
                hi[k] = 0.0;
            }
            offset[k] = left - lo[k];
            left += hi[k] - lo[k] + 2.0 * BOX_GAP;
        }
        LaneFrame { offset, lo, hi }
    }
}

/// The median of the neighbours in the same lane (the reference rank first, else the other
/// one); a cell linked only to other lanes leans towards them, staying within its lane.
fn desired_x(
    g: &Layered,
    frame: &LaneFrame,
    c: usize,
    primary: &[usize],
    secondary: &[usize],
    xs: &mut Vec<f32>,
) -> f32 {
    let lane = g.cells[c].lane;
    for list in [primary, secondary] {
        xs.clear();
        xs.extend(
            list.iter()
                .filter(|&&o| g.cells[o].lane == lane)
                .map(|&o| g.cells[o].x),
        );
        if let Some(m) = median(xs) {
            return m;
        }
    }
    xs.clear();
    xs.extend(
        primary
            .iter()
            .chain(secondary)
            .map(|&o| g.cells[o].x + frame.offset[g.cells[o].lane] - frame.offset[lane]),
    );
    match median(xs) {
        Some(m) => m.clamp(
            frame.lo[lane] + g.cells[c].w / 2.0,
            (frame.hi[lane] - g.cells[c].w / 2.0).max(frame.lo[lane] + g.cells[c].w / 2.0),
        ),
        None => g.cells[c].x,
    }
}

/// Moves each cell onto the x of one of its same-lane neighbours, choosing the x most of
/// its neighbours share, and pushes the cells beside it along when they lose no alignment
/// of their own: a flow between two aligned cells is one straight segment.
fn straighten(
    g: &mut Layered,
    rows: &[Vec<Vec<usize>>],
    seps: &[Vec<Vec<f32>>],
    slot: &[(usize, usize, usize)],
    up: &Adjacency,
    down: &Adjacency,
) {
    let grid = Grid::new(g, rows, seps, slot, down);
    // Buffers shared by every cell.
    let mut xs: Vec<f32> = Vec::new();
    let mut candidates: Vec<(usize, f32)> = Vec::new();
    for (lane_rows, lane_seps) in rows.iter().zip(seps) {
        for (row, sep) in lane_rows.iter().zip(lane_seps) {
            for i in 0..row.len() {
                let c = row[i];
                xs.clear();
                xs.extend(same_lane_neighbour_xs(g, c, up, down));
                let here = g.cells[c].x;
                let aligned_now = xs.iter().filter(|&&x| (x - here).abs() < 0.5).count();
                candidates.clear();
                candidates.extend(
                    xs.iter()
                        .map(|&x| (xs.iter().filter(|&&y| (y - x).abs() < 0.5).count(), x))
                        .filter(|&(n, _)| n > aligned_now),
                );
                candidates.sort_by(|a, b| {
                    (b.0, (a.1 - here).abs())
                        .partial_cmp(&(a.0, (b.1 - here).abs()))
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
                for &(_, x) in &candidates {
                    if let Some(moves) = plan_move(g, &grid, row, sep, i, x, up, down) {
                        for (cell, nx) in moves {
                            g.cells[cell].x = nx;
                        }
                        break;
                    }
                }
            }
        }
    }
}

fn same_lane_neighbour_xs<'a>(
    g: &'a Layered,
    c: usize,
    up: &'a Adjacency,
    down: &'a Adjacency,
) -> impl Iterator<Item = f32> + Clone + 'a {
    let lane = g.cells[c].lane;
    up[c]
        .iter()
        .chain(&down[c])
        .filter(move |&&o| g.cells[o].lane == lane && o != c)
        .map(|&o| g.cells[o].x)
}

/// The moves that put `row[i]` at `x`, pushing its neighbours in the row as far as the
/// separations require; None when a pushed cell would lose an alignment it has.
#[allow(clippy::too_many_arguments)]
fn plan_move(
    g: &Layered,
    grid: &Grid,
    row: &[usize],
    sep: &[f32],
    i: usize,
    x: f32,
    up: &Adjacency,
    down: &Adjacency,
) -> Option<Vec<(usize, f32)>> {
    let mut moves = vec![(row[i], x)];
    let keeps_alignment = |c: usize, nx: f32| {
        let mut xs = same_lane_neighbour_xs(g, c, up, down);
        let here = g.cells[c].x;
        !xs.clone().any(|y| (y - here).abs() < 0.5) || xs.any(|y| (y - nx).abs() < 0.5)
    };
    let mut last = x;
    for j in i + 1..row.len() {
        let need = last + sep[j - 1];
        if g.cells[row[j]].x >= need - 0.01 {
            break;
        }
        if !keeps_alignment(row[j], need) {
            moves.extend(grid.carry(g, row[j], need - g.cells[row[j]].x)?);
        }
        moves.push((row[j], need));
        last = need;
    }
    let mut last = x;
    for j in (0..i).rev() {
        let need = last - sep[j];
        if g.cells[row[j]].x <= need + 0.01 {
            break;
        }
        if !keeps_alignment(row[j], need) {
            moves.extend(grid.carry(g, row[j], need - g.cells[row[j]].x)?);
        }
        moves.push((row[j], need));
        last = need;
    }
    Some(moves)
}

/// The cells' places in their rows, and the vertical stacks of aligned cells, so that a cell
/// pushed aside can take its whole stack along.
struct Grid<'a> {
    rows: &'a [Vec<Vec<usize>>],
    seps: &'a [Vec<Vec<f32>>],
    slot: &'a [(usize, usize, usize)],
    stacks: Stacks,
}

impl<'a> Grid<'a> {
    fn new(
        g: &Layered,
        rows: &'a [Vec<Vec<usize>>],
        seps: &'a [Vec<Vec<f32>>],
        slot: &'a [(usize, usize, usize)],
        down: &Adjacency,
    ) -> Grid<'a> {
        Grid {
            rows,
            seps,
            slot,
            stacks: Stacks::new(g, down),
        }
    }

    /// The lowest and highest x the cell may take without moving its row neighbours.
    fn room(&self, g: &Layered, c: usize) -> (f32, f32) {
        let (lane, rank, i) = self.slot[c];
        let row = &self.rows[lane][rank];
        let sep = &self.seps[lane][rank];
        let lo = if i > 0 {
            g.cells[row[i - 1]].x + sep[i - 1]
        } else {
            f32::MIN
        };
        let hi = if i + 1 < row.len() {
            g.cells[row[i + 1]].x - sep[i]
        } else {
            f32::MAX
        };
        (lo, hi)
    }

    /// The moves that shift the other cells of `c`'s stack by `delta`, when each has room.
    fn carry(&self, g: &Layered, c: usize, delta: f32) -> Option<Vec<(usize, f32)>> {
        let mut moves = Vec::new();
        for &m in self.stacks.members(self.stacks.of[c]) {
            if m == c {
                continue;
            }
            let nx = g.cells[m].x + delta;
            let (lo, hi) = self.room(g, m);
            if nx < lo - 0.01 || nx > hi + 0.01 {
                return None;
            }
            moves.push((m, nx));
        }
        Some(moves)
    }
}

/// The vertical stacks of the cells (see [`stack_roots`]).
struct Stacks {
    /// The root of each cell's stack.
    of: Vec<usize>,
    /// The cells of each root's stack, in cell order (none for a cell that is no root).
    cells: Adjacency,
}

impl Stacks {
    fn new(g: &Layered, down: &Adjacency) -> Stacks {
        let of = stack_roots(g, down);
        // One list for all stacks instead of one per cell: this runs eight times per
        // placement.
        let cells = Adjacency::of(of.len(), of.iter().enumerate().map(|(c, &root)| (root, c)));
        Stacks { of, cells }
    }

    /// The cells of the stack named `root`, in cell order (none when `root` names none).
    fn members(&self, root: usize) -> &[usize] {
        &self.cells[root]
    }
}

fn median(xs: &mut [f32]) -> Option<f32> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let n = xs.len();
    Some(if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    })
}

/// The smallest distance between the centres of two cells side by side (`a` left of `b`).
pub(crate) fn separation(g: &Layered, a: usize, b: usize, bottom_label_w: &[f32]) -> f32 {
    let (ca, cb) = (&g.cells[a], &g.cells[b]);
    let gap = if is_box(&ca.kind) && is_box(&cb.kind) {
        BOX_GAP
    } else {
        TRACK_GAP
    };
    let mut sep = ca.w / 2.0 + cb.w / 2.0 + gap;
    // A right port's label lies between the port (or the previous port cell) and its cell.
    if let CellKind::Side {
        right: true,
        label_w,
        ..
    } = cb.kind
        && label_w > 0.0
    {
        sep = sep.max(ca.w / 2.0 + label_w + LABEL_ROOM);
    }
    // A left port's label lies between its cell and the port (or the next port cell).
    if let CellKind::Side {
        right: false,
        label_w,
        ..
    } = ca.kind
        && label_w > 0.0
    {
        sep = sep.max(cb.w / 2.0 + label_w + LABEL_ROOM);
    }
    // The label under a decision's bottom vertex reaches right of its centre.
    if let CellKind::Node(n) = ca.kind
        && bottom_label_w[n] > 0.0
        && is_box(&cb.kind)
    {
        sep = sep.max(bottom_label_w[n] + LABEL_ROOM + cb.w / 2.0);
    }
    sep
}

/// Positions as close as possible (least squares) to `desired`, in the same order, with
/// `x[i+1] - x[i] >= sep[i]`.
#[cfg(test)]
fn pool_adjacent_violators(desired: &[f32], sep: &[f32]) -> Vec<f32> {
    let mut pav = Pav::default();
    pav.solve(desired, sep);
    pav.out
}

/// The buffers of [`Pav::solve`], kept from one row to the next.
#[derive(Default)]
struct Pav {
    offset: Vec<f32>,
    /// Blocks of pooled targets: (mean, count).
    blocks: Vec<(f32, usize)>,
    /// The positions found.
    out: Vec<f32>,
}

impl Pav {
    /// Positions as close as possible (least squares) to `desired`, in the same order, with
    /// `x[i+1] - x[i] >= sep[i]`, into `self.out`.
    fn solve(&mut self, desired: &[f32], sep: &[f32]) {
        let n = desired.len();
        let Pav {
            offset,
            blocks,
            out,
        } = self;
        offset.clear();
        offset.resize(n, 0.0);
        for i in 1..n {
            offset[i] = offset[i - 1] + sep[i - 1];
        }
        blocks.clear();
        for i in 0..n {
            let mut mean = desired[i] - offset[i];
            let mut count = 1;
            while let Some(&(m, k)) = blocks.last() {
                if m < mean {
                    break;
                }
                blocks.pop();
                mean = (m * k as f32 + mean * count as f32) / (k + count) as f32;
                count += k;
            }
            blocks.push((mean, count));
        }
        out.clear();
        for &(mean, count) in blocks.iter() {
            for _ in 0..count {
                let i = out.len();
                out.push(mean + offset[i]);
            }
        }
    }
}

/// The stack of each cell: cells joined by a straight link (same lane, same x, one rank
/// below the other) share one, named by one of its cells. The names depend only on the
/// links, so every pass that groups cells by stack groups them the same way.
pub(super) fn stack_roots(g: &Layered, down: &Adjacency) -> Vec<usize> {
    stack_roots_in(g, down, None)
}

/// [`stack_roots`] for the cells of `lane` only (all lanes for None); the roots of other
/// lanes' cells are meaningless. A stack never leaves its lane and the cells are joined in
/// the same order, so a lane's cells get the roots [`stack_roots`] gives them.
pub(super) fn stack_roots_in(g: &Layered, down: &Adjacency, lane: Option<usize>) -> Vec<usize> {
    let n = g.cells.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (c, below) in down.iter().enumerate() {
        if lane.is_some_and(|l| g.cells[c].lane != l) {
            continue;
        }
        for &o in below {
            if g.cells[o].lane == g.cells[c].lane && (g.cells[o].x - g.cells[c].x).abs() < 0.5 {
                let (a, b) = (find(&mut parent, c), find(&mut parent, o));
                parent[a] = b;
            }
        }
    }
    (0..n)
        .map(|c| {
            if lane.is_some_and(|l| g.cells[c].lane != l) {
                c
            } else {
                find(&mut parent, c)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pav_keeps_separations_and_stays_close() {
        let x = pool_adjacent_violators(&[0.0, 0.0, 100.0], &[10.0, 10.0]);
        assert_eq!(x, vec![-5.0, 5.0, 100.0]);
        let x = pool_adjacent_violators(&[50.0, 0.0], &[20.0]);
        assert_eq!(x, vec![15.0, 35.0]);
    }
}
