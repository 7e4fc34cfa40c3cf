//! Lane compaction, after placement: the median pulls towards other lanes can leave empty
//! columns inside a lane (a lane as wide as its longest horizontal run, holding one narrow
//! step). Each lane is cut into clusters of cells whose extents (box, labels, half the gap
//! they need) overlap; the clusters are slid left until they touch. No cell changes order
//! with another and aligned cells stay aligned, so crossings and bends stay as they were:
//! only the empty width goes.

use super::graph::{CellKind, Layered};
use super::order::is_box;
use super::place::{BOX_GAP, LABEL_ROOM, TRACK_GAP};

/// Removes the empty columns of every lane; `bottom_label_w[node]` is the width of the label
/// under a decision's bottom vertex (it reaches right of the decision's centre).
pub(crate) fn compact_lanes(g: &mut Layered, lanes: usize, bottom_label_w: &[f32]) {
    // The extent of each group of cells that stay side by side (a node, its ports and its
    // comment), per lane: (lo, hi, cells).
    let mut spans: Vec<Vec<(f32, f32, Vec<usize>)>> = vec![Vec::new(); lanes];
    for group in &g.groups {
        for (lane, lane_spans) in spans.iter_mut().enumerate() {
            let cells: Vec<usize> = group
                .iter()
                .copied()
                .filter(|&c| g.cells[c].lane == lane)
                .collect();
            if cells.is_empty() {
                continue;
            }
            let lo = cells
                .iter()
                .map(|&c| extent(g, c, bottom_label_w).0)
                .fold(f32::MAX, f32::min);
            let hi = cells
                .iter()
                .map(|&c| extent(g, c, bottom_label_w).1)
                .fold(f32::MIN, f32::max);
            lane_spans.push((lo, hi, cells));
        }
    }
    for lane_spans in &mut spans {
        lane_spans.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
        // Clusters in x order: the shift of each span, and the right edge reached so far
        // before and after shifting.
        let mut shift = 0.0f32;
        let mut reach = f32::MIN;
        let mut moved_reach = f32::MIN;
        for (lo, hi, cells) in lane_spans.iter() {
            if *lo > reach {
                // A new cluster: it starts where the previous one ends, after shifting.
                if reach > f32::MIN {
                    // Whole pixels, rounded towards no move: never closer than allowed.
                    shift = (moved_reach - lo).min(0.0).ceil();
                }
                reach = *hi;
            } else {
                reach = reach.max(*hi);
            }
            moved_reach = moved_reach.max(hi + shift);
            for &c in cells {
                g.cells[c].x += shift;
            }
        }
    }
}

/// A cell's box widened by half the gap it needs to its neighbours (so two cells side by side
/// keep their separation), and a decision's bottom label.
fn extent(g: &Layered, c: usize, bottom_label_w: &[f32]) -> (f32, f32) {
    let cell = &g.cells[c];
    let pad = if is_box(&cell.kind) {
        BOX_GAP / 2.0
    } else {
        TRACK_GAP / 2.0
    };
    let mut hi = cell.x + cell.w / 2.0 + pad;
    if let CellKind::Node(n) = cell.kind
        && bottom_label_w[n] > 0.0
    {
        hi = hi.max(cell.x + bottom_label_w[n] + LABEL_ROOM + pad);
    }
    (cell.x - cell.w / 2.0 - pad, hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::layout::graph::Cell;

    #[test]
    fn an_empty_column_is_removed_and_order_kept() {
        // Two boxes 100 wide in ranks 0 and 1, 300 px apart: nothing lies between them, so
        // the second slides left until their extents (box + 20 px each side) touch.
        let mut g = Layered {
            cells: vec![
                Cell::at(0, CellKind::Node(0), 100.0, 0.0),
                Cell::at(1, CellKind::Node(1), 100.0, 300.0),
                // A track under the first box stays with it (same x, overlapping extents).
                Cell::at(1, CellKind::Virtual, 0.0, 0.0),
            ],
            groups: vec![vec![0], vec![1], vec![2]],
            ranks: 2,
            ..Layered::default()
        };
        compact_lanes(&mut g, 1, &[0.0, 0.0]);
        let xs: Vec<f32> = g.cells.iter().map(|c| c.x).collect();
        // Box 0 reaches 50 + 20 = 70; box 1's extent starts 70 px left of its centre.
        assert_eq!(xs, vec![0.0, 140.0, 0.0]);
    }

    #[test]
    fn a_decision_label_keeps_its_room() {
        let mut g = Layered {
            cells: vec![
                Cell::at(0, CellKind::Node(0), 100.0, 0.0),
                Cell::at(1, CellKind::Node(1), 100.0, 400.0),
            ],
            groups: vec![vec![0], vec![1]],
            ranks: 2,
            ..Layered::default()
        };
        // The label under node 0 reaches 80 px right of its centre, plus its room (22).
        compact_lanes(&mut g, 1, &[80.0, 0.0]);
        assert_eq!(g.cells[1].x, 80.0 + LABEL_ROOM + 20.0 + 70.0);
    }
}
