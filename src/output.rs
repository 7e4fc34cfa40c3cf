//! Writing site/: every build goes to a staging folder beside the output, which replaces the
//! output only once the whole build succeeded. A failed build leaves the previous site
//! byte for byte, and no file of an earlier build survives a successful one.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// A build in progress: files are written into a hidden sibling of the output folder.
pub struct Staging {
    final_dir: PathBuf,
    tmp_dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder next to `final_dir` (same file system, so the final
    /// swap is a rename).
    pub fn new(final_dir: &Path) -> Result<Staging, Diagnostic> {
        let name = final_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        let parent = final_dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp_dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp_dir);
        fs::create_dir_all(&tmp_dir)
            .map_err(|e| io_error(&tmp_dir, "cannot create the staging folder", e))?;
        Ok(Staging {
            final_dir: final_dir.to_path_buf(),
            tmp_dir,
            committed: false,
        })
    }

    /// The folder files are written to during the build.
    pub fn dir(&self) -> &Path {
        &self.tmp_dir
    }

    /// Writes `bytes` at `rel` (a `/`-separated path inside the site), creating folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.tmp_dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| io_error(parent, "cannot create the folder", e))?;
        }
        fs::write(&path, bytes).map_err(|e| io_error(&path, "cannot write the file", e))
    }

    /// Copies a file into the site at `rel`.
    pub fn copy(&self, from: &Path, rel: &str) -> Result<(), Diagnostic> {
        let path = self.tmp_dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| io_error(parent, "cannot create the folder", e))?;
        }
        fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| io_error(from, "cannot copy the file", e))
    }

    /// Replaces the output folder with the staging folder.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let old = self.tmp_dir.with_extension("old");
        let _ = fs::remove_dir_all(&old);
        let had_previous = self.final_dir.exists();
        if had_previous {
            fs::rename(&self.final_dir, &old)
                .map_err(|e| io_error(&self.final_dir, "cannot move the previous site aside", e))?;
        }
        if let Err(e) = fs::rename(&self.tmp_dir, &self.final_dir) {
            if had_previous {
                let _ = fs::rename(&old, &self.final_dir);
            }
            return Err(io_error(
                &self.final_dir,
                "cannot put the new site in place",
                e,
            ));
        }
        self.committed = true;
        let _ = fs::remove_dir_all(&old);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp_dir);
        }
    }
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::file_error(path, format!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_discards() {
        let base = std::env::temp_dir().join(format!("guichet-output-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(base.join("site")).unwrap();
        fs::write(base.join("site/stale.html"), "old").unwrap();
        let out = base.join("site");

        let s = Staging::new(&out).unwrap();
        s.write("a/index.html", b"new").unwrap();
        drop(s);
        assert_eq!(fs::read_to_string(out.join("stale.html")).unwrap(), "old");

        let s = Staging::new(&out).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(!out.join("stale.html").exists());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        let leftovers: Vec<_> = fs::read_dir(&base)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["site"]);
        fs::remove_dir_all(&base).unwrap();
    }
}
