//! A file of named byte entries that a build writes for the next one (the build cache and
//! the search analysis cache), kept beside the output folder.
//!
//! The file is written under a temporary name while the build runs, and renamed over the
//! previous one only once the build is published ([`CacheFile::publish`]): a failed build
//! never writes it. A file that is missing, cut short, damaged or of another version or key
//! is ignored, and so is any entry whose bytes no longer have their recorded hash: deleting
//! the file is always safe. Layout (integers little-endian, strings length-prefixed):
//!
//! ```text
//! MAGIC  FORMAT:u32  version:str  key:u128
//! entry*                                   the bytes of each entry, one after the other
//! index: count:u64 (name:str offset:u64 len:u64 hash:u128)*
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

/// The first bytes of a cache file.
const MAGIC: &[u8] = b"guichet build cache\n";
/// The layout's version: a cache of another layout is ignored.
const FORMAT: u32 = 1;
/// The last bytes of a cache file: a file cut short lacks them.
const END: &[u8] = b"end\n";
/// The footer's size: index offset, index hash, [`END`].
const FOOTER_LEN: usize = 8 + 16 + END.len();

/// One build's use of a cache file: the previous file to read entries from, and the next
/// one being written.
pub(crate) struct CacheFile {
    previous: Option<Previous>,
    next: Option<Mutex<Next>>,
    path: PathBuf,
    tmp_path: PathBuf,
}

/// An entry read back: its bytes, which had the hash it was recorded with.
pub(crate) struct Entry {
    /// The entry's bytes.
    pub bytes: Vec<u8>,
    /// Their [`checksum`].
    pub hash: u128,
}

/// The previous file and where each entry is in it.
struct Previous {
    file: File,
    entries: HashMap<String, Located>,
}

/// Where an entry is in the file, and the hash of its bytes.
#[derive(Clone, Copy)]
struct Located {
    offset: u64,
    len: u64,
    hash: u128,
}

/// The file being written.
struct Next {
    writer: BufWriter<File>,
    offset: u64,
    index: Vec<(String, Located)>,
    failed: bool,
}

impl CacheFile {
    /// A cache that is neither read nor written.
    pub(crate) fn none() -> CacheFile {
        CacheFile {
            previous: None,
            next: None,
            path: PathBuf::new(),
            tmp_path: PathBuf::new(),
        }
    }

    /// Opens the cache at `path` for a build whose key is `key`: the previous file is read
    /// when it is whole and has that key, and the next one is started under a temporary name.
    /// Nothing here fails: a cache that cannot be read or written is only a slower build.
    pub(crate) fn open(path: PathBuf, key: u128) -> CacheFile {
        // Unique to this build, even beside another build of the same process (`serve`).
        static BUILDS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let build = BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut tmp_name = path.as_os_str().to_owned();
        tmp_name.push(format!(".tmp-{}-{build}", std::process::id()));
        let tmp_path = PathBuf::from(tmp_name);
        remove_abandoned(&path);
        let previous = Previous::open(&path, key);
        let next = Next::create(&tmp_path, key).map(Mutex::new);
        CacheFile {
            previous,
            next,
            path,
            tmp_path,
        }
    }

    /// Whether this build writes the cache (so whether entries are worth making).
    pub(crate) fn is_active(&self) -> bool {
        self.next.is_some()
    }

    /// The entry named `name` in the previous file, when its bytes still have their hash.
    pub(crate) fn read(&self, name: &str) -> Option<Entry> {
        let previous = self.previous.as_ref()?;
        let located = *previous.entries.get(name)?;
        let mut bytes = vec![0; usize::try_from(located.len).ok()?];
        previous
            .file
            .read_exact_at(&mut bytes, located.offset)
            .ok()?;
        (checksum(&bytes) == located.hash).then_some(Entry {
            bytes,
            hash: located.hash,
        })
    }

    /// Adds the entry `name`, whose bytes `bytes` have hash `hash`, to the next file.
    pub(crate) fn append(&self, name: &str, bytes: &[u8], hash: u128) {
        let Some(next) = &self.next else {
            return;
        };
        let Ok(mut next) = next.lock() else {
            return;
        };
        next.append(name, bytes, hash);
    }

