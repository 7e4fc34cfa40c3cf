//! Full-text search: a French-first analyser, a chunked static index written into site/, and
//! the query engine the CLI uses — the same ranking as the browser's search.js.
//!
//! Layout written by [`build_index`] (one index per language):
//! - `search/<lang>/meta.json` — the only fixed name: format version (6 when a term is cut into
//!   tiers, else 3: the files are then those of before tiers), counts, chunk table, fragment
//!   table, facet values, typo-file table, synonym groups;
//! - `search/<lang>/t/<hash>.json` — term chunks, sorted terms, fetched when a query needs them;
//!   a term whose entry passes 48 KB keeps there only its head, the postings of the pages it
//!   can rank highest, with the table of the rest (see [`tiers`]);
//! - `search/<lang>/t/<hash>-t.json`, `-a<i>.json`, `-b<i>.json` — the rest of those terms:
//!   the title postings of the pages outside the head, and their body postings in page-range
//!   blocks, each block with its highest score; read only while the results shown could still
//!   change (see [`settle`]), the blocks only where a page could still reach them;
//! - `search/<lang>/f/<hash>-<n>.json` — the fragments (title, URL, headings with anchors,
//!   excerpts, facets) of consecutive pages, about 16 KB a file, fetched only for the results
//!   shown; meta.json lists each file's first page, and the hash is that of all the files;
//! - `search/<lang>/w/<hash>.json` — the plain words by first letter and length, read to
//!   correct a misspelt word (see [`typos`]);
//! - `search/fallback-<lang>.js` — the compact script the browser loads from file://.

mod analyse;
mod chunks;
mod fallback;
mod format;
mod fragments;
mod hash;
mod index;
mod postings;
pub(crate) use postings::WordHasher;
mod query;
mod rank;
mod settle;
mod synonyms;
mod tiers;
mod typos;

pub use analyse::{Token, analyse, fold, is_stop_word, stem_english, stem_french};
pub use format::{format_hits_json, format_hits_text, format_results_text};
pub use fragments::FRAGMENT_FILE_BYTES;
pub(crate) use index::write_index;
pub use index::{build_index, build_index_with_synonyms};
pub use query::{Hit, Results, SectionLink, query, query_filtered, search, search_whole};
pub use typos::{typo_budget, typo_distance};

use std::collections::BTreeMap;

/// One page given to the index builder by the site pipeline (pages with `search: false` are
/// never given).
#[derive(Debug, Clone, Default)]
pub struct SearchDoc {
    /// Site-relative URL without leading slash: "utilisateurs/declarer-un-incident/".
    pub url: String,
    /// Page title.
    pub title: String,
    /// "fr" or "en": selects the analyser rules and the index the page goes into.
    pub language: String,
    /// Title of the page's section, shown under each result.
    pub section: String,
    /// Facet name -> values: audience, section, category ("Réseau > Wi-Fi"), type, priority,
    /// status, tags, language.
    pub facets: BTreeMap<String, Vec<String>>,
    /// The page cut at its headings; the first block has an empty anchor.
    pub blocks: Vec<SearchBlock>,
}

/// The text of a page between two headings: the unit results deep-link to.
#[derive(Debug, Clone, Default)]
pub struct SearchBlock {
    /// Heading id ("" for the text before the first heading).
    pub anchor: String,
    /// Heading text ("" before the first heading).
    pub heading: String,
    /// Heading level, 1 to 6 (0 before the first heading).
    pub level: u8,
    /// Prose text.
    pub text: String,
    /// Text of the code blocks, indexed like prose.
    pub code: String,
}
