//! Ordering cells within ranks to minimise crossings: barycentre sweeps that keep each
//! node's port cells beside it and lanes in their declared order, started from two seeds —
//! the file order, and layout-rs's edge-crossing optimiser when the graph is small enough
//! for its quadratic passes — keeping the order with the fewest crossings, then swapping
//! neighbouring groups wherever that removes crossings the averages cannot see.

use layout::adt::dag::{DAG, NodeHandle};
use layout::topo::optimizer::EdgeCrossOptimizer;

use super::graph::{Adjacency, CellKind, Layered, Side};

/// Orders the groups of every rank; returns, for each rank, its cells left to right.
pub(crate) trait Orderer {
    /// The cells of each rank, left to right.
    fn order(&self, g: &Layered) -> Vec<Vec<usize>>;

    /// The cells of each rank of `g`, starting from the order `previous` found for a variant
    /// of the same graph (same cells and links, some ports on the other side).
    fn reorder(&self, g: &Layered, previous: &[Vec<usize>]) -> Vec<Vec<usize>>;
}

/// Above this many cells, layout-rs's optimiser (quadratic in the width of a rank, 50
/// rounds) costs more than it brings, and only the file-order seed is used.
const LAYOUT_RS_MAX_CELLS: usize = 120;
/// Barycentre rounds (one down and one up sweep each) per seed.
const ROUNDS: usize = 6;
/// Passes of neighbour swaps after each sweep.
const TRANSPOSE_PASSES: usize = 4;

/// Barycentre ordering seeded by the file order and by layout-rs.
pub(crate) struct BarycentreOrderer;

impl Orderer for BarycentreOrderer {
    fn order(&self, g: &Layered) -> Vec<Vec<usize>> {
        let ctx = Context::new(g);
        let mut best = ctx.improve(ctx.file_order());
        let mut best_crossings = ctx.crossings(&best);
        if g.cells.len() <= LAYOUT_RS_MAX_CELLS && best_crossings > 0 {
            let seeded = ctx.improve(ctx.layout_rs_order());
            let c = ctx.crossings(&seeded);
            if c < best_crossings {
                best = seeded;
                best_crossings = c;
            }
        }
        let _ = best_crossings;
        ctx.cells_of(&best)
    }

