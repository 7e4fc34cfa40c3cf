//! From steps to a layered graph: cycle breaking from the start in YAML order, ranks, and
//! the cells every flow passes through (side ports, long-edge and loop tracks).

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeMap;

use super::handoff::{self, NodeRole};
use super::ranking::Ranker;
use crate::workflow::model::{Kind, Workflow};

/// Which side of a node a flow leaves from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// The bottom port (the main continuation).
    Bottom,
    /// The right side.
    Right,
    /// The left side.
    Left,
}

/// Where a step's comment stands when not beside it: above or below the step, in its rank,
/// joined to that edge's centre by a vertical dashed line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Stack {
    /// Above the step: its top edge carries no flow.
    Above,
    /// Below the step: its bottom edge carries no flow.
    Below,
}

/// A comment standing above or below its step: it takes no cell of its own, the step's
/// cell being as wide as the wider of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stacked {
    /// The comment's node.
    pub comment: usize,
    /// Its step's node.
    pub step: usize,
    /// Above or below the step.
    pub at: Stack,
}

/// One flow between two drawn steps.
#[derive(Debug, Clone)]
pub(crate) struct Edge {
    /// Source node index.
    pub from: usize,
    /// Target node index.
    pub to: usize,
    /// Exit label text, already in the diagram's language.
    pub label: Option<String>,
    /// True when the flow goes back up (found closing a cycle).
    pub back: bool,
    /// The port it leaves from.
    pub side: Side,
    /// A handoff: drawn across its source's row into the target's facing side (the two
    /// ends share a rank and `cells` holds the source's port cell and the target's cell).
    pub handoff: bool,
    /// The cells it passes through, top to bottom for forward flows and bottom to top for
    /// loops: the first is the source's cell or side cell, the last the target's cell (forward)
    /// or the turn cell in the target's rank (loop). A loop over the top goes on, after its
    /// turn cell in the first rank, down its target's column to the target's cell.
    pub cells: Vec<usize>,
    /// A loop turning in the channel above the first rank and coming down into its target's
    /// top, instead of turning in the channel just above its target.
    pub over_top: bool,
}

impl Edge {
    /// The cells up to the flow's turn: all of them but a loop over the top's way down.
    pub(crate) fn rising<'e>(&'e self, g: &Layered) -> &'e [usize] {
        if self.over_top {
            let down = g.nodes[self.to].rank + 1;
            &self.cells[..self.cells.len() - down]
        } else {
            &self.cells
        }
    }
}

/// What occupies a cell of the grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum CellKind {
    /// A step's box.
    Node(usize),
    /// A port cell beside a node: the flow turns here from horizontal to vertical.
    Side {
        /// The node it is attached to.
        node: usize,
        /// Right (true) or left (false) of the node.
        right: bool,
        /// Width of the exit's label, 0 without label.
        label_w: f32,
    },
    /// A point a long flow or a loop passes through.
    Virtual,
    /// A comment's box, beside its step.
    Comment(usize),
}

/// One slot of a rank.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    /// The rank (row).
    pub rank: usize,
    /// The lane index (column band).
    pub lane: usize,
    /// What is in it.
    pub kind: CellKind,
    /// Its width (0 for ports and tracks).
    pub w: f32,
    /// Its centre, once placed.
    pub x: f32,
    /// For a loop's turn cell: the node it turns into (pulls it close in ordering).
    pub partner: Option<usize>,
}

#[cfg(test)]
impl Cell {
    /// A cell of lane 0 for the placement passes' tests.
    pub(crate) fn at(rank: usize, kind: CellKind, w: f32, x: f32) -> Cell {
        Cell {
            rank,
            lane: 0,
            kind,
            w,
            x,
            partner: None,
        }
    }
}

/// A drawn node: one non-comment step, or a comment.
#[derive(Debug, Clone)]
pub(crate) struct NodeInfo {
    /// The step's index in the workflow.
    pub step: usize,
    /// The lane index.
    pub lane: usize,
    /// Rank once ranked.
    pub rank: usize,
    /// Box size.
    pub w: f32,
    /// Box size.
    pub h: f32,
    /// Its cell.
    pub cell: usize,
}

/// The layered graph the ordering, placement and routing work on.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layered {
    /// Every drawn step (comments included).
    pub nodes: Vec<NodeInfo>,
    /// Every flow.
    pub edges: Vec<Edge>,
    /// Every cell.
    pub cells: Vec<Cell>,
    /// Cell links between consecutive ranks: (upper cell, lower cell).
    pub links: Vec<(usize, usize)>,
    /// Groups of cells that stay side by side in a rank: a node with its side cells and
    /// comments, left to right; a lone track cell is a group of one.
    pub groups: Vec<Vec<usize>>,
    /// Number of ranks.
    pub ranks: usize,
    /// The comments standing above or below their step.
    pub stacked: Vec<Stacked>,
}

/// Each cell's neighbours along links (or any items by index), in one list for all: the
/// placement, the ordering and the packing read them for every layout the search tries,
/// and one list per cell cost as many allocations as there are cells.
#[derive(Debug, Clone, Default)]
pub(crate) struct Adjacency<T = usize> {
    /// Where each index's items begin in `items`; one more entry closes the last.
    start: Vec<usize>,
    items: Vec<T>,
}

impl<T: Copy + Default> Adjacency<T> {
    /// The items of indices `0..len` from `pairs` (index, item), each index's in the order
    /// of `pairs`.
    pub(crate) fn of(len: usize, pairs: impl Iterator<Item = (usize, T)> + Clone) -> Adjacency<T> {
        let mut start = vec![0; len + 1];
        for (c, _) in pairs.clone() {
            start[c + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut items = vec![T::default(); start[len]];
        for (c, o) in pairs {
            items[next[c]] = o;
            next[c] += 1;
        }
        Adjacency { start, items }
    }

    /// Each index's items, index after index.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[T]> {
        self.start.windows(2).map(|w| &self.items[w[0]..w[1]])
    }
}

impl Adjacency {
    /// The cells below each cell through `g`'s links.
    pub(crate) fn down(g: &Layered) -> Adjacency {
        Adjacency::of(g.cells.len(), g.links.iter().copied())
    }

    /// The cells above each cell through `g`'s links.
    pub(crate) fn up(g: &Layered) -> Adjacency {
        Adjacency::of(g.cells.len(), g.links.iter().map(|&(a, b)| (b, a)))
    }
}

impl<T> std::ops::Index<usize> for Adjacency<T> {
    type Output = [T];

