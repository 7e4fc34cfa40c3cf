//! Reading a source folder the way its tool lays it out: where the pages are, the site's
//! title and language, the order and titles its configuration gives (MkDocs `nav:` and
//! `.pages`, Docusaurus `_category_`, Grav and Docusaurus number prefixes), and the URL each
//! page had.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::diagnostics::Diagnostic;
use crate::language::Language;

use super::format::Format;

/// A folder's title and place, from the source's configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct FolderMeta {
    /// Its title in the navigation.
    pub title: Option<String>,
    /// Its place among its siblings (smaller first).
    pub order: Option<f64>,
}

/// A source folder, read.
#[derive(Debug, Clone)]
pub(super) struct Source {
    /// The tool that wrote it.
    pub format: Format,
    /// The folder holding the pages (`docs/`, `content/`, `user/pages/`, the vault).
    pub root: PathBuf,
    /// Files of `root` (pages and attachments), relative, sorted; the tool's own
    /// configuration files are left out.
    pub files: Vec<String>,
    /// The static files folder, copied to the top of content/ (`/img/a.png` keeps working).
    pub statics: Option<PathBuf>,
    /// Files of `statics`, relative, sorted.
    pub static_files: Vec<String>,
    /// The site's title.
    pub title: Option<String>,
    /// The site's language, when the source says.
    pub language: Option<Language>,
    /// Page (relative path) → its place in the source's navigation.
    pub page_order: BTreeMap<String, f64>,
    /// Folder (relative path, `` for the root) → its title and place.
    pub folders: BTreeMap<String, FolderMeta>,
    /// MkDocs `use_directory_urls: false`: pages were `a/b.html`.
    pub html_urls: bool,
}

/// Reads `src` as `format` lays it out.
pub(super) fn read(src: &Path, format: Format) -> Result<Source, Diagnostic> {
    if !src.is_dir() {
        return Err(Diagnostic::file_error(src, "the source folder does not exist")
            .with_help("give the folder of the documentation to import: guichet import markdown ../ancien-site"));
    }
    let mut source = Source {
        format,
        root: src.to_path_buf(),
        files: Vec::new(),
        statics: None,
        static_files: Vec::new(),
        title: None,
        language: None,
        page_order: BTreeMap::new(),
        folders: BTreeMap::new(),
        html_urls: false,
    };
    match format {
        Format::Mkdocs => read_mkdocs(src, &mut source)?,
        Format::Docusaurus => {
            source.root = first_dir(src, &["docs"]);
            source.title = docusaurus_title(src);
            source.statics = Some(src.join("static")).filter(|s| s.is_dir());
        }
        Format::Hugo => read_hugo(src, &mut source)?,
        Format::Zola => read_zola(src, &mut source)?,
        Format::Obsidian => {}
        Format::Grav => {
            source.root = first_dir(src, &["user/pages", "pages"]);
            source.title = yaml_file(&src.join("user/config/site.yaml"))?
                .and_then(|v| v.get("title").and_then(Value::as_str).map(str::to_string));
        }
    }
    if !source.root.is_dir() {
        return Err(
            Diagnostic::file_error(&source.root, "the folder of pages does not exist").with_help(
                format!(
                    "a {format} site keeps its pages there; check the source folder, or give --from"
                ),
            ),
        );
    }
    let mut config_files = Vec::new();
    walk(&source.root, "", &mut source.files, &mut config_files)?;
    source.files.sort();
    config_files.sort();
    if let Some(statics) = &source.statics {
        walk(statics, "", &mut source.static_files, &mut Vec::new())?;
        source.static_files.sort();
    }
    for config in config_files {
        read_folder_config(&mut source, &config)?;
    }
    if format == Format::Docusaurus || format == Format::Grav {
        number_prefix_order(&mut source);
    }
    Ok(source)
}

