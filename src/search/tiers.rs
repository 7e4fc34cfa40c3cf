//! Impact-ordered tiers of a large term's postings: a term whose entry passes [`TIER_BYTES`]
//! keeps in its term chunk only a head, the postings of the pages that could score highest for
//! it, and the rest goes to tier files fetched only when the results shown could change.
//!
//! Pages are ranked by their *reach* for the term: the highest score one of its sections can
//! take from the term alone (body impact and exact-spelling bonus of its best section, plus its
//! title at full coverage), computed with the same idf the query uses. The head takes the
//! pages of highest reach until about [`HEAD_BYTES`]; each next tier is [`GROWTH`] times
//! larger. A page's postings (body, title, accented forms) are all in one tier, so a page found
//! in the tiers read is known whole for that term; each tier's entry in the head gives the
//! largest reach of its pages (rounded up), which bounds what any page not yet read can gain.
//!
//! The head entry is `[body, title, {form: ids}, [body count, title count, pages,
//! [[reach, file], …]]]`: the counts are the whole term's (for idf and completions), `pages`
//! the number of pages having the term; each tier file is `[body ids, body impacts, title
//! pages, title impacts, {form: [body runs, title runs]}]` (see [`tier_json`]).

use super::chunks::{push_forms, push_ids, push_json_string, push_number, push_pairs};
use super::hash::content_hash;
use super::postings::{IMPACT_SCALE, SECTION_BITS, Terms};
use super::rank::{EXACT_BONUS, TITLE_COVERAGE, TITLE_WEIGHT, idf_of};

/// Entries whose JSON passes this many bytes are cut into tiers.
pub(crate) const TIER_BYTES: usize = 48_000;
/// About this many bytes of postings stay in the head.
const HEAD_BYTES: usize = 12_000;
/// Each tier after the head is this many times larger than the one before.
const GROWTH: usize = 4;
/// Estimated JSON bytes of a body or title posting, and of an accented form's id: enough to
/// size the tiers, which need not be exact.
const PAIR_BYTES: usize = 8;
const ID_BYTES: usize = 5;

/// A cut entry: the head's JSON (in place of the whole entry) and the tier files, as
/// (path relative to `search/<lang>/`, bytes).
pub(crate) struct Cut {
    pub head: String,
    pub files: Vec<(String, Vec<u8>)>,
}

/// What one page holds of a term, to rank it and size its tier.
#[derive(Clone, Copy, Default)]
struct PageReach {
    body: u32,
    title: u32,
    exact: bool,
    bytes: usize,
}

/// Cuts the entry of the word at `rank` into a head and tiers; `pages` is the number of pages
/// of the index (the title idf).
pub(crate) fn cut_entry(terms: &Terms, rank: usize, pages: usize) -> Cut {
    let body = &terms.body[rank];
    let title = &terms.title[rank];
    let exact = &terms.exact[rank];
    let reach_of = reaches(terms, rank, pages);
    let order = ranked_pages(&reach_of, terms, rank, pages);
    let tier_of = tiers(&order, &reach_of);
    let tier_count = tier_of.iter().copied().max().map_or(1, |t| t as usize + 1);
    let mut parts: Vec<String> = (0..tier_count)
        .map(|tier| {
            let (body, title, exact) = tier_postings(body, title, exact, &tier_of, tier as u8);
            match tier {
                0 => head_json(&body, &title, &exact),
                _ => tier_json(&body, &title, &exact),
            }
        })
        .collect();
    let mut files = Vec::new();
    let mut table = String::from("[");
    for (tier, json) in parts.iter_mut().enumerate().skip(1) {
        // The tier's first page in reach order has its largest reach.
        let largest = order
            .iter()
            .find(|(p, _)| tier_of[*p as usize] as usize == tier)
            .map_or(0.0, |(_, r)| *r);
        let name = format!("t/{}.json", content_hash(json.as_bytes()));
        if table.len() > 1 {
            table.push(',');
        }
        table.push('[');
        table.push_str(&reach_text(largest));
        table.push(',');
        push_json_string(&mut table, &name);
        table.push(']');
        files.push((name, std::mem::take(json).into_bytes()));
    }
    table.push(']');
    let page_count = reach_of.iter().filter(|r| r.bytes > 0).count();
    let mut head = std::mem::take(&mut parts[0]);
    head.pop();
    head.push_str(&format!(
        ",[{},{},{page_count},{table}]]",
        body.len(),
        title.len()
    ));
    Cut { head, files }
}

