//! `guichet check`: a site's health before it is published. It runs every validation of
//! `build` without writing the site ([`crate::build::validate_without_writing`]), then the
//! rules of [`RULES`], each in its own file: secrets, spelling, typography, structure and
//! accessibility, external links. Findings are [`Diagnostic`]s carrying their rule's name;
//! guichet.yaml's `check:` turns a rule off, a `check: ignore RULE` comment silences it on a
//! line or a block.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::build::{BuildOptions, CheckedSite, validate_without_writing};
use crate::config::CheckSettings;
use crate::diagnostics::{Diagnostic, Severity};
use crate::site::Site;

mod external;
mod scan;
mod secrets;
mod spelling;
mod structure;
mod typography;

pub use external::LINK_CACHE_FILE;
pub use spelling::{SITE_WORDS_FILE, SYSTEM_DICTIONARIES};

/// The name of the findings that come from `build`'s own validation.
pub const BUILD_RULE: &str = "build";

/// A rule of `check`: its name (in findings, guichet.yaml and ignore comments) and whether
/// guichet.yaml turned it on.
pub struct Rule {
    /// The name: `spelling`, `alt-text`…
    pub name: &'static str,
    /// What it finds, in a few words.
    pub finds: &'static str,
    enabled: fn(&CheckSettings) -> bool,
}

/// Every rule, in the order the README lists them.
pub const RULES: &[Rule] = &[
    Rule {
        name: "secrets",
        finds: "passwords, tokens, private keys, connection strings, GLPI's default accounts",
        enabled: |s| s.secrets,
    },
    Rule {
        name: "spelling",
        finds: "words the page language's dictionary and mots.txt do not know",
        enabled: |s| s.spelling,
    },
    Rule {
        name: "typography",
        finds: "French pages: a plain or missing space before `: ; ! ?` and inside `« »`",
        enabled: |s| s.typography,
    },
    Rule {
        name: "alt-text",
        finds: "images without alternative text",
        enabled: |s| s.alt_text,
    },
    Rule {
        name: "heading-levels",
        finds: "headings that skip a level",
        enabled: |s| s.heading_levels,
    },
    Rule {
        name: "empty-section",
        finds: "headings with nothing under them",
        enabled: |s| s.empty_section,
    },
    Rule {
        name: "description",
        finds: "pages without `description`",
        enabled: |s| s.description,
    },
    Rule {
        name: "duplicate-title",
        finds: "two pages with one title",
        enabled: |s| s.duplicate_title,
    },
    Rule {
        name: "orphan-page",
        finds: "pages no other page, workflow or ticket links to",
        enabled: |s| s.orphan_page,
    },
    Rule {
        name: "link-text",
        finds: "links whose text says nothing (\"ici\", \"click here\")",
        enabled: |s| s.link_text,
    },
    Rule {
        name: "external-links",
        finds: "with --external: web links that do not answer",
        enabled: |s| s.external_links,
    },
    Rule {
        name: crate::portfolio::RULE,
        finds: "a portfolio's missing documents, parts and answers to the jury's questions",
        enabled: |s| s.portfolio,
    },
    Rule {
        name: TRANSLATION_RULE,
        finds: "on a translated site, pages without a translation in a language",
        enabled: |s| s.translation,
    },
];

/// The rule that lists the pages missing a translation.
pub const TRANSLATION_RULE: &str = "translation";

/// What `check` is asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site root (the folder holding guichet.yaml).
    pub root: PathBuf,
    /// Check pages marked `draft: true` too.
    pub drafts: bool,
    /// Also request every external link.
    pub external: bool,
    /// Apply the safe fixes (typography) to the source files.
    pub fix: bool,
    /// Where the Hunspell dictionaries are (default: [`SYSTEM_DICTIONARIES`]).
    pub dictionaries: PathBuf,
}

impl CheckOptions {
    /// Options for checking the site at `root` with the defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        CheckOptions {
            root: root.into(),
            drafts: false,
            external: false,
            fix: false,
            dictionaries: PathBuf::from(SYSTEM_DICTIONARIES),
        }
    }
}

/// One finding: the rule that made it (`None` for the build's own) and its diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's name, shown as rustc shows an error code: `warning[spelling]`.
    pub rule: Option<&'static str>,
    /// Where and what.
    pub diagnostic: Diagnostic,
}

impl Finding {
    /// `path:line:column: warning[rule]: message`.
    pub fn headline(&self) -> String {
        self.diagnostic.headline_with_code(self.rule)
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.diagnostic.is_error()
    }

    /// Adds the hint saying how to fix it.
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.diagnostic = self.diagnostic.with_help(help);
        self
    }

    fn key(&self) -> (&Path, usize, usize) {
        let d = &self.diagnostic;
        (d.path.as_path(), d.line, d.column)
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.render_with_code(self.rule))
    }
}

