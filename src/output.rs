//! Writing site/: every build goes to a staging folder beside the output, which replaces the
//! output only once the whole build succeeded. A failed build leaves the previous site
//! byte for byte, and no file of an earlier build survives a successful one.
//!
//! Creating thousands of folders and files is what costs most in a build (the file system
//! allocates an inode for each). So the site replaced by a build is not deleted: it is kept as
//! a hidden spare (`.site.spare` beside `site/`), and the next build writes over it, reusing
//! its folders and files, then deletes whatever it did not write. Each built folder lists its
//! files (see [`manifest`]), so that this deletion reads the list instead of every folder of
//! the spare; when the list may be wrong (missing, cut short, or a folder changed since, by a
//! file added by hand for instance), the build walks the spare's folders instead. Either way
//! the staging folder holds exactly this build's files (and their list) when it is published:
//! the list is used only once the spare is known to hold nothing else. A folder not built by
//! guichet is refused before any of this ([`check_output_folder`]).

mod manifest;

pub(crate) use manifest::MANIFEST;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;

/// The file that marks a folder as built by guichet: only such a folder (or an empty or
/// missing one) may be replaced by a build.
pub const MARKER: &str = ".guichet-site";

/// What the marker file says to whoever opens it.
pub const MARKER_TEXT: &str =
    "Built by guichet. Each build replaces this whole folder: keep no other file here.\n";

/// Refuses an output folder whose replacement would lose files that no build made: the site
/// folder itself or a folder holding it, a folder inside the sources, or an existing folder
/// that is not a site built by guichet. A build replaces its output folder whole and, one
/// build later, deletes what the replaced folder held.
pub fn check_output_folder(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root = resolved(root);
    let resolved_out = resolved(out);
    if root.starts_with(&resolved_out) {
        return Err(Diagnostic::file_error(
            out,
            "the output folder is the site folder or holds it: a build replaces its output folder whole, which would remove the sources",
        )
        .with_help("build into a folder of its own, such as `site` (the default)"));
    }
    if let Some(source) = crate::source_layout::SOURCE_DIRS
        .iter()
        .find(|dir| resolved_out.starts_with(root.join(dir)))
    {
        return Err(Diagnostic::file_error(out, inside_sources(source))
        .with_help("build into a folder outside content/, workflows/, templates/, themes/ and static/, such as `site` (the default)"));
    }
    if out.is_file() {
        return Err(Diagnostic::file_error(out, "the output folder is a file")
            .with_help("remove or rename that file, or build elsewhere with --out"));
    }
    if !built_by_guichet(out) {
        return Err(Diagnostic::file_error(
            out,
            "this folder exists and was not built by guichet: a build replaces its output folder whole, so its files would be lost",
        )
        .with_help(format!(
            "move or rename that folder, or build elsewhere with --out (guichet marks the folders it builds with a `{MARKER}` file)"
        )));
    }
    Ok(())
}

/// Whether `dir` may be replaced: missing, empty, marked, or a site of a guichet version
/// older than the marker (recognised by its search index, which only guichet writes).
fn built_by_guichet(dir: &Path) -> bool {
    let Ok(mut entries) = fs::read_dir(dir) else {
        return true;
    };
    entries.next().is_none()
        || dir.join(MARKER).is_file()
        || ["fr", "en"]
            .iter()
            .any(|lang| dir.join("search").join(lang).join("meta.json").is_file())
}

/// Why an output folder inside the source folder `dir` is refused (here and in guichet.yaml).
pub(crate) fn inside_sources(dir: &str) -> String {
    format!("the output folder is inside `{dir}/`: the build would read its own output as sources")
}

/// `path` made absolute, with symbolic links resolved as far as it exists.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => resolved(parent).join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// The file `.<name><suffix>` beside the output folder `out` (`.site.cache` beside `site/`
/// for the suffix `.cache`).
pub(crate) fn beside_output(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}{suffix}"))
}

