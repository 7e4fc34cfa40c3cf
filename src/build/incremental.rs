//! Re-rendering one page after an edit of its Markdown body, for `serve` (an edit of its
//! front matter is [`super::front_matter`]'s).
//!
//! When only the body of an ordinary page changed (its front matter is byte for byte the
//! same), nothing else in the site shows that body: titles, descriptions, dates, weights and
//! so the navigation, listings, feed and sitemap come from front matter. So the page can be
//! rendered alone against the site kept from the last build, giving the same bytes as a full
//! build. Everything else (a new or removed file, front matter, templates, guichet.yaml,
//! workflows, tickets, embeds that write files or mask assets) asks for a full build. The
//! search index does show bodies: `serve` refreshes it with a full build once the edits pause.

use std::path::Path;

use super::checks::check_anchors;
use crate::content;
use crate::data::{PageFiles, SiteData};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Rendered;
use crate::page::{self, Lifecycles, NavTree, View};
use crate::render::Templates;
use crate::site::Site;
use crate::source_layout::CONTENT_DIR;

/// What a successful build leaves for incremental updates: the site in memory, its data,
/// templates, every page's rendering (headings and anchor links, without HTML) and the
/// navigation.
pub(crate) struct BuildState {
    pub(super) site: Site,
    pub(super) data: SiteData,
    pub(super) templates: Templates,
    pub(super) rendered: Vec<Rendered>,
    pub(super) nav: NavTree,
    /// The output folder, whose pictures an embed may reuse.
    pub(super) out: std::path::PathBuf,
}

/// One page rendered again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageUpdate {
    /// The output file, relative to the output folder (`utilisateurs/suivre/index.html`).
    pub path: String,
    /// Its new bytes, identical to what a full build writes.
    pub html: Vec<u8>,
}

/// Renders again the page whose source is `changed` (relative to the site root), when only
/// its body changed, or with the pages that show it when its front matter changed in what
/// listings and the sidebar show ([`super::front_matter`]). `Ok(None)`: this change needs a
/// full build. `Err`: the new body has errors (the caller shows them and must do a full build
/// once they are fixed, since `state` is left as it was).
pub(crate) fn rerender_page(
    state: &mut BuildState,
    changed: &Path,
) -> Result<Option<Vec<PageUpdate>>, Diagnostics> {
    // A translated site's languages show each other's pages (fallbacks, switches): one
    // page alone cannot be rendered again.
    if state.site.translation.is_multilingual() {
        return Ok(None);
    }
    let Some(rel) = content_page_path(changed) else {
        return Ok(None);
    };
    let Some(&index) = state.site.by_path.get(&rel) else {
        return Ok(None);
    };
    let old = &state.site.pages[index];
    if old.ticket.is_some() {
        return Ok(None);
    }
    let Ok(text) = std::fs::read_to_string(state.site.root.join(CONTENT_DIR).join(&rel)) else {
        return Ok(None);
    };
    let Ok(source) = content::split(&old.source.file, &rel, text) else {
        return Ok(None);
    };
    if source.front_matter_yaml() != old.source.front_matter_yaml()
        || source.front_matter_line != old.source.front_matter_line
    {
        return super::front_matter::rerender_with_front_matter(state, index, source);
    }
    let mut page = old.clone();
    page.source = source;
    let mut old_page = std::mem::replace(&mut state.site.pages[index], page);
    // Put the old page back if the new one cannot be published.
    let result = render_one(state, index);
    match result {
        Ok(Some(update)) => Ok(Some(vec![update])),
        other => {
            std::mem::swap(&mut state.site.pages[index], &mut old_page);
            other.map(|update| update.map(|u| vec![u]))
        }
    }
}

impl BuildState {
    /// False for a path under content/ that the last build did not read and that no longer
    /// exists, such as the probe file an editor creates and deletes while saving: it cannot
    /// change the output. True for anything else.
    pub(crate) fn may_affect_output(&self, changed: &Path) -> bool {
        let Ok(rel) = changed.strip_prefix(CONTENT_DIR) else {
            return true;
        };
        if self.site.root.join(changed).exists() {
            return true;
        }
        let rel: Vec<&str> = rel
            .components()
            .filter_map(|c| c.as_os_str().to_str())
            .collect();
        let rel = rel.join("/");
        rel.is_empty()
            || self.site.by_path.contains_key(&rel)
            || self
                .site
                .assets
                .iter()
                .any(|a| a == &rel || a.starts_with(&format!("{rel}/")))
            || self
                .site
                .pages
                .iter()
                .any(|p| p.source.rel_path.starts_with(&format!("{rel}/")))
    }
}

/// `content/a/b.md` → `a/b.md`.
fn content_page_path(changed: &Path) -> Option<String> {
    let rel = changed.strip_prefix(CONTENT_DIR).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<_>>()?;
    let rel = parts.join("/");
    rel.ends_with(".md").then_some(rel)
}

pub(super) fn render_one(
    state: &mut BuildState,
    index: usize,
) -> Result<Option<PageUpdate>, Diagnostics> {
    let site = &state.site;
    let page = &site.pages[index];
    // A topology with errors (or texts missing in the page's language) is reported by the
    // full build, with the other validation errors and warnings.
    let (embedded, embed_problems) = PageFiles::load(site, page);
    if !embed_problems.is_empty() {
        return Ok(None);
    }
    let earlier = [state.out.clone()];
    let mut rendered = super::render_markdown(site, &state.data, page, &embedded, &earlier);
    // Embeds that write files beside the page or mask copied ones change more than the
    // page.
    if !rendered.files.is_empty() || !rendered.masked.is_empty() {
        return Ok(None);
    }
    let mut errors: Vec<Diagnostic> = rendered
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let html = if errors.is_empty() {
        // Ticket pages, the only ones with lifecycle figures, always take a full build.
        let lifecycles = Lifecycles::default();
        let view = View {
            site,
            data: &state.data,
            templates: &state.templates,
            nav: &state.nav,
            lifecycles: &lifecycles,
        };
        match page::render_page(&view, page, &rendered) {
            Ok(html) => Some(html),
            Err(d) => {
                errors.push(d);
                None
            }
        }
    } else {
        None
    };
    rendered.html = String::new();
    let previous = std::mem::replace(&mut state.rendered[index], rendered);
    // Links to this page's anchors from any page, and this page's own links, against the
    // headings the page has now.
    errors.extend(check_anchors(&state.site, &state.rendered));
    if !errors.is_empty() || html.is_none() {
        state.rendered[index] = previous;
        let mut all = Diagnostics(errors);
        all.sort();
        return Err(all);
    }
    Ok(html.map(|html| PageUpdate {
        path: format!("{}index.html", state.site.pages[index].url),
        html,
    }))
}