    fn index(&self, c: usize) -> &[T] {
        &self.items[self.start[c]..self.start[c + 1]]
    }
}

/// Everything the graph builder needs about each step.
pub(crate) struct StepBox {
    /// Width of the box.
    pub w: f32,
    /// Height of the box.
    pub h: f32,
    /// Lane index.
    pub lane: usize,
}

/// Choices made flow by flow (by flow index, in YAML order) on top of the rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Choices {
    /// Flows leaving from the other side than the rule gives.
    pub flipped: Vec<usize>,
    /// Long flows and loops whose track runs in the other one of their source's and
    /// target's lanes than the rule gives.
    pub retracked: Vec<usize>,
    /// Decision exits leaving from the bottom vertex instead of their decision's first
    /// forward exit (which then leaves from a side).
    pub mains: Vec<usize>,
    /// Nodes one rank lower than the ranking gives (their successors follow).
    pub lowered: Vec<usize>,
    /// Ends (steps without exits) that many ranks lower than the ranking gives: (node, ranks).
    pub sunk: Vec<(usize, usize)>,
    /// Cycles broken by the file's order (a flow to an earlier step of its cycle goes back
    /// up) instead of by the walk from the start.
    pub file_loops: bool,
    /// Flows whose track stands at one end of its lane in every rank it passes through,
    /// whatever the ordering found: (flow, true for the right end).
    pub track_ends: Vec<(usize, bool)>,
    /// Nodes that stand, with their ports and comments, at one end of their lane in their
    /// rank: (node, true for the right end).
    pub node_ends: Vec<(usize, bool)>,
    /// Loops and long flows between two lanes whose track runs in a lane beyond both, at its
    /// outer end, outside the steps and flows of the lanes between: (flow, lane).
    pub outer_tracks: Vec<(usize, usize)>,
    /// Flows into another lane may be drawn across their source's row as handoffs, where
    /// the rules of [`handoff::keep_drawable`] allow.
    pub handoffs: bool,
    /// With handoffs, the flows drawn a row down all the same (their target's rank then
    /// follows from its other flows).
    pub not_level: Vec<usize>,
    /// Steps (by node) whose one comment stands above or below them instead of beside,
    /// where that edge of the step carries no flow in the layout (beside it otherwise).
    pub stacked: Vec<(usize, Stack)>,
    /// Loops out of a side that turn in the channel above the first rank and come down
    /// into their target's top, over everything above the target (its own rank's
    /// channel may be crossed by the flows into its neighbours).
    pub over_top: Vec<usize>,
}

impl Choices {
    /// The same choices with each list sorted, so equal choices compare equal.
    pub(crate) fn normalised(&self) -> Choices {
        let mut out = self.clone();
        out.flipped.sort_unstable();
        out.retracked.sort_unstable();
        out.mains.sort_unstable();
        out.lowered.sort_unstable();
        out.sunk.sort_unstable();
        out.track_ends.sort_unstable();
        out.node_ends.sort_unstable();
        out.outer_tracks.sort_unstable();
        out.not_level.sort_unstable();
        out.stacked.sort_unstable();
        out.over_top.sort_unstable();
        out
    }

    /// The same choices with loop `f` turning over the top, or back in the channel above its
    /// target.
    pub(crate) fn toggle_over_top(&self, f: usize) -> Choices {
        let mut out = self.clone();
        toggle(&mut out.over_top, f);
        out
    }

    /// Those of `flows` that these choices draw a row down though they may be handoffs.
    pub(crate) fn drawn_down(&self, flows: Vec<usize>) -> Vec<usize> {
        let mut flows = flows;
        flows.retain(|f| self.handoffs && self.not_level.contains(f));
        flows
    }

    /// The same choices with node `n`'s comment standing `at` its step, or back beside it
    /// when it already stands there.
    pub(crate) fn toggle_stack(&self, n: usize, at: Stack) -> Choices {
        let mut out = self.clone();
        let before = out.stacked.iter().position(|&(x, _)| x == n);
        if let Some(i) = before {
            let (_, was) = out.stacked.remove(i);
            if was == at {
                return out;
            }
        }
        out.stacked.push((n, at));
        out
    }

    /// The same choices with flow `f` drawn a row down instead of across as a handoff, or
    /// back.
    pub(crate) fn toggle_level(&self, f: usize) -> Choices {
        let mut out = self.clone();
        toggle(&mut out.not_level, f);
        out
    }

    /// The same choices with flow `f`'s track at the `right` (or left) end of its lane, or
    /// back where the ordering puts it when it already stands there.
    pub(crate) fn toggle_track_end(&self, f: usize, right: bool) -> Choices {
        let mut out = self.clone();
        toggle_end(&mut out.track_ends, f, right);
        out
    }

    /// The same choices with node `n` at the `right` (or left) end of its lane in its rank,
    /// or back where the ordering puts it when it already stands there.
    pub(crate) fn toggle_node_end(&self, n: usize, right: bool) -> Choices {
        let mut out = self.clone();
        toggle_end(&mut out.node_ends, n, right);
        out
    }

    /// The same choices with flow `f`'s track in `lane` (beyond its ends' lanes), at its
    /// `right` (or left) end, the port leaving from the other side than its current one
    /// when `flip`.
    pub(crate) fn outer_track(&self, f: usize, lane: usize, right: bool, flip: bool) -> Choices {
        self.outer_lane(f, lane, flip).with_track_end(f, right)
    }

    /// The same choices with flow `f`'s track at the `right` (or left) end of its lane,
    /// wherever it stood before.
    pub(crate) fn with_track_end(&self, f: usize, right: bool) -> Choices {
        let mut out = self.clone();
        out.track_ends.retain(|&(x, _)| x != f);
        out.track_ends.push((f, right));
        out
    }

    /// The same choices with flow `f`'s track in `lane` (beyond its ends' lanes) where the
    /// ordering puts it among that lane's cells, the port leaving from the other side than
    /// its current one when `flip`.
    pub(crate) fn outer_lane(&self, f: usize, lane: usize, flip: bool) -> Choices {
        let mut out = if flip {
            self.toggle_side(f)
        } else {
            self.clone()
        };
        out.outer_tracks.retain(|&(x, _)| x != f);
        out.outer_tracks.push((f, lane));
        out.track_ends.retain(|&(x, _)| x != f);
        out
    }

    /// The same choices with flow `f` leaving its decision from the bottom vertex, or back
    /// to the rule's exit there; `siblings`, the decision's other exits, give it up.
    pub(crate) fn toggle_main(&self, f: usize, siblings: &[usize]) -> Choices {
        let mut out = self.clone();
        out.mains.retain(|m| !siblings.contains(m));
        toggle(&mut out.mains, f);
        out
    }

    /// The same choices with node `n` one rank lower, or back to its rank.
    pub(crate) fn toggle_lowered(&self, n: usize) -> Choices {
        let mut out = self.clone();
        toggle(&mut out.lowered, n);
        out
    }

    /// The same choices with the end `n` `by` ranks lower than the ranking gives.
    pub(crate) fn sink(&self, n: usize, by: usize) -> Choices {
        let mut out = self.clone();
        out.sunk.retain(|&(x, _)| x != n);
        if by > 0 {
            out.sunk.push((n, by));
        }
        out
    }

    /// The same choices with flow `f`'s side flipped back or forth.
    pub(crate) fn toggle_side(&self, f: usize) -> Choices {
        let mut out = self.clone();
        toggle(&mut out.flipped, f);
        out
    }

    /// The same choices with flow `f`'s track moved to the other lane.
    pub(crate) fn toggle_track(&self, f: usize) -> Choices {
        let mut out = self.clone();
        toggle(&mut out.retracked, f);
        out
    }
}

