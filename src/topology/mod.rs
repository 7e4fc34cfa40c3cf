//! Network topologies: a YAML description becomes a diagram (SVG, PNG), an IP plan and a flow
//! matrix (HTML tables and CSV), all from the same validated data so they never disagree.
//!
//! The format is documented in `docs/topology.md`. Stages: [`parse`] (YAML → validated
//! [`Topology`], every error with its line), then the renderers, which cannot fail.
//! `lang` is the site's [`Language`], as for the workflow diagrams.

mod geom;
mod icons;
pub(crate) mod ipv4;
mod lang;
pub mod layout;
mod localize;
pub(crate) mod model;
mod route;
mod svg;
pub(crate) mod tables;
mod validate;

use std::path::Path;

use crate::diagnostics::Diagnostic;
pub use crate::diagram::png::PngError;
use crate::escape::escape;
use crate::language::Language;
pub use crate::localized_text::Languages;

pub use layout::{Layout, SharedSizes};
pub use model::Topology;
pub use tables::{FlowRow, IpPlanRow, flow_rows, ip_plan_rows};

/// Parses and validates a topology file; `id` (usually the file stem) names the diagram.
/// Texts written per language (`{fr: …, en: …}`) give their default language's words.
/// Returns every error of the file at once, sorted by position.
pub fn parse(path: &Path, text: &str, id: &str) -> Result<Topology, Vec<Diagnostic>> {
    validate::parse_at(path, text, 1, text, id, None).map(|(t, _)| t)
}

/// Like [`parse`] for YAML written inline in a page: `text` starts at line `first_line` of
/// `full_text` (the page), so errors point at the page's own lines.
pub fn parse_inline(
    path: &Path,
    text: &str,
    first_line: usize,
    full_text: &str,
    id: &str,
) -> Result<Topology, Vec<Diagnostic>> {
    validate::parse_at(path, text, first_line, full_text, id, None).map(|(t, _)| t)
}

/// Like [`parse_inline`], with the texts written per language in `languages.language`
/// (else in `languages.default`): returns the topology with a warning for each text missing
/// in that language, at its line.
pub fn parse_in_language(
    path: &Path,
    text: &str,
    first_line: usize,
    full_text: &str,
    id: &str,
    languages: Languages,
) -> Result<(Topology, Vec<Diagnostic>), Vec<Diagnostic>> {
    validate::parse_at(path, text, first_line, full_text, id, Some(languages))
}

/// The IP plan as an HTML `<table>` (device, interface, network, VLAN, address, gateway).
pub fn ip_plan_html(t: &Topology, lang: Language) -> String {
    tables::ip_plan_html(t, &lang::words(lang))
}

/// The flow matrix as an HTML `<table>` (source, destination, service, port, protocol,
/// purpose).
pub fn flow_matrix_html(t: &Topology, lang: Language) -> String {
    tables::flow_matrix_html(t, &lang::words(lang))
}

/// The IP plan as CSV: `;` separators, CRLF line ends, UTF-8 with a byte-order mark (what
/// spreadsheets in French locales expect), headers in the site's language.
pub fn ip_plan_csv(t: &Topology, lang: Language) -> String {
    tables::ip_plan_csv(t, &lang::words(lang))
}

/// The flow matrix as CSV, same conventions as [`ip_plan_csv`].
pub fn flow_matrix_csv(t: &Topology, lang: Language) -> String {
    tables::flow_matrix_csv(t, &lang::words(lang))
}

/// The topology as a self-contained SVG (docs/diagrams.md §2), texts in the site's language.
pub fn to_svg(t: &Topology, lang: Language) -> String {
    to_svg_shared(t, lang, None)
}

/// [`to_svg`] of one language's version of a topology drawn in several: with `sizes`
/// ([`SharedSizes::of`] its versions), every language's SVG has the same boxes and links.
pub fn to_svg_shared(t: &Topology, lang: Language, sizes: Option<&SharedSizes>) -> String {
    let words = lang::words(lang);
    svg::write(t, &layout::layout(t, &words, sizes), &words, lang)
}

/// The topology as PNG at `scale` (2.0 for the site's downloads), drawn by resvg with the
/// bundled font from the same SVG as [`to_svg`].
pub fn to_png(t: &Topology, lang: Language, scale: f32) -> Result<Vec<u8>, PngError> {
    crate::diagram::png::to_png(&to_svg(t, lang), scale)
}

/// The laid-out geometry, for tests and benchmarks that check the drawing's invariants
/// without parsing SVG.
pub fn to_layout(t: &Topology, lang: Language) -> Layout {
    layout::layout(t, &lang::words(lang), None)
}

/// The HTML that replaces a ```` ```topologie reseau.yaml ```` block: `svg` (the topology's
/// [`to_svg_shared`]) in a `<figure>`, then the IP plan and the flow matrix, each followed
/// by a link to its CSV file (`ip_plan_csv_href`, `flow_matrix_csv_href`: relative URLs,
/// escaped here).
pub fn embed_html(
    t: &Topology,
    lang: Language,
    svg: &str,
    ip_plan_csv_href: &str,
    flow_matrix_csv_href: &str,
) -> String {
    let words = lang::words(lang);
    let caption = t
        .description
        .clone()
        .or_else(|| t.title.clone())
        .unwrap_or_else(|| words.default_title.to_string());
    format!(
        "<div class=\"topologie-embed\" id=\"{id}-topologie\">\n\
         <figure class=\"topologie-figure\"{style}>\n{svg}<figcaption>{caption}</figcaption>\n</figure>\n\
         <div class=\"topologie-tableau\">\n{ip}<p class=\"topologie-csv\"><a href=\"{ip_href}\" download>{ip_link}</a></p>\n</div>\n\
         <div class=\"topologie-tableau\">\n{flows}<p class=\"topologie-csv\"><a href=\"{flow_href}\" download>{flow_link}</a></p>\n</div>\n\
         </div>\n",
        id = escape(&t.id),
        style = crate::diagram::figure::scroll_attributes(svg),
        caption = escape(&caption),
        ip = tables::ip_plan_html(t, &words),
        ip_href = escape(ip_plan_csv_href),
        ip_link = escape(words.download_ip_plan),
        flows = tables::flow_matrix_html(t, &words),
        flow_href = escape(flow_matrix_csv_href),
        flow_link = escape(words.download_flows),
    )
}
