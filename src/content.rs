//! content/: walking the folder, splitting front matter from Markdown, sections and URLs.
//!
//! Runs first in the pipeline: [`load`] reads every file of content/ into memory, and the
//! result is everything later stages know about the site's pages (they never reread files).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::source_layout::CONTENT_DIR;
use crate::yaml::Spans;

/// Who a page is written for; shown as a badge and used as a search facet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Audience {
    /// End users of the help desk.
    Utilisateurs,
    /// Service-desk technicians.
    Techniciens,
    /// The jury reading a student's E4 portfolio.
    Portfolio,
}

/// The keys a page may set between its `---` lines.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrontMatter {
    /// The page title (required).
    pub title: Option<String>,
    /// One sentence shown under the title, in listings and in meta tags.
    pub description: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Last update, `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// Free keywords.
    #[serde(default)]
    pub tags: Vec<String>,
    /// A category path such as `Réseau > Wi-Fi`.
    pub category: Option<String>,
    /// Who the page is for.
    pub audience: Option<Audience>,
    /// Order in its section (smaller first); pages without weight come after, by title.
    pub weight: Option<i64>,
    /// A draft is built only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// A template other than the default `page.html` / `section.html`.
    pub template: Option<String>,
    /// Overrides the site's language for this page (`fr` or `en`).
    pub language: Option<crate::language::Language>,
    /// `false` keeps the page out of the search index.
    pub search: Option<bool>,
    /// For a section's `_index.md`: `tickets` makes its pages ticket write-ups, `portfolio`
    /// checks them as an E4 portfolio.
    pub kind: Option<String>,
    /// Written by `guichet import`: the hash of the file as imported, so that a re-import
    /// knows whether someone edited it since (see [`crate::import`]).
    pub imported: Option<String>,

    // Content from elsewhere: the page's own data and the URLs it answers besides its own.
    /// Free-form data for templates (`page.extra`): the keys guichet does not know, kept.
    #[serde(default)]
    pub extra: BTreeMap<String, serde_yaml::Value>,
    /// Old URLs of the page (`/ancienne/adresse`): each gets a page that redirects here, and
    /// links written with them lead here.
    #[serde(default)]
    pub aliases: Vec<String>,

    // The E4 portfolio's document metadata (src/portfolio/): shown in the printed title
    // block and checked for completeness.
    /// Which of the eight E4 documents the page is (`planning`, `topologie`…).
    pub document: Option<String>,
    /// The document's version (`1.2`).
    pub version: Option<String>,
    /// Who wrote the document.
    #[serde(default)]
    pub authors: Vec<String>,
    /// The organisation the document is written for.
    pub organisation: Option<String>,
    /// Ids of the jury's questions the page answers (`pourquoi-outil`, `sla`…).
    #[serde(default)]
    pub answers: Vec<String>,
}

/// One Markdown file of content/, split and parsed.
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// Path relative to content/, with `/` separators (`utilisateurs/se-connecter.md`).
    pub rel_path: String,
    /// Path relative to the site root, for diagnostics (`content/utilisateurs/se-connecter.md`).
    pub file: PathBuf,
    /// The whole file, for quoting lines in diagnostics; shared with what is read from it.
    pub text: Arc<str>,
    /// Where the YAML between the `---` lines is in `text` (empty when there is none).
    front_matter: Range<usize>,
    /// The file line of the front matter's first line.
    pub front_matter_line: usize,
    /// Where the Markdown after the front matter is in `text`.
    body: Range<usize>,
    /// The file line of the body's first line.
    pub body_line: usize,
}

impl SourcePage {
    /// The YAML between the `---` lines (empty when there is none).
    pub(crate) fn front_matter_yaml(&self) -> &str {
        &self.text[self.front_matter.clone()]
    }

    /// The Markdown after the front matter.
    pub(crate) fn body(&self) -> &str {
        &self.text[self.body.clone()]
    }

    /// Where the Markdown after the front matter is in `text`.
    pub(crate) fn body_range(&self) -> Range<usize> {
        self.body.clone()
    }

    /// Where the YAML between the `---` lines is in `text`.
    pub(crate) fn front_matter_range(&self) -> Range<usize> {
        self.front_matter.clone()
    }

    /// Frees the file's text once nothing will read it again (`build` after rendering, on
    /// a large site the text is a fifth of the memory the search index stage starts from):
    /// the text and the body and front matter become empty.
    pub(crate) fn forget_text(&mut self) {
        self.text = Arc::from("");
        self.front_matter = 0..0;
        self.body = 0..0;
    }
}

/// The content folder in memory: pages and the other files to copy beside them.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Markdown files, sorted by path.
    pub pages: Vec<SourcePage>,
    /// Other files (images, configuration files), relative to content/, sorted.
    pub assets: Vec<String>,
}

/// Reads every file of `root/content`, in path order. Unreadable files are reported, not skipped.
pub fn load(root: &Path) -> Result<Sources, Vec<Diagnostic>> {
    let dir = root.join(CONTENT_DIR);
    let mut files = Vec::new();
    if dir.is_dir() {
        walk(&dir, "", &mut files).map_err(|d| vec![d])?;
    }
    files.sort();
    let (pages, assets): (Vec<String>, Vec<String>) =
        files.into_iter().partition(|rel| rel.ends_with(".md"));
    let mut sources = Sources {
        assets,
        ..Sources::default()
    };
    let mut errors = Vec::new();
    // Read in parallel (order kept): thousands of small reads are faster from two threads.
    let read: Vec<Result<SourcePage, Diagnostic>> = pages
        .into_par_iter()
        .map(|rel| read_page(&dir, rel))
        .collect();
    for page in read {
        match page {
            Ok(page) => sources.pages.push(page),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
}

/// Reads content/`rel` and splits its front matter from its body.
fn read_page(dir: &Path, rel: String) -> Result<SourcePage, Diagnostic> {
    let file = Path::new(CONTENT_DIR).join(&rel);
    match fs::read_to_string(dir.join(&rel)) {
        Ok(text) => split(&file, &rel, text),
        Err(e) => Err(
            Diagnostic::file_error(&file, format!("cannot read the file: {e}"))
                .with_help("save it as UTF-8 text"),
        ),
    }
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), Diagnostic> {
    let root = fs::canonicalize(dir).map_err(folder_error)?;
    walk_inside(&root, &mut vec![root.clone()], dir, prefix, out)
}

fn folder_error(e: std::io::Error) -> Diagnostic {
    Diagnostic::file_error(CONTENT_DIR, format!("cannot read the folder: {e}"))
}

/// Walks `dir`, whose real path is the last of `visiting` (the real paths of the folders being
/// walked, outermost first); a symbolic link is followed only when it points
/// inside `root` (content/), so a link to `/etc/passwd` or `~/.ssh` is never read nor copied
/// into the site. A link back to a folder being walked is an error: it would repeat that
/// folder endlessly.
fn walk_inside(
    root: &Path,
    visiting: &mut Vec<PathBuf>,
    dir: &Path,
    prefix: &str,
    out: &mut Vec<String>,
) -> Result<(), Diagnostic> {
    for entry in fs::read_dir(dir).map_err(folder_error)? {
        let entry = entry.map_err(folder_error)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // Editor swap files and hidden files are never content.
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let mut kind = entry.file_type().map_err(folder_error)?;
        let mut real = visiting
            .last()
            .map(|here| here.join(&name))
            .unwrap_or_default();
        if kind.is_symlink() {
            match fs::canonicalize(entry.path()) {
                Ok(target) if target.starts_with(root) => {
                    kind = fs::metadata(&target).map_err(folder_error)?.file_type();
                    if kind.is_dir() && visiting.contains(&target) {
                        return Err(Diagnostic::file_error(
                            Path::new(CONTENT_DIR).join(&rel),
                            "this link leads back to a folder that holds it: the folder would repeat endlessly",
                        )
                        .with_help("remove the link, or point it at a folder beside it"));
                    }
                    real = target;
                }
                _ => continue,
            }
        }
        if kind.is_dir() {
            visiting.push(real);
            walk_inside(root, visiting, &entry.path(), &rel, out)?;
            visiting.pop();
        } else if kind.is_file() {
            out.push(rel);
        }
    }
    Ok(())
}

/// Splits a Markdown file into front matter and body. The front matter is optional; when it
/// opens with `---` it must be closed by a line `---`.
pub fn split(file: &Path, rel: &str, text: String) -> Result<SourcePage, Diagnostic> {
    let text: Arc<str> = match text.strip_prefix('\u{feff}') {
        Some(without_bom) => without_bom.into(),
        None => text.into(),
    };
    let first = text.lines().next().unwrap_or("");
    let mut page = SourcePage {
        rel_path: rel.to_string(),
        file: file.to_path_buf(),
        front_matter: 0..0,
        front_matter_line: 2,
        body: 0..text.len(),
        body_line: 1,
        text: text.clone(),
    };
    if first.trim_end() != "---" {
        return Ok(page);
    }
    let mut offset = first.len() + 1;
    let rest = &text[offset.min(text.len())..];
    for (line_no, line) in (2..).zip(rest.split_inclusive('\n')) {
        if line.trim_end() == "---" {
            page.front_matter = first.len() + 1..offset;
            page.body = (offset + line.len()).min(text.len())..text.len();
            page.body_line = line_no + 1;
            return Ok(page);
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(file, 1, 1, "the front matter is not closed")
            .with_source(&text)
            .with_help("end the front matter with a line containing only `---`"),
    )
}

/// Parses a page's front matter; errors name the file line and column.
pub(crate) fn parse_front_matter(page: &SourcePage) -> Result<(FrontMatter, Spans), Diagnostic> {
    if page.front_matter_yaml().trim().is_empty() {
        return Ok((FrontMatter::default(), Spans::default()));
    }
    crate::yaml::parse_shared::<FrontMatter>(
        &page.file,
        &page.text,
        page.front_matter.clone(),
        page.front_matter_line,
    )
    .map_err(explain_unknown_key)
}

/// The keys a page's front matter allows, for "did you mean" (kept in the struct's order).
const FRONT_MATTER_KEYS: [&str; 21] = [
    "title",
    "description",
    "date",
    "updated",
    "tags",
    "category",
    "audience",
    "weight",
    "draft",
    "template",
    "language",
    "search",
    "kind",
    "imported",
    "extra",
    "aliases",
    "document",
    "version",
    "authors",
    "organisation",
    "answers",
];

/// An unknown front-matter key gets the closest known key ("did you mean") and the way to
/// keep custom data: under `extra:`, where templates read it as `page.extra`.
fn explain_unknown_key(mut d: Diagnostic) -> Diagnostic {
    let Some(name) = d
        .message
        .strip_prefix("unknown key `")
        .and_then(|rest| rest.split('`').next())
    else {
        return d;
    };
    let closest = FRONT_MATTER_KEYS
        .iter()
        .map(|k| (crate::text_distance::edit_distance(name, k), *k))
        .min()
        .filter(|(distance, key)| *distance <= 2.max(key.len() / 3));
    let mut help = String::new();
    if let Some((_, key)) = closest {
        help.push_str(&format!("did you mean `{key}`? "));
    }
    help.push_str(&format!(
        "put custom data under `extra:` (`extra:` then `  {name}: …` on the next line), where templates read it as `page.extra.{name}`"
    ));
    if let Some(allowed) = d.help.take() {
        help.push_str(&format!("; {allowed}"));
    }
    d.help = Some(help);
    d
}

