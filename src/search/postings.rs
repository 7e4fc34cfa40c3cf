//! From pages to postings: pages are analysed in parallel, a batch of consecutive pages at a
//! time, each batch interning its terms as small integer ids (no string per token); the
//! batches' vocabularies are then merged into one sorted term list and every term's postings
//! are gathered in page order, so the result does not depend on how the work was split.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use super::analyse::{Analyser, run_tokens};
use super::{SearchBlock, SearchDoc};
use crate::cache_file::{CacheFile, KeyHasher, Reader, Writer, checksum};

/// Bits of a section id given to the block number; blocks past 127 count as block 127.
pub(crate) const SECTION_BITS: u32 = 7;
/// Impacts are BM25 tf factors multiplied by this and rounded.
pub(crate) const IMPACT_SCALE: f64 = 8.0;
/// Heading words count this many times as prose words.
const HEADING_WEIGHT: u32 = 3;
/// Tags (front matter `tags:`) are indexed with the title, each word counting this much: they
/// are the words a page is filed under, so they raise every section of the page alike.
const TAG_WEIGHT: u32 = 1;
/// Pages analysed together with one vocabulary: enough batches to keep every thread busy,
/// few enough that merging the vocabularies stays small.
const BATCH_PAGES: usize = 256;
const BM25_K1: f64 = 1.2;
const BM25_B: f64 = 0.75;

/// A multiply-rotate hasher reading 8 bytes at a time for the build's hash maps: the keys
/// are short and not adversarial, and SipHash, then byte-at-a-time FNV, showed in profiles.
#[derive(Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

const HASH_MULTIPLIER: u64 = 0x517c_c1b7_2722_0a95;

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(HASH_MULTIPLIER);
    }
}

impl std::hash::Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for chunk in &mut words {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            // Most terms end in such a remainder: see `little_endian` for why it is not copied.
            self.add(little_endian(rest));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

#[cfg(test)]
mod hasher_tests {
    use std::hash::Hasher;

    use super::WordHasher;

    /// What `write` gave when it padded the last bytes in a buffer: the hashes (and so the
    /// maps' order) are unchanged.
    fn padded(bytes: &[u8]) -> u64 {
        let mut hasher = WordHasher::default();
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            hasher.add(u64::from_le_bytes(word));
        }
        hasher.finish()
    }

    #[test]
    fn remainders_hash_as_zero_padded_words() {
        let text = "redémarrer-l'imprimante_0x80070005";
        for end in 0..=text.len() {
            let bytes = &text.as_bytes()[..end];
            let mut hasher = WordHasher::default();
            hasher.write(bytes);
            assert_eq!(hasher.finish(), padded(bytes), "{end}");
        }
        let mut hasher = WordHasher::default();
        hasher.write(b"abc");
        assert_eq!(
            hasher.finish(),
            0x636261u64.wrapping_mul(super::HASH_MULTIPLIER)
        );
    }
}

/// A HashMap hashed with [`WordHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<WordHasher>>;

/// A title or a section: its length, and where its distinct terms are in its batch's lists.
#[derive(Clone, Copy, Default)]
pub(crate) struct Counted {
    /// Sum of the token weights (BM25's document length).
    length: u32,
    terms: (u32, u32),
    exact: (u32, u32),
}

/// One analysed page.
pub(crate) struct AnalysedPage {
    title: Counted,
    sections: (u32, u32),
}

/// Consecutive pages analysed by one thread, sharing one vocabulary. Every list is flat, for
/// the whole batch: a few large vectors instead of two small ones per section.
pub(crate) struct Batch {
    /// Term -> id local to this batch.
    vocabulary: FastMap<Box<str>, u32>,
    /// Accented form -> id local to this batch.
    forms: FastMap<Box<str>, u32>,
    /// By term id: the shortest word as written that gave the term (the alphabetically
    /// first of equal length), shown in "did you mean" suggestions.
    written: Vec<Box<str>>,
    pages: Vec<AnalysedPage>,
    sections: Vec<Counted>,
    /// Distinct term ids of each title and section with their weighted frequency.
    terms: Vec<(u32, u32)>,
    /// Distinct (key id, accented form id) pairs of each title and section.
    exact: Vec<(u32, u32)>,
}

impl Batch {
    fn terms(&self, counted: &Counted) -> &[(u32, u32)] {
        &self.terms[counted.terms.0 as usize..counted.terms.1 as usize]
    }

    fn exact(&self, counted: &Counted) -> &[(u32, u32)] {
        &self.exact[counted.exact.0 as usize..counted.exact.1 as usize]
    }

    fn sections(&self, page: &AnalysedPage) -> &[Counted] {
        &self.sections[page.sections.0 as usize..page.sections.1 as usize]
    }
}

/// Analyses every page, in parallel; batches come back in page order.
#[cfg(test)]
pub(crate) fn analyse_pages(pages: &[&SearchDoc], lang: &str) -> Vec<Batch> {
    analyse_pages_cached(pages, lang, &CacheFile::none())
}

/// [`analyse_pages`], taking from `cache` each batch whose pages have exactly the text of a
/// batch of the previous build, and recording every batch for the next one. A batch depends
/// only on its pages' text and language, so a build after a one-page edit analyses one batch.
pub(crate) fn analyse_pages_cached(
    pages: &[&SearchDoc],
    lang: &str,
    cache: &CacheFile,
) -> Vec<Batch> {
    pages
        .par_chunks(BATCH_PAGES)
        .map_init(
            || (Analyser::default(), RunCache::default()),
            |(analyser, runs), docs| {
                let key = cache.is_active().then(|| batch_key(docs, lang));
                if let Some(key) = &key
                    && let Some(entry) = cache.read(key)
                    && let Some(batch) = Batch::decode(&entry.bytes)
                {
                    cache.append(key, &entry.bytes, entry.hash);
                    return batch;
                }
                let batch = analyse_batch(docs, lang, analyser, runs);
                if let Some(key) = &key {
                    let bytes = batch.encode();
                    cache.append(key, &bytes, checksum(&bytes));
                }
                batch
            },
        )
        .collect()
}

