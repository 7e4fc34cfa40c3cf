//! Re-rendering the pages that show one page's front matter after it changed, for `serve`.
//!
//! A page's title, description, dates, tags, category and weight are shown by the page itself,
//! its section's listing, the home page's recent pages, the sidebar of the pages whose window
//! holds it, its neighbours' previous/next links, and the feeds. When nothing else of the front
//! matter changed, those pages are found by comparing what each page of the site shows of the
//! others (its sidebar and neighbours, [`page::frame_key`]) before and after the change, and
//! only they are rendered again: on a section of 10,000 pages, a title edit renders a few dozen
//! pages instead of the whole site. Any other key (aliases, template, draft, language,
//! audience…), a section index, a ticket or a portfolio page asks for a full build.

use std::collections::BTreeSet;

use super::incremental::{BuildState, PageUpdate, render_one};
use crate::content::{self, SourcePage};
use crate::data::PageFiles;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::page::{self, Lifecycles, NavTree, View};
use crate::site::{self, Page};

/// The front matter keys whose change this module handles: what listings, the sidebar and
/// feeds show of a page (and the search index, which `serve` refreshes with a full build).
const SHOWN_KEYS: [&str; 7] = [
    "title",
    "description",
    "date",
    "updated",
    "tags",
    "category",
    "weight",
];

/// The page at `index` with its new `source`, whose front matter differs from the one in
/// `state`, and every page that shows it, rendered again. `Ok(None)`: the change needs a full
/// build (the state is left as it was). `Err`: the page has errors (the state is left as it
/// was).
pub(super) fn rerender_with_front_matter(
    state: &mut BuildState,
    index: usize,
    source: SourcePage,
) -> Result<Option<Vec<PageUpdate>>, Diagnostics> {
    let Some(new_page) = page_if_only_shown_keys_changed(state, index, source) else {
        return Ok(None);
    };
    let before = frames(state);
    let was_dated = is_dated(&state.site.pages[index]);
    let old_page = std::mem::replace(&mut state.site.pages[index], new_page);
    let old_sections = std::mem::replace(
        &mut state.site.sections,
        site::build_sections(&state.site.pages),
    );
    let old_nav = std::mem::replace(&mut state.nav, NavTree::new(&state.site, &state.data));
    let result = render_affected(state, index, &before, was_dated);
    if !matches!(result, Ok(Some(_))) {
        state.site.pages[index] = old_page;
        state.site.sections = old_sections;
        state.nav = old_nav;
    }
    result
}

/// The page with its new front matter, when it is an ordinary page and only [`SHOWN_KEYS`]
/// changed; `None` otherwise (including a front matter with errors, which the full build
/// reports with the rest).
fn page_if_only_shown_keys_changed(
    state: &BuildState,
    index: usize,
    source: SourcePage,
) -> Option<Page> {
    let old = &state.site.pages[index];
    let in_portfolio = state
        .data
        .portfolio
        .as_ref()
        .is_some_and(|p| p.contains(old));
    // Redirect pages show their target's title; the self-service page lists pages by
    // audience.
    if old.is_index
        || old.ticket.is_some()
        || in_portfolio
        || !old.front.aliases.is_empty()
        || old.front.audience.is_some()
    {
        return None;
    }
    let (front, spans) = content::parse_front_matter(&source).ok()?;
    if other_keys(&front)? != other_keys(&old.front)? {
        return None;
    }
    site::page_from(source, front, spans, &state.site.config).ok()
}

/// The front matter without [`SHOWN_KEYS`], to compare.
fn other_keys(front: &content::FrontMatter) -> Option<serde_json::Value> {
    let mut value = serde_json::to_value(front).ok()?;
    let map = value.as_object_mut()?;
    for key in SHOWN_KEYS {
        map.remove(key);
    }
    Some(value)
}

/// What every page of content/ shows of the others ([`page::frame_key`]), in page order.
fn frames(state: &BuildState) -> Vec<u64> {
    use rayon::prelude::*;
    let site = &state.site;
    (0..site.pages.len())
        .into_par_iter()
        .map(|i| page::frame_key(site, &state.nav, i))
        .collect()
}

fn is_dated(page: &Page) -> bool {
    page.front.date.is_some() || page.front.updated.is_some()
}

/// Renders the edited page, then the pages whose frame changed, its section's index, the home
/// page when its recent pages may have changed, and the feeds.
fn render_affected(
    state: &mut BuildState,
    index: usize,
    before: &[u64],
    was_dated: bool,
) -> Result<Option<Vec<PageUpdate>>, Diagnostics> {
    let Some(first) = render_one(state, index)? else {
        return Ok(None);
    };
    let after = frames(state);
    let site = &state.site;
    let edited = &site.pages[index];
    let mut others: BTreeSet<usize> = (0..site.pages.len())
        .filter(|&i| i != index && before[i] != after[i])
        .collect();
    if let Some(listing) = site.sections.get(&edited.section).and_then(|s| s.index) {
        others.insert(listing);
    }
    if was_dated || is_dated(edited) {
        others.extend(site.by_url.get("").copied());
    }
    others.remove(&index);
    let mut updates = vec![first];
    let lifecycles = Lifecycles::default();
    let view = View {
        site,
        data: &state.data,
        templates: &state.templates,
        nav: &state.nav,
        lifecycles: &lifecycles,
    };
    let earlier = [state.out.clone()];
    for i in others {
        match render_frame(&view, &site.pages[i], &earlier) {
            Ok(Some(update)) => updates.push(update),
            Ok(None) => return Ok(None),
            Err(d) => return Err(Diagnostics::from(d)),
        }
    }
    for (path, text) in page::feeds::feeds(site) {
        updates.push(PageUpdate {
            path: path.to_string(),
            html: text.into_bytes(),
        });
    }
    Ok(Some(updates))
}

/// A page whose body did not change, rendered again for what it shows of another page.
/// `None` when it cannot be rendered alone (embeds that write files, tickets).
fn render_frame(
    view: &View,
    page: &Page,
    earlier: &[std::path::PathBuf],
) -> Result<Option<PageUpdate>, Diagnostic> {
    if page.ticket.is_some() || view.site.ticket_sections.contains(&page.section) {
        return Ok(None);
    }
    let (embedded, problems) = PageFiles::load(view.site, page);
    if !problems.is_empty() {
        return Ok(None);
    }
    let rendered = super::render_markdown(view.site, view.data, page, &embedded, earlier);
    if !rendered.files.is_empty()
        || !rendered.masked.is_empty()
        || rendered.diagnostics.iter().any(Diagnostic::is_error)
    {
        return Ok(None);
    }
    let html = page::render_page(view, page, &rendered)?;
    Ok(Some(PageUpdate {
        path: format!("{}index.html", page.url),
        html: html.into_bytes(),
    }))
}
