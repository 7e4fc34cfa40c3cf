//! The listing page of a folder of content/ without `_index.md`: every folder is a section
//! and the navigation links to it, so each language's site writes a page at its URL listing
//! its pages and subfolders (the default language at `reseau/`, English at `en/reseau/`).

use crate::content;
use crate::diagnostics::Diagnostic;
use crate::output::Staging;
use crate::site::{Section, Site};

use super::View;
use super::context::{Link, PageContext, base_context, section_context};
use super::links::{page_href, root_prefix};
use super::strings::UiStrings;

/// Writes the listing of every folder that has no page of its own in this language's site;
/// returns how many files were written. A folder whose `_index.md` this language leaves out
/// (`missing_translation: omit`) gets none: links to it lead to the default language's page.
pub(crate) fn write_folder_listings(view: &View, staging: &Staging) -> Result<usize, Diagnostic> {
    let site = view.site;
    let mut files = 0;
    for section in site.sections.values().filter(|s| needs_listing(site, s)) {
        let html = render_listing(view, section)?;
        staging.write(&format!("{}index.html", section.url), html.as_bytes())?;
        files += 1;
    }
    Ok(files)
}

fn needs_listing(site: &Site, section: &Section) -> bool {
    !section.dir.is_empty()
        && section.index.is_none()
        && site
            .translation
            .default_url(&format!("{}/_index.md", section.dir))
            .is_none()
}

fn render_listing(view: &View, section: &Section) -> Result<String, Diagnostic> {
    let site = view.site;
    let language = site.config.language;
    let url = section.url.as_str();
    let mut ctx = base_context(site, view.nav, url, language, &root_prefix(url));
    let (print, print_style) = super::portfolio::generated_print_block(
        site,
        view.data.portfolio.as_ref(),
        &section.title,
        None,
    );
    let page = PageContext {
        breadcrumbs: breadcrumbs(site, section),
        print: Some(print),
        ..PageContext::generated(url, &section.title, "")
    };
    ctx.insert("page", &page);
    ctx.insert("print_style", &print_style);
    ctx.insert_value("tp", view.nav.shared.portfolio_strings(language));
    ctx.insert("section", &section_context(site, url, section, false));
    view.templates.render("section.html", &ctx)
}

/// Home, then the folders above this one.
fn breadcrumbs(site: &Site, section: &Section) -> Vec<Link> {
    let mut crumbs = vec![Link {
        title: UiStrings::of(site.config.language).home.to_string(),
        href: page_href(&site.config, &section.url, ""),
    }];
    let mut parents = Vec::new();
    let mut dir = content::section_of(&section.dir);
    while !dir.is_empty() {
        parents.push(dir.clone());
        dir = content::section_of(&dir);
    }
    for parent in parents.iter().rev().filter_map(|d| site.sections.get(d)) {
        crumbs.push(Link {
            title: parent.title.clone(),
            href: page_href(&site.config, &section.url, &parent.url),
        });
    }
    crumbs
}
