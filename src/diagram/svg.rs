//! Writing a laid-out [`Diagram`] as one self-contained SVG per the contract in docs/diagrams.md:
//! no script, no external CSS or font needed, every text XML-escaped, flows drawn with `M`,
//! `H` and `V` commands only, ids prefixed so several diagrams can share a page.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::font::FONT_FAMILY_CSS;
use super::geometry::{self, EPS, Point, Rect};
use super::model::{Badge, Diagram, Flow, LaneBand, Mark, Node, NodeLink, Shape};
use super::number::num;
use super::shapes;
use super::text::TextBlock;
use super::weights::{FlowWeight, Weights};
use crate::escape::escape;

/// Ink of lines and text.
pub(crate) const INK: &str = "#1f2933";
/// Ink of highlighted steps and flows.
const HIGHLIGHT: &str = "#c62828";
/// Fill of a lane's band.
pub(crate) const LANE_FILL: &str = "#f7f9fb";

/// How to write a diagram: the root's class and data attribute, id prefix, links, highlight.
pub(crate) struct WriteOptions<'a> {
    /// `logigramme` or `topologie`.
    pub root_class: &'a str,
    /// `data-workflow` or `data-topology`.
    pub data_attr: &'a str,
    /// Prefix of every `id` in the SVG; unique per diagram in a page.
    pub id_prefix: &'a str,
    /// The URL of a node's link, or None to draw it without a link.
    pub href: &'a dyn Fn(&NodeLink) -> Option<String>,
    /// Node ids to emphasise, in path order: those nodes and the flows between consecutive
    /// ones are drawn in red.
    pub highlight: Option<&'a [String]>,
    /// A decoration pass's weights (lifecycle analytics), or None for the plain diagram.
    pub weights: Option<&'a Weights>,
}

/// The `data-bbox` value of a rectangle: `x y w h`.
pub(crate) fn bbox(r: &Rect) -> String {
    format!("{} {} {} {}", num(r.x), num(r.y), num(r.w), num(r.h))
}

/// An orthogonal polyline as path data using `M`, then `H` and `V` only.
pub(crate) fn path_data(points: &[Point]) -> String {
    let mut d = String::new();
    let Some(first) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{} {}", num(first.x), num(first.y));
    for w in points.windows(2) {
        if (w[0].y - w[1].y).abs() <= EPS {
            let _ = write!(d, "H{}", num(w[1].x));
        } else {
            let _ = write!(d, "V{}", num(w[1].y));
        }
    }
    d
}

/// Writes the whole diagram.
pub(crate) fn write(diagram: &Diagram, opts: &WriteOptions) -> String {
    let p = opts.id_prefix;
    let mut s = String::with_capacity(4096 + diagram.nodes.len() * 600);
    let (w, h) = (num(diagram.width), num(diagram.height));
    // An image's content is one picture to assistive technologies: links inside it could
    // not be reached. A diagram whose steps are links is a group of them instead.
    let has_links = diagram
        .nodes
        .iter()
        .any(|n| n.link.as_ref().and_then(|l| (opts.href)(l)).is_some());
    let role = if has_links { "group" } else { "img" };
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{}\" {}=\"{}\" viewBox=\"0 0 {w} {h}\" \
         width=\"{w}\" height=\"{h}\" role=\"{role}\" aria-labelledby=\"{p}-title {p}-desc\" \
         font-family=\"{}\" font-size=\"13\" lang=\"{}\">",
        opts.root_class,
        opts.data_attr,
        escape(&diagram.id),
        escape(FONT_FAMILY_CSS),
        diagram.lang.code()
    );
    let _ = write!(
        s,
        "<title id=\"{p}-title\">{}</title><desc id=\"{p}-desc\">{}</desc>",
        escape(&diagram.title),
        escape(&diagram.description)
    );
    write_defs(&mut s, p);
    let _ = write!(
        s,
        "<rect class=\"background\" x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>"
    );
    for lane in &diagram.lanes {
        write_lane(&mut s, lane);
    }
    let highlighted: BTreeSet<&str> = opts
        .highlight
        .unwrap_or(&[])
        .iter()
        .map(String::as_str)
        .collect();
    let highlighted_flows: BTreeSet<(&str, &str)> = opts
        .highlight
        .unwrap_or(&[])
        .windows(2)
        .map(|w| (w[0].as_str(), w[1].as_str()))
        .collect();
    for node in &diagram.nodes {
        let faded = opts.weights.is_some_and(|w| w.faded.contains(&node.id));
        write_node(
            &mut s,
            node,
            opts,
            highlighted.contains(node.id.as_str()),
            faded,
        );
    }
    for (i, flow) in diagram.flows.iter().enumerate() {
        let on_path = highlighted_flows.contains(&(flow.from.as_str(), flow.to.as_str()));
        let weight = opts.weights.and_then(|w| w.flows.get(i));
        write_flow(&mut s, flow, p, on_path, weight);
    }
    write_crossing_gaps(&mut s, diagram, &highlighted_flows);
    write_legend(&mut s, diagram);
    s.push_str("</svg>");
    s
}