/// Puts `item` at the `right` end, or takes it off when it is there already.
fn toggle_end(list: &mut Vec<(usize, bool)>, item: usize, right: bool) {
    if let Some(i) = list.iter().position(|&(x, _)| x == item) {
        let (_, was_right) = list.remove(i);
        if was_right == right {
            return;
        }
    }
    list.push((item, right));
}

fn toggle(list: &mut Vec<usize>, f: usize) {
    match list.iter().position(|&x| x == f) {
        Some(i) => {
            list.remove(i);
        }
        None => list.push(f),
    }
}

/// What every layered graph of one workflow shares, whatever the choices: its nodes before
/// ranking, its flows, and for each way of breaking cycles the flows that go back up and
/// the ranks of the nodes. Found once per workflow, not once per layout the search tries.
pub(crate) struct Skeleton<'a> {
    /// The nodes in step order (comments are none), rank and cell not set yet.
    nodes: Vec<NodeInfo>,
    /// The node of each step that is one.
    node_of_step: BTreeMap<usize, usize>,
    /// Each step's index by its id.
    index: BTreeMap<&'a str, usize>,
    /// Flows in YAML order: (from node, to node, exit index).
    flows: Vec<(usize, usize, usize)>,
    /// The start's node.
    start: usize,
    /// What the handoff rules need to know about each node.
    roles: Vec<NodeRole>,
    /// The steps with one comment (see [`Skeleton::stackable`]).
    stackable: Vec<usize>,
    /// What ranks the nodes once the cycles are broken.
    ranker: &'a dyn Ranker,
    /// The cycles broken from the start ([0]) and by the file's order ([1]), each found
    /// when first needed.
    cuts: [OnceCell<Cut>; 2],
}

/// One way of breaking cycles: which flows go back up, and the ranks it gives.
struct Cut {
    back: Vec<bool>,
    /// The flows that go down: (from node, to node).
    forward: Vec<(usize, usize)>,
    /// Each node's rank from the ranker, before any node is moved down.
    ranks: Vec<usize>,
    /// For each flow of `forward`, whether it may stay in its source's row (a handoff).
    level: Vec<bool>,
    /// The flow (index in file order) of each flow of `forward`.
    forward_flows: Vec<usize>,
    /// The ranks with every flow that may stay in its row kept there, found when first
    /// needed.
    level_ranks: OnceCell<Vec<usize>>,
}

impl Cut {
    /// The ranks with every flow that may stay in its source's row kept there: the
    /// forward flows settled from one row (the ranker knows no flow of length zero).
    fn level_ranks(&self) -> &[usize] {
        self.level_ranks.get_or_init(|| {
            let mut ranks = vec![0; self.ranks.len()];
            handoff::settle(&mut ranks, &self.forward, Some(&self.level));
            ranks
        })
    }

    /// The ranks with every flow that may stay in its row kept there but those of
    /// `refused` (flow indices), and for each forward flow whether it may stay level.
    /// `may` is the flows that may stay level when the decisions' bottom-vertex exits are
    /// not the first ones (see [`Skeleton::level_under`]); `None` for the rule's.
    fn level_ranks_without(
        &self,
        refused: &[usize],
        may: Option<&[bool]>,
    ) -> (Vec<usize>, Vec<bool>) {
        if refused.is_empty() && may.is_none() {
            return (self.level_ranks().to_vec(), self.level.clone());
        }
        let level: Vec<bool> = may
            .unwrap_or(&self.level)
            .iter()
            .zip(&self.forward_flows)
            .map(|(&l, f)| l && !refused.contains(f))
            .collect();
        let mut ranks = vec![0; self.ranks.len()];
        handoff::settle(&mut ranks, &self.forward, Some(&level));
        (ranks, level)
    }
}

impl<'a> Skeleton<'a> {
    /// The nodes and flows of `wf`, its steps' boxes from `boxes`, ranked by `ranker`.
    pub(crate) fn new(wf: &'a Workflow, boxes: &[StepBox], ranker: &'a dyn Ranker) -> Skeleton<'a> {
        let mut nodes = Vec::new();
        let mut node_of_step: BTreeMap<usize, usize> = BTreeMap::new();
        for (i, step) in wf.steps.iter().enumerate() {
            if step.kind != Kind::Comment {
                node_of_step.insert(i, nodes.len());
                nodes.push(NodeInfo {
                    step: i,
                    lane: boxes[i].lane,
                    rank: 0,
                    w: boxes[i].w,
                    h: boxes[i].h,
                    cell: 0,
                });
            }
        }
        let index: BTreeMap<&str, usize> = wf
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut flows: Vec<(usize, usize, usize)> = Vec::new();
        for (&si, &ni) in &node_of_step {
            for (k, exit) in wf.steps[si].exits.iter().enumerate() {
                if let Some(t) = index
                    .get(exit.to.as_str())
                    .and_then(|s| node_of_step.get(s))
                {
                    flows.push((ni, *t, k));
                }
            }
        }
        let start = wf
            .steps
            .iter()
            .position(|s| s.kind == Kind::Start)
            .and_then(|s| node_of_step.get(&s).copied())
            .unwrap_or(0);
        let mut roles: Vec<NodeRole> = nodes
            .iter()
            .map(|n| {
                let kind = wf.steps[n.step].kind;
                NodeRole {
                    lane: n.lane,
                    decision: kind == Kind::Decision,
                    ..NodeRole::default()
                }
            })
            .collect();
        // The commented steps in their comments' file order, with how many each has.
        let mut commented: Vec<(usize, usize)> = Vec::new();
        for step in &wf.steps {
            if let Some(&n) = step
                .about
                .as_deref()
                .and_then(|about| index.get(about))
                .and_then(|s| node_of_step.get(s))
            {
                roles[n].commented = true;
                match commented.iter_mut().find(|(x, _)| *x == n) {
                    Some((_, count)) => *count += 1,
                    None => commented.push((n, 1)),
                }
            }
        }
        let stackable = commented
            .into_iter()
            .filter(|&(_, count)| count == 1)
            .map(|(n, _)| n)
            .collect();
        Skeleton {
            nodes,
            node_of_step,
            index,
            flows,
            start,
            roles,
            stackable,
            ranker,
            cuts: [OnceCell::new(), OnceCell::new()],
        }
    }

    /// The flows (indices in file order) into and out of node `n`.
    pub(crate) fn flows_at(&self, n: usize) -> Vec<usize> {
        self.flows
            .iter()
            .enumerate()
            .filter(|(_, (u, v, _))| *u == n || *v == n)
            .map(|(f, _)| f)
            .collect()
    }

    /// The steps (by node) with one comment, which may stand above or below them, in the
    /// file order of their comments. A step with several keeps them beside it.
    pub(crate) fn stackable(&self) -> &[usize] {
        &self.stackable
    }

    /// The flows (indices in file order) that may be drawn across their source's row as
    /// handoffs, with the cycles broken by the file's order or from the start.
    /// `mains` are the decision exits chosen for the bottom vertex (see [`Choices::mains`]):
    /// a first exit sent to a side by one may be a handoff.
    pub(crate) fn level_flows(&self, file_loops: bool, mains: &[usize]) -> Vec<usize> {
        let cut = self.cut(file_loops);
        let may = self.level_under(cut, mains);
        may.as_deref()
            .unwrap_or(&cut.level)
            .iter()
            .zip(&cut.forward_flows)
            .filter(|(l, _)| **l)
            .map(|(_, &f)| f)
            .collect()
    }

    /// For each forward flow of `cut`, whether it may stay level when the exits of `mains`
    /// leave their decisions from the bottom vertex; `None` when there are none, the rule's
    /// flags (`cut.level`) holding then.
    fn level_under(&self, cut: &Cut, mains: &[usize]) -> Option<Vec<bool>> {
        if mains.is_empty() {
            return None;
        }
        let sided = sided_flows(&self.roles, &self.flows, &cut.back, mains);
        let may = handoff::may_stay_level(&self.roles, &self.flows, &cut.back, &sided);
        Some(cut.forward_flows.iter().map(|&f| may[f]).collect())
    }

    /// The cycles broken by the file's order or from the start, and the ranks they give.
    fn cut(&self, file_loops: bool) -> &Cut {
        self.cuts[usize::from(file_loops)].get_or_init(|| {
            let n = self.nodes.len();
            let back = if file_loops {
                file_order_back_edges(n, &self.flows)
            } else {
                back_edges(n, &self.flows, self.start)
            };
            let forward: Vec<(usize, usize)> = self
                .flows
                .iter()
                .zip(&back)
                .filter(|(_, b)| !**b)
                .map(|(f, _)| (f.0, f.1))
                .collect();
            let ranks = self.ranker.ranks(n, &forward);
            let sided = sided_flows(&self.roles, &self.flows, &back, &[]);
            let may = handoff::may_stay_level(&self.roles, &self.flows, &back, &sided);
            let (level, forward_flows) = may
                .into_iter()
                .enumerate()
                .zip(&back)
                .filter(|(_, b)| !**b)
                .map(|((f, l), _)| (l, f))
                .unzip();
            Cut {
                back,
                forward,
                ranks,
                level,
                forward_flows,
                level_ranks: OnceCell::new(),
            }
        })
    }
}

