//! `guichet init`: a new site folder that builds at once.
//!
//! Runs before any pipeline stage and knows none of them: it writes the starter files of the
//! chosen kind (guichet.yaml, pages, one workflow, one ticket write-up, a .gitignore) into a
//! folder. The starter texts are embedded in the binary from `src/init/starters/`, so `init`
//! works anywhere `guichet` was installed. A file that already exists is never overwritten.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::diagnostics::Diagnostic;
use crate::language::Language;
use crate::source_layout::CONFIG_FILE;

/// What the new site is for; selects its starter pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SiteKind {
    /// A BTS SIO E4 portfolio: the documents of the "incident management tool" assignment.
    #[default]
    Portfolio,
    /// A technicians' knowledge base of resolved tickets.
    Kb,
    /// User procedures for the help-desk tool.
    Procedures,
}

impl SiteKind {
    /// The names accepted on the command line, in display order.
    pub(crate) const NAMES: [&'static str; 3] = ["portfolio", "kb", "procedures"];
}

impl FromStr for SiteKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "portfolio" => Ok(SiteKind::Portfolio),
            "kb" => Ok(SiteKind::Kb),
            "procedures" => Ok(SiteKind::Procedures),
            other => Err(format!(
                "unknown site kind `{other}` (expected one of: {})",
                SiteKind::NAMES.join(", ")
            )),
        }
    }
}

/// Parses a `--lang` value: one language (`fr`), or a translated site's languages, the
/// default first (`fr,en`).
pub fn parse_languages(s: &str) -> Result<Vec<Language>, String> {
    let languages = s
        .split(',')
        .map(|code| parse_language(code.trim()))
        .collect::<Result<Vec<Language>, String>>()?;
    for (i, language) in languages.iter().enumerate() {
        if languages[..i].contains(language) {
            return Err(format!(
                "the language `{}` is listed twice",
                language.code()
            ));
        }
    }
    Ok(languages)
}

/// Parses a `--lang` value (`fr` or `en`) into the site language.
pub fn parse_language(s: &str) -> Result<Language, String> {
    match s {
        "fr" => Ok(Language::Fr),
        "en" => Ok(Language::En),
        other => Err(format!("unknown language `{other}` (expected fr or en)")),
    }
}

/// What `init` is asked to do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The folder to create the site in (created when missing).
    pub dir: PathBuf,
    /// The language of the starter texts and of the site's UI.
    pub language: Language,
    /// For a translated site, its other languages (`--lang fr,en` gives `[en]`).
    pub translations: Vec<Language>,
    /// Which starter pages to write.
    pub kind: SiteKind,
    /// Write into a folder that already holds files (existing files are still kept).
    pub force: bool,
}

/// What `init` did, for the summary the CLI prints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitReport {
    /// Files written, relative to the site folder, in writing order.
    pub written: Vec<String>,
    /// Starter files not written because a file of that name already existed.
    pub kept: Vec<String>,
}

/// One starter file: its path in the new site and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StarterFile {
    /// Path relative to the site root, with `/` separators.
    pub path: &'static str,
    /// The file's text.
    pub text: &'static str,
}

/// Creates the starter site described by `options`. Refuses a folder that already holds
/// anything but a `.git` folder unless `force` is set, and never replaces an existing file.
pub fn init(options: &InitOptions) -> Result<InitReport, Diagnostic> {
    let dir = &options.dir;
    if dir.exists() && !dir.is_dir() {
        return Err(
            Diagnostic::file_error(dir, "this path is a file, not a folder")
                .with_help("give `guichet init` the name of a new or empty folder"),
        );
    }
    if !options.force {
        let occupants = occupants(dir)?;
        if !occupants.is_empty() {
            return Err(Diagnostic::file_error(
                dir,
                format!(
                    "the folder is not empty (it holds {})",
                    list_for_humans(&occupants)
                ),
            )
            .with_help(
                "choose a new folder, or add --force to write the starter files beside yours \
                 (existing files are never overwritten)",
            ));
        }
    }
    let mut report = InitReport::default();
    for (path, text) in site_files(options.kind, options.language, &options.translations) {
        if write_new(dir, &path, &text)? {
            report.written.push(path);
        } else {
            report.kept.push(path);
        }
    }
    Ok(report)
}

