//! The page fragments (title, URL, section, facets, and each block's anchor, heading, level
//! and excerpt): what a result needs to be shown, fetched only for the results shown.
//!
//! Consecutive pages share a file of about [`FRAGMENT_FILE_BYTES`], a JSON array of their
//! fragments, named `f/<hash>-<n>.json` where the hash is that of all the fragment files: one
//! file per page made a 10,000-page site write 10,000 more files, and creating files is what
//! a build's output costs most. A first query showing 10 results still reads at most 10 such
//! files.

use std::collections::BTreeMap;
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use super::SearchDoc;
use super::hash::content_hash;
use super::postings::SECTION_BITS;

/// A fragment file is closed before the page that would take it past this many bytes
/// (about 12 pages of a typical write-up, 6 KB gzipped); a page larger than this has a file
/// of its own.
pub const FRAGMENT_FILE_BYTES: usize = 16_000;
/// Characters of a block kept as its excerpt.
const EXCERPT_CHARS: usize = 180;

/// The serialised form of [`super::index::Fragment`], borrowing the page.
#[derive(Serialize)]
struct FragmentOut<'a> {
    u: &'a str,
    t: &'a str,
    s: &'a str,
    f: &'a BTreeMap<String, Vec<String>>,
    b: Vec<(&'a str, &'a str, u8, String)>,
}

/// The fragment files of a language and their table in meta.json.
pub(crate) struct FragmentFiles {
    /// (path under site/, bytes) of each file.
    pub files: Vec<(String, Vec<u8>)>,
    /// First page of each file.
    pub first_pages: Vec<u32>,
    /// Hash of all the files: file `n` is `f/<hash>-<n>.json`.
    pub hash: String,
}

/// The path of fragment file `n`, relative to `search/<lang>/`.
pub(crate) fn fragment_file(hash: &str, n: usize) -> String {
    format!("f/{hash}-{n}.json")
}

/// Writes the fragment files of `pages`, in page order.
pub(crate) fn write_fragments(lang: &str, pages: &[&SearchDoc]) -> FragmentFiles {
    let fragments: Vec<Vec<u8>> = pages
        .par_iter()
        .map(|doc| serde_json::to_vec(&fragment(doc)).unwrap_or_default())
        .collect();
    let bounds = file_bounds(&fragments);
    // Each file takes its pages' fragments by value and frees them as it joins them: the
    // fragments and the files are never both held whole.
    let mut fragments = fragments.into_iter();
    let groups: Vec<Vec<Vec<u8>>> = bounds
        .iter()
        .map(|range| fragments.by_ref().take(range.len()).collect())
        .collect();
    let bodies: Vec<Vec<u8>> = groups.into_par_iter().map(join_fragments).collect();
    // One hash for the set: a table of per-file hashes would make meta.json, which every
    // first query reads, 6 KB larger at 10,000 pages; and as files are cut by size, editing
    // one page moves the later files' bounds anyway.
    let hashes: String = bodies.par_iter().map(|b| content_hash(b)).collect();
    let hash = content_hash(hashes.as_bytes());
    FragmentFiles {
        files: bodies
            .into_iter()
            .enumerate()
            .map(|(n, body)| (format!("search/{lang}/{}", fragment_file(&hash, n)), body))
            .collect(),
        first_pages: bounds.iter().map(|r| r.start as u32).collect(),
        hash,
    }
}

/// One fragment file: the JSON array of `fragments`, each freed once copied.
fn join_fragments(fragments: Vec<Vec<u8>>) -> Vec<u8> {
    let mut body = Vec::with_capacity(fragments.iter().map(|f| f.len() + 1).sum::<usize>() + 1);
    body.push(b'[');
    for fragment in fragments {
        if body.len() > 1 {
            body.push(b',');
        }
        body.extend_from_slice(&fragment);
    }
    body.push(b']');
    body
}

/// Pages of each file: consecutive pages while the file stays under the bound.
fn file_bounds(fragments: &[Vec<u8>]) -> Vec<Range<usize>> {
    // Bytes of the open file ("[a,b]"), 0 while it is empty.
    let mut bounds = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (page, fragment) in fragments.iter().enumerate() {
        let grown = if bytes == 0 {
            fragment.len() + 2
        } else {
            bytes + 1 + fragment.len()
        };
        if bytes > 0 && grown > FRAGMENT_FILE_BYTES {
            bounds.push(start..page);
            start = page;
            bytes = fragment.len() + 2;
        } else {
            bytes = grown;
        }
    }
    if start < fragments.len() {
        bounds.push(start..fragments.len());
    }
    bounds
}

fn fragment(doc: &SearchDoc) -> FragmentOut<'_> {
    let blocks = doc
        .blocks
        .iter()
        .take(1 << SECTION_BITS)
        .map(|b| {
            let source = if b.text.trim().is_empty() {
                &b.code
            } else {
                &b.text
            };
            (
                b.anchor.as_str(),
                b.heading.as_str(),
                b.level,
                excerpt(source),
            )
        })
        .collect();
    FragmentOut {
        u: &doc.url,
        t: &doc.title,
        s: &doc.section,
        f: &doc.facets,
        b: blocks,
    }
}

/// The first words of a block, whitespace collapsed, cut at a word boundary.
fn excerpt(text: &str) -> String {
    let mut out = String::new();
    let mut length = 0;
    for word in text.split_whitespace() {
        let count = word.chars().count();
        if length + count + usize::from(length > 0) > EXCERPT_CHARS {
            out.push('…');
            return out;
        }
        if length > 0 {
            out.push(' ');
            length += 1;
        }
        out.push_str(word);
        length += count;
    }
    out
}