/// A build in progress: files are written into a hidden sibling of the output folder.
pub struct Staging {
    final_dir: PathBuf,
    tmp_dir: PathBuf,
    spare_dir: PathBuf,
    /// The files written, each with the hash of its bytes (`None` for a copied file).
    written: Mutex<HashMap<PathBuf, Option<u128>>>,
    /// The files the staging folder held before this build, when its manifest could be
    /// trusted (or it was created empty); `None`: its folders are walked at commit.
    spare_files: Option<manifest::Listed>,
    /// Folders known to exist, so each is created once, not once per file.
    folders: Mutex<HashSet<PathBuf>>,
    committed: bool,
    /// True for [`Staging::discarding`]: nothing is written, nothing is published.
    discard: bool,
    /// The folder, inside the site, that paths are written under: a translated site's
    /// language (`en/`), else empty.
    prefix: String,
}

impl Staging {
    /// Prepares a staging folder next to `final_dir` (same file system, so the final swap is
    /// a rename), starting from the spare of the previous build when there is one, whose
    /// list of files is read (and deleted) here, before anything is written into it.
    pub fn new(final_dir: &Path) -> Result<Staging, Diagnostic> {
        let tmp_dir = beside_output(final_dir, &format!(".tmp-{}", std::process::id()));
        let spare_dir = beside_output(final_dir, ".spare");
        let _ = fs::remove_dir_all(&tmp_dir);
        let spare_files = if fs::rename(&spare_dir, &tmp_dir).is_ok() {
            manifest::take(&tmp_dir)
        } else {
            fs::create_dir_all(&tmp_dir)
                .map_err(|e| io_error(&tmp_dir, "cannot create the staging folder", e))?;
            Some(manifest::Listed::empty())
        };
        Ok(Staging {
            final_dir: final_dir.to_path_buf(),
            tmp_dir,
            spare_dir,
            written: Mutex::new(HashMap::new()),
            spare_files,
            folders: Mutex::new(HashSet::new()),
            committed: false,
            discard: false,
            prefix: String::new(),
        })
    }

    /// A staging that writes nothing, for `guichet check`: rendering goes through every step
    /// and check of a build, and the output folder `final_dir` is only read (its PNGs are
    /// reused as a build reuses them).
    pub(crate) fn discarding(final_dir: &Path) -> Staging {
        Staging {
            final_dir: final_dir.to_path_buf(),
            tmp_dir: final_dir.to_path_buf(),
            spare_dir: final_dir.to_path_buf(),
            written: Mutex::new(HashMap::new()),
            spare_files: None,
            folders: Mutex::new(HashSet::new()),
            committed: false,
            discard: true,
            prefix: String::new(),
        }
    }

    /// Folders that may hold an earlier build's files: the current output, then the spare
    /// this build writes over (before it does).
    pub fn earlier_outputs(&self) -> Vec<PathBuf> {
        if self.prefix.is_empty() {
            return vec![self.final_dir.clone(), self.tmp_dir.clone()];
        }
        vec![
            self.final_dir.join(&self.prefix),
            self.tmp_dir.join(&self.prefix),
        ]
    }

    /// Writes what follows under `prefix` (`en/`, a translated site's language), or at the
    /// site's root for an empty prefix.
    pub(crate) fn set_prefix(&mut self, prefix: &str) {
        self.prefix = prefix.to_string();
    }

