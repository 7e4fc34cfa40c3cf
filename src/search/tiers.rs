//! The layout of a large term's postings: a term whose entry passes [`TIER_BYTES`] keeps in
//! its term chunk only a head, the postings of the pages that could score highest for it; the
//! title postings of the other pages go whole into one titles file, and their body postings
//! into page-range blocks, each with the highest score one of its sections can take from the
//! term (block-max, as in block-max WAND). A query reads the titles and then only the blocks
//! holding pages that could still reach the results shown.
//!
//! Pages are ranked by their *reach* for the term: the highest score one of its sections can
//! take from the term alone (body impact and exact-spelling bonus of its best section, plus its
//! title at full coverage), computed with the same idf the query uses. The head takes the
//! pages of highest reach until about [`HEAD_BYTES`]; a page of the head is known whole for
//! the term, and the largest reach of the other pages (rounded up) bounds what any of them can
//! gain before more is read.
//!
//! Once the titles are read, a page outside the head is known but for its body, which its
//! block's maximum bounds. Blocks are kept in two lists, the pages having the term in their
//! title and the others: a query's candidates are mostly pages with the words in their title,
//! and a page no term lists has none, so each list's maxima bound its own pages only. Block
//! `i` of a list holds pages `i << shift` to `(i + 1) << shift`; the shift is chosen per list
//! so that a block holds about [`BLOCK_BYTES`] of postings.
//!
//! The head entry is `[body, title, {form: ids}, [body count, title count, pages, reach, hash,
//! [titled shift, [max, …]], [other shift, [max, …]]]]`: the counts are the whole term's (for
//! idf and completions), `pages` the number of pages having the term, `reach` the largest of
//! the pages outside the head. The titles file is `t/<hash>-t.json`, block `i` of the titled
//! list `t/<hash>-a<i>.json` and of the other list `t/<hash>-b<i>.json`; a block whose
//! maximum is 0 holds nothing and has no file. Each file is `[body ids, body impacts, title
//! pages, title impacts, {form: [body runs, title runs, other ids]}]` (see [`tier_json`]): the
//! titles file holds titles only, a block bodies and accented forms only.

use std::collections::HashSet;

use super::chunks::{push_forms, push_ids, push_number, push_pairs};
use super::hash::content_hash;
use super::postings::{IMPACT_SCALE, SECTION_BITS, Terms};
use super::rank::{EXACT_BONUS, TITLE_COVERAGE, TITLE_WEIGHT, idf_of};

/// Entries whose JSON passes this many bytes are cut into tiers.
pub(crate) const TIER_BYTES: usize = 48_000;
/// About this many bytes of postings stay in the head.
const HEAD_BYTES: usize = 12_000;
/// About this many bytes of postings go in one block of the titled list, and of the other
/// list. A query's candidates are mostly titled pages, a few dozen, each wanting its own
/// block: small blocks keep what is read near what is needed (at 100,000 pages, 2 KB blocks
/// read 40 KB of the two words' blocks for `redémarrer le serveur`). The other pages' blocks
/// are read only for pages whose words are all in their body, and larger blocks there write
/// fewer files: 16 KB blocks wrote 23,000 fewer files than 2 KB ones at 100,000 pages.
const BLOCK_BYTES: [usize; 2] = [2_000, 16_000];
/// Estimated JSON bytes of a body or title posting, and of an accented form's id: enough to
/// size the head and the blocks, which need not be exact.
const PAIR_BYTES: usize = 8;
const ID_BYTES: usize = 5;

/// A cut entry: the head's JSON (in place of the whole entry) and the titles and block files,
/// as (path relative to `search/<lang>/`, bytes).
pub(crate) struct Cut {
    pub head: String,
    pub files: Vec<(String, Vec<u8>)>,
}

/// What one page holds of a term, to rank it and size the head and blocks.
#[derive(Clone, Copy, Default)]
struct PageReach {
    body: u32,
    title: u32,
    exact: bool,
    bytes: usize,
}

/// One list of blocks: the shift of its page ranges and each block's (maximum, file JSON).
struct Blocks {
    shift: u32,
    blocks: Vec<(f64, Option<String>)>,
}