/// The URL path of a page, relative to the site root, ending in `/` (empty for the home page):
/// `utilisateurs/declarer-un-incident.md` → `utilisateurs/declarer-un-incident/`,
/// `utilisateurs/_index.md` → `utilisateurs/`.
pub(crate) fn url_of(rel_path: &str) -> String {
    let stem = rel_path.strip_suffix(".md").unwrap_or(rel_path);
    // Only a whole `_index` file name stands for its folder: `reindex.md` is a page.
    let stem = match stem.rsplit_once('/') {
        Some((dir, "_index")) => dir,
        None if stem == "_index" => "",
        _ => stem,
    };
    if stem.is_empty() {
        String::new()
    } else {
        format!("{stem}/")
    }
}

/// The folder (relative to content/) a page belongs to: its own folder for `_index.md`, the
/// folder containing it otherwise.
pub(crate) fn section_of(rel_path: &str) -> String {
    match rel_path.rsplit_once('/') {
        Some((dir, _)) => dir.to_string(),
        None => String::new(),
    }
}

/// True for a section's `_index.md`.
pub(crate) fn is_section_index(rel_path: &str) -> bool {
    rel_path == "_index.md" || rel_path.ends_with("/_index.md")
}

/// The folders of content/ that are sections, including intermediate ones without `_index.md`.
pub(crate) fn section_dirs<'a>(rel_paths: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut dirs = BTreeSet::new();
    dirs.insert(String::new());
    for rel_path in rel_paths {
        let mut dir = section_of(rel_path);
        while !dir.is_empty() {
            dirs.insert(dir.clone());
            dir = section_of(&dir);
        }
    }
    dirs
}

