//! Scoring, the twin of the ranking part of search.js: from the postings of the query's terms
//! to one scored result per page, its best section first and its other matching sections
//! grouped under it.
//!
//! A section scores Σ weight·idf·impact over its body postings (weight 1 for the query's own
//! key, [`PREFIX_WEIGHT`] for completions of the last word, [`TYPO_WEIGHTS`] for corrections,
//! [`SYNONYM_WEIGHT`] for synonyms), plus [`EXACT_BONUS`]·idf where the accented spelling
//! matches exactly, plus the page's title score ([`TITLE_WEIGHT`]) raised by
//! [`TITLE_COVERAGE`] times the squared share of the query the title covers; the sum is
//! multiplied by the squared share of the query the section and title cover together.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use super::index::{IMPACT_SCALE, SECTION_BITS};

/// Weight of a term found by completing the last word.
pub(crate) const PREFIX_WEIGHT: f64 = 0.7;
/// Weight of a term found by correcting a word, by edit distance (1, then 2).
pub(crate) const TYPO_WEIGHTS: [f64; 2] = [0.6, 0.4];
/// Weight of a synonym: below 1, so the same evidence for the word itself ranks higher.
pub(crate) const SYNONYM_WEIGHT: f64 = 0.6;
/// Title matches weigh this much more than body matches.
pub(crate) const TITLE_WEIGHT: f64 = 2.0;
/// A title covering the whole query has its score multiplied by 1 + this: the page that is
/// about the query outranks a section that repeats one of its words.
pub(crate) const TITLE_COVERAGE: f64 = 1.5;
/// Bonus, times idf, for the exact accented spelling.
pub(crate) const EXACT_BONUS: f64 = 0.3;
/// Other matching sections of a page listed under its result.
pub(crate) const MORE_SECTIONS: usize = 3;

/// A section's or a title's score and the query groups it matched: bit `g` for group `g`
/// matched by the query's own words, bit `32 + g` for group `g` matched by a synonym.
pub(crate) type Slot = (f64, u64);
/// The bits of a mask that are groups matched by the query's own words.
const OWN: u64 = 0xffff_ffff;

/// The decoded postings of one term: all of them, or the head, titles and blocks read so far
/// (see [`super::tiers`]).
pub(crate) struct Entry {
    /// (section id, impact).
    pub body: Vec<(u32, f64)>,
    /// (page id, impact).
    pub title: Vec<(u32, f64)>,
    /// Accented form -> sections (or pages' first sections) using it.
    pub exact: BTreeMap<String, Vec<u32>>,
    /// Sections and titles having the term in all, read or not (the idf).
    pub df: (usize, usize),
    /// Pages having the term in all.
    pub pages: usize,
    /// What is not read yet, for a term cut into tiers.
    pub unread: Option<Unread>,
}

/// The part of a term's postings not read yet.
#[derive(Clone)]
pub(crate) struct Unread {
    /// The term, to name the blocks a query wants read.
    pub term: String,
    /// The largest reach of a page outside the head: the most the term can add to one of
    /// its sections' scores before coverage (see [`super::tiers`]).
    pub reach: f64,
    /// The pages of the head: everything the term gives them is known.
    pub read: IdSet,
    /// Once the titles are read, what the blocks not read yet can add to a page's body.
    pub blocks: Option<BlockBounds>,
}

/// The bounds of a term's blocks once its titles are read: a page outside the head is in
/// the titled list when it has the term in its title, else in the other list.
#[derive(Clone)]
pub(crate) struct BlockBounds {
    /// Pages outside the head having the term in their title.
    pub titled: IdSet,
    /// Each list's shift and the maximum of each block not read (0 once read or empty).
    pub lists: [(u32, Vec<f64>); 2],
}

impl Unread {
    /// The most the term can still add to a section of `page` (0 when the page is known
    /// whole for the term).
    pub(crate) fn gain(&self, page: u32) -> f64 {
        if self.read.contains(&page) {
            return 0.0;
        }
        match &self.blocks {
            None => self.reach,
            Some(bounds) => {
                let (shift, maxima) = &bounds.lists[bounds.list_of(page)];
                let max = maxima.get((page >> shift) as usize).copied();
                max.unwrap_or(0.0).min(self.reach)
            }
        }
    }