    /// Writes `bytes` at `rel` (a `/`-separated path inside the site), creating folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.write_hashed(rel, bytes).map(|_| ())
    }

    /// [`Staging::write`], returning the hash of `bytes` ([`crate::digest::content_hash`]),
    /// which the build cache records.
    pub(crate) fn write_hashed(&self, rel: &str, bytes: &[u8]) -> Result<u128, Diagnostic> {
        let hash = crate::digest::content_hash(bytes);
        if self.discard {
            return Ok(hash);
        }
        let path = self.path_of(rel);
        // A file the manifest vouches for is there, and so is its folder.
        let unchanged = self.listed_unchanged(&path, hash, bytes.len());
        if !unchanged {
            self.make_folder(&path)?;
        }
        self.record(&path, Some(hash))?;
        if unchanged || holds(&path, bytes) {
            return Ok(hash);
        }
        fs::write(&path, bytes)
            .map(|()| hash)
            .map_err(|e| io_error(&path, "cannot write the file", e))
    }

    /// Puts at `rel` the file an earlier build wrote there, whose bytes had hash `hash` and
    /// length `len` (as the build cache recorded them): left as it is when the spare's
    /// manifest vouches for it, else copied from the current output after checking its hash.
    /// `Ok(false)`: no earlier file has those bytes, and the caller must render it.
    pub(crate) fn reuse(&self, rel: &str, hash: u128, len: usize) -> Result<bool, Diagnostic> {
        if self.discard {
            return Ok(false);
        }
        let path = self.path_of(rel);
        if self.listed_unchanged(&path, hash, len) {
            self.record(&path, Some(hash))?;
            return Ok(true);
        }
        match fs::read(self.in_folder(&self.final_dir, rel)) {
            Ok(bytes) if bytes.len() == len && crate::digest::content_hash(&bytes) == hash => {
                self.write_hashed(rel, &bytes).map(|_| true)
            }
            _ => Ok(false),
        }
    }

    /// Copies a file into the site at `rel`.
    pub fn copy(&self, from: &Path, rel: &str) -> Result<(), Diagnostic> {
        if self.discard {
            return Ok(());
        }
        let path = self.prepare(rel, None)?;
        if same_files(from, &path) {
            return Ok(());
        }
        fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| io_error(from, "cannot copy the file", e))
    }

    /// Whether the spare's manifest vouches that the file at `path` already holds bytes of
    /// hash `hash` and length `len`, so that it need not be read to be compared.
    fn listed_unchanged(&self, path: &Path, hash: u128, len: usize) -> bool {
        let Some(listed) = &self.spare_files else {
            return false;
        };
        path.strip_prefix(&self.tmp_dir)
            .ok()
            .and_then(Path::to_str)
            .is_some_and(|rel| listed.vouches_for(rel, path, hash, len))
    }

    /// Records `rel` as written, with the hash of its bytes, and makes sure its folder exists.
    fn prepare(&self, rel: &str, hash: Option<u128>) -> Result<PathBuf, Diagnostic> {
        let path = self.path_of(rel);
        self.make_folder(&path)?;
        self.record(&path, hash)?;
        Ok(path)
    }

    /// Where `rel` is written in the staging folder.
    fn path_of(&self, rel: &str) -> PathBuf {
        self.in_folder(&self.tmp_dir, rel)
    }

    /// Where `rel` (under the current prefix) is inside the site folder `dir`.
    fn in_folder(&self, dir: &Path, rel: &str) -> PathBuf {
        if self.prefix.is_empty() {
            dir.join(rel)
        } else {
            dir.join(&self.prefix).join(rel)
        }
    }

    /// Makes sure the folder of `path` exists.
    fn make_folder(&self, path: &Path) -> Result<(), Diagnostic> {
        if let Some(parent) = path.parent() {
            // Only folders already created are inserted, so even a poisoned set is right.
            let folders = || self.folders.lock().unwrap_or_else(PoisonError::into_inner);
            if !folders().contains(parent) {
                fs::create_dir_all(parent)
                    .map_err(|e| io_error(parent, "cannot create the folder", e))?;
                folders().insert(parent.to_path_buf());
            }
        }
        Ok(())
    }

    /// Records `path` as written, with the hash of its bytes (`None` for a copy).
    fn record(&self, path: &Path, hash: Option<u128>) -> Result<(), Diagnostic> {
        self.written
            .lock()
            .map_err(|_| self.interrupted())?
            .insert(path.to_path_buf(), hash);
        Ok(())
    }

    /// The error of a build whose writing was interrupted by a panic in another thread.
    fn interrupted(&self) -> Diagnostic {
        Diagnostic::file_error(
            &self.final_dir,
            "the build was interrupted while writing the site: it is not published, and the previous site is kept",
        )
        .with_help("build again; if this happens again, please report it with the messages above")
    }

    /// Deletes what the reused spare held and this build did not write, lists the files of
    /// the staging folder in its manifest, then replaces the output folder with the staging
    /// folder; the previous output becomes the next spare.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        if self.discard {
            return Ok(());
        }
        // A thread that panicked while writing may have left the record of written files
        // short: cleaning with it would delete files of this build, so nothing is published.
        let written = std::mem::take(&mut *self.written.lock().map_err(|_| self.interrupted())?);
        let files = manifest::relative(&self.tmp_dir, &written);
        match (&self.spare_files, &files) {
            (Some(listed), Some(files)) => manifest::remove_unwritten(&self.tmp_dir, listed, files),
            _ => remove_unwritten(&self.tmp_dir, &written).map(|_| ()),
        }
        .map_err(|e| io_error(&self.tmp_dir, "cannot clean the staging folder", e))?;
        // Written last: the manifest's date tells which folders changed after it. A site with
        // a path no manifest can hold gets none, and its next build walks it.
        if let Some(files) = &files {
            manifest::write(&self.tmp_dir, files)
                .map_err(|e| io_error(&self.tmp_dir, "cannot list the site's files", e))?;
        }
        let _ = fs::remove_dir_all(&self.spare_dir);
        let had_previous = self.final_dir.exists();
        if had_previous {
            fs::rename(&self.final_dir, &self.spare_dir)
                .map_err(|e| io_error(&self.final_dir, "cannot move the previous site aside", e))?;
        }
        if let Err(e) = fs::rename(&self.tmp_dir, &self.final_dir) {
            if had_previous {
                let _ = fs::rename(&self.spare_dir, &self.final_dir);
            }
            return Err(io_error(
                &self.final_dir,
                "cannot put the new site in place",
                e,
            ));
        }
        self.committed = true;
        Ok(())
    }
}

