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
        html,
    }))
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::{Path, PathBuf};

    use crate::build::{BuildOptions, BuildProgress, build_with_state, rerender_page};

    /// A site with one section of 200 pages, `s/p001/` to `s/p200/`, weighted 10 to 2,000 in
    /// that order: more than the sidebar's window of 31.
    fn large_section_site() -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("guichet-front-matter-move-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("content/s")).unwrap();
        fs::write(root.join("guichet.yaml"), "title: T\n").unwrap();
        fs::write(root.join("content/_index.md"), "---\ntitle: Accueil\n---\n").unwrap();
        fs::write(root.join("content/s/_index.md"), "---\ntitle: S\n---\n").unwrap();
        for k in 1..=200 {
            write_page(&root, k, k * 10);
        }
        root
    }

    fn write_page(root: &Path, k: usize, weight: usize) {
        fs::write(
            root.join(format!("content/s/p{k:03}.md")),
            format!("---\ntitle: Page {k:03}\nweight: {weight}\n---\nTexte {k}.\n"),
        )
        .unwrap();
    }

    #[test]
    fn a_page_moved_across_a_large_section_rerenders_only_the_sidebars_that_show_the_move() {
        let root = large_section_site();
        let mut options = BuildOptions::new(&root);
        options.out = Some(root.join("site"));
        let (_, mut state) = build_with_state(&options, &BuildProgress::default()).unwrap();

        // p010 moves from the 10th place to between p190 and p191.
        write_page(&root, 10, 1905);
        let updates = rerender_page(&mut state, Path::new("content/s/p010.md"))
            .unwrap()
            .expect("rendered without a full build");

        let mut pages: Vec<String> = updates
            .iter()
            .map(|u| u.path.clone())
            .filter(|p| p.ends_with("index.html"))
            .collect();
        pages.sort();
        // Sidebars whose window held p010 before or after the move (p001–p025, p176–p200),
        // its old and new neighbours among them, the page and the section's listing. Pages
        // p026–p175 show the same 31 links and both "…" before and after.
        let mut expected: Vec<String> = (1..=25)
            .chain(176..=200)
            .map(|k| format!("s/p{k:03}/index.html"))
            .collect();
        expected.push("s/index.html".to_string());
        expected.sort();
        assert_eq!(pages, expected);
        let _ = fs::remove_dir_all(&root);
    }
}
