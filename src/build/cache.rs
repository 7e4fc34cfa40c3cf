//! The build cache: what a build learnt of each page, kept beside the output folder
//! (`.site.cache` beside `site/`) so that the next build does not render again a page whose
//! inputs did not change.
//!
//! A page's output is made of its own file and of what the rest of the site shows of other
//! pages, which comes from everything but their bodies (see [`super::incremental`]): titles,
//! front matter, the list of files, templates, guichet.yaml, workflows, tickets. So the cache
//! holds one **site key**, a hash of all that (and of guichet's own binary), and per page the
//! hash of its file: a page is taken from the cache only when the site key is the same and
//! its file is byte for byte the one the cache saw. Its [`Rendered`] (headings, ids, search
//! text, links to anchors, warnings) then comes from the cache, and its HTML from the last
//! build's output, checked against the hash the cache recorded. Tickets, portfolio pages,
//! pages with embeds (whose files may change without their page) and translated sites are
//! always rendered.
//!
//! The file is a [`CacheFile`]: written under a temporary name while the build renders, and
//! renamed over the previous cache only once the build is published (a failed build never
//! writes it); a cache that is missing, cut short, damaged or of another version is ignored (a
//! cold build), and deleting it is always safe. Its key is the site key; each page's entry,
//! named by its path in content/, holds `source_hash:u128 html_hash:u128 html_len:u64` and the
//! rendering ([`write_rendered`]).
//!
//! Beside it, `.site.search-cache` holds the search analysis of each batch of pages, keyed by
//! the text analysed ([`crate::search`]): it serves translated sites too, and pages whose
//! front matter changed but not their text.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cache_file::{CacheFile, KeyHasher, Reader, Writer, checksum};
use crate::data::SiteData;
use crate::diagnostics::{Diagnostic, Severity};
use crate::markdown::{AnchorRef, Rendered, TextBlock, TocEntry};
use crate::output::beside_output;
use crate::site::{Page, Site};
use crate::source_layout::{CONFIG_FILE, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR, WORKFLOWS_DIR};

/// The page cache of the output folder `out`: `.site.cache` beside `site/`.
pub(crate) fn cache_path(out: &Path) -> PathBuf {
    beside_output(out, ".cache")
}

/// The search analysis cache of the output folder `out`: `.site.search-cache` beside
/// `site/`.
pub(crate) fn search_cache_path(out: &Path) -> PathBuf {
    beside_output(out, ".search-cache")
}

/// One build's use of its caches: the pages', keyed by the site key, and the search
/// analysis's, whose entries are keyed by the text they analyse.
pub(crate) struct BuildCache {
    pages: CacheFile,
    search: CacheFile,
    /// Pages taken from the previous cache.
    reused: AtomicUsize,
}

/// A page taken from the cache.
pub(crate) struct CachedPage {
    /// What its Markdown gave, without the HTML.
    pub rendered: Rendered,
    /// The hash of its output file ([`crate::digest::content_hash`]).
    pub html_hash: u128,
    /// The length of its output file.
    pub html_len: usize,
    /// The entry as stored, copied as is into the next cache, and its hash.
    raw: Vec<u8>,
    raw_hash: u128,
}

impl BuildCache {
    /// A build that neither reads nor writes a cache (`guichet check`).
    pub(crate) fn none() -> BuildCache {
        BuildCache {
            pages: CacheFile::none(),
            search: CacheFile::none(),
            reused: AtomicUsize::new(0),
        }
    }

    /// Opens the caches of the output folder `out` for a build whose site key is `site_key`
    /// (`None`: a site whose pages are never cached). Nothing here fails: a cache that cannot
    /// be read or written is only a slower build.
    pub(crate) fn open(out: &Path, site_key: Option<u128>) -> BuildCache {
        let mut guichet = KeyHasher::default();
        guichet.guichet();
        BuildCache {
            pages: site_key
                .map_or_else(CacheFile::none, |key| CacheFile::open(cache_path(out), key)),
            search: CacheFile::open(search_cache_path(out), guichet.finish()),
            reused: AtomicUsize::new(0),
        }
    }

