//! The list of the files a build wrote, kept inside the folder it built (`.guichet-files`), so
//! that the folder carries the list of what it holds when it becomes the next build's spare.
//! That build then deletes the listed files it did not write instead of walking every folder
//! of the spare (at 100,000 pages, listing the spare's folders costs seconds).
//!
//! A list is only trusted when it cannot be wrong. It is read and deleted as the spare is
//! reused, so a build that fails leaves a spare without one. It must parse whole (header,
//! count, end line), every path relative and inside the folder. And no folder may have
//! changed since the list was written, which the folders' change times tell (`ctime`, which
//! nobody can set back, unlike the modification time that `rsync -a` or `touch` restore): a
//! folder changed at or after the list was written is read, and one entry in it that the list
//! does not hold, a file added by hand for instance, makes the build walk the whole spare.
//!
//! Each line also holds a hash of the file's bytes as the build wrote them
//! ([`crate::digest::content_hash`]), so that a rebuild tells a file of the spare that
//! already holds its new bytes without reading it: the hashes must match, and the file must not have changed since the list was
//! written (its own change time, which an edit by hand moves forward, is older than the
//! list's). Otherwise the file is read and compared as before.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// The file, at the root of a built folder, that lists the other files of that folder.
pub(crate) const MANIFEST: &str = ".guichet-files";

/// The first line of a manifest; a manifest of another version is not read.
const HEADER: &str = "guichet files 2";
/// What a line holds instead of a hash for a file copied from the sources, whose bytes the
/// build did not hash: the next build reads it to compare.
const NO_HASH: &str = "-";
/// The last line of a manifest: a manifest cut short lacks it.
const END: &str = "end";

/// The paths of `files` (inside `dir`) relative to `dir`, sorted, each with the hash of the
/// bytes written there (`None` for a copied file); `None` when a path cannot be a line of a
/// manifest (not UTF-8, or holding a line break).
pub(super) fn relative<'a>(
    dir: &Path,
    files: &'a HashMap<PathBuf, Option<u128>>,
) -> Option<Vec<(&'a str, Option<u128>)>> {
    let mut lines: Vec<(&str, Option<u128>)> = Vec::with_capacity(files.len());
    for (file, hash) in files {
        let rel = file.strip_prefix(dir).ok()?.to_str()?;
        if rel.contains(['\n', '\r']) {
            return None;
        }
        lines.push((rel, *hash));
    }
    lines.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    Some(lines)
}

/// Writes the manifest of `dir`: `lines` are every file in it with its hash, as [`relative`]
/// gave them (sorted, so that a build writes the same manifest for the same site).
pub(super) fn write(dir: &Path, lines: &[(&str, Option<u128>)]) -> io::Result<()> {
    use std::fmt::Write as _;
    let mut text =
        String::with_capacity(lines.iter().map(|(l, _)| l.len() + 34).sum::<usize>() + 64);
    text.push_str(HEADER);
    text.push('\n');
    text.push_str(&lines.len().to_string());
    text.push('\n');
    for (line, hash) in lines {
        match hash {
            Some(hash) => {
                let _ = write!(text, "{hash:032x}");
            }
            None => text.push_str(NO_HASH),
        }
        text.push(' ');
        text.push_str(line);
        text.push('\n');
    }
    text.push_str(END);
    text.push('\n');
    fs::write(dir.join(MANIFEST), text)
}

/// The files a reused spare held, as its manifest listed them: the manifest's text is kept
/// whole rather than as 100,000 strings, which would add to the build's peak memory.
pub(super) struct Listed {
    text: String,
    count: usize,
    /// When the manifest was written: a file changed since may not hold its listed bytes.
    written: (i64, i64),
}

impl Listed {
    /// The list of a folder created empty.
    pub(super) fn empty() -> Listed {
        Listed {
            text: String::new(),
            count: 0,
            written: (i64::MIN, 0),
        }
    }

    /// The lines: (hash or [`NO_HASH`], path relative to the folder), sorted by path.
    fn lines(&self) -> impl Iterator<Item = (&str, &str)> {
        self.text
            .split('\n')
            .skip(2)
            .take(self.count)
            .map(|line| line.split_once(' ').unwrap_or(("", line)))
    }

