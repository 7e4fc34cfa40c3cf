//! What the search index receives from the pipeline: the pages' text already in memory
//! (the Markdown renderer's blocks), their facets, and the generated workflow pages.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::markdown::Rendered;
use crate::search::{SearchBlock, SearchDoc};
use crate::site::{Page, Site};
use crate::tickets::priority::priority_label;

use crate::data::{SiteData, WORKFLOWS_URL};

/// One search document per page that did not opt out (`search: false`), plus one per
/// workflow page. The pages' text blocks are moved out of `rendered`, not copied: nothing
/// after the index reads them, and a large site's text is its largest part.
pub(crate) fn documents(site: &Site, rendered: &mut [Rendered], data: &SiteData) -> Vec<SearchDoc> {
    // In parallel: each page's document is its own, and copying the facets of 10,000 pages
    // on one thread left the other cores idle.
    let mut docs: Vec<SearchDoc> = site
        .pages
        .par_iter()
        .zip(rendered.par_iter_mut())
        .filter(|(page, _)| page.front.search != Some(false))
        // A page shown untranslated is in its own language's index already.
        .filter(|(page, _)| site.translation.written_in(&page.source.rel_path).is_none())
        .map(|(page, r)| page_document(site, data, page, r))
        .collect();
    docs.extend(workflow_documents(site, data));
    docs.extend(super::portfolio::oral_document(
        site,
        data.portfolio.as_ref(),
    ));
    docs
}

fn page_document(site: &Site, data: &SiteData, page: &Page, r: &mut Rendered) -> SearchDoc {
    let lang = page.language.code();
    let section = site
        .sections
        .get(&page.section)
        .map(|s| s.title.clone())
        .unwrap_or_default();
    let mut facets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |name: &str, value: String| {
        if !value.is_empty() {
            facets.entry(name.to_string()).or_default().push(value);
        }
    };
    if let Some(a) = page.front.audience {
        add("audience", format!("{a:?}").to_lowercase());
    }
    if !section.is_empty() {
        add("section", section.clone());
    }
    if let Some(c) = &page.front.category {
        add("category", c.clone());
    }
    for tag in &page.front.tags {
        add("tags", tag.clone());
    }
    add("language", lang.to_string());
    if let Some(i) = page.ticket {
        let t = &site.tickets[i];
        add("type", t.kind.label(page.language).to_string());
        add(
            "priority",
            priority_label(t.priority(&data.settings.priority_matrix), page.language).to_string(),
        );
        add("status", t.status.label(page.language).to_string());
    }
    let blocks = std::mem::take(&mut r.blocks)
        .into_iter()
        .map(|b| SearchBlock {
            level: if b.anchor.is_empty() { 0 } else { b.level },
            anchor: b.anchor,
            heading: b.heading,
            text: b.text,
            code: b.code,
        })
        .collect();
    let description = page.front.description.clone().unwrap_or_default();
    let mut doc = SearchDoc {
        url: page.url.clone(),
        title: page.title.clone(),
        language: lang.to_string(),
        section,
        facets,
        blocks,
    };
    // The description is shown under the title: searchable as the page's first words.
    if let Some(first) = doc.blocks.first_mut()
        && !description.is_empty()
    {
        first.text = format!("{description} {}", first.text).trim().to_string();
    }
    doc
}

/// A workflow page: its description and every step's label, so "escalade" or "clos" finds it.
fn workflow_documents(site: &Site, data: &SiteData) -> Vec<SearchDoc> {
    let lang = site.config.language.code();
    let section = super::strings::UiStrings::of(site.config.language).workflows;
    data.workflows
        .values()
        .map(|wf| {
            let steps: Vec<&str> = wf.steps.iter().map(|s| s.label.as_str()).collect();
            let text = format!(
                "{} {}",
                wf.description.clone().unwrap_or_default(),
                steps.join(" · ")
            );
            let mut facets = BTreeMap::new();
            facets.insert("section".to_string(), vec![section.to_string()]);
            facets.insert("language".to_string(), vec![lang.to_string()]);
            SearchDoc {
                url: format!("{WORKFLOWS_URL}{}/", wf.id),
                title: wf.title.clone(),
                language: lang.to_string(),
                section: section.to_string(),
                facets,
                blocks: vec![SearchBlock {
                    text: text.trim().to_string(),
                    ..SearchBlock::default()
                }],
            }
        })
        .collect()
}