fn write_defs(s: &mut String, p: &str) {
    for (suffix, colour) in [("arrow", INK), ("arrow-hl", HIGHLIGHT)] {
        let _ = write!(
            s,
            "<defs><marker id=\"{p}-{suffix}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" \
             markerWidth=\"10\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">\
             <polygon points=\"0,0 10,5 0,10\" fill=\"{colour}\"/></marker></defs>"
        );
    }
}

fn write_lane(s: &mut String, lane: &LaneBand) {
    let r = &lane.rect;
    let _ = write!(
        s,
        "<g class=\"lane\" data-lane=\"{}\" data-bbox=\"{}\">\
         <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{LANE_FILL}\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>\
         <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#e4e9ef\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>",
        escape(&lane.id),
        bbox(r),
        num(r.x),
        num(r.y),
        num(r.w),
        num(r.h),
        num(r.x),
        num(r.y),
        num(r.w),
        num(lane.header)
    );
    let top = r.y + (lane.header - lane.label.height()) / 2.0;
    write_text(
        s,
        &lane.label,
        Point::new(r.center().x, top),
        "font-weight=\"bold\"",
    );
    s.push_str("</g>");
}

fn write_node(s: &mut String, node: &Node, opts: &WriteOptions, highlighted: bool, faded: bool) {
    let p = opts.id_prefix;
    let class = match (highlighted, faded) {
        (true, _) => "step highlighted",
        (false, true) => "step unreached",
        (false, false) => "step",
    };
    let _ = write!(
        s,
        "<g class=\"{class}\" id=\"{p}-step-{}\" data-step=\"{}\" data-kind=\"{}\"",
        escape(&node.id),
        escape(&node.id),
        escape(&node.kind)
    );
    if let Some(lane) = &node.lane {
        let _ = write!(s, " data-lane=\"{}\"", escape(lane));
    }
    let _ = write!(s, " data-bbox=\"{}\"", bbox(&node.rect));
    if faded {
        s.push_str(" opacity=\"0.35\"");
    }
    s.push('>');
    let href = node.link.as_ref().and_then(|l| (opts.href)(l));
    if let Some(h) = &href {
        let _ = write!(s, "<a href=\"{}\">", escape(h));
    }
    let (stroke, width) = if highlighted {
        (HIGHLIGHT, 3.0)
    } else {
        (INK, 1.5)
    };
    s.push_str(&match node.shape {
        // The bracket's bar faces the step its dashed line joins.
        Shape::Bracket => {
            let bar = shapes::bracket_bar(&node.rect, node.tether.map(|(_, end)| end));
            shapes::bracket(&node.rect, bar, stroke, width)
        }
        shape => shapes::draw(shape, &node.rect, fill_of(shape), stroke, width),
    });
    if let Some((a, b)) = node.tether {
        let _ = write!(
            s,
            "<path d=\"{}\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>",
            path_data(&[a, b])
        );
    }
    if let Some(badge) = &node.badge {
        write_badge(s, badge);
    }
    if let Some(mark) = &node.mark {
        write_mark(s, mark);
    }
    let style = if href.is_some() {
        "text-decoration=\"underline\""
    } else {
        ""
    };
    write_text(s, &node.text, node.text_top, style);
    if href.is_some() {
        s.push_str("</a>");
    }
    s.push_str("</g>");
}

pub(crate) fn fill_of(shape: Shape) -> &'static str {
    match shape {
        Shape::Stadium => "#e3f1e4",
        Shape::Diamond => "#fff4d1",
        Shape::Document => "#e8f0fe",
        Shape::Parallelogram => "#f1e9fb",
        Shape::Subprocess => "#fdf0e6",
        Shape::Bracket => "none",
        Shape::Rect | Shape::Circle => "#ffffff",
    }
}

fn write_badge(s: &mut String, b: &Badge) {
    let r = &b.rect;
    let _ = write!(
        s,
        "<g class=\"badge\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{}\" stroke=\"{}\" stroke-width=\"0.8\"/>\
         <text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"{}\">{}</text></g>",
        num(r.x),
        num(r.y),
        num(r.w),
        num(r.h),
        b.fill,
        b.ink,
        num(r.center().x),
        num(r.center().y + 3.5),
        b.ink,
        escape(&b.text)
    );
}

