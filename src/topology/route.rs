//! Orthogonal routing of links on a grid that goes around every device box.
//!
//! The grid's lines are the borders of the (inflated) obstacles, the port positions and the
//! middles of the channels between them; a link is the cheapest grid path, where cost is
//! length plus penalties for bends, for crossing or running along another link, and for
//! running on a zone's border. Because every grid edge that would enter an obstacle is
//! removed, no link can pass through a device box: invariant 2 holds by construction.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::geom::{Point, Rect, RectExt};

/// A direction of travel on the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    /// Towards smaller y.
    Up,
    /// Towards larger y.
    Down,
    /// Towards smaller x.
    Left,
    /// Towards larger x.
    Right,
}

impl Dir {
    fn index(self) -> usize {
        self as usize
    }

    /// True for left and right.
    pub(crate) fn is_horizontal(self) -> bool {
        matches!(self, Dir::Left | Dir::Right)
    }
}

const BEND: f32 = 24.0;
const CROSS: f32 = 60.0;
const OVERLAP_FACTOR: f32 = 6.0;
const BORDER_FACTOR: f32 = 3.0;
const INSIDE_ZONE_FACTOR: f32 = 0.3;
const HUG_FACTOR: f32 = 0.2;
const NEAR_SOURCE: f32 = 0.0001;

/// The routing grid and what earlier links already use.
pub(crate) struct Grid {
    xs: Vec<f32>,
    ys: Vec<f32>,
    blocked: Vec<bool>,
    /// Edge from node to its right neighbour is free of obstacles.
    h_ok: Vec<bool>,
    /// Edge from node to its lower neighbour is free of obstacles.
    v_ok: Vec<bool>,
    h_penalty: Vec<f32>,
    v_penalty: Vec<f32>,
    h_used: Vec<u16>,
    v_used: Vec<u16>,
    node_h: Vec<u16>,
    node_v: Vec<u16>,
}

impl Grid {
    /// A grid over `xs` × `ys` (extra coordinates beyond the obstacles' borders), avoiding the
    /// interiors of `obstacles` and discouraging runs along the `borders` (zone outlines).
    pub(crate) fn new(
        mut xs: Vec<f32>,
        mut ys: Vec<f32>,
        obstacles: &[Rect],
        borders: &[Rect],
    ) -> Grid {
        for r in obstacles {
            xs.extend([r.x, r.right()]);
            ys.extend([r.y, r.bottom()]);
        }
        let xs = with_channel_middles(xs);
        let ys = with_channel_middles(ys);
        let (nx, ny) = (xs.len(), ys.len());
        let inside = |p: Point| obstacles.iter().any(|r| r.contains_point_strictly(p));
        let mut blocked = vec![false; nx * ny];
        let mut h_ok = vec![false; nx * ny];
        let mut v_ok = vec![false; nx * ny];
        let mut h_penalty = vec![0.0; nx * ny];
        let mut v_penalty = vec![0.0; nx * ny];
        for j in 0..ny {
            for i in 0..nx {
                blocked[j * nx + i] = inside(Point::new(xs[i], ys[j]));
            }
        }
        for j in 0..ny {
            for i in 0..nx {
                let n = j * nx + i;
                if i + 1 < nx && !blocked[n] && !blocked[n + 1] {
                    let mid = Point::new((xs[i] + xs[i + 1]) / 2.0, ys[j]);
                    h_ok[n] = !inside(mid);
                    let len = xs[i + 1] - xs[i];
                    if along_border(borders, ys[j], xs[i], xs[i + 1], true) {
                        h_penalty[n] = len * BORDER_FACTOR;
                    }
                    // Long runs read best in the channels between zones.
                    if borders.iter().any(|z| z.contains_point_strictly(mid)) {
                        h_penalty[n] += len * INSIDE_ZONE_FACTOR;
                    }
                    // A run in the middle of a channel reads better than one hugging a box.
                    if along_border(obstacles, ys[j], xs[i], xs[i + 1], true) {
                        h_penalty[n] += len * HUG_FACTOR;
                    }
                }
                if j + 1 < ny && !blocked[n] && !blocked[n + nx] {
                    let mid = Point::new(xs[i], (ys[j] + ys[j + 1]) / 2.0);
                    v_ok[n] = !inside(mid);
                    let len = ys[j + 1] - ys[j];
                    if along_border(borders, xs[i], ys[j], ys[j + 1], false) {
                        v_penalty[n] = len * BORDER_FACTOR;
                    }
                    if borders.iter().any(|z| z.contains_point_strictly(mid)) {
                        v_penalty[n] += len * INSIDE_ZONE_FACTOR;
                    }
                    if along_border(obstacles, xs[i], ys[j], ys[j + 1], false) {
                        v_penalty[n] += len * HUG_FACTOR;
                    }
                }
            }
        }
        let size = nx * ny;
        Grid {
            xs,
            ys,
            blocked,
            h_ok,
            v_ok,
            h_penalty,
            v_penalty,
            h_used: vec![0; size],
            v_used: vec![0; size],
            node_h: vec![0; size],
            node_v: vec![0; size],
        }
    }