/// What a check found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// The findings still there, sorted by file, line and column.
    pub findings: Vec<Finding>,
    /// The findings `--fix` corrected in the files.
    pub fixed: Vec<Finding>,
    /// Things said once, such as a missing dictionary.
    pub notes: Vec<String>,
    /// Pages checked (0 when the build's validation failed).
    pub pages: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl CheckReport {
    /// Findings that are errors.
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|d| d.is_error()).count()
    }

    /// Findings that are warnings.
    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }

    /// `check: 2 errors, 3 warnings in 44 pages (120 ms)`.
    pub fn summary(&self) -> String {
        let fixed = match self.fixed.len() {
            0 => String::new(),
            n => format!(", {n} fixed"),
        };
        format!(
            "check: {} error(s), {} warning(s){fixed} in {} pages ({} ms)",
            self.errors(),
            self.warnings(),
            self.pages,
            self.elapsed.as_millis()
        )
    }

    /// The findings as `build` prints them, the fixes, the notes, then the summary line.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for d in &self.fixed {
            out.push_str(&format!("fixed: {}\n", d.headline()));
        }
        for d in &self.findings {
            out.push_str(&d.to_string());
        }
        for note in &self.notes {
            out.push_str(&format!("note: {note}\n"));
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// One JSON object per finding (file, line, column, rule, severity, message, help), in
    /// an array, one object a line.
    pub fn to_json(&self) -> String {
        let lines: Vec<String> = self
            .findings
            .iter()
            .map(|d| serde_json::to_string(&JsonFinding::from(d)).unwrap_or_default())
            .collect();
        if lines.is_empty() {
            "[]\n".to_string()
        } else {
            format!("[\n{}\n]\n", lines.join(",\n"))
        }
    }
}

/// A finding as `--format json` prints it.
#[derive(Serialize)]
struct JsonFinding<'a> {
    file: String,
    line: usize,
    column: usize,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        let d = &f.diagnostic;
        JsonFinding {
            file: d.path.display().to_string(),
            line: d.line,
            column: d.column,
            rule: f.rule.unwrap_or(BUILD_RULE),
            severity: d.severity,
            message: &d.message,
            help: d.help.as_deref(),
        }
    }
}

/// Checks the site of `options.root`: the build's validation, then every rule turned on.
/// When the build's validation fails, only its errors are reported.
pub fn check(options: &CheckOptions) -> CheckReport {
    let started = Instant::now();
    let build_options = BuildOptions {
        drafts: options.drafts,
        ..BuildOptions::new(&options.root)
    };
    let checked = match validate_without_writing(&build_options) {
        Ok(checked) => checked,
        Err(diagnostics) => {
            return CheckReport {
                findings: from_build(diagnostics.0),
                fixed: Vec::new(),
                notes: vec!["the other rules run once the build's errors are fixed".into()],
                pages: 0,
                elapsed: started.elapsed(),
            };
        }
    };
    let (mut findings, fixes, mut notes) = run_rules(&checked, options);
    for other in &checked.translations {
        let (found, said) = translated_pages_rules(other, options);
        findings.extend(found);
        notes.extend(
            said.into_iter()
                .filter(|n| !notes.contains(n))
                .collect::<Vec<_>>(),
        );
    }
    findings.extend(from_build(checked.warnings.clone()));
    let mut fixed = Vec::new();
    if options.fix && !fixes.is_empty() {
        match typography::apply(&checked.site.root, &fixes) {
            Ok(()) => {
                let fixed_at: BTreeSet<_> = fixes.iter().map(|f| f.key()).collect();
                (fixed, findings) = findings
                    .into_iter()
                    .partition(|f| f.rule == Some(typography::RULE) && fixed_at.contains(&f.key()));
            }
            Err(d) => findings.extend(from_build(vec![d])),
        }
    }
    sort(&mut findings);
    sort(&mut fixed);
    CheckReport {
        findings,
        fixed,
        notes,
        pages: checked.site.pages.len(),
        elapsed: started.elapsed(),
    }
}