    /// Whether the build writes a page cache (so whether its pages are worth recording).
    pub(crate) fn is_active(&self) -> bool {
        self.pages.is_active()
    }

    /// The search analysis cache.
    pub(crate) fn search(&self) -> &CacheFile {
        &self.search
    }

    /// The page as the previous cache holds it, when its file has exactly the bytes the cache
    /// saw.
    pub(crate) fn lookup(&self, page: &Page) -> Option<CachedPage> {
        let entry = self.pages.read(&page.source.rel_path)?;
        let mut reader = Reader::new(&entry.bytes);
        if reader.u128()? != source_hash_of(page) {
            return None;
        }
        let html_hash = reader.u128()?;
        let html_len = usize::try_from(reader.u64()?).ok()?;
        let rendered = read_rendered(&mut reader)?;
        if !reader.is_at_end() {
            return None;
        }
        Some(CachedPage {
            rendered,
            html_hash,
            html_len,
            raw: entry.bytes,
            raw_hash: entry.hash,
        })
    }

    /// Records that the page `page` was taken from the cache as `cached`: its entry goes into
    /// the next cache unchanged.
    pub(crate) fn keep(&self, page: &Page, cached: &CachedPage) {
        self.reused.fetch_add(1, Ordering::Relaxed);
        self.pages
            .append(&page.source.rel_path, &cached.raw, cached.raw_hash);
    }

    /// Records a page just rendered, whose output file has hash `html_hash` and length
    /// `html_len`. A rendering that wrote files or masked some, or whose diagnostics name a
    /// path that is not UTF-8, is not recorded.
    pub(crate) fn record(
        &self,
        page: &Page,
        rendered: &Rendered,
        html_hash: u128,
        html_len: usize,
    ) {
        if !self.pages.is_active() || !rendered.files.is_empty() || !rendered.masked.is_empty() {
            return;
        }
        let mut writer = Writer::default();
        writer.u128(source_hash_of(page));
        writer.u128(html_hash);
        writer.u64(html_len as u64);
        if write_rendered(&mut writer, rendered).is_some() {
            let hash = checksum(&writer.0);
            self.pages.append(&page.source.rel_path, &writer.0, hash);
        }
    }

    /// The number of pages taken from the cache so far.
    pub(crate) fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// Replaces the previous caches with the ones this build wrote, once the build is
    /// published.
    pub(crate) fn publish(self) {
        self.pages.publish();
        self.search.publish();
    }
}

/// The hash of a page's file, which its cache entry must match.
fn source_hash_of(page: &Page) -> u128 {
    crate::digest::content_hash(page.source.text.as_bytes())
}

/// Whether the page at `index` may be taken from the cache: not a ticket (their pages show
/// other tickets' text), not in the portfolio (whose pages show each other's content), and
/// without embeds (their files may change while the page does not).
pub(crate) fn is_cacheable(site: &Site, data: &SiteData, index: usize) -> bool {
    let page = &site.pages[index];
    page.ticket.is_none()
        && !site.ticket_sections.contains(&page.section)
        && !data.embedded.has_files(index)
        && !data.portfolio.as_ref().is_some_and(|p| p.contains(page))
}

