//! The shared diagram geometry, with the few extra operations the topology layout needs.

pub use crate::diagram::geometry::{EPS, Point, Rect, simplify};

/// Topology-specific helpers on the shared [`Rect`].
pub(crate) trait RectExt {
    /// The rectangle moved by `dx`, `dy`.
    fn shift(&self, dx: f32, dy: f32) -> Rect;
    /// Horizontal centre.
    fn cx(&self) -> f32;
    /// Vertical centre.
    fn cy(&self) -> f32;
    /// True when `p` is strictly inside (not on the border).
    fn contains_point_strictly(&self, p: Point) -> bool;
}

impl RectExt for Rect {
    fn shift(&self, dx: f32, dy: f32) -> Rect {
        Rect::new(self.x + dx, self.y + dy, self.w, self.h)
    }

    fn cx(&self) -> f32 {
        self.x + self.w / 2.0
    }

    fn cy(&self) -> f32 {
        self.y + self.h / 2.0
    }

    fn contains_point_strictly(&self, p: Point) -> bool {
        p.x > self.x + EPS
            && p.x < self.right() - EPS
            && p.y > self.y + EPS
            && p.y < self.bottom() - EPS
    }
}
