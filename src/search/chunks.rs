//! The term chunks: sorted terms cut into files of about [`CHUNK_BYTES`], each a JSON object
//! `{term: entry}`, named by the hash of their content.
//!
//! An entry is `[body, title]` or `[body, title, {form: ids}]` for a word, where body and
//! title interleave delta-encoded ids with impacts, and `[ids]` for a facet value. A word whose
//! entry passes [`TIER_BYTES`] keeps only its head here, its other postings going to a titles
//! file and blocks (see [`super::tiers`]). The JSON is written by hand: these arrays are most
//! of the index, and serde showed in profiles.

use rayon::prelude::*;

use super::hash::content_hash;
use super::postings::Terms;
use super::tiers::{TIER_BYTES, cut_entry};

/// A file of the index: (path, bytes).
type File = (String, Vec<u8>);

/// Chunks are cut once their JSON passes this many bytes.
const CHUNK_BYTES: usize = 24_000;

/// Terms whose entries are written at a time: the entries of a large site's terms (as
/// many bytes as its chunks) are never held whole, and a window is enough work to share
/// between threads.
const WINDOW_TERMS: usize = 4096;

/// Writes the chunks of `terms`, and the titles and blocks of the large entries, handing
/// them to `out` a window of terms at a time; returns the chunk table of meta.json: the
/// first term of each chunk and its file, relative to `search/<lang>/`, and whether a term
/// was cut into tiers. `pages` is the number of pages of the index.
pub(crate) fn write_chunks(
    lang: &str,
    terms: &Terms,
    pages: usize,
    out: &mut dyn FnMut(Vec<File>),
) -> (Vec<(String, String)>, bool) {
    let mut table = Vec::new();
    let mut cut = false;
    let mut filling = Filling::default();
    let count = terms.names.len();
    for window_start in (0..count).step_by(WINDOW_TERMS) {
        let window = window_start..count.min(window_start + WINDOW_TERMS);
        let (entries, tiers) = window_entries(terms, window.clone(), pages);
        let mut files = Vec::new();
        for (name, body) in tiers.into_iter().flatten() {
            cut = true;
            files.push((format!("search/{lang}/{name}"), body));
        }
        let full = filling.add(terms, window, entries);
        push_chunks(lang, terms, full, &mut table, &mut files);
        out(files);
    }
    if !filling.entries.is_empty() {
        let last = vec![(filling.start, filling.entries)];
        let mut files = Vec::new();
        push_chunks(lang, terms, last, &mut table, &mut files);
        out(files);
    }
    (table, cut)
}

/// The entries of the terms of `window` (a cut term's head), and the titles and blocks
/// files of the cut terms.
fn window_entries(
    terms: &Terms,
    window: std::ops::Range<usize>,
    pages: usize,
) -> (Vec<String>, Vec<Vec<File>>) {
    window
        .into_par_iter()
        .map(|rank| {
            let entry = entry_json(terms, rank);
            if entry.len() <= TIER_BYTES || terms.facet[rank].is_some() {
                return (entry, Vec::new());
            }
            let cut = cut_entry(terms, rank, pages);
            (cut.head, cut.files)
        })
        .unzip()
}

/// The chunk being filled: its first term's rank, its entries so far and their size.
#[derive(Default)]
struct Filling {
    start: usize,
    entries: Vec<String>,
    size: usize,
}

impl Filling {
    /// Adds the entries of the terms of `window`, the next ranks; returns the chunks they
    /// filled, each as its first rank and its entries. A chunk is cut once its JSON would
    /// pass [`CHUNK_BYTES`].
    fn add(
        &mut self,
        terms: &Terms,
        window: std::ops::Range<usize>,
        entries: Vec<String>,
    ) -> Vec<(usize, Vec<String>)> {
        let mut full = Vec::new();
        for (rank, entry) in window.zip(entries) {
            if self.size > 0 && self.size + entry.len() > CHUNK_BYTES {
                full.push((self.start, std::mem::take(&mut self.entries)));
                self.start = rank;
                self.size = 0;
            }
            self.size += entry.len() + terms.names[rank].len() + 4;
            self.entries.push(entry);
        }
        full
    }
}

/// Joins each chunk's entries into its file (in parallel), pushed onto `files`, and its
/// first term and file onto the chunk table.
fn push_chunks(
    lang: &str,
    terms: &Terms,
    chunks: Vec<(usize, Vec<String>)>,
    table: &mut Vec<(String, String)>,
    files: &mut Vec<File>,
) {
    let chunks: Vec<(String, String, Vec<u8>)> = chunks
        .into_par_iter()
        .map(|(start, group)| chunk_file(terms, start, group))
        .collect();
    for (first, name, body) in chunks {
        files.push((format!("search/{lang}/{name}"), body));
        table.push((first, name));
    }
}

/// One chunk: its first term, its file's name and its JSON, `{term: entry, …}` for the
/// terms from rank `start`, each entry freed as it is joined.
fn chunk_file(terms: &Terms, start: usize, group: Vec<String>) -> (String, String, Vec<u8>) {
    let range = start..start + group.len();
    let first = terms.names[start].to_string();
    let bytes: usize = range
        .clone()
        .zip(&group)
        .map(|(r, entry)| entry.len() + terms.names[r].len() + 4)
        .sum();
    let mut body = String::with_capacity(bytes + 2);
    body.push('{');
    for (rank, entry) in range.zip(group) {
        if body.len() > 1 {
            body.push(',');
        }
        push_json_string(&mut body, terms.names[rank]);
        body.push(':');
        body.push_str(&entry);
    }
    body.push('}');
    let name = format!("t/{}.json", content_hash(body.as_bytes()));
    (first, name, body.into_bytes())
}