/// The site key: a hash of everything a page's output depends on but the bodies of the
/// pages that can be cached. `None` for a site that is never cached (a translated site,
/// whose languages show each other's pages).
pub(crate) fn site_key(
    site: &Site,
    data: &SiteData,
    options: &super::BuildOptions,
) -> Option<u128> {
    if site.translation.is_multilingual() {
        return None;
    }
    let mut key = KeyHasher::default();
    key.guichet();
    key.bytes(&[u8::from(options.drafts)]);
    hash_file(&mut key, &site.root.join(CONFIG_FILE));
    for dir in [WORKFLOWS_DIR, TEMPLATES_DIR, THEMES_DIR, STATIC_DIR] {
        hash_folder(&mut key, &site.root, Path::new(dir), 0);
    }
    key.bytes(b"pages");
    for (index, page) in site.pages.iter().enumerate() {
        let source = &page.source;
        key.bytes(source.rel_path.as_bytes());
        key.bytes(&(source.body_line as u64).to_le_bytes());
        if is_cacheable(site, data, index) {
            // Everything before the body: the front matter and its `---` lines.
            key.bytes(&source.text.as_bytes()[..source.body_range().start]);
        } else {
            key.bytes(source.text.as_bytes());
        }
    }
    key.bytes(b"assets");
    for asset in &site.assets {
        key.bytes(asset.as_bytes());
    }
    Some(key.finish())
}

/// Adds a file's bytes to `key`, or a mark that it is missing or unreadable.
fn hash_file(key: &mut KeyHasher, path: &Path) {
    match std::fs::read(path) {
        Ok(bytes) => key.bytes(&bytes),
        Err(_) => key.bytes(b"\0missing"),
    }
}

/// Adds every file under `root/dir` to `key`, in the order of their names, with its path.
fn hash_folder(key: &mut KeyHasher, root: &Path, dir: &Path, depth: usize) {
    // Deep enough for any real site; stops a loop of symbolic links.
    if depth > 32 {
        key.bytes(b"\0too deep");
        return;
    }
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return;
    };
    let mut names: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    names.sort();
    for name in names {
        let rel = dir.join(&name);
        let path = root.join(&rel);
        key.bytes(rel.as_os_str().as_encoded_bytes());
        if path.is_dir() {
            hash_folder(key, root, &rel, depth + 1);
        } else {
            hash_file(key, &path);
        }
    }
}

/// Encodes `rendered` but its HTML and files; `None` when a warning's path is not UTF-8.
fn write_rendered(writer: &mut Writer, rendered: &Rendered) -> Option<()> {
    writer.count(rendered.toc.len());
    for entry in &rendered.toc {
        writer.u8(entry.level);
        writer.string(&entry.id);
        writer.string(&entry.title);
    }
    writer.count(rendered.ids.len());
    for id in &rendered.ids {
        writer.string(id);
    }
    writer.count(rendered.blocks.len());
    for block in &rendered.blocks {
        writer.string(&block.anchor);
        writer.string(&block.heading);
        writer.u8(block.level);
        writer.string(&block.text);
        writer.string(&block.code);
    }
    writer.count(rendered.anchor_refs.len());
    for anchor in &rendered.anchor_refs {
        writer.string(&anchor.page);
        writer.string(&anchor.anchor);
        writer.u64(anchor.line as u64);
        writer.u64(anchor.column as u64);
    }
    writer.count(rendered.diagnostics.len());
    for d in &rendered.diagnostics {
        writer.u8(match d.severity {
            Severity::Warning => 0,
            Severity::Error => 1,
        });
        writer.string(d.path.to_str()?);
        writer.u64(d.line as u64);
        writer.u64(d.column as u64);
        writer.string(&d.message);
        writer.option(d.help.as_deref());
        writer.option(d.source_line.as_deref());
        writer.u32(d.caret());
    }
    Some(())
}