/// Every rule turned on, over every page and file; returns the findings left after the
/// ignore comments, the typography fixes and the notes.
fn run_rules(
    checked: &CheckedSite,
    options: &CheckOptions,
) -> (Vec<Finding>, Vec<typography::Fix>, Vec<String>) {
    let site = &checked.site;
    let settings = &site.config.check;
    let on = |name: &str| {
        RULES
            .iter()
            .any(|r| r.name == name && (r.enabled)(settings))
    };
    let scans: Vec<scan::PageScan> = site.pages.par_iter().map(scan::scan).collect();
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    let mut fixes = Vec::new();
    if on("secrets") {
        findings.extend(secrets::check(site, &scans));
    }
    if on("spelling") {
        let (found, said) = spelling::check(site, &scans, &options.dictionaries);
        findings.extend(found);
        notes.extend(said);
    }
    if on("typography") {
        let (found, page_fixes) = typography::check(site, &scans);
        findings.extend(found);
        fixes = page_fixes;
    }
    findings.extend(structure::check(site, &checked.data, &scans, &on));
    if on(crate::portfolio::RULE)
        && let Some(portfolio) = &checked.data.portfolio
    {
        findings.extend(portfolio.warnings.iter().map(|d| Finding {
            rule: Some(crate::portfolio::RULE),
            diagnostic: d.clone(),
        }));
    }
    if on(TRANSLATION_RULE) && site.translation.is_default() {
        findings.extend(missing_translations(site));
    }
    if options.external && on("external-links") {
        let (found, said) = external::check(site, &scans, &site.root.join(LINK_CACHE_FILE));
        findings.extend(found);
        notes.extend(said);
    }
    let ignored = Ignored::read(site, &findings);
    findings.retain(|d| !ignored.silences(d));
    let kept: BTreeSet<(&Path, usize, usize)> = findings.iter().map(Finding::key).collect();
    fixes.retain(|f| kept.contains(&(f.path.as_path(), f.line, f.column)));
    (findings, fixes, notes)
}

/// The rules over a translated site's other language, keeping the findings in its
/// translations (the pages it shows untranslated are checked with the default language).
fn translated_pages_rules(
    checked: &CheckedSite,
    options: &CheckOptions,
) -> (Vec<Finding>, Vec<String>) {
    let site = &checked.site;
    let translated: BTreeSet<&Path> = site
        .pages
        .iter()
        .filter(|p| site.translation.written_in(&p.source.rel_path).is_none())
        .map(|p| p.source.file.as_path())
        .collect();
    let (found, _, notes) = run_rules(checked, options);
    let kept = found
        .into_iter()
        .filter(|f| translated.contains(f.diagnostic.path.as_path()))
        .collect();
    (kept, notes)
}

/// On a translated site, a warning at the `title:` of each page of the default language that
/// lacks a translation, naming the file to write.
fn missing_translations(site: &crate::site::Site) -> Vec<Finding> {
    crate::translation::missing_translations(site)
        .into_iter()
        .map(|(page, missing)| {
            let pos = page.spans.at("title");
            let files: Vec<String> = missing
                .iter()
                .map(|l| crate::translation::translation_file(&page.source.rel_path, *l))
                .collect();
            let names: Vec<&str> = missing
                .iter()
                .map(|l| crate::translation::language_name(*l))
                .collect();
            Finding {
                rule: Some(TRANSLATION_RULE),
                diagnostic: Diagnostic::warning(
                    &page.source.file,
                    pos.line.max(1),
                    pos.column.max(1),
                    format!("this page has no translation in {}", names.join(", ")),
                )
                .with_source(&page.source.text)
                .with_help(format!(
                    "write {} beside it; until then {}",
                    files.join(", "),
                    match site.config.missing_translation {
                        crate::translation::MissingTranslation::Notice =>
                            "the page is shown untranslated there, with a notice",
                        crate::translation::MissingTranslation::Omit =>
                            "the page is left out there",
                    }
                )),
            }
        })
        .collect()
}

/// The build's own diagnostics as findings without a rule.
fn from_build(diagnostics: Vec<Diagnostic>) -> Vec<Finding> {
    diagnostics
        .into_iter()
        .map(|diagnostic| Finding {
            rule: None,
            diagnostic,
        })
        .collect()
}

fn sort(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        let (a, b) = ((&a.diagnostic, a.rule), (&b.diagnostic, b.rule));
        (&a.0.path, a.0.line, a.0.column, a.1, &a.0.message).cmp(&(
            &b.0.path,
            b.0.line,
            b.0.column,
            b.1,
            &b.0.message,
        ))
    });
    findings.dedup();
}

/// Line and column (1-based, in characters) of byte offsets in one text.
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Indexes the line starts of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The line and column of the byte `offset`.
    pub(crate) fn at(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }
}

/// A finding of `rule` at byte `offset` of the file `path` whose text is `text`.
pub(crate) fn finding(
    rule: &'static str,
    severity: Severity,
    path: &Path,
    lines: &Lines,
    offset: usize,
    message: impl Into<String>,
) -> Finding {
    let (line, column) = lines.at(offset);
    let d = match severity {
        Severity::Error => Diagnostic::error(path, line, column, message),
        Severity::Warning => Diagnostic::warning(path, line, column, message),
    };
    Finding {
        rule: Some(rule),
        diagnostic: d.with_source(lines.text),
    }
}

