//! A laid-out diagram as a diagrams.net (draw.io) file, for students who retouch it in the
//! editor their school uses: lanes as swimlane containers holding their steps, each step in
//! its ISO 5807 shape with its label, status badge and SLA caption, and each flow an
//! orthogonal connector leaving and entering its boxes where ours does, through our bends,
//! with its label where ours is. Positions are the SVG's, in the same units (1 px = 1 pt of
//! the editor's grid), so the file opens with the same layout.
//!
//! Format: the uncompressed `mxfile` / `mxGraphModel` XML that diagrams.net reads and writes
//! (File › Export as › XML, "Compressed" unticked).

use std::fmt::Write;

use super::font::text_width;
use super::geometry::{Point, Rect};
use super::model::{Diagram, Flow, Node, Shape};
use super::number::num;
use super::shapes::{self, BracketBar};
use super::svg::{INK, LANE_FILL, fill_of};
use crate::escape::escape;

/// The diagram as a diagrams.net file.
pub fn to_drawio(diagram: &Diagram) -> String {
    let mut s = String::with_capacity(2048 + diagram.nodes.len() * 400);
    let _ = writeln!(
        s,
        "<mxfile host=\"guichet\" agent=\"guichet {}\">\n<diagram id=\"{}\" name=\"{}\">\n\
         <mxGraphModel grid=\"0\" gridSize=\"10\" guides=\"1\" tooltips=\"1\" connect=\"1\" \
         arrows=\"1\" fold=\"1\" page=\"0\" pageScale=\"1\" pageWidth=\"{}\" pageHeight=\"{}\" \
         math=\"0\" shadow=\"0\">\n<root>\n<mxCell id=\"0\"/>\n<mxCell id=\"1\" parent=\"0\"/>",
        env!("CARGO_PKG_VERSION"),
        escape(&diagram.id),
        escape(&diagram.title),
        num(diagram.width),
        num(diagram.height),
    );
    for lane in &diagram.lanes {
        let _ = writeln!(
            s,
            "<mxCell id=\"lane-{}\" value=\"{}\" style=\"swimlane;horizontal=1;startSize={};\
             fillColor=#e4e9ef;swimlaneFillColor={LANE_FILL};strokeColor=#9aa5b1;fontColor={INK};\
             fontSize=13;fontFamily=DejaVu Sans;html=0;\" vertex=\"1\" parent=\"1\">{}</mxCell>",
            escape(&lane.id),
            lines(&lane.label.lines),
            num(lane.header),
            geometry(&lane.rect, None),
        );
    }
    for node in &diagram.nodes {
        write_node(&mut s, diagram, node);
    }
    for (i, flow) in diagram.flows.iter().enumerate() {
        write_flow(&mut s, diagram, i, flow);
    }
    s.push_str("</root>\n</mxGraphModel>\n</diagram>\n</mxfile>\n");
    s
}

/// The lane holding `node` (its cells are placed relative to it), if any.
fn lane_of<'a>(diagram: &'a Diagram, node: &Node) -> Option<&'a super::model::LaneBand> {
    let id = node.lane.as_deref()?;
    diagram.lanes.iter().find(|l| l.id == id)
}