/// The files of a new site: the starter files of `language`, and for a translated site
/// (`translations` not empty) the `languages:` line in guichet.yaml and each starter page of
/// the other languages as a translation beside its page (`suivre-un-ticket.en.md`), its
/// links renamed to the default language's files. Ticket write-ups are records, kept in
/// their language.
pub fn site_files(
    kind: SiteKind,
    language: Language,
    translations: &[Language],
) -> Vec<(String, String)> {
    let originals = starter_files(kind, language);
    let mut files: Vec<(String, String)> = originals
        .iter()
        .map(|f| (f.path.to_string(), f.text.to_string()))
        .collect();
    let others: Vec<Language> = translations
        .iter()
        .copied()
        .filter(|l| *l != language)
        .collect();
    if others.is_empty() {
        return files;
    }
    let codes: Vec<&str> = std::iter::once(language)
        .chain(others.iter().copied())
        .map(Language::code)
        .collect();
    for (path, text) in &mut files {
        if path == CONFIG_FILE {
            let line = format!("language: {}\n", language.code());
            *text = text.replacen(
                &line,
                &format!("{line}languages: [{}]\n", codes.join(", ")),
                1,
            );
        }
    }
    for other in others {
        let theirs = starter_files(kind, other);
        // The starter sets of two languages list the same pages in the same order.
        let pairs: Vec<(&str, &str)> = theirs
            .iter()
            .zip(&originals)
            .map(|(t, o)| (t.path, o.path))
            .filter(|(t, o)| t.ends_with(".md") && o.ends_with(".md"))
            .collect();
        for (theirs_path, own_path) in &pairs {
            let is_record =
                own_path.starts_with("content/tickets/") && !own_path.ends_with("/_index.md");
            let Some(text) = theirs.iter().find(|f| f.path == *theirs_path) else {
                continue;
            };
            if is_record {
                continue;
            }
            let stem = own_path.trim_end_matches(".md");
            files.push((
                format!("{stem}.{}.md", other.code()),
                renamed_links(text.text, &pairs),
            ));
        }
    }
    files
}

/// `text` with the links to the other language's starter pages renamed to the default
/// language's: each differing folder and file name of `pairs` (theirs, ours) replaced
/// where it follows `(` or `/` in a link.
fn renamed_links(text: &str, pairs: &[(&str, &str)]) -> String {
    let mut renames: Vec<(String, String)> = Vec::new();
    for (theirs, ours) in pairs {
        let (t, o): (Vec<&str>, Vec<&str>) =
            (theirs.split('/').collect(), ours.split('/').collect());
        if t.len() != o.len() {
            continue;
        }
        for (a, b) in t.iter().zip(&o) {
            let (a, b) = if a.ends_with(".md") {
                (a.to_string(), b.to_string())
            } else {
                (format!("{a}/"), format!("{b}/"))
            };
            if a != b && !renames.contains(&(a.clone(), b.clone())) {
                renames.push((a, b));
            }
        }
    }
    let mut out = text.to_string();
    for (a, b) in &renames {
        for lead in ["(", "/"] {
            out = out.replace(&format!("{lead}{a}"), &format!("{lead}{b}"));
        }
    }
    out
}

/// The starter files of a site of `kind` in `language`: what `init` writes, in order.
pub fn starter_files(kind: SiteKind, language: Language) -> Vec<StarterFile> {
    let specific: &[StarterFile] = match (kind, language) {
        (SiteKind::Portfolio, Language::Fr) => starters::FR_PORTFOLIO,
        (SiteKind::Portfolio, Language::En) => starters::EN_PORTFOLIO,
        (SiteKind::Kb, Language::Fr) => starters::FR_KB,
        (SiteKind::Kb, Language::En) => starters::EN_KB,
        (SiteKind::Procedures, Language::Fr) => starters::FR_PROCEDURES,
        (SiteKind::Procedures, Language::En) => starters::EN_PROCEDURES,
    };
    let common: &[StarterFile] = match language {
        Language::Fr => starters::FR_COMMON,
        Language::En => starters::EN_COMMON,
    };
    let mut files = vec![StarterFile {
        path: ".gitignore",
        text: starters::GITIGNORE,
    }];
    files.extend_from_slice(specific);
    files.extend_from_slice(common);
    files
}

/// The entries of `dir` that make it "not empty": everything but a `.git` folder, so that
/// `git init` followed by `guichet init .` works. A missing folder has none.
fn occupants(dir: &Path) -> Result<Vec<String>, Diagnostic> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Diagnostic::file_error(
                dir,
                format!("cannot read the folder: {e}"),
            ));
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".git")
        .collect();
    names.sort();
    Ok(names)
}