/// The `check: ignore RULE` comments of the files that have findings: a comment sharing its
/// line with other text silences that line; a comment alone on its line silences the block
/// below it (up to the next blank line, or a whole fenced code block).
struct Ignored {
    /// (file, line) → the rules silenced there.
    lines: BTreeMap<(PathBuf, usize), Vec<String>>,
}

/// The words that start an ignore comment.
const IGNORE: &str = "check: ignore ";

impl Ignored {
    fn read(site: &Site, findings: &[Finding]) -> Ignored {
        let files: BTreeSet<&PathBuf> = findings.iter().map(|f| &f.diagnostic.path).collect();
        let mut lines = BTreeMap::new();
        for file in files {
            let Ok(text) = std::fs::read_to_string(site.root.join(file)) else {
                continue;
            };
            if !text.contains(IGNORE) {
                continue;
            }
            for (line, rules, block) in ignore_comments(&text) {
                for covered in block {
                    lines
                        .entry((file.clone(), covered))
                        .or_insert_with(Vec::new)
                        .extend(rules.iter().cloned());
                }
                lines
                    .entry((file.clone(), line))
                    .or_insert_with(Vec::new)
                    .extend(rules);
            }
        }
        Ignored { lines }
    }

    fn silences(&self, f: &Finding) -> bool {
        let (d, rule) = (&f.diagnostic, f.rule.unwrap_or(BUILD_RULE));
        // Findings about a whole page sit at its title line.
        self.lines
            .get(&(d.path.clone(), d.line))
            .is_some_and(|rules| rules.iter().any(|r| r == rule))
    }
}

/// Each ignore comment of `text`: its line, its rules, and the lines of the block it covers
/// when it stands alone on its line.
fn ignore_comments(text: &str) -> Vec<(usize, Vec<String>, Vec<usize>)> {
    let all: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in all.iter().enumerate() {
        let Some(at) = line.find(IGNORE) else {
            continue;
        };
        let rest = &line[at + IGNORE.len()..];
        let rest = rest.split("-->").next().unwrap_or(rest);
        let rules: Vec<String> = rest
            .split([',', ' '])
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
        let before = line[..at].trim();
        let alone = matches!(before, "<!--" | "#" | "//" | ";" | "--" | "/*" | "");
        let block = if alone {
            block_below(&all, i + 1)
        } else {
            Vec::new()
        };
        found.push((i + 1, rules, block));
    }
    found
}

/// The 1-based lines of the block starting at index `from`: to the next blank line, or to
/// the closing fence of a code block.
fn block_below(lines: &[&str], from: usize) -> Vec<usize> {
    let Some(first) = lines.get(from) else {
        return Vec::new();
    };
    let trimmed = first.trim_start();
    let fence = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
    let mut covered = vec![from + 1];
    for (i, line) in lines.iter().enumerate().skip(from + 1) {
        covered.push(i + 1);
        match fence {
            Some(f) if line.trim_start().starts_with(f) => break,
            None if line.trim().is_empty() => {
                covered.pop();
                break;
            }
            _ => {}
        }
    }
    covered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ignore_comment_covers_its_line_or_the_block_below() {
        let text = "a <!-- check: ignore spelling -->\n<!-- check: ignore secrets, typography -->\n| x |\n| y |\n\nz\n```ini\n# check: ignore secrets\npassword=1\n\nq\n```\n";
        let found = ignore_comments(text);
        assert_eq!(found[0], (1, vec!["spelling".to_string()], vec![]));
        assert_eq!(
            found[1],
            (
                2,
                vec!["secrets".to_string(), "typography".to_string()],
                vec![3, 4]
            )
        );
        assert_eq!(found[2], (8, vec!["secrets".to_string()], vec![9]));
        let fenced = ignore_comments("<!-- check: ignore secrets -->\n```\na\n\nb\n```\nc\n");
        assert_eq!(fenced[0].2, vec![2, 3, 4, 5, 6]);
    }

    #[test]
    fn every_rule_can_be_turned_off() {
        let off = CheckSettings {
            secrets: false,
            spelling: false,
            typography: false,
            alt_text: false,
            heading_levels: false,
            empty_section: false,
            description: false,
            duplicate_title: false,
            orphan_page: false,
            link_text: false,
            external_links: false,
            portfolio: false,
            translation: false,
        };
        assert!(RULES.iter().all(|r| !(r.enabled)(&off)));
        assert!(RULES.iter().all(|r| (r.enabled)(&CheckSettings::default())));
    }
}
