//! Builds the static index files from the pages in memory.
//!
//! Postings store a precomputed BM25 term-frequency factor ("impact", an integer scaled by
//! [`IMPACT_SCALE`]) instead of raw frequencies, so the query side needs no section lengths.
//! Section ids are `page << SECTION_BITS | block`, so grouping results by page needs no table.

use std::borrow::Borrow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::SearchDoc;
use super::chunks::write_chunks;
use super::fallback::{body_idf, fallback_script};
use super::fragments::write_fragments;
use super::postings::{Batch, Terms, analyse_pages_cached};
pub(crate) use super::postings::{IMPACT_SCALE, SECTION_BITS};
use super::synonyms::synonym_groups;
use super::typos::write_typo_files;
use crate::cache_file::CacheFile;

/// Version of the index format, in meta.json, when a term is cut into tiers: a reader of
/// format 3 would take a cut term's head for all its postings, so it must refuse the index.
/// Format 5 also wrote the fragment table as differences (see [`Meta::frag`]); format 6
/// keeps that and cuts a term's postings after its head into a titles file and page-range
/// blocks (see [`super::tiers`]). Formats 4 and 5, whose tiers were impact-ordered, are no
/// longer written nor read.
pub(crate) const FORMAT_VERSION: u32 = 6;
/// Version of an index with no term cut into tiers: the same files as before tiers, so a
/// small site's index stays byte-identical, and readers of either format read it.
pub(crate) const WHOLE_FORMAT_VERSION: u32 = 3;

/// The small fixed-name file a query reads first.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Meta {
    /// Format version.
    pub v: u32,
    /// Language of this index.
    pub lang: String,
    /// Every language that has an index on this site.
    pub languages: Vec<String>,
    /// Number of sections (idf of body terms).
    pub sections: u32,
    /// Number of pages (idf of title terms).
    pub pages: u32,
    /// First term of each chunk and its file, relative to `search/<lang>/`.
    pub chunks: Vec<(String, String)>,
    /// First page of each fragment file; in format [`FORMAT_VERSION`], written as the
    /// differences between consecutive ones (a large site's table was most of meta.json:
    /// 20 KB of its 28 KB gzipped at 100,000 pages), read back whole by [`Meta::read`].
    pub frag: Vec<u32>,
    /// Hash naming the fragment files: file `n` is `f/<frag_hash>-<n>.json`.
    pub frag_hash: String,
    /// Facet name -> (value, number of pages), values sorted.
    pub facets: BTreeMap<String, Vec<(String, u32)>>,
    /// Words offered when a query finds nothing.
    pub suggest: Vec<String>,
    /// First [`typo_key`](super::typos::typo_key) of each typo file and its file, relative
    /// to `search/<lang>/`.
    pub typo: Vec<(String, String)>,
    /// Synonym groups: `[present, phrase, …]` (see [`super::synonyms`]).
    pub syn: Vec<Vec<String>>,
}

impl Meta {
    /// Parses meta.json, the fragment table as first pages whatever the format.
    pub(crate) fn read(bytes: &[u8]) -> Result<Meta, String> {
        let mut meta: Meta = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if meta.v == FORMAT_VERSION {
            let mut first = 0u32;
            for slot in &mut meta.frag {
                first = first.saturating_add(*slot);
                *slot = first;
            }
        }
        Ok(meta)
    }
}

/// `[a, b, c, …]` as `[a, b - a, c - b, …]`.
fn differences(values: &[u32]) -> Vec<u32> {
    let mut previous = 0;
    values
        .iter()
        .map(|value| {
            let difference = value - previous;
            previous = *value;
            difference
        })
        .collect()
}

/// One page's fragment: what a result needs to be shown. A fragment file is a JSON array of
/// the fragments of consecutive pages.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Fragment {
    /// Page URL, site-relative.
    pub u: String,
    /// Title.
    pub t: String,
    /// Section title.
    pub s: String,
    /// Facets.
    pub f: BTreeMap<String, Vec<String>>,
    /// Blocks: (anchor, heading, level, excerpt).
    pub b: Vec<(String, String, u8, String)>,
}

/// Builds every search file for `docs` with the built-in synonyms only: (path under site/,
/// bytes), sorted by path.
pub fn build_index(docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    build_index_with_synonyms(docs, &[])
}