/// Cuts the entry of the word at `rank` into a head, a titles file and blocks; `pages` is the
/// number of pages of the index (the title idf).
pub(crate) fn cut_entry(terms: &Terms, rank: usize, pages: usize) -> Cut {
    let body = &terms.body[rank];
    let title = &terms.title[rank];
    let exact = &terms.exact[rank];
    let reach_of = reaches(terms, rank, pages);
    let order = ranked_pages(&reach_of, terms, rank, pages);
    let head_end = head_end(&order, &reach_of);
    let mut in_head = vec![false; pages];
    for (page, _) in &order[..head_end] {
        in_head[*page as usize] = true;
    }
    let reach = order.get(head_end).map_or(0.0, |(_, r)| *r);
    let page_in_head = |id: u32| in_head[(id >> SECTION_BITS) as usize];
    let (head_body, rest_body) = split(body, |(id, _)| page_in_head(*id));
    let (head_title, rest_title) = split(title, |(page, _)| in_head[*page as usize]);
    let head_forms = forms_where(exact, page_in_head);
    let mut titled = vec![false; pages];
    for (page, _) in &rest_title {
        titled[*page as usize] = true;
    }
    let idf = idf_of(terms.sections as f64, body.len() as f64);
    let lists = [0, 1].map(|list| {
        let with_title = list == 0;
        let of_list = |id: u32| {
            let page = (id >> SECTION_BITS) as usize;
            !in_head[page] && titled[page] == with_title
        };
        let body: Vec<(u32, u32)> = rest_body
            .iter()
            .copied()
            .filter(|(id, _)| of_list(*id))
            .collect();
        let forms = forms_where(exact, of_list);
        blocks(&body, &forms, idf, pages, BLOCK_BYTES[list])
    });
    let titles = tier_json(&[], &rest_title, &[]);
    let mut all = titles.clone();
    for list in &lists {
        for json in list.blocks.iter().filter_map(|(_, json)| json.as_deref()) {
            all.push_str(json);
        }
    }
    let hash = content_hash(all.as_bytes());
    drop(all);
    let mut files = vec![(format!("t/{hash}-t.json"), titles.into_bytes())];
    let mut table = format!(
        "[{},{},{},{},\"{hash}\"",
        body.len(),
        title.len(),
        reach_of.iter().filter(|r| r.bytes > 0).count(),
        reach_text(reach)
    );
    for (list, letter) in lists.into_iter().zip(['a', 'b']) {
        table.push_str(&format!(",[{},[", list.shift));
        for (index, (max, json)) in list.blocks.into_iter().enumerate() {
            if index > 0 {
                table.push(',');
            }
            match json {
                Some(json) => {
                    table.push_str(&reach_text(max));
                    files.push((format!("t/{hash}-{letter}{index}.json"), json.into_bytes()));
                }
                None => table.push('0'),
            }
        }
        table.push_str("]]");
    }
    table.push(']');
    let mut head = head_json(&head_body, &head_title, &head_forms);
    head.pop();
    head.push(',');
    head.push_str(&table);
    head.push(']');
    Cut { head, files }
}

/// The postings for which `first` holds, and the others.
fn split(postings: &[(u32, u32)], first: impl Fn(&(u32, u32)) -> bool) -> (Postings, Postings) {
    postings.iter().copied().partition(first)
}

/// The accented forms with only their ids for which `keep` holds; forms left without ids
/// are dropped.
fn forms_where<'a>(exact: &[(&'a str, Vec<u32>)], keep: impl Fn(u32) -> bool) -> Vec<Form<'a>> {
    exact
        .iter()
        .map(|(form, ids)| (*form, ids.iter().copied().filter(|id| keep(*id)).collect()))
        .filter(|(_, ids): &Form| !ids.is_empty())
        .collect()
}