/// By page id: the page's best body impact, title impact, whether it has an accented form,
/// and the estimated bytes of its postings (0 for pages without the term).
fn reaches(terms: &Terms, rank: usize, pages: usize) -> Vec<PageReach> {
    let mut reach_of = vec![PageReach::default(); pages];
    for (id, impact) in &terms.body[rank] {
        let slot = &mut reach_of[(id >> SECTION_BITS) as usize];
        slot.body = slot.body.max(*impact);
        slot.bytes += PAIR_BYTES;
    }
    for (page, impact) in &terms.title[rank] {
        let slot = &mut reach_of[*page as usize];
        slot.title = *impact;
        slot.bytes += PAIR_BYTES;
    }
    for (_, ids) in &terms.exact[rank] {
        for id in ids {
            let slot = &mut reach_of[(id >> SECTION_BITS) as usize];
            slot.exact = true;
            slot.bytes += ID_BYTES;
        }
    }
    reach_of
}

/// The highest score one section of a page can take from this term alone: [`super::rank`]'s
/// sum with the page's best body impact, the exact bonus if it has an accented form, and its
/// title at full coverage.
fn reach(page: &PageReach, terms: &Terms, rank: usize, pages: usize) -> f64 {
    let idf = idf_of(terms.sections as f64, terms.body[rank].len() as f64);
    let title_idf = idf_of(pages as f64, terms.title[rank].len() as f64);
    let mut score = idf * f64::from(page.body) / IMPACT_SCALE;
    if page.exact {
        score += EXACT_BONUS * idf;
    }
    score + TITLE_WEIGHT * title_idf * f64::from(page.title) / IMPACT_SCALE * (1.0 + TITLE_COVERAGE)
}

/// A reach as written in the head: rounded up to the thousandth, plus a thousandth, so the
/// bound holds whatever the order in which a query adds the same numbers.
fn reach_text(reach: f64) -> String {
    let rounded = ((reach * 1000.0).ceil() + 1.0) / 1000.0;
    format!("{rounded}")
}

/// The pages having the term, highest reach first, then by id, with the reach of each.
fn ranked_pages(
    reach_of: &[PageReach],
    terms: &Terms,
    rank: usize,
    pages: usize,
) -> Vec<(u32, f64)> {
    let mut order: Vec<(u32, f64)> = (0..reach_of.len() as u32)
        .filter(|p| reach_of[*p as usize].bytes > 0)
        .map(|p| (p, reach(&reach_of[p as usize], terms, rank, pages)))
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    order
}

/// By page id: the tier of each page having the term (0 is the head). Each tier ends where
/// the next page's reach is lower than its last one's, when that is close to the tier's size,
/// so the bound of the next tier is below every page of this one.
fn tiers(order: &[(u32, f64)], reach_of: &[PageReach]) -> Vec<u8> {
    let mut tier_of = vec![0u8; reach_of.len()];
    let mut start = 0;
    let mut budget = HEAD_BYTES;
    let mut tier = 0u8;
    while start < order.len() {
        let mut end = start;
        let mut bytes = 0;
        while end < order.len() && bytes < budget {
            bytes += reach_of[order[end].0 as usize].bytes;
            end += 1;
        }
        end = tie_end(order, start, end);
        if tier == u8::MAX {
            end = order.len();
        }
        for (page, _) in &order[start..end] {
            tier_of[*page as usize] = tier;
        }
        start = end;
        tier += 1;
        budget *= GROWTH;
    }
    tier_of
}