/// Analyses one batch of consecutive pages with a thread's analyser and run cache.
fn analyse_batch(
    docs: &[&SearchDoc],
    lang: &str,
    analyser: &mut Analyser,
    runs: &mut RunCache,
) -> Batch {
    runs.clear();
    let mut builder = BatchBuilder {
        analyser: std::mem::take(analyser),
        batch: Batch {
            vocabulary: FastMap::default(),
            forms: FastMap::default(),
            written: Vec::new(),
            pages: Vec::with_capacity(docs.len()),
            sections: Vec::new(),
            terms: Vec::new(),
            exact: Vec::new(),
        },
        runs: std::mem::take(runs),
        seen_in: Vec::new(),
        slot: Vec::new(),
        generation: 0,
        current: Counted::default(),
    };
    for doc in docs {
        builder.page(doc, lang);
    }
    // The buffers go to the next batch of this thread: fewer allocations to free.
    *analyser = builder.analyser;
    *runs = builder.runs;
    builder.batch
}

/// The name of a batch in the analysis cache: a hash of everything the analysis reads of its
/// pages (language, titles, tags, blocks' headings, text and code, and where blocks start).
fn batch_key(docs: &[&SearchDoc], lang: &str) -> String {
    let mut key = KeyHasher::default();
    key.bytes(lang.as_bytes());
    key.bytes(&(docs.len() as u64).to_le_bytes());
    for doc in docs {
        key.bytes(doc.title.as_bytes());
        let tags = doc.facets.get("tags").map_or(&[][..], Vec::as_slice);
        key.bytes(&(tags.len() as u64).to_le_bytes());
        for tag in tags {
            key.bytes(tag.as_bytes());
        }
        key.bytes(&(doc.blocks.len() as u64).to_le_bytes());
        for block in &doc.blocks {
            key.bytes(block.heading.as_bytes());
            key.bytes(block.text.as_bytes());
            key.bytes(block.code.as_bytes());
        }
    }
    format!("{:032x}", key.finish())
}

impl Batch {
    /// The batch as bytes for the analysis cache. The vocabularies are listed by id, the order
    /// they were filled in, so that [`Batch::decode`] fills them in the same order and they
    /// iterate alike.
    fn encode(&self) -> Vec<u8> {
        let mut writer = Writer::default();
        for vocabulary in [&self.vocabulary, &self.forms] {
            let mut by_id: Vec<(&str, u32)> =
                vocabulary.iter().map(|(text, &id)| (&**text, id)).collect();
            by_id.sort_unstable_by_key(|&(_, id)| id);
            writer.count(by_id.len());
            for (text, _) in by_id {
                writer.string(text);
            }
        }
        writer.count(self.written.len());
        for word in &self.written {
            writer.string(word);
        }
        writer.count(self.pages.len());
        for page in &self.pages {
            write_counted(&mut writer, &page.title);
            write_pair(&mut writer, page.sections);
        }
        writer.count(self.sections.len());
        for section in &self.sections {
            write_counted(&mut writer, section);
        }
        for pairs in [&self.terms, &self.exact] {
            writer.count(pairs.len());
            for &pair in pairs {
                write_pair(&mut writer, pair);
            }
        }
        writer.0
    }

    /// What [`Batch::encode`] wrote; `None` for bytes it did not write.
    fn decode(bytes: &[u8]) -> Option<Batch> {
        let mut reader = Reader::new(bytes);
        let mut vocabularies = [FastMap::default(), FastMap::default()];
        for vocabulary in &mut vocabularies {
            let count = reader.count(8)?;
            vocabulary.reserve(count);
            for id in 0..count {
                vocabulary.insert(reader.string()?.into_boxed_str(), u32::try_from(id).ok()?);
            }
            if vocabulary.len() != count {
                return None;
            }
        }
        let [vocabulary, forms] = vocabularies;
        // `Vec::with_capacity` may give more room than asked: the counts bound the loops.
        let count = reader.count(8)?;
        let mut written = Vec::with_capacity(count);
        for _ in 0..count {
            written.push(reader.string()?.into_boxed_str());
        }
        let count = reader.count(28)?;
        let mut pages = Vec::with_capacity(count);
        for _ in 0..count {
            let title = read_counted(&mut reader)?;
            let sections = read_pair(&mut reader)?;
            pages.push(AnalysedPage { title, sections });
        }
        let count = reader.count(20)?;
        let mut sections = Vec::with_capacity(count);
        for _ in 0..count {
            sections.push(read_counted(&mut reader)?);
        }
        let mut lists = [Vec::new(), Vec::new()];
        for list in &mut lists {
            let count = reader.count(8)?;
            list.reserve(count);
            for _ in 0..count {
                list.push(read_pair(&mut reader)?);
            }
        }
        let [terms, exact] = lists;
        let batch = Batch {
            vocabulary,
            forms,
            written,
            pages,
            sections,
            terms,
            exact,
        };
        (reader.is_at_end() && batch.is_consistent()).then_some(batch)
    }