/// The first of `names` that is a folder inside `src`, else `src` itself.
fn first_dir(src: &Path, names: &[&str]) -> PathBuf {
    names
        .iter()
        .map(|n| src.join(n))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| src.to_path_buf())
}

/// Every file under `dir`: hidden files and folders (`.obsidian`, `.git`), `node_modules`
/// and editor backups are skipped; the tools' folder files (`_category_.json`, `.pages`)
/// go to `configs`.
fn walk(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<String>,
    configs: &mut Vec<String>,
) -> Result<(), Diagnostic> {
    let entries = fs::read_dir(dir)
        .map_err(|e| Diagnostic::file_error(dir, format!("cannot read the folder: {e}")))?;
    for entry in entries {
        let entry = entry
            .map_err(|e| Diagnostic::file_error(dir, format!("cannot read the folder: {e}")))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let kind = entry
            .file_type()
            .map_err(|e| Diagnostic::file_error(entry.path(), format!("cannot read: {e}")))?;
        if is_folder_config(&name) {
            configs.push(rel);
        } else if name.starts_with('.')
            || name.ends_with('~')
            || name == "node_modules"
            || kind.is_symlink()
        {
            continue;
        } else if kind.is_dir() {
            walk(&entry.path(), &rel, out, configs)?;
        } else if kind.is_file() {
            out.push(rel);
        }
    }
    Ok(())
}

fn is_folder_config(name: &str) -> bool {
    matches!(
        name,
        "_category_.json" | "_category_.yml" | "_category_.yaml" | ".pages" | ".pages.yml"
    )
}

/// A Docusaurus `_category_` (label, position) or an MkDocs awesome-pages `.pages` (title,
/// nav order) gives its folder a title and its children an order.
fn read_folder_config(source: &mut Source, rel: &str) -> Result<(), Diagnostic> {
    let path = source.root.join(rel);
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let value = if rel.ends_with(".json") {
        let text = fs::read_to_string(&path)
            .map_err(|e| Diagnostic::file_error(&path, format!("cannot read: {e}")))?;
        let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            Diagnostic::error(
                &path,
                e.line(),
                e.column(),
                format!("the JSON does not parse: {e}"),
            )
        })?;
        serde_yaml::to_value(json).unwrap_or(Value::Null)
    } else {
        yaml_file(&path)?.unwrap_or(Value::Null)
    };
    let meta = source.folders.entry(dir.clone()).or_default();
    if let Some(label) = value
        .get("label")
        .or_else(|| value.get("title"))
        .and_then(Value::as_str)
    {
        meta.title = Some(label.to_string());
    }
    if let Some(position) = value.get("position").and_then(Value::as_f64) {
        meta.order = Some(position);
    }
    // awesome-pages: `nav: [a.md, sous-dossier, ...]`, in the order of the menu.
    if let Some(nav) = value.get("nav").and_then(Value::as_sequence) {
        for (i, item) in nav.iter().enumerate() {
            let name = match item {
                Value::String(s) => s.clone(),
                Value::Mapping(m) => m
                    .values()
                    .next()
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                _ => continue,
            };
            let child = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            if name.ends_with(".md") {
                source.page_order.entry(child).or_insert(i as f64);
            } else {
                source
                    .folders
                    .entry(child)
                    .or_default()
                    .order
                    .get_or_insert(i as f64);
            }
        }
    }
    Ok(())
}

/// Docusaurus and Grav number their files and folders (`01-intro.md`, `02.guide/`): the
/// number is the order when nothing else gives one.
fn number_prefix_order(source: &mut Source) {
    let format = source.format;
    for file in &source.files {
        let mut dir = String::new();
        for (i, segment) in file.split('/').enumerate() {
            let path = if i == 0 {
                segment.to_string()
            } else {
                format!("{dir}/{segment}")
            };
            if let Some((n, _)) = split_number_prefix(segment, format) {
                if path == *file {
                    source.page_order.entry(path.clone()).or_insert(n);
                } else {
                    source
                        .folders
                        .entry(path.clone())
                        .or_default()
                        .order
                        .get_or_insert(n);
                }
            }
            dir = path;
        }
    }
}

