//! Handoffs: a flow into another lane drawn straight across its source's row, from the
//! source's side into the target's facing side, as cross-functional flowcharts draw work
//! passing from one actor to the next. Such a flow costs no row, where every other flow
//! goes down at least one. This module says which flows may be one, ranks the steps so
//! that they stay in their row, and sends a handoff down a row where it cannot be drawn
//! there (two ends on one side of a box, a box in a lane it would pass through...).

use std::collections::{BTreeMap, BTreeSet};

use super::graph::Stack;

/// What the rules need to know about one step's node.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct NodeRole {
    /// Its lane.
    pub lane: usize,
    /// A decision: its first forward exit leaves from the bottom vertex, the others from a
    /// side.
    pub decision: bool,
    /// A comment is drawn beside it, on a side without a handoff, or above or below it.
    pub commented: bool,
    /// Its comment is chosen to stand above or below it, where that edge carries no flow.
    pub stacked: Option<Stack>,
}

/// Whether each flow may be drawn in its source's row: a forward flow into another lane,
/// other than a decision's bottom-vertex exit (`sided` tells which flows leave from a side
/// by rule). Back flows and the others go down a row at least. A data step's handoff
/// meets its slanted side at its midpoint, on the row's centre line.
pub(crate) fn may_stay_level(
    roles: &[NodeRole],
    flows: &[(usize, usize, usize)],
    back: &[bool],
    sided: &[bool],
) -> Vec<bool> {
    flows
        .iter()
        .enumerate()
        .map(|(f, &(u, v, _))| {
            !back[f] && !bottom_vertex(roles, u, sided[f]) && roles[u].lane != roles[v].lane
        })
        .collect()
}

/// True for a flow out of node `u` that leaves a decision from its bottom vertex (not
/// `sided`): it never hands off.
fn bottom_vertex(roles: &[NodeRole], u: usize, sided: bool) -> bool {
    roles[u].decision && !sided
}