    /// The most the term can still add to a page that no term lists, in the pages
    /// `fine << shift` to `(fine + 1) << shift` (`shift` no larger than the term's own).
    fn unlisted_gain(&self, fine: usize, shift: u32) -> f64 {
        match &self.blocks {
            None => self.reach,
            Some(bounds) => {
                let (own, maxima) = &bounds.lists[1];
                let block = fine >> (own - shift);
                maxima.get(block).copied().unwrap_or(0.0).min(self.reach)
            }
        }
    }
}

impl BlockBounds {
    /// The list holding `page`'s body: 0 when it has the term in its title, else 1.
    fn list_of(&self, page: u32) -> usize {
        usize::from(!self.titled.contains(&page))
    }
}

/// A block a query wants read: (term, list, block).
pub(crate) type WantedBlock = (String, usize, usize);

/// A set of page ids.
pub(crate) type IdSet = std::collections::HashSet<u32, BuildHasherDefault<IdHasher>>;

/// A term used by the query whose postings are not all read: a page it does not list may
/// still gain up to `weight` times the term's gain for the groups in `mask`.
struct Pending {
    weight: f64,
    mask: u64,
    unread: Unread,
}

impl Pending {
    fn gain(&self, page: u32) -> f64 {
        self.weight * self.unread.gain(page)
    }
}

/// Hashes the u32 ids of sections and pages with one multiplication. They come from our own
/// index, not from someone choosing collisions, and a common word's postings are tens of
/// thousands of sections: SipHash or a B-tree cost more there than the arithmetic.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        // The product's high half is the well-mixed one; the table takes its low bits.
        self.0.rotate_left(32)
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.write_u32(u32::from(*byte) ^ (self.0 as u32));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// A map keyed by section or page id.
pub(crate) type IdMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;

/// The scores being summed: by section and by page title.
#[derive(Default)]
pub(crate) struct Scores {
    body: IdMap<Slot>,
    title: IdMap<Slot>,
    sections: f64,
    pages: f64,
    pending: Vec<Pending>,
}

impl Scores {
    /// Empty scores over an index of `sections` sections and `pages` pages.
    pub(crate) fn new(sections: u32, pages: u32) -> Self {
        Scores {
            sections: f64::from(sections),
            pages: f64::from(pages),
            ..Scores::default()
        }
    }

    /// Adds one term's postings at `weight` for the groups in `mask`; `exact` is the accented
    /// spelling typed, given only for the query's own key.
    pub(crate) fn add_term(&mut self, entry: &Entry, weight: f64, mask: u64, exact: Option<&str>) {
        if let Some(unread) = &entry.unread {
            // The reach includes the exact bonus, which only the weight-1 own key gets.
            self.pending.push(Pending {
                weight,
                mask,
                unread: unread.clone(),
            });
        }
        let idf = idf_of(self.sections, entry.df.0 as f64);
        self.body.reserve(entry.body.len());
        for (id, impact) in &entry.body {
            add(
                &mut self.body,
                *id,
                weight * idf * impact / IMPACT_SCALE,
                mask,
            );
        }
        let title_idf = idf_of(self.pages, entry.df.1 as f64);
        for (page, impact) in &entry.title {
            let score = weight * TITLE_WEIGHT * title_idf * impact / IMPACT_SCALE;
            add(&mut self.title, *page, score, mask);
        }
        if let Some(ids) = exact.and_then(|e| entry.exact.get(e)) {
            for id in ids {
                add(&mut self.body, *id, EXACT_BONUS * idf, mask);
            }
        }
    }

    /// Adds the synonyms of a span of the query (the groups in `mask`): each alternative is a
    /// list of terms that must all be in a section (or a title); a section takes the best of
    /// the alternatives it has, each worth the mean of its terms, at [`SYNONYM_WEIGHT`].
    pub(crate) fn add_synonyms(&mut self, alternatives: &[Vec<Entry>], mask: u64) {
        let mask = mask << 32;
        let mut body: IdMap<f64> = IdMap::default();
        let mut title: IdMap<f64> = IdMap::default();
        for terms in alternatives {
            let mut alternative_body: IdMap<(f64, usize)> = IdMap::default();
            let mut alternative_title: IdMap<(f64, usize)> = IdMap::default();
            for entry in terms {
                let idf = idf_of(self.sections, entry.df.0 as f64);
                for (id, impact) in &entry.body {
                    let slot = alternative_body.entry(*id).or_insert((0.0, 0));
                    slot.0 += idf * impact / IMPACT_SCALE;
                    slot.1 += 1;
                }
                let title_idf = idf_of(self.pages, entry.df.1 as f64);
                for (page, impact) in &entry.title {
                    let slot = alternative_title.entry(*page).or_insert((0.0, 0));
                    slot.0 += TITLE_WEIGHT * title_idf * impact / IMPACT_SCALE;
                    slot.1 += 1;
                }
            }
            let count = terms.len();
            keep_best(&mut body, &alternative_body, count);
            keep_best(&mut title, &alternative_title, count);
        }
        for (id, score) in body {
            add(&mut self.body, id, SYNONYM_WEIGHT * score, mask);
        }
        for (page, score) in title {
            add(&mut self.title, page, SYNONYM_WEIGHT * score, mask);
        }
    }

