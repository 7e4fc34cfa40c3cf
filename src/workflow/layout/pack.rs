//! Lane packing, after placement and compaction: each lane is made as narrow as the order of
//! its rows allows. Cells joined by a straight flow in the lane (a vertical stack) move as
//! one block; every row keeps its order and its separations. The blocks are first pushed
//! left as far as the separations let them (the lane's narrowest width), then each block
//! slides, inside the room its row neighbours leave and without widening the lane, onto
//! the x of a neighbour it is linked to: a flow between the two becomes straight.
//!
//! The median pulls of placement lean cells towards the lanes they are linked to, which can
//! leave a lane as wide as its longest horizontal run while it holds one narrow step per
//! row; compaction removes only the columns no row uses. Packing removes the rest.

use super::graph::{Adjacency, Layered};
use super::place::{self, separation, stack_roots_in};

/// Rounds of "push left, then slide onto neighbours": a slide can align two blocks, which
/// then move as one in the next round.
const ROUNDS: usize = 2;
/// Slides per round.
const SLIDES: usize = 4;

/// Packs every lane of `g` (lane-local x); `bottom_label_w[node]` is the width of the label
/// under a decision's bottom vertex.
pub(crate) fn pack_lanes(g: &mut Layered, lanes: usize, bottom_label_w: &[f32]) {
    let (up, down) = (Adjacency::up(g), Adjacency::down(g));
    for lane in 0..lanes {
        for _ in 0..ROUNDS {
            let saved: Vec<f32> = g.cells.iter().map(|c| c.x).collect();
            if !pack_lane(g, lane, &up, &down, bottom_label_w) {
                for (c, x) in g.cells.iter_mut().zip(saved) {
                    c.x = x;
                }
                break;
            }
            // A round depends on the cells' x alone: after one that moved nothing, the next
            // would move nothing either.
            if place::same_xs(g, &saved) {
                break;
            }
        }
    }
}

/// The blocks of one lane and the separations between them.
struct Blocks {
    /// The block of each cell of the lane (usize::MAX for cells of other lanes).
    of: Vec<usize>,
    /// Each block's cells.
    cells: Vec<Vec<usize>>,
    /// Each cell's offset from its block's reference x.
    offset: Vec<f32>,
    /// Constraints `x[b] >= x[a] + d`, as (a, b, d), between row neighbours.
    seps: Vec<(usize, usize, f32)>,
}

/// Packs one lane; false when its rows cannot be packed as blocks (a block would have to
/// lie on both sides of another), and nothing was changed that matters.
fn pack_lane(
    g: &mut Layered,
    lane: usize,
    up: &Adjacency,
    down: &Adjacency,
    bottom_label_w: &[f32],
) -> bool {
    let blocks = blocks_of(g, lane, down, bottom_label_w);
    let n = blocks.cells.len();
    if n == 0 {
        return true;
    }
    let Some(topo) = topological(n, &blocks.seps) else {
        return false;
    };
    // Leftmost positions (longest path from the left).
    let mut left = vec![0.0f32; n];
    let preds = Adjacency::of(n, blocks.seps.iter().map(|&(a, b, d)| (b, (a, d))));
    let succs = Adjacency::of(n, blocks.seps.iter().map(|&(a, b, d)| (a, (b, d))));
    let lo_extent = |b: usize| {
        blocks.cells[b]
            .iter()
            .map(|&c| blocks.offset[c] - g.cells[c].w / 2.0)
            .fold(f32::MAX, f32::min)
    };
    let hi_extent = |b: usize| {
        blocks.cells[b]
            .iter()
            .map(|&c| blocks.offset[c] + g.cells[c].w / 2.0)
            .fold(f32::MIN, f32::max)
    };
    for &b in &topo {
        let from_box = -lo_extent(b);
        left[b] = preds[b]
            .iter()
            .map(|&(a, d)| left[a] + d)
            .fold(from_box, f32::max);
    }
    let width = (0..n)
        .map(|b| left[b] + hi_extent(b))
        .fold(0.0f32, f32::max);
    // Rightmost positions within that width.
    let mut right = vec![0.0f32; n];
    for &b in topo.iter().rev() {
        let to_box = width - hi_extent(b);
        right[b] = succs[b]
            .iter()
            .map(|&(s, d)| right[s] - d)
            .fold(to_box, f32::min);
    }
    let mut x = left.clone();
    let mut before: Vec<f32> = Vec::new();
    for _ in 0..SLIDES {
        // A slide depends on the blocks' x alone: one that moved nothing would be followed
        // by slides that move nothing.
        if before
            .iter()
            .map(|v| v.to_bits())
            .eq(x.iter().map(|v| v.to_bits()))
        {
            break;
        }
        before.clone_from(&x);
        for &b in &topo {
            let (lo, hi) = place::room(&preds[b], &succs[b], &x, left[b], right[b]);
            if lo > hi + 0.01 {
                continue;
            }
            x[b] = slide_target(&blocks, b, &x, up, down)
                .map_or(lo, |targets| choose(&targets, x[b], lo, hi));
        }
    }
    for (b, cells) in blocks.cells.iter().enumerate() {
        for &c in cells {
            g.cells[c].x = (x[b] + blocks.offset[c]).round();
        }
    }
    true
}

