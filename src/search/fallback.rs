//! The compact index loaded as a plain script when the site is opened from file://, where
//! fetch() is refused: titles, headings with anchors, facets and each page's key terms.
//!
//! The browser analyses titles and headings itself, so only the body's most distinctive terms
//! (highest BM25 weight: impact times idf) are shipped, already analysed.

use rayon::prelude::*;

use super::SearchDoc;
use super::postings::{Batch, SECTION_BITS, Terms};

/// Key terms kept per page.
const KEY_TERMS: usize = 12;

/// The JavaScript source of `search/fallback-<lang>.js`: it stores the data in
/// `window.GUICHET_SEARCH_FALLBACK[lang]`.
pub(crate) fn fallback_script(
    lang: &str,
    languages: &[String],
    pages: &[&SearchDoc],
    terms: &Terms,
    idf: &[f64],
    batches: &[Batch],
) -> String {
    // Each row is serialised on its own, in parallel, then joined: no tree of Values.
    let rows: Vec<String> = pages
        .par_iter()
        .zip(terms.page_impacts(batches))
        .map(|(doc, impacts)| {
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
                key_terms(terms, idf, &impacts).join(" "),
                &doc.facets,
            );
            serde_json::to_string(&row).unwrap_or_default()
        })
        .collect();
    let lang_json = serde_json::to_string(lang).unwrap_or_default();
    let head = format!(
        "(window.GUICHET_SEARCH_FALLBACK=window.GUICHET_SEARCH_FALLBACK||{{}})[{lang_json}]=\
         {{\"lang\":{lang_json},\"languages\":{},\"pages\":[",
        serde_json::to_string(languages).unwrap_or_default(),
    );
    let tail = "]};\n";
    // The rows go straight into the script, each freed once copied: the script of a large
    // site is megabytes, and a join then a format would hold it three times.
    let length = head.len() + rows.iter().map(|r| r.len() + 1).sum::<usize>() + tail.len();
    let mut script = String::with_capacity(length);
    script.push_str(&head);
    for (n, row) in rows.into_iter().enumerate() {
        if n > 0 {
            script.push(',');
        }
        script.push_str(&row);
    }
    script.push_str(tail);
    script
}

/// The body idf of each term rank, computed while the postings are still held.
pub(crate) fn body_idf(terms: &Terms) -> Vec<f64> {
    let sections = terms.sections as f64;
    terms
        .body
        .par_iter()
        .map(|postings| super::rank::idf_of(sections, postings.len() as f64))
        .collect()
}

/// A page's [`KEY_TERMS`] body terms of highest weight (the sum of the page's impacts times
/// idf), ties going to the alphabetically first, best first. `impacts` are (rank, impact),
/// `idf` the body idf of each rank ([`body_idf`]).
fn key_terms<'a>(terms: &Terms<'a>, idf: &[f64], impacts: &[(u32, u32)]) -> Vec<&'a str> {
    let mut weighted: Vec<(f64, u32)> = impacts
        .iter()
        .map(|(rank, impact)| (f64::from(*impact) * idf[*rank as usize], *rank))
        .collect();
    let better_first = |a: &(f64, u32), b: &(f64, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if weighted.len() > KEY_TERMS {
        weighted.select_nth_unstable_by(KEY_TERMS - 1, better_first);
        weighted.truncate(KEY_TERMS);
    }
    weighted.sort_unstable_by(better_first);
    weighted
        .into_iter()
        .map(|(_, rank)| terms.names[rank as usize])
        .collect()
}