    fn node_of(&self, p: Point) -> Option<usize> {
        let i = self.xs.iter().position(|x| (x - p.x).abs() < 0.01)?;
        let j = self.ys.iter().position(|y| (y - p.y).abs() < 0.01)?;
        let n = j * self.xs.len() + i;
        (!self.blocked[n]).then_some(n)
    }

    fn point(&self, n: usize) -> Point {
        let nx = self.xs.len();
        Point::new(self.xs[n % nx], self.ys[n / nx])
    }

    /// The neighbour of `n` in direction `d`, with the step's cost, when the edge is free.
    fn step(&self, n: usize, d: Dir, source_level: f32) -> Option<(usize, f32)> {
        let nx = self.xs.len();
        let (i, j) = (n % nx, n / nx);
        let (m, edge, horizontal) = match d {
            Dir::Right if i + 1 < nx => (n + 1, n, true),
            Dir::Left if i > 0 => (n - 1, n - 1, true),
            Dir::Down if j + 1 < self.ys.len() => (n + nx, n, false),
            Dir::Up if j > 0 => (n - nx, n - nx, false),
            _ => return None,
        };
        let (ok, used, penalty) = if horizontal {
            (self.h_ok[edge], self.h_used[edge], self.h_penalty[edge])
        } else {
            (self.v_ok[edge], self.v_used[edge], self.v_penalty[edge])
        };
        if !ok {
            return None;
        }
        let a = self.point(n);
        let b = self.point(m);
        let len = (a.x - b.x).abs() + (a.y - b.y).abs();
        let mut cost = len + penalty + f32::from(used) * len * OVERLAP_FACTOR;
        let crossing = if horizontal {
            self.node_v[m]
        } else {
            self.node_h[m]
        };
        cost += f32::from(crossing) * CROSS;
        if horizontal {
            // Among otherwise equal routes, run across as near the source's level as
            // possible, so that sibling links from one switch turn on the same line (turning
            // early also gave fewer crossings than turning late on generated networks).
            cost += len * NEAR_SOURCE * (a.y - source_level).abs();
        }
        Some((m, cost))
    }

    /// The cheapest path from `start` (leaving in `start_dir`) to `end` (arriving in
    /// `end_dir`), as its corner points, both ends included; `None` when the two points are
    /// not on free grid nodes or nothing connects them.
    pub(crate) fn route(
        &self,
        start: Point,
        start_dir: Dir,
        end: Point,
        end_dir: Dir,
    ) -> Option<Vec<Point>> {
        let s = self.node_of(start)?;
        let t = self.node_of(end)?;
        let target = self.point(t);
        let heuristic = |n: usize| {
            let p = self.point(n);
            (p.x - target.x).abs() + (p.y - target.y).abs()
        };
        let states = self.blocked.len() * 4;
        let mut best = vec![f32::INFINITY; states];
        let mut prev = vec![usize::MAX; states];
        let mut heap = BinaryHeap::new();
        let first = s * 4 + start_dir.index();
        best[first] = 0.0;
        heap.push(State {
            f: heuristic(s),
            g: 0.0,
            id: first,
        });
        let dirs = [Dir::Up, Dir::Down, Dir::Left, Dir::Right];
        let mut reached = None;
        while let Some(State { g, id, .. }) = heap.pop() {
            if g > best[id] {
                continue;
            }
            let (n, d) = (id / 4, dirs[id % 4]);
            if n == t {
                reached = Some(id);
                break;
            }
            for nd in dirs {
                if opposite(nd, d) {
                    continue;
                }
                let Some((m, cost)) = self.step(n, nd, start.y) else {
                    continue;
                };
                let mut g2 = g + cost + if nd == d { 0.0 } else { BEND };
                if m == t && nd != end_dir {
                    g2 += BEND;
                }
                let id2 = m * 4 + nd.index();
                if g2 < best[id2] {
                    best[id2] = g2;
                    prev[id2] = id;
                    heap.push(State {
                        f: g2 + heuristic(m),
                        g: g2,
                        id: id2,
                    });
                }
            }
        }
        let mut id = reached?;
        let mut nodes = vec![id / 4];
        while prev[id] != usize::MAX {
            id = prev[id];
            nodes.push(id / 4);
        }
        nodes.reverse();
        Some(nodes.into_iter().map(|n| self.point(n)).collect())
    }

