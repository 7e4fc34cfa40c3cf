//! `guichet import glpi`: GLPI's tickets (CSV export of the ticket list, REST API v1 and
//! high-level API JSON, or the live API), their follow-ups, tasks, solution and status
//! history, and its knowledge-base articles, as write-ups in `content/tickets/` and pages in
//! `content/kb/`.
//!
//! The pipeline: read every source ([`Harvest`]), attach loose items to their ticket, check
//! each ticket against the write-up rules, convert and sanitise the rich text (and
//! anonymise), then plan and write each file through [`crate::import`]'s stamp so that a
//! re-import leaves edited files alone.

mod anonymise;
mod api;
mod csv_export;
mod decode;
mod files;
mod html;
mod labels;
mod live;
mod record;
mod validate;
mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use anonymise::{KEY_VARIABLE, key_file};
pub use live::{APP_TOKEN_VARIABLE, USER_TOKEN_VARIABLE};
pub use record::Rejected;

use super::{Summary, stamped};
use crate::diagnostics::Diagnostic;
use anonymise::{Anonymiser, Sightings};
use files::{Planned, files_by_id, write_all, write_planned};
use record::{Harvest, KbArticle, TicketRecord};
use write::TicketBody;

/// What `guichet import glpi` was asked to do.
#[derive(Debug, Clone)]
pub struct GlpiOptions {
    /// An export file, or a folder of them (every `.csv` and `.json` in it).
    pub source: Option<PathBuf>,
    /// Live mode: the API's URL (`https://glpi.example/apirest.php`).
    pub url: Option<String>,
    /// Where ticket write-ups go.
    pub into: PathBuf,
    /// Where knowledge-base articles go.
    pub kb_into: PathBuf,
    /// Pseudonyms for people, masks for contact data and secrets.
    pub anonymise: bool,
    /// Write nothing, only say what would change.
    pub dry_run: bool,
    /// Overwrite files edited by hand since the last import.
    pub force: bool,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct GlpiReport {
    /// The ticket files.
    pub tickets: Summary,
    /// The article files.
    pub articles: Summary,
    /// Rows and items left out, with why.
    pub rejected: Vec<Rejected>,
    /// Things the user should know (unknown columns, dropped histories…).
    pub notes: Vec<String>,
    /// Without `--anonymise`: what personal data the written files hold, if any.
    pub personal_data: Option<String>,
}

/// Runs the import. `progress` gets (files done, files in all) as they are written, and
/// (tickets fetched, tickets in all) in live mode. `Err` when a source is not a GLPI
/// export, cannot be read, or a file cannot be written: nothing is written from a source
/// that fails to read.
pub fn import_glpi(
    options: &GlpiOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<GlpiReport, Diagnostic> {
    let mut harvest = match (&options.url, &options.source) {
        (Some(url), _) => live::fetch(url, progress)
            .map_err(|m| Diagnostic::file_error(url, m).with_help(live_help()))?,
        (None, Some(source)) => read_source(source)?,
        (None, None) => {
            return Err(Diagnostic::file_error(".", "nothing to import")
                .with_help("give an export file or folder, or --url with the API's address"));
        }
    };
    harvest.merge();
    keep_last_of_each_id(&mut harvest);
    let mut report = GlpiReport {
        rejected: std::mem::take(&mut harvest.rejected),
        notes: std::mem::take(&mut harvest.notes),
        ..GlpiReport::default()
    };
    let tickets = checked_tickets(std::mem::take(&mut harvest.tickets), &mut report);
    let anonymiser = if options.anonymise {
        let key = anonymise::load_key().map_err(|m| {
            Diagnostic::file_error(key_file().unwrap_or_default(), m).with_help(format!(
                "or set {KEY_VARIABLE} to a secret kept outside the site"
            ))
        })?;
        Some(Anonymiser::new(key, people(&tickets)))
    } else {
        None
    };
    let article_files = render_articles(
        &harvest.articles,
        anonymiser.as_ref(),
        &options.kb_into,
        &mut report,
    );
    let total = tickets.len() + article_files.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let tick = || {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if n.is_multiple_of(500) || n == total {
            progress(n, total);
        }
    };
    if !article_files.is_empty() {
        section_index(&options.kb_into, options.dry_run, &mut report)?;
    }
    let (summary, seen) = import_tickets(tickets, anonymiser.as_ref(), options, &tick)?;
    report.tickets = summary;
    if anonymiser.is_none() && seen != Sightings::default() {
        report.personal_data = Some(format!(
            "the imported text holds {} e-mail address(es), {} phone number(s) and {} password or token value(s), and the names of the people on each ticket: run again with --anonymise before publishing",
            seen.emails, seen.phones, seen.secrets
        ));
    }
    report.articles = write_all(article_files, options, &tick)?;
    Ok(report)
}

fn live_help() -> String {
    format!(
        "set {USER_TOKEN_VARIABLE} (and {APP_TOKEN_VARIABLE} if GLPI's API client asks for one) and check the URL ends with apirest.php"
    )
}

/// Reads a file, or every `.csv` and `.json` file of a folder (in name order).
fn read_source(source: &Path) -> Result<Harvest, Diagnostic> {
    let files: Vec<PathBuf> = if source.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(source)
            .map_err(|e| Diagnostic::file_error(source, format!("cannot read the folder: {e}")))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "csv" || x == "json"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(Diagnostic::file_error(
                source,
                "the folder holds no .csv or .json export",
            ));
        }
        files
    } else {
        vec![source.to_path_buf()]
    };
    let mut harvest = Harvest::default();
    for file in files {
        harvest.extend(read_file(&file)?);
    }
    Ok(harvest)
}