fn write_mark(s: &mut String, m: &Mark) {
    let c = m.center;
    let r = m.radius;
    let _ = write!(
        s,
        "<g class=\"sla\"><circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#ffffff\" stroke=\"{INK}\" stroke-width=\"1\"/>\
         <path d=\"M{} {}V{}M{} {}H{}\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"1\"/>\
         <text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"{INK}\">{}</text></g>",
        num(c.x),
        num(c.y),
        num(r),
        num(c.x),
        num(c.y),
        num(c.y - r * 0.65),
        num(c.x),
        num(c.y),
        num(c.x + r * 0.5),
        num(c.x + r + 3.0),
        num(c.y + 3.5),
        escape(&m.text)
    );
}

/// Writes a wrapped block centred on `top.x`, its first line's box starting at `top.y`.
fn write_text(s: &mut String, block: &TextBlock, top: Point, extra: &str) {
    if block.lines.is_empty() {
        return;
    }
    let _ = write!(
        s,
        "<text text-anchor=\"middle\" font-size=\"{}\" fill=\"{INK}\" {extra}>",
        num(block.size)
    );
    for (i, line) in block.lines.iter().enumerate() {
        let baseline =
            top.y + i as f32 * block.line_height + block.line_height / 2.0 + block.size * 0.36;
        let _ = write!(
            s,
            "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
            num(top.x),
            num(baseline),
            escape(line)
        );
    }
    s.push_str("</text>");
}

/// Half-length of the gap cut in one line where another crosses it.
const GAP: f32 = 4.0;

/// A vertical line crossed this close to one of its ends (an arrowhead, a box, a bend) keeps
/// its line whole, and the horizontal one is cut instead when it runs on further: a gap a few
/// pixels above an arrowhead reads as a broken line.
const SHORT_REACH: f32 = 20.0;

/// Where two flows cross (the layout keeps this for crossings it cannot avoid), one line is
/// interrupted on both sides of the other, which runs on unbroken: the reader sees which line
/// goes where. The vertical is cut, unless the crossing is near one of its ends and not near
/// the horizontal's. Drawn after every flow, in one group, so that the order the flows are
/// drawn in does not matter; absent when nothing crosses.
fn write_crossing_gaps(
    s: &mut String,
    diagram: &Diagram,
    highlighted_flows: &BTreeSet<(&str, &str)>,
) {
    let mut gaps: Vec<(Point, bool, bool)> = Vec::new();
    let lines: Vec<&[Point]> = diagram.flows.iter().map(|f| f.points.as_slice()).collect();
    for (i, j) in geometry::meeting_pairs(&lines) {
        let (a, b) = (&diagram.flows[i], &diagram.flows[j]);
        for c in geometry::crossing_points(&a.points, &b.points) {
            let cut_horizontal =
                c.vertical_reach < SHORT_REACH && c.horizontal_reach >= SHORT_REACH;
            // The flow drawn over the cut: the one left whole.
            let over_is_a = c.a_horizontal != cut_horizontal;
            let over = if over_is_a { a } else { b };
            let on_path = highlighted_flows.contains(&(over.from.as_str(), over.to.as_str()));
            gaps.push((c.at, cut_horizontal, on_path));
        }
    }
    if gaps.is_empty() {
        return;
    }
    s.push_str("<g class=\"crossings\" aria-hidden=\"true\">");
    for (at, cut_horizontal, on_path) in gaps {
        // The gap takes the colour of what lies under it.
        let under = if diagram.lanes.iter().any(|l| {
            let r = &l.rect;
            at.x > r.x && at.x < r.right() && at.y > r.y && at.y < r.bottom()
        }) {
            LANE_FILL
        } else {
            "#ffffff"
        };
        let (stroke, width) = if on_path {
            (HIGHLIGHT, 2.5)
        } else {
            (INK, 1.5)
        };
        // The cut line, in the colour under it, then the whole line drawn over the cut.
        let (cut, whole) = if cut_horizontal {
            (
                format!("M{} {}H{}", num(at.x - GAP), num(at.y), num(at.x + GAP)),
                format!(
                    "M{} {}V{}",
                    num(at.x),
                    num(at.y - GAP - 1.0),
                    num(at.y + GAP + 1.0)
                ),
            )
        } else {
            (
                format!("M{} {}V{}", num(at.x), num(at.y - GAP), num(at.y + GAP)),
                format!(
                    "M{} {}H{}",
                    num(at.x - GAP - 1.0),
                    num(at.y),
                    num(at.x + GAP + 1.0)
                ),
            )
        };
        let _ = write!(
            s,
            "<path d=\"{cut}\" stroke=\"{under}\" stroke-width=\"3\"/>\
             <path d=\"{whole}\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
            num(width)
        );
    }
    s.push_str("</g>");
}

