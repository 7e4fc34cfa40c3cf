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

/// Writes the chunks of `terms`, and the titles and blocks of the large entries, into `files`; returns the
/// chunk table of meta.json: the first term of each chunk and its file, relative to
/// `search/<lang>/`, and whether a term was cut into tiers. `pages` is the number of pages of
/// the index.
pub(crate) fn write_chunks(
    lang: &str,
    terms: &Terms,
    pages: usize,
    files: &mut Vec<(String, Vec<u8>)>,
) -> (Vec<(String, String)>, bool) {
    let (entries, tiers): (Vec<String>, Vec<Vec<File>>) = (0..terms.names.len())
        .into_par_iter()
        .map(|rank| {
            let entry = entry_json(terms, rank);
            if entry.len() <= TIER_BYTES || terms.facet[rank].is_some() {
                return (entry, Vec::new());
            }
            let cut = cut_entry(terms, rank, pages);
            (cut.head, cut.files)
        })
        .unzip();
    let cut = tiers.iter().any(|t| !t.is_empty());
    for (name, body) in tiers.into_iter().flatten() {
        files.push((format!("search/{lang}/{name}"), body));
    }
    let mut bounds = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (rank, entry) in entries.iter().enumerate() {
        if size > 0 && size + entry.len() > CHUNK_BYTES {
            bounds.push(start..rank);
            start = rank;
            size = 0;
        }
        size += entry.len() + terms.names[rank].len() + 4;
    }
    if start < entries.len() {
        bounds.push(start..entries.len());
    }
    // Each chunk takes its terms' entries by value and frees them as it joins them: the
    // entries and the chunks are never both held whole.
    let mut entries = entries.into_iter();
    let groups: Vec<(std::ops::Range<usize>, Vec<String>)> = bounds
        .into_iter()
        .map(|range| {
            let group = entries.by_ref().take(range.len()).collect();
            (range, group)
        })
        .collect();
    let chunks: Vec<(String, String, Vec<u8>)> = groups
        .into_par_iter()
        .map(|(range, group)| {
            let first = terms.names[range.start].to_string();
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
        })
        .collect();
    let table = chunks
        .into_iter()
        .map(|(first, name, body)| {
            files.push((format!("search/{lang}/{name}"), body));
            (first, name)
        })
        .collect();
    (table, cut)
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
    for digit in &digits[at..] {
        out.push(char::from(*digit));
    }
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
