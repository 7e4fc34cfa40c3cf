//! The query engine over the written index files: the same steps and the same arithmetic as
//! `search()` in themes/guichet/static/search.js, so the terminal and the browser rank alike.
//!
//! Each distinct query key is a group. The last one is also completed with up to
//! [`MAX_EXPANSIONS`] longer terms (typing as you go); a span of groups that is a phrase of a
//! synonym group also matches the group's other phrases; a plain word the site does not know,
//! with no completion and no synonym, is corrected to up to [`MAX_TYPOS`] words of the site
//! within reach (see [`super::typos`]). Scoring is in [`super::rank`]. When a word was
//! corrected, or the query finds fewer than [`FEW_RESULTS`] pages, the words of the site closest
//! to the typed ones make a "did you mean" suggestion.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::analyse::analyse;
use super::fragments::fragment_file;
use super::index::{
    FORMAT_VERSION, Fragment, Meta, SECTION_BITS, WHOLE_FORMAT_VERSION, facet_term,
};
use super::rank::{BlockBounds, Entry, IdSet, PREFIX_WEIGHT, Scored, Scores, TYPO_WEIGHTS, Unread};
use super::settle::settled;
use super::typos::{typo_budget, typo_distance};

/// Completions considered for the last word, the most frequent first.
const MAX_EXPANSIONS: usize = 20;
/// Chunks read to complete the last word.
const MAX_PREFIX_CHUNKS: usize = 3;
/// Corrections kept for a misspelt word: the closest, then the most used.
const MAX_TYPOS: usize = 3;
/// Below this many results, a "did you mean" is looked for even when every word is known.
const FEW_RESULTS: usize = 3;
/// Query groups beyond this are ignored (they fit in the match bitmask).
const MAX_GROUPS: usize = 32;

/// One search result: a page, shown at its best section.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    /// Site-relative URL with the section's anchor: "page/#anchor".
    pub url: String,
    /// Page title.
    pub title: String,
    /// Section of the site the page belongs to.
    pub section: String,
    /// Heading of the matching part of the page ("" for the page's introduction).
    pub heading: String,
    /// Relevance; higher is better.
    pub score: f64,
    /// The first words of the matching part.
    pub excerpt: String,
    /// Language of the page.
    pub language: String,
    /// The page's other matching sections, best first (at most three).
    pub more: Vec<SectionLink>,
}

/// Another matching section of a result's page, listed under it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SectionLink {
    /// Site-relative URL with the section's anchor.
    pub url: String,
    /// The section's heading ("" for the page's introduction).
    pub heading: String,
}

/// What a search returns: the best results, how many pages matched, and the query with its
/// misspelt words replaced by the site's own ("did you mean").
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Results {
    /// The results shown, best first.
    pub hits: Vec<Hit>,
    /// Pages matched in all; when `partial`, only a lower bound ("at least").
    pub total: usize,
    /// True when the hits shown were settled before every tier of a large term was read
    /// (see the Search section of the README): `total` counts the pages found so far, at
    /// least those having the most common word typed.
    pub partial: bool,
    /// The corrected query, when a word was corrected or few pages matched.
    pub suggestion: Option<String>,
}

/// Searches the index written in `site_dir/search/`, in `lang` only or in every language.
pub fn query(
    site_dir: &Path,
    q: &str,
    limit: usize,
    lang: Option<&str>,
) -> Result<Vec<Hit>, String> {
    query_filtered(site_dir, q, limit, lang, &BTreeMap::new())
}

/// Like [`query`], keeping only pages that have, for each facet named in `filters`, one of
/// the listed values.
pub fn query_filtered(
    site_dir: &Path,
    q: &str,
    limit: usize,
    lang: Option<&str>,
    filters: &BTreeMap<String, Vec<String>>,
) -> Result<Vec<Hit>, String> {
    Ok(search(site_dir, q, limit, lang, filters)?.hits)
}

/// Like [`query_filtered`], with the number of pages matched and the "did you mean"
/// suggestion (from the first language, in name order, that has one).
pub fn search(
    site_dir: &Path,
    q: &str,
    limit: usize,
    lang: Option<&str>,
    filters: &BTreeMap<String, Vec<String>>,
) -> Result<Results, String> {
    search_reading(site_dir, q, limit, lang, filters, false)
}

/// Like [`search`], reading every tier of every term first: the results a tiered index must
/// give, for tests and benches.
pub fn search_whole(
    site_dir: &Path,
    q: &str,
    limit: usize,
    lang: Option<&str>,
    filters: &BTreeMap<String, Vec<String>>,
) -> Result<Results, String> {
    search_reading(site_dir, q, limit, lang, filters, true)
}