/// Resolves `target` (a relative link written in the file `from`, both relative to content/)
/// to a normalised content path; `None` when it climbs above content/.
pub(crate) fn resolve_relative(from: &str, target: &str) -> Option<String> {
    let base = section_of(from);
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in target.trim_start_matches('/').split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> SourcePage {
        split(Path::new("content/a.md"), "a.md", text.to_string()).unwrap()
    }

    #[test]
    fn splits_front_matter_and_body_with_lines() {
        let p = page("---\ntitle: A\n---\n# Hello\n");
        assert_eq!(p.front_matter_yaml(), "title: A\n");
        assert_eq!(p.body(), "# Hello\n");
        assert_eq!(p.body_line, 4);
    }

    #[test]
    fn page_without_front_matter() {
        let p = page("# Only body\n");
        assert_eq!(p.front_matter_yaml(), "");
        assert_eq!(p.body(), "# Only body\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split(
            Path::new("content/a.md"),
            "a.md",
            "---\ntitle: A\n# no end\n".into(),
        )
        .unwrap_err();
        assert_eq!(
            err.headline(),
            "content/a.md:1:1: error: the front matter is not closed"
        );
    }

    #[test]
    fn front_matter_errors_point_at_file_lines() {
        let p = page("---\ntitle: A\nweight: deux\n---\nbody\n");
        let err = parse_front_matter(&p).unwrap_err();
        assert_eq!((err.line, err.column), (3, 9));
        assert_eq!(err.source_line.as_deref(), Some("weight: deux"));
        let p = page("---\ntitle: A\n\ntags: [a]\nauteur: moi\n---\n");
        let err = parse_front_matter(&p).unwrap_err();
        assert_eq!(
            err.headline(),
            "content/a.md:5:1: error: unknown key `auteur`"
        );
        assert!(err.help.as_deref().unwrap().contains("`title`"));
    }

    #[test]
    fn bad_yaml_syntax_points_at_its_line() {
        let p = page("---\ntitle: A\ntags: [a, b\n---\n");
        let err = parse_front_matter(&p).unwrap_err();
        assert_eq!(err.path, Path::new("content/a.md"));
        assert!(err.line >= 3, "line {}", err.line);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_content_are_never_read() {
        let root = std::env::temp_dir().join(format!("guichet-symlink-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("content/a")).unwrap();
        fs::write(root.join("secret.txt"), "secret").unwrap();
        fs::write(root.join("content/a/page.md"), "---\ntitle: P\n---\n").unwrap();
        std::os::unix::fs::symlink(root.join("secret.txt"), root.join("content/a/secret.txt"))
            .unwrap();
        std::os::unix::fs::symlink(
            root.join("content/a/page.md"),
            root.join("content/alias.md"),
        )
        .unwrap();
        let sources = load(&root).unwrap();
        let pages: Vec<&str> = sources.pages.iter().map(|p| p.rel_path.as_str()).collect();
        assert_eq!(pages, ["a/page.md", "alias.md"]);
        assert!(sources.assets.is_empty(), "{:?}", sources.assets);
        fs::remove_dir_all(&root).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_link_back_to_a_folder_being_read_is_an_error_and_a_link_beside_is_followed() {
        let root =
            std::env::temp_dir().join(format!("guichet-symlink-loop-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("content/a")).unwrap();
        fs::create_dir_all(root.join("content/b")).unwrap();
        fs::write(root.join("content/b/page.md"), "---\ntitle: P\n---\n").unwrap();
        // a/b-too is a second way to b: followed, once.
        std::os::unix::fs::symlink("../b", root.join("content/a/b-too")).unwrap();
        let sources = load(&root).unwrap();
        let pages: Vec<&str> = sources.pages.iter().map(|p| p.rel_path.as_str()).collect();
        assert_eq!(pages, ["a/b-too/page.md", "b/page.md"]);
        // b/up leads back to content/, which holds b.
        std::os::unix::fs::symlink("..", root.join("content/b/up")).unwrap();
        let errors = load(&root).unwrap_err();
        let headlines: Vec<String> = errors.iter().map(Diagnostic::headline).collect();
        assert_eq!(headlines.len(), 1);
        assert!(
            headlines[0].ends_with("/up: error: this link leads back to a folder that holds it: the folder would repeat endlessly"),
            "{headlines:?}"
        );
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn urls_are_pretty() {
        assert_eq!(
            url_of("utilisateurs/declarer-un-incident.md"),
            "utilisateurs/declarer-un-incident/"
        );
        assert_eq!(url_of("utilisateurs/_index.md"), "utilisateurs/");
        assert_eq!(url_of("_index.md"), "");
        assert_eq!(url_of("a/b/c.md"), "a/b/c/");
        assert_eq!(url_of("a/reindex.md"), "a/reindex/");
        assert_eq!(url_of("a/index.md"), "a/index/");
        assert_eq!(url_of("my_index.md"), "my_index/");
    }

    #[test]
    fn relative_links_resolve_against_the_file_folder() {
        assert_eq!(
            resolve_relative("portfolio/tests.md", "../utilisateurs/a.md").as_deref(),
            Some("utilisateurs/a.md")
        );
        assert_eq!(
            resolve_relative("portfolio/tests.md", "config_db.php").as_deref(),
            Some("portfolio/config_db.php")
        );
        assert_eq!(resolve_relative("a.md", "../x.md"), None);
        assert_eq!(
            resolve_relative("a/b.md", "/c/d.md").as_deref(),
            Some("c/d.md")
        );
    }
}
