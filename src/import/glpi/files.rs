//! The files of a GLPI import: which exist already (by ticket or article id), what writing
//! each one does, and the writing itself, in ticket order on one thread.
//!
//! A first import creates every file: the folder's listing says so, and each file costs one
//! open (create-only), one write and one close. A file that appeared after the listing, or
//! any file the listing holds, is read and planned through [`crate::import`]'s stamp first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::GlpiOptions;
use super::write;
use crate::diagnostics::Diagnostic;
use crate::import::{Action, Summary, apply, create_new, plan};

/// A file to write (or not) and what writing it does: its text is kept only when it is to
/// be written.
pub(super) struct Planned {
    path: PathBuf,
    plan: Result<(Action, Option<String>), Diagnostic>,
    /// The folder's listing holds no file for this id: the plan is [`Action::Create`]
    /// without reading, and the writer creates the file only if it is still absent.
    listed_absent: bool,
}

impl Planned {
    /// The plan for writing `text` to `path`: the file there is read and compared, unless
    /// the folder's listing says it is `absent` (nothing to read on a first import, where
    /// every file is new).
    pub(super) fn new(path: PathBuf, text: String, absent: bool, force: bool) -> Self {
        let plan = if absent {
            Ok(Action::Create)
        } else {
            read_plan(&path, &text, force)
        };
        let plan = plan.map(|action| match action {
            Action::Unchanged | Action::KeepEdited => (action, None),
            _ => (action, Some(text)),
        });
        Planned {
            path,
            plan,
            listed_absent: absent,
        }
    }
}

/// [`plan`], with the file named in its error.
fn read_plan(path: &Path, text: &str, force: bool) -> Result<Action, Diagnostic> {
    plan(path, text, force)
        .map_err(|e| Diagnostic::file_error(path, format!("cannot read it: {e}")))
}

/// Writes the planned files of each chunk received, in order, and sums them up; stops at
/// the first that cannot be read or written.
pub(super) fn write_planned(
    chunks: std::sync::mpsc::Receiver<Vec<Planned>>,
    options: &GlpiOptions,
    tick: &(dyn Fn() + Sync),
) -> Result<Summary, Diagnostic> {
    let mut summary = Summary::default();
    for chunk in chunks {
        for Planned {
            path,
            plan,
            listed_absent,
        } in chunk
        {
            let (action, text) = plan?;
            let action = match text {
                Some(text) if listed_absent => write_new(&path, &text, options)?,
                Some(text) => {
                    write_planned_file(&path, &text, action, options.dry_run)?;
                    action
                }
                None => action,
            };
            tick();
            summary.record(&path, action);
        }
    }
    sort_lists(&mut summary);
    Ok(summary)
}

/// Creates a file the folder's listing did not hold; if one appeared there since, it is
/// read and planned like any existing file (so an edited file is still kept).
fn write_new(path: &Path, text: &str, options: &GlpiOptions) -> Result<Action, Diagnostic> {
    if options.dry_run {
        return Ok(Action::Create);
    }
    let created = create_new(path, text)
        .map_err(|e| Diagnostic::file_error(path, format!("cannot write it: {e}")))?;
    if created {
        return Ok(Action::Create);
    }
    let action = read_plan(path, text, options.force)?;
    write_planned_file(path, text, action, false)?;
    Ok(action)
}

/// [`apply`], with the file named in its error.
fn write_planned_file(
    path: &Path,
    text: &str,
    action: Action,
    dry_run: bool,
) -> Result<(), Diagnostic> {
    apply(path, text, action, dry_run)
        .map_err(|e| Diagnostic::file_error(path, format!("cannot write it: {e}")))
}

/// The listed files in name order, whatever order they were written in.
fn sort_lists(summary: &mut Summary) {
    for list in [
        &mut summary.created,
        &mut summary.updated,
        &mut summary.kept_edited,
        &mut summary.overwritten,
    ] {
        list.sort();
    }
}

/// The files of a folder named `<id>-….md` or `<id>.md`, by id: a ticket whose title
/// changed in GLPI keeps its file.
pub(super) struct Existing {
    found: BTreeMap<u64, PathBuf>,
    /// The listing is whole (or the folder does not exist): an id it does not hold has no
    /// file, which spares a first import a look for each file.
    complete: bool,
}

impl Existing {
    /// The file of `id` in `into`: the one found, or else the one named after `title`; and
    /// whether it is known not to exist.
    pub(super) fn path(&self, into: &Path, id: u64, title: &str) -> (PathBuf, bool) {
        match self.found.get(&id) {
            Some(path) => (path.clone(), false),
            None => (into.join(write::file_name(id, title)), self.complete),
        }
    }
}