/// One export file, read once and decoded once.
fn read_file(path: &Path) -> Result<Harvest, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::file_error(path, format!("cannot read it: {e}")))?;
    let (text, encoding) = decode::decode(bytes);
    let name = path.display().to_string();
    let mut harvest = match decode::kind(&text) {
        decode::Kind::Json => api::read(&text, &name).map_err(|(line, column, message)| {
            Diagnostic::error(path, line, column, message)
                .with_help("export from GLPI's API (Ticket, ITILFollowup, TicketTask, ITILSolution, Log, KnowbaseItem) or its ticket list (CSV)")
        })?,
        decode::Kind::Csv => {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            csv_export::read(&text, &name, &stem).map_err(|message| {
                Diagnostic::error(path, 1, 1, message)
                    .with_help("in GLPI: Assistance > Tickets, choose the columns, then the export menu > CSV")
            })?
        }
    };
    if encoding == decode::Encoding::Windows1252 {
        harvest
            .notes
            .push(format!("{name}: read as Windows-1252 (it is not UTF-8)"));
    }
    Ok(harvest)
}

/// When two sources hold the same ticket (a CSV and an API answer), the one read last wins.
fn keep_last_of_each_id(harvest: &mut Harvest) {
    let mut last: HashMap<u64, usize> = HashMap::new();
    for (i, t) in harvest.tickets.iter().enumerate() {
        last.insert(t.id, i);
    }
    if last.len() == harvest.tickets.len() {
        return;
    }
    let tickets = std::mem::take(&mut harvest.tickets);
    for (i, t) in tickets.into_iter().enumerate() {
        if last[&t.id] == i {
            harvest.tickets.push(t);
        } else {
            harvest.notes.push(format!(
                "ticket {} is in several sources: the last one read was kept",
                t.id
            ));
        }
    }
}

/// The tickets that pass the write-up rules; the others go to the rejected list.
fn checked_tickets(tickets: Vec<TicketRecord>, report: &mut GlpiReport) -> Vec<TicketRecord> {
    let results: Vec<(TicketRecord, Result<Option<String>, String>)> = tickets
        .into_par_iter()
        .map(|mut t| {
            let r = validate::check(&mut t);
            (t, r)
        })
        .collect();
    let mut kept = Vec::with_capacity(results.len());
    for (t, result) in results {
        match result {
            Ok(note) => {
                report.notes.extend(note);
                kept.push(t);
            }
            Err(reason) => report.rejected.push(Rejected {
                file: String::new(),
                origin: format!("ticket {} ({})", t.id, t.origin),
                reason,
            }),
        }
    }
    kept
}

fn people(tickets: &[TicketRecord]) -> impl Iterator<Item = &str> {
    let mut all: Vec<&str> = tickets
        .iter()
        .flat_map(|t| {
            t.requesters
                .iter()
                .chain(&t.technicians)
                .chain(&t.observers)
        })
        .map(String::as_str)
        .collect();
    all.sort_unstable();
    all.dedup();
    all.into_iter()
}

/// Tickets converted and written together: enough to keep every core busy, few enough that
/// their texts stay small (a 100,000-ticket import holds a few megabytes of them at a time).
const CHUNK: usize = 2048;