/// Decodes what [`write_rendered`] encoded.
fn read_rendered(reader: &mut Reader) -> Option<Rendered> {
    const STRING: usize = 8;
    let mut rendered = Rendered::default();
    for _ in 0..reader.count(1 + 2 * STRING)? {
        rendered.toc.push(TocEntry {
            level: reader.u8()?,
            id: reader.string()?,
            title: reader.string()?,
        });
    }
    for _ in 0..reader.count(STRING)? {
        rendered.ids.push(reader.string()?);
    }
    for _ in 0..reader.count(1 + 4 * STRING)? {
        rendered.blocks.push(TextBlock {
            anchor: reader.string()?,
            heading: reader.string()?,
            level: reader.u8()?,
            text: reader.string()?,
            code: reader.string()?,
        });
    }
    for _ in 0..reader.count(4 * STRING)? {
        rendered.anchor_refs.push(AnchorRef {
            page: reader.string()?,
            anchor: reader.string()?,
            line: reader.usize()?,
            column: reader.usize()?,
        });
    }
    for _ in 0..reader.count(1 + 6 * STRING)? {
        let severity = match reader.u8()? {
            0 => Severity::Warning,
            1 => Severity::Error,
            _ => return None,
        };
        let path = PathBuf::from(reader.string()?);
        let line = reader.usize()?;
        let column = reader.usize()?;
        let message = reader.string()?;
        let mut d = match severity {
            Severity::Warning => Diagnostic::warning(path, line, column, message),
            Severity::Error => Diagnostic::error(path, line, column, message),
        };
        d.help = reader.option()?;
        d.source_line = reader.option()?;
        rendered.diagnostics.push(d.with_caret(reader.u32()?));
    }
    Some(rendered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Rendered {
        Rendered {
            toc: vec![TocEntry {
                level: 2,
                id: "etapes".into(),
                title: "Étapes".into(),
            }],
            ids: vec!["etapes".into(), "fin".into()],
            blocks: vec![TextBlock {
                anchor: "etapes".into(),
                heading: "Étapes".into(),
                level: 2,
                text: "Ouvrir le portail".into(),
                code: "ls -l".into(),
            }],
            anchor_refs: vec![AnchorRef {
                page: "a/b.md".into(),
                anchor: "x".into(),
                line: 7,
                column: 3,
            }],
            diagnostics: vec![
                Diagnostic::warning("content/a.md", 7, 3, "no heading `x` in a/b.md")
                    .with_help("use one of: y")
                    .with_source("l1\nl2\nl3\nl4\nl5\nl6\nsee [b](b.md#x)\n"),
            ],
            ..Rendered::default()
        }
    }

    #[test]
    fn a_rendering_reads_back_as_it_was_written() {
        let mut writer = Writer::default();
        write_rendered(&mut writer, &sample()).unwrap();
        let mut reader = Reader::new(&writer.0);
        let back = read_rendered(&mut reader).unwrap();
        assert!(reader.is_at_end());
        let original = sample();
        assert_eq!(back.toc, original.toc);
        assert_eq!(back.ids, original.ids);
        assert_eq!(back.blocks, original.blocks);
        assert_eq!(back.anchor_refs, original.anchor_refs);
        assert_eq!(back.diagnostics, original.diagnostics);
        assert_eq!(back.diagnostics[0].caret(), original.diagnostics[0].caret());
        assert_eq!(back.diagnostics[0].caret(), 2);
    }

    #[test]
    fn every_cut_of_an_entry_is_refused_without_panicking() {
        let mut writer = Writer::default();
        write_rendered(&mut writer, &sample()).unwrap();
        for len in 0..writer.0.len() {
            let mut reader = Reader::new(&writer.0[..len]);
            let read = read_rendered(&mut reader);
            assert!(read.is_none() || !reader.is_at_end(), "cut at {len}");
        }
    }

    #[test]
    fn a_count_larger_than_the_entry_is_refused_before_allocating() {
        let mut writer = Writer::default();
        writer.u64(u64::MAX);
        assert!(read_rendered(&mut Reader::new(&writer.0)).is_none());
    }

    #[test]
    fn the_caches_sit_beside_the_output_folder() {
        assert_eq!(
            cache_path(Path::new("/x/site")),
            PathBuf::from("/x/.site.cache")
        );
        assert_eq!(
            search_cache_path(Path::new("/x/site")),
            PathBuf::from("/x/.site.search-cache")
        );
    }
}