    /// What the terms not read whole could still add to `page`, and their groups; None
    /// when the page is known whole.
    fn missing(&self, page: u32) -> Option<(f64, u64)> {
        self.pending.iter().fold(None, |sum, p| {
            let gain = p.gain(page);
            if gain <= 0.0 {
                return sum;
            }
            let (reach, mask) = sum.unwrap_or((0.0, 0));
            Some((reach + gain, mask | as_own(p.mask)))
        })
    }

    /// The finest shift of the other-pages lists of the terms whose titles are read (None
    /// when no term's are).
    fn finest_shift(&self) -> Option<u32> {
        self.pending
            .iter()
            .filter_map(|p| p.unread.blocks.as_ref().map(|b| b.lists[1].0))
            .min()
    }

    /// The highest score a page no term lists could reach, by range of pages at the finest
    /// shift of the terms' blocks (one range for all pages while no titles are read), for
    /// the ranges where it is above 0. `share` is the query's coverage of a mask.
    fn unlisted_bounds(&self, share: &impl Fn(u64) -> f64) -> Vec<(usize, f64)> {
        if self.pending.is_empty() {
            return Vec::new();
        }
        let (shift, ranges) = match self.finest_shift() {
            Some(shift) => (shift, (self.pages as usize).div_ceil(1 << shift).max(1)),
            None => (0, 1),
        };
        (0..ranges)
            .filter_map(|fine| {
                let (reach, groups) =
                    self.pending.iter().fold((0.0, 0u64), |(reach, groups), p| {
                        let gain = p.weight * p.unread.unlisted_gain(fine, shift);
                        if gain <= 0.0 {
                            return (reach, groups);
                        }
                        (reach + gain, groups | as_own(p.mask))
                    });
                let covered = share(groups).min(1.0);
                (reach > 0.0).then_some((fine, reach * covered * covered))
            })
            .collect()
    }

    /// The blocks to read next so that the results shown, the last at `threshold`, can be
    /// settled. Each of `candidates` (a page's bound reaching the threshold, and the page) wants
    /// the blocks holding it of the terms whose titles are read, and each range of pages no
    /// term lists whose bound reaches the threshold wants its other-pages blocks; the `count`
    /// of them with the highest bounds are read together, best first as in block-max WAND:
    /// what they hold raises the threshold, which may rule the others out. `group_count` is
    /// the query's groups.
    pub(crate) fn wanted_blocks(
        &self,
        threshold: f64,
        candidates: &[(f64, u32)],
        group_count: usize,
        count: usize,
    ) -> Vec<WantedBlock> {
        let share = |mask: u64| share_of(mask, group_count);
        // (bound, range or page, its blocks), the ranges after the pages at the same bound.
        let mut wants: Vec<(f64, (bool, usize), Vec<WantedBlock>)> = Vec::new();
        for (bound, page) in candidates {
            let mut blocks = Vec::new();
            for p in &self.pending {
                if let Some(bounds) = &p.unread.blocks
                    && p.unread.gain(*page) > 0.0
                {
                    let list = bounds.list_of(*page);
                    let block = (page >> bounds.lists[list].0) as usize;
                    blocks.push((p.unread.term.clone(), list, block));
                }
            }
            wants.push((*bound, (false, *page as usize), blocks));
        }
        if let Some(shift) = self.finest_shift() {
            for (fine, bound) in self.unlisted_bounds(&share) {
                if bound < threshold {
                    continue;
                }
                let mut blocks = Vec::new();
                for p in &self.pending {
                    if let Some(bounds) = &p.unread.blocks
                        && p.unread.unlisted_gain(fine, shift) > 0.0
                    {
                        let block = fine >> (bounds.lists[1].0 - shift);
                        blocks.push((p.unread.term.clone(), 1, block));
                    }
                }
                wants.push((bound, (true, fine), blocks));
            }
        }
        wants.retain(|(_, _, blocks)| !blocks.is_empty());
        wants.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut wanted: Vec<WantedBlock> = wants
            .into_iter()
            .take(count.max(1))
            .flat_map(|(_, _, blocks)| blocks)
            .collect();
        wanted.sort();
        wanted.dedup();
        wanted
    }

