//! A workflow's lifecycle analytics as a page shows them: the weighted diagram (the laid-out
//! diagram decorated by [`crate::lifecycle::weighted`], its links relative to the page) inside
//! the analytics section. Used by the workflow's own page and by the ```` ```parcours ID ````
//! embed.

use crate::data::{SiteData, WORKFLOWS_URL};
use crate::language::Language;
use crate::lifecycle::{html, weighted};
use crate::site::Site;
use crate::workflow::{self, SvgOptions};

use super::links::page_href;

/// The analytics section of workflow `id` for a page at `from_url` in `language`, its
/// element ids prefixed with `id_prefix`; `None` when the site has no such workflow.
pub(crate) fn lifecycle_section(
    site: &Site,
    data: &SiteData,
    id: &str,
    language: Language,
    from_url: &str,
    id_prefix: &str,
) -> Option<String> {
    let wf = data.workflows.get(id)?;
    let lc = data.lifecycles.get(id)?;
    let diagram = data.diagram(id, language, site.config.language)?;
    let weights = weighted::weights(diagram, lc);
    let subprocess_href =
        |other: &str| page_href(&site.config, from_url, &format!("{WORKFLOWS_URL}{other}/"));
    let link_href = |link: &str| {
        let rel = link.trim_start_matches('/');
        site.page(rel)
            .map(|p| page_href(&site.config, from_url, &p.url))
            .unwrap_or_default()
    };
    let svg = workflow::to_svg_weighted(
        diagram,
        &SvgOptions {
            id_prefix,
            subprocess_href: &subprocess_href,
            page_href: Some(&link_href),
            highlight: (!lc.main_path.is_empty()).then_some(lc.main_path.as_slice()),
        },
        &weights,
    );
    Some(html::section_html(wf, lc, &svg, language, id_prefix))
}