/// Builds the layered graph of `skeleton`'s workflow `wf` for `choices`: `labels[i][k]` is
/// the text of exit k of step i with its width.
pub(crate) fn build(
    wf: &Workflow,
    skeleton: &Skeleton,
    boxes: &[StepBox],
    labels: &[Vec<Option<(String, f32)>>],
    choices: &Choices,
) -> Layered {
    let mut g = Layered {
        nodes: skeleton.nodes.clone(),
        ..Layered::default()
    };
    let Skeleton {
        node_of_step,
        index,
        flows,
        roles,
        stackable,
        ..
    } = skeleton;
    let roles = &*with_stacks(roles, stackable, &choices.stacked);
    let cut = skeleton.cut(choices.file_loops);
    let (back, forward) = (&cut.back, &cut.forward);
    let ranks = if choices.handoffs {
        let may = skeleton.level_under(cut, &choices.mains);
        let (mut ranks, level) = cut.level_ranks_without(&choices.not_level, may.as_deref());
        lower(
            &mut ranks,
            forward,
            Some(&level),
            &choices.lowered,
            &choices.sunk,
        );
        let sided = sided_flows(roles, flows, back, &choices.mains);
        handoff::keep_drawable(&mut ranks, roles, flows, back, &sided, forward, &level);
        ranks
    } else {
        let mut ranks = cut.ranks.clone();
        lower(&mut ranks, forward, None, &choices.lowered, &choices.sunk);
        ranks
    };
    for (n, r) in g.nodes.iter_mut().zip(&ranks) {
        n.rank = *r;
    }
    g.ranks = ranks.iter().copied().max().map_or(0, |m| m + 1);
    for n in 0..g.nodes.len() {
        let (rank, lane, w) = (g.nodes[n].rank, g.nodes[n].lane, g.nodes[n].w);
        let cell = push_cell(&mut g, rank, lane, CellKind::Node(n), w);
        g.nodes[n].cell = cell;
    }
    let handoff = handoff::handoffs(&ranks, flows, back);
    let taken = handoff_sides(roles, flows, &handoff);
    let mut sides = choose_sides(roles, &g, flows, back, &choices.mains, (&handoff, &taken));
    for &f in &choices.flipped {
        if let Some(side) = sides.get_mut(f) {
            let flipped = match *side {
                Side::Right => Side::Left,
                Side::Left => Side::Right,
                Side::Bottom => Side::Bottom,
            };
            // A handoff faces its other end, and no port shares a handoff's side.
            if !handoff[f] && !taken[flows[f].0][usize::from(flipped == Side::Right)] {
                *side = flipped;
            }
        }
    }
    let rule_lanes = track_lanes(&g, flows, back);
    let mut right_cells: Vec<Vec<usize>> = vec![Vec::new(); g.nodes.len()];
    let mut left_cells: Vec<Vec<usize>> = vec![Vec::new(); g.nodes.len()];
    for (f, (&(u, v, k), &is_back)) in flows.iter().zip(back).enumerate() {
        let step = g.nodes[u].step;
        let label = labels[step].get(k).cloned().flatten();
        let side = sides[f];
        let (lu, lv) = (g.nodes[u].lane, g.nodes[v].lane);
        let other = |lane: usize| if lane == lu { lv } else { lu };
        let outer = choices.outer_tracks.iter().find(|&&(x, _)| x == f);
        let track_lane = if let Some(&(_, lane)) = outer {
            lane
        } else if choices.retracked.contains(&f) {
            other(rule_lanes[f])
        } else {
            rule_lanes[f]
        };
        // Over the top only where there is a rank above the target to pass over.
        let over_top = is_back && g.nodes[v].rank > 0 && choices.over_top.contains(&f);
        let edge = route_cells(
            &mut g,
            Span {
                u,
                v,
                track_lane,
                over_top,
            },
            side,
            (is_back, handoff[f]),
            label.as_ref().map_or(0.0, |l| l.1),
        );
        if let Some(&first) = edge.first()
            && side != Side::Bottom
        {
            if side == Side::Right {
                right_cells[u].push(first);
            } else {
                left_cells[u].push(first);
            }
        }
        g.edges.push(Edge {
            from: u,
            to: v,
            label: label.map(|l| l.0),
            back: is_back,
            handoff: handoff[f],
            side,
            cells: edge,
            over_top,
        });
    }
    // With a side taken by a handoff, a decision's side exits share the other: the one
    // heading for the nearer lane stands nearer the box, so that the other's horizontal
    // run, further down, does not cross its vertical.
    let crowded: Vec<usize> = (0..g.nodes.len())
        .filter(|&n| taken[n].iter().any(|&t| t))
        .collect();
    if !crowded.is_empty() {
        let mut heading = vec![0; g.cells.len()];
        for e in g.edges.iter().filter(|e| e.side != Side::Bottom) {
            heading[e.cells[0]] = g.nodes[e.to].lane;
        }
        for n in crowded {
            right_cells[n].sort_by_key(|&c| heading[c]);
            left_cells[n].sort_by_key(|&c| std::cmp::Reverse(heading[c]));
        }
    }
    let stacks = comment_stacks(&g, roles);
    let comments = place_comments(
        wf,
        &mut g,
        boxes,
        (node_of_step, index),
        (&right_cells, &left_cells),
        (&taken, &stacks),
    );
    group_cells(&mut g, &right_cells, &left_cells, &comments);
    g
}