/// [`build_index`] with the site's own synonym groups (guichet.yaml's `synonyms:`) added to
/// the built-in ones.
pub fn build_index_with_synonyms(
    docs: &[SearchDoc],
    synonyms: &[Vec<String>],
) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    index_languages(
        docs.iter().collect(),
        synonyms,
        &CacheFile::none(),
        &mut |group| files.extend(group),
    );
    files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    files
}

/// The same files as [`build_index_with_synonyms`], handed to `out` a group at a time (a
/// language's fragment files, its term chunks, …) as soon as they are made, so a large site's
/// index is never held whole; each language's pages are freed once its index is written.
/// `build` writes each group in parallel, then the next is made. The analysis of each batch
/// of pages whose text did not change comes from `cache`, which records every batch.
pub(crate) fn write_index(
    docs: Vec<SearchDoc>,
    synonyms: &[Vec<String>],
    cache: &CacheFile,
    out: &mut dyn FnMut(Vec<(String, Vec<u8>)>),
) {
    index_languages(docs, synonyms, cache, out);
}

/// A page as the index builder holds it: borrowed (tests, benches) or owned (`build`), in
/// which case its text is freed once analysed.
trait IndexedDoc: Borrow<SearchDoc> + Send + Sync {
    /// Frees the blocks' text, which nothing reads after the analysis and the fragments.
    fn forget_text(&mut self);
}

impl IndexedDoc for SearchDoc {
    fn forget_text(&mut self) {
        for block in &mut self.blocks {
            block.text = String::new();
            block.code = String::new();
        }
    }
}

impl IndexedDoc for &SearchDoc {
    fn forget_text(&mut self) {}
}

/// Builds the languages' indexes one after the other (each in parallel inside): side by side,
/// both analyses were in memory at once, for no gain in time.
fn index_languages<D: IndexedDoc>(
    docs: Vec<D>,
    synonyms: &[Vec<String>],
    cache: &CacheFile,
    out: &mut dyn FnMut(Vec<(String, Vec<u8>)>),
) {
    let mut by_language: BTreeMap<String, Vec<D>> = BTreeMap::new();
    for doc in docs {
        let lang = match doc.borrow().language.as_str() {
            "" => "fr".to_string(),
            lang => lang.to_string(),
        };
        by_language.entry(lang).or_default().push(doc);
    }
    let languages: Vec<String> = by_language.keys().cloned().collect();
    while let Some((lang, mut docs)) = by_language.pop_first() {
        docs.par_sort_by(|a, b| a.borrow().url.cmp(&b.borrow().url));
        let pages: Vec<&SearchDoc> = docs.iter().map(Borrow::borrow).collect();
        let analysed = analyse_language(&lang, &pages, cache, out);
        // The text is most of a large site's pages, and only the analysis and the fragments
        // read it: freed before the postings are gathered.
        docs.par_iter_mut().for_each(IndexedDoc::forget_text);
        let pages: Vec<&SearchDoc> = docs.iter().map(Borrow::borrow).collect();
        write_language(&lang, &languages, &pages, analysed, synonyms, out);
        free_in_parallel(docs);
        crate::memory::release_freed_memory();
    }
}

/// Drops `items` on every thread: a language's pages and batches are hundreds of thousands
/// of small allocations, and freeing them on the calling thread alone left the other cores
/// idle between two languages.
pub(crate) fn free_in_parallel<T: Send>(items: Vec<T>) {
    items.into_par_iter().for_each(drop);
}

/// What the pages' text gives: the analysed pages, the facets, and the fragment files' table
/// (the files themselves are handed to `out`).
struct Analysed {
    batches: Vec<Batch>,
    facets: Facets,
    first_pages: Vec<u32>,
    frag_hash: String,
}

fn analyse_language(
    lang: &str,
    pages: &[&SearchDoc],
    cache: &CacheFile,
    out: &mut dyn FnMut(Vec<(String, Vec<u8>)>),
) -> Analysed {
    // Analysis is most of the build: the pages and the fragments are done side by side, and
    // each in parallel.
    let ((batches, facets), fragments) = rayon::join(
        || {
            rayon::join(
                || analyse_pages_cached(pages, lang, cache),
                || page_facets(pages),
            )
        },
        || write_fragments(lang, pages),
    );
    out(fragments.files);
    Analysed {
        batches,
        facets,
        first_pages: fragments.first_pages,
        frag_hash: fragments.hash,
    }
}

