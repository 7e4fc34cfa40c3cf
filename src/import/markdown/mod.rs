//! `guichet import markdown SRC`: an MkDocs, Docusaurus, Hugo, Zola, Grav site or an
//! Obsidian vault becomes guichet pages in content/, keeping its structure, order, titles
//! and old URLs (as `aliases:`), its notices as alerts, its attachments; what cannot be
//! converted stays visible and is listed with its file and line.
//!
//! The stages: [`source::read`] reads the folder as its tool lays it out, [`paths::place`]
//! decides where each file goes and which URL it had, then each page's front matter is
//! mapped ([`front`]) and its body converted ([`notices`], [`obsidian`], [`links`]); the pages
//! are arranged as a whole ([`arrange`]: folder pages, weights, old URLs kept once), and
//! [`write`] writes them through the stamp every import shares ([`crate::import`]).

mod arrange;
mod format;
mod front;
mod leftovers;
mod links;
mod notices;
mod obsidian;
mod paths;
mod source;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

pub use format::Format;

use crate::diagnostics::Diagnostic;
use crate::import::{self, Summary};

/// What `guichet import markdown` is asked to do.
#[derive(Debug, Clone)]
pub struct MarkdownImport {
    /// The source folder (the tool's project: the folder of mkdocs.yml, of docusaurus.config.js…).
    pub src: PathBuf,
    /// The tool that wrote it; guessed from its files when `None`.
    pub from: Option<Format>,
    /// The folder the pages go to (content/ of the site).
    pub into: PathBuf,
    /// Say what would be written, write nothing.
    pub dry_run: bool,
    /// Overwrite files edited by hand since the last import.
    pub force: bool,
}

/// Something of a source page the import could not convert, left visible in the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// The source file.
    pub file: PathBuf,
    /// Its line in the source file.
    pub line: usize,
    /// What it is and what became of it.
    pub what: String,
}

impl Leftover {
    fn new(line: usize, what: String) -> Self {
        Leftover {
            file: PathBuf::new(),
            line,
            what,
        }
    }
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// The tool the source was read as.
    pub format: Format,
    /// The files written, updated, unchanged or left alone.
    pub files: Summary,
    /// Pages imported (folder pages made from the source's configuration included).
    pub pages: usize,
    /// Attachments and static files copied.
    pub attachments: usize,
    /// Old URLs recorded as `aliases:`.
    pub aliases: usize,
    /// Notices turned into alerts.
    pub notices: usize,
    /// What was left for a hand, by source file and line.
    pub leftovers: Vec<Leftover>,
    /// The guichet.yaml written beside the content folder (`--into` ending in `content`), when
    /// there was none.
    pub config: Option<PathBuf>,
    /// The site root (the folder above `into`).
    pub site_root: PathBuf,
}

impl ImportReport {
    /// The summary printed at the end of the import.
    pub fn to_text(&self, dry_run: bool) -> String {
        let f = &self.files;
        let verb = if dry_run { "would import" } else { "imported" };
        let mut out = format!(
            "{verb} {} pages and {} attachments ({}): {} created, {} updated, {} unchanged, {} edited by hand and kept, {} overwritten\n",
            self.pages,
            self.attachments,
            self.format,
            f.created.len(),
            f.updated.len(),
            f.unchanged,
            f.kept_edited.len(),
            f.overwritten.len()
        );
        out.push_str(&format!(
            "{} old URLs kept as aliases, {} notices converted to alerts, {} left-overs\n",
            self.aliases,
            self.notices,
            self.leftovers.len()
        ));
        if let Some(config) = &self.config {
            out.push_str(&format!(
                "wrote {} (site title and language)\n",
                config.display()
            ));
        }
        if !self.leftovers.is_empty() {
            out.push_str("left as written, for a hand:\n");
            for l in &self.leftovers {
                out.push_str(&format!("  {}:{}: {}\n", l.file.display(), l.line, l.what));
            }
        }
        if !f.kept_edited.is_empty() {
            out.push_str("edited since the last import, left alone (--force overwrites them):\n");
            for p in &f.kept_edited {
                out.push_str(&format!("  {}\n", p.display()));
            }
        }
        out
    }
}

/// One page of the source, converted.
struct PageOut {
    old: String,
    new: String,
    title: String,
    mapped: front::Mapped,
    aliases: Vec<String>,
    body: String,
    order: Option<f64>,
}

