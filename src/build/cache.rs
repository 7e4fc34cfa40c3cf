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
//! The file is written under a temporary name while the build renders, and renamed over the
//! previous cache only once the build is published: a failed build never writes it. A cache
//! that is missing, cut short, damaged or of another version is ignored (a cold build), and
//! deleting it is always safe. Layout (integers little-endian, strings length-prefixed):
//!
//! ```text
//! MAGIC  FORMAT:u32  version:str  site_key:u128
//! entry*                                   each: source_hash:u128 html_hash:u128 html_len:u64 rendered
//! index: count:u64 (path:str offset:u64 len:u64 hash:u128)*
//! footer: index_offset:u64 index_hash:u128 END
//! ```

use std::collections::HashMap;
use std::fs::{self, File};
use std::hash::Hasher as _;
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use siphasher::sip128::{Hasher128, SipHasher13};

use crate::data::SiteData;
use crate::diagnostics::{Diagnostic, Severity};
use crate::markdown::{AnchorRef, Rendered, TextBlock, TocEntry};
use crate::site::{Page, Site};
use crate::source_layout::{CONFIG_FILE, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR, WORKFLOWS_DIR};

/// The first bytes of a cache file.
const MAGIC: &[u8] = b"guichet build cache\n";
/// The layout's version: a cache of another layout is ignored.
const FORMAT: u32 = 1;
/// The last bytes of a cache file: a file cut short lacks them.
const END: &[u8] = b"end\n";
/// The footer's size: index offset, index hash, [`END`].
const FOOTER_LEN: usize = 8 + 16 + END.len();

/// The cache file of the output folder `out`: `.site.cache` beside `site/`.
pub(crate) fn cache_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.cache"))
}

/// One build's use of the cache: the previous cache to read pages from, and the next one
/// being written.
pub(crate) struct BuildCache {
    previous: Option<Previous>,
    next: Option<Mutex<Next>>,
    path: PathBuf,
    tmp_path: PathBuf,
    /// Pages taken from the previous cache.
    reused: std::sync::atomic::AtomicUsize,
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

/// The previous cache: its file and where each page's entry is.
struct Previous {
    file: File,
    entries: HashMap<String, Located>,
}

/// Where an entry is in the cache file, and the hash of its bytes.
#[derive(Clone, Copy)]
struct Located {
    offset: u64,
    len: u64,
    hash: u128,
}

/// The cache being written.
struct Next {
    writer: BufWriter<File>,
    offset: u64,
    index: Vec<(String, Located)>,
    failed: bool,
}

impl BuildCache {
    /// A build that neither reads nor writes a cache (a translated site, `guichet check`).
    pub(crate) fn none() -> BuildCache {
        BuildCache {
            previous: None,
            next: None,
            path: PathBuf::new(),
            tmp_path: PathBuf::new(),
            reused: Default::default(),
        }
    }

    /// Opens the cache of the output folder `out` for a build whose site key is `site_key`:
    /// the previous cache is read when it is whole and has that key, and the next one is
    /// started under a temporary name. Nothing here fails: a cache that cannot be read or
    /// written is only a slower build.
    pub(crate) fn open(out: &Path, site_key: u128) -> BuildCache {
        let path = cache_path(out);
        // Unique to this build, even beside another build of the same process (`serve`).
        static BUILDS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let build = BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp_path = path.with_extension(format!("cache.tmp-{}-{build}", std::process::id()));
        let previous = Previous::open(&path, site_key);
        let next = Next::create(&tmp_path, site_key).map(Mutex::new);
        BuildCache {
            previous,
            next,
            path,
            tmp_path,
            reused: Default::default(),
        }
    }

    /// Whether the build writes a cache (so whether its pages are worth recording).
    pub(crate) fn is_active(&self) -> bool {
        self.next.is_some()
    }

    /// The page as the previous cache holds it, when its file has exactly the bytes the cache
    /// saw.
    pub(crate) fn lookup(&self, page: &Page) -> Option<CachedPage> {
        let previous = self.previous.as_ref()?;
        let located = *previous.entries.get(&page.source.rel_path)?;
        let len = usize::try_from(located.len).ok()?;
        let mut raw = vec![0; len];
        previous.file.read_exact_at(&mut raw, located.offset).ok()?;
        if crate::digest::content_hash(&raw) != located.hash {
            return None;
        }
        let mut reader = Reader::new(&raw);
        let source_hash = reader.u128()?;
        if source_hash != source_hash_of(page) {
            return None;
        }
        let html_hash = reader.u128()?;
        let html_len = usize::try_from(reader.u64()?).ok()?;
        let rendered = read_rendered(&mut reader)?;
        reader.is_at_end().then_some(CachedPage {
            rendered,
            html_hash,
            html_len,
            raw,
            raw_hash: located.hash,
        })
    }

    /// Records that the page `page` was taken from the cache as `cached`: its entry goes into
    /// the next cache unchanged.
    pub(crate) fn keep(&self, page: &Page, cached: &CachedPage) {
        self.reused
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.append(&page.source.rel_path, &cached.raw, cached.raw_hash);
    }