fn search_reading(
    site_dir: &Path,
    q: &str,
    limit: usize,
    lang: Option<&str>,
    filters: &BTreeMap<String, Vec<String>>,
    whole: bool,
) -> Result<Results, String> {
    let languages = match lang {
        Some(lang) => vec![lang.to_string()],
        None => indexed_languages(site_dir)?,
    };
    let mut indexes = languages
        .iter()
        .map(|lang| Index::open(site_dir, lang, whole))
        .collect::<Result<Vec<_>, _>>()?;
    // A word another language's pages have is not a typo ("imprimante" in the English index).
    let mut known = BTreeSet::new();
    for index in &mut indexes {
        known.extend(index.known_keys(q)?);
    }
    // The tiers of large terms are read only while the results shown could still change.
    let round = loop {
        let round = rank_round(&mut indexes, &languages, q, filters, &known)?;
        let ranked: Vec<&Scored> = round.ranked.iter().map(|(_, s)| s).collect();
        let few = round.partial && round.total < FEW_RESULTS;
        if !few && settled(&ranked, round.outside, limit) {
            break round;
        }
        let threshold = (!few).then(|| threshold(&ranked, limit)).flatten();
        if !deepen(&mut indexes, &round, threshold, limit) {
            break round;
        }
    };
    let Round {
        mut ranked,
        mut corrections,
        total,
        partial,
        ..
    } = round;
    let mut suggestion = None;
    for (index, corrected) in indexes.iter_mut().zip(&mut corrections) {
        if suggestion.is_none() {
            suggestion = index.suggestion(q, std::mem::take(corrected), total)?;
        }
    }
    ranked.truncate(limit);
    let hits = ranked
        .iter()
        .map(|(position, s)| indexes[*position].hit(s))
        .collect::<Result<_, _>>()?;
    Ok(Results {
        hits,
        total,
        partial,
        suggestion,
    })
}

/// One ranking over the tiers read so far.
struct Round {
    /// Each language's scores, to choose the blocks to read next.
    scores: Vec<Scores>,
    /// Each language's number of query groups.
    groups: Vec<usize>,
    /// Every result, best first, with the position of its language.
    ranked: Vec<(usize, Scored)>,
    /// Each language's corrections.
    corrections: Vec<Vec<Correction>>,
    /// The highest score a result not in `ranked` could reach (None when all is read).
    outside: Option<f64>,
    /// Pages matched: all of them, or a lower bound when `partial`.
    total: usize,
    /// Whether some term has tiers left to read.
    partial: bool,
}

fn rank_round(
    indexes: &mut [Index],
    languages: &[String],
    q: &str,
    filters: &BTreeMap<String, Vec<String>>,
    known: &BTreeSet<String>,
) -> Result<Round, String> {
    let mut scored: Vec<(usize, Scored)> = Vec::new();
    let mut corrections = Vec::new();
    let mut outside: Option<f64> = None;
    let mut floor = 0;
    let mut founds: Vec<Found> = Vec::with_capacity(indexes.len());
    for index in indexes.iter_mut() {
        founds.push(index.search(q, filters, known, Synonyms::UnlessForeign)?);
    }
    // A language without any of the query's own words gives synonym-only results, left out
    // below when another language has results of its own: its synonyms, read whole, are read
    // only when no language has.
    if !founds.iter().any(|f| f.scored.iter().any(|s| s.own)) {
        for (index, found) in indexes.iter_mut().zip(&mut founds) {
            if found.foreign {
                *found = index.search(q, filters, known, Synonyms::Always)?;
            }
        }
    }
    let mut all_scores = Vec::with_capacity(founds.len());
    let mut groups = Vec::with_capacity(founds.len());
    for (position, found) in founds.into_iter().enumerate() {
        all_scores.push(found.scores);
        groups.push(found.groups);
        scored.extend(found.scored.into_iter().map(|s| (position, s)));
        corrections.push(found.corrected);
        outside = max_bound(outside, found.unseen);
        floor = floor.max(found.floor);
    }
    // Synonym-only results of a language are translations when another language has the
    // words themselves ("imprimante" finding an English "printer" page): left out then.
    let own_languages: BTreeSet<usize> = scored
        .iter()
        .filter(|(_, s)| s.own)
        .map(|(l, _)| *l)
        .collect();
    if !own_languages.is_empty() {
        // A result left out may still become one of the query's own once read whole.
        for (_, s) in scored
            .iter()
            .filter(|(l, s)| !s.own && !own_languages.contains(l))
        {
            outside = max_bound(outside, s.upper);
        }
        scored.retain(|(l, s)| s.own || own_languages.contains(l));
    }
    let partial = outside.is_some() || scored.iter().any(|(_, s)| s.upper.is_some());
    scored.sort_by(|(la, a), (lb, b)| {
        b.own
            .cmp(&a.own)
            .then(b.score.total_cmp(&a.score))
            .then(languages[*la].cmp(&languages[*lb]))
            .then(a.section.cmp(&b.section))
    });
    Ok(Round {
        scores: all_scores,
        groups,
        total: scored.len().max(floor),
        ranked: scored,
        corrections,
        outside,
        partial,
    })
}

