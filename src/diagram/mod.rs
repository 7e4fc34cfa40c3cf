//! What the workflow and topology diagrams share: the bundled font and text measurement,
//! word wrapping, geometry, ISO 5807 shapes, SVG writing and PNG rendering through resvg.
//!
//! A diagram is first laid out into a typed [`Diagram`] (boxes, ports, polylines, label boxes)
//! and only then written as SVG, so geometry can be tested without parsing SVG.

pub mod drawio;
pub mod figure;
pub(crate) mod font;
pub mod geometry;
pub(crate) mod model;
pub(crate) mod number;
pub mod png;
pub(crate) mod shapes;
pub(crate) mod svg;
pub(crate) mod text;
pub mod weights;

pub use geometry::{Point, Rect};
pub use model::{Diagram, Flow, Label, LaneBand, Node, Shape};