/// `01-intro.md` → (1, `intro.md`) for Docusaurus; `02.guide` → (2, `guide`) for Grav.
pub(super) fn split_number_prefix(name: &str, format: Format) -> Option<(f64, &str)> {
    let digits = name.len() - name.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let rest = &name[digits..];
    let rest = match format {
        Format::Grav => rest.strip_prefix('.')?,
        Format::Docusaurus => rest.strip_prefix(['-', '_', '.'])?.trim_start(),
        _ => return None,
    };
    // `2024.md` is a name, not a number before one.
    let only_extension =
        format == Format::Docusaurus && name.rsplit_once('.').is_some_and(|(_, ext)| ext == rest);
    if rest.is_empty() || rest.starts_with('.') || only_extension {
        return None;
    }
    Some((name[..digits].parse().ok()?, rest))
}

fn yaml_file(path: &Path) -> Result<Option<Value>, Diagnostic> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Diagnostic::file_error(path, format!("cannot read: {e}"))),
    };
    serde_yaml::from_str(&text).map(Some).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        Diagnostic::error(path, line, column, format!("the YAML does not parse: {e}"))
    })
}

fn language_of(code: Option<&str>) -> Option<Language> {
    let code = code?.to_ascii_lowercase();
    if code.starts_with("en") {
        Some(Language::En)
    } else if code.starts_with("fr") {
        Some(Language::Fr)
    } else {
        None
    }
}

/// The `title:` of docusaurus.config.js (or .ts, .mjs): the first `title: '…'` line, which
/// the generated configuration puts at the top of its object. The file is JavaScript and is
/// not run.
fn docusaurus_title(src: &Path) -> Option<String> {
    let text = [
        "docusaurus.config.js",
        "docusaurus.config.ts",
        "docusaurus.config.mjs",
    ]
    .iter()
    .find_map(|n| fs::read_to_string(src.join(n)).ok())?;
    text.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix("title:")?.trim();
        let quote = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'))?;
        let inner = &rest[1..];
        inner.find(quote).map(|end| inner[..end].to_string())
    })
}

/// mkdocs.yml: `docs_dir`, `site_name`, `theme.language`, `use_directory_urls` and `nav:`.
fn read_mkdocs(src: &Path, source: &mut Source) -> Result<(), Diagnostic> {
    let path = [src.join("mkdocs.yml"), src.join("mkdocs.yaml")]
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| src.join("mkdocs.yml"));
    let config = yaml_file(&path)?.unwrap_or(Value::Null);
    let docs = config
        .get("docs_dir")
        .and_then(Value::as_str)
        .unwrap_or("docs");
    source.root = src.join(docs);
    source.title = config
        .get("site_name")
        .and_then(Value::as_str)
        .map(str::to_string);
    source.language = language_of(
        config
            .get("theme")
            .and_then(|t| t.get("language"))
            .and_then(Value::as_str),
    );
    source.html_urls = config.get("use_directory_urls").and_then(Value::as_bool) == Some(false);
    if let Some(nav) = config.get("nav").and_then(Value::as_sequence) {
        let mut counter = 0.0;
        read_nav(nav, source, &mut counter);
    }
    Ok(())
}