/// Lists `dir` (see [`Existing`]).
pub(super) fn files_by_id(dir: &Path) -> Existing {
    let mut found = BTreeMap::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            let complete = e.kind() == std::io::ErrorKind::NotFound;
            return Existing { found, complete };
        }
    };
    let mut complete = true;
    for entry in entries {
        let Ok(entry) = entry else {
            complete = false;
            continue;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".md") else {
            continue;
        };
        let digits = stem.split('-').next().unwrap_or("");
        if let Ok(id) = digits.parse::<u64>() {
            found.entry(id).or_insert_with(|| entry.path());
        }
    }
    Existing { found, complete }
}

/// Plans and writes every file (the articles: a knowledge base holds far fewer than the
/// tickets), planned in parallel and written in order; `Err` on the first file that cannot
/// be read or written.
pub(super) fn write_all(
    files: Vec<(PathBuf, String, bool)>,
    options: &GlpiOptions,
    tick: &(dyn Fn() + Sync),
) -> Result<Summary, Diagnostic> {
    let planned: Vec<Planned> = files
        .into_par_iter()
        .map(|(path, text, absent)| Planned::new(path, text, absent, options.force))
        .collect();
    let (send, receive) = std::sync::mpsc::sync_channel(1);
    // The receiver is read below on this thread: the one chunk fits the channel.
    send.send(planned)
        .expect("the receiver is alive until the end of this function");
    drop(send);
    write_planned(receive, options, tick)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::stamped;

    fn options(into: &Path, force: bool) -> GlpiOptions {
        GlpiOptions {
            source: None,
            url: None,
            into: into.to_path_buf(),
            kb_into: into.join("kb"),
            anonymise: false,
            dry_run: false,
            force,
        }
    }

    /// Plans `text` for ticket 7 against the folder's listing, runs `between`, then
    /// writes it: the summary.
    fn import_one(into: &Path, text: &str, force: bool, between: impl FnOnce()) -> Summary {
        let existing = files_by_id(into);
        let (path, absent) = existing.path(into, 7, "Imprimante");
        let planned = Planned::new(path, text.to_string(), absent, force);
        between();
        let (send, receive) = std::sync::mpsc::sync_channel(1);
        send.send(vec![planned]).unwrap();
        drop(send);
        write_planned(receive, &options(into, force), &|| {}).unwrap()
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("guichet-glpi-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_first_import_creates_the_folder_and_the_file() {
        let root = temp("first");
        let into = root.join("content/tickets");
        let text = stamped("---\nid: 7\n---\n\nCorps.\n");
        let summary = import_one(&into, &text, false, || {});
        let path = into.join("7-imprimante.md");
        assert_eq!(summary.created, vec![path.clone()]);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_file_that_appears_after_the_listing_is_read_before_being_written() {
        let into = temp("race");
        std::fs::create_dir_all(&into).unwrap();
        let path = into.join("7-imprimante.md");
        let text = stamped("---\nid: 7\n---\n\nCorps.\n");
        let by_hand = "---\nid: 7\n---\n\nÉcrit à la main.\n";
        let summary = import_one(&into, &text, false, || {
            std::fs::write(&path, by_hand).unwrap()
        });
        assert_eq!(summary.kept_edited, vec![path.clone()]);
        assert!(summary.created.is_empty());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), by_hand);
        std::fs::remove_file(&path).unwrap();

        let summary = import_one(&into, &text, true, || {
            std::fs::write(&path, by_hand).unwrap()
        });
        assert_eq!(summary.overwritten, vec![path.clone()]);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        std::fs::remove_file(&path).unwrap();

        let summary = import_one(&into, &text, false, || {
            std::fs::write(&path, &text).unwrap()
        });
        assert_eq!(summary.unchanged, 1);
        assert!(summary.created.is_empty());
        std::fs::remove_dir_all(&into).unwrap();
    }

    #[test]
    fn a_listed_file_is_found_by_its_id_whatever_its_title() {
        let into = temp("listed");
        std::fs::create_dir_all(&into).unwrap();
        std::fs::write(into.join("7-ancien-titre.md"), "x").unwrap();
        std::fs::write(into.join("notes.md"), "x").unwrap();
        let existing = files_by_id(&into);
        assert_eq!(
            existing.path(&into, 7, "Imprimante"),
            (into.join("7-ancien-titre.md"), false)
        );
        assert_eq!(
            existing.path(&into, 8, "Écran"),
            (into.join("8-ecran.md"), true)
        );
        std::fs::remove_dir_all(&into).unwrap();
    }
}
