//! Ranks (rows) of the acyclic flow graph, behind a small trait so the engine can be
//! replaced. The default uses layout-rs's ranked DAG.

use layout::adt::dag::{DAG, NodeHandle};

/// Assigns each node a rank so that every (forward) flow goes down at least one rank.
pub(crate) trait Ranker {
    /// Ranks of nodes `0..n` for the acyclic `edges` (from, to).
    fn ranks(&self, n: usize, edges: &[(usize, usize)]) -> Vec<usize>;
}

/// Longest-path ranking by layout-rs (`DAG::recompute_node_ranks`), guarded: its cycle check
/// is exponential, so validation is switched off (the caller has broken every cycle), and it
/// panics on an empty graph, which is answered without calling it.
pub(crate) struct LayoutRsRanker;

impl Ranker for LayoutRsRanker {
    fn ranks(&self, n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
        if n == 0 {
            return Vec::new();
        }
        let mut dag = DAG::new();
        dag.set_validate(false);
        dag.new_nodes(n);
        for &(u, v) in edges {
            if u != v && u < n && v < n {
                dag.add_edge(NodeHandle::new(u), NodeHandle::new(v));
            }
        }
        dag.recompute_node_ranks();
        let mut ranks = vec![0; n];
        for (r, row) in dag.ranks().iter().enumerate() {
            for h in row {
                ranks[h.get_index()] = r;
            }
        }
        ranks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_path_ranks() {
        let r = LayoutRsRanker.ranks(4, &[(0, 1), (1, 2), (0, 2), (2, 3)]);
        assert_eq!(r, vec![0, 1, 2, 3]);
    }

    #[test]
    fn empty_graph_does_not_panic() {
        assert!(LayoutRsRanker.ranks(0, &[]).is_empty());
    }
}