/// Moves the end of a tier back to where the reach changes, if that keeps at least half of
/// it; else forward to where it changes.
fn tie_end(order: &[(u32, f64)], start: usize, end: usize) -> usize {
    if end >= order.len() || end == start {
        return end;
    }
    let key = |i: usize| order[i].1;
    let mut back = end;
    while back > start && key(back - 1) == key(back) {
        back -= 1;
    }
    if back > start && back - start >= (end - start) / 2 {
        return back;
    }
    let mut forward = end;
    while forward < order.len() && key(forward) == key(end - 1) {
        forward += 1;
    }
    forward
}

/// A form and the ids using it.
type Form<'a> = (&'a str, Vec<u32>);
/// (id, impact) postings.
type Postings = Vec<(u32, u32)>;

/// The body postings, title postings and accented forms of the pages in `tier`.
fn tier_postings<'a>(
    body: &[(u32, u32)],
    title: &[(u32, u32)],
    exact: &[Form<'a>],
    tier_of: &[u8],
    tier: u8,
) -> (Postings, Postings, Vec<Form<'a>>) {
    let in_tier = |id: u32| tier_of[(id >> SECTION_BITS) as usize] == tier;
    let body = body
        .iter()
        .copied()
        .filter(|(id, _)| in_tier(*id))
        .collect();
    let title = title
        .iter()
        .copied()
        .filter(|(page, _)| tier_of[*page as usize] == tier)
        .collect();
    let exact = exact
        .iter()
        .map(|(form, ids)| {
            (
                *form,
                ids.iter().copied().filter(|id| in_tier(*id)).collect(),
            )
        })
        .filter(|(_, ids): &Form| !ids.is_empty())
        .collect();
    (body, title, exact)
}

/// The head: `[body, title, {form: ids}]` as a whole entry of a chunk is written (the
/// tier table is added after it).
fn head_json(body: &[(u32, u32)], title: &[(u32, u32)], exact: &[Form]) -> String {
    let mut out = String::with_capacity(16 + (body.len() + title.len()) * PAIR_BYTES);
    out.push('[');
    push_pairs(&mut out, body);
    out.push(',');
    push_pairs(&mut out, title);
    out.push(',');
    push_forms(&mut out, exact, push_ids);
    out.push(']');
    out
}

/// A tier file: `[body ids, body impacts, title pages, title impacts, {form: [body runs,
/// title runs]}]`, ids and pages delta-encoded. Ids and impacts apart gzip smaller than
/// interleaved (5–7% on the 100,000-page corpus's tiers). A form's ids are runs over the
/// tier's own lists: a section using it is one of the body postings, a title using it is the
/// page's first section (see [`runs`]); an id found in neither, which the index does not
/// write, would follow as a third list. Written as ids, the form of a word typed with its
/// accents ("redémarrer") was a third of its tiers' bytes, repeating the body's ids.
fn tier_json(body: &[(u32, u32)], title: &[(u32, u32)], exact: &[Form]) -> String {
    let mut out = String::with_capacity(16 + (body.len() + title.len()) * PAIR_BYTES);
    out.push('[');
    let body_ids: Vec<u32> = body.iter().map(|(id, _)| *id).collect();
    let title_pages: Vec<u32> = title.iter().map(|(page, _)| *page).collect();
    push_ids(&mut out, &body_ids);
    out.push(',');
    push_plain(&mut out, body.iter().map(|(_, impact)| *impact));
    out.push(',');
    push_ids(&mut out, &title_pages);
    out.push(',');
    push_plain(&mut out, title.iter().map(|(_, impact)| *impact));
    out.push(',');
    push_forms(&mut out, exact, |out, ids| {
        let (in_body, in_title, other) = form_positions(ids, &body_ids, &title_pages);
        out.push('[');
        push_plain(out, runs(&in_body).into_iter());
        out.push(',');
        push_plain(out, runs(&in_title).into_iter());
        if !other.is_empty() {
            out.push(',');
            push_ids(out, &other);
        }
        out.push(']');
    });
    out.push(']');
    out
}

