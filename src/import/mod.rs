//! What every `guichet import` shares: files written with a stamp of their content, so that a
//! second import updates only the files guichet wrote and nobody edited since.
//!
//! An imported file carries `imported: <hash>` in its front matter, where the hash covers the
//! whole file without that line. When the file's text no longer matches its stamp, a person
//! edited it: the import leaves it alone (unless forced) and says so.

use std::fs::OpenOptions;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

pub mod glpi;
pub mod markdown;

/// The front-matter key that holds the stamp.
pub const STAMP_KEY: &str = "imported";

/// What an import does with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The file does not exist yet.
    Create,
    /// guichet wrote it, nobody edited it, and the new text differs.
    Update,
    /// guichet wrote it and the new text is the same.
    Unchanged,
    /// Someone edited it since the last import (or wrote it by hand): left alone.
    KeepEdited,
    /// Edited since, but `--force` was given: overwritten.
    Overwrite,
}

/// The counts and the files an import reports at its end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files written for the first time.
    pub created: Vec<PathBuf>,
    /// Files guichet had written and rewrote.
    pub updated: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: usize,
    /// Files edited by hand since, left alone.
    pub kept_edited: Vec<PathBuf>,
    /// Files edited by hand since, overwritten because of `--force`.
    pub overwritten: Vec<PathBuf>,
}

impl Summary {
    /// Records what was done with `path`.
    pub fn record(&mut self, path: &Path, action: Action) {
        let path = path.to_path_buf();
        match action {
            Action::Create => self.created.push(path),
            Action::Update => self.updated.push(path),
            Action::Unchanged => self.unchanged += 1,
            Action::KeepEdited => self.kept_edited.push(path),
            Action::Overwrite => self.overwritten.push(path),
        }
    }
}

/// Adds the stamp to `text`, a Markdown file that starts with a `---` front matter: the
/// `imported:` line goes last in the front matter.
pub fn stamped(text: &str) -> String {
    let hash = content_hash(text);
    match front_matter_end(text) {
        Some(end) => format!("{}{STAMP_KEY}: {hash}\n{}", &text[..end], &text[end..]),
        None => format!("---\n{STAMP_KEY}: {hash}\n---\n{text}"),
    }
}

/// What writing `new_text` (already [`stamped`]) to `path` would do, given the file there.
pub fn plan(path: &Path, new_text: &str, force: bool) -> io::Result<Action> {
    let old = match std::fs::read_to_string(path) {
        Ok(old) => old,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Action::Create),
        Err(e) => return Err(e),
    };
    Ok(if old == new_text {
        Action::Unchanged
    } else if is_untouched(&old) {
        Action::Update
    } else if force {
        Action::Overwrite
    } else {
        Action::KeepEdited
    })
}

/// Carries out `action` for `path` (creating its folder), unless `dry_run`.
pub fn apply(path: &Path, new_text: &str, action: Action, dry_run: bool) -> io::Result<()> {
    if dry_run || matches!(action, Action::Unchanged | Action::KeepEdited) {
        return Ok(());
    }
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    write_file(path, new_text, &options)
}

/// Writes `text` to `path` (creating its folder) only if nothing is there yet: `Ok(false)`,
/// and nothing written, when a file (or anything else) already is. For the files an import
/// knows to be new from the folder's listing: one system call creates the file, where
/// [`plan`] then [`apply`] would first look for it, and a file that appeared since the
/// listing is still never overwritten unread.
pub fn create_new(path: &Path, text: &str) -> io::Result<bool> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    match write_file(path, text, &options) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Opens `path` with `options` and writes `text` in one call. The folder is created only
/// when the open says it is missing: asking for it before every file would cost two system
/// calls per file for a folder made once.
fn write_file(path: &Path, text: &str, options: &OpenOptions) -> io::Result<()> {
    let mut file = match options.open(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            options.open(path)?
        }
        opened => opened?,
    };
    file.write_all(text.as_bytes())
}

/// True when `text` carries a stamp that matches its content: guichet wrote it and nobody
/// changed a byte since.
pub fn is_untouched(text: &str) -> bool {
    let Some((line, stamp)) = stamp_line(text) else {
        return false;
    };
    let without = format!("{}{}", &text[..line.start], &text[line.end..]);
    content_hash(&without) == stamp
}

/// The range of the `imported:` line (with its newline) in the front matter, and its value.
fn stamp_line(text: &str) -> Option<(std::ops::Range<usize>, &str)> {
    let end = front_matter_end(text)?;
    let mut offset = 0;
    for line in text[..end].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if let Some(value) = line
            .strip_prefix(STAMP_KEY)
            .and_then(|r| r.strip_prefix(':'))
        {
            return Some((start..offset, value.trim()));
        }
    }
    None
}

/// Where the closing `---` line of the front matter starts, for a file that opens with one.
fn front_matter_end(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("---\n")?;
    if rest.starts_with("---\n") {
        return Some(4);
    }
    rest.find("\n---\n").map(|i| 4 + i + 1)
}

/// 32 hex digits that change when any byte of `text` does.
fn content_hash(text: &str) -> String {
    format!("{:032x}", crate::digest::content_hash(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "---\ntitle: Imprimante\n---\n\nCorps.\n";

    #[test]
    fn a_stamped_file_is_untouched_until_a_byte_changes() {
        let s = stamped(PAGE);
        assert!(s.starts_with("---\ntitle: Imprimante\nimported: "));
        assert!(s.ends_with("\n---\n\nCorps.\n"));
        assert!(is_untouched(&s));
        assert!(!is_untouched(&s.replace("Corps.", "Corps !")));
        assert!(!is_untouched(&s.replace("Imprimante", "Imprimantes")));
        assert!(!is_untouched(PAGE));
    }

    #[test]
    fn the_plan_follows_the_file_on_disk() {
        let dir = std::env::temp_dir().join(format!("guichet-import-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.md");
        let _ = std::fs::remove_file(&path);
        let first = stamped(PAGE);
        assert_eq!(plan(&path, &first, false).unwrap(), Action::Create);
        apply(&path, &first, Action::Create, false).unwrap();
        assert_eq!(plan(&path, &first, false).unwrap(), Action::Unchanged);
        let second = stamped(&PAGE.replace("Corps.", "Nouveau corps."));
        assert_eq!(plan(&path, &second, false).unwrap(), Action::Update);
        std::fs::write(&path, first.replace("Corps.", "Corps corrigé à la main.")).unwrap();
        assert_eq!(plan(&path, &second, false).unwrap(), Action::KeepEdited);
        assert_eq!(plan(&path, &second, true).unwrap(), Action::Overwrite);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn create_new_makes_the_folder_and_never_replaces_a_file() {
        let dir = std::env::temp_dir().join(format!("guichet-create-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("sub/a.md");
        assert!(create_new(&path, "premier").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "premier");
        assert!(!create_new(&path, "second").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "premier");
        apply(&path, "second", Action::Update, false).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "second");
        let other = dir.join("other/b.md");
        apply(&other, "b", Action::Create, false).unwrap();
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "b");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
