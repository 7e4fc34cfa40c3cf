//! What ticket write-up pages show besides their Markdown: the header card with the
//! lifecycle followed, the related and similar tickets, and a ticket section's table.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::language::Language;
use crate::site::{Page, Site};
use crate::tickets::{self, Ticket};

use super::View;
use super::links::page_href;
use super::strings::UiStrings;
use super::workflows::{DiagramView, workflow_figure};

/// What a ticket page's lifecycle figure depends on: workflow, language, highlighted path and
/// the folder of the page (its links are relative).
type LifecycleKey = (String, Language, Vec<String>, String);

/// The lifecycle figures of every ticket page, made before the pages are rendered: most
/// tickets followed one of a few paths, so thousands of pages share a handful of figures.
#[derive(Default)]
pub(crate) struct Lifecycles {
    figures: HashMap<LifecycleKey, String>,
}

impl Lifecycles {
    /// Draws each distinct lifecycle figure of the site's ticket pages once.
    pub(crate) fn new(site: &Site, data: &crate::data::SiteData) -> Lifecycles {
        let mut wanted: HashMap<LifecycleKey, &Page> = HashMap::new();
        for page in &site.pages {
            let Some(i) = page.ticket else { continue };
            if let Some(key) = lifecycle_key(page, &site.tickets[i]) {
                wanted.entry(key).or_insert(page);
            }
        }
        let figures = wanted
            .into_par_iter()
            .filter_map(|(key, page)| {
                let (wf, _, path, _) = &key;
                let prefix = format!("ticket-{wf}");
                let view = DiagramView {
                    language: page.language,
                    from_url: &page.url,
                    id_prefix: &prefix,
                    highlight: (!path.is_empty()).then_some(path.as_slice()),
                };
                let figure = workflow_figure(site, data, wf, &view)?;
                Some((key, figure))
            })
            .collect();
        Lifecycles { figures }
    }

    /// The figure of `ticket`'s lifecycle as its `page` shows it.
    fn of(&self, page: &Page, ticket: &Ticket) -> Option<&str> {
        self.figures
            .get(&lifecycle_key(page, ticket)?)
            .map(String::as_str)
    }
}

/// Its ids start with `ticket-<wf>`: no embed in the write-up uses that prefix, so they stay
/// unique on the page.
fn lifecycle_key(page: &Page, ticket: &Ticket) -> Option<LifecycleKey> {
    let wf = ticket.workflow.as_ref()?;
    let folder = page
        .url
        .trim_end_matches('/')
        .rsplit_once('/')
        .map_or("", |(dir, _)| dir);
    Some((
        wf.clone(),
        page.language,
        ticket.path.clone(),
        folder.to_string(),
    ))
}

/// What a ticket page shows above its write-up: the header card and its lifecycle
/// diagram with the ticket's path highlighted.
pub(super) fn ticket_header(view: &View, page: &Page, ticket: &Ticket) -> String {
    let data = view.data;
    let Some(kpis) = &data.kpis else {
        return String::new();
    };
    let mut html = tickets::ticket_card_html(ticket, &data.settings, kpis, page.language);
    if let Some(figure) = view.lifecycles.of(page, ticket) {
        let title = UiStrings::of(page.language).generated.lifecycle_followed;
        html.push_str(&format!(
            "<details class=\"ticket-lifecycle\"><summary>{title}</summary>{figure}</details>\n"
        ));
    }
    html
}

/// What a ticket page shows below its write-up: related and similar tickets.
pub(super) fn ticket_footer(view: &View, page: &Page, ticket: &Ticket) -> String {
    let (site, data) = (view.site, view.data);
    let href = |t: &Ticket| ticket_href(view, &page.url, t);
    // Only the tickets this one links to: the list is built per page, so passing every
    // ticket would make a site of n tickets cost n² here.
    let mut ids: Vec<u64> = data.related.get(&ticket.id).cloned().unwrap_or_default();
    ids.extend(
        data.similar
            .get(&ticket.id.to_string())
            .into_iter()
            .flatten()
            .filter_map(|(id, _)| id.parse::<u64>().ok()),
    );
    let linked = ids
        .iter()
        .filter_map(|id| data.tickets_by_id.get(id))
        .map(|&(i, _)| &site.tickets[i]);
    tickets::ticket_links_html(
        ticket,
        linked,
        &data.related,
        &data.similar,
        page.language,
        &href,
    )
}

/// The tickets table of a ticket section's index page.
pub(super) fn tickets_index(view: &View, page: &Page) -> String {
    let site = view.site;
    let in_section = site
        .pages
        .iter()
        .filter(|p| p.section == page.section && !p.is_index)
        .filter_map(|p| p.ticket.map(|i| &site.tickets[i]));
    let href = |t: &Ticket| ticket_href(view, &page.url, t);
    tickets::tickets_index_html(in_section, &view.data.settings, page.language, &href)
}

/// Every ticket of the site has a page, so the lookup cannot miss.
fn ticket_href(view: &View, from_url: &str, t: &Ticket) -> String {
    view.data
        .tickets_by_id
        .get(&t.id)
        .map(|(_, url)| page_href(&view.site.config, from_url, url))
        .unwrap_or_default()
}