/// The JSON of one term's entry.
fn entry_json(terms: &Terms, rank: usize) -> String {
    let mut out = String::with_capacity(16 + terms.body[rank].len() * 10);
    out.push('[');
    if let Some(ids) = terms.facet[rank] {
        push_ids(&mut out, ids);
    } else {
        push_pairs(&mut out, &terms.body[rank]);
        out.push(',');
        push_pairs(&mut out, &terms.title[rank]);
        if !terms.exact[rank].is_empty() {
            out.push(',');
            push_forms(&mut out, &terms.exact[rank], push_ids);
        }
    }
    out.push(']');
    out
}

/// `{"form":…,…}`: each accented form of a term with its ids, written by `push_value`
/// ([`push_ids`] in a chunk entry; a tier file writes them otherwise).
pub(crate) fn push_forms(
    out: &mut String,
    forms: &[(&str, Vec<u32>)],
    mut push_value: impl FnMut(&mut String, &[u32]),
) {
    out.push('{');
    for (index, (form, ids)) in forms.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_json_string(out, form);
        out.push(':');
        push_value(out, ids);
    }
    out.push('}');
}

/// `[id0,i0,id1-id0,i1,…]`: delta-encoded ids interleaved with impacts.
pub(crate) fn push_pairs(out: &mut String, pairs: &[(u32, u32)]) {
    out.push('[');
    let mut previous = 0;
    for (index, (id, impact)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_number(out, id - previous);
        out.push(',');
        push_number(out, *impact);
        previous = *id;
    }
    out.push(']');
}

/// `[id0,id1-id0,…]`.
pub(crate) fn push_ids(out: &mut String, ids: &[u32]) {
    out.push('[');
    let mut previous = 0;
    for (index, id) in ids.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_number(out, id - previous);
        previous = *id;
    }
    out.push(']');
}

/// Decimal digits of `n`, without going through `fmt`.
pub(crate) fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // One copy of the digits: pushing them one `char` at a time checked the capacity and
    // encoded each as UTF-8, and the postings are millions of numbers.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// `text` as a JSON string, escaped as serde_json does.
pub(crate) fn push_json_string(out: &mut String, text: &str) {
    if text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(&serde_json::to_string(text).unwrap_or_default());
    } else {
        out.push('"');
        out.push_str(text);
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{SearchBlock, SearchDoc, build_index};
    use std::collections::BTreeMap;

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut out = String::from("[");
        for n in [0, 7, 10, 305, 65_536, u32::MAX] {
            push_number(&mut out, n);
            out.push(',');
        }
        assert_eq!(out, "[0,7,10,305,65536,4294967295,");
        out.clear();
        push_pairs(&mut out, &[(3, 1), (10, 250), (4_000_000, 9)]);
        assert_eq!(out, "[3,1,7,250,3999990,9]");
    }

    /// A made-up word of consonants for `n`, which the analysers keep as it is.
    fn word(mut n: usize) -> String {
        let letters = b"bcdfghjklmnpqrstvwxz";
        let mut word = String::from("q");
        for _ in 0..4 {
            word.push(char::from(letters[n % letters.len()]));
            n /= letters.len();
        }
        word
    }

    #[test]
    fn chunks_are_cut_across_windows_as_if_written_at_once() {
        let docs: Vec<SearchDoc> = (0..50)
            .map(|page| SearchDoc {
                url: format!("p{page:02}/"),
                title: format!("Page {page}"),
                language: "en".into(),
                blocks: vec![SearchBlock {
                    text: (0..120)
                        .map(|i| word(page * 120 + i))
                        .collect::<Vec<_>>()
                        .join(" "),
                    ..SearchBlock::default()
                }],
                ..SearchDoc::default()
            })
            .collect();
        let files: BTreeMap<String, Vec<u8>> = build_index(&docs).into_iter().collect();
        let meta: serde_json::Value =
            serde_json::from_slice(&files["search/en/meta.json"]).unwrap();
        let table = meta["chunks"].as_array().unwrap();
        let chunks: Vec<(String, Vec<u8>)> = table
            .iter()
            .map(|row| {
                let file = &files[&format!("search/en/{}", row[1].as_str().unwrap())];
                (row[0].as_str().unwrap().to_string(), file.clone())
            })
            .collect();
        let mut terms = 0;
        for (index, (first, bytes)) in chunks.iter().enumerate() {
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(bytes).unwrap();
            assert_eq!(map.keys().next(), Some(first));
            terms += map.len();
            // Each chunk but the last was cut because the next term's entry would have
            // taken it past CHUNK_BYTES: its size is its JSON's bytes but one.
            if let Some((next_first, next_bytes)) = chunks.get(index + 1) {
                let next: serde_json::Value = serde_json::from_slice(next_bytes).unwrap();
                let entry = serde_json::to_string(&next[next_first]).unwrap();
                assert!(bytes.len() - 1 + entry.len() > CHUNK_BYTES, "chunk {index}");
                assert!(first < next_first);
            }
        }
        assert!(terms > WINDOW_TERMS, "{terms} terms");
        assert!(terms >= 50 * 120, "{terms} terms");
    }

    #[test]
    fn numbers_and_strings_are_written_as_serde_json_writes_them() {
        for n in [0, 7, 10, 99, 12_345, u32::MAX] {
            let mut out = String::new();
            push_number(&mut out, n);
            assert_eq!(out, n.to_string());
        }
        for text in [
            "redémarr",
            "a\"b",
            "back\\slash",
            "tab\there",
            "~type=demande",
        ] {
            let mut out = String::new();
            push_json_string(&mut out, text);
            assert_eq!(out, serde_json::to_string(text).unwrap());
        }
    }
}