/// Moves ranks down, as little as it takes, until every forward flow goes down at least
/// one rank, or none for a flow that may stay `level`. The forward flows make no cycle, so
/// as many passes as nodes settle every rank.
pub(crate) fn settle(ranks: &mut [usize], forward: &[(usize, usize)], level: Option<&[bool]>) {
    for _ in 0..ranks.len() {
        let mut changed = false;
        for (i, &(u, v)) in forward.iter().enumerate() {
            let step = usize::from(!level.is_some_and(|l| l[i]));
            if ranks[v] < ranks[u] + step {
                ranks[v] = ranks[u] + step;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// The flows of `flows` drawn as handoffs with these `ranks`: forward flows whose two ends
/// share a rank.
pub(crate) fn handoffs(
    ranks: &[usize],
    flows: &[(usize, usize, usize)],
    back: &[bool],
) -> Vec<bool> {
    flows
        .iter()
        .zip(back)
        .map(|(&(u, v, _), &is_back)| !is_back && ranks[u] == ranks[v])
        .collect()
}

/// True when a handoff from a node in lane `from` goes right (to a lane of higher index).
pub(crate) fn goes_right(roles: &[NodeRole], u: usize, v: usize) -> bool {
    roles[v].lane > roles[u].lane
}

/// Sends down one row the target of each handoff that cannot be drawn in its row, flows in
/// file order, until every one left can (`forward` and `level` as for [`settle`]; `sided`
/// tells for each flow of `flows` whether it leaves from a side by rule and the choices
/// made). A handoff cannot be drawn when:
/// - it is its decision's bottom-vertex exit;
/// - a side of its source or target already holds a handoff end, or the node's sides left
///   free of handoffs could not give its other side exits one side and a comment beside it
///   another (its dashed line would run along an exit's line); a comment takes no side when
///   it is to stand above the node and every flow into it is a handoff (and it is no
///   decision with side exits, their labels above their lines), or below it and every flow
///   out of it is one;
/// - one of its ends must stand at an end of its lane in that row, and another step already
///   must stand there, or a step holding both ends of its lane has another step beside it;
/// - a lane it passes through holds a step in that row.
pub(crate) fn keep_drawable(
    ranks: &mut [usize],
    roles: &[NodeRole],
    flows: &[(usize, usize, usize)],
    back: &[bool],
    sided: &[bool],
    forward: &[(usize, usize)],
    level: &[bool],
) {
    // Each pass stops at the first handoff that cannot be drawn; pushing it down only moves
    // ranks down, and the ranks are bounded, so the passes end.
    while let Some(f) = first_undrawable(ranks, roles, flows, back, sided) {
        let (u, v, _) = flows[f];
        ranks[v] = ranks[u] + 1;
        settle(ranks, forward, Some(level));
    }
}

/// The first handoff, in file order, that cannot be drawn in its row (see
/// [`keep_drawable`]).
fn first_undrawable(
    ranks: &[usize],
    roles: &[NodeRole],
    flows: &[(usize, usize, usize)],
    back: &[bool],
    sided: &[bool],
) -> Option<usize> {
    let handoff = handoffs(ranks, flows, back);
    // Side exits other than handoffs, per node: they need a side without a handoff end.
    let mut side_exits = vec![0usize; roles.len()];
    // Flows other than handoffs into and out of each node: they take its top and bottom;
    // and a decision's side exits, whose labels stand above their lines, beside its top.
    let mut entries = vec![0usize; roles.len()];
    let mut exits = vec![0usize; roles.len()];
    let mut labelled = vec![0usize; roles.len()];
    for (f, &(u, v, _)) in flows.iter().enumerate() {
        if sided[f] && !handoff[f] {
            side_exits[u] += 1;
        }
        if !handoff[f] {
            entries[v] += 1;
            exits[u] += 1;
        }
        if roles[u].decision && (sided[f] || handoff[f]) {
            labelled[u] += 1;
        }
    }
    // A comment keeps a place when the edge it is to stand at carries no flow.
    let comment_placed = |n: usize| match roles[n].stacked {
        _ if !roles[n].commented => true,
        Some(Stack::Above) => entries[n] == 0 && labelled[n] == 0,
        Some(Stack::Below) => exits[n] == 0,
        None => false,
    };
    let mut steps_at: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (n, role) in roles.iter().enumerate() {
        *steps_at.entry((ranks[n], role.lane)).or_default() += 1;
    }
    let mut sides_taken: BTreeSet<(usize, bool)> = BTreeSet::new();
    let mut lane_ends: BTreeMap<(usize, usize, bool), usize> = BTreeMap::new();
    let mut take = |n: usize, right: bool| -> bool {
        if !sides_taken.insert((n, right)) {
            return false;
        }
        // The sides a handoff leaves must hold the step's other side exits and a comment
        // beside it, each on a side of its own: the comment's dashed line would run along a
        // side exit's line.
        let both = sides_taken.contains(&(n, !right));
        let free_sides = usize::from(!both);
        let needing = usize::from(side_exits[n] > 0) + usize::from(!comment_placed(n));
        if needing > free_sides {
            return false;
        }
        let (rank, lane) = (ranks[n], roles[n].lane);
        if let Some(&other) = lane_ends.get(&(rank, lane, right))
            && other != n
        {
            return false;
        }
        lane_ends.insert((rank, lane, right), n);
        !(both && steps_at.get(&(rank, lane)).copied().unwrap_or(0) > 1)
    };
    for (f, &(u, v, _)) in flows.iter().enumerate() {
        if !handoff[f] {
            continue;
        }
        let right = goes_right(roles, u, v);
        let (lo, hi) = if right {
            (roles[u].lane, roles[v].lane)
        } else {
            (roles[v].lane, roles[u].lane)
        };
        let passes_a_step = (lo + 1..hi).any(|lane| steps_at.contains_key(&(ranks[u], lane)));
        if bottom_vertex(roles, u, sided[f]) || passes_a_step || !take(u, right) || !take(v, !right)
        {
            return Some(f);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(lane: usize) -> NodeRole {
        NodeRole {
            lane,
            ..NodeRole::default()
        }
    }

    #[test]
    fn with_every_flow_a_row_down_settling_from_zero_is_the_longest_path() {
        let forward = [(0, 1), (1, 2), (0, 2), (2, 3)];
        let mut ranks = vec![0; 4];
        settle(&mut ranks, &forward, None);
        assert_eq!(ranks, vec![0, 1, 2, 3]);
    }

    #[test]
    fn a_level_flow_keeps_its_target_in_the_row() {
        // 0 → 1 level (another lane), 1 → 2 a row down, 0 → 2 a row down.
        let forward = [(0, 1), (1, 2), (0, 2)];
        let mut ranks = vec![0; 3];
        settle(&mut ranks, &forward, Some(&[true, false, false]));
        assert_eq!(ranks, vec![0, 0, 1]);
    }

    #[test]
    fn a_decisions_first_exit_loops_and_one_lane_flows_are_never_level() {
        let mut roles = vec![role(0), role(1), role(1), role(2), role(0)];
        roles[0].decision = true;
        // 0 → 1 (its first exit), 0 → 2 (a side exit), 1 → 2 (one lane), 2 → 3 and
        // 2 → 4 (into other lanes; whether 3 is a data step makes no difference: a handoff
        // meets a parallelogram's slanted side at its midpoint), 4 → 0 (a loop).
        let flows = [
            (0, 1, 0),
            (0, 2, 1),
            (1, 2, 0),
            (2, 3, 0),
            (2, 4, 1),
            (4, 0, 0),
        ];
        let back = [false, false, false, false, false, true];
        // By rule the decision's first forward exit leaves from its bottom vertex, its other
        // exit from a side, and the loop from a side.
        let sided = [false, true, false, false, false, true];
        assert_eq!(
            may_stay_level(&roles, &flows, &back, &sided),
            vec![false, true, false, true, true, false]
        );
    }

    /// The ranks [`keep_drawable`] leaves from `ranks`, every flow forward and allowed to
    /// stay level, `sided` telling which leave from a side.
    fn kept(
        ranks: &[usize],
        roles: &[NodeRole],
        flows: &[(usize, usize, usize)],
        sided: &[bool],
    ) -> Vec<usize> {
        let forward: Vec<(usize, usize)> = flows.iter().map(|&(u, v, _)| (u, v)).collect();
        let (back, level) = (vec![false; flows.len()], vec![true; flows.len()]);
        let mut ranks = ranks.to_vec();
        keep_drawable(&mut ranks, roles, flows, &back, sided, &forward, &level);
        ranks
    }

    #[test]
    fn a_handoff_through_a_lane_holding_a_step_in_its_row_goes_down() {
        // 0 (lane 0) → 1 (lane 2) level, 2 in lane 1 in the same row: 1 goes a row down.
        let roles = [role(0), role(2), role(1)];
        assert_eq!(
            kept(&[0, 0, 0], &roles, &[(0, 1, 0)], &[true]),
            vec![0, 1, 0]
        );
    }

    #[test]
    fn handoffs_on_either_side_stay_and_a_second_one_out_of_one_side_goes_down() {
        let roles = [role(0), role(0), role(1), role(1)];
        // 0 → 2 level; 0 → 1 within lane 0 (1 a row below 0); 1 → 3 level.
        let flows = [(0, 2, 0), (0, 1, 1), (1, 3, 0)];
        let forward = [(0, 2), (0, 1), (1, 3)];
        let mut ranks = vec![0; 4];
        settle(&mut ranks, &forward, Some(&[true, false, true]));
        assert_eq!(ranks, vec![0, 1, 0, 1]);
        // Nothing shares a side or a lane end: both handoffs stay.
        assert_eq!(kept(&ranks, &roles, &flows, &[true, false, true]), ranks);
        // 0 → 2 and 0 → 3, two handoffs out of 0's right side: the second goes down a row.
        let flows = [(0, 2, 0), (0, 3, 1)];
        assert_eq!(
            kept(&[0; 4], &roles, &flows, &[true, true]),
            vec![0, 0, 0, 1]
        );
    }

    #[test]
    fn a_handoff_into_a_commented_decision_with_a_side_exit_goes_down() {
        // 0 (lane 0) → 1 (lane 1) level into 1's left side; 1, a decision, sends its first
        // exit down to 2 and its second from its right vertex to 3, both in lane 1 a row
        // below: with a comment beside it, the comment would have no side of its own and
        // its dashed line would run along the side exit's line. The handoff goes down, the
        // flow coming into 1's top, and the comment takes the left side.
        let mut roles = [role(0), role(1), role(1), role(1)];
        roles[1].decision = true;
        let flows = [(0, 1, 0), (1, 2, 0), (1, 3, 1)];
        let forward = [(0, 1), (1, 2), (1, 3)];
        let level = [true, false, false];
        let kept = |roles: &[NodeRole]| {
            let mut ranks = vec![0; 4];
            settle(&mut ranks, &forward, Some(&level));
            let sided = [true, false, true];
            keep_drawable(
                &mut ranks,
                roles,
                &flows,
                &[false; 3],
                &sided,
                &forward,
                &level,
            );
            ranks
        };
        assert_eq!(kept(&roles), vec![0, 0, 1, 1]);
        roles[1].commented = true;
        assert_eq!(kept(&roles), vec![0, 1, 2, 2]);
        // Below it the comment would stand where the first exit leaves: the same.
        roles[1].stacked = Some(Stack::Below);
        assert_eq!(kept(&roles), vec![0, 1, 2, 2]);
    }

    #[test]
    fn a_bottom_exit_a_full_node_and_a_taken_lane_end_send_a_handoff_down() {
        let mut roles = [role(0), role(1), role(0), role(2)];
        // An action's flow, forward from the bottom by rule, turns to the facing side.
        assert_eq!(
            kept(&[0, 0, 5, 5], &roles, &[(0, 1, 0)], &[false]),
            vec![0, 0, 5, 5]
        );
        // A decision's exit leaving from the bottom vertex (not sided) goes down.
        roles[0].decision = true;
        assert_eq!(
            kept(&[0, 0, 5, 5], &roles, &[(0, 1, 0)], &[false]),
            vec![0, 1, 5, 5]
        );
        // Two steps of lane 0 in one row both need its right end: the second goes down.
        let roles = [role(0), role(1), role(0), role(1)];
        let flows = [(0, 1, 0), (2, 3, 0)];
        assert_eq!(
            kept(&[0; 4], &roles, &flows, &[true, true]),
            vec![0, 0, 0, 1]
        );
        // A commented step entered from the left and leaving to the right has no side left
        // for its comment: its exit goes down (from the step's bottom, an action's way down,
        // so the comment takes the right side).
        let mut roles = [role(0), role(1), role(2)];
        roles[1].commented = true;
        let flows = [(0, 1, 0), (1, 2, 0)];
        assert_eq!(kept(&[0; 3], &roles, &flows, &[true, false]), vec![0, 0, 1]);
    }

    #[test]
    fn a_comment_above_or_below_its_step_leaves_it_both_sides_where_that_edge_is_free() {
        // 0 (lane 0) → 1 (lane 1, commented) → 2 (lane 2), both level; 3 (lane 1), a row
        // above, flows into 1 as well, from above: 1's top is taken, its bottom free.
        let mut roles = [role(0), role(1), role(2), role(1)];
        roles[1].commented = true;
        let flows = [(0, 1, 0), (1, 2, 0)];
        let sided = [true, true];
        for at in [Stack::Above, Stack::Below] {
            roles[1].stacked = Some(at);
            assert_eq!(kept(&[0; 3], &roles[..3], &flows, &sided), vec![0, 0, 0]);
        }
        let flows = [(0, 1, 0), (1, 2, 0), (3, 1, 0)];
        let forward: Vec<(usize, usize)> = flows.iter().map(|&(u, v, _)| (u, v)).collect();
        let back = [false; 3];
        let level = [true, true, false];
        let kept_with = |at: Stack| {
            let mut roles = roles;
            roles[1].stacked = Some(at);
            let mut ranks = vec![1, 1, 1, 0];
            // Actions: a flow a row down leaves from the bottom, not from a side.
            keep_drawable(
                &mut ranks,
                &roles,
                &flows,
                &back,
                &[false, false, false],
                &forward,
                &level,
            );
            ranks
        };
        assert_eq!(kept_with(Stack::Below), vec![1, 1, 1, 0]);
        // Above, the comment would stand where 3's flow comes in: 1's exit goes down.
        assert_eq!(kept_with(Stack::Above), vec![1, 1, 2, 0]);
        // A decision's side exits have their labels above their lines: none above it. Its
        // exit goes down a row, still from its right vertex, which leaves the comment beside
        // it no side of its own: the flow into it comes down a row too, into its top.
        let mut roles = [role(0), role(1), role(2)];
        roles[1].commented = true;
        roles[1].decision = true;
        roles[1].stacked = Some(Stack::Above);
        let flows = [(0, 1, 0), (1, 2, 0)];
        assert_eq!(kept(&[0; 3], &roles, &flows, &sided), vec![0, 1, 1]);
    }
}
