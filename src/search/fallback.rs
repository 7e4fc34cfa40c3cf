//! The compact index loaded as a plain script when the site is opened from file://, where
//! fetch() is refused: titles, headings with anchors, facets and each page's key terms.
//!
//! The browser analyses titles and headings itself, so only the body's most distinctive terms
//! (highest BM25 weight: impact times idf) are shipped, already analysed.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::SearchDoc;
use super::index::{FacetOrTerm, SECTION_BITS};

/// Key terms kept per page.
const KEY_TERMS: usize = 12;

/// The JavaScript source of `search/fallback-<lang>.js`: it stores the data in
/// `window.GUICHET_SEARCH_FALLBACK[lang]`.
pub(crate) fn fallback_script(
    lang: &str,
    languages: &[String],
    pages: &[&SearchDoc],
    section_count: usize,
    terms: &BTreeMap<String, FacetOrTerm>,
) -> String {
    let keys = key_terms(pages.len(), section_count, terms);
    // Each row is serialised on its own, in parallel, then joined: no tree of Values.
    let rows: Vec<String> = pages
        .par_iter()
        .zip(keys)
        .map(|(doc, keys)| {
            let headings: Vec<(&str, &str)> = doc
                .blocks
                .iter()
                .take(1 << SECTION_BITS)
                .filter(|b| !b.anchor.is_empty())
                .map(|b| (b.anchor.as_str(), b.heading.as_str()))
                .collect();
            let row = (
                &doc.url,
                &doc.title,
                &doc.section,
                headings,
                keys.join(" "),
                &doc.facets,
            );
            serde_json::to_string(&row).unwrap_or_default()
        })
        .collect();
    format!(
        "(window.GUICHET_SEARCH_FALLBACK=window.GUICHET_SEARCH_FALLBACK||{{}})[{lang_json}]=\
         {{\"lang\":{lang_json},\"languages\":{},\"pages\":[{}]}};\n",
        serde_json::to_string(languages).unwrap_or_default(),
        rows.join(","),
        lang_json = serde_json::to_string(lang).unwrap_or_default(),
    )
}

/// A term offered as a key term of a page: its weight there and its rank in term order.
type Candidate = (f64, usize);

/// For every page, its [`KEY_TERMS`] body terms of highest weight (sum of the page's impacts
/// times idf), ties going to the alphabetically first. One pass over the postings, which
/// list each term's sections in order, so a page's sections are contiguous.
fn key_terms(
    page_count: usize,
    sections: usize,
    terms: &BTreeMap<String, FacetOrTerm>,
) -> Vec<Vec<&str>> {
    let mut best: Vec<Vec<Candidate>> = vec![Vec::new(); page_count];
    let mut names: Vec<&str> = Vec::with_capacity(terms.len());
    for (rank, (term, entry)) in terms.iter().enumerate() {
        names.push(term);
        let FacetOrTerm::Term(postings) = entry else {
            continue;
        };
        let df = postings.body.len() as f64;
        let idf = (1.0 + (sections as f64 - df + 0.5) / (df + 0.5)).ln();
        let mut index = 0;
        while index < postings.body.len() {
            let page = (postings.body[index].0 >> SECTION_BITS) as usize;
            let mut impact = 0;
            while index < postings.body.len()
                && (postings.body[index].0 >> SECTION_BITS) as usize == page
            {
                impact += postings.body[index].1;
                index += 1;
            }
            if let Some(list) = best.get_mut(page) {
                offer(list, (f64::from(impact) * idf, rank));
            }
        }
    }
    best.into_iter()
        .map(|mut list| {
            list.sort_by(better_first);
            list.into_iter().map(|(_, rank)| names[rank]).collect()
        })
        .collect()
}

fn better_first(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

/// Keeps `list` to the best [`KEY_TERMS`] candidates.
fn offer(list: &mut Vec<Candidate>, candidate: Candidate) {
    if list.len() < KEY_TERMS {
        list.push(candidate);
        return;
    }
    let worst = (0..list.len())
        .max_by(|&i, &j| better_first(&list[i], &list[j]))
        .unwrap_or(0);
    if better_first(&candidate, &list[worst]).is_lt() {
        list[worst] = candidate;
    }
}