fn push_cell(g: &mut Layered, rank: usize, lane: usize, kind: CellKind, w: f32) -> usize {
    g.cells.push(Cell {
        rank,
        lane,
        kind,
        w,
        x: 0.0,
        partner: None,
    });
    g.cells.len() - 1
}

/// Moves each node of `lowered` one rank down and each of `sunk` its number of ranks, then
/// every node below a forward flow's source as far down as it takes for each forward flow
/// to go down at least one rank (none for one that may stay `level`): a flow whose
/// horizontal run crosses a vertical one may pass below it from the lower rank.
fn lower(
    ranks: &mut [usize],
    forward: &[(usize, usize)],
    level: Option<&[bool]>,
    lowered: &[usize],
    sunk: &[(usize, usize)],
) {
    if lowered.is_empty() && sunk.is_empty() {
        return;
    }
    for &n in lowered {
        if let Some(r) = ranks.get_mut(n) {
            *r += 1;
        }
    }
    for &(n, by) in sunk {
        if let Some(r) = ranks.get_mut(n) {
            *r += by;
        }
    }
    handoff::settle(ranks, forward, level);
}

/// Marks the flows that close a cycle, found by a depth-first walk from `start` following
/// exits in YAML order: a flow to a step still on the walk's path goes back up.
pub(crate) fn back_edges(n: usize, flows: &[(usize, usize, usize)], start: usize) -> Vec<bool> {
    let mut out_flows: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (f, &(u, _, _)) in flows.iter().enumerate() {
        out_flows[u].push(f);
    }
    let mut back = vec![false; flows.len()];
    // 0 = unseen, 1 = on the path, 2 = done.
    let mut state = vec![0u8; n];
    // A hand-built workflow may have no start: every step is then a root in file order.
    let mut roots: Vec<usize> = if start < n { vec![start] } else { Vec::new() };
    roots.extend(0..n);
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(&mut (u, ref mut next)) = stack.last_mut() {
            if *next < out_flows[u].len() {
                let f = out_flows[u][*next];
                *next += 1;
                let v = flows[f].1;
                match state[v] {
                    0 => {
                        state[v] = 1;
                        stack.push((v, 0));
                    }
                    1 => back[f] = true,
                    _ => {}
                }
            } else {
                state[u] = 2;
                stack.pop();
            }
        }
    }
    back
}

/// Marks the flows that close a cycle by the file's order: a flow to the same step or to
/// an earlier one that can reach the flow's source again (the two are in one strongly
/// connected component). Every cycle holds such a flow, so the others make no cycle.
pub(crate) fn file_order_back_edges(n: usize, flows: &[(usize, usize, usize)]) -> Vec<bool> {
    let component = components(n, flows);
    flows
        .iter()
        .map(|&(u, v, _)| v <= u && component[u] == component[v])
        .collect()
}

/// The strongly connected component of each node (Kosaraju: an iterative walk for the
/// finishing order, then a walk of the reversed flows in reverse finishing order).
fn components(n: usize, flows: &[(usize, usize, usize)]) -> Vec<usize> {
    let mut out_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut into: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(u, v, _) in flows {
        if u < n && v < n {
            out_of[u].push(v);
            into[v].push(u);
        }
    }
    let mut finished: Vec<usize> = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for root in 0..n {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (u, ref mut next)) = stack.last_mut() {
            if let Some(&v) = out_of[u].get(*next) {
                *next += 1;
                if !seen[v] {
                    seen[v] = true;
                    stack.push((v, 0));
                }
            } else {
                finished.push(u);
                stack.pop();
            }
        }
    }
    let mut component = vec![usize::MAX; n];
    for (id, &root) in finished.iter().rev().enumerate() {
        if component[root] != usize::MAX {
            continue;
        }
        component[root] = id;
        let mut stack = vec![root];
        while let Some(u) = stack.pop() {
            for &w in &into[u] {
                if component[w] == usize::MAX {
                    component[w] = id;
                    stack.push(w);
                }
            }
        }
    }
    component
}

/// Flows a decision sends out of a side while their next cell lies on the other side of its
/// main exit's next cell: drawing them from the other vertex removes a crossing.
pub(crate) fn sides_to_flip(g: &Layered, order: &[Vec<usize>]) -> Vec<usize> {
    let mut pos = vec![0usize; g.cells.len()];
    for row in order {
        for (i, &c) in row.iter().enumerate() {
            pos[c] = i;
        }
    }
    let mut main_next: BTreeMap<usize, usize> = BTreeMap::new();
    for e in &g.edges {
        if e.side == Side::Bottom && !e.back && e.cells.len() > 1 {
            main_next.insert(e.from, pos[e.cells[1]]);
        }
    }
    let mut out = Vec::new();
    for (f, e) in g.edges.iter().enumerate() {
        if e.back || e.handoff || e.side == Side::Bottom || e.cells.len() < 2 {
            continue;
        }
        if let Some(&m) = main_next.get(&e.from) {
            let p = pos[e.cells[1]];
            if (e.side == Side::Right && p < m) || (e.side == Side::Left && p > m) {
                out.push(f);
            }
        }
    }
    out
}

/// The loops a decision sends out of a side: drawing them from the other vertex sends the
/// loop round the other side of the drawing.
pub(crate) fn decision_loop_sides(g: &Layered) -> Vec<usize> {
    g.edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.back && e.side != Side::Bottom && e.label.is_some())
        .map(|(f, _)| f)
        .collect()
}

