//! Points and rectangles in viewBox units.

/// A point.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// Horizontal position, growing to the right.
    pub x: f32,
    /// Vertical position, growing downwards.
    pub y: f32,
}

impl Point {
    /// The point at `x`, `y`.
    pub fn new(x: f32, y: f32) -> Point {
        Point { x, y }
    }
}

/// An axis-aligned rectangle: top-left corner and size.
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

/// Tolerance for comparing coordinates written with two decimals.
pub const EPS: f32 = 0.01;

impl Rect {
    /// The rectangle at `x`, `y` of size `w` × `h`.
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect { x, y, w, h }
    }

    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// Horizontal centre.
    pub fn cx(&self) -> f32 {
        self.x + self.w / 2.0
    }

    /// Vertical centre.
    pub fn cy(&self) -> f32 {
        self.y + self.h / 2.0
    }

    /// The rectangle grown by `m` on every side.
    pub fn inflate(&self, m: f32) -> Rect {
        Rect::new(self.x - m, self.y - m, self.w + 2.0 * m, self.h + 2.0 * m)
    }

    /// The rectangle moved by `dx`, `dy`.
    pub fn shift(&self, dx: f32, dy: f32) -> Rect {
        Rect::new(self.x + dx, self.y + dy, self.w, self.h)
    }

    /// True when the interiors share some area.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.right() - EPS
            && o.x < self.right() - EPS
            && self.y < o.bottom() - EPS
            && o.y < self.bottom() - EPS
    }

    /// True when `o` lies inside (borders may touch).
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x - EPS
            && o.y >= self.y - EPS
            && o.right() <= self.right() + EPS
            && o.bottom() <= self.bottom() + EPS
    }

    /// True when `p` is strictly inside (not on the border).
    pub fn contains_point_strictly(&self, p: Point) -> bool {
        p.x > self.x + EPS
            && p.x < self.right() - EPS
            && p.y > self.y + EPS
            && p.y < self.bottom() - EPS
    }

    /// True when `p` lies on the border.
    pub fn on_border(&self, p: Point) -> bool {
        let in_x = p.x >= self.x - EPS && p.x <= self.right() + EPS;
        let in_y = p.y >= self.y - EPS && p.y <= self.bottom() + EPS;
        (in_x && ((p.y - self.y).abs() <= EPS || (p.y - self.bottom()).abs() <= EPS))
            || (in_y && ((p.x - self.x).abs() <= EPS || (p.x - self.right()).abs() <= EPS))
    }

    /// True when the horizontal or vertical segment `a`–`b` passes through the interior.
    pub fn crossed_by(&self, a: Point, b: Point) -> bool {
        let seg = Rect::new(
            a.x.min(b.x),
            a.y.min(b.y),
            (a.x - b.x).abs(),
            (a.y - b.y).abs(),
        );
        seg.x < self.right() - EPS
            && seg.right() > self.x + EPS
            && seg.y < self.bottom() - EPS
            && seg.bottom() > self.y + EPS
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, o: &Rect) -> Rect {
        let x = self.x.min(o.x);
        let y = self.y.min(o.y);
        Rect::new(
            x,
            y,
            self.right().max(o.right()) - x,
            self.bottom().max(o.bottom()) - y,
        )
    }
}