/// Whether the file at `path` already holds exactly `bytes`. A spare reused by a rebuild
/// mostly does: leaving such files alone skips truncating and reallocating them, which is
/// what writing costs on a file system mounted with `discard`, and keeps their dates.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    if !file
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
    {
        return false;
    }
    // Compared chunk by chunk: no buffer the size of the file, and a difference stops early.
    let mut chunk = [0u8; 16 * 1024];
    let mut rest = bytes;
    while !rest.is_empty() {
        let want = rest.len().min(chunk.len());
        if file.read_exact(&mut chunk[..want]).is_err() || chunk[..want] != rest[..want] {
            return false;
        }
        rest = &rest[want..];
    }
    true
}

/// Whether `copy` already has the bytes of `original` ([`holds`] for copied files).
fn same_files(original: &Path, copy: &Path) -> bool {
    let len = |p: &Path| fs::metadata(p).map(|m| m.len()).ok();
    len(copy).is_some()
        && len(copy) == len(original)
        && fs::read(original).is_ok_and(|b| holds(copy, &b))
}

/// Removes every file under `dir` that is not in `keep`, and the folders left empty.
/// Returns whether `dir` itself is now empty. Sub-folders are walked in parallel: a site of
/// 10,000 pages has 10,000 folders to list.
fn remove_unwritten(dir: &Path, keep: &HashMap<PathBuf, Option<u128>>) -> std::io::Result<bool> {
    let entries = fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
    let kept: Vec<bool> = entries
        .par_iter()
        .map(|entry| {
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                if remove_unwritten(&path, keep)? {
                    fs::remove_dir(&path)?;
                    return Ok(false);
                }
                Ok(true)
            } else if keep.contains_key(&path) {
                Ok(true)
            } else {
                fs::remove_file(&path)?;
                Ok(false)
            }
        })
        .collect::<std::io::Result<_>>()?;
    Ok(!kept.contains(&true))
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed && !self.discard {
            // A half-written folder is still a fine spare: the next build cleans it.
            if fs::rename(&self.tmp_dir, &self.spare_dir).is_err() {
                let _ = fs::remove_dir_all(&self.tmp_dir);
            }
        }
    }
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::file_error(path, format!("{what}: {e}"))
}

#[cfg(test)]
mod tests;