    /// Whether every range and id of the batch points inside it, as analysing makes them:
    /// a decoded batch is used as if analysed, and must not make a later stage panic.
    fn is_consistent(&self) -> bool {
        let within = |(start, end): (u32, u32), len: usize| start <= end && end as usize <= len;
        let counted_ok =
            |c: &Counted| within(c.terms, self.terms.len()) && within(c.exact, self.exact.len());
        self.pages
            .iter()
            .all(|p| counted_ok(&p.title) && within(p.sections, self.sections.len()))
            && self.sections.iter().all(counted_ok)
            && self.written.len() == self.vocabulary.len()
            && self
                .terms
                .iter()
                .all(|&(id, _)| (id as usize) < self.vocabulary.len())
            && self.exact.iter().all(|&(id, form)| {
                (id as usize) < self.vocabulary.len() && (form as usize) < self.forms.len()
            })
    }
}

fn write_pair(writer: &mut Writer, (a, b): (u32, u32)) {
    writer.u32(a);
    writer.u32(b);
}

fn read_pair(reader: &mut Reader) -> Option<(u32, u32)> {
    Some((reader.u32()?, reader.u32()?))
}

fn write_counted(writer: &mut Writer, counted: &Counted) {
    writer.u32(counted.length);
    write_pair(writer, counted.terms);
    write_pair(writer, counted.exact);
}

fn read_counted(reader: &mut Reader) -> Option<Counted> {
    Some(Counted {
        length: reader.u32()?,
        terms: read_pair(reader)?,
        exact: read_pair(reader)?,
    })
}

/// A batch being analysed, with for each term id the last title or section it was counted
/// in and where, so counting a token is one interning lookup and no other hashing.
struct BatchBuilder {
    analyser: Analyser,
    batch: Batch,
    runs: RunCache,
    seen_in: Vec<u32>,
    slot: Vec<u32>,
    generation: u32,
    current: Counted,
}

impl BatchBuilder {
    fn page(&mut self, doc: &SearchDoc, lang: &str) {
        self.begin();
        self.add(&doc.title, lang, 1);
        for tag in doc.facets.get("tags").into_iter().flatten() {
            self.add(tag, lang, TAG_WEIGHT);
        }
        let title = self.finish();
        let first = self.batch.sections.len() as u32;
        for (index, block) in doc.blocks.iter().enumerate() {
            // Blocks past the last section number are counted in the last section.
            if index < (1 << SECTION_BITS) {
                if index > 0 {
                    let section = self.finish();
                    self.batch.sections.push(section);
                }
                self.begin();
            }
            self.add_block(block, lang);
        }
        if !doc.blocks.is_empty() {
            let section = self.finish();
            self.batch.sections.push(section);
        }
        let sections = (first, self.batch.sections.len() as u32);
        self.batch.pages.push(AnalysedPage { title, sections });
    }

    fn add_block(&mut self, block: &SearchBlock, lang: &str) {
        self.add(&block.heading, lang, HEADING_WEIGHT);
        self.add(&block.text, lang, 1);
        self.add(&block.code, lang, 1);
    }

    fn begin(&mut self) {
        self.generation += 1;
        let terms = self.batch.terms.len() as u32;
        let exact = self.batch.exact.len() as u32;
        self.current = Counted {
            length: 0,
            terms: (terms, terms),
            exact: (exact, exact),
        };
    }

    /// Closes the current title or section: its accented forms sorted and deduplicated.
    fn finish(&mut self) -> Counted {
        let exact = &mut self.batch.exact;
        let start = self.current.exact.0 as usize;
        exact[start..].sort_unstable();
        let mut kept = start;
        for read in start..exact.len() {
            if kept == start || exact[read] != exact[kept - 1] {
                exact[kept] = exact[read];
                kept += 1;
            }
        }
        exact.truncate(kept);
        self.current.terms.1 = self.batch.terms.len() as u32;
        self.current.exact.1 = kept as u32;
        self.current
    }

    /// Counts the tokens of `text` into the current title or section.
    fn add(&mut self, text: &str, lang: &str, weight: u32) {
        if text.is_empty() {
            return;
        }
        let BatchBuilder {
            analyser,
            batch,
            runs,
            seen_in,
            slot,
            generation,
            current,
        } = self;
        let mut count = |token: &mut RunToken, words: &str| {
            let id = token.id;
            // The kept word only ever gets shorter or alphabetically first: once a token's
            // word has been weighed against it, that token can never replace it again.
            if !token.settled {
                token.settled = true;
                let word = &words[token.word.0 as usize..token.word.1 as usize];
                match batch.written.get_mut(id as usize) {
                    None => batch.written.push(word.into()),
                    Some(kept) if shorter_or_first(word, kept) => *kept = word.into(),
                    Some(_) => {}
                }
            }
            if seen_in.len() <= id as usize {
                seen_in.resize(id as usize + 1, 0);
                slot.resize(id as usize + 1, 0);
            }
            current.length += weight;
            if let Some(form) = token.form {
                batch.exact.push((id, form));
            }
            if seen_in[id as usize] == *generation {
                batch.terms[slot[id as usize] as usize].1 += weight;
            } else {
                seen_in[id as usize] = *generation;
                slot[id as usize] = batch.terms.len() as u32;
                batch.terms.push((id, weight));
            }
        };
        analyser.each_run(text, &mut |run, buffers| {
            let short = short_key(run);
            let (start, end) = match runs.span(run, short) {
                Some(span) => span,
                None => {
                    let start = runs.tokens.len() as u32;
                    run_tokens(run, lang, buffers, &mut |key, exact, word| {
                        runs.tokens.push(RunToken {
                            id: intern(&mut batch.vocabulary, key),
                            form: exact.map(|form| intern(&mut batch.forms, form)),
                            word: push_word(&mut runs.words, word),
                            settled: false,
                        });
                    });
                    let span = (start, runs.tokens.len() as u32);
                    runs.remember(run, short, span);
                    span
                }
            };
            for token in &mut runs.tokens[start as usize..end as usize] {
                count(token, &runs.words);
            }
        });
    }
}