/// The port of every flow. A decision's first forward exit leaves from the bottom vertex;
/// its other exits, and every loop of other steps, leave from a side. Sides are chosen
/// flow by flow, outer spans first: a flow avoids the side where an already placed flow's
/// span of ranks interleaves with its own (their tracks would cross), or where a loop
/// enters the step it leaves; then it prefers the side of the lane it heads for, then a
/// side its decision's other branch does not use, then the right. A `handoff` leaves from
/// the side facing its target, and no other flow leaves from a side a handoff ends at
/// (`taken`, [left, right] per node) while the other is free.
fn choose_sides(
    roles: &[NodeRole],
    g: &Layered,
    flows: &[(usize, usize, usize)],
    back: &[bool],
    mains: &[usize],
    (handoff, taken): (&[bool], &[[bool; 2]]),
) -> Vec<Side> {
    let mut sides = vec![Side::Bottom; flows.len()];
    let mut first_exit: Vec<Option<usize>> = vec![None; g.nodes.len()];
    for &(u, v, _) in flows {
        first_exit[u].get_or_insert(v);
    }
    let mut sided: Vec<usize> = Vec::new();
    for (f, is_sided) in sided_flows(roles, flows, back, mains)
        .into_iter()
        .enumerate()
    {
        if handoff[f] {
            let right = handoff::goes_right(roles, flows[f].0, flows[f].1);
            sides[f] = if right { Side::Right } else { Side::Left };
        } else if is_sided {
            sided.push(f);
        }
    }
    let span = |f: usize| {
        let (ru, rv) = (g.nodes[flows[f].0].rank, g.nodes[flows[f].1].rank);
        (ru.min(rv), ru.max(rv))
    };
    sided.sort_by_key(|&f| {
        let (top, bottom) = span(f);
        (std::cmp::Reverse(bottom - top), top, f)
    });
    let conflict = |a: usize, b: usize| {
        let ((at, ab), (bt, bb)) = (span(a), span(b));
        let interleave = (at < bt && bt < ab && ab < bb) || (bt < at && at < bb && bb < ab);
        let touching_loops =
            back[a] && back[b] && (ab == bt || bb == at) && flows[a].0 != flows[b].0;
        interleave || touching_loops
    };
    let mut placed: Vec<(usize, Side)> = Vec::new();
    for f in sided {
        let (u, v, _) = flows[f];
        let towards = heading_lane(g, &first_exit, v, g.nodes[u].lane);
        let cost = |side: Side| {
            let mut c = 0;
            for &(o, s) in &placed {
                if s == side && conflict(f, o) {
                    c += 4;
                }
                if s == side && flows[o].0 == u {
                    c += 1;
                }
            }
            let away = match side {
                Side::Left => towards > g.nodes[u].lane,
                _ => towards < g.nodes[u].lane,
            };
            if away {
                c += 2;
            }
            if taken[u][usize::from(side == Side::Right)] {
                c += 100;
            }
            c
        };
        let side = if cost(Side::Left) < cost(Side::Right) {
            Side::Left
        } else {
            Side::Right
        };
        sides[f] = side;
        placed.push((f, side));
    }
    sides
}

/// Whether each flow leaves from a side, by rule and the `mains` chosen: a decision's first
/// forward exit (or the one of `mains`) leaves from the bottom vertex, its other exits from
/// a side; other steps' loops leave from a side, their forward flows from the bottom.
fn sided_flows(
    roles: &[NodeRole],
    flows: &[(usize, usize, usize)],
    back: &[bool],
    mains: &[usize],
) -> Vec<bool> {
    // Each decision's first forward exit, and its first forward exit among `mains`.
    let mut first: Vec<Option<usize>> = vec![None; roles.len()];
    let mut chosen: Vec<Option<usize>> = vec![None; roles.len()];
    for (f, &(u, _, _)) in flows.iter().enumerate() {
        if roles[u].decision && !back[f] {
            first[u].get_or_insert(f);
            if mains.contains(&f) {
                chosen[u].get_or_insert(f);
            }
        }
    }
    let main: Vec<Option<usize>> = chosen.iter().zip(&first).map(|(c, f)| c.or(*f)).collect();
    flows
        .iter()
        .enumerate()
        .map(|(f, &(u, _, _))| {
            if roles[u].decision {
                main[u] != Some(f)
            } else {
                back[f]
            }
        })
        .collect()
}

/// The sides of each node ([left, right]) that hold a handoff's end: no other port and no
/// comment stands there.
fn handoff_sides(
    roles: &[NodeRole],
    flows: &[(usize, usize, usize)],
    handoff: &[bool],
) -> Vec<[bool; 2]> {
    let mut taken = vec![[false; 2]; roles.len()];
    for (&(u, v, _), _) in flows.iter().zip(handoff).filter(|(_, h)| **h) {
        let right = handoff::goes_right(roles, u, v);
        taken[u][usize::from(right)] = true;
        taken[v][usize::from(!right)] = true;
    }
    taken
}

/// The lane each flow's track runs in by rule: for a loop or a long flow between two lanes,
/// whichever of its source's and target's lanes fewer flows between lanes pass over in the
/// channels it runs through (a flow from a lane on one side to a lane on the other surely
/// crosses the track, one that starts or ends in the track's lane may), the source's on a
/// tie.
fn track_lanes(g: &Layered, flows: &[(usize, usize, usize)], back: &[bool]) -> Vec<usize> {
    // The lanes spanned by each forward flow's horizontal, in the channel above its target.
    let mut by_channel: Vec<Vec<(usize, usize)>> = vec![Vec::new(); g.ranks + 1];
    for (&(u, v, _), &is_back) in flows.iter().zip(back) {
        let (lu, lv) = (g.nodes[u].lane, g.nodes[v].lane);
        // A handoff runs in its row, not in a channel.
        if !is_back && lu != lv && g.nodes[u].rank != g.nodes[v].rank {
            by_channel[g.nodes[v].rank].push((lu.min(lv), lu.max(lv)));
        }
    }
    let cost = |lane: usize, channels: std::ops::RangeInclusive<usize>| -> usize {
        channels
            .filter_map(|c| by_channel.get(c))
            .flatten()
            .map(|&(lo, hi)| {
                if lo < lane && lane < hi {
                    2
                } else if lo == lane || hi == lane {
                    1
                } else {
                    0
                }
            })
            .sum()
    };
    flows
        .iter()
        .zip(back)
        .map(|(&(u, v, _), &is_back)| {
            let (lu, lv) = (g.nodes[u].lane, g.nodes[v].lane);
            let (ru, rv) = (g.nodes[u].rank, g.nodes[v].rank);
            let channels = if is_back { rv + 1..=ru } else { ru + 1..=rv };
            if lu == lv || channels.clone().count() < 2 {
                return lu;
            }
            if cost(lv, channels.clone()) < cost(lu, channels) {
                lv
            } else {
                lu
            }
        })
        .collect()
}

/// The lane a flow into `target` is heading for: the target's lane, or when it stays in
/// `lane`, the lane of the target's first exit.
fn heading_lane(g: &Layered, first_exit: &[Option<usize>], target: usize, lane: usize) -> usize {
    let own = g.nodes[target].lane;
    if own != lane {
        return own;
    }
    first_exit[target].map_or(own, |t| g.nodes[t].lane)
}

/// A flow's two ends and the lane its track runs in.
struct Span {
    u: usize,
    v: usize,
    track_lane: usize,
    over_top: bool,
}