    /// The files, as paths relative to the folder, sorted.
    fn files(&self) -> impl Iterator<Item = &str> {
        self.lines().map(|(_, file)| file)
    }

    /// Whether the file at `path`, listed as `rel`, holds bytes of hash `hash` and length
    /// `len` as far as the manifest tells: listed with that hash, and the file (not a link)
    /// has that length and has not changed since the manifest was written.
    pub(super) fn vouches_for(&self, rel: &str, path: &Path, hash: u128, len: usize) -> bool {
        let Some(listed) = self.hash_of(rel) else {
            return false;
        };
        listed == hash
            && fs::symlink_metadata(path).is_ok_and(|meta| {
                meta.is_file() && meta.len() == len as u64 && change_time(&meta) < self.written
            })
    }

    /// The hash the manifest lists for `rel`, found by halving (the lines are sorted).
    fn hash_of(&self, rel: &str) -> Option<u128> {
        if self.count == 0 {
            return None;
        }
        let lines = self.text.split_once('\n')?.1.split_once('\n')?.1;
        // `parse` took the text whole: the listed lines, then the end line.
        let body = lines.strip_suffix('\n')?.strip_suffix(END)?;
        let (mut low, mut high) = (0, body.len());
        // Halving over bytes: each step finds the line around the middle.
        while low < high {
            let middle = low + (high - low) / 2;
            let start = body[..middle].rfind('\n').map_or(0, |i| i + 1);
            let end = start + body[start..].find('\n')?;
            let (hash, file) = body[start..end].split_once(' ')?;
            match file.cmp(rel) {
                std::cmp::Ordering::Equal => return u128::from_str_radix(hash, 16).ok(),
                std::cmp::Ordering::Less => low = end + 1,
                std::cmp::Ordering::Greater => high = start,
            }
        }
        None
    }
}

/// The files of `dir` (a reused spare) as its manifest lists them, when that list is right;
/// `None` when it may be wrong or is missing, and `dir` must be walked. The manifest is
/// deleted either way: it describes the folder before this build writes into it.
pub(super) fn take(dir: &Path) -> Option<Listed> {
    let path = dir.join(MANIFEST);
    let read = fs::symlink_metadata(&path)
        .ok()
        .filter(fs::Metadata::is_file)
        .and_then(|meta| Some((fs::read_to_string(&path).ok()?, change_time(&meta))));
    let files = read.and_then(|(text, written)| {
        let count = parse(&text)?;
        let listed = Listed {
            text,
            count,
            written,
        };
        holds_only(dir, &listed, written).then_some(listed)
    });
    match fs::remove_file(&path) {
        Ok(()) => files,
        Err(e) if e.kind() == io::ErrorKind::NotFound => files,
        // A manifest left in place would describe the folder wrongly once this build wrote
        // into it: walking it is safe.
        Err(_) => None,
    }
}

/// How many paths a manifest lists, or `None` when it is not a whole manifest of this
/// version, a path could lead outside the folder, or the paths are not sorted (each one
/// once), as guichet writes them.
fn parse(text: &str) -> Option<usize> {
    let mut lines = text.split('\n');
    if lines.next()? != HEADER {
        return None;
    }
    let count: usize = lines.next()?.parse().ok()?;
    let mut previous: Option<&str> = None;
    for _ in 0..count {
        let (hash, file) = lines.next()?.split_once(' ')?;
        let hashed = hash.len() == 32 && hash.bytes().all(|b| b.is_ascii_hexdigit());
        if !hashed && hash != NO_HASH {
            return None;
        }
        let inside = file
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
        if !inside || previous.is_some_and(|p| p >= file) {
            return None;
        }
        previous = Some(file);
    }
    let whole = lines.next()? == END && lines.next()?.is_empty() && lines.next().is_none();
    whole.then_some(count)
}

/// When the file system last changed the inode behind `meta` (its entries, for a folder).
fn change_time(meta: &fs::Metadata) -> (i64, i64) {
    (meta.ctime(), meta.ctime_nsec())
}