/// Appends `word` to `words`, giving its range there.
fn push_word(words: &mut String, word: &str) -> (u32, u32) {
    let start = words.len() as u32;
    words.push_str(word);
    (start, words.len() as u32)
}

/// The interned tokens of every run already analysed in a batch: the same words come back
/// all the time, and looking a run up once costs less than analysing it and interning each
/// of its tokens (a batch has one language, so a run always gives the same tokens).
#[derive(Default)]
struct RunCache {
    /// Run -> its tokens' range in `tokens`.
    spans: FastMap<Box<str>, (u32, u32)>,
    /// The same for runs of at most [`SHORT_RUN`] bytes, keyed by [`short_key`]: most runs
    /// are short words, and comparing two integers in the table costs less than reading a
    /// key from the heap and comparing bytes (memcmp was the build's first function).
    short: FastMap<(u64, u64), (u32, u32)>,
    tokens: Vec<RunToken>,
    /// The tokens' words as written, end to end.
    words: String,
}

impl RunCache {
    /// Forgets every run, keeping the memory for the next batch (ids are a batch's own).
    fn clear(&mut self) {
        self.spans.clear();
        self.short.clear();
        self.tokens.clear();
        self.words.clear();
    }
}

impl RunCache {
    /// The tokens' range of `run` if it was analysed before; `short` is its [`short_key`].
    fn span(&self, run: &str, short: Option<(u64, u64)>) -> Option<(u32, u32)> {
        match short {
            Some(key) => self.short.get(&key).copied(),
            None => self.spans.get(run).copied(),
        }
    }

    /// Remembers the tokens' range of `run`, whose [`short_key`] is `short`.
    fn remember(&mut self, run: &str, short: Option<(u64, u64)>, span: (u32, u32)) {
        match short {
            Some(key) => self.short.insert(key, span),
            None => self.spans.insert(run.into(), span),
        };
    }
}

/// Longest run, in bytes, kept by [`short_key`].
const SHORT_RUN: usize = 15;

/// A run of at most [`SHORT_RUN`] bytes as two integers: its bytes, little-endian and
/// zero-padded, the second with the length in its top byte (two runs have the same key only
/// when they are equal).
fn short_key(run: &str) -> Option<(u64, u64)> {
    let bytes = run.as_bytes();
    if bytes.len() > SHORT_RUN {
        return None;
    }
    let (head, tail) = bytes.split_at(bytes.len().min(8));
    Some((
        little_endian(head),
        little_endian(tail) | ((bytes.len() as u64) << 56),
    ))
}

/// Up to 8 bytes as a little-endian integer, zero-padded: a whole word is one load, a
/// shorter one is assembled byte by byte (a copy of variable length is a call to memmove).
fn little_endian(bytes: &[u8]) -> u64 {
    match <[u8; 8]>::try_from(bytes) {
        Ok(word) => u64::from_le_bytes(word),
        Err(_) => bytes
            .iter()
            .rev()
            .fold(0u64, |word, byte| (word << 8) | u64::from(*byte)),
    }
}

/// One token of a remembered run, interned in its batch.
struct RunToken {
    id: u32,
    /// The accented form's id, when it differs from the key.
    form: Option<u32>,
    /// The word as written that gave it (not always part of the run: "wi-fi" gives "wifi").
    word: (u32, u32),
    /// True once `word` has been weighed for the batch's "did you mean" form of the term.
    settled: bool,
}

/// True when `word` is shorter than `kept`, or as long and alphabetically first.
fn shorter_or_first(word: &str, kept: &str) -> bool {
    word.len() < kept.len() || (word.len() == kept.len() && word < kept)
}

fn intern(vocabulary: &mut FastMap<Box<str>, u32>, term: &str) -> u32 {
    if let Some(&id) = vocabulary.get(term) {
        return id;
    }
    let id = vocabulary.len() as u32;
    vocabulary.insert(term.into(), id);
    id
}

/// Every term of a language's index in sorted order, with its postings; facet values
/// ("~name=value") are terms too, listing their pages.
pub(crate) struct Terms<'a> {
    /// Sorted terms: a term's position here is its rank.
    pub names: Vec<&'a str>,
    /// By rank: (section id, impact) of every section holding the term, in order.
    pub body: Vec<Vec<(u32, u32)>>,
    /// By rank: (page id, impact) of every title holding the term, in order.
    pub title: Vec<Vec<(u32, u32)>>,
    /// By rank: accented forms, sorted, with the sections (or pages' first sections) using
    /// them.
    pub exact: Vec<Vec<(&'a str, Vec<u32>)>>,
    /// By rank: the pages of a facet value (None for words).
    pub facet: Vec<Option<&'a [u32]>>,
    /// Number of sections (idf of body terms).
    pub sections: usize,
    /// For each batch, its local ids -> rank.
    ranks: Vec<Vec<u32>>,
    average_section: f64,
}