/// Creates the cells of one flow and links them rank to rank (a handoff, in one rank, has
/// no link: the ordering keeps its ends at their lanes' facing ends instead).
fn route_cells(
    g: &mut Layered,
    span: Span,
    side: Side,
    (back, handoff): (bool, bool),
    label_w: f32,
) -> Vec<usize> {
    let Span {
        u,
        v,
        track_lane,
        over_top,
    } = span;
    let (ru, rv) = (g.nodes[u].rank, g.nodes[v].rank);
    let mut cells = Vec::new();
    let first = if side == Side::Bottom {
        g.nodes[u].cell
    } else {
        let kind = CellKind::Side {
            node: u,
            right: side == Side::Right,
            label_w,
        };
        let lane = g.nodes[u].lane;
        push_cell(g, ru, lane, kind, 0.0)
    };
    cells.push(first);
    if handoff {
        cells.push(g.nodes[v].cell);
    } else if back {
        // Up through every rank above the source down to the target's rank (the first rank
        // over the top), in the track's lane (the source's, or the target's when that
        // crosses fewer flows); the last cell turns into the target from the channel above
        // it, or over the top into a track that comes down the target's column.
        let highest = if over_top { 0 } else { rv };
        for r in (highest..ru).rev() {
            let c = push_cell(g, r, track_lane, CellKind::Virtual, 0.0);
            let below = *cells.last().unwrap_or(&first);
            g.links.push((c, below));
            cells.push(c);
        }
        let turn = *cells.last().unwrap_or(&first);
        if over_top {
            let lane = g.nodes[v].lane;
            for r in 0..rv {
                let c = push_cell(g, r, lane, CellKind::Virtual, 0.0);
                if r > 0 {
                    let above = *cells.last().unwrap_or(&first);
                    g.links.push((above, c));
                } else {
                    g.cells[turn].partner = Some(c);
                }
                cells.push(c);
            }
            let above = *cells.last().unwrap_or(&first);
            g.links.push((above, g.nodes[v].cell));
            cells.push(g.nodes[v].cell);
        } else {
            g.cells[turn].partner = Some(g.nodes[v].cell);
        }
    } else {
        for r in ru + 1..rv {
            let c = push_cell(g, r, track_lane, CellKind::Virtual, 0.0);
            let above = *cells.last().unwrap_or(&first);
            g.links.push((above, c));
            cells.push(c);
        }
        let above = *cells.last().unwrap_or(&first);
        g.links.push((above, g.nodes[v].cell));
        cells.push(g.nodes[v].cell);
    }
    cells
}

/// `roles` with the comments of `stacked` (steps with one comment, `stackable`) asked to
/// stand above or below their step; `roles` itself when none is.
fn with_stacks<'r>(
    roles: &'r [NodeRole],
    stackable: &[usize],
    stacked: &[(usize, Stack)],
) -> Cow<'r, [NodeRole]> {
    if stacked.is_empty() {
        return Cow::Borrowed(roles);
    }
    let mut own = roles.to_vec();
    for &(n, at) in stacked {
        if stackable.contains(&n)
            && let Some(role) = own.get_mut(n)
        {
            role.stacked = Some(at);
        }
    }
    Cow::Owned(own)
}

/// Where each step's comment stands when not beside it: where `roles` ask, when that edge
/// of the step carries no flow in `g` (a flow into its top, a flow out of its bottom; above
/// a decision, no side exit either, whose label stands above its line).
fn comment_stacks(g: &Layered, roles: &[NodeRole]) -> Vec<Option<Stack>> {
    let mut out: Vec<Option<Stack>> = roles
        .iter()
        .map(|r| r.stacked.filter(|_| r.commented))
        .collect();
    for e in &g.edges {
        if !e.handoff && out[e.to] == Some(Stack::Above) {
            out[e.to] = None;
        }
        let edge_taken = match out[e.from] {
            Some(Stack::Below) => e.side == Side::Bottom,
            Some(Stack::Above) => e.side != Side::Bottom && roles[e.from].decision,
            None => false,
        };
        if edge_taken {
            out[e.from] = None;
        }
    }
    out
}

/// Puts each comment in its step's rank: above or below the step where `stacks` says so
/// (the step's cell then as wide as the wider of the two), else beside it on the side
/// without ports (right first) and never on a side a handoff ends at (`taken`, [left,
/// right] per node). Returns the comments beside their step: (step, cell, on the right).
fn place_comments(
    wf: &Workflow,
    g: &mut Layered,
    boxes: &[StepBox],
    (node_of_step, index): (&BTreeMap<usize, usize>, &BTreeMap<&str, usize>),
    (right_cells, left_cells): (&[Vec<usize>], &[Vec<usize>]),
    (taken, stacks): (&[[bool; 2]], &[Option<Stack>]),
) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    for (i, step) in wf.steps.iter().enumerate() {
        let Some(about) = step.about.as_deref() else {
            continue;
        };
        let Some(&target) = index.get(about).and_then(|s| node_of_step.get(s)) else {
            continue;
        };
        let node = g.nodes.len();
        let (rank, lane, own_cell) = (
            g.nodes[target].rank,
            g.nodes[target].lane,
            g.nodes[target].cell,
        );
        g.nodes.push(NodeInfo {
            step: i,
            lane,
            rank,
            w: boxes[i].w,
            h: boxes[i].h,
            cell: own_cell,
        });
        if let Some(at) = stacks[target] {
            let cell = &mut g.cells[own_cell];
            cell.w = cell.w.max(boxes[i].w);
            g.stacked.push(Stacked {
                comment: node,
                step: target,
                at,
            });
            continue;
        }
        let right = match taken[target] {
            [true, _] => true,
            [_, true] => false,
            _ => right_cells[target].is_empty() || !left_cells[target].is_empty(),
        };
        let cell = push_cell(g, rank, lane, CellKind::Comment(node), boxes[i].w);
        g.nodes[node].cell = cell;
        out.push((target, cell, right));
    }
    out
}