/// Whether `dir` holds no entry but `files`, their folders and the manifest, given that the
/// manifest was written at `written` after every other file. Files deleted since are fine.
fn holds_only(dir: &Path, listed: &Listed, written: (i64, i64)) -> bool {
    let folders = folders_of(listed.files());
    if listed.files().any(|f| folders.contains(f)) {
        return false; // a path listed both as a file and as a folder
    }
    // Only folders changed since the manifest was written need reading; the root always is,
    // as renaming it (site/ to the spare) changes it.
    let changed: Option<Vec<&str>> = folders
        .par_iter()
        .filter_map(|&folder| match fs::symlink_metadata(dir.join(folder)) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Ok(meta) if meta.is_dir() && change_time(&meta) < written && !folder.is_empty() => None,
            Ok(meta) if meta.is_dir() => Some(Some(folder)),
            _ => Some(None), // unreadable, or no longer a folder
        })
        .collect();
    let Some(changed) = changed else {
        return false;
    };
    let expected = entries_of(&changed, listed);
    changed.par_iter().all(|folder| {
        let Ok(entries) = fs::read_dir(dir.join(folder)) else {
            return false;
        };
        entries.into_iter().all(|entry| {
            let Ok(entry) = entry else { return false };
            let Ok(kind) = entry.file_type() else {
                return false;
            };
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                return false;
            };
            if folder.is_empty() && name == MANIFEST && kind.is_file() {
                return true;
            }
            let listed = expected.get(folder).and_then(|names| names.get(name));
            matches!(listed, Some(&is_dir) if is_dir == kind.is_dir() && (is_dir || kind.is_file()))
        })
    })
}

/// For each folder of `changed`, the names the manifest puts in it, each with whether it is a
/// folder.
fn entries_of<'a>(
    changed: &[&'a str],
    listed: &'a Listed,
) -> HashMap<&'a str, HashMap<&'a str, bool>> {
    let mut expected: HashMap<&str, HashMap<&str, bool>> =
        changed.iter().map(|&f| (f, HashMap::new())).collect();
    for file in listed.files() {
        let mut path = file;
        let mut is_dir = false;
        loop {
            let (parent, name) = match path.rfind('/') {
                Some(slash) => (&path[..slash], &path[slash + 1..]),
                None => ("", path),
            };
            if let Some(names) = expected.get_mut(parent) {
                names.insert(name, is_dir);
            }
            if parent.is_empty() {
                break;
            }
            path = parent;
            is_dir = true;
        }
    }
    expected
}

/// Deletes the files of `listed` (paths relative to `dir`, sorted, as [`take`] returned them)
/// that are not in `written` (sorted too), then the folders of `listed` that none of
/// `written` is in.
pub(super) fn remove_unwritten(
    dir: &Path,
    listed: &Listed,
    written: &[(&str, Option<u128>)],
) -> io::Result<()> {
    // Both sorted: one pass over each, no hashing of 100,000 paths.
    let mut rest = written.iter().peekable();
    let stale: Vec<&str> = listed
        .files()
        .filter(|file| {
            while rest.next_if(|(w, _)| *w < *file).is_some() {}
            rest.peek().map(|(w, _)| *w) != Some(*file)
        })
        .collect();
    stale
        .par_iter()
        .try_for_each(|file| ignore_missing(fs::remove_file(dir.join(file))))?;
    let kept = folders_of(written.iter().map(|(file, _)| *file));
    let mut folders: Vec<&str> = folders_of(listed.files())
        .into_iter()
        .filter(|folder| !kept.contains(folder))
        .collect();
    // The deepest first, so that each is empty when its turn comes.
    folders.sort_unstable_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    folders
        .iter()
        .try_for_each(|folder| ignore_missing(fs::remove_dir(dir.join(folder))))
}

/// The folders that `files` (relative paths) are in, with their own folders, the root (`""`)
/// included.
fn folders_of<'a>(files: impl Iterator<Item = &'a str>) -> HashSet<&'a str> {
    let mut folders: HashSet<&str> = HashSet::from([""]);
    for file in files {
        let mut path = file;
        while let Some(slash) = path.rfind('/') {
            path = &path[..slash];
            if !folders.insert(path) {
                break; // its own folders are in already
            }
        }
    }
    folders
}

/// `result`, with "not found" taken as done: a file of the list deleted by hand.
fn ignore_missing(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}
