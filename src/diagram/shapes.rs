//! ISO 5807 symbols: how big each must be to hold its content, where the content goes, and
//! the SVG elements that draw it.

use std::fmt::Write;

use super::geometry::{Point, Rect};
use super::model::Shape;
use super::number::num;

/// Room left between a symbol's border and its text.
const PAD_X: f32 = 12.0;
const PAD_Y: f32 = 8.0;
/// Height of the wave at the bottom of a document.
const WAVE: f32 = 5.0;
/// Horizontal offset of a parallelogram's slanted sides: the midpoint of each lies half
/// of it inside the box, where a flow across its row meets it.
pub(crate) const SKEW: f32 = 12.0;
/// Distance of a subprocess's inner vertical lines from its sides.
const INNER: f32 = 7.0;
/// Width of a diamond over its height: wider than tall reads better and holds lines.
const DIAMOND_RATIO: f32 = 2.0;

/// The outer size of `shape` holding content of `w` × `h`, at least `min_w` wide.
pub(crate) fn outer_size(shape: Shape, w: f32, h: f32, min_w: f32) -> (f32, f32) {
    let (ow, oh) = match shape {
        Shape::Stadium => {
            let oh = (h + 2.0 * PAD_Y).max(36.0);
            (w + oh, oh)
        }
        Shape::Rect => (w + 2.0 * PAD_X, (h + 2.0 * PAD_Y).max(40.0)),
        Shape::Subprocess => (w + 2.0 * (PAD_X + INNER), (h + 2.0 * PAD_Y).max(40.0)),
        Shape::Document => (w + 2.0 * PAD_X, (h + 2.0 * PAD_Y + 2.0 * WAVE).max(44.0)),
        Shape::Parallelogram => (w + 2.0 * (PAD_X + SKEW), (h + 2.0 * PAD_Y).max(40.0)),
        Shape::Diamond => {
            // The text box (w × h) fits inside the diamond when w/2/a + h/2/b ≤ 1, with
            // b = a / ratio: a = (w + ratio·h) / 2, plus a margin.
            let a = (w + DIAMOND_RATIO * h) / 2.0 + 10.0;
            (2.0 * a, 2.0 * a / DIAMOND_RATIO)
        }
        Shape::Circle => {
            let d = w.max(h) + 12.0;
            (d.max(28.0), d.max(28.0))
        }
        Shape::Bracket => (w + PAD_X + 4.0, h + 2.0 * PAD_Y),
    };
    let ow = ow.max(min_w);
    let oh = if shape == Shape::Diamond {
        oh.max(ow / DIAMOND_RATIO)
    } else if shape == Shape::Circle {
        oh.max(ow)
    } else {
        oh
    };
    (ow.ceil(), oh.ceil())
}

/// The vertical centre of the content inside `rect` (a document's wave takes room at the
/// bottom).
pub(crate) fn content_center_y(shape: Shape, rect: &Rect) -> f32 {
    match shape {
        Shape::Document => rect.y + (rect.h - 2.0 * WAVE) / 2.0,
        _ => rect.y + rect.h / 2.0,
    }
}

/// The SVG elements drawing `shape` in `rect` with the given colours.
pub(crate) fn draw(
    shape: Shape,
    rect: &Rect,
    fill: &str,
    stroke: &str,
    stroke_width: f32,
) -> String {
    let (x, y, w, h) = (rect.x, rect.y, rect.w, rect.h);
    let (r, b) = (rect.right(), rect.bottom());
    let paint = format!(
        "fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"",
        num(stroke_width)
    );
    let mut s = String::new();
    match shape {
        Shape::Stadium => {
            let _ = write!(
                s,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" {paint}/>",
                num(x),
                num(y),
                num(w),
                num(h),
                num(h / 2.0)
            );
        }
        Shape::Rect => {
            let _ = write!(
                s,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {paint}/>",
                num(x),
                num(y),
                num(w),
                num(h)
            );
        }
        Shape::Subprocess => {
            let _ = write!(
                s,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {paint}/>\
                 <path d=\"M{} {}V{}M{} {}V{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
                num(x),
                num(y),
                num(w),
                num(h),
                num(x + INNER),
                num(y),
                num(b),
                num(r - INNER),
                num(y),
                num(b),
                num(stroke_width)
            );
        }
        Shape::Document => {
            // The wave's lowest point is at the bottom centre, where flows leave, so a
            // flow starting on the box's bottom border touches the drawn outline.
            let base = b - WAVE;
            let _ = write!(
                s,
                "<path d=\"M{} {}H{}V{}Q{} {} {} {}T{} {}Z\" {paint}/>",
                num(x),
                num(y),
                num(r),
                num(base),
                num(x + 0.35 * w),
                num(b + WAVE),
                num(x + 0.3 * w),
                num(base),
                num(x),
                num(base)
            );
        }
        Shape::Parallelogram => {
            let _ = write!(
                s,
                "<polygon points=\"{},{} {},{} {},{} {},{}\" {paint}/>",
                num(x + SKEW),
                num(y),
                num(r),
                num(y),
                num(r - SKEW),
                num(b),
                num(x),
                num(b)
            );
        }
        Shape::Diamond => {
            let c = rect.center();
            let _ = write!(
                s,
                "<polygon points=\"{},{} {},{} {},{} {},{}\" {paint}/>",
                num(c.x),
                num(y),
                num(r),
                num(c.y),
                num(c.x),
                num(b),
                num(x),
                num(c.y)
            );
        }
        Shape::Circle => {
            let c = rect.center();
            let _ = write!(
                s,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {paint}/>",
                num(c.x),
                num(c.y),
                num(w.min(h) / 2.0)
            );
        }
        Shape::Bracket => s = bracket(rect, BracketBar::Left, stroke, stroke_width),
    }
    s
}