    /// One result per page (see [`Scored`]), in no particular order, keeping only the pages
    /// `allowed` lets through; with the most a page no term has listed yet could score (None
    /// when every term is read whole).
    pub(crate) fn results(
        &self,
        group_count: usize,
        allowed: impl Fn(u32) -> bool,
    ) -> (Vec<Scored>, Option<f64>) {
        let share = |mask: u64| share_of(mask, group_count);
        let title_slot = |page: u32| self.title.get(&page).copied().unwrap_or((0.0, 0));
        let title_of = |page: u32| {
            let (score, mask) = title_slot(page);
            let coverage = share(mask);
            (score * (1.0 + TITLE_COVERAGE * coverage * coverage), mask)
        };
        // The most a page could still gain from the terms not read whole, and their groups
        // (counted as the query's own: a bound may only be too high).
        let missing = |page: u32| self.missing(page);
        // The highest score a section of `page` holding `body` for the groups in `mask` could
        // reach once every term is read.
        let upper = |page: u32, body: f64, mask: u64, (reach, groups): (f64, u64)| {
            let (title, title_mask) = title_slot(page);
            let covered = share(as_own(mask | title_mask) | groups);
            let covered = covered.min(1.0);
            (body + title * (1.0 + TITLE_COVERAGE) + reach) * covered * covered
        };
        // (page, score, section, own, body score, mask) of every matching section, then
        // grouped by page with its best section first: one sort instead of a list per page.
        let mut sections: Vec<(u32, f64, u32, bool, f64, u64)> =
            Vec::with_capacity(self.body.len());
        for (section, (score, mask)) in &self.body {
            let page = section >> SECTION_BITS;
            if !allowed(page) {
                continue;
            }
            let (title_score, title_mask) = title_of(page);
            let covered = share(mask | title_mask);
            let total = (score + title_score) * covered * covered;
            let own = (mask | title_mask) & OWN != 0;
            sections.push((page, total, *section, own, *score, *mask));
        }
        sections
            .sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut results: IdMap<Scored> = IdMap::default();
        for of_page in sections.chunk_by(|a, b| a.0 == b.0) {
            let (page, score, section, _, _, _) = of_page[0];
            let more = of_page[1..].iter().take(MORE_SECTIONS).map(|s| s.2);
            let bound = missing(page).map(|gain| {
                let title_only = upper(page, 0.0, 0, gain);
                of_page
                    .iter()
                    .map(|s| upper(page, s.4, s.5, gain))
                    .fold(title_only, f64::max)
            });
            results.insert(
                page,
                Scored {
                    score,
                    section,
                    own: of_page.iter().any(|s| s.3),
                    more: more.collect(),
                    upper: bound,
                },
            );
        }
        for page in self.title.keys() {
            if !allowed(*page) {
                continue;
            }
            let (title_score, title_mask) = title_of(*page);
            let covered = share(title_mask);
            let score = title_score * covered * covered;
            match results.get_mut(page) {
                None => {
                    results.insert(
                        *page,
                        Scored {
                            score,
                            section: page << SECTION_BITS,
                            own: title_mask & OWN != 0,
                            more: Vec::new(),
                            upper: missing(*page).map(|gain| upper(*page, 0.0, 0, gain)),
                        },
                    );
                }
                // A title-only result replaces the page's best section only when higher.
                Some(result) if score > result.score => {
                    let mut more = vec![result.section];
                    more.append(&mut result.more);
                    more.truncate(MORE_SECTIONS);
                    *result = Scored {
                        score,
                        section: page << SECTION_BITS,
                        own: result.own,
                        more,
                        upper: result.upper,
                    };
                }
                Some(_) => {}
            }
        }
        let unseen = self
            .unlisted_bounds(&share)
            .into_iter()
            .map(|(_, bound)| bound)
            .reduce(f64::max);
        (results.into_values().collect(), unseen)
    }
}

/// A page's result before it is shown: its best section and its score, whether it matched the
/// query's own words (else synonyms only: those pages come after the others, so a synonym
/// never outranks the word itself), and the page's other matching sections, best first.
/// The bound of a page not read whole takes its title at full coverage and every group of an
/// unread term as covered, so it is never below what reading every posting gives.
#[derive(Debug, Clone)]
pub(crate) struct Scored {
    pub score: f64,
    pub section: u32,
    pub own: bool,
    pub more: Vec<u32>,
    /// For a page some term has not listed whole: the highest score it could reach once
    /// every term is read (its `score` is then only a lower bound).
    pub upper: Option<f64>,
}