/// `a, b, c` for up to three names, `a, b, c and 4 more` beyond.
fn list_for_humans(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let head = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        format!("{head} and {} more", names.len() - SHOWN)
    } else {
        head
    }
}

/// Writes `text` to `root/rel` unless a file of that name exists; returns whether it wrote.
/// `create_new` makes the check and the creation one step, so a file appearing in between
/// is still never overwritten.
fn write_new(root: &Path, rel: &str, text: &str) -> Result<bool, Diagnostic> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::file_error(parent, format!("cannot create the folder: {e}"))
        })?;
    }
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => {
            return Err(Diagnostic::file_error(
                &path,
                format!("cannot create the file: {e}"),
            ));
        }
    };
    file.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::file_error(&path, format!("cannot write the file: {e}")))?;
    Ok(true)
}

/// The embedded starter texts, one table per language and kind.
mod starters {
    use super::StarterFile;

    /// `starter!("fr/portfolio", "content/_index.md")` embeds
    /// `src/init/starters/fr/portfolio/content/_index.md` as the site's `content/_index.md`.
    macro_rules! starter {
        ($set:literal, $path:literal) => {
            StarterFile {
                path: $path,
                text: include_str!(concat!("init/starters/", $set, "/", $path)),
            }
        };
    }

    /// The output folder is rebuilt at every build, and the build stages it in a hidden
    /// sibling folder, keeps the previous output as a spare and its caches beside it: none has
    /// a place in version control.
    pub(crate) const GITIGNORE: &str = "# Built by `guichet build`: never edit or commit it.\n/site/\n/.site.tmp-*/\n/.site.spare/\n/.site.cache*\n/.site.search-cache*\n";

    /// Files every French site gets: the incident workflow and one ticket write-up.
    pub(crate) const FR_COMMON: &[StarterFile] = &[
        starter!("fr/common", "workflows/incident.yaml"),
        starter!("fr/common", "content/tickets/_index.md"),
        starter!("fr/common", "content/tickets/1-ticket-de-test.md"),
    ];

    /// Files every English site gets: the incident workflow and one ticket write-up.
    pub(crate) const EN_COMMON: &[StarterFile] = &[
        starter!("en/common", "workflows/incident.yaml"),
        starter!("en/common", "content/tickets/_index.md"),
        starter!("en/common", "content/tickets/1-test-ticket.md"),
    ];

    /// The French E4 portfolio: the project page and one page per document of the assignment.
    pub(crate) const FR_PORTFOLIO: &[StarterFile] = &[
        starter!("fr/portfolio", "guichet.yaml"),
        starter!("fr/portfolio", "content/_index.md"),
        starter!("fr/portfolio", "content/documents/_index.md"),
        starter!("fr/portfolio", "content/documents/planning.md"),
        starter!("fr/portfolio", "content/documents/presentation-outil.md"),
        starter!("fr/portfolio", "content/documents/topologie.md"),
        starter!("fr/portfolio", "content/documents/installation.md"),
        starter!("fr/portfolio", "content/documents/configuration.md"),
        starter!("fr/portfolio", "content/documents/config_db.php"),
        starter!("fr/portfolio", "content/documents/logigramme.md"),
        starter!("fr/portfolio", "content/documents/tests.md"),
        starter!("fr/portfolio", "content/documents/procedure-utilisateur.md"),
        starter!("fr/portfolio", "content/documents/indicateurs-bilan.md"),
        starter!("fr/portfolio", "content/tickets/2-incident-escalade.md"),
    ];

    /// The English E4 portfolio: the project page and one page per document of the assignment.
    pub(crate) const EN_PORTFOLIO: &[StarterFile] = &[
        starter!("en/portfolio", "guichet.yaml"),
        starter!("en/portfolio", "content/_index.md"),
        starter!("en/portfolio", "content/documents/_index.md"),
        starter!("en/portfolio", "content/documents/planning.md"),
        starter!("en/portfolio", "content/documents/tool-presentation.md"),
        starter!("en/portfolio", "content/documents/topology.md"),
        starter!("en/portfolio", "content/documents/installation.md"),
        starter!("en/portfolio", "content/documents/configuration.md"),
        starter!("en/portfolio", "content/documents/config_db.php"),
        starter!("en/portfolio", "content/documents/lifecycle.md"),
        starter!("en/portfolio", "content/documents/tests.md"),
        starter!("en/portfolio", "content/documents/user-procedure.md"),
        starter!("en/portfolio", "content/documents/kpis-review.md"),
        starter!("en/portfolio", "content/tickets/2-escalated-incident.md"),
    ];

