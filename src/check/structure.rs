//! Accessibility and structure: images without alternative text, headings that skip a level,
//! headings with nothing under them, pages without description, two pages with one title,
//! pages nothing links to (the navigation and section listings aside) and links whose text
//! says nothing out of context ("ici", "click here"), which screen-reader users list alone.

use std::collections::{BTreeMap, BTreeSet};

use super::scan::PageScan;
use super::{Finding, Lines, finding};
use crate::content;
use crate::data::SiteData;
use crate::diagnostics::{Diagnostic, Severity};
use crate::site::{Page, Site};

const ALT_TEXT: &str = "alt-text";
const HEADING_LEVELS: &str = "heading-levels";
const EMPTY_SECTION: &str = "empty-section";
const LINK_TEXT: &str = "link-text";
const DESCRIPTION: &str = "description";
const DUPLICATE_TITLE: &str = "duplicate-title";
const ORPHAN_PAGE: &str = "orphan-page";

/// Link texts that do not say where the link goes (compared in lower case, without the
/// final punctuation).
const VAGUE_LINK_TEXTS: &[&str] = &[
    "ici",
    "cliquez ici",
    "clique ici",
    "par ici",
    "ce lien",
    "lien",
    "en savoir plus",
    "lire la suite",
    "here",
    "click here",
    "this link",
    "link",
    "read more",
    "more",
];

/// The structure rules turned on (`on` says which), over every page.
pub(crate) fn check(
    site: &Site,
    data: &SiteData,
    scans: &[PageScan],
    on: &dyn Fn(&str) -> bool,
) -> Vec<Finding> {
    let mut found = Vec::new();
    for (page, scan) in site.pages.iter().zip(scans) {
        let lines = Lines::new(&page.source.text);
        let warn = |rule: &'static str, offset: usize, message: String, help: &str| {
            finding(
                rule,
                Severity::Warning,
                &page.source.file,
                &lines,
                offset,
                message,
            )
            .with_help(help)
        };
        if on(ALT_TEXT) {
            found.extend(scan.images.iter().filter(|i| i.alt.is_empty()).map(|i| {
                warn(
                    ALT_TEXT,
                    i.offset,
                    "image without alternative text".into(),
                    "describe what it shows for readers who cannot see it: ![Écran de connexion de GLPI](connexion.png)",
                )
            }));
        }
        if on(HEADING_LEVELS) {
            let mut previous = 1;
            for h in &scan.headings {
                if h.level > previous + 1 {
                    found.push(warn(
                        HEADING_LEVELS,
                        h.offset,
                        format!("heading level jumps from h{previous} to h{}", h.level),
                        &format!(
                            "make it h{} ({}): screen readers navigate by levels, and the page title is the h1",
                            previous + 1,
                            "#".repeat(usize::from(previous) + 1)
                        ),
                    ));
                }
                previous = h.level;
            }
        }
        if on(EMPTY_SECTION) {
            for (i, h) in scan.headings.iter().enumerate() {
                let next_deeper = scan.headings.get(i + 1).is_some_and(|n| n.level > h.level);
                if !h.has_content && !next_deeper {
                    found.push(warn(
                        EMPTY_SECTION,
                        h.offset,
                        "heading with nothing under it".into(),
                        "write the section, or remove its heading",
                    ));
                }
            }
        }
        if on(LINK_TEXT) {
            for link in &scan.links {
                let text = link
                    .text
                    .trim_end_matches(['.', '!', ':', ' ', '\u{a0}'])
                    .to_lowercase();
                if VAGUE_LINK_TEXTS.contains(&text.as_str()) {
                    found.push(warn(
                        LINK_TEXT,
                        link.offset,
                        format!("link text `{}` does not say where it goes", link.text),
                        "name the destination: [Déclarer un incident](declarer-un-incident.md) rather than [ici](declarer-un-incident.md)",
                    ));
                }
            }
        }
        if on(DESCRIPTION)
            && page
                .front
                .description
                .as_deref()
                .is_none_or(|d| d.trim().is_empty())
        {
            found.push(page_finding(
                page,
                DESCRIPTION,
                "page without description".into(),
                "add `description:` to its front matter: one sentence shown in listings, search results and link previews",
            ));
        }
    }
    if on(DUPLICATE_TITLE) {
        found.extend(duplicate_titles(site));
    }
    if on(ORPHAN_PAGE) {
        found.extend(orphans(site, data, scans));
    }
    found
}

/// A finding about a whole page, at its title's line.
fn page_finding(page: &Page, rule: &'static str, message: String, help: &str) -> Finding {
    let pos = page.spans.at("title");
    Finding {
        rule: Some(rule),
        diagnostic: Diagnostic::warning(&page.source.file, pos.line, pos.column, message)
            .with_source(&page.source.text)
            .with_help(help),
    }
}

fn duplicate_titles(site: &Site) -> Vec<Finding> {
    let mut first: BTreeMap<String, &Page> = BTreeMap::new();
    let mut found = Vec::new();
    for page in &site.pages {
        let key = page.title.trim().to_lowercase();
        match first.get(&key) {
            Some(earlier) => found.push(page_finding(
                page,
                DUPLICATE_TITLE,
                format!(
                    "the title `{}` is also the title of {}",
                    page.title,
                    earlier.source.file.display()
                ),
                "give each page its own title: it names the page in search results, browser tabs and the navigation",
            )),
            None => {
                first.insert(key, page);
            }
        }
    }
    found
}

/// Pages that no other page, workflow step or ticket links to. The home page and section
/// pages are reached from the navigation by design, and ticket write-ups from their
/// section's table, the KPIs and the search: they are never orphans.
fn orphans(site: &Site, data: &SiteData, scans: &[PageScan]) -> Vec<Finding> {
    let mut linked: BTreeSet<usize> = BTreeSet::new();
    for (index, (page, scan)) in site.pages.iter().zip(scans).enumerate() {
        for link in &scan.links {
            if let Some(target) = link_target(site, page, &link.dest)
                && target != index
            {
                linked.insert(target);
            }
        }
    }
    for workflow in data.workflows.values() {
        for step in &workflow.steps {
            if let Some(&target) = step
                .link
                .as_deref()
                .and_then(|l| site.by_path.get(l.trim_start_matches('/')))
            {
                linked.insert(target);
            }
        }
    }
    for related in data.related.values() {
        linked.extend(
            related
                .iter()
                .filter_map(|id| data.tickets_by_id.get(id))
                .filter_map(|(_, url)| site.by_url.get(url)),
        );
    }
    site.pages
        .iter()
        .enumerate()
        .filter(|(index, page)| !page.is_index && page.ticket.is_none() && !linked.contains(index))
        .map(|(_, page)| {
            page_finding(
                page,
                ORPHAN_PAGE,
                "no other page links to this page".into(),
                "link to it from a page that readers reach (a section page, a procedure, a workflow step's `link:`), or remove it",
            )
        })
        .collect()
}

/// The page a Markdown link leads to, if it is a page of the site.
fn link_target(site: &Site, from: &Page, dest: &str) -> Option<usize> {
    if dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with('#') {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    let resolved = content::resolve_relative(&from.source.rel_path, path)?;
    site.by_path
        .get(&resolved)
        .or_else(|| {
            let folder = resolved.trim_end_matches('/');
            let index = if folder.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{folder}/_index.md")
            };
            site.by_path.get(&index)
        })
        .copied()
}