fn max_bound(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

/// The score of the last result shown when the first `limit` results are all of the query's
/// own words: a page whose bound is below it cannot be shown, whatever is read. None when
/// fewer are found, or a synonym-only result is shown: then every posting may matter.
fn threshold(ranked: &[&Scored], limit: usize) -> Option<f64> {
    let shown = &ranked[..limit.min(ranked.len())];
    if limit == 0 || shown.len() < limit || shown.iter().any(|s| !s.own) {
        return None;
    }
    shown.last().map(|s| s.score)
}

/// Reads more of the terms of the last round that have some left: the titles of the terms
/// only read at their head; then, for the terms whose titles are read, the blocks holding
/// a page that could still reach `threshold` (every block without one). False when nothing
/// is left to read.
fn deepen(indexes: &mut [Index], round: &Round, threshold: Option<f64>, limit: usize) -> bool {
    let mut deeper = false;
    for (position, index) in indexes.iter_mut().enumerate() {
        let unread = std::mem::take(&mut index.unread);
        for term in &unread {
            if index.titles.insert(term.clone()) {
                deeper = true;
            }
        }
        let Some(threshold) = threshold else {
            for term in unread {
                deeper |= index.whole_terms.insert(term);
            }
            continue;
        };
        let candidates: Vec<(f64, u32)> = round
            .ranked
            .iter()
            .filter(|(l, _)| *l == position)
            .filter_map(|(_, s)| {
                let upper = s.upper.filter(|u| *u >= threshold)?;
                Some((upper, s.section >> SECTION_BITS))
            })
            .collect();
        let scores = &round.scores[position];
        let wanted = scores.wanted_blocks(threshold, &candidates, round.groups[position], limit);
        for (term, list, block) in wanted {
            deeper |= index.blocks_read.entry(term).or_default()[list].insert(block);
        }
    }
    if !deeper {
        // Nothing a bound points at is left, yet the results are not settled (a result left
        // out as a translation could still change them): every term is read whole.
        for index in indexes.iter_mut() {
            for term in std::mem::take(&mut index.unread) {
                deeper |= index.whole_terms.insert(term);
            }
        }
    }
    deeper
}

fn indexed_languages(site_dir: &Path) -> Result<Vec<String>, String> {
    let dir = site_dir.join("search");
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        format!(
            "no search index in {}: {e} (build the site first)",
            dir.display()
        )
    })?;
    let mut languages: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join("meta.json").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    languages.sort();
    if languages.is_empty() {
        return Err(format!(
            "no search index in {} (build the site first)",
            dir.display()
        ));
    }
    Ok(languages)
}

/// One language's index, reading chunks, fragment files and typo files lazily.
struct Index {
    dir: std::path::PathBuf,
    meta: Meta,
    chunks: BTreeMap<usize, BTreeMap<String, Box<RawValue>>>,
    fragments: BTreeMap<usize, Vec<Fragment>>,
    typo_files: BTreeMap<usize, Vec<Value>>,
    /// Tier files read, by file name.
    tier_files: BTreeMap<String, TierPart>,
    /// Terms cut into tiers whose titles file is read (only their head until a query needs
    /// more).
    titles: BTreeSet<String>,
    /// The blocks read of each term, by list (see [`super::tiers`]).
    blocks_read: BTreeMap<String, [BTreeSet<usize>; 2]>,
    /// Terms read whole: no bound pointed at the blocks left.
    whole_terms: BTreeSet<String>,
    /// The terms of the last query with postings left to read.
    unread: BTreeSet<String>,
    /// Whether every tier is read at once (the reference of [`search_whole`]).
    whole: bool,
}

/// A query key with its exact spelling, its completions and its corrections.
struct Group {
    key: String,
    exact: Option<String>,
    expansions: Vec<String>,
    /// (word, edit distance), closest first.
    typos: Vec<(String, usize)>,
}

/// A corrected query key and the word of the site it was corrected to.
type Correction = (String, String);

/// What one language's index finds over the tiers read so far.
#[derive(Default)]
struct Found {
    scored: Vec<Scored>,
    corrected: Vec<Correction>,
    /// The highest score a page no term has listed yet could reach (None when all is read).
    unseen: Option<f64>,
    /// Pages having the most common of the query's own terms not read whole: a lower bound
    /// of the pages matched (0 with filters, which may leave some out).
    floor: usize,
    /// True when the index has none of the query's own words and its synonyms were not read
    /// (see [`Synonyms::UnlessForeign`]).
    foreign: bool,
    /// The scores summed, to choose the blocks to read next.
    scores: Scores,
    /// The query's number of groups.
    groups: usize,
}

/// Whether [`Index::search`] reads the synonyms of the query's words.
#[derive(Clone, Copy, PartialEq)]
enum Synonyms {
    Always,
    /// Not when the index has none of the query's own words: its results would then all be
    /// synonym-only, shown only when no other language has results of its own.
    UnlessForeign,
}

/// A span of query groups that is a phrase of a synonym group, and the group's other phrases
/// found in the index (each a list of keys).
struct Span {
    start: usize,
    end: usize,
    alternatives: Vec<Vec<String>>,
}

/// A word of the site within reach of a query key: the key, its pages, its written form.
#[derive(Debug, Clone)]
struct Candidate {
    word: String,
    distance: usize,
    pages: u64,
    written: String,
}