fn write_language(
    lang: &str,
    languages: &[String],
    pages: &[&SearchDoc],
    analysed: Analysed,
    synonyms: &[Vec<String>],
    out: &mut dyn FnMut(Vec<(String, Vec<u8>)>),
) {
    let Analysed {
        batches,
        facets,
        first_pages,
        frag_hash,
    } = analysed;
    let mut terms = Terms::gather(&batches, &facets.pages);
    let (chunks, cut) = write_chunks(lang, &terms, pages.len(), out);
    let written = terms.written_forms(&batches);
    let mut files = Vec::new();
    let typo = write_typo_files(lang, &terms, &written, &mut files);
    drop(written);
    let idf = body_idf(&terms);
    // The postings are written: only the fallback's key terms remain, read from the batches.
    terms.forget_postings();
    let syn = synonym_groups(lang, synonyms, |key| {
        terms.names.binary_search(&key).is_ok()
    });
    let meta = Meta {
        v: if cut {
            FORMAT_VERSION
        } else {
            WHOLE_FORMAT_VERSION
        },
        lang: lang.to_string(),
        languages: languages.to_vec(),
        sections: terms.sections as u32,
        pages: pages.len() as u32,
        chunks,
        frag: if cut {
            differences(&first_pages)
        } else {
            first_pages
        },
        frag_hash,
        facets: facets.counts,
        suggest: suggestions(pages),
        typo,
        syn,
    };
    files.push((
        format!("search/{lang}/meta.json"),
        serde_json::to_vec(&meta).unwrap_or_default(),
    ));
    let script = fallback_script(lang, languages, pages, &terms, &idf, &batches);
    files.push((format!("search/fallback-{lang}.js"), script.into_bytes()));
    out(files);
    drop(terms);
    free_in_parallel(batches);
}

/// The facet values of a language's pages.
struct Facets {
    /// Facet name -> (value, number of pages), values sorted: shown as filters.
    counts: BTreeMap<String, Vec<(String, u32)>>,
    /// Facet term ([`facet_term`]) -> its pages, in page order.
    pages: Vec<(String, Vec<u32>)>,
}

fn page_facets(pages: &[&SearchDoc]) -> Facets {
    let expanded: Vec<BTreeMap<String, Vec<String>>> = pages
        .par_iter()
        .map(|doc| expand_facets(&doc.facets))
        .collect();
    let mut by_value: BTreeMap<&str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for (page_id, page_facets) in expanded.iter().enumerate() {
        for (name, values) in page_facets {
            let values_of = by_value.entry(name).or_default();
            for value in values {
                values_of.entry(value).or_default().push(page_id as u32);
            }
        }
    }
    let mut facets = Facets {
        counts: BTreeMap::new(),
        pages: Vec::new(),
    };
    for (name, values) in by_value {
        let counts = values
            .into_iter()
            .map(|(value, ids)| {
                let count = ids.len() as u32;
                facets.pages.push((facet_term(name, value), ids));
                (value.to_string(), count)
            })
            .collect();
        facets.counts.insert(name.to_string(), counts);
    }
    facets
}

/// The term key under which the pages having a facet value are listed.
pub(crate) fn facet_term(name: &str, value: &str) -> String {
    format!("~{name}={value}")
}

/// Facet values of a page, with every ancestor of a hierarchical category ("Réseau > Wi-Fi"
/// also gives "Réseau") so filtering on a parent keeps its children.
pub(crate) fn expand_facets(
    facets: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for (name, values) in facets {
        let mut expanded: Vec<String> = Vec::new();
        for value in values {
            if name == "category" {
                let parts: Vec<&str> = value.split(" > ").map(str::trim).collect();
                for end in 1..=parts.len() {
                    expanded.push(parts[..end].join(" > "));
                }
            } else {
                expanded.push(value.trim().to_string());
            }
        }
        expanded.retain(|v| !v.is_empty());
        expanded.sort();
        expanded.dedup();
        if !expanded.is_empty() {
            out.insert(name.clone(), expanded);
        }
    }
    out
}

/// The most used tags (else the first titles), offered when nothing is found.
fn suggestions(pages: &[&SearchDoc]) -> Vec<String> {
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for doc in pages {
        for tag in doc.facets.get("tags").into_iter().flatten() {
            *counts.entry(tag.as_str()).or_default() += 1;
        }
    }
    let mut tags: Vec<(&str, u32)> = counts.into_iter().collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if tags.is_empty() {
        return pages.iter().take(6).map(|d| d.title.clone()).collect();
    }
    tags.into_iter()
        .take(6)
        .map(|(t, _)| t.to_string())
        .collect()
}