    /// Records a page just rendered, whose output file has hash `html_hash` and length
    /// `html_len`. A rendering that wrote files or masked some, or whose warnings name a
    /// path that is not UTF-8, is not recorded.
    pub(crate) fn record(
        &self,
        page: &Page,
        rendered: &Rendered,
        html_hash: u128,
        html_len: usize,
    ) {
        if self.next.is_none() || !rendered.files.is_empty() || !rendered.masked.is_empty() {
            return;
        }
        let mut writer = Writer::default();
        writer.u128(source_hash_of(page));
        writer.u128(html_hash);
        writer.u64(html_len as u64);
        if write_rendered(&mut writer, rendered).is_some() {
            let hash = crate::digest::content_hash(&writer.0);
            self.append(&page.source.rel_path, &writer.0, hash);
        }
    }

    /// The number of pages taken from the cache so far.
    pub(crate) fn reused(&self) -> usize {
        self.reused.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Adds an entry, whose bytes `raw` have hash `hash`, to the next cache.
    fn append(&self, rel_path: &str, raw: &[u8], hash: u128) {
        let Some(next) = &self.next else {
            return;
        };
        let Ok(mut next) = next.lock() else {
            return;
        };
        next.append(rel_path, raw, hash);
    }

    /// Replaces the previous cache with the one this build wrote, once the build is
    /// published. A cache that could not be written is removed rather than left stale.
    pub(crate) fn publish(mut self) {
        let Some(next) = self.next.take() else {
            return;
        };
        let finished = next
            .into_inner()
            .ok()
            .and_then(|next| next.finish().ok())
            .is_some();
        if !finished || fs::rename(&self.tmp_path, &self.path).is_err() {
            let _ = fs::remove_file(&self.tmp_path);
            let _ = fs::remove_file(&self.path);
        }
    }
}

impl Drop for BuildCache {
    fn drop(&mut self) {
        // A build that was not published leaves the previous cache, which matches the
        // output it left.
        if self.next.take().is_some() {
            let _ = fs::remove_file(&self.tmp_path);
        }
    }
}

impl Previous {
    fn open(path: &Path, site_key: u128) -> Option<Previous> {
        let file = File::open(path).ok()?;
        let len = file.metadata().ok()?.len();
        let header = header(site_key);
        if len < (header.len() + FOOTER_LEN) as u64 {
            return None;
        }
        let mut start = vec![0; header.len()];
        file.read_exact_at(&mut start, 0).ok()?;
        if start != header {
            return None;
        }
        let mut footer = [0; FOOTER_LEN];
        file.read_exact_at(&mut footer, len - FOOTER_LEN as u64)
            .ok()?;
        let mut reader = Reader::new(&footer);
        let index_offset = reader.u64()?;
        let index_hash = reader.u128()?;
        if reader.rest() != END {
            return None;
        }
        let index_end = len - FOOTER_LEN as u64;
        if index_offset < header.len() as u64 || index_offset > index_end {
            return None;
        }
        let mut index = vec![0; usize::try_from(index_end - index_offset).ok()?];
        file.read_exact_at(&mut index, index_offset).ok()?;
        if crate::digest::content_hash(&index) != index_hash {
            return None;
        }
        let entries = read_index(&index, header.len() as u64, index_offset)?;
        Some(Previous { file, entries })
    }
}

/// The entries' places, each inside `start..end` of the file.
fn read_index(index: &[u8], start: u64, end: u64) -> Option<HashMap<String, Located>> {
    let mut reader = Reader::new(index);
    let count = usize::try_from(reader.u64()?).ok()?;
    let mut entries = HashMap::with_capacity(count.min(index.len() / 40));
    for _ in 0..count {
        let path = reader.string()?;
        let located = Located {
            offset: reader.u64()?,
            len: reader.u64()?,
            hash: reader.u128()?,
        };
        if located.offset < start || located.offset.checked_add(located.len)? > end {
            return None;
        }
        entries.insert(path, located);
    }
    reader.is_at_end().then_some(entries)
}

impl Next {
    fn create(path: &Path, site_key: u128) -> Option<Next> {
        let file = File::create(path).ok()?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        let header = header(site_key);
        writer.write_all(&header).ok()?;
        Some(Next {
            writer,
            offset: header.len() as u64,
            index: Vec::new(),
            failed: false,
        })
    }

    fn append(&mut self, rel_path: &str, raw: &[u8], hash: u128) {
        if self.failed {
            return;
        }
        if self.writer.write_all(raw).is_err() {
            self.failed = true;
            return;
        }
        let located = Located {
            offset: self.offset,
            len: raw.len() as u64,
            hash,
        };
        self.index.push((rel_path.to_string(), located));
        self.offset += raw.len() as u64;
    }

