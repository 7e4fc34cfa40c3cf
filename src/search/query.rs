//! The query engine over the written index files: the same steps and the same arithmetic as
//! `search()` in themes/guichet/static/search.js, so the terminal and the browser rank alike.
//!
//! Ranking: each distinct query key is a group; the key itself weighs 1, and the last key also
//! matches up to [`MAX_EXPANSIONS`] longer terms (typing as you go) at [`PREFIX_WEIGHT`]. A
//! section scores Σ weight·idf·impact over its body postings plus the page's title score
//! ([`TITLE_WEIGHT`]), plus [`EXACT_BONUS`]·idf where the accented spelling matches exactly,
//! times (groups matched / groups)². A page is represented by its best section.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::analyse::analyse;
use super::fragments::fragment_file;
use super::index::{FORMAT_VERSION, Fragment, IMPACT_SCALE, Meta, SECTION_BITS, facet_term};

/// Weight of a term found by completing the last word.
const PREFIX_WEIGHT: f64 = 0.7;
/// Completions considered for the last word, the most frequent first.
const MAX_EXPANSIONS: usize = 20;
/// Chunks read to complete the last word.
const MAX_PREFIX_CHUNKS: usize = 3;
/// Title matches weigh this much more than body matches.
const TITLE_WEIGHT: f64 = 2.0;
/// Bonus, times idf, for the exact accented spelling.
const EXACT_BONUS: f64 = 0.3;
/// Query groups beyond this are ignored (they fit in the match bitmask).
const MAX_GROUPS: usize = 32;

/// One search result: a page section.
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
    let languages = match lang {
        Some(lang) => vec![lang.to_string()],
        None => indexed_languages(site_dir)?,
    };
    let mut indexes = Vec::new();
    let mut scored = Vec::new();
    for lang in &languages {
        let mut index = Index::open(site_dir, lang)?;
        scored.extend(index.search(q, filters)?);
        indexes.push(index);
    }
    scored.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.lang.cmp(&b.lang))
            .then(a.section.cmp(&b.section))
    });
    scored.truncate(limit);
    scored
        .iter()
        .map(|s| {
            let position = languages.iter().position(|l| *l == s.lang).unwrap_or(0);
            indexes[position].hit(s)
        })
        .collect()
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

/// A section's score before it becomes a [`Hit`].
#[derive(Debug, Clone)]
struct Scored {
    score: f64,
    lang: String,
    section: u32,
}

/// One language's index, reading chunks and fragment files lazily.
struct Index {
    dir: std::path::PathBuf,
    meta: Meta,
    chunks: BTreeMap<usize, BTreeMap<String, Value>>,
    fragments: BTreeMap<usize, Vec<Fragment>>,
}

/// A query key with its exact spelling and its completions.
struct Group {
    key: String,
    exact: Option<String>,
    expansions: Vec<String>,
}

/// Decoded postings of one term.
struct Entry {
    body: Vec<(u32, f64)>,
    title: Vec<(u32, f64)>,
    exact: BTreeMap<String, Vec<u32>>,
}

impl Index {
    fn open(site: &Path, lang: &str) -> Result<Self, String> {
        let dir = site.join("search").join(lang);
        let meta: Meta = read_json(&dir.join("meta.json"))?;
        if meta.v != FORMAT_VERSION {
            return Err(format!(
                "{}: search index format {}, this guichet reads format {FORMAT_VERSION} (rebuild the site)",
                dir.join("meta.json").display(),
                meta.v
            ));
        }
        Ok(Index {
            dir,
            meta,
            chunks: BTreeMap::new(),
            fragments: BTreeMap::new(),
        })
    }

    fn search(
        &mut self,
        q: &str,
        filters: &BTreeMap<String, Vec<String>>,
    ) -> Result<Vec<Scored>, String> {
        let groups = self.groups(q)?;
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        let allowed = self.allowed_pages(filters)?;
        let mut body: BTreeMap<u32, (f64, u64)> = BTreeMap::new();
        let mut title: BTreeMap<u32, (f64, u64)> = BTreeMap::new();
        let sections = f64::from(self.meta.sections);
        let pages = f64::from(self.meta.pages);
        for (index, group) in groups.iter().enumerate() {
            let bit = 1u64 << index;
            let terms = std::iter::once((group.key.as_str(), 1.0))
                .chain(group.expansions.iter().map(|t| (t.as_str(), PREFIX_WEIGHT)));
            for (term, weight) in terms {
                let Some(entry) = self.entry(term)? else {
                    continue;
                };
                let idf = idf_of(sections, entry.body.len() as f64);
                for (id, impact) in &entry.body {
                    let slot = body.entry(*id).or_insert((0.0, 0));
                    slot.0 += weight * idf * impact / IMPACT_SCALE;
                    slot.1 |= bit;
                }
                let title_idf = idf_of(pages, entry.title.len() as f64);
                for (page, impact) in &entry.title {
                    let slot = title.entry(*page).or_insert((0.0, 0));
                    slot.0 += weight * TITLE_WEIGHT * title_idf * impact / IMPACT_SCALE;
                    slot.1 |= bit;
                }
                if weight == 1.0
                    && let Some(ids) = group.exact.as_ref().and_then(|e| entry.exact.get(e))
                {
                    for id in ids {
                        let slot = body.entry(*id).or_insert((0.0, 0));
                        slot.0 += EXACT_BONUS * idf;
                        slot.1 |= bit;
                    }
                }
            }
        }
        Ok(best_sections(
            &self.meta.lang,
            groups.len(),
            &body,
            &title,
            allowed.as_ref(),
        ))
    }

