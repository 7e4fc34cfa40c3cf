//! Builds the static index files from the pages in memory.
//!
//! Postings store a precomputed BM25 term-frequency factor ("impact", an integer scaled by
//! [`IMPACT_SCALE`]) instead of raw frequencies, so the query side needs no section lengths.
//! Section ids are `page << SECTION_BITS | block`, so grouping results by page needs no table.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::analyse::{Token, analyse};
use super::fallback::fallback_script;
use super::{SearchBlock, SearchDoc};

/// Bits of a section id given to the block number; blocks past 127 count as block 127.
pub const SECTION_BITS: u32 = 7;
/// Impacts are BM25 tf factors multiplied by this and rounded.
pub const IMPACT_SCALE: f64 = 8.0;
/// Heading words count this many times as prose words.
const HEADING_WEIGHT: u32 = 3;
/// Chunks are cut once their JSON passes this many bytes.
const CHUNK_BYTES: usize = 24_000;
/// Pages per fragment folder (each folder name carries the hash of its fragments).
pub const FRAGMENT_BUCKET: u32 = 128;
/// Characters of a block kept as its excerpt.
const EXCERPT_CHARS: usize = 180;
const BM25_K1: f64 = 1.2;
const BM25_B: f64 = 0.75;

/// The small fixed-name file a query reads first.
#[derive(Debug, Serialize, Deserialize)]
pub struct Meta {
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
    /// Fragment folder of each bucket of [`FRAGMENT_BUCKET`] pages, relative to `search/<lang>/`.
    pub frag: Vec<String>,
    /// Facet name -> (value, number of pages), values sorted.
    pub facets: BTreeMap<String, Vec<(String, u32)>>,
    /// Words offered when a query finds nothing.
    pub suggest: Vec<String>,
}