/// Where the ids of a form are: positions in the body ids, positions in the title pages
/// (for an id that is a page's first section and not a body posting), and any other id.
fn form_positions(ids: &[u32], body: &[u32], title: &[u32]) -> (Vec<usize>, Vec<usize>, Vec<u32>) {
    let mut in_body = Vec::new();
    let mut in_title = Vec::new();
    let mut other = Vec::new();
    for id in ids {
        if let Ok(at) = body.binary_search(id) {
            in_body.push(at);
        } else if id & ((1 << SECTION_BITS) - 1) == 0
            && let Ok(at) = title.binary_search(&(id >> SECTION_BITS))
        {
            in_title.push(at);
        } else {
            other.push(*id);
        }
    }
    in_title.sort_unstable();
    (in_body, in_title, other)
}

/// The marked `positions` (ascending) of a list as run lengths, marked first: `[marked,
/// unmarked, marked, …]`, the last unmarked run left out (`[0]` when none is marked).
fn runs(positions: &[usize]) -> Vec<u32> {
    let mut out = vec![0u32];
    let mut end = 0;
    for position in positions {
        match out.last_mut() {
            Some(marked) if *position == end => *marked += 1,
            _ => {
                out.push((position - end) as u32);
                out.push(1);
            }
        }
        end = position + 1;
    }
    out
}

/// `[a,b,…]`.
fn push_plain(out: &mut String, numbers: impl Iterator<Item = u32>) {
    out.push('[');
    for (index, n) in numbers.enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_number(out, n);
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reach_is_written_rounded_up_with_a_thousandth_to_spare() {
        assert_eq!(reach_text(13.2684), "13.27");
        assert_eq!(reach_text(13.269), "13.27");
        assert_eq!(reach_text(0.0), "0.001");
    }

    #[test]
    fn a_form_is_written_as_runs_over_the_tier_lists() {
        assert_eq!(runs(&[]), [0]);
        assert_eq!(runs(&[0, 1, 2]), [3]);
        assert_eq!(runs(&[2, 3, 6]), [0, 2, 2, 2, 1]);
        assert_eq!(runs(&[0, 4]), [1, 3, 1]);
        // Sections 5<<7|1 and 9<<7|0 use the form in their body, page 7's title does, and
        // 8<<7|3 is in neither list.
        let body = [5 << 7 | 1, 7 << 7 | 2, 9 << 7];
        let title = [3, 7];
        let ids = [5 << 7 | 1, 7 << 7, 8 << 7 | 3, 9 << 7];
        assert_eq!(
            form_positions(&ids, &body, &title),
            (vec![0, 2], vec![1], vec![8 << 7 | 3])
        );
        let json = tier_json(
            &[(5 << 7 | 1, 9), (7 << 7 | 2, 12), (9 << 7, 8)],
            &[(3, 10), (7, 11)],
            &[("redémarrer", ids[..2].to_vec())],
        );
        assert_eq!(
            json,
            r#"[[641,257,254],[9,12,8],[3,4],[10,11],{"redémarrer":[[1],[0,1,1]]}]"#
        );
    }

    #[test]
    fn a_tier_ends_where_the_reach_changes() {
        let order: Vec<(u32, f64)> = [9.0, 8.0, 8.0, 8.0, 7.0, 7.0]
            .iter()
            .enumerate()
            .map(|(p, r)| (p as u32, *r))
            .collect();
        // Back to the change when it keeps half the tier, else forward to it.
        assert_eq!(tie_end(&order, 0, 5), 4);
        assert_eq!(tie_end(&order, 0, 3), 1);
        assert_eq!(tie_end(&order, 0, 6), 6);
        let long_tie: Vec<(u32, f64)> = [9.0, 8.0, 8.0, 8.0, 8.0, 7.0]
            .iter()
            .enumerate()
            .map(|(p, r)| (p as u32, *r))
            .collect();
        assert_eq!(tie_end(&long_tie, 0, 4), 5);
    }
}