/// One level of MkDocs `nav:`: `- page.md`, `- Titre: page.md`, `- Section: [...]`.
/// Pages take their place in reading order; a section names the folder its pages share.
fn read_nav(items: &[Value], source: &mut Source, counter: &mut f64) -> Vec<String> {
    let mut pages = Vec::new();
    for item in items {
        match item {
            Value::String(page) => {
                *counter += 1.0;
                source.page_order.entry(page.clone()).or_insert(*counter);
                pages.push(page.clone());
            }
            Value::Mapping(m) => {
                for (title, value) in m {
                    let title = title.as_str().unwrap_or_default().to_string();
                    match value {
                        Value::String(page) if !page.contains("://") => {
                            *counter += 1.0;
                            source.page_order.entry(page.clone()).or_insert(*counter);
                            pages.push(page.clone());
                        }
                        Value::Sequence(children) => {
                            let first = *counter + 1.0;
                            let inner = read_nav(children, source, counter);
                            if let Some(dir) = common_folder(&inner) {
                                let meta = source.folders.entry(dir).or_default();
                                meta.title.get_or_insert(title);
                                meta.order.get_or_insert(first);
                            }
                            pages.extend(inner);
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    pages
}

/// The folder every page of `pages` sits in (not the root), if they share one.
fn common_folder(pages: &[String]) -> Option<String> {
    let dirs: Vec<&str> = pages
        .iter()
        .map(|p| p.rsplit_once('/').map_or("", |(d, _)| d))
        .collect();
    let first = *dirs.first()?;
    (!first.is_empty()
        && dirs
            .iter()
            .all(|d| *d == first || d.starts_with(&format!("{first}/"))))
    .then(|| first.to_string())
}

/// Hugo's configuration (hugo.toml, config.toml, hugo.yaml or config.yaml): `title`,
/// `contentDir`, `languageCode`.
fn read_hugo(src: &Path, source: &mut Source) -> Result<(), Diagnostic> {
    let config = [
        "hugo.toml",
        "config.toml",
        "hugo.yaml",
        "config.yaml",
        "hugo.yml",
        "config.yml",
    ]
    .iter()
    .map(|n| src.join(n))
    .find(|p| p.is_file());
    let value = match &config {
        Some(p) if p.extension().is_some_and(|e| e == "toml") => toml_file(p)?,
        Some(p) => yaml_file(p)?.unwrap_or(Value::Null),
        None => Value::Null,
    };
    let content = value
        .get("contentDir")
        .and_then(Value::as_str)
        .unwrap_or("content");
    source.root = src.join(content);
    source.title = value
        .get("title")
        .and_then(Value::as_str)
        .map(str::to_string);
    source.language = language_of(
        value
            .get("languageCode")
            .or_else(|| value.get("defaultContentLanguage"))
            .and_then(Value::as_str),
    );
    source.statics = Some(src.join("static")).filter(|s| s.is_dir());
    Ok(())
}

/// Zola's config.toml: `title`, `default_language`.
fn read_zola(src: &Path, source: &mut Source) -> Result<(), Diagnostic> {
    let value = toml_file(&src.join("config.toml"))?;
    source.root = src.join("content");
    source.title = value
        .get("title")
        .and_then(Value::as_str)
        .map(str::to_string);
    source.language = language_of(value.get("default_language").and_then(Value::as_str));
    source.statics = Some(src.join("static")).filter(|s| s.is_dir());
    Ok(())
}

fn toml_file(path: &Path) -> Result<Value, Diagnostic> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Value::Null),
        Err(e) => return Err(Diagnostic::file_error(path, format!("cannot read: {e}"))),
    };
    let page = super::front::split(path, &format!("+++\n{text}\n+++\n")).map_err(|mut d| {
        d.line = d.line.saturating_sub(1).max(1);
        d
    })?;
    Ok(Value::Mapping(page.front))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_prefixes() {
        assert_eq!(
            split_number_prefix("01-intro.md", Format::Docusaurus),
            Some((1.0, "intro.md"))
        );
        assert_eq!(
            split_number_prefix("02.guide", Format::Grav),
            Some((2.0, "guide"))
        );
        assert_eq!(split_number_prefix("02.guide", Format::Mkdocs), None);
        assert_eq!(split_number_prefix("2024.md", Format::Docusaurus), None);
        assert_eq!(split_number_prefix("404-page.md", Format::Grav), None);
    }
}
