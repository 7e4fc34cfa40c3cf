//! Typo tolerance: the vocabulary files that let a query find the words of the site close to a
//! misspelt one without fetching the whole vocabulary, and the distance both engines use.
//!
//! Rules (the twin of search.js): only plain words are corrected (letters only: identifiers,
//! error codes and numbers never are), their analysed key of 5+ letters at edit distance 1 and
//! of 9+ letters at distance 2, a swap of two neighbouring letters counting as one edit; the
//! first letter is taken as typed (Meilisearch counts a typo there as two), and a word is
//! corrected only when the site has no term for it, no completion and no synonym.
//!
//! Layout: the plain words of the index, sorted by (first letter, length, word), cut into
//! files `search/<lang>/w/<hash>.json` of about [`TYPO_FILE_BYTES`]; each file is a flat JSON
//! array `[word, pages, written, …]` (`written` is the shortest word as written in the pages,
//! "" when it is the key itself). meta.json lists each file's first [`typo_key`]. A query
//! reads only the files holding its first letter and the lengths within reach: one or two.

use super::chunks::push_json_string;
use super::hash::content_hash;
use super::postings::Terms;

/// Typo files are cut once their JSON passes this many bytes.
const TYPO_FILE_BYTES: usize = 12_000;
/// Keys at least this long may have one typo.
pub(crate) const ONE_TYPO_LETTERS: usize = 5;
/// Keys at least this long may have two typos.
pub(crate) const TWO_TYPOS_LETTERS: usize = 9;

/// Writes the typo files of `terms` into `files`; returns the table of meta.json: the first
/// [`typo_key`] of each file and its name, relative to `search/<lang>/`.
pub(crate) fn write_typo_files(
    lang: &str,
    terms: &Terms,
    written: &[&str],
    files: &mut Vec<(String, Vec<u8>)>,
) -> Vec<(String, String)> {
    let mut words: Vec<(String, usize)> = terms
        .names
        .iter()
        .enumerate()
        .filter(|(rank, name)| terms.facet[*rank].is_none() && is_plain_word(name))
        .map(|(rank, name)| (typo_key(name), rank))
        .collect();
    words.sort_unstable();
    let mut table = Vec::new();
    let mut body = String::new();
    let mut first = String::new();
    let mut close = |body: &mut String, first: &str, table: &mut Vec<(String, String)>| {
        body.push(']');
        let name = format!("w/{}.json", content_hash(body.as_bytes()));
        files.push((
            format!("search/{lang}/{name}"),
            std::mem::take(body).into_bytes(),
        ));
        table.push((first.to_string(), name));
    };
    for (key, rank) in &words {
        if body.len() > TYPO_FILE_BYTES {
            close(&mut body, &first, &mut table);
        }
        if body.is_empty() {
            body.push('[');
            first.clone_from(key);
        } else {
            body.push(',');
        }
        let name = terms.names[*rank];
        push_json_string(&mut body, name);
        let pages = terms.body[*rank].len() + terms.title[*rank].len();
        body.push_str(&format!(",{pages},"));
        let shown = written[*rank];
        push_json_string(&mut body, if shown == name { "" } else { shown });
    }
    if !body.is_empty() {
        close(&mut body, &first, &mut table);
    }
    table
}

/// True for a key made of letters only, long enough to be corrected or to correct.
pub(crate) fn is_plain_word(key: &str) -> bool {
    key.chars().count() >= ONE_TYPO_LETTERS - 1 && key.chars().all(char::is_alphabetic)
}

/// The sort key of a word in the typo files: its first letter, its length in two digits,
/// then the word ("o06outlok"), so the words within reach of a query are consecutive.
pub(crate) fn typo_key(word: &str) -> String {
    let first = word.chars().next().unwrap_or(' ');
    format!("{first}{:02}{word}", word.chars().count().min(99))
}

/// Typos allowed for a query key: 0 below [`ONE_TYPO_LETTERS`] letters and for anything but
/// plain words, 1, or 2 from [`TWO_TYPOS_LETTERS`].
pub fn typo_budget(key: &str) -> usize {
    if !key.chars().all(char::is_alphabetic) {
        return 0;
    }
    match key.chars().count() {
        n if n >= TWO_TYPOS_LETTERS => 2,
        n if n >= ONE_TYPO_LETTERS => 1,
        _ => 0,
    }
}

/// Edit distance where inserting, deleting or replacing a letter, or swapping two neighbouring
/// letters, counts as one (optimal string alignment); `None` when it passes `limit`.
pub fn typo_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in rows.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        let mut best = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = d;
            best = best.min(d);
        }
        if best > limit {
            return None;
        }
    }
    let distance = rows[a.len() * width + b.len()];
    (distance <= limit).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_typo_is_one_edit() {
        assert_eq!(typo_distance("outlok", "outlook", 2), Some(1)); // missing
        assert_eq!(typo_distance("outloook", "outlook", 2), Some(1)); // extra
        assert_eq!(typo_distance("outlaok", "outlook", 2), Some(1)); // replaced
        assert_eq!(typo_distance("otulook", "outlook", 2), Some(1)); // swapped
        assert_eq!(typo_distance("otulok", "outlook", 2), Some(2));
        assert_eq!(typo_distance("otulok", "outlook", 1), None);
        assert_eq!(typo_distance("imprimant", "imprimant", 0), Some(0));
    }

    #[test]
    fn budgets_follow_the_length_of_plain_words_only() {
        assert_eq!(typo_budget("mdp"), 0);
        assert_eq!(typo_budget("serv"), 0);
        assert_eq!(typo_budget("outlok"), 1);
        assert_eq!(typo_budget("imprimant"), 2);
        assert_eq!(typo_budget("0x80070005"), 0);
        assert_eq!(typo_budget("srv-ad01"), 0);
        assert_eq!(typo_key("outlook"), "o07outlook");
    }
}