fn write_node(s: &mut String, diagram: &Diagram, node: &Node) {
    let lane = lane_of(diagram, node);
    let (parent, origin) = match lane {
        Some(l) => (
            format!("lane-{}", escape(&l.id)),
            Point::new(l.rect.x, l.rect.y),
        ),
        None => ("1".to_string(), Point::new(0.0, 0.0)),
    };
    let id = format!("step-{}", escape(&node.id));
    // The label sits below the badge row, as in the SVG: the top spacing keeps it there.
    let spacing_top = (node.text_top.y - node.rect.y).max(0.0);
    let vertical = if node.badge.is_some() || node.mark.is_some() {
        format!("verticalAlign=top;spacingTop={};", num(spacing_top - 2.0))
    } else {
        String::new()
    };
    let _ = writeln!(
        s,
        "<mxCell id=\"{id}\" value=\"{}\" style=\"{}fillColor={};strokeColor={INK};strokeWidth=1.5;\
         fontColor={INK};fontSize={};fontFamily=DejaVu Sans;html=0;whiteSpace=wrap;{vertical}\" \
         vertex=\"1\" parent=\"{parent}\">{}</mxCell>",
        lines(&node.text.lines),
        node_style(node),
        match fill_of(node.shape) {
            "none" => "none",
            f => f,
        },
        num(node.text.size),
        geometry(&node.rect, Some(origin)),
    );
    if let Some(b) = &node.badge {
        let _ = writeln!(
            s,
            "<mxCell id=\"{id}-statut\" value=\"{}\" style=\"rounded=1;arcSize=20;fillColor={};\
             strokeColor={};strokeWidth=0.8;fontColor={};fontSize=10;fontFamily=DejaVu Sans;\
             html=0;\" vertex=\"1\" parent=\"{parent}\">{}</mxCell>",
            escape(&b.text),
            b.fill,
            b.ink,
            b.ink,
            geometry(&b.rect, Some(origin)),
        );
    }
    if let Some(m) = &node.mark {
        let r = Rect::new(
            m.center.x - m.radius,
            m.center.y - m.radius,
            2.0 * m.radius + 3.0 + text_width(&m.text, 10.0).ceil(),
            2.0 * m.radius,
        );
        let _ = writeln!(
            s,
            "<mxCell id=\"{id}-sla\" value=\"◷ {}\" style=\"text;fontColor={INK};fontSize=10;\
             fontFamily=DejaVu Sans;html=0;align=left;verticalAlign=middle;spacing=0;\" \
             vertex=\"1\" parent=\"{parent}\">{}</mxCell>",
            escape(&m.text),
            geometry(&r, Some(origin)),
        );
    }
    if let Some((a, b)) = node.tether {
        let _ = writeln!(
            s,
            "<mxCell id=\"{id}-renvoi\" style=\"endArrow=none;dashed=1;strokeColor={INK};html=0;\" \
             edge=\"1\" parent=\"1\"><mxGeometry relative=\"1\" as=\"geometry\">\
             <mxPoint x=\"{}\" y=\"{}\" as=\"sourcePoint\"/><mxPoint x=\"{}\" y=\"{}\" \
             as=\"targetPoint\"/></mxGeometry></mxCell>",
            num(a.x),
            num(a.y),
            num(b.x),
            num(b.y),
        );
    }
}

/// The style of a node's symbol: its shape's, and for a comment, its bracket open on the
/// side away from its step, as the SVG draws it.
fn node_style(node: &Node) -> &'static str {
    if node.shape != Shape::Bracket {
        return shape_style(node.shape);
    }
    match shapes::bracket_bar(&node.rect, node.tether.map(|(_, end)| end)) {
        BracketBar::Left => shape_style(Shape::Bracket),
        BracketBar::Right => "shape=partialRectangle;left=0;align=right;spacingRight=6;",
        BracketBar::Top => "shape=partialRectangle;bottom=0;",
        BracketBar::Bottom => "shape=partialRectangle;top=0;",
    }
}

/// The style of each ISO 5807 symbol in diagrams.net's shape library.
fn shape_style(shape: Shape) -> &'static str {
    match shape {
        Shape::Stadium => "rounded=1;arcSize=50;",
        Shape::Rect => "rounded=0;",
        Shape::Diamond => "rhombus;",
        Shape::Document => "shape=document;size=0.15;boundedLbl=1;",
        Shape::Parallelogram => {
            "shape=parallelogram;perimeter=parallelogramPerimeter;fixedSize=1;size=12;"
        }
        Shape::Subprocess => "shape=process;backgroundOutline=1;size=0.06;",
        Shape::Circle => "ellipse;",
        Shape::Bracket => "shape=partialRectangle;right=0;align=left;spacingLeft=6;",
    }
}