    /// Distinct query keys in order; the last one completed with longer terms.
    fn groups(&mut self, q: &str) -> Result<Vec<Group>, String> {
        let mut groups: Vec<Group> = Vec::new();
        for token in analyse(q, &self.meta.lang) {
            if groups.len() < MAX_GROUPS && !groups.iter().any(|g| g.key == token.key) {
                groups.push(Group {
                    key: token.key,
                    exact: token.exact,
                    expansions: Vec::new(),
                });
            }
        }
        if let Some(last) = groups.last_mut()
            && last.key.chars().count() >= 3
        {
            let key = last.key.clone();
            last.expansions = self.completions(&key)?;
        }
        Ok(groups)
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
            for (term, value) in self.chunk(index)? {
                if term.len() > prefix.len() && term.starts_with(prefix) && !term.starts_with('~') {
                    let postings = value.get(0).and_then(Value::as_array).map_or(0, Vec::len) / 2;
                    found.push((postings, term.clone()));
                }
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
        let Some(index) = self.chunk_of(term) else {
            return Ok(None);
        };
        let Some(value) = self.chunk(index)?.get(term) else {
            return Ok(None);
        };
        Ok(Some(decode_ids(value.get(0))))
    }

    fn entry(&mut self, term: &str) -> Result<Option<Entry>, String> {
        let Some(index) = self.chunk_of(term) else {
            return Ok(None);
        };
        let Some(value) = self.chunk(index)?.get(term) else {
            return Ok(None);
        };
        let exact = value
            .get(2)
            .and_then(Value::as_object)
            .map(|map| {
                map.iter()
                    .map(|(k, v)| (k.clone(), decode_ids(Some(v))))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Some(Entry {
            body: decode_pairs(value.get(0)),
            title: decode_pairs(value.get(1)),
            exact,
        }))
    }

    /// The chunk whose range holds `term`: the last one starting at or before it.
    fn chunk_of(&self, term: &str) -> Option<usize> {
        let after = self
            .meta
            .chunks
            .partition_point(|(first, _)| first.as_str() <= term);
        after.checked_sub(1)
    }

    fn chunk(&mut self, index: usize) -> Result<&BTreeMap<String, Value>, String> {
        if !self.chunks.contains_key(&index) {
            let file = self.dir.join(&self.meta.chunks[index].1);
            let chunk: BTreeMap<String, Value> = read_json(&file)?;
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
        let block = (scored.section & ((1 << SECTION_BITS) - 1)) as usize;
        let lang = self.meta.lang.clone();
        let fragment = self.fragment(page)?;
        let (anchor, heading, excerpt) = fragment
            .b
            .get(block)
            .map(|(a, h, _, e)| (a.clone(), h.clone(), e.clone()))
            .unwrap_or_default();
        let url = if anchor.is_empty() {
            fragment.u.clone()
        } else {
            format!("{}#{anchor}", fragment.u)
        };
        Ok(Hit {
            url,
            title: fragment.t.clone(),
            section: fragment.s.clone(),
            heading,
            score: scored.score,
            excerpt,
            language: lang,
        })
    }
}

/// BM25's idf, always positive.
fn idf_of(count: f64, df: f64) -> f64 {
    (1.0 + (count - df + 0.5) / (df + 0.5)).ln()
}

/// The best section of each page: body score plus the page's title score, times the squared
/// share of query groups matched; ties go to the earlier section.
fn best_sections(
    lang: &str,
    group_count: usize,
    body: &BTreeMap<u32, (f64, u64)>,
    title: &BTreeMap<u32, (f64, u64)>,
    allowed: Option<&BTreeSet<u32>>,
) -> Vec<Scored> {
    let groups = group_count as f64;
    let mut best: BTreeMap<u32, (f64, u32)> = BTreeMap::new();
    let mut consider = |section: u32, raw: f64, mask: u64| {
        let page = section >> SECTION_BITS;
        if allowed.is_some_and(|a| !a.contains(&page)) {
            return;
        }
        let share = f64::from(mask.count_ones()) / groups;
        let score = raw * share * share;
        match best.get(&page) {
            Some((previous, _)) if *previous >= score => {}
            _ => {
                best.insert(page, (score, section));
            }
        }
    };
    for (section, (score, mask)) in body {
        let (title_score, title_mask) = title
            .get(&(section >> SECTION_BITS))
            .copied()
            .unwrap_or((0.0, 0));
        consider(*section, score + title_score, mask | title_mask);
    }
    for (page, (score, mask)) in title {
        consider(page << SECTION_BITS, *score, *mask);
    }
    best.into_values()
        .map(|(score, section)| Scored {
            score,
            lang: lang.to_string(),
            section,
        })
        .collect()
}

fn decode_pairs(value: Option<&Value>) -> Vec<(u32, f64)> {
    let numbers: Vec<u64> = value
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    let mut previous = 0u32;
    numbers
        .chunks_exact(2)
        .map(|pair| {
            previous = previous.saturating_add(pair[0] as u32);
            (previous, pair[1] as f64)
        })
        .collect()
}

fn decode_ids(value: Option<&Value>) -> Vec<u32> {
    let mut previous = 0u32;
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_u64)
                .map(|delta| {
                    previous = previous.saturating_add(delta as u32);
                    previous
                })
                .collect()
        })
        .unwrap_or_default()
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}