/// The edge of a comment's box its bracket's bar stands on: the one facing its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BracketBar {
    /// The left edge: the step is on the left (the comment beside it, on its right).
    Left,
    /// The right edge: the step is on the right.
    Right,
    /// The top edge: the step is above (the comment below it).
    Top,
    /// The bottom edge: the step is below (the comment above it).
    Bottom,
}

/// The bar of a comment's bracket in `rect`, on the edge its dashed line reaches at `end`
/// (its end on the comment's box), the left one without a line.
pub(crate) fn bracket_bar(rect: &Rect, end: Option<Point>) -> BracketBar {
    let Some(p) = end else {
        return BracketBar::Left;
    };
    let near = |a: f32, b: f32| (a - b).abs() < 0.5;
    if near(p.y, rect.bottom()) && !near(p.x, rect.x) && !near(p.x, rect.right()) {
        BracketBar::Bottom
    } else if near(p.y, rect.y) && !near(p.x, rect.x) && !near(p.x, rect.right()) {
        BracketBar::Top
    } else if near(p.x, rect.right()) {
        BracketBar::Right
    } else {
        BracketBar::Left
    }
}

/// Length of a bracket's arms, from its bar into the box.
const ARM: f32 = 10.0;

/// The ISO 5807 annotation bracket of a comment in `rect`: a bar along the edge `bar`,
/// with a short arm at each end turning into the box, open on the other side.
pub(crate) fn bracket(rect: &Rect, bar: BracketBar, stroke: &str, stroke_width: f32) -> String {
    let (x, y, r, b) = (rect.x, rect.y, rect.right(), rect.bottom());
    // The path's first point, then its three lines: along an arm, the bar, the other arm.
    let (start, turns) = match bar {
        BracketBar::Left => ((x + ARM, y), [('H', x), ('V', b), ('H', x + ARM)]),
        BracketBar::Right => ((r - ARM, y), [('H', r), ('V', b), ('H', r - ARM)]),
        BracketBar::Top => ((x, y + ARM), [('V', y), ('H', r), ('V', y + ARM)]),
        BracketBar::Bottom => ((x, b - ARM), [('V', b), ('H', r), ('V', b - ARM)]),
    };
    let mut d = format!("M{} {}", num(start.0), num(start.1));
    for (command, at) in turns {
        let _ = write!(d, "{command}{}", num(at));
    }
    format!(
        "<path d=\"{d}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
        num(stroke_width)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diamond_holds_its_text() {
        let (w, h) = outer_size(Shape::Diamond, 100.0, 32.0, 0.0);
        let (a, b) = (w / 2.0, h / 2.0);
        // The corners of the text box lie inside the diamond.
        assert!(50.0 / a + 16.0 / b <= 1.0);
        assert_eq!(w, 2.0 * h);
    }

    #[test]
    fn a_brackets_bar_faces_the_end_of_its_dashed_line() {
        let rect = Rect::new(100.0, 50.0, 80.0, 40.0);
        let bar = |x: f32, y: f32| bracket_bar(&rect, Some(Point::new(x, y)));
        assert_eq!(bar(100.0, 70.0), BracketBar::Left);
        assert_eq!(bar(180.0, 70.0), BracketBar::Right);
        assert_eq!(bar(140.0, 50.0), BracketBar::Top);
        assert_eq!(bar(140.0, 90.0), BracketBar::Bottom);
        assert_eq!(bracket_bar(&rect, None), BracketBar::Left);
        // Above its step: the bar along the bottom, the arms going up into the box.
        assert_eq!(
            bracket(&rect, BracketBar::Bottom, "#000", 1.5),
            "<path d=\"M100 80V90H180V80\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.5\"/>"
        );
        assert_eq!(
            bracket(&rect, BracketBar::Right, "#000", 1.5),
            "<path d=\"M170 50H180V90H170\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.5\"/>"
        );
    }

    #[test]
    fn minimum_width_is_kept() {
        assert_eq!(outer_size(Shape::Rect, 10.0, 16.0, 120.0), (120.0, 40.0));
    }
}
