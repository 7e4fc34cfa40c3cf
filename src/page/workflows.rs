//! A workflow's diagram as a page shows it: the SVG with its links made relative to that
//! page, and the figure that embeds it with a link to the workflow's own page.

use crate::data::{SiteData, WORKFLOWS_URL};
use crate::diagram::figure;
use crate::escape::escape;
use crate::language::Language;
use crate::site::Site;
use crate::workflow::{self, SvgOptions};

use super::links::page_href;
use super::strings::UiStrings;

/// How a diagram is drawn in one place of the site.
pub(crate) struct DiagramView<'a> {
    /// The language of its words (falls back to the site's).
    pub language: Language,
    /// The URL of the page (or folder) that shows it: its links are relative to it.
    pub from_url: &'a str,
    /// The prefix of its element ids, unique in the page.
    pub id_prefix: &'a str,
    /// The steps of a ticket's path to highlight.
    pub highlight: Option<&'a [String]>,
}

/// The SVG of workflow `id` as `view` asks, or `None` when the site has no such workflow.
pub(crate) fn workflow_svg(
    site: &Site,
    data: &SiteData,
    id: &str,
    view: &DiagramView,
) -> Option<String> {
    let diagram = data.diagram(id, view.language, site.config.language)?;
    let subprocess_href = |other: &str| {
        page_href(
            &site.config,
            view.from_url,
            &format!("{WORKFLOWS_URL}{other}/"),
        )
    };
    let link_href = |link: &str| {
        let rel = link.trim_start_matches('/');
        site.page(rel)
            .map(|p| page_href(&site.config, view.from_url, &p.url))
            .or_else(|| {
                // A page this language leaves out: the default language's.
                let url = site.translation.default_url(rel)?;
                let to_root = format!(
                    "{}{}",
                    super::links::root_prefix(view.from_url),
                    site.translation.up_to_output_root()
                );
                Some(format!(
                    "{to_root}{url}{}",
                    super::links::index_file(&site.config)
                ))
            })
            .unwrap_or_default()
    };
    Some(workflow::to_svg(
        diagram,
        &SvgOptions {
            id_prefix: view.id_prefix,
            subprocess_href: &subprocess_href,
            page_href: Some(&link_href),
            highlight: view.highlight,
        },
    ))
}

/// The figure embedding workflow `id` in a page, with a link to its own page.
pub(crate) fn workflow_figure(
    site: &Site,
    data: &SiteData,
    id: &str,
    view: &DiagramView,
) -> Option<String> {
    let wf = data.workflows.get(id)?;
    let svg = workflow_svg(site, data, id, view)?;
    let href = page_href(
        &site.config,
        view.from_url,
        &format!("{WORKFLOWS_URL}{id}/"),
    );
    let more = UiStrings::of(view.language).generated.workflow_page_link;
    Some(format!(
        "<figure class=\"diagram\"{}>{svg}<figcaption>{} — <a href=\"{href}\">{more}</a></figcaption></figure>\n",
        figure::scroll_attributes(&svg),
        escape(&wf.title)
    ))
}