/// Converts, plans and writes every ticket, `CHUNK` at a time: the tickets of a chunk are
/// converted and planned in parallel while a writer thread writes the chunk before, in
/// order. Each ticket's record is dropped once converted. Returns what was done and what
/// the scanners saw (without an anonymiser); `Err` on the first file, in ticket order, that
/// cannot be read or written (the files before it are written, the ones after it not).
fn import_tickets(
    tickets: Vec<TicketRecord>,
    anonymiser: Option<&Anonymiser>,
    options: &GlpiOptions,
    tick: &(dyn Fn() + Sync),
) -> Result<(Summary, Sightings), Diagnostic> {
    let existing = files_by_id(&options.into);
    let mut seen = Sightings::default();
    let summary = std::thread::scope(|scope| {
        // Two chunks in flight at most: one being written, one waiting.
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Planned>>(1);
        let writer = scope.spawn(move || write_planned(receive, options, tick));
        let mut rest = tickets.into_iter();
        loop {
            let chunk: Vec<TicketRecord> = rest.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let planned: Vec<(Planned, Sightings)> = chunk
                .par_iter()
                .map(|t| {
                    let (body, seen) = ticket_body(t, anonymiser);
                    let text = stamped(&write::ticket(t, &body));
                    let (path, absent) = existing.path(&options.into, t.id, &body.name);
                    (Planned::new(path, text, absent, options.force), seen)
                })
                .collect();
            drop(chunk);
            let mut files = Vec::with_capacity(planned.len());
            for (file, s) in planned {
                seen.emails += s.emails;
                seen.phones += s.phones;
                seen.secrets += s.secrets;
                files.push(file);
            }
            if send.send(files).is_err() {
                // The writer stopped on an error: it says which.
                break;
            }
        }
        drop(send);
        writer.join().expect("the writer thread does not panic")
    })?;
    Ok((summary, seen))
}

/// The converted (and, with an anonymiser, scrubbed) text of a ticket, and what the
/// scanners saw in it without one.
fn ticket_body(t: &TicketRecord, anonymiser: Option<&Anonymiser>) -> (TicketBody, Sightings) {
    let mut seen = Sightings::default();
    let mut text = |raw: &str| {
        let md = html::to_markdown(raw);
        match anonymiser {
            Some(a) => a.scrub(&md),
            None => {
                let s = anonymise::sightings(&md);
                seen.emails += s.emails;
                seen.phones += s.phones;
                seen.secrets += s.secrets;
                md
            }
        }
    };
    let description = text(&t.content);
    let timeline = t
        .timeline
        .iter()
        .map(|e| (e.date.clone(), e.kind, text(&e.content)))
        .filter(|(_, _, md)| !md.is_empty())
        .collect();
    let solution = t
        .solution
        .as_deref()
        .map(&mut text)
        .filter(|s| !s.is_empty());
    let person = |p: &String| anonymiser.map_or_else(|| p.clone(), |a| a.pseudonym(p));
    let body = TicketBody {
        name: anonymiser.map_or_else(|| t.name.clone(), |a| a.scrub(&t.name)),
        requesters: t.requesters.iter().map(person).collect(),
        technicians: t.technicians.iter().map(person).collect(),
        observers: t.observers.iter().map(person).collect(),
        description,
        timeline,
        solution,
    };
    (body, seen)
}

fn render_articles(
    articles: &[KbArticle],
    anonymiser: Option<&Anonymiser>,
    into: &Path,
    report: &mut GlpiReport,
) -> Vec<(PathBuf, String, bool)> {
    let existing = files_by_id(into);
    let mut seen_ids = std::collections::HashSet::new();
    let mut files = Vec::new();
    for a in articles {
        if !seen_ids.insert(a.id) {
            report.notes.push(format!(
                "knowledge-base article {} is in several sources: the first one read was kept",
                a.id
            ));
            continue;
        }
        let scrub = |s: &str| anonymiser.map_or_else(|| s.to_string(), |an| an.scrub(s));
        let title = scrub(&a.name);
        let answer = scrub(&html::to_markdown(&a.answer));
        let (path, absent) = existing.path(into, a.id, &title);
        files.push((path, stamped(&write::article(a, &title, &answer)), absent));
    }
    files
}

/// The knowledge base's section page, when the folder has none yet: without it the section
/// would be titled after its folder name. Written once and then the user's to edit.
fn section_index(dir: &Path, dry_run: bool, report: &mut GlpiReport) -> Result<(), Diagnostic> {
    let path = dir.join("_index.md");
    if path.exists() {
        return Ok(());
    }
    report.notes.push(format!(
        "{} {}: the knowledge base's section page",
        if dry_run { "would create" } else { "created" },
        path.display()
    ));
    if dry_run {
        return Ok(());
    }
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&path, KB_INDEX))
        .map_err(|e| Diagnostic::file_error(&path, format!("cannot write it: {e}")))
}

/// The section page of imported articles.
const KB_INDEX: &str = "---\ntitle: Articles GLPI\ndescription: Les articles de la base de connaissances de GLPI.\n---\n";