fn write_flow(s: &mut String, diagram: &Diagram, i: usize, flow: &Flow) {
    let node = |id: &str| diagram.nodes.iter().find(|n| n.id == id);
    let (Some(from), Some(to)) = (node(&flow.from), node(&flow.to)) else {
        return;
    };
    let (Some(&first), Some(&last)) = (flow.points.first(), flow.points.last()) else {
        return;
    };
    let (ex, ey) = fraction(&from.rect, first);
    let (nx, ny) = fraction(&to.rect, last);
    let value = flow
        .label
        .as_ref()
        .map_or(String::new(), |l| lines(&l.text.lines));
    let _ = write!(
        s,
        "<mxCell id=\"flow-{i}\" value=\"{value}\" style=\"edgeStyle=orthogonalEdgeStyle;rounded=0;\
         html=0;endArrow=block;endFill=1;strokeColor={INK};strokeWidth=1.5;fontColor={INK};\
         fontSize=12;fontStyle=2;fontFamily=DejaVu Sans;labelBackgroundColor=#ffffff;\
         exitX={};exitY={};exitDx=0;exitDy=0;exitPerimeter=0;\
         entryX={};entryY={};entryDx=0;entryDy=0;entryPerimeter=0;\" edge=\"1\" parent=\"1\" \
         source=\"step-{}\" target=\"step-{}\">",
        ratio(ex),
        ratio(ey),
        ratio(nx),
        ratio(ny),
        escape(&flow.from),
        escape(&flow.to),
    );
    // The label is placed from the flow's start (x = -1), offset to where ours is.
    let label_at = flow.label.as_ref().map(|l| l.rect.center());
    let _ = write!(
        s,
        "<mxGeometry{} relative=\"1\" as=\"geometry\"><mxPoint x=\"{}\" y=\"{}\" as=\"sourcePoint\"/>\
         <mxPoint x=\"{}\" y=\"{}\" as=\"targetPoint\"/>",
        if label_at.is_some() { " x=\"-1\"" } else { "" },
        num(first.x),
        num(first.y),
        num(last.x),
        num(last.y),
    );
    let inner = &flow.points[1..flow.points.len().saturating_sub(1).max(1)];
    if !inner.is_empty() {
        s.push_str("<Array as=\"points\">");
        for p in inner {
            let _ = write!(s, "<mxPoint x=\"{}\" y=\"{}\"/>", num(p.x), num(p.y));
        }
        s.push_str("</Array>");
    }
    if let Some(c) = label_at {
        let _ = write!(
            s,
            "<mxPoint x=\"{}\" y=\"{}\" as=\"offset\"/>",
            num(c.x - first.x),
            num(c.y - first.y)
        );
    }
    s.push_str("</mxGeometry></mxCell>\n");
}

/// Where `p` lies on `r`, as the fractions of its width and height diagrams.net uses for a
/// connection point.
fn fraction(r: &Rect, p: Point) -> (f32, f32) {
    let fx = if r.w > 0.0 { (p.x - r.x) / r.w } else { 0.5 };
    let fy = if r.h > 0.0 { (p.y - r.y) / r.h } else { 0.5 };
    (fx.clamp(0.0, 1.0), fy.clamp(0.0, 1.0))
}

/// A fraction written with enough decimals to land within 0.01 px on boxes up to 1,000 px.
fn ratio(v: f32) -> String {
    let s = format!("{v:.5}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// An `mxGeometry` of `r`, relative to `origin` (a container's corner) when given.
fn geometry(r: &Rect, origin: Option<Point>) -> String {
    let o = origin.unwrap_or(Point::new(0.0, 0.0));
    format!(
        "<mxGeometry x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" as=\"geometry\"/>",
        num(r.x - o.x),
        num(r.y - o.y),
        num(r.w),
        num(r.h)
    )
}

/// Lines of a label as one attribute value, escaped, joined by line feeds.
fn lines(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("&#10;")
}