impl<'a> Terms<'a> {
    /// Merges the batches' vocabularies with the facet terms and gathers the postings.
    pub(crate) fn gather(batches: &'a [Batch], facets: &'a [(String, Vec<u32>)]) -> Self {
        let Merged {
            names,
            ranks,
            forms,
            form_ids,
            facet_ranks,
        } = merge_vocabularies(batches, facets);
        let pages = || {
            batches
                .iter()
                .zip(ranks.iter().zip(&form_ids))
                .flat_map(|(b, r)| b.pages.iter().map(move |p| (b, p, r)))
        };
        let Frequencies {
            body_df,
            title_df,
            section_total,
            sections,
            title_total,
        } = count_frequencies(batches, &ranks, names.len());
        let page_count = batches.iter().map(|b| b.pages.len()).sum::<usize>();
        let average_section = mean(section_total, sections);
        let average_title = mean(title_total, page_count);
        // Body, titles and accented forms are gathered side by side: each walks the pages in
        // order, so every list comes out sorted.
        let fill_body = || {
            let mut body: Vec<Vec<(u32, u32)>> = body_df
                .iter()
                .map(|n| Vec::with_capacity(*n as usize))
                .collect();
            for (page_id, (batch, page, (ranks, _))) in pages().enumerate() {
                for (block, section) in batch.sections(page).iter().enumerate() {
                    let id = ((page_id as u32) << SECTION_BITS) | block as u32;
                    for (term, count) in batch.terms(section) {
                        let impact = bm25_impact(*count, section.length, average_section);
                        body[ranks[*term as usize] as usize].push((id, impact));
                    }
                }
            }
            body
        };
        let fill_title = || {
            let mut title: Vec<Vec<(u32, u32)>> = title_df
                .iter()
                .map(|n| Vec::with_capacity(*n as usize))
                .collect();
            for (page_id, (batch, page, (ranks, _))) in pages().enumerate() {
                for (term, count) in batch.terms(&page.title) {
                    let impact = bm25_impact(*count, page.title.length, average_title);
                    title[ranks[*term as usize] as usize].push((page_id as u32, impact));
                }
            }
            title
        };
        let fill_exact = || {
            let mut exact: FastMap<(u32, u32), (Vec<u32>, Vec<u32>)> = FastMap::default();
            for (page_id, (batch, page, (ranks, form_ids))) in pages().enumerate() {
                let first = (page_id as u32) << SECTION_BITS;
                for (block, section) in batch.sections(page).iter().enumerate() {
                    for (key, form) in batch.exact(section) {
                        let pair = (ranks[*key as usize], form_ids[*form as usize]);
                        exact.entry(pair).or_default().0.push(first | block as u32);
                    }
                }
                for (key, form) in batch.exact(&page.title) {
                    let pair = (ranks[*key as usize], form_ids[*form as usize]);
                    exact.entry(pair).or_default().1.push(first);
                }
            }
            exact_forms(exact, &forms, names.len())
        };
        let (body, (title, exact)) = rayon::join(fill_body, || rayon::join(fill_title, fill_exact));
        let mut facet: Vec<Option<&[u32]>> = vec![None; names.len()];
        for (rank, (_, ids)) in facet_ranks.iter().zip(facets) {
            facet[*rank as usize] = Some(ids);
        }
        Terms {
            exact,
            names,
            body,
            title,
            facet,
            sections,
            ranks,
            average_section,
        }
    }

    /// Frees the body, title and accented-form postings once the chunks and the typo files
    /// are written: what remains (names, ranks) is what the file:// fallback reads.
    pub(crate) fn forget_postings(&mut self) {
        // Each list is freed on every thread already: one after the other keeps both busy.
        super::index::free_in_parallel(std::mem::take(&mut self.body));
        super::index::free_in_parallel(std::mem::take(&mut self.title));
        super::index::free_in_parallel(std::mem::take(&mut self.exact));
    }

    /// By rank: the shortest word as written that gave each term, over every batch (facet
    /// terms get their own name).
    pub(crate) fn written_forms(&self, batches: &'a [Batch]) -> Vec<&'a str> {
        let mut written: Vec<&'a str> = self.names.clone();
        let mut set = vec![false; self.names.len()];
        for (batch, ranks) in batches.iter().zip(&self.ranks) {
            for (id, word) in batch.written.iter().enumerate() {
                let rank = ranks[id] as usize;
                if !set[rank] || shorter_or_first(word, written[rank]) {
                    written[rank] = word;
                    set[rank] = true;
                }
            }
        }
        written
    }

    /// The body terms of every page with the sum of their impacts over the page's sections,
    /// as (rank, impact) sorted by rank: what the file:// fallback picks key terms from.
    pub(crate) fn page_impacts<'b>(
        &'b self,
        batches: &'b [Batch],
    ) -> impl IndexedParallelIterator<Item = Vec<(u32, u32)>> + 'b {
        let pages: Vec<(&Batch, &AnalysedPage, &Vec<u32>)> = batches
            .iter()
            .zip(&self.ranks)
            .flat_map(|(b, r)| b.pages.iter().map(move |p| (b, p, r)))
            .collect();
        pages.into_par_iter().map(move |(batch, page, ranks)| {
            let mut impacts: Vec<(u32, u32)> = batch
                .sections(page)
                .iter()
                .flat_map(|section| {
                    batch.terms(section).iter().map(move |(term, count)| {
                        let impact = bm25_impact(*count, section.length, self.average_section);
                        (ranks[*term as usize], impact)
                    })
                })
                .collect();
            impacts.sort_unstable();
            impacts.dedup_by(|next, kept| {
                let same = next.0 == kept.0;
                if same {
                    kept.1 += next.1;
                }
                same
            });
            impacts
        })
    }
}

/// The merged vocabularies: sorted names, and how each batch's local ids map onto them.
struct Merged<'a> {
    /// Every term and facet term, sorted.
    names: Vec<&'a str>,
    /// For each batch, its term ids -> rank in `names`.
    ranks: Vec<Vec<u32>>,
    /// Every accented form, in no particular order.
    forms: Vec<&'a str>,
    /// For each batch, its form ids -> index in `forms`.
    form_ids: Vec<Vec<u32>>,
    /// Rank of each facet term.
    facet_ranks: Vec<u32>,
}