    fn reorder(&self, g: &Layered, previous: &[Vec<usize>]) -> Vec<Vec<usize>> {
        let ctx = Context::new(g);
        let mut pos = vec![0.0f32; g.cells.len()];
        for row in previous {
            for (i, &c) in row.iter().enumerate() {
                if let Some(p) = pos.get_mut(c) {
                    *p = i as f32;
                }
            }
        }
        let mut ranks = ctx.file_order();
        for r in &mut ranks {
            let key = |gi: &usize| {
                let cells = &g.groups[*gi];
                let mean = cells.iter().map(|&c| pos[c]).sum::<f32>() / cells.len() as f32;
                (ctx.lane_of(*gi), mean)
            };
            r.sort_by(|a, b| {
                key(a)
                    .partial_cmp(&key(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        ctx.cells_of(&ctx.improve(ranks))
    }
}

struct Context<'a> {
    g: &'a Layered,
    /// For each group, its rank.
    group_rank: Vec<usize>,
    /// Neighbours of each cell in the rank above and below.
    up: Adjacency,
    down: Adjacency,
    /// The links from each rank to the next, in the order of `g.links`.
    links_by_rank: Vec<Vec<(usize, usize)>>,
    /// The file-order key of each group.
    origin: Vec<f32>,
}

impl<'a> Context<'a> {
    fn new(g: &'a Layered) -> Self {
        let mut group_rank = vec![0; g.groups.len()];
        for (gi, group) in g.groups.iter().enumerate() {
            for &c in group {
                group_rank[gi] = g.cells[c].rank;
            }
        }
        let (up, down) = (Adjacency::up(g), Adjacency::down(g));
        let mut links_by_rank: Vec<Vec<(usize, usize)>> = Vec::new();
        for &(a, b) in &g.links {
            let r = g.cells[a].rank;
            if links_by_rank.len() <= r {
                links_by_rank.resize_with(r + 1, Vec::new);
            }
            links_by_rank[r].push((a, b));
        }
        // A track cell takes the file position of the flow that made it. A comment above or
        // below its step shares the step's cell, which keeps the step's position.
        let mut cell_origin = vec![f32::MAX; g.cells.len()];
        for n in g.nodes.iter().rev() {
            cell_origin[n.cell] = n.step as f32;
        }
        for e in &g.edges {
            let o = g.nodes[e.from].step as f32 + 0.5;
            for &c in &e.cells {
                if cell_origin[c] == f32::MAX {
                    cell_origin[c] = o;
                }
            }
        }
        let origin = g
            .groups
            .iter()
            .map(|grp| grp.iter().map(|&c| cell_origin[c]).fold(f32::MAX, f32::min))
            .collect();
        Context {
            g,
            group_rank,
            up,
            down,
            links_by_rank,
            origin,
        }
    }

    fn lane_of(&self, group: usize) -> usize {
        self.g.cells[self.g.groups[group][0]].lane
    }

    /// Groups per rank sorted by lane, then by file order.
    fn file_order(&self) -> Vec<Vec<usize>> {
        let mut ranks = vec![Vec::new(); self.g.ranks.max(1)];
        for gi in 0..self.g.groups.len() {
            ranks[self.group_rank[gi]].push(gi);
        }
        for r in &mut ranks {
            r.sort_by(|a, b| {
                (self.lane_of(*a), self.origin[*a])
                    .partial_cmp(&(self.lane_of(*b), self.origin[*b]))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        ranks
    }

    /// The order layout-rs's `EdgeCrossOptimizer` finds on the cell graph, with each group
    /// put back together at the mean position of its cells and lanes restored.
    fn layout_rs_order(&self) -> Vec<Vec<usize>> {
        let start = self.cells_of(&self.file_order());
        if self.g.cells.is_empty() || start.is_empty() {
            return self.file_order();
        }
        let mut dag = DAG::new();
        dag.set_validate(false);
        dag.new_nodes(self.g.cells.len());
        for &(a, b) in &self.g.links {
            dag.add_edge(NodeHandle::new(a), NodeHandle::new(b));
        }
        *dag.ranks_mut() = start
            .iter()
            .map(|row| row.iter().map(|&c| NodeHandle::new(c)).collect())
            .collect();
        EdgeCrossOptimizer::new(&mut dag).optimize();
        let mut pos = vec![0.0f32; self.g.cells.len()];
        for row in dag.ranks() {
            for (i, h) in row.iter().enumerate() {
                pos[h.get_index()] = i as f32;
            }
        }
        let mut ranks = self.file_order();
        for r in &mut ranks {
            let key = |gi: &usize| {
                let cells = &self.g.groups[*gi];
                let mean = cells.iter().map(|&c| pos[c]).sum::<f32>() / cells.len() as f32;
                (self.lane_of(*gi), mean)
            };
            r.sort_by(|a, b| {
                key(a)
                    .partial_cmp(&key(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        ranks
    }

    fn cells_of(&self, ranks: &[Vec<usize>]) -> Vec<Vec<usize>> {
        ranks
            .iter()
            .map(|r| {
                r.iter()
                    .flat_map(|&gi| self.g.groups[gi].iter().copied())
                    .collect()
            })
            .collect()
    }

    fn positions(&self, ranks: &[Vec<usize>]) -> Vec<f32> {
        let mut pos = vec![0.0; self.g.cells.len()];
        for r in ranks {
            let mut i = 0.0;
            for &gi in r {
                for &c in &self.g.groups[gi] {
                    pos[c] = i;
                    i += 1.0;
                }
            }
        }
        pos
    }

    /// Barycentre sweeps from `seed`, keeping the best order met.
    fn improve(&self, seed: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
        let mut current = seed;
        let mut best = current.clone();
        let mut best_c = self.crossings(&best);
        let mut round_start: Vec<Vec<usize>> = Vec::new();
        for _ in 0..ROUNDS {
            if best_c == 0 {
                break;
            }
            // The sweeps depend on the order alone: a round that leaves it as it was would
            // be followed by the same rounds, meeting no order not met already.
            if round_start == current {
                break;
            }
            round_start.clone_from(&current);
            for downwards in [true, false] {
                self.sweep(&mut current, downwards);
                let c = self.crossings(&current);
                if c < best_c {
                    best_c = c;
                    best = current.clone();
                }
            }
        }
        // Then neighbour swaps on the best order, which the sweeps' averages cannot see.
        if best_c > 0 {
            let mut swapped = best.clone();
            self.transpose(&mut swapped);
            if self.crossings(&swapped) < best_c {
                best = swapped;
            }
        }
        best
    }

    fn sweep(&self, ranks: &mut [Vec<usize>], downwards: bool) {
        let order: Vec<usize> = if downwards {
            (1..ranks.len()).collect()
        } else {
            (0..ranks.len().saturating_sub(1)).rev().collect()
        };
        // Positions are updated rank by rank as the sweep goes, never recomputed whole.
        let mut pos = self.positions(ranks);
        // One buffer of keys for every rank, each rank rewritten in place.
        let mut keyed: Vec<(usize, f32, usize)> = Vec::new();
        for r in order {
            keyed.clear();
            keyed.extend(
                ranks[r]
                    .iter()
                    .map(|&gi| (self.lane_of(gi), self.barycentre(gi, &pos, downwards), gi)),
            );
            keyed.sort_by(|a, b| {
                (a.0, a.1)
                    .partial_cmp(&(b.0, b.1))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            ranks[r].clear();
            ranks[r].extend(keyed.iter().map(|k| k.2));
            let mut i = 0.0;
            for &gi in &ranks[r] {
                for &c in &self.g.groups[gi] {
                    pos[c] = i;
                    i += 1.0;
                }
            }
        }
    }

    /// Swaps neighbouring groups of one lane in a rank wherever that leaves fewer links
    /// crossing, rank after rank, until a pass finds no such swap (at most `TRANSPOSE_PASSES`).
    fn transpose(&self, ranks: &mut [Vec<usize>]) {
        let mut pos = self.positions(ranks);
        for _ in 0..TRANSPOSE_PASSES {
            let mut changed = false;
            for rank in ranks.iter_mut() {
                for i in 1..rank.len() {
                    let (a, b) = (rank[i - 1], rank[i]);
                    if self.lane_of(a) != self.lane_of(b) {
                        continue;
                    }
                    if self.pair_crossings(b, a, &pos) < self.pair_crossings(a, b, &pos) {
                        rank.swap(i - 1, i);
                        let start = pos[self.g.groups[a][0]];
                        let mut p = start;
                        for &c in self.g.groups[b].iter().chain(&self.g.groups[a]) {
                            pos[c] = p;
                            p += 1.0;
                        }
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Crossings between the links of group `left` and those of group `right` (to the ranks
    /// above and below) when `left` stands just before `right`.
    fn pair_crossings(&self, left: usize, right: usize, pos: &[f32]) -> usize {
        let mut n = 0;
        for &cl in &self.g.groups[left] {
            for &cr in &self.g.groups[right] {
                for (nl, nr) in [
                    (&self.up[cl], &self.up[cr]),
                    (&self.down[cl], &self.down[cr]),
                ] {
                    for &x in nl {
                        for &y in nr {
                            if pos[x] > pos[y] {
                                n += 1;
                            }
                        }
                    }
                }
            }
        }
        n
    }

    /// The mean position of the group's neighbours in the reference rank; a group without
    /// any keeps its place.
    fn barycentre(&self, gi: usize, pos: &[f32], downwards: bool) -> f32 {
        let mut sum = 0.0;
        let mut n = 0.0;
        let group = &self.g.groups[gi];
        for &c in group {
            let neighbours = if downwards {
                &self.up[c]
            } else {
                &self.down[c]
            };
            for &o in neighbours {
                sum += pos[o];
                n += 1.0;
            }
            if let Some(p) = self.g.cells[c].partner {
                sum += pos[p] + 0.5;
                n += 1.0;
            }
        }
        if n == 0.0 {
            // Keep the group where it is, measured in cells like the neighbours are.
            let first = group[0];
            return pos[first];
        }
        sum / n
    }

    /// Crossings between links of consecutive ranks, counted as inversions.
    fn crossings(&self, ranks: &[Vec<usize>]) -> usize {
        let pos = self.positions(ranks);
        // One set of buffers for every rank: this runs after each sweep of every layout.
        let mut scratch = Inversions::default();
        self.links_by_rank
            .iter()
            .take(ranks.len())
            .map(|links| {
                scratch.links.clear();
                scratch
                    .links
                    .extend(links.iter().map(|&(a, b)| (pos[a], pos[b])));
                scratch.count()
            })
            .sum()
    }
}

/// Buffers to count the crossings of the links between two ranks.
#[derive(Default)]
struct Inversions {
    /// The links, as positions of their upper and lower cells.
    links: Vec<(f32, f32)>,
    seq: Vec<f32>,
    buf: Vec<f32>,
}

impl Inversions {
    /// Pairs of links (a1, b1), (a2, b2) with a1 < a2 and b1 > b2.
    fn count(&mut self) -> usize {
        // Positions are whole numbers from 0: equal pairs are the same bits, so an unstable
        // sort leaves the same sequence as a stable one.
        self.links
            .sort_unstable_by(|x, y| x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal));
        self.seq.clear();
        self.seq.extend(self.links.iter().map(|l| l.1));
        self.buf.clear();
        self.buf.extend_from_slice(&self.seq);
        merge_count(&mut self.seq, &mut self.buf)
    }
}

/// Pairs of links (a1, b1), (a2, b2) with a1 < a2 and b1 > b2.
#[cfg(test)]
fn count_inversions(links: Vec<(f32, f32)>) -> usize {
    Inversions {
        links,
        ..Inversions::default()
    }
    .count()
}

fn merge_count(seq: &mut [f32], buf: &mut [f32]) -> usize {
    let n = seq.len();
    if n < 2 {
        return 0;
    }
    let mid = n / 2;
    let mut count = merge_count(&mut seq[..mid], &mut buf[..mid])
        + merge_count(&mut seq[mid..], &mut buf[mid..]);
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < mid && j < n {
        if seq[i] <= seq[j] {
            buf[k] = seq[i];
            i += 1;
        } else {
            buf[k] = seq[j];
            count += mid - i;
            j += 1;
        }
        k += 1;
    }
    buf[k..k + mid - i].copy_from_slice(&seq[i..mid]);
    let k2 = k + mid - i;
    buf[k2..k2 + n - j].copy_from_slice(&seq[j..n]);
    seq.copy_from_slice(&buf[..n]);
    count
}

/// Moves, in `order` (the cells of each rank left to right, lanes in order), the track
/// cells of each flow of `tracks` and the group of each node of `nodes` to the left or right
/// end (true) of their lane: the ordering counts the links between ranks, not the flows'
/// horizontal runs in the channels, which a long track or a step at a lane's end may avoid.
pub(crate) fn pin_ends(
    g: &Layered,
    order: &mut [Vec<usize>],
    tracks: &[(usize, bool)],
    nodes: &[(usize, bool)],
) {
    for &(f, right) in tracks {
        let Some(e) = g.edges.get(f) else { continue };
        for &c in e.rising(g) {
            if g.cells[c].kind == CellKind::Virtual {
                move_to_end(g, order, &[c], right);
            }
        }
    }
    for &(n, right) in nodes {
        // The first groups are the steps' own, in node order (comments come after).
        if let Some(group) = g.groups.get(n)
            && g.nodes
                .get(n)
                .is_some_and(|node| group.contains(&node.cell))
        {
            move_to_end(g, order, group, right);
        }
    }
}

/// Moves, in `order`, both ends of every handoff to the facing ends of their lanes (the
/// source's group to its lane's end toward the target, the target's to the other), so that
/// the handoff, drawn across the row, passes no box of its own lanes. Done last, it wins
/// over every other pin.
pub(crate) fn pin_handoffs(g: &Layered, order: &mut [Vec<usize>]) {
    for e in g.edges.iter().filter(|e| e.handoff) {
        // Its port faces the target.
        let right = e.side == Side::Right;
        for (n, end) in [(e.from, right), (e.to, !right)] {
            if let Some(group) = g.groups.get(n) {
                move_to_end(g, order, group, end);
            }
        }
    }
}

/// Moves `cells`, side by side in one rank, to one end of their lane in that rank.
fn move_to_end(g: &Layered, order: &mut [Vec<usize>], cells: &[usize], right: bool) {
    let Some(&first) = cells.first() else { return };
    let (rank, lane) = (g.cells[first].rank, g.cells[first].lane);
    let Some(row) = order.get_mut(rank) else {
        return;
    };
    row.retain(|c| !cells.contains(c));
    let at = row
        .iter()
        .position(|&c| {
            let l = g.cells[c].lane;
            if right { l > lane } else { l >= lane }
        })
        .unwrap_or(row.len());
    row.splice(at..at, cells.iter().copied());
}

/// True for cells that hold a box (a step or a comment).
pub(crate) fn is_box(kind: &CellKind) -> bool {
    matches!(kind, CellKind::Node(_) | CellKind::Comment(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::graph::{Cell, Edge, NodeInfo, Side};

    fn track(rank: usize) -> Cell {
        Cell {
            rank,
            lane: 0,
            kind: CellKind::Virtual,
            w: 0.0,
            x: 0.0,
            partner: None,
        }
    }

    #[test]
    fn neighbour_swaps_remove_a_crossing() {
        // Two ranks of two tracks, linked crosswise: 0 → 3 and 1 → 2.
        let g = Layered {
            cells: vec![track(0), track(0), track(1), track(1)],
            links: vec![(0, 3), (1, 2)],
            groups: vec![vec![0], vec![1], vec![2], vec![3]],
            ranks: 2,
            ..Layered::default()
        };
        let ctx = Context::new(&g);
        let mut ranks = ctx.file_order();
        assert_eq!(ranks, vec![vec![0, 1], vec![2, 3]]);
        assert_eq!(ctx.crossings(&ranks), 1);
        ctx.transpose(&mut ranks);
        assert_eq!(ranks, vec![vec![1, 0], vec![2, 3]]);
        assert_eq!(ctx.crossings(&ranks), 0);
    }

    #[test]
    fn pinned_tracks_and_steps_go_to_their_lanes_ends() {
        // Rank 0: lane 0 holds node 0 (cell 0); lane 1 holds node 1 (cell 1) and node 2
        // (cell 2). Rank 1: lane 0 holds a track of flow 0 (cell 3) then node 3 (cell 4);
        // lane 1 holds a track (cell 5) of another flow.
        let node = |n: usize, rank: usize, lane: usize, cell: usize| NodeInfo {
            step: n,
            lane,
            rank,
            w: 100.0,
            h: 40.0,
            cell,
        };
        let mut cells = vec![
            Cell::at(0, CellKind::Node(0), 100.0, 0.0),
            Cell::at(0, CellKind::Node(1), 100.0, 0.0),
            Cell::at(0, CellKind::Node(2), 100.0, 0.0),
            track(1),
            Cell::at(1, CellKind::Node(3), 100.0, 0.0),
            track(1),
        ];
        for c in [1, 2, 5] {
            cells[c].lane = 1;
        }
        let edge = |from: usize, to: usize, cells: Vec<usize>| Edge {
            from,
            to,
            label: None,
            back: false,
            handoff: false,
            side: Side::Bottom,
            cells,
            over_top: false,
        };
        let g = Layered {
            nodes: vec![
                node(0, 0, 0, 0),
                node(1, 0, 1, 1),
                node(2, 0, 1, 2),
                node(3, 1, 0, 4),
            ],
            edges: vec![edge(0, 3, vec![0, 3, 4]), edge(1, 3, vec![1, 5, 4])],
            cells,
            groups: vec![vec![0], vec![1], vec![2], vec![4], vec![3], vec![5]],
            ranks: 2,
            ..Layered::default()
        };
        let mut order = vec![vec![0, 1, 2], vec![3, 4, 5]];
        // Flow 0's track to the right end of lane 0 (before lane 1's cells), node 2 to the
        // left end of lane 1 (after lane 0's cells).
        pin_ends(&g, &mut order, &[(0, true)], &[(2, false)]);
        assert_eq!(order, vec![vec![0, 2, 1], vec![4, 3, 5]]);
        // And back: the track to the left end, node 1 to the right end of its lane.
        pin_ends(&g, &mut order, &[(0, false)], &[(1, true)]);
        assert_eq!(order, vec![vec![0, 2, 1], vec![3, 4, 5]]);
    }

    #[test]
    fn inversions_count_crossing_links() {
        assert_eq!(count_inversions(vec![(0.0, 1.0), (1.0, 0.0)]), 1);
        assert_eq!(count_inversions(vec![(0.0, 0.0), (1.0, 1.0)]), 0);
        assert_eq!(
            count_inversions(vec![(0.0, 2.0), (1.0, 1.0), (2.0, 0.0)]),
            3
        );
        // Links sharing an end do not cross.
        assert_eq!(count_inversions(vec![(0.0, 1.0), (0.0, 0.0)]), 0);
    }
}