/// One page's fragment: what a result needs to be shown.
#[derive(Debug, Serialize, Deserialize)]
pub struct Fragment {
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

/// Builds every search file for `docs`: (path under site/, bytes), sorted by path.
pub fn build_index(docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    let mut by_language: BTreeMap<String, Vec<&SearchDoc>> = BTreeMap::new();
    for doc in docs {
        let lang = if doc.language.is_empty() {
            "fr".to_string()
        } else {
            doc.language.clone()
        };
        by_language.entry(lang).or_default().push(doc);
    }
    let languages: Vec<String> = by_language.keys().cloned().collect();
    // Languages are independent indexes: build them side by side.
    let mut files: Vec<(String, Vec<u8>)> = by_language
        .into_par_iter()
        .flat_map_iter(|(lang, mut pages)| {
            pages.sort_by(|a, b| a.url.cmp(&b.url));
            build_language(&lang, &languages, &pages)
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Postings of one term.
#[derive(Default)]
pub(crate) struct TermPostings {
    pub body: Vec<(u32, u32)>,
    pub title: Vec<(u32, u32)>,
    pub exact: BTreeMap<String, Vec<u32>>,
}

/// Analysed form of one page: what its postings are built from.
pub(crate) struct AnalysedPage {
    pub title: TermCounts,
    pub sections: Vec<TermCounts>,
}

/// The terms of a title or a section, counted (in parallel, page by page) so that gathering
/// the postings, which cannot be parallel, does one lookup per distinct term.
pub(crate) struct TermCounts {
    /// Sum of the token weights (BM25's document length).
    pub length: u32,
    /// Distinct keys with their weighted frequency, in first-seen order.
    pub terms: Vec<(String, u32)>,
    /// Distinct (key, accented form) pairs.
    pub exact: Vec<(String, String)>,
}

impl TermCounts {
    fn count(tokens: impl IntoIterator<Item = (Token, u32)>) -> Self {
        let mut length = 0;
        let mut position: FnvMap<String, usize> = FnvMap::default();
        let mut terms: Vec<(String, u32)> = Vec::new();
        let mut exact: Vec<(String, String)> = Vec::new();
        for (token, weight) in tokens {
            length += weight;
            if let Some(form) = token.exact {
                exact.push((token.key.clone(), form));
            }
            match position.get(&token.key) {
                Some(&index) => terms[index].1 += weight,
                None => {
                    position.insert(token.key.clone(), terms.len());
                    terms.push((token.key, weight));
                }
            }
        }
        exact.sort_unstable();
        exact.dedup();
        TermCounts {
            length,
            terms,
            exact,
        }
    }
}

fn build_language(
    lang: &str,
    languages: &[String],
    pages: &[&SearchDoc],
) -> Vec<(String, Vec<u8>)> {
    // Analysis is most of the build: pages are analysed in parallel, collected in order.
    let analysed: Vec<AnalysedPage> = pages
        .par_iter()
        .map(|doc| analyse_page(doc, lang))
        .collect();
    let mut terms = postings(&analysed);
    let expanded: Vec<BTreeMap<String, Vec<String>>> =
        pages.iter().map(|doc| expand_facets(&doc.facets)).collect();
    let mut facets: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    let mut facet_pages: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (page_id, page_facets) in expanded.iter().enumerate() {
        for (name, values) in page_facets {
            for value in values {
                *facets
                    .entry(name.clone())
                    .or_default()
                    .entry(value.clone())
                    .or_default() += 1;
                facet_pages
                    .entry(facet_term(name, value))
                    .or_default()
                    .push(page_id as u32);
            }
        }
    }
    for (term, ids) in facet_pages {
        terms.insert(term, FacetOrTerm::Facet(ids));
    }
    let mut files = Vec::new();
    let chunks = write_chunks(lang, &terms, &mut files);
    let frag = write_fragments(lang, pages, &mut files);
    let section_count: usize = analysed.iter().map(|p| p.sections.len()).sum();
    let meta = Meta {
        v: 1,
        lang: lang.to_string(),
        languages: languages.to_vec(),
        sections: section_count as u32,
        pages: pages.len() as u32,
        chunks,
        frag,
        facets: facets
            .into_iter()
            .map(|(name, values)| (name, values.into_iter().collect()))
            .collect(),
        suggest: suggestions(pages),
    };
    files.push((
        format!("search/{lang}/meta.json"),
        serde_json::to_vec(&meta).unwrap_or_default(),
    ));
    let script = fallback_script(lang, languages, pages, section_count, &terms);
    files.push((format!("search/fallback-{lang}.js"), script.into_bytes()));
    files
}

/// The term key under which the pages having a facet value are listed.
pub fn facet_term(name: &str, value: &str) -> String {
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

fn analyse_page(doc: &SearchDoc, lang: &str) -> AnalysedPage {
    let mut sections: Vec<Vec<(Token, u32)>> = Vec::new();
    for (index, block) in doc.blocks.iter().enumerate() {
        let weighted = analyse_block(block, lang);
        if index < (1 << SECTION_BITS) {
            sections.push(weighted);
        } else if let Some(last) = sections.last_mut() {
            last.extend(weighted);
        }
    }
    AnalysedPage {
        title: TermCounts::count(analyse(&doc.title, lang).into_iter().map(|t| (t, 1))),
        sections: sections.into_iter().map(TermCounts::count).collect(),
    }
}

fn analyse_block(block: &SearchBlock, lang: &str) -> Vec<(Token, u32)> {
    let heading = analyse(&block.heading, lang)
        .into_iter()
        .map(|t| (t, HEADING_WEIGHT));
    let text = analyse(&block.text, lang).into_iter().map(|t| (t, 1));
    let code = analyse(&block.code, lang).into_iter().map(|t| (t, 1));
    heading.chain(text).chain(code).collect()
}

/// A chunk entry: a term's postings, or the pages having a facet value.
pub(crate) enum FacetOrTerm {
    Term(TermPostings),
    Facet(Vec<u32>),
}

pub(crate) fn bm25_impact(tf: f64, length: f64, average: f64) -> u32 {
    let norm = 1.0 - BM25_B + BM25_B * length / average.max(1.0);
    let factor = tf * (BM25_K1 + 1.0) / (tf + BM25_K1 * norm);
    ((factor * IMPACT_SCALE).round() as u32).clamp(1, 255)
}

/// FNV-1a for the build's string-keyed hash maps: the keys are short and not adversarial,
/// and SipHash showed in profiles.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// A HashMap hashed with [`Fnv`].
pub(crate) type FnvMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// Postings of one term while they are gathered, borrowing the analysed text.
#[derive(Default)]
struct Gathered<'a> {
    body: Vec<(u32, u32)>,
    title: Vec<(u32, u32)>,
    exact: FnvMap<&'a str, (Vec<u32>, Vec<u32>)>,
}

fn postings(pages: &[AnalysedPage]) -> BTreeMap<String, FacetOrTerm> {
    let section_lengths: Vec<u32> = pages
        .iter()
        .flat_map(|p| p.sections.iter().map(|s| s.length))
        .collect();
    let average_section = mean(&section_lengths);
    let title_lengths: Vec<u32> = pages.iter().map(|p| p.title.length).collect();
    let average_title = mean(&title_lengths);
    // A HashMap while gathering (sorted once at the end): lookups dominate the build.
    let mut terms: FnvMap<&str, Gathered> = FnvMap::default();
    for (page_id, page) in pages.iter().enumerate() {
        let page_id = page_id as u32;
        for (block, section) in page.sections.iter().enumerate() {
            let id = (page_id << SECTION_BITS) | block as u32;
            for (key, count) in &section.terms {
                let impact = bm25_impact(
                    f64::from(*count),
                    f64::from(section.length),
                    average_section,
                );
                terms.entry(key).or_default().body.push((id, impact));
            }
            for (key, form) in &section.exact {
                terms
                    .entry(key)
                    .or_default()
                    .exact
                    .entry(form)
                    .or_default()
                    .0
                    .push(id);
            }
        }
        let first = page_id << SECTION_BITS;
        for (key, count) in &page.title.terms {
            let impact = bm25_impact(
                f64::from(*count),
                f64::from(page.title.length),
                average_title,
            );
            terms.entry(key).or_default().title.push((page_id, impact));
        }
        for (key, form) in &page.title.exact {
            terms
                .entry(key)
                .or_default()
                .exact
                .entry(form)
                .or_default()
                .1
                .push(first);
        }
    }
    terms
        .into_iter()
        .map(|(key, gathered)| {
            let exact = gathered
                .exact
                .into_iter()
                .map(|(form, (mut body, title))| {
                    body.extend(title);
                    body.sort_unstable();
                    body.dedup();
                    (form.to_string(), body)
                })
                .collect();
            let postings = TermPostings {
                body: gathered.body,
                title: gathered.title,
                exact,
            };
            (key.to_string(), FacetOrTerm::Term(postings))
        })
        .collect()
}

fn mean(values: &[u32]) -> f64 {
    if values.is_empty() {
        return 1.0;
    }
    values.iter().map(|v| f64::from(*v)).sum::<f64>() / values.len() as f64
}

/// Delta-encoded ids interleaved with impacts: [id0, i0, id1-id0, i1, …].
fn encode_pairs(pairs: &[(u32, u32)]) -> Vec<u32> {
    let mut out = Vec::with_capacity(pairs.len() * 2);
    let mut previous = 0;
    for (id, impact) in pairs {
        out.push(id - previous);
        out.push(*impact);
        previous = *id;
    }
    out
}

fn encode_ids(ids: &[u32]) -> Vec<u32> {
    let mut previous = 0;
    ids.iter()
        .map(|id| {
            let delta = id - previous;
            previous = *id;
            delta
        })
        .collect()
}

/// JSON of one chunk entry: `[body, title]` or `[body, title, {exact: ids}]` for terms, `[ids]`
/// for facet values. Written by hand: these arrays are most of the index, and building
/// `serde_json::Value`s for every number showed in profiles.
fn entry_json(entry: &FacetOrTerm) -> String {
    let mut out = String::from("[");
    match entry {
        FacetOrTerm::Facet(ids) => push_numbers(&mut out, &encode_ids(ids)),
        FacetOrTerm::Term(p) => {
            push_numbers(&mut out, &encode_pairs(&p.body));
            out.push(',');
            push_numbers(&mut out, &encode_pairs(&p.title));
            if !p.exact.is_empty() {
                out.push_str(",{");
                for (index, (form, ids)) in p.exact.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(form).unwrap_or_default());
                    out.push(':');
                    push_numbers(&mut out, &encode_ids(ids));
                }
                out.push('}');
            }
        }
    }
    out.push(']');
    out
}

/// Appends `[n0,n1,…]`.
fn push_numbers(out: &mut String, numbers: &[u32]) {
    use std::fmt::Write;
    out.push('[');
    for (index, n) in numbers.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        let _ = write!(out, "{n}");
    }
    out.push(']');
}

fn write_chunks(
    lang: &str,
    terms: &BTreeMap<String, FacetOrTerm>,
    files: &mut Vec<(String, Vec<u8>)>,
) -> Vec<(String, String)> {
    let encoded: Vec<(&String, String)> = terms
        .par_iter()
        .map(|(term, entry)| (term, entry_json(entry)))
        .collect();
    let mut table = Vec::new();
    let mut current: Vec<(String, String)> = Vec::new();
    let mut size = 0;
    for (term, encoded) in encoded {
        if size > 0 && size + encoded.len() > CHUNK_BYTES {
            table.push(flush_chunk(lang, &mut current, files));
            size = 0;
        }
        size += encoded.len() + term.len() + 4;
        current.push((term.clone(), encoded));
    }
    if !current.is_empty() {
        table.push(flush_chunk(lang, &mut current, files));
    }
    table
}

fn flush_chunk(
    lang: &str,
    entries: &mut Vec<(String, String)>,
    files: &mut Vec<(String, Vec<u8>)>,
) -> (String, String) {
    let mut body = String::from("{");
    for (index, (term, encoded)) in entries.iter().enumerate() {
        if index > 0 {
            body.push(',');
        }
        body.push_str(&serde_json::to_string(term).unwrap_or_default());
        body.push(':');
        body.push_str(encoded);
    }
    body.push('}');
    let first = entries[0].0.clone();
    let name = format!("t/{}.json", content_hash(body.as_bytes()));
    files.push((format!("search/{lang}/{name}"), body.into_bytes()));
    entries.clear();
    (first, name)
}

fn write_fragments(
    lang: &str,
    pages: &[&SearchDoc],
    files: &mut Vec<(String, Vec<u8>)>,
) -> Vec<String> {
    let mut folders = Vec::new();
    for (bucket, group) in pages.chunks(FRAGMENT_BUCKET as usize).enumerate() {
        let bodies: Vec<Vec<u8>> = group
            .par_iter()
            .map(|doc| serde_json::to_vec(&fragment(doc)).unwrap_or_default())
            .collect();
        let folder = format!("f/b{bucket}-{}", content_hash(&bodies.concat()));
        for (offset, body) in bodies.into_iter().enumerate() {
            let id = bucket * FRAGMENT_BUCKET as usize + offset;
            files.push((format!("search/{lang}/{folder}/{id}.json"), body));
        }
        folders.push(folder);
    }
    folders
}

fn fragment(doc: &SearchDoc) -> Fragment {
    let blocks = doc
        .blocks
        .iter()
        .take(1 << SECTION_BITS)
        .map(|b| {
            let source = if b.text.trim().is_empty() {
                &b.code
            } else {
                &b.text
            };
            (
                b.anchor.clone(),
                b.heading.clone(),
                b.level,
                excerpt(source),
            )
        })
        .collect();
    Fragment {
        u: doc.url.clone(),
        t: doc.title.clone(),
        s: doc.section.clone(),
        f: doc.facets.clone(),
        b: blocks,
    }
}

/// The first words of a block, whitespace collapsed, cut at a word boundary.
fn excerpt(text: &str) -> String {
    let mut out = String::new();
    let mut length = 0;
    for word in text.split_whitespace() {
        let count = word.chars().count();
        if length + count + usize::from(length > 0) > EXCERPT_CHARS {
            out.push('…');
            return out;
        }
        if length > 0 {
            out.push(' ');
            length += 1;
        }
        out.push_str(word);
        length += count;
    }
    out
}

/// FNV-1a 64-bit, in hex: stable content-addressed file names without a crypto crate.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")[..12].to_string()
}