impl Index {
    fn open(site: &Path, lang: &str, whole: bool) -> Result<Self, String> {
        let dir = site.join("search").join(lang);
        let path = dir.join("meta.json");
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let meta = Meta::read(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        if meta.v != FORMAT_VERSION && meta.v != WHOLE_FORMAT_VERSION {
            return Err(format!(
                "{}: search index format {}, this guichet reads formats {WHOLE_FORMAT_VERSION} and {FORMAT_VERSION} (rebuild the site)",
                dir.join("meta.json").display(),
                meta.v
            ));
        }
        Ok(Index {
            dir,
            meta,
            chunks: BTreeMap::new(),
            fragments: BTreeMap::new(),
            typo_files: BTreeMap::new(),
            tier_files: BTreeMap::new(),
            titles: BTreeSet::new(),
            blocks_read: BTreeMap::new(),
            whole_terms: BTreeSet::new(),
            unread: BTreeSet::new(),
            whole,
        })
    }

    /// The scored pages over the tiers read so far, the corrections made, and what the
    /// tiers not read could still bring.
    fn search(
        &mut self,
        q: &str,
        filters: &BTreeMap<String, Vec<String>>,
        known: &BTreeSet<String>,
        synonyms: Synonyms,
    ) -> Result<Found, String> {
        self.unread.clear();
        let (groups, spans) = self.groups(q, known)?;
        if groups.is_empty() {
            return Ok(Found::default());
        }
        let allowed = self.allowed_pages(filters)?;
        let mut scores = Scores::new(self.meta.sections, self.meta.pages);
        let mut floor = 0;
        let mut own_terms = 0;
        let mut add = |scores: &mut Scores, entry: &Entry, weight, bit, exact| {
            // Every page having one of the query's own terms is a result.
            if entry.unread.is_some() && filters.values().all(Vec::is_empty) {
                floor = floor.max(entry.pages);
            }
            own_terms += 1;
            scores.add_term(entry, weight, bit, exact);
        };
        for (index, group) in groups.iter().enumerate() {
            let bit = 1u64 << index;
            if let Some(entry) = self.entry(&group.key)? {
                add(&mut scores, &entry, 1.0, bit, group.exact.as_deref());
            }
            for term in &group.expansions {
                if let Some(entry) = self.entry(term)? {
                    add(&mut scores, &entry, PREFIX_WEIGHT, bit, None);
                }
            }
            for (term, distance) in &group.typos {
                if let Some(entry) = self.entry(term)? {
                    add(&mut scores, &entry, TYPO_WEIGHTS[distance - 1], bit, None);
                }
            }
        }
        let corrected = groups
            .iter()
            .filter_map(|g| {
                g.typos
                    .first()
                    .map(|(word, _)| (g.key.clone(), word.clone()))
            })
            .collect();
        if own_terms == 0 && synonyms == Synonyms::UnlessForeign && !spans.is_empty() {
            return Ok(Found {
                corrected,
                foreign: true,
                ..Found::default()
            });
        }
        for span in &spans {
            let mask = (span.start..span.end).fold(0u64, |m, g| m | (1 << g));
            let mut alternatives = Vec::new();
            for keys in &span.alternatives {
                let mut entries = Vec::new();
                for key in keys {
                    // A synonym's score is a mean over its words: simplest bounded read whole.
                    if let Some(entry) = self.entry_reading(key, true)? {
                        entries.push(entry);
                    }
                }
                if entries.len() == keys.len() {
                    alternatives.push(entries);
                }
            }
            scores.add_synonyms(&alternatives, mask);
        }
        let (scored, unseen) = scores.results(groups.len(), |page| {
            allowed.as_ref().is_none_or(|a| a.contains(&page))
        });
        Ok(Found {
            scored,
            corrected,
            unseen,
            floor,
            foreign: false,
            scores,
            groups: groups.len(),
        })
    }

    /// The keys of `q`, analysed for this index, that this index has.
    fn known_keys(&mut self, q: &str) -> Result<Vec<String>, String> {
        let mut known = Vec::new();
        for token in analyse(q, &self.meta.lang) {
            if self.has_term(&token.key)? {
                known.push(token.key);
            }
        }
        Ok(known)
    }

    /// Whether the index has `term`, without decoding its postings.
    fn has_term(&mut self, term: &str) -> Result<bool, String> {
        match self.chunk_of(term) {
            Some(index) => Ok(self.chunk(index)?.contains_key(term)),
            None => Ok(false),
        }
    }

    /// Distinct query keys in order, the last one completed, the ones no index has (`known`
    /// lists those some index has) corrected; and the spans that have synonyms.
    fn groups(
        &mut self,
        q: &str,
        known: &BTreeSet<String>,
    ) -> Result<(Vec<Group>, Vec<Span>), String> {
        let mut groups: Vec<Group> = Vec::new();
        for token in analyse(q, &self.meta.lang) {
            if groups.len() < MAX_GROUPS && !groups.iter().any(|g| g.key == token.key) {
                groups.push(Group {
                    key: token.key,
                    exact: token.exact,
                    expansions: Vec::new(),
                    typos: Vec::new(),
                });
            }
        }
        if let Some(last) = groups.last_mut()
            && last.key.chars().count() >= 3
        {
            let key = last.key.clone();
            last.expansions = self.completions(&key)?;
        }
        let keys: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
        let spans = synonym_spans(&self.meta.syn, &keys);
        for (index, group) in groups.iter_mut().enumerate() {
            let budget = typo_budget(&group.key);
            let has_synonym = spans.iter().any(|s| s.start <= index && index < s.end);
            if budget == 0
                || !group.expansions.is_empty()
                || has_synonym
                || known.contains(&group.key)
            {
                continue;
            }
            group.typos = self
                .candidates(&group.key, budget)?
                .into_iter()
                .filter(|c| c.distance > 0)
                .take(MAX_TYPOS)
                .map(|c| (c.word, c.distance))
                .collect();
        }
        Ok((groups, spans))
    }

    /// The words of the site within `budget` edits of `key` (first letter kept), the closest
    /// first, then the most used, then in alphabetical order.
    fn candidates(&mut self, key: &str, budget: usize) -> Result<Vec<Candidate>, String> {
        let length = key.chars().count();
        let first = key.chars().next().unwrap_or(' ');
        let low = format!("{first}{:02}", length.saturating_sub(budget));
        let high = format!("{first}{:02}", (length + budget + 1).min(99));
        let start = self
            .meta
            .typo
            .partition_point(|(f, _)| f.as_str() <= low.as_str())
            .saturating_sub(1);
        let mut found = Vec::new();
        let mut file = start;
        while file < self.meta.typo.len() && self.meta.typo[file].0.as_str() < high.as_str() {
            let entries = self.typo_file(file)?;
            for triple in entries.chunks_exact(3) {
                let word = triple[0].as_str().unwrap_or_default();
                if !word.starts_with(first) {
                    continue;
                }
                if let Some(distance) = typo_distance(key, word, budget) {
                    let written = triple[2].as_str().unwrap_or_default();
                    found.push(Candidate {
                        word: word.to_string(),
                        distance,
                        pages: triple[1].as_u64().unwrap_or(0),
                        written: if written.is_empty() { word } else { written }.to_string(),
                    });
                }
            }
            file += 1;
        }
        found.sort_by(|a, b| {
            a.distance
                .cmp(&b.distance)
                .then(b.pages.cmp(&a.pages))
                .then(a.word.cmp(&b.word))
        });
        Ok(found)
    }

    /// The query with each corrected word replaced by the site's written form of its best
    /// correction; with fewer than [`FEW_RESULTS`] pages, also each plain word for which the
    /// site has a more used word within reach. None when nothing changes.
    fn suggestion(
        &mut self,
        q: &str,
        corrected: Vec<Correction>,
        total: usize,
    ) -> Result<Option<String>, String> {
        let mut replacements: BTreeMap<String, String> = BTreeMap::new();
        for (key, word) in corrected {
            let shown = self
                .candidates(&key, typo_budget(&key))?
                .into_iter()
                .find(|c| c.word == word)
                .map(|c| c.written);
            if let Some(shown) = shown {
                replacements.insert(key, shown);
            }
        }
        let mut words = Vec::new();
        let mut changed = false;
        for word in q.split_whitespace() {
            let tokens = analyse(word, &self.meta.lang);
            let [token] = tokens.as_slice() else {
                words.push(word.to_string());
                continue;
            };
            let mut replacement = replacements.get(&token.key).cloned();
            if replacement.is_none() && total < FEW_RESULTS {
                replacement = self.more_used(&token.key)?;
            }
            match replacement {
                Some(shown) => {
                    changed = true;
                    words.push(shown);
                }
                None => words.push(word.to_string()),
            }
        }
        Ok(changed.then(|| words.join(" ")))
    }

    /// The written form of the closest word of the site used on more pages than `key`.
    fn more_used(&mut self, key: &str) -> Result<Option<String>, String> {
        let budget = typo_budget(key);
        if budget == 0 {
            return Ok(None);
        }
        let own = self.entry(key)?.map_or(0, |e| (e.df.0 + e.df.1) as u64);
        Ok(self
            .candidates(key, budget)?
            .into_iter()
            .find(|c| c.distance > 0 && c.pages > own)
            .map(|c| c.written))
    }

    fn typo_file(&mut self, index: usize) -> Result<&Vec<Value>, String> {
        if !self.typo_files.contains_key(&index) {
            let file = self.dir.join(&self.meta.typo[index].1);
            let entries: Vec<Value> = read_json(&file)?;
            self.typo_files.insert(index, entries);
        }
        Ok(&self.typo_files[&index])
    }

    /// Terms longer than `prefix` that start with it, the most frequent first.
    fn completions(&mut self, prefix: &str) -> Result<Vec<String>, String> {
        let start = self.chunk_of(prefix).unwrap_or(0);
        let mut found: Vec<(usize, String)> = Vec::new();
        let mut index = start;
        while index < self.meta.chunks.len()
            && index < start + MAX_PREFIX_CHUNKS
            && (index == start || self.meta.chunks[index].0.starts_with(prefix))
        {
            let terms: Vec<String> = self
                .chunk(index)?
                .keys()
                .filter(|t| t.len() > prefix.len() && t.starts_with(prefix) && !t.starts_with('~'))
                .cloned()
                .collect();
            for term in terms {
                let postings = self.stored(&term)?.map_or(0, |s| s.body_count());
                found.push((postings, term));
            }
            index += 1;
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(found
            .into_iter()
            .take(MAX_EXPANSIONS)
            .map(|(_, t)| t)
            .collect())
    }

    /// Pages passing every facet filter (None when there is no filter).
    fn allowed_pages(
        &mut self,
        filters: &BTreeMap<String, Vec<String>>,
    ) -> Result<Option<BTreeSet<u32>>, String> {
        let mut allowed: Option<BTreeSet<u32>> = None;
        for (name, values) in filters {
            if values.is_empty() {
                continue;
            }
            let mut pages = BTreeSet::new();
            for value in values {
                if let Some(ids) = self.facet_pages(&facet_term(name, value))? {
                    pages.extend(ids);
                }
            }
            allowed = Some(match allowed {
                Some(previous) => previous.intersection(&pages).copied().collect(),
                None => pages,
            });
        }
        Ok(allowed)
    }

    fn facet_pages(&mut self, term: &str) -> Result<Option<Vec<u32>>, String> {
        Ok(self.stored(term)?.map(|value| decode_ids(&value.first)))
    }

    /// The entry of `term` as stored, read from its chunk's JSON only now: a chunk holds
    /// hundreds of terms and a query wants a few.
    fn stored(&mut self, term: &str) -> Result<Option<Stored>, String> {
        let Some(index) = self.chunk_of(term) else {
            return Ok(None);
        };
        let Some(raw) = self.chunk(index)?.get(term) else {
            return Ok(None);
        };
        serde_json::from_str(raw.get())
            .map(Some)
            .map_err(|e| format!("{}: term `{term}`: {e}", self.meta.chunks[index].1))
    }

    /// The postings of `term` read so far: its head and as much of the rest as the query
    /// needed.
    fn entry(&mut self, term: &str) -> Result<Option<Entry>, String> {
        self.entry_reading(term, false)
    }

    /// The postings of `term`: for a term cut into tiers, its head, then its titles and the
    /// blocks the query needed (all of them when `whole`); a term with postings left to read
    /// is noted in `unread`.
    fn entry_reading(&mut self, term: &str, whole: bool) -> Result<Option<Entry>, String> {
        let Some(value) = self.stored(term)? else {
            return Ok(None);
        };
        let mut entry = Entry {
            body: decode_pairs(&value.first),
            title: decode_pairs(&value.title),
            exact: BTreeMap::new(),
            df: (0, 0),
            pages: 0,
            unread: None,
        };
        add_forms(&mut entry.exact, &value.exact);
        entry.df = (entry.body.len(), entry.title.len());
        let Some((body, title, pages, reach, hash, titled_list, other_list)) = &value.tiers else {
            return Ok(Some(entry));
        };
        entry.df = (*body as usize, *title as usize);
        entry.pages = *pages as usize;
        let whole = whole || self.whole || self.whole_terms.contains(term);
        let mut head = IdSet::default();
        head.extend(entry.body.iter().map(|(id, _)| id >> SECTION_BITS));
        head.extend(entry.title.iter().map(|(page, _)| *page));
        head.extend(entry.exact.values().flatten().map(|id| id >> SECTION_BITS));
        let mut unread = Unread {
            term: term.to_string(),
            reach: *reach,
            read: head,
            blocks: None,
        };
        if !whole && !self.titles.contains(term) {
            entry.unread = Some(unread);
            self.unread.insert(term.to_string());
            return Ok(Some(entry));
        }
        let titles = self.tier_file(&format!("t/{hash}-t.json"))?;
        let mut titled = IdSet::default();
        titled.extend(titles.title.iter().map(|(page, _)| *page));
        entry.title.extend_from_slice(&titles.title);
        let read = self.blocks_read.get(term).cloned().unwrap_or_default();
        let mut lists = [titled_list.clone(), other_list.clone()];
        for (list, letter) in lists.iter_mut().zip(['a', 'b']) {
            let number = usize::from(letter == 'b');
            for (block, max) in list.1.iter_mut().enumerate() {
                if *max <= 0.0 || !(whole || read[number].contains(&block)) {
                    continue;
                }
                *max = 0.0;
                let part = self.tier_file(&format!("t/{hash}-{letter}{block}.json"))?;
                entry.body.extend_from_slice(&part.body);
                for (form, ids) in &part.exact {
                    entry
                        .exact
                        .entry(form.clone())
                        .or_default()
                        .extend_from_slice(ids);
                }
            }
        }
        if lists
            .iter()
            .any(|(_, maxima)| maxima.iter().any(|m| *m > 0.0))
        {
            unread.blocks = Some(BlockBounds { titled, lists });
            entry.unread = Some(unread);
            self.unread.insert(term.to_string());
        }
        Ok(Some(entry))
    }

    fn tier_file(&mut self, file: &str) -> Result<&TierPart, String> {
        if !self.tier_files.contains_key(file) {
            let path = self.dir.join(file);
            let part =
                decode_tier(read_json(&path)?).map_err(|e| format!("{}: {e}", path.display()))?;
            self.tier_files.insert(file.to_string(), part);
        }
        Ok(&self.tier_files[file])
    }

    /// The chunk whose range holds `term`: the last one starting at or before it.
    fn chunk_of(&self, term: &str) -> Option<usize> {
        let after = self
            .meta
            .chunks
            .partition_point(|(first, _)| first.as_str() <= term);
        after.checked_sub(1)
    }

    fn chunk(&mut self, index: usize) -> Result<&BTreeMap<String, Box<RawValue>>, String> {
        if !self.chunks.contains_key(&index) {
            let file = self.dir.join(&self.meta.chunks[index].1);
            let chunk: BTreeMap<String, Box<RawValue>> = read_json(&file)?;
            self.chunks.insert(index, chunk);
        }
        Ok(&self.chunks[&index])
    }

    /// The fragment of `page`, from the file whose range of pages holds it.
    fn fragment(&mut self, page: u32) -> Result<&Fragment, String> {
        let missing = || {
            format!(
                "search index of {}: no fragment for page {page}",
                self.meta.lang
            )
        };
        let file = self
            .meta
            .frag
            .partition_point(|first| *first <= page)
            .checked_sub(1)
            .ok_or_else(missing)?;
        if !self.fragments.contains_key(&file) {
            let path = self.dir.join(fragment_file(&self.meta.frag_hash, file));
            self.fragments.insert(file, read_json(&path)?);
        }
        let offset = (page - self.meta.frag[file]) as usize;
        self.fragments[&file].get(offset).ok_or_else(missing)
    }

    fn hit(&mut self, scored: &Scored) -> Result<Hit, String> {
        let page = scored.section >> SECTION_BITS;
        let lang = self.meta.lang.clone();
        let fragment = self.fragment(page)?;
        let link = |section: u32| {
            let block = (section & ((1 << SECTION_BITS) - 1)) as usize;
            let (anchor, heading, excerpt) = fragment
                .b
                .get(block)
                .map(|(a, h, _, e)| (a.as_str(), h.clone(), e.clone()))
                .unwrap_or_default();
            let url = if anchor.is_empty() {
                fragment.u.clone()
            } else {
                format!("{}#{anchor}", fragment.u)
            };
            (url, heading, excerpt)
        };
        let (url, heading, excerpt) = link(scored.section);
        let more = scored
            .more
            .iter()
            .map(|s| {
                let (url, heading, _) = link(*s);
                SectionLink { url, heading }
            })
            .collect();
        Ok(Hit {
            url,
            title: fragment.t.clone(),
            section: fragment.s.clone(),
            heading,
            score: scored.score,
            excerpt,
            language: lang,
            more,
        })
    }
}

/// The spans of `keys` that are a phrase of a synonym group (`[present, phrase, …]`), each with
/// the group's other phrases present in the index; spans found by several groups are merged,
/// and come sorted by start, then end.
fn synonym_spans(groups: &[Vec<String>], keys: &[&str]) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    for group in groups {
        let present: usize = group.first().and_then(|n| n.parse().ok()).unwrap_or(0);
        let phrases: Vec<Vec<&str>> = group[1..].iter().map(|p| p.split(' ').collect()).collect();
        for (index, phrase) in phrases.iter().enumerate() {
            for start in 0..keys.len() {
                let end = start + phrase.len();
                if end > keys.len() || keys[start..end] != phrase[..] {
                    continue;
                }
                let others = phrases
                    .iter()
                    .take(present)
                    .enumerate()
                    .filter(|(other, _)| *other != index)
                    .map(|(_, p)| p.iter().map(|k| k.to_string()).collect::<Vec<_>>());
                let at = match spans.iter().position(|s| s.start == start && s.end == end) {
                    Some(at) => at,
                    None => {
                        spans.push(Span {
                            start,
                            end,
                            alternatives: Vec::new(),
                        });
                        spans.len() - 1
                    }
                };
                for other in others {
                    if !spans[at].alternatives.contains(&other) {
                        spans[at].alternatives.push(other);
                    }
                }
            }
        }
    }
    spans.retain(|s| !s.alternatives.is_empty());
    spans.sort_by_key(|s| (s.start, s.end));
    spans
}

/// Adds the decoded ids of each accented form to `forms`.
fn add_forms(forms: &mut BTreeMap<String, Vec<u32>>, stored: &BTreeMap<String, Vec<u64>>) {
    for (form, ids) in stored {
        forms
            .entry(form.clone())
            .or_default()
            .extend(decode_ids(ids));
    }
}

/// `[id0, i0, id1 - id0, i1, …]` back to (id, impact) pairs.
fn decode_pairs(numbers: &[u64]) -> Vec<(u32, f64)> {
    let mut previous = 0u32;
    numbers
        .chunks_exact(2)
        .map(|pair| {
            previous = previous.saturating_add(pair[0] as u32);
            (previous, pair[1] as f64)
        })
        .collect()
}

/// A tier file as written (see `tiers.rs`): body ids, body impacts, title pages, title
/// impacts (ids and pages delta-encoded), and each accented form's runs over the body ids and
/// over the title pages, then any other id.
type TierFile = (
    Vec<u64>,
    Vec<u64>,
    Vec<u64>,
    Vec<u64>,
    BTreeMap<String, Vec<Vec<u64>>>,
);

/// A tier file's postings, decoded.
struct TierPart {
    body: Vec<(u32, f64)>,
    title: Vec<(u32, f64)>,
    exact: BTreeMap<String, Vec<u32>>,
}

fn decode_tier(file: TierFile) -> Result<TierPart, String> {
    let (body_ids, body_impacts, title_pages, title_impacts, forms) = file;
    if body_ids.len() != body_impacts.len() || title_pages.len() != title_impacts.len() {
        return Err("a tier's ids and impacts differ in number".to_string());
    }
    let body_ids = decode_ids(&body_ids);
    let title_pages = decode_ids(&title_pages);
    let mut exact = BTreeMap::new();
    for (form, lists) in forms {
        let mut ids = Vec::new();
        if let Some(runs) = lists.first() {
            for at in run_positions(runs, body_ids.len())? {
                ids.push(body_ids[at]);
            }
        }
        if let Some(runs) = lists.get(1) {
            for at in run_positions(runs, title_pages.len())? {
                ids.push(title_pages[at] << SECTION_BITS);
            }
        }
        if let Some(other) = lists.get(2) {
            ids.extend(decode_ids(other));
        }
        ids.sort_unstable();
        exact.insert(form, ids);
    }
    let pair = |(id, impact): (u32, &u64)| (id, *impact as f64);
    Ok(TierPart {
        body: body_ids.into_iter().zip(&body_impacts).map(pair).collect(),
        title: title_pages
            .into_iter()
            .zip(&title_impacts)
            .map(pair)
            .collect(),
        exact,
    })
}

/// The positions marked by `[marked, unmarked, marked, …]` run lengths over a list of
/// `length`.
fn run_positions(runs: &[u64], length: usize) -> Result<Vec<usize>, String> {
    let mut positions = Vec::new();
    let mut at = 0usize;
    for (index, run) in runs.iter().enumerate() {
        let end = at.saturating_add(*run as usize);
        if end > length {
            return Err(format!("a form's runs pass the end of a list of {length}"));
        }
        if index % 2 == 0 {
            positions.extend(at..end);
        }
        at = end;
    }
    Ok(positions)
}

/// `[id0, id1 - id0, …]` back to ids.
fn decode_ids(deltas: &[u64]) -> Vec<u32> {
    let mut previous = 0u32;
    deltas
        .iter()
        .map(|delta| {
            previous = previous.saturating_add(*delta as u32);
            previous
        })
        .collect()
}

/// One term's entry as a chunk stores it (see `chunks.rs`): `[body, title]` or
/// `[body, title, {accented form: ids}]` for a word, `[ids]` for a facet value; a word cut
/// into tiers adds its tier table (see `tiers.rs`); tier files are read as [`TierFile`]. Read straight
/// into numbers, and only for the terms a query asks for: a generic JSON tree of every
/// term's postings cost more than the rest of a query.
#[derive(Debug, Default)]
struct Stored {
    /// The body postings (pairs), or a facet's page ids.
    first: Vec<u64>,
    /// The title postings (pairs).
    title: Vec<u64>,
    /// Accented forms and the ids using each.
    exact: BTreeMap<String, Vec<u64>>,
    /// For a term cut into tiers: its body and title counts and pages in all, and what names
    /// and bounds its titles and blocks.
    tiers: Option<TierTable>,
}

/// A cut term's counts in all (sections, titles, pages), the largest reach outside its head,
/// the hash naming its files, and its titled and other lists of blocks (shift, maxima).
type TierTable = (u64, u64, u64, f64, String, (u32, Vec<f64>), (u32, Vec<f64>));

impl Stored {
    /// Sections having the term in all, read or not.
    fn body_count(&self) -> usize {
        match &self.tiers {
            Some((body, ..)) => *body as usize,
            None => self.first.len() / 2,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Stored {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StoredVisitor;
        impl<'de> serde::de::Visitor<'de> for StoredVisitor {
            type Value = Stored;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a term entry: [body, title, exact forms]")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Stored, A::Error> {
                Ok(Stored {
                    first: seq.next_element()?.unwrap_or_default(),
                    title: seq.next_element()?.unwrap_or_default(),
                    exact: seq.next_element()?.unwrap_or_default(),
                    tiers: seq.next_element()?.unwrap_or_default(),
                })
            }
        }
        deserializer.deserialize_seq(StoredVisitor)
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}
