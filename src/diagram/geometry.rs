//! Points, rectangles and orthogonal polylines in viewBox units (px at scale 1).

/// A point in viewBox units.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// Horizontal position, growing to the right.
    pub x: f32,
    /// Vertical position, growing downwards.
    pub y: f32,
}

impl Point {
    /// The point at `x`, `y`.
    pub(crate) fn new(x: f32, y: f32) -> Point {
        Point { x, y }
    }
}

/// An axis-aligned rectangle: its top-left corner, width and height.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// How far apart two coordinates may be and still count as equal (rounding in SVG output).
pub const EPS: f32 = 0.01;

impl Rect {
    /// The rectangle with top-left corner `x`, `y` and size `w` × `h`.
    pub(crate) fn new(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect { x, y, w, h }
    }

    /// The rectangle of size `w` × `h` centred on `c`.
    pub(crate) fn centered(c: Point, w: f32, h: f32) -> Rect {
        Rect::new(c.x - w / 2.0, c.y - h / 2.0, w, h)
    }

    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// The centre.
    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// The rectangle grown by `m` on every side.
    pub(crate) fn inflate(&self, m: f32) -> Rect {
        Rect::new(self.x - m, self.y - m, self.w + 2.0 * m, self.h + 2.0 * m)
    }

    /// True when the interiors of the two rectangles share some area.
    pub(crate) fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() - EPS
            && other.x < self.right() - EPS
            && self.y < other.bottom() - EPS
            && other.y < self.bottom() - EPS
    }

    /// True when `p` lies on the border of the rectangle.
    #[cfg(test)]
    pub(crate) fn on_border(&self, p: Point) -> bool {
        let within_x = p.x >= self.x - EPS && p.x <= self.right() + EPS;
        let within_y = p.y >= self.y - EPS && p.y <= self.bottom() + EPS;
        let on_vertical = (p.x - self.x).abs() <= EPS || (p.x - self.right()).abs() <= EPS;
        let on_horizontal = (p.y - self.y).abs() <= EPS || (p.y - self.bottom()).abs() <= EPS;
        (on_vertical && within_y) || (on_horizontal && within_x)
    }

    /// True when the axis-parallel segment `a`–`b` passes through the interior.
    pub(crate) fn crossed_by(&self, a: Point, b: Point) -> bool {
        let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
        let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
        x0 < self.right() - EPS
            && x1 > self.x + EPS
            && y0 < self.bottom() - EPS
            && y1 > self.y + EPS
    }

    /// The smallest rectangle holding both.
    pub(crate) fn union(&self, other: &Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Rect::new(
            x,
            y,
            self.right().max(other.right()) - x,
            self.bottom().max(other.bottom()) - y,
        )
    }
}