/// Merges the batches' vocabularies and the facet terms into one sorted list of names.
fn merge_vocabularies<'a>(batches: &'a [Batch], facets: &'a [(String, Vec<u32>)]) -> Merged<'a> {
    let mut sources: Vec<Sharded<'a>> = batches
        .par_iter()
        .map(|batch| shard_vocabulary(&batch.vocabulary))
        .collect();
    sources.push(shard_entries(
        facets.len(),
        facets
            .iter()
            .enumerate()
            .map(|(local, (term, _))| (term.as_str(), local as u32)),
    ));
    let (names, mut local) = merge_distinct(&sources);
    drop(sources);
    let facet_ids = local.pop().unwrap_or_default();
    let form_sources: Vec<Sharded<'a>> = batches
        .par_iter()
        .map(|batch| shard_vocabulary(&batch.forms))
        .collect();
    let (forms, form_ids) = merge_distinct(&form_sources);
    drop(form_sources);
    let order = sorted_order(&names);
    let mut rank_of = vec![0u32; names.len()];
    for (rank, id) in order.iter().enumerate() {
        rank_of[*id as usize] = rank as u32;
    }
    let to_ranks =
        |ids: Vec<u32>| -> Vec<u32> { ids.into_iter().map(|id| rank_of[id as usize]).collect() };
    Merged {
        names: order.iter().map(|id| names[*id as usize]).collect(),
        ranks: local.into_par_iter().map(to_ranks).collect(),
        forms,
        form_ids,
        facet_ranks: to_ranks(facet_ids),
    }
}

/// The ids of `names` (distinct strings) in the strings' order. Each is sorted by its first
/// 8 bytes as an integer first, and by the whole string only when those are equal: most
/// comparisons then read no string (sorting the names by string showed in profiles).
fn sorted_order(names: &[&str]) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> = names
        .par_iter()
        .enumerate()
        .map(|(id, name)| (sort_prefix(name), id as u32))
        .collect();
    keyed.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| names[a.1 as usize].cmp(names[b.1 as usize]))
    });
    keyed.into_iter().map(|(_, id)| id).collect()
}

/// The first 8 bytes of `name`, big-endian and zero-padded: two strings whose prefixes
/// differ are in the order of their prefixes.
fn sort_prefix(name: &str) -> u64 {
    // Little-endian and zero-padded, byte-swapped: the first byte on top, the padding below.
    little_endian(&name.as_bytes()[..name.len().min(8)]).swap_bytes()
}

/// Shards the distinct strings are spread over by hash when vocabularies are merged: each
/// shard is merged on its own, in parallel (one map over every string, filled by one
/// thread, was a tenth of a second of a 10,000-page build with the other core idle).
const MERGE_SHARDS: usize = 64;

/// One list of strings to merge (a batch's vocabulary): its number of local ids, and its
/// (string, local id) pairs by shard ([`shard_of`]).
struct Sharded<'a> {
    len: usize,
    shards: Vec<Vec<(&'a str, u32)>>,
}

/// The shard of `text`: the top bits of its [`WordHasher`] hash.
fn shard_of(text: &str) -> usize {
    let mut hasher = WordHasher::default();
    std::hash::Hasher::write(&mut hasher, text.as_bytes());
    (std::hash::Hasher::finish(&hasher) >> (64 - MERGE_SHARDS.trailing_zeros())) as usize
}

/// The entries of a batch's vocabulary (string -> local id) by shard.
fn shard_vocabulary(vocabulary: &FastMap<Box<str>, u32>) -> Sharded<'_> {
    shard_entries(
        vocabulary.len(),
        vocabulary.iter().map(|(text, local)| (&**text, *local)),
    )
}

/// `entries` ((string, local id), the local ids below `len`) by shard.
fn shard_entries<'a>(len: usize, entries: impl Iterator<Item = (&'a str, u32)>) -> Sharded<'a> {
    let mut shards = vec![Vec::new(); MERGE_SHARDS];
    for (text, local) in entries {
        shards[shard_of(text)].push((text, local));
    }
    Sharded { len, shards }
}

/// The distinct strings of `sources`, and for each source its local ids -> index among
/// them. The strings come shard by shard, each shard's in the order the sources first give
/// them: the result does not depend on how the shards were shared between threads.
fn merge_distinct<'a>(sources: &[Sharded<'a>]) -> (Vec<&'a str>, Vec<Vec<u32>>) {
    let merged: Vec<(Vec<&'a str>, Vec<Vec<u32>>)> = (0..MERGE_SHARDS)
        .into_par_iter()
        .map(|shard| {
            let mut ids: FastMap<&'a str, u32> = FastMap::default();
            let mut distinct = Vec::new();
            let indexes = sources
                .iter()
                .map(|source| {
                    source.shards[shard]
                        .iter()
                        .map(|(text, _)| global_id(text, &mut ids, &mut distinct))
                        .collect()
                })
                .collect();
            (distinct, indexes)
        })
        .collect();
    let mut offsets = Vec::with_capacity(MERGE_SHARDS);
    let mut total = 0u32;
    for (distinct, _) in &merged {
        offsets.push(total);
        total += distinct.len() as u32;
    }
    let global = sources
        .par_iter()
        .enumerate()
        .map(|(at, source)| {
            let mut global = vec![0u32; source.len];
            for (shard, offset) in offsets.iter().enumerate() {
                let indexes: &Vec<u32> = &merged[shard].1[at];
                for ((_, local), index) in source.shards[shard].iter().zip(indexes) {
                    global[*local as usize] = offset + index;
                }
            }
            global
        })
        .collect();
    let names = merged
        .into_iter()
        .flat_map(|(distinct, _)| distinct)
        .collect();
    (names, global)
}

fn global_id<'a>(text: &'a str, ids: &mut FastMap<&'a str, u32>, list: &mut Vec<&'a str>) -> u32 {
    *ids.entry(text).or_insert_with(|| {
        list.push(text);
        list.len() as u32 - 1
    })
}

