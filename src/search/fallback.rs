//! The compact index loaded as a plain script when the site is opened from file://, where
//! fetch() is refused: titles, headings with anchors, facets and each page's key terms.
//!
//! The browser analyses titles and headings itself, so only the body's most distinctive terms
//! (highest tf·idf) are shipped, already analysed.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::SearchDoc;
use super::index::{AnalysedPage, FacetOrTerm, FnvMap, SECTION_BITS};

/// Key terms kept per page.
const KEY_TERMS: usize = 12;

/// The JavaScript source of `search/fallback-<lang>.js`: it stores the data in
/// `window.GUICHET_SEARCH_FALLBACK[lang]`.
pub(crate) fn fallback_script(
    lang: &str,
    languages: &[String],
    pages: &[&SearchDoc],
    analysed: &[AnalysedPage],
    terms: &BTreeMap<String, FacetOrTerm>,
) -> String {
    let section_count: usize = analysed.iter().map(|p| p.sections.len()).sum();
    let df: FnvMap<&str, usize> = terms
        .iter()
        .filter_map(|(term, entry)| match entry {
            FacetOrTerm::Term(p) => Some((term.as_str(), p.body.len())),
            FacetOrTerm::Facet(_) => None,
        })
        .collect();
    // Each row is serialised on its own, in parallel, then joined: no tree of Values.
    let rows: Vec<String> = pages
        .par_iter()
        .zip(analysed)
        .map(|(doc, page)| {
            let headings: Vec<(&str, &str)> = doc
                .blocks
                .iter()
                .take(1 << SECTION_BITS)
                .filter(|b| !b.anchor.is_empty())
                .map(|b| (b.anchor.as_str(), b.heading.as_str()))
                .collect();
            let keys = key_terms(page, &df, section_count).join(" ");
            let row = (
                &doc.url,
                &doc.title,
                &doc.section,
                headings,
                keys,
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

/// The page's body terms with the highest tf·idf, ties broken alphabetically.
fn key_terms(page: &AnalysedPage, df: &FnvMap<&str, usize>, sections: usize) -> Vec<String> {
    let mut tf: FnvMap<&str, u32> = FnvMap::default();
    for section in &page.sections {
        for (token, weight) in section {
            *tf.entry(&token.key).or_default() += weight;
        }
    }
    let mut scored: Vec<(f64, &str)> = tf
        .into_iter()
        .map(|(key, count)| {
            let df = df.get(key).copied().unwrap_or(1);
            let idf = (1.0 + (sections as f64 - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
            (f64::from(count) * idf, key)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(KEY_TERMS)
        .map(|(_, k)| k.to_string())
        .collect()
}