/// Removes repeated points and merges collinear runs, so every remaining point is a bend.
pub fn simplify(points: &[Point]) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for &p in points {
        if let Some(last) = out.last()
            && (last.x - p.x).abs() <= EPS
            && (last.y - p.y).abs() <= EPS
        {
            continue;
        }
        if out.len() >= 2 {
            let a = out[out.len() - 2];
            let b = out[out.len() - 1];
            let vertical = (a.x - b.x).abs() <= EPS && (b.x - p.x).abs() <= EPS;
            let horizontal = (a.y - b.y).abs() <= EPS && (b.y - p.y).abs() <= EPS;
            let same_direction = if vertical {
                (b.y - a.y) * (p.y - b.y) > 0.0
            } else {
                (b.x - a.x) * (p.x - b.x) > 0.0
            };
            if (vertical || horizontal) && same_direction {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// The number of bends of an orthogonal polyline (points between the two ends).
pub fn bends(points: &[Point]) -> usize {
    points.len().saturating_sub(2)
}

/// The length of a polyline.
pub fn length(points: &[Point]) -> f32 {
    points
        .windows(2)
        .map(|w| (w[1].x - w[0].x).abs() + (w[1].y - w[0].y).abs())
        .sum()
}

/// The lowest and highest x and y of `points`, as two corners (the points' own coordinates:
/// no width is computed).
pub fn extent(points: &[Point]) -> (Point, Point) {
    let (mut lo, mut hi) = (
        Point::new(f32::MAX, f32::MAX),
        Point::new(f32::MIN, f32::MIN),
    );
    for p in points {
        lo = Point::new(lo.x.min(p.x), lo.y.min(p.y));
        hi = Point::new(hi.x.max(p.x), hi.y.max(p.y));
    }
    (lo, hi)
}

/// The pairs `(i, j)`, `i < j`, of `polylines` whose extents meet (touching counts), in
/// order: only those can cross, and most pairs of a diagram's flows are far apart.
pub fn meeting_pairs(polylines: &[&[Point]]) -> Vec<(usize, usize)> {
    let extents: Vec<(Point, Point)> = polylines.iter().map(|p| extent(p)).collect();
    // Swept from left to right: a polyline meets only those starting before its right end,
    // so each is compared with its few neighbours in x instead of with every other.
    let mut by_left: Vec<usize> = (0..extents.len()).collect();
    by_left.sort_by(|&a, &b| extents[a].0.x.total_cmp(&extents[b].0.x));
    let mut out = Vec::new();
    for (k, &i) in by_left.iter().enumerate() {
        let (p_lo, p_hi) = extents[i];
        for &j in &by_left[k + 1..] {
            let (q_lo, q_hi) = extents[j];
            if q_lo.x > p_hi.x {
                break;
            }
            if !(q_hi.y < p_lo.y || p_hi.y < q_lo.y) {
                out.push((i.min(j), i.max(j)));
            }
        }
    }
    out.sort_unstable();
    out
}

/// The number of proper crossings between two orthogonal polylines: a horizontal segment of
/// one passing through a vertical segment of the other strictly inside both. Shared
/// endpoints and overlapping collinear parts (joins and splits) are not crossings.
pub fn crossings(a: &[Point], b: &[Point]) -> usize {
    let mut n = 0;
    for s in a.windows(2) {
        for t in b.windows(2) {
            if segments_cross(s[0], s[1], t[0], t[1]) {
                n += 1;
            }
        }
    }
    n
}

/// Where two orthogonal polylines cross properly (as counted by [`crossings`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crossing {
    /// The point where they cross.
    pub at: Point,
    /// True when the first polyline is the one running horizontally there.
    pub a_horizontal: bool,
    /// How far the vertical segment crossing there runs on beyond the crossing, on its
    /// shorter side.
    pub vertical_reach: f32,
    /// How far the horizontal segment crossing there runs on beyond it, on its shorter side.
    pub horizontal_reach: f32,
}

/// Every crossing of the polylines `a` and `b` (see [`Crossing`]).
pub fn crossing_points(a: &[Point], b: &[Point]) -> Vec<Crossing> {
    let mut out = Vec::new();
    for s in a.windows(2) {
        for t in b.windows(2) {
            if segments_cross(s[0], s[1], t[0], t[1]) {
                let a_horizontal = (s[0].y - s[1].y).abs() <= EPS;
                let (h, v) = if a_horizontal { (s, t) } else { (t, s) };
                let at = Point::new(v[0].x, h[0].y);
                out.push(Crossing {
                    at,
                    a_horizontal,
                    vertical_reach: (v[0].y - at.y).abs().min((v[1].y - at.y).abs()),
                    horizontal_reach: (h[0].x - at.x).abs().min((h[1].x - at.x).abs()),
                });
            }
        }
    }
    out
}

fn segments_cross(a0: Point, a1: Point, b0: Point, b1: Point) -> bool {
    let a_h = (a0.y - a1.y).abs() <= EPS;
    let b_h = (b0.y - b1.y).abs() <= EPS;
    let (h0, h1, v0, v1) = match (a_h, b_h) {
        (true, false) => (a0, a1, b0, b1),
        (false, true) => (b0, b1, a0, a1),
        _ => return false,
    };
    let (hx0, hx1) = (h0.x.min(h1.x), h0.x.max(h1.x));
    let (vy0, vy1) = (v0.y.min(v1.y), v0.y.max(v1.y));
    v0.x > hx0 + EPS && v0.x < hx1 - EPS && h0.y > vy0 + EPS && h0.y < vy1 - EPS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A polyline through `pts`.
    fn p(pts: &[(f32, f32)]) -> Vec<Point> {
        pts.iter().map(|&(x, y)| Point::new(x, y)).collect()
    }

    #[test]
    fn only_polylines_whose_extents_meet_are_paired() {
        let a = p(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]);
        // Touches a's extent at x = 10.
        let b = p(&[(10.0, 5.0), (20.0, 5.0)]);
        // Far from a, meets b's extent.
        let c = p(&[(15.0, 0.0), (15.0, 30.0)]);
        let d = p(&[(100.0, 100.0), (110.0, 100.0)]);
        assert_eq!(extent(&a), (Point::new(0.0, 0.0), Point::new(10.0, 10.0)));
        assert_eq!(meeting_pairs(&[&a, &b, &c, &d]), vec![(0, 1), (1, 2)],);
    }

    #[test]
    fn meeting_pairs_come_in_index_order_whatever_the_left_ends() {
        // Listed right to left: the sweep meets them in the other order.
        let a = p(&[(50.0, 0.0), (60.0, 0.0)]);
        let b = p(&[(30.0, 0.0), (55.0, 0.0)]);
        // Spans a and b in x but lies below them.
        let c = p(&[(0.0, 20.0), (100.0, 20.0)]);
        // Spans everything: meets all three.
        let d = p(&[(0.0, 0.0), (0.0, 40.0), (100.0, 40.0)]);
        // No points: meets nothing.
        let e: Vec<Point> = Vec::new();
        assert_eq!(
            meeting_pairs(&[&a, &b, &c, &d, &e]),
            vec![(0, 1), (0, 3), (1, 3), (2, 3)],
        );
    }

    #[test]
    fn simplify_merges_collinear_points() {
        let pts = [
            Point::new(0.0, 0.0),
            Point::new(0.0, 5.0),
            Point::new(0.0, 10.0),
            Point::new(0.0, 10.0),
            Point::new(5.0, 10.0),
        ];
        assert_eq!(
            simplify(&pts),
            vec![
                Point::new(0.0, 0.0),
                Point::new(0.0, 10.0),
                Point::new(5.0, 10.0)
            ]
        );
    }

    #[test]
    fn crossing_counts_only_proper_intersections() {
        let h = [Point::new(0.0, 5.0), Point::new(10.0, 5.0)];
        let v = [Point::new(5.0, 0.0), Point::new(5.0, 10.0)];
        let touching = [Point::new(10.0, 0.0), Point::new(10.0, 10.0)];
        assert_eq!(crossings(&h, &v), 1);
        assert_eq!(crossings(&h, &touching), 0);
        let at = |a_horizontal: bool| Crossing {
            at: Point::new(5.0, 5.0),
            a_horizontal,
            vertical_reach: 5.0,
            horizontal_reach: 5.0,
        };
        assert_eq!(crossing_points(&h, &v), vec![at(true)]);
        assert_eq!(crossing_points(&v, &h), vec![at(false)]);
        assert!(crossing_points(&h, &touching).is_empty());
    }

    #[test]
    fn rect_relations() {
        let r = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(r.overlaps(&Rect::new(5.0, 5.0, 10.0, 10.0)));
        assert!(!r.overlaps(&Rect::new(10.0, 0.0, 10.0, 10.0)));
        assert!(r.on_border(Point::new(5.0, 0.0)));
        assert!(!r.on_border(Point::new(5.0, 5.0)));
        assert!(r.crossed_by(Point::new(-5.0, 5.0), Point::new(15.0, 5.0)));
        assert!(!r.crossed_by(Point::new(-5.0, 0.0), Point::new(15.0, 0.0)));
    }
}