/// Imports `options.src` into `options.into`. Errors (an unknown format, a front matter that
/// does not parse) are returned before anything is written.
pub fn import(options: &MarkdownImport) -> Result<ImportReport, Vec<Diagnostic>> {
    let format = match options.from {
        Some(f) => f,
        None => Format::sniff(&options.src).ok_or_else(|| {
            vec![Diagnostic::file_error(
                &options.src,
                "cannot tell which tool wrote this folder (no mkdocs.yml, docusaurus.config.js, .obsidian/, user/pages/, config.toml or hugo.toml at its top)",
            )
            .with_help("say it: --from mkdocs, docusaurus, hugo, zola, obsidian or grav")]
        })?,
    };
    let source = source::read(&options.src, format).map_err(|d| vec![d])?;
    let (placed, attachments) = paths::place(&source);
    let mut moved: BTreeMap<String, String> = attachments.clone();
    moved.extend(placed.iter().map(|(old, p)| (old.clone(), p.new.clone())));
    let vault = obsidian::Vault::new(source.files.iter().map(String::as_str));
    let mut pages = Vec::new();
    let mut leftovers = Vec::new();
    let mut errors = Vec::new();
    let mut notices = 0;
    for (old, place) in &placed {
        match convert_page(&source, old, place, &vault) {
            Ok((page, n, mut left)) => {
                notices += n;
                leftovers.append(&mut left);
                pages.push(page);
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Links last: they need every page's headings.
    let anchors: links::Anchors = pages
        .iter()
        .map(|p| (p.old.clone(), links::heading_anchors(&p.body)))
        .collect();
    for page in &mut pages {
        let body = links::rewrite(&page.body, &page.old, &page.new, &moved, &anchors);
        page.body = links::strip_explicit_ids(&body);
    }
    let mut generated = arrange::folder_pages(&source, &pages);
    pages.append(&mut generated);
    arrange::assign_weights(&mut pages);
    let aliases = arrange::settle_aliases(&mut pages, &source, &mut leftovers);
    leftovers.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));

    let mut files = Summary::default();
    for page in &pages {
        let text = import::stamped(&write::page_text(page));
        write::write_text(&options.into.join(&page.new), &text, options, &mut files)?;
    }
    let mut copied = 0;
    for (old, new) in &attachments {
        write::copy_file(
            &source.root.join(old),
            &options.into.join(new),
            options,
            &mut files,
        )?;
        copied += 1;
    }
    if let Some(statics) = &source.statics {
        for file in &source.static_files {
            if moved.values().any(|n| n == file) {
                continue;
            }
            write::copy_file(
                &statics.join(file),
                &options.into.join(file),
                options,
                &mut files,
            )?;
            copied += 1;
        }
    }
    let site_root = site_root(&options.into);
    // A guichet.yaml only beside a site's content/ folder, not beside any folder.
    let config = if options.into.file_name().is_some_and(|n| n == "content") {
        write::write_config(&site_root, &source, options)?
    } else {
        None
    };
    Ok(ImportReport {
        format,
        files,
        pages: pages.len(),
        attachments: copied,
        aliases,
        notices,
        leftovers,
        config,
        site_root,
    })
}

/// Builds the imported site without writing it: the errors are the files that still need a
/// hand, and why.
pub fn verify(site_root: &Path) -> Vec<Diagnostic> {
    match crate::build::validate_without_writing(&crate::build::BuildOptions::new(site_root)) {
        Ok(_) => Vec::new(),
        Err(all) => all.0.into_iter().filter(Diagnostic::is_error).collect(),
    }
}

/// The site root: the folder holding the content folder.
fn site_root(into: &Path) -> PathBuf {
    match into.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Reads and converts one source page.
fn convert_page(
    source: &Source,
    old: &str,
    place: &paths::Placed,
    vault: &obsidian::Vault,
) -> Result<(PageOut, usize, Vec<Leftover>), Diagnostic> {
    let format = source.format;
    let path = source.root.join(old);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Diagnostic::file_error(&path, format!("cannot read the file: {e}")))?;
    let split = front::split(&path, &text)?;
    let mapped = front::map(&split.front, format);
    let mdx = old.ends_with(".mdx");
    let mut left = leftovers::find(&split.body, format, split.body_line, mdx);
    let (body, notices) = notices::convert(&split.body, format);
    let body = if format == Format::Obsidian {
        let (body, mut more) = obsidian::convert(&body, old, vault, split.body_line);
        left.append(&mut more);
        body
    } else {
        body
    };
    let (body, heading) = take_first_heading(&body, mapped.title.as_deref());
    for l in &mut left {
        l.file = path.clone();
    }
    let title = mapped
        .title
        .clone()
        .or(heading)
        .or_else(|| folder_title(source, old, &place.new))
        .unwrap_or_else(|| humanise(old));
    let mut aliases = Vec::new();
    if let Some(rule_url) = &place.old_url {
        aliases.push(paths::old_url_from_front(&split.front, rule_url, format));
    }
    let base = aliases.first().cloned().unwrap_or_default();
    aliases.extend(mapped.aliases.iter().map(|a| relative_alias(a, &base)));
    if format == Format::Grav {
        aliases.extend(grav_routes(&split.front));
    }
    let order = mapped
        .order
        .or_else(|| source.page_order.get(old).copied())
        .or_else(|| {
            // A folder's own page takes the folder's place (a Grav page is its folder).
            let folder_page =
                crate::content::is_section_index(&place.new) || format == Format::Grav;
            folder_page
                .then(|| source.folders.get(old_dir(old)).and_then(|m| m.order))
                .flatten()
        })
        // The home page has no siblings.
        .filter(|_| place.new != "_index.md");
    Ok((
        PageOut {
            old: old.to_string(),
            new: place.new.clone(),
            title,
            mapped,
            aliases,
            body,
            order,
        },
        notices,
        left,
    ))
}

use source::Source;

fn old_dir(old: &str) -> &str {
    old.rsplit_once('/').map_or("", |(d, _)| d)
}

/// A folder page takes its folder's title from the source's configuration.
fn folder_title(source: &Source, old: &str, new: &str) -> Option<String> {
    if new == "_index.md" {
        return source.title.clone();
    }
    if !crate::content::is_section_index(new) {
        return None;
    }
    source
        .folders
        .get(old_dir(old))
        .and_then(|m| m.title.clone())
}

/// A title from a file name: `premiers-pas.md` → `Premiers pas`.
fn humanise(path: &str) -> String {
    let name = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let stem =
        stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-' || c == '_');
    // A name with spaces is already written for people (`Wi-Fi invités`).
    let words = if stem.contains(' ') {
        stem.to_string()
    } else {
        stem.replace(['-', '_'], " ")
    };
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Page".to_string(),
    }
}