    /// The French knowledge base: home and technicians' procedures.
    pub(crate) const FR_KB: &[StarterFile] = &[
        starter!("fr/kb", "guichet.yaml"),
        starter!("fr/kb", "content/_index.md"),
        starter!("fr/kb", "content/techniciens/_index.md"),
        starter!("fr/kb", "content/techniciens/qualifier-un-ticket.md"),
        starter!("fr/kb", "content/techniciens/rediger-une-fiche.md"),
    ];

    /// The English knowledge base: home and technicians' procedures.
    pub(crate) const EN_KB: &[StarterFile] = &[
        starter!("en/kb", "guichet.yaml"),
        starter!("en/kb", "content/_index.md"),
        starter!("en/kb", "content/technicians/_index.md"),
        starter!("en/kb", "content/technicians/qualify-a-ticket.md"),
        starter!("en/kb", "content/technicians/write-a-ticket-page.md"),
    ];

    /// The French user help: home and user procedures.
    pub(crate) const FR_PROCEDURES: &[StarterFile] = &[
        starter!("fr/procedures", "guichet.yaml"),
        starter!("fr/procedures", "content/_index.md"),
        starter!("fr/procedures", "content/utilisateurs/_index.md"),
        starter!(
            "fr/procedures",
            "content/utilisateurs/declarer-un-incident.md"
        ),
        starter!("fr/procedures", "content/utilisateurs/suivre-un-ticket.md"),
    ];

    /// The English user help: home and user procedures.
    pub(crate) const EN_PROCEDURES: &[StarterFile] = &[
        starter!("en/procedures", "guichet.yaml"),
        starter!("en/procedures", "content/_index.md"),
        starter!("en/procedures", "content/users/_index.md"),
        starter!("en/procedures", "content/users/report-an-incident.md"),
        starter!("en/procedures", "content/users/follow-a-ticket.md"),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_languages_parse_from_their_names() {
        let kinds: Vec<SiteKind> = SiteKind::NAMES
            .iter()
            .map(|name| SiteKind::from_str(name).unwrap())
            .collect();
        assert_eq!(
            kinds,
            [SiteKind::Portfolio, SiteKind::Kb, SiteKind::Procedures]
        );
        assert_eq!(
            SiteKind::from_str("blog").unwrap_err(),
            "unknown site kind `blog` (expected one of: portfolio, kb, procedures)"
        );
        assert_eq!(parse_language("en"), Ok(Language::En));
        assert_eq!(
            parse_language("de").unwrap_err(),
            "unknown language `de` (expected fr or en)"
        );
    }

    #[test]
    fn every_starter_set_has_config_gitignore_workflow_and_ticket_index() {
        for kind in [SiteKind::Portfolio, SiteKind::Kb, SiteKind::Procedures] {
            for language in [Language::Fr, Language::En] {
                let files = starter_files(kind, language);
                let paths: Vec<&str> = files.iter().map(|f| f.path).collect();
                for needed in [
                    ".gitignore",
                    "guichet.yaml",
                    "content/_index.md",
                    "workflows/incident.yaml",
                    "content/tickets/_index.md",
                ] {
                    assert!(paths.contains(&needed), "{kind:?} {language:?}: {needed}");
                }
                let mut unique = paths.clone();
                unique.sort();
                unique.dedup();
                assert_eq!(unique.len(), paths.len(), "{kind:?} {language:?}");
            }
        }
    }

    #[test]
    fn english_sites_say_so_in_their_config() {
        for kind in [SiteKind::Portfolio, SiteKind::Kb, SiteKind::Procedures] {
            let config = |language| {
                starter_files(kind, language)
                    .into_iter()
                    .find(|f| f.path == "guichet.yaml")
                    .unwrap()
                    .text
            };
            assert!(config(Language::En).contains("\nlanguage: en\n"));
            assert!(config(Language::Fr).contains("\nlanguage: fr\n"));
        }
    }

    #[test]
    fn long_lists_are_shortened() {
        let names: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        assert_eq!(list_for_humans(&names), "a, b, c and 2 more");
        assert_eq!(list_for_humans(&names[..2]), "a, b");
    }
}