/// Groups each node with its side cells and comments, and every other cell alone.
fn group_cells(
    g: &mut Layered,
    right_cells: &[Vec<usize>],
    left_cells: &[Vec<usize>],
    comments: &[(usize, usize, bool)],
) {
    let mut grouped = vec![false; g.cells.len()];
    for n in 0..right_cells.len() {
        let mut group: Vec<usize> = Vec::new();
        for &(t, c, right) in comments {
            if t == n && !right {
                group.push(c);
            }
        }
        group.extend(left_cells[n].iter().rev());
        group.push(g.nodes[n].cell);
        group.extend(right_cells[n].iter());
        for &(t, c, right) in comments {
            if t == n && right {
                group.push(c);
            }
        }
        for &c in &group {
            grouped[c] = true;
        }
        g.groups.push(group);
    }
    for (c, done) in grouped.into_iter().enumerate() {
        if !done {
            g.groups.push(vec![c]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjacency_keeps_each_index_items_in_the_order_given() {
        let a = Adjacency::of(4, [(2, 7), (0, 5), (2, 1), (3, 9), (2, 4)].into_iter());
        assert_eq!(&a[0], &[5]);
        assert!(a[1].is_empty());
        assert_eq!(&a[2], &[7, 1, 4]);
        assert_eq!(&a[3], &[9]);
        let all: Vec<&[i32]> = a.iter().collect();
        assert_eq!(all, vec![&[5][..], &[][..], &[7, 1, 4][..], &[9][..]]);
    }

    #[test]
    fn cycles_are_broken_from_the_start_in_file_order() {
        // 0 → 1 → 2 → 1 (loop back), 2 → 3, 3 → 0 (back to the start).
        let flows = [(0, 1, 0), (1, 2, 0), (2, 1, 0), (2, 3, 1), (3, 0, 0)];
        assert_eq!(
            back_edges(4, &flows, 0),
            vec![false, false, true, false, true]
        );
    }

    #[test]
    fn cycles_broken_by_the_file_order_send_back_the_flows_to_earlier_steps() {
        // 0 → 2 first, 2 → 1 → 2: the walk from the start takes 2 → 1 as the way on and
        // 1 → 2 as the loop; by the file's order 2 → 1 goes back up. 4 → 3 goes to an
        // earlier step but closes no cycle: it stays a forward flow.
        let flows = [
            (0, 2, 0),
            (0, 1, 1),
            (2, 1, 0),
            (1, 2, 0),
            (2, 3, 1),
            (4, 3, 0),
        ];
        assert_eq!(
            back_edges(5, &flows, 0),
            vec![false, false, false, true, false, false]
        );
        assert_eq!(
            file_order_back_edges(5, &flows),
            vec![false, false, true, false, false, false]
        );
        // A step's flow to itself is a loop either way.
        assert_eq!(
            file_order_back_edges(2, &[(0, 0, 0), (0, 1, 1)]),
            vec![true, false]
        );
    }

    #[test]
    fn an_empty_graph_has_no_back_edges() {
        assert!(back_edges(0, &[], 0).is_empty());
    }

    #[test]
    fn a_self_loop_is_a_back_edge() {
        assert_eq!(back_edges(2, &[(0, 0, 0), (0, 1, 1)], 0), vec![true, false]);
    }

    #[test]
    fn a_lowered_node_takes_the_steps_below_it_down() {
        // 0 → 1 → 3 and 0 → 2 → 3, 2 lowered: 3 follows it, 1 stays.
        let mut ranks = vec![0, 1, 1, 2];
        lower(
            &mut ranks,
            &[(0, 1), (0, 2), (1, 3), (2, 3)],
            None,
            &[2],
            &[],
        );
        assert_eq!(ranks, vec![0, 1, 2, 3]);
    }

    #[test]
    fn a_sunk_end_goes_down_alone() {
        // 0 → 1 → 2 and 0 → 3 (an end): 3 goes three ranks down, nothing follows it.
        let mut ranks = vec![0, 1, 2, 1];
        lower(&mut ranks, &[(0, 1), (1, 2), (0, 3)], None, &[], &[(3, 3)]);
        assert_eq!(ranks, vec![0, 1, 2, 4]);
    }

    #[test]
    fn an_end_is_sunk_once_and_a_lane_end_toggles() {
        let base = Choices::default().sink(4, 2).sink(4, 5).sink(7, 3);
        assert_eq!(base.sunk, vec![(4, 5), (7, 3)]);
        assert_eq!(base.sink(4, 0).sunk, vec![(7, 3)]);
        let right = base.toggle_track_end(2, true);
        assert_eq!(right.track_ends, vec![(2, true)]);
        // The other end replaces it; the same end again takes it off.
        assert_eq!(
            right.toggle_track_end(2, false).track_ends,
            vec![(2, false)]
        );
        assert!(right.toggle_track_end(2, true).track_ends.is_empty());
        assert_eq!(
            base.toggle_node_end(1, false)
                .toggle_node_end(3, true)
                .node_ends,
            vec![(1, false), (3, true)]
        );
    }

    #[test]
    fn a_loop_in_an_outer_lane_faces_it_from_that_lanes_end() {
        let base = Choices {
            flipped: vec![5],
            track_ends: vec![(2, true)],
            ..Choices::default()
        };
        // Its port turns to the lane's side, its track stands at the lane's outer end.
        let left = base.outer_track(2, 0, false, true);
        assert_eq!(left.flipped, vec![5, 2]);
        assert_eq!(left.outer_tracks, vec![(2, 0)]);
        assert_eq!(left.track_ends, vec![(2, false)]);
        // Another outer lane replaces the first; a port already facing it stays.
        let right = left.outer_track(2, 3, true, false);
        assert_eq!(right.flipped, vec![5, 2]);
        assert_eq!(right.outer_tracks, vec![(2, 3)]);
        assert_eq!(right.track_ends, vec![(2, true)]);
    }

    #[test]
    fn lowering_nothing_keeps_the_ranks() {
        let mut ranks = vec![0, 2, 1];
        lower(&mut ranks, &[(0, 1), (0, 2)], None, &[], &[]);
        assert_eq!(ranks, vec![0, 2, 1]);
    }

    /// A loop from the second lane's decision back to the first lane's second step.
    const LOOP_BACK: &str = r#"
title: Boucle
lanes:
  - { id: a, label: A }
  - { id: b, label: B }
steps:
  - { id: debut, kind: start, label: Début, lane: a }
  - { id: tester, kind: action, label: Tester, lane: a }
  - { id: saisir, kind: action, label: Saisir, lane: b }
  - { id: ok, kind: decision, label: Accepté ?, lane: b, yes: fin, no: tester }
  - { id: fin, kind: end, label: Fin, lane: b }
"#;

    /// A cell's (rank, lane).
    type At = (usize, usize);

    /// The cells of `LOOP_BACK`'s loop (flow 4: Non, from `ok` back to `tester`) laid out
    /// with `choices`, and the turn cell's partner.
    fn loop_cells(choices: &Choices) -> (Vec<At>, Option<At>) {
        let path = std::path::Path::new("boucle.yaml");
        let ctx = crate::workflow::Context::default();
        let wf = crate::workflow::parse_workflow("boucle", path, LOOP_BACK, &ctx).expect("valid");
        let boxes: Vec<StepBox> = (0..wf.steps.len())
            .map(|i| StepBox {
                w: 100.0,
                h: 40.0,
                lane: usize::from(i >= 2),
            })
            .collect();
        let labels: Vec<Vec<Option<(String, f32)>>> =
            wf.steps.iter().map(|s| vec![None; s.exits.len()]).collect();
        let skeleton = Skeleton::new(&wf, &boxes, &super::super::ranking::LayoutRsRanker);
        let g = build(&wf, &skeleton, &boxes, &labels, choices);
        let e = g.edges.iter().find(|e| e.back).expect("the loop");
        let at = |c: usize| (g.cells[c].rank, g.cells[c].lane);
        let turn = *e.rising(&g).last().expect("cells");
        (
            e.cells.iter().map(|&c| at(c)).collect(),
            g.cells[turn].partner.map(at),
        )
    }

    #[test]
    fn a_loop_over_the_top_turns_above_the_first_rank_and_comes_down_its_targets_lane() {
        let f = 4;
        // By rule: from the decision's side port (rank 3) up its lane to the target's rank,
        // where it turns into the target.
        let (cells, partner) = loop_cells(&Choices::default());
        assert_eq!(cells, vec![(3, 1), (2, 1), (1, 1)]);
        assert_eq!(partner, Some((1, 0)));
        // Over the top: on up to the first rank, then down the target's lane into it.
        let (cells, partner) = loop_cells(&Choices::default().toggle_over_top(f));
        assert_eq!(cells, vec![(3, 1), (2, 1), (1, 1), (0, 1), (0, 0), (1, 0)]);
        assert_eq!(partner, Some((0, 0)));
        // Toggled twice, it turns just above its target again.
        let back = Choices::default().toggle_over_top(f).toggle_over_top(f);
        assert_eq!(loop_cells(&back).0.len(), 3);
    }

    #[test]
    fn one_exit_of_a_decision_holds_the_bottom_vertex() {
        let base = Choices {
            mains: vec![3, 9],
            ..Choices::default()
        };
        // Flow 5's siblings are 3 and 4: 3 gives the vertex up, 9 (another decision) keeps it.
        assert_eq!(base.toggle_main(5, &[3, 4]).mains, vec![9, 5]);
        assert_eq!(base.toggle_main(3, &[4, 5]).mains, vec![9]);
    }
}