/// The page's level-1 heading, when it comes before any other heading (a line of badges
/// or links may come first): it is the title (when the front matter has none, or says the
/// same) and is taken out of the body, where guichet's template would show it twice.
fn take_first_heading(body: &str, title: Option<&str>) -> (String, Option<String>) {
    let mut offset = 0;
    let mut fence = notices::Fence::default();
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if fence.inside(line) {
            continue;
        }
        let trimmed = line.trim_end();
        if !trimmed.starts_with('#') {
            continue;
        }
        let Some(heading) = trimmed.strip_prefix("# ") else {
            break;
        };
        let heading = heading.trim().trim_end_matches('#').trim().to_string();
        if title.is_some_and(|t| t != heading) {
            break;
        }
        let before = &body[..start];
        let after = body[offset..].trim_start_matches('\n');
        let rest = if before.trim().is_empty() {
            after.to_string()
        } else {
            format!("{}\n\n{after}", before.trim_end())
        };
        return (rest, Some(heading));
    }
    (body.to_string(), None)
}

/// Hugo's aliases without a leading `/` are relative to the page's old URL's folder.
fn relative_alias(alias: &str, base: &str) -> String {
    if alias.starts_with('/') || alias.contains("://") {
        return alias.to_string();
    }
    let folder = base
        .trim_end_matches('/')
        .rsplit_once('/')
        .map_or("", |(d, _)| d);
    format!("{folder}/{alias}")
}

/// Grav's `routes:` (`default`, `canonical`, `aliases`): URLs the page answered.
fn grav_routes(front: &Mapping) -> Vec<String> {
    let Some(routes) = front.get("routes") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in ["default", "canonical"] {
        if let Some(url) = routes.get(key).and_then(Value::as_str) {
            out.push(url.to_string());
        }
    }
    if let Some(list) = routes.get("aliases").and_then(Value::as_sequence) {
        out.extend(list.iter().filter_map(Value::as_str).map(str::to_string));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_heading_is_the_title_when_there_is_none() {
        assert_eq!(
            take_first_heading("\n# Se connecter\n\nTexte\n", None),
            ("Texte\n".to_string(), Some("Se connecter".to_string()))
        );
        assert_eq!(
            take_first_heading("# Autre\nTexte\n", Some("Titre")),
            ("# Autre\nTexte\n".to_string(), None)
        );
        assert_eq!(
            take_first_heading("[Source](a.md)\n# Details\n\n## Vue\n", None),
            (
                "[Source](a.md)\n\n## Vue\n".to_string(),
                Some("Details".to_string())
            )
        );
        assert_eq!(
            take_first_heading("## Avant\n# Titre\n", None),
            ("## Avant\n# Titre\n".to_string(), None)
        );
        assert_eq!(humanise("guide/02-premiers_pas.md"), "Premiers pas");
    }
}