    /// Records the grid points of a routed path so later links avoid running along it.
    pub(crate) fn occupy(&mut self, points: &[Point]) {
        for w in points.windows(2) {
            let (Some(a), Some(b)) = (self.node_of_any(w[0]), self.node_of_any(w[1])) else {
                continue;
            };
            let nx = self.xs.len();
            let horizontal = a / nx == b / nx;
            let (lo, hi) = (a.min(b), a.max(b));
            let stride = if horizontal { 1 } else { nx };
            let mut n = lo;
            while n < hi {
                if horizontal {
                    self.h_used[n] += 1;
                    self.node_h[n] += 1;
                } else {
                    self.v_used[n] += 1;
                    self.node_v[n] += 1;
                }
                n += stride;
            }
            if horizontal {
                self.node_h[hi] += 1;
            } else {
                self.node_v[hi] += 1;
            }
        }
    }

    fn node_of_any(&self, p: Point) -> Option<usize> {
        let i = self.xs.iter().position(|x| (x - p.x).abs() < 0.01)?;
        let j = self.ys.iter().position(|y| (y - p.y).abs() < 0.01)?;
        Some(j * self.xs.len() + i)
    }
}

fn opposite(a: Dir, b: Dir) -> bool {
    matches!(
        (a, b),
        (Dir::Up, Dir::Down)
            | (Dir::Down, Dir::Up)
            | (Dir::Left, Dir::Right)
            | (Dir::Right, Dir::Left)
    )
}

/// True when the segment at `at` from `a` to `b` runs on (within 4 px of) a rectangle's side.
fn along_border(borders: &[Rect], at: f32, a: f32, b: f32, horizontal: bool) -> bool {
    borders.iter().any(|r| {
        let (lines, lo, hi) = if horizontal {
            ([r.y, r.bottom()], r.x, r.right())
        } else {
            ([r.x, r.right()], r.y, r.bottom())
        };
        lines.iter().any(|l| (l - at).abs() < 4.0) && a < hi && b > lo
    })
}

/// Sorted unique coordinates plus the middle of every gap wide enough to route in.
fn with_channel_middles(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    v.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    let mut out = v.clone();
    for w in v.windows(2) {
        if w[1] - w[0] > 16.0 {
            out.push(((w[0] + w[1]) / 2.0).round());
        }
    }
    out.sort_by(f32::total_cmp);
    out.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    out
}

#[derive(PartialEq)]
struct State {
    f: f32,
    g: f32,
    id: usize,
}

impl Eq for State {}

impl Ord for State {
    fn cmp(&self, other: &Self) -> Ordering {
        // Smallest f first; ties broken by id so the search is deterministic.
        other
            .f
            .total_cmp(&self.f)
            .then_with(|| other.id.cmp(&self.id))
    }
}

impl PartialOrd for State {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goes_around_an_obstacle_with_two_bends_each_way() {
        // A box between the two points: the path must leave the straight line.
        let obstacle = Rect::new(40.0, -20.0, 20.0, 40.0);
        let grid = Grid::new(vec![0.0, 100.0], vec![0.0, -40.0, 40.0], &[obstacle], &[]);
        let path = grid
            .route(
                Point::new(0.0, 0.0),
                Dir::Right,
                Point::new(100.0, 0.0),
                Dir::Right,
            )
            .unwrap();
        assert_eq!(path.first(), Some(&Point::new(0.0, 0.0)));
        assert_eq!(path.last(), Some(&Point::new(100.0, 0.0)));
        for w in path.windows(2) {
            assert!(!obstacle.contains_point_strictly(Point::new(
                (w[0].x + w[1].x) / 2.0,
                (w[0].y + w[1].y) / 2.0
            )));
            assert!(!obstacle.crossed_by(w[0], w[1]), "{path:?}");
        }
    }

    #[test]
    fn a_free_straight_line_is_taken() {
        let grid = Grid::new(vec![0.0, 50.0, 100.0], vec![0.0, 30.0], &[], &[]);
        let path = grid
            .route(
                Point::new(0.0, 0.0),
                Dir::Right,
                Point::new(100.0, 0.0),
                Dir::Right,
            )
            .unwrap();
        let corners = simplify_for_test(&path);
        assert_eq!(corners, vec![Point::new(0.0, 0.0), Point::new(100.0, 0.0)]);
    }

    fn simplify_for_test(points: &[Point]) -> Vec<Point> {
        crate::diagram::geometry::simplify(points)
    }

    #[test]
    fn channel_middles_are_added_to_wide_gaps_only() {
        assert_eq!(
            with_channel_middles(vec![0.0, 10.0, 40.0, 40.0]),
            vec![0.0, 10.0, 25.0, 40.0]
        );
    }
}
