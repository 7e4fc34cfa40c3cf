//! The workflow's SVG: the diagram written per the contract with the root class
//! `logigramme`, subprocess steps linking to the other workflow's page, and an optional
//! highlighted path (a ticket's route through the workflow).

use crate::diagram::model::{Diagram, NodeLink};
use crate::diagram::svg::{WriteOptions, write};
use crate::diagram::weights::Weights;

/// How to write a workflow's SVG.
pub struct SvgOptions<'a> {
    /// Prefix of every `id` in the SVG (the workflow id, unless the same workflow is inlined
    /// twice in one page).
    pub id_prefix: &'a str,
    /// The relative URL of another workflow's page, for subprocess steps.
    pub subprocess_href: &'a dyn Fn(&str) -> String,
    /// The relative URL of a content page (a step's `link:`), or None to leave it unlinked.
    pub page_href: Option<&'a dyn Fn(&str) -> String>,
    /// Step ids in path order to draw in red (with the flows between consecutive ones).
    pub highlight: Option<&'a [String]>,
}

/// Writes the SVG of a laid-out workflow.
pub fn to_svg(diagram: &Diagram, opts: &SvgOptions) -> String {
    write_with(diagram, opts, None)
}

/// Writes the SVG of a laid-out workflow decorated with `weights` (the lifecycle analytics:
/// flow bands, count captions, `data-count`, faded steps). The geometry is the diagram's.
pub fn to_svg_weighted(diagram: &Diagram, opts: &SvgOptions, weights: &Weights) -> String {
    write_with(diagram, opts, Some(weights))
}

fn write_with(diagram: &Diagram, opts: &SvgOptions, weights: Option<&Weights>) -> String {
    let href = |link: &NodeLink| match link {
        NodeLink::Diagram(id) => Some((opts.subprocess_href)(id)),
        NodeLink::Page(p) => opts.page_href.map(|f| f(p)),
    };
    write(
        diagram,
        &WriteOptions {
            root_class: "logigramme",
            data_attr: "data-workflow",
            id_prefix: opts.id_prefix,
            href: &href,
            highlight: opts.highlight,
            weights,
        },
    )
}