/// The blocks of one list: its body postings and forms by page range, each block with the
/// highest score a section of it can take from the term (idf · impact, plus the exact bonus
/// when the section uses an accented form).
fn blocks(body: &[(u32, u32)], forms: &[Form], idf: f64, pages: usize, budget: usize) -> Blocks {
    let form_ids: HashSet<u32> = forms
        .iter()
        .flat_map(|(_, ids)| ids.iter().copied())
        .collect();
    let bytes = body.len() * PAIR_BYTES + form_ids.len() * ID_BYTES;
    let shift = block_shift(bytes, pages, budget);
    let count = pages.div_ceil(1 << shift).max(1);
    let block_of = |id: u32| ((id >> SECTION_BITS) >> shift) as usize;
    let mut maxima = vec![0.0f64; count];
    let mut body_of: Vec<Postings> = vec![Vec::new(); count];
    for (id, impact) in body {
        let mut score = idf * f64::from(*impact) / IMPACT_SCALE;
        if form_ids.contains(id) {
            score += EXACT_BONUS * idf;
        }
        let block = block_of(*id);
        maxima[block] = maxima[block].max(score);
        body_of[block].push((*id, *impact));
    }
    let mut forms_of: Vec<Vec<Form>> = vec![Vec::new(); count];
    for (form, ids) in forms {
        for id in ids {
            let block = block_of(*id);
            maxima[block] = maxima[block].max(EXACT_BONUS * idf);
            match forms_of[block].last_mut() {
                Some((last, list)) if *last == *form => list.push(*id),
                _ => forms_of[block].push((form, vec![*id])),
            }
        }
    }
    let blocks = body_of
        .into_iter()
        .zip(forms_of)
        .zip(maxima)
        .map(|((body, forms), max)| {
            let json =
                (!body.is_empty() || !forms.is_empty()).then(|| tier_json(&body, &[], &forms));
            (max, json)
        })
        .collect();
    Blocks { shift, blocks }
}

/// The smallest shift whose page ranges make no more blocks than `bytes` of postings fill at
/// [`BLOCK_BYTES`] each.
fn block_shift(bytes: usize, pages: usize, budget: usize) -> u32 {
    let wanted = bytes.div_ceil(budget).max(1);
    let mut shift = 0;
    while pages.div_ceil(1 << shift) > wanted {
        shift += 1;
    }
    shift
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

/// A reach or a block's maximum as written in the head: rounded up to the thousandth, plus a
/// thousandth, so the bound holds whatever the order in which a query adds the same numbers.
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

/// The number of pages of `order` in the head: about [`HEAD_BYTES`] of postings, ending
/// where the reach changes, so the reach of the pages after it is below every page of it.
fn head_end(order: &[(u32, f64)], reach_of: &[PageReach]) -> usize {
    let mut end = 0;
    let mut bytes = 0;
    while end < order.len() && bytes < HEAD_BYTES {
        bytes += reach_of[order[end].0 as usize].bytes;
        end += 1;
    }
    tie_end(order, 0, end)
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
    fn blocks_hold_page_ranges_sized_by_their_postings_with_their_best_section_score() {
        // 16 KB of postings at 2 KB a block: 8 blocks at most, 512 pages each over 2,400.
        assert_eq!(block_shift(16_000, 2400, 2000), 9);
        assert_eq!(block_shift(0, 2400, 2000), 12);
        assert_eq!(block_shift(1, 1, 2000), 0);
        // 34 bytes at 20 a block: two blocks of 8 pages. Block 0's best section is 2<<7|1,
        // idf 2 · impact 20 / 8 plus the exact bonus 0.3 · 2; block 1's is 9<<7 (1.25),
        // above the bonus of the form's other id, 9<<7|2, which is in no body posting.
        let body = [(1 << 7, 10), (2 << 7 | 1, 20), (9 << 7, 5)];
        let forms = [("é", vec![2 << 7 | 1, 9 << 7 | 2])];
        let blocks = blocks(&body, &forms, 2.0, 16, 20);
        assert_eq!(blocks.shift, 3);
        let maxima: Vec<f64> = blocks.blocks.iter().map(|(max, _)| *max).collect();
        assert_eq!(maxima, [5.6, 1.25]);
        let files: Vec<&str> = blocks
            .blocks
            .iter()
            .map(|(_, json)| json.as_deref().unwrap())
            .collect();
        assert_eq!(
            files,
            [
                r#"[[128,129],[10,20],[],[],{"é":[[0,1,1],[0]]}]"#,
                r#"[[1152],[5],[],[],{"é":[[0],[0],[1154]]}]"#
            ]
        );
        // A range without postings has no file.
        let sparse = super::blocks(&[(15 << 7, 8)], &[], 1.0, 16, 1);
        assert_eq!((sparse.shift, sparse.blocks.len()), (1, 8));
        assert_eq!(
            sparse
                .blocks
                .iter()
                .filter(|(_, json)| json.is_some())
                .count(),
            1
        );
        assert_eq!(sparse.blocks[7].0, 1.0);
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