    /// Replaces the previous file with the one this build wrote, once the build is
    /// published. A file that could not be written is removed rather than left stale.
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

impl Drop for CacheFile {
    fn drop(&mut self) {
        // A build that was not published leaves the previous file, which matches the output
        // it left.
        if self.next.take().is_some() {
            let _ = fs::remove_file(&self.tmp_path);
        }
    }
}

/// Removes the temporary files that builds killed before publishing left beside the cache
/// at `path` (`.site.cache.tmp-<process>-<build>`), once their process is gone: a running
/// build's file is left alone. Where processes cannot be looked up (no `/proc`), none is
/// removed.
fn remove_abandoned(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!("{}.tmp-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    if !Path::new("/proc/self").exists() {
        return;
    }
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(process) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new("/proc").join(process.to_string()).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

impl Previous {
    fn open(path: &Path, key: u128) -> Option<Previous> {
        let file = File::open(path).ok()?;
        let len = file.metadata().ok()?.len();
        let header = header(key);
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
        if checksum(&index) != index_hash {
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
    fn create(path: &Path, key: u128) -> Option<Next> {
        let file = File::create(path).ok()?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        let header = header(key);
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
        footer.u128(checksum(&index.0));
        footer.0.extend_from_slice(END);
        self.writer.write_all(&index.0)?;
        self.writer.write_all(&footer.0)?;
        self.writer.flush()
    }
}

/// The checksum an entry and the index are recorded with: it tells a damaged file (a
/// change in any one 8-byte word always changes it), and reads 8 bytes a step, several times
/// faster than [`crate::digest::content_hash`] over the tens of megabytes a rebuild reads back.
pub(crate) fn checksum(bytes: &[u8]) -> u128 {
    use std::hash::Hasher;
    let mut hasher = crate::search::WordHasher::default();
    hasher.write(bytes);
    u128::from(hasher.finish()) | (bytes.len() as u128) << 64
}

/// The first bytes of a cache file of this guichet and this key.
fn header(key: u128) -> Vec<u8> {
    let mut writer = Writer::default();
    writer.0.extend_from_slice(MAGIC);
    writer.u32(FORMAT);
    writer.string(env!("CARGO_PKG_VERSION"));
    writer.u128(key);
    writer.0
}

/// A 128-bit hash of a sequence of byte strings, each length-prefixed so that no two
/// sequences run together.
pub(crate) struct KeyHasher(SipHasher13);

impl Default for KeyHasher {
    fn default() -> Self {
        KeyHasher(SipHasher13::new_with_keys(0, 0))
    }
}

impl KeyHasher {
    /// Adds one byte string.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        self.0.write(&(bytes.len() as u64).to_le_bytes());
        self.0.write(bytes);
    }

    /// Adds guichet itself: its version, and the running binary by size and modification
    /// time, since another build of guichet (with the same version number) may render or
    /// analyse differently.
    pub(crate) fn guichet(&mut self) {
        self.bytes(env!("CARGO_PKG_VERSION").as_bytes());
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
            // Unknown binary: a key no other run shares, so the cache is never used.
            Err(_) => self.bytes(&std::process::id().to_le_bytes()),
        }
    }

    /// The hash.
    pub(crate) fn finish(self) -> u128 {
        self.0.finish128().as_u128()
    }
}

/// Bytes being encoded.
#[derive(Default)]
pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn u8(&mut self, value: u8) {
        self.0.push(value);
    }
    pub(crate) fn u32(&mut self, value: u32) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, value: u64) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }
    pub(crate) fn u128(&mut self, value: u128) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }
    pub(crate) fn string(&mut self, value: &str) {
        self.u64(value.len() as u64);
        self.0.extend_from_slice(value.as_bytes());
    }
    pub(crate) fn option(&mut self, value: Option<&str>) {
        match value {
            Some(value) => {
                self.u8(1);
                self.string(value);
            }
            None => self.u8(0),
        }
    }
    pub(crate) fn count(&mut self, n: usize) {
        self.u64(n as u64);
    }
}

/// Bytes being decoded: every read is checked, and `None` means a damaged entry.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(taken)
    }
    pub(crate) fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    pub(crate) fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }
    pub(crate) fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }
    pub(crate) fn string(&mut self) -> Option<String> {
        let len = self.usize()?;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }
    pub(crate) fn option(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.string()?)),
            _ => None,
        }
    }
    /// A count of items each at least `min_size` bytes long: a damaged count cannot ask
    /// for more memory than the entry holds.
    pub(crate) fn count(&mut self, min_size: usize) -> Option<usize> {
        let n = self.usize()?;
        (n.checked_mul(min_size)? <= self.rest.len()).then_some(n)
    }
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.rest
    }
    pub(crate) fn is_at_end(&self) -> bool {
        self.rest.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_only_from_a_whole_file_of_the_same_key() {
        let dir = std::env::temp_dir().join(format!("guichet-cache-file-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(".site.cache");
        let cache = CacheFile::open(path.clone(), 7);
        cache.append("a", b"alpha", checksum(b"alpha"));
        cache.append("b", b"beta", checksum(b"beta"));
        cache.publish();
        let cache = CacheFile::open(path.clone(), 7);
        assert_eq!(cache.read("a").unwrap().bytes, b"alpha");
        assert_eq!(cache.read("b").unwrap().bytes, b"beta");
        assert!(cache.read("c").is_none());
        drop(cache);
        // Dropped without publishing: the file of the previous build stays, and no
        // temporary file is left.
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        assert!(CacheFile::open(path.clone(), 8).read("a").is_none());
        let whole = fs::read(&path).unwrap();
        for len in 0..whole.len() {
            fs::write(&path, &whole[..len]).unwrap();
            assert!(
                CacheFile::open(path.clone(), 7).read("a").is_none(),
                "cut at {len}"
            );
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_killed_build_s_temporary_file_is_removed_by_the_next_build_but_a_running_one_s_is_not() {
        let dir = std::env::temp_dir().join(format!("guichet-cache-tmp-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(".site.cache");
        // No process has this id (above Linux's largest, 2^22).
        let killed = dir.join(".site.cache.tmp-4194305-0");
        let running = dir.join(format!(".site.cache.tmp-{}-99", std::process::id()));
        let other = dir.join(".site.search-cache.tmp-4194305-0");
        for file in [&killed, &running, &other] {
            fs::write(file, b"partial").unwrap();
        }
        let cache = CacheFile::open(path.clone(), 1);
        assert!(!killed.exists());
        assert!(running.exists());
        assert!(other.exists(), "another cache's files are its own to clean");
        cache.publish();
        let _ = fs::remove_dir_all(&dir);
    }
}