/// The reference x each same-lane neighbour outside block `b` would align `b` at.
fn slide_target(
    blocks: &Blocks,
    b: usize,
    x: &[f32],
    up: &Adjacency,
    down: &Adjacency,
) -> Option<Vec<f32>> {
    let mut out = Vec::new();
    for &c in &blocks.cells[b] {
        for &o in up[c].iter().chain(&down[c]) {
            let ob = blocks.of[o];
            if ob == usize::MAX || ob == b {
                continue;
            }
            out.push(x[ob] + blocks.offset[o] - blocks.offset[c]);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The target most neighbours share among those inside [lo, hi] (nearest to `here` on a
/// tie); when none fits, the median clamped into the room.
fn choose(targets: &[f32], here: f32, lo: f32, hi: f32) -> f32 {
    let mut best: Option<(usize, f32)> = None;
    for &t in targets {
        if t < lo - 0.01 || t > hi + 0.01 {
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
    if let Some((_, t)) = best {
        return t.clamp(lo, hi.max(lo));
    }
    let mut sorted = targets.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    sorted[(sorted.len() - 1) / 2].clamp(lo, hi.max(lo))
}

/// Cuts lane `lane` into blocks (cells joined by straight same-lane links) and lists the
/// separations between neighbours in each row.
fn blocks_of(g: &Layered, lane: usize, down: &Adjacency, bottom_label_w: &[f32]) -> Blocks {
    let n = g.cells.len();
    let stack_of = stack_roots_in(g, down, Some(lane));
    let mut of = vec![usize::MAX; n];
    let mut cells: Vec<Vec<usize>> = Vec::new();
    // The block of each stack, by its root (a cell).
    let mut index = vec![usize::MAX; n];
    for (c, slot) in of.iter_mut().enumerate() {
        if g.cells[c].lane != lane {
            continue;
        }
        let root = stack_of[c];
        if index[root] == usize::MAX {
            cells.push(Vec::new());
            index[root] = cells.len() - 1;
        }
        let b = index[root];
        *slot = b;
        cells[b].push(c);
    }
    let mut offset = vec![0.0f32; n];
    for members in &cells {
        let reference = g.cells[members[0]].x;
        for &c in members {
            offset[c] = g.cells[c].x - reference;
        }
    }
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for (c, &b) in of.iter().enumerate() {
        if b != usize::MAX {
            let rank = g.cells[c].rank;
            if rows.len() <= rank {
                rows.resize_with(rank + 1, Vec::new);
            }
            rows[rank].push(c);
        }
    }
    let mut seps = Vec::new();
    for row in &mut rows {
        row.sort_by(|&a, &b| {
            g.cells[a]
                .x
                .partial_cmp(&g.cells[b].x)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        for w in row.windows(2) {
            let (a, b) = (w[0], w[1]);
            let d = separation(g, a, b, bottom_label_w);
            let (ba, bb) = (of[a], of[b]);
            if ba == bb {
                continue;
            }
            seps.push((ba, bb, d + offset[a] - offset[b]));
        }
    }
    Blocks {
        of,
        cells,
        offset,
        seps,
    }
}

/// The blocks in an order where every constraint goes forward; None on a cycle.
fn topological(n: usize, seps: &[(usize, usize, f32)]) -> Option<Vec<usize>> {
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, _) in seps {
        indegree[b] += 1;
        out[a].push(b);
    }
    let mut ready: Vec<usize> = (0..n).filter(|&b| indegree[b] == 0).rev().collect();
    let mut order = Vec::with_capacity(n);
    while let Some(b) = ready.pop() {
        order.push(b);
        for &s in out[b].iter().rev() {
            indegree[s] -= 1;
            if indegree[s] == 0 {
                ready.push(s);
            }
        }
    }
    (order.len() == n).then_some(order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::layout::graph::{Cell, CellKind};

    #[test]
    fn a_port_far_from_its_box_comes_back_with_the_stack_under_it() {
        // Box A (100 wide) in rank 0 with its right port 400 px away; the port's flow runs
        // straight down into box B in rank 1. Compaction cannot help (the port is in A's
        // group, whose extent overlaps B's); packing brings the port to its separation from
        // A (50 + 18) and B along with it, still straight under the port.
        let mut g = Layered {
            cells: vec![
                Cell::at(0, CellKind::Node(0), 100.0, 0.0),
                Cell::at(
                    0,
                    CellKind::Side {
                        node: 0,
                        right: true,
                        label_w: 0.0,
                    },
                    0.0,
                    400.0,
                ),
                Cell::at(1, CellKind::Node(1), 100.0, 400.0),
            ],
            links: vec![(1, 2)],
            groups: vec![vec![0, 1], vec![2]],
            ranks: 2,
            ..Layered::default()
        };
        pack_lanes(&mut g, 1, &[0.0, 0.0]);
        let xs: Vec<f32> = g.cells.iter().map(|c| c.x).collect();
        assert_eq!(xs, vec![50.0, 118.0, 118.0]);
    }
}