fn add(map: &mut IdMap<Slot>, id: u32, score: f64, mask: u64) {
    let slot = map.entry(id).or_insert((0.0, 0));
    slot.0 += score;
    slot.1 |= mask;
}

/// Keeps, for each id having all `count` terms of an alternative, the higher of its mean and
/// the best so far.
fn keep_best(best: &mut IdMap<f64>, found: &IdMap<(f64, usize)>, count: usize) {
    for (id, (sum, seen)) in found {
        if *seen == count {
            let mean = sum / count as f64;
            let slot = best.entry(*id).or_insert(0.0);
            if mean > *slot {
                *slot = mean;
            }
        }
    }
}

/// The groups of `mask`, those matched only by a synonym counted as matched by the query's
/// own words: what a bound assumes, as a bound may only be too high.
fn as_own(mask: u64) -> u64 {
    (mask & OWN) | (mask >> 32)
}

/// The share of the query's `group_count` groups that `mask` covers; a group matched only
/// by a synonym counts for [`SYNONYM_WEIGHT`] of a group.
fn share_of(mask: u64, group_count: usize) -> f64 {
    let own = mask & OWN;
    let synonyms = (mask >> 32) & !own;
    (f64::from(own.count_ones()) + SYNONYM_WEIGHT * f64::from(synonyms.count_ones()))
        / group_count as f64
}

/// BM25's idf, always positive.
pub(crate) fn idf_of(count: f64, df: f64) -> f64 {
    (1.0 + (count - df + 0.5) / (df + 0.5)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A term of 64 sections over 16 pages whose head is page 0, page 5 titled outside it,
    /// titled blocks of 4 pages and other blocks of 8.
    fn blocked_scores() -> Scores {
        let mut read = IdSet::default();
        read.insert(0);
        let mut titled = IdSet::default();
        titled.insert(5);
        let entry = Entry {
            body: Vec::new(),
            title: Vec::new(),
            exact: BTreeMap::new(),
            df: (10, 1),
            pages: 12,
            unread: Some(Unread {
                term: "t".to_string(),
                reach: 3.0,
                read,
                blocks: Some(BlockBounds {
                    titled,
                    lists: [(2, vec![0.0, 2.0, 0.0, 0.0]), (3, vec![1.0, 4.0])],
                }),
            }),
        };
        let mut scores = Scores::new(64, 16);
        scores.add_term(&entry, 1.0, 1, None);
        scores
    }

    #[test]
    fn a_page_gains_at_most_its_blocks_maximum_and_never_more_than_the_reach() {
        let scores = blocked_scores();
        // The head is known; page 5 is in the titled list's block 1; page 9 in the other
        // list's block 1, bounded by the reach; pages 2 and 4 in its block 0.
        let gains: Vec<f64> = [0, 5, 9, 2, 4]
            .iter()
            .map(|p| scores.pending[0].gain(*p))
            .collect();
        assert_eq!(gains, [0.0, 2.0, 3.0, 1.0, 1.0]);
        assert_eq!(scores.missing(0), None);
        assert_eq!(scores.missing(5), Some((2.0, 1)));
        // A page no term lists: its range's bound, at full coverage of the one group.
        let share = |mask: u64| share_of(mask, 1);
        assert_eq!(scores.unlisted_bounds(&share), [(0, 1.0), (1, 3.0)]);
    }

    #[test]
    fn the_blocks_of_the_highest_bounds_are_read_first() {
        let scores = blocked_scores();
        let candidates = [(2.5, 5), (2.0, 2)];
        // Pages 8 to 15 unlisted could reach 3.0: their block first, then page 5's, page 2's;
        // pages 0 to 7 unlisted (1.0) are below the threshold.
        assert_eq!(
            scores.wanted_blocks(1.5, &candidates, 1, 1),
            [("t".to_string(), 1, 1)]
        );
        assert_eq!(
            scores.wanted_blocks(1.5, &candidates, 1, 2),
            [("t".to_string(), 0, 1), ("t".to_string(), 1, 1)]
        );
        assert_eq!(
            scores.wanted_blocks(0.5, &candidates, 1, 10),
            [
                ("t".to_string(), 0, 1),
                ("t".to_string(), 1, 0),
                ("t".to_string(), 1, 1)
            ]
        );
    }
}