/// How many titles and sections hold each term, and the lengths BM25 averages.
struct Frequencies {
    /// By rank: the sections holding the term.
    body_df: Vec<u32>,
    /// By rank: the titles holding the term.
    title_df: Vec<u32>,
    /// Sum of the sections' lengths.
    section_total: u64,
    /// Number of sections.
    sections: usize,
    /// Sum of the titles' lengths.
    title_total: u64,
}

/// Counts [`Frequencies`] over every batch, in parallel: the counts are sums, the same
/// whatever the order.
fn count_frequencies(batches: &[Batch], ranks: &[Vec<u32>], terms: usize) -> Frequencies {
    let counters = || (0..terms).map(|_| AtomicU32::new(0)).collect::<Vec<_>>();
    let (body_df, title_df) = (counters(), counters());
    let count = |df: &[AtomicU32], ranks: &[u32], terms: &[(u32, u32)]| {
        for (id, _) in terms {
            df[ranks[*id as usize] as usize].fetch_add(1, Ordering::Relaxed);
        }
    };
    let (section_total, sections, title_total) = batches
        .par_iter()
        .zip(ranks)
        .map(|(batch, ranks)| {
            let (mut section_total, mut sections, mut title_total) = (0u64, 0usize, 0u64);
            for page in &batch.pages {
                title_total += u64::from(page.title.length);
                count(&title_df, ranks, batch.terms(&page.title));
                for section in batch.sections(page) {
                    section_total += u64::from(section.length);
                    sections += 1;
                    count(&body_df, ranks, batch.terms(section));
                }
            }
            (section_total, sections, title_total)
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    let values = |df: Vec<AtomicU32>| df.into_iter().map(AtomicU32::into_inner).collect();
    Frequencies {
        body_df: values(body_df),
        title_df: values(title_df),
        section_total,
        sections,
        title_total,
    }
}

/// Accented forms grouped by term rank, each form's sections sorted and deduplicated (a page
/// whose title and first section both use the form lists that section once).
fn exact_forms<'a>(
    exact: FastMap<(u32, u32), (Vec<u32>, Vec<u32>)>,
    forms: &[&'a str],
    terms: usize,
) -> Vec<Vec<(&'a str, Vec<u32>)>> {
    let mut by_rank: Vec<Vec<(&'a str, Vec<u32>)>> = vec![Vec::new(); terms];
    for ((rank, form), (mut ids, title)) in exact {
        ids.extend(title);
        ids.sort_unstable();
        ids.dedup();
        by_rank[rank as usize].push((forms[form as usize], ids));
    }
    for forms in &mut by_rank {
        forms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    }
    by_rank
}

fn mean(total: u64, count: usize) -> f64 {
    if count == 0 {
        return 1.0;
    }
    // Lengths are integers: their sum is exact in f64, whatever the order of addition.
    total as f64 / count as f64
}

/// BM25's term-frequency factor of `count` in a text of `length`, scaled by [`IMPACT_SCALE`].
fn bm25_impact(count: u32, length: u32, average: f64) -> u32 {
    let (tf, length) = (f64::from(count), f64::from(length));
    let norm = 1.0 - BM25_B + BM25_B * length / average.max(1.0);
    let factor = tf * (BM25_K1 + 1.0) / (tf + BM25_K1 * norm);
    ((factor * IMPACT_SCALE).round() as u32).clamp(1, 255)
}

#[cfg(test)]
mod short_key_tests {
    use super::{SHORT_RUN, short_key};

    /// The bytes little-endian and zero-padded, the length in the second word's top byte:
    /// "ab" and "ab" followed by a zero byte, or a word and its first 8 bytes, never meet.
    #[test]
    fn short_runs_are_packed_with_their_length() {
        assert_eq!(short_key(""), Some((0, 0)));
        assert_eq!(short_key("abc"), Some((0x63_6261, 3 << 56)));
        assert_eq!(short_key("ab\0"), Some((0x62_61, 3 << 56)));
        assert_eq!(short_key("ab"), Some((0x62_61, 2 << 56)));
        assert_eq!(
            short_key("abcdefgh"),
            Some((0x6867_6665_6463_6261, 8 << 56))
        );
        assert_eq!(
            short_key("abcdefghi"),
            Some((0x6867_6665_6463_6261, 0x69 | (9 << 56)))
        );
        let longest = "é".repeat(7) + "x";
        assert_eq!(longest.len(), SHORT_RUN);
        assert!(short_key(&longest).is_some());
        assert_eq!(short_key(&"x".repeat(SHORT_RUN + 1)), None);
    }
}

#[cfg(test)]
mod order_tests {
    use super::{sort_prefix, sorted_order};

    /// Prefixes keep the strings' order, and strings sharing 8 bytes are told apart whole.
    #[test]
    fn names_are_sorted_as_strings() {
        assert_eq!(sort_prefix("ab"), 0x6162_0000_0000_0000);
        assert_eq!(sort_prefix(""), 0);
        assert_eq!(sort_prefix("abcdefghij"), 0x6162_6364_6566_6768);
        let names = [
            "imprimantes",
            "ab",
            "~tags=vpn",
            "imprimante",
            "abc",
            "é",
            "imprimant",
            "a",
            "0x80070005",
        ];
        let order: Vec<&str> = sorted_order(&names)
            .into_iter()
            .map(|id| names[id as usize])
            .collect();
        let mut expected = names.to_vec();
        expected.sort_unstable();
        assert_eq!(order, expected);
    }
}

#[cfg(test)]
mod merge_tests {
    use super::*;

    fn sharded<'a>(texts: &[&'a str]) -> Sharded<'a> {
        shard_entries(
            texts.len(),
            texts
                .iter()
                .enumerate()
                .map(|(local, t)| (*t, local as u32)),
        )
    }

    /// Every source's local ids point at their own strings, and each string is listed once.
    #[test]
    fn merged_strings_are_distinct_and_each_local_id_finds_its_own() {
        let lists: [&[&str]; 3] = [
            &["imprimante", "redemarr", "vpn"],
            &["vpn", "serveur", "imprimante", "0x80070005"],
            &[],
        ];
        let sources: Vec<Sharded> = lists.iter().map(|l| sharded(l)).collect();
        let (names, global) = merge_distinct(&sources);
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            ["0x80070005", "imprimante", "redemarr", "serveur", "vpn"]
        );
        assert_eq!(global.len(), 3);
        for (list, ids) in lists.iter().zip(&global) {
            let found: Vec<&str> = ids.iter().map(|id| names[*id as usize]).collect();
            assert_eq!(&found, list);
        }
        assert_eq!(global[0][2], global[1][0], "vpn");
        assert_eq!(global[0][0], global[1][2], "imprimante");
    }

    /// The shards are the top six bits of the word hash: a string always lands in one shard,
    /// and a thousand strings use most of them.
    #[test]
    fn strings_spread_over_the_shards() {
        assert_eq!(MERGE_SHARDS.trailing_zeros(), 6);
        let mut hasher = WordHasher::default();
        std::hash::Hasher::write(&mut hasher, b"abc");
        assert_eq!(
            shard_of("abc"),
            (std::hash::Hasher::finish(&hasher) >> 58) as usize
        );
        let used: std::collections::BTreeSet<usize> =
            (0..1000).map(|n| shard_of(&format!("pc-{n}"))).collect();
        assert!(used.len() > 56, "{}", used.len());
    }

    fn doc(title: &str, blocks: &[&str]) -> SearchDoc {
        SearchDoc {
            url: format!("{title}/"),
            title: title.to_string(),
            language: "fr".to_string(),
            blocks: blocks
                .iter()
                .map(|text| SearchBlock {
                    text: text.to_string(),
                    ..SearchBlock::default()
                })
                .collect(),
            ..SearchDoc::default()
        }
    }

    /// A batch read back from the analysis cache is the batch analysed: same vocabularies
    /// (iterating in the same order), written forms, pages, sections and lists.
    #[test]
    fn a_batch_reads_back_as_it_was_analysed() {
        let docs = [
            doc(
                "Imprimante bloquée",
                &["imprimante serveur", "Serveur réseau"],
            ),
            doc("Serveur", &["imprimante imprimante", "l'éclairage été"]),
        ];
        let pages: Vec<&SearchDoc> = docs.iter().collect();
        let batch = analyse_pages(&pages, "fr").remove(0);
        assert!(batch.is_consistent());
        let back = Batch::decode(&batch.encode()).unwrap();
        let listed = |map: &FastMap<Box<str>, u32>| -> Vec<(String, u32)> {
            map.iter().map(|(k, v)| (k.to_string(), *v)).collect()
        };
        assert!(!batch.vocabulary.is_empty());
        assert_eq!(listed(&back.vocabulary), listed(&batch.vocabulary));
        assert_eq!(listed(&back.forms), listed(&batch.forms));
        assert_eq!(back.written, batch.written);
        assert_eq!(back.terms, batch.terms);
        assert_eq!(back.exact, batch.exact);
        let counted = |c: &Counted| (c.length, c.terms, c.exact);
        assert_eq!(
            back.pages
                .iter()
                .map(|p| (counted(&p.title), p.sections))
                .collect::<Vec<_>>(),
            batch
                .pages
                .iter()
                .map(|p| (counted(&p.title), p.sections))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            back.sections.iter().map(counted).collect::<Vec<_>>(),
            batch.sections.iter().map(counted).collect::<Vec<_>>()
        );
        let bytes = batch.encode();
        for len in 0..bytes.len() {
            assert!(Batch::decode(&bytes[..len]).is_none(), "cut at {len}");
        }
    }

    /// Document frequencies and lengths counted in parallel over batches are the exact
    /// counts: "imprimante" in 2 titles and 3 sections, "serveur" in 1 title and 2 sections.
    #[test]
    fn frequencies_are_exact_counts() {
        let docs = [
            doc("Imprimante bloquée", &["imprimante serveur", "serveur"]),
            doc("Serveur", &["imprimante imprimante"]),
            doc("Imprimante", &["vpn"]),
        ];
        let pages: Vec<&SearchDoc> = docs.iter().collect();
        let batches = analyse_pages(&pages, "fr");
        let terms = Terms::gather(&batches, &[]);
        let rank = |name: &str| terms.names.binary_search(&name).unwrap();
        let Merged { ranks, .. } = merge_vocabularies(&batches, &[]);
        let counted = count_frequencies(&batches, &ranks, terms.names.len());
        let imprimante = rank(&crate::search::analyse("imprimante", "fr")[0].key);
        let serveur = rank(&crate::search::analyse("serveur", "fr")[0].key);
        assert_eq!(
            (counted.title_df[imprimante], counted.body_df[imprimante]),
            (2, 2)
        );
        assert_eq!(
            (counted.title_df[serveur], counted.body_df[serveur]),
            (1, 2)
        );
        assert_eq!((counted.sections, counted.section_total), (4, 6));
        assert_eq!(counted.title_total, 4);
        assert_eq!(terms.body[imprimante].len(), 2);
        // Length 1 against an average title of 4 / 3: 8 × 2.2 / (1 + 1.2 × 0.8125), rounded.
        assert_eq!(terms.title[serveur], vec![(1, 9)]);
    }
}
