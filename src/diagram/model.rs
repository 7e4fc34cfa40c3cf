//! The laid-out diagram: every box, port, polyline and label already placed, in viewBox
//! units. Layouts produce it, the SVG writer reads it, and geometry tests check it.

use super::geometry::{Point, Rect};
use super::text::TextBlock;
use crate::language::Language;

/// The drawing symbol of a node (ISO 5807 for workflows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Start or end: a rounded stadium.
    Stadium,
    /// Action (process): a rectangle.
    Rect,
    /// Decision: a diamond.
    Diamond,
    /// Document: a rectangle with a wavy bottom.
    Document,
    /// Data (input/output): a parallelogram.
    Parallelogram,
    /// Predefined process: a rectangle with double vertical sides.
    Subprocess,
    /// Connector: a small circle.
    Circle,
    /// Comment: an open bracket, joined to its step by a dashed line.
    Bracket,
}

/// A small coloured label drawn inside a node (a GLPI status).
#[derive(Debug, Clone, PartialEq)]
pub struct Badge {
    /// The words shown, already in the diagram's language.
    pub text: String,
    /// Fill colour (`#rrggbb`).
    pub fill: String,
    /// Text and border colour (`#rrggbb`).
    pub ink: String,
    /// Where the badge is drawn.
    pub rect: Rect,
}

/// A clock mark with a short caption (an SLA target: TTO or TTR).
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// The caption beside the clock.
    pub text: String,
    /// The clock's centre.
    pub center: Point,
    /// The clock's radius.
    pub radius: f32,
}

/// What a node links to, resolved to a URL by the SVG writer's options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeLink {
    /// Another diagram (a subprocess step naming another workflow).
    Diagram(String),
    /// A content page, by its path under content/.
    Page(String),
}

/// One drawn node: a workflow step or a topology device.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The node's id in its source file.
    pub id: String,
    /// The kind written in `data-kind`.
    pub kind: String,
    /// The lane it is drawn in, if the diagram has lanes.
    pub lane: Option<String>,
    /// The symbol.
    pub shape: Shape,
    /// The outer box: the symbol fits exactly inside it.
    pub rect: Rect,
    /// The wrapped label.
    pub text: TextBlock,
    /// The centre of the first line's box; lines go down from there.
    pub text_top: Point,
    /// A status badge, if any.
    pub badge: Option<Badge>,
    /// An SLA clock mark, if any.
    pub mark: Option<Mark>,
    /// A link target, if any.
    pub link: Option<NodeLink>,
    /// For a comment: the dashed line joining it to its step.
    pub tether: Option<(Point, Point)>,
}

/// A label placed beside a flow.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// The wrapped text.
    pub text: TextBlock,
    /// The label's box; the text is drawn inside it.
    pub rect: Rect,
}

/// One drawn flow (an arrow) between two nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// The source node's id.
    pub from: String,
    /// The target node's id.
    pub to: String,
    /// The orthogonal polyline, from the source's border to the target's border.
    pub points: Vec<Point>,
    /// The exit's label (a decision's branch), if any.
    pub label: Option<Label>,
    /// True for a flow that loops back up (drawn the same, reported in metrics).
    pub back: bool,
}

/// A swimlane: a column band with its title at the top.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneBand {
    /// The lane's id.
    pub id: String,
    /// The wrapped title.
    pub label: TextBlock,
    /// The band, header included.
    pub rect: Rect,
    /// The height of the header holding the title.
    pub header: f32,
}

/// One line of the legend: a badge or a mark and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    /// The badge drawn as the key (None for the SLA clock line).
    pub badge: Option<Badge>,
    /// The clock drawn as the key (for the SLA line).
    pub mark: Option<Mark>,
    /// What it means.
    pub text: String,
    /// The baseline position of the explanation.
    pub text_at: Point,
}

/// A laid-out diagram, ready to be written as SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagram {
    /// The diagram's id (the workflow id), used in `data-*` attributes and id prefixes.
    pub id: String,
    /// The title, written in `<title>`.
    pub title: String,
    /// One sentence written in `<desc>`.
    pub description: String,
    /// The language of the words the diagram writes itself.
    pub lang: Language,
    /// The viewBox width.
    pub width: f32,
    /// The viewBox height.
    pub height: f32,
    /// The swimlanes, left to right (empty without lanes).
    pub lanes: Vec<LaneBand>,
    /// The nodes.
    pub nodes: Vec<Node>,
    /// The flows.
    pub flows: Vec<Flow>,
    /// The legend's box, if there is a legend.
    pub legend_rect: Option<Rect>,
    /// The legend's lines.
    pub legend: Vec<LegendItem>,
}

impl Diagram {
    /// The node with id `id`.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}