fn write_flow(
    s: &mut String,
    flow: &Flow,
    p: &str,
    highlighted: bool,
    weight: Option<&FlowWeight>,
) {
    let class = match (highlighted, weight.map(|w| w.count)) {
        (true, _) => "flow highlighted",
        (false, Some(0)) => "flow untaken",
        _ => "flow",
    };
    let _ = write!(
        s,
        "<g class=\"{class}\" data-from=\"{}\" data-to=\"{}\"",
        escape(&flow.from),
        escape(&flow.to)
    );
    if let Some(label) = &flow.label {
        let _ = write!(
            s,
            " data-label=\"{}\" data-label-bbox=\"{}\"",
            escape(&label.text.lines.join(" ")),
            bbox(&label.rect)
        );
    }
    if let Some(w) = weight {
        let _ = write!(s, " data-count=\"{}\"", w.count);
        if let Some((_, rect)) = &w.caption {
            let _ = write!(s, " data-count-bbox=\"{}\"", bbox(rect));
        }
        if w.count == 0 {
            s.push_str(" opacity=\"0.35\"");
        }
    }
    let (stroke, width, marker) = if highlighted {
        (HIGHLIGHT, 2.5, "arrow-hl")
    } else {
        (INK, 1.5, "arrow")
    };
    let _ = write!(
        s,
        "><path d=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{}\" marker-end=\"url(#{p}-{marker})\"/>",
        path_data(&flow.points),
        num(width)
    );
    if let Some(label) = &flow.label {
        let r = &label.rect;
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>",
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h)
        );
        write_text(
            s,
            &label.text,
            Point::new(r.center().x, r.y + 1.0),
            "font-style=\"italic\"",
        );
    }
    if let Some(w) = weight {
        write_weight(s, flow, w, if highlighted { HIGHLIGHT } else { WEIGHT });
    }
    s.push_str("</g>");
}

/// Ink of the weight bands and count captions of an ordinary flow.
const WEIGHT: &str = "#2f6fb0";

/// A weighted flow's band (a translucent stroke along the flow, stopping short of the
/// arrowhead so that it stays sharp) and its count caption. Both come after the flow's own
/// path, which stays the first `<path>` of the group as the contract wants.
fn write_weight(s: &mut String, flow: &Flow, w: &FlowWeight, ink: &str) {
    if w.width > 0.0 {
        let band = shortened(&flow.points, ARROW_LENGTH);
        if band.len() >= 2 {
            let _ = write!(
                s,
                "<path class=\"weight\" d=\"{}\" fill=\"none\" stroke=\"{ink}\" stroke-opacity=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\"/>",
                path_data(&band),
                // The red of the main path is strong: a lighter band keeps its line visible.
                if ink == HIGHLIGHT { "0.3" } else { "0.4" },
                num(w.width)
            );
        }
    }
    if let Some((text, r)) = &w.caption {
        let _ = write!(
            s,
            "<g class=\"count\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" stroke=\"{ink}\" stroke-width=\"0.8\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"{ink}\">{}</text></g>",
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h),
            num(r.center().x),
            num(r.center().y + 4.0),
            escape(text)
        );
    }
}

/// Length of the arrowhead drawn at a flow's end (its marker's width).
const ARROW_LENGTH: f32 = 10.0;

/// The polyline without its last `cut` units (dropping segments shorter than what is left).
fn shortened(points: &[Point], cut: f32) -> Vec<Point> {
    let mut out = points.to_vec();
    let mut left = cut;
    while out.len() >= 2 && left > 0.0 {
        let n = out.len();
        let (a, b) = (out[n - 2], out[n - 1]);
        let len = (b.x - a.x).abs() + (b.y - a.y).abs();
        if len > left {
            let t = (len - left) / len;
            out[n - 1] = Point::new(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
            left = 0.0;
        } else {
            out.pop();
            left -= len;
        }
    }
    out
}

fn write_legend(s: &mut String, diagram: &Diagram) {
    let Some(rect) = &diagram.legend_rect else {
        return;
    };
    let _ = write!(
        s,
        "<g class=\"legend\" data-bbox=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>",
        bbox(rect),
        num(rect.x),
        num(rect.y),
        num(rect.w),
        num(rect.h)
    );
    for item in &diagram.legend {
        if let Some(b) = &item.badge {
            write_badge(s, b);
        }
        if let Some(m) = &item.mark {
            write_mark(s, m);
        }
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{INK}\">{}</text>",
            num(item.text_at.x),
            num(item.text_at.y),
            escape(&item.text)
        );
    }
    s.push_str("</g>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_use_only_move_horizontal_vertical() {
        let d = path_data(&[
            Point::new(0.0, 0.0),
            Point::new(0.0, 10.0),
            Point::new(20.0, 10.0),
        ]);
        assert_eq!(d, "M0 0V10H20");
    }
}