    /// Writes the index and the footer, and flushes the file.
    fn finish(mut self) -> std::io::Result<()> {
        if self.failed {
            return Err(std::io::Error::other("the cache could not be written"));
        }
        // Sorted, so that the same pages give the same index whatever the threads' order.
        self.index.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut index = Writer::default();
        index.u64(self.index.len() as u64);
        for (path, located) in &self.index {
            index.string(path);
            index.u64(located.offset);
            index.u64(located.len);
            index.u128(located.hash);
        }
        let mut footer = Writer::default();
        footer.u64(self.offset);
        footer.u128(crate::digest::content_hash(&index.0));
        footer.0.extend_from_slice(END);
        self.writer.write_all(&index.0)?;
        self.writer.write_all(&footer.0)?;
        self.writer.flush()
    }
}

/// The first bytes of a cache of this guichet and this site key.
fn header(site_key: u128) -> Vec<u8> {
    let mut writer = Writer::default();
    writer.0.extend_from_slice(MAGIC);
    writer.u32(FORMAT);
    writer.string(env!("CARGO_PKG_VERSION"));
    writer.u128(site_key);
    writer.0
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
    key.bytes(env!("CARGO_PKG_VERSION").as_bytes());
    key.binary_identity();
    key.bytes(&[u8::from(options.drafts)]);
    key.file(&site.root.join(CONFIG_FILE));
    for dir in [WORKFLOWS_DIR, TEMPLATES_DIR, THEMES_DIR, STATIC_DIR] {
        key.folder(&site.root, Path::new(dir), 0);
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

/// A 128-bit hash of a sequence of byte strings, each length-prefixed so that no two
/// sequences run together.
struct KeyHasher(SipHasher13);

impl Default for KeyHasher {
    fn default() -> Self {
        KeyHasher(SipHasher13::new_with_keys(0, 0))
    }
}

impl KeyHasher {
    fn bytes(&mut self, bytes: &[u8]) {
        self.0.write(&(bytes.len() as u64).to_le_bytes());
        self.0.write(bytes);
    }

    /// The running binary, by size and modification time: another build of guichet (with
    /// the same version number) may render differently.
    fn binary_identity(&mut self) {
        let meta = std::env::current_exe().and_then(fs::metadata);
        match meta {
            Ok(meta) => {
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                self.bytes(&meta.len().to_le_bytes());
                self.bytes(&modified.to_le_bytes());
            }
            // Unknown binary: a key no other build shares, so the cache is never used.
            Err(_) => self.bytes(&std::process::id().to_le_bytes()),
        }
    }

    /// A file's bytes, or a mark that it is missing or unreadable.
    fn file(&mut self, path: &Path) {
        match fs::read(path) {
            Ok(bytes) => self.bytes(&bytes),
            Err(_) => self.bytes(b"\0missing"),
        }
    }

    /// Every file under `root/dir`, in the order of their names, with its path.
    fn folder(&mut self, root: &Path, dir: &Path, depth: usize) {
        // Deep enough for any real site; stops a loop of symbolic links.
        if depth > 32 {
            self.bytes(b"\0too deep");
            return;
        }
        let Ok(entries) = fs::read_dir(root.join(dir)) else {
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
            self.bytes(rel.as_os_str().as_encoded_bytes());
            if path.is_dir() {
                self.folder(root, &rel, depth + 1);
            } else {
                self.file(&path);
            }
        }
    }

    fn finish(self) -> u128 {
        self.0.finish128().as_u128()
    }
}

/// Bytes being encoded.
#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, value: u8) {
        self.0.push(value);
    }
    fn u32(&mut self, value: u32) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }
    fn u64(&mut self, value: u64) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }
    fn u128(&mut self, value: u128) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }
    fn string(&mut self, value: &str) {
        self.u64(value.len() as u64);
        self.0.extend_from_slice(value.as_bytes());
    }
    fn option(&mut self, value: Option<&str>) {
        match value {
            Some(value) => {
                self.u8(1);
                self.string(value);
            }
            None => self.u8(0),
        }
    }
    fn count(&mut self, n: usize) {
        self.u64(n as u64);
    }
}

/// Bytes being decoded: every read is checked, and `None` means a damaged entry.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(taken)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }
    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }
    fn string(&mut self) -> Option<String> {
        let len = self.usize()?;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }
    fn option(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.string()?)),
            _ => None,
        }
    }
    /// A count of items each at least `min_size` bytes long: a damaged count cannot ask
    /// for more memory than the entry holds.
    fn count(&mut self, min_size: usize) -> Option<usize> {
        let n = self.usize()?;
        (n.checked_mul(min_size)? <= self.rest.len()).then_some(n)
    }
    fn rest(&self) -> &'a [u8] {
        self.rest
    }
    fn is_at_end(&self) -> bool {
        self.rest.is_empty()
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
    fn the_cache_sits_beside_the_output_folder() {
        assert_eq!(
            cache_path(Path::new("/x/site")),
            PathBuf::from("/x/.site.cache")
        );
        assert_eq!(cache_path(Path::new("out")), PathBuf::from("./.out.cache"));
    }
}
