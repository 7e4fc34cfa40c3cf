//! Where each source file goes in content/, and the URL each page had on the source's site.

use std::collections::{BTreeMap, BTreeSet};

use super::format::Format;
use super::source::{Source, split_number_prefix};

/// A source page's new place and its old URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Placed {
    /// The path in content/ (`guide/install.md`, `guide/_index.md`).
    pub new: String,
    /// The URL it had, root-absolute, as the tool wrote it (`/docs/guide/install`); `None`
    /// when the source is not a site (an Obsidian vault).
    pub old_url: Option<String>,
}

/// True for a Markdown page of `format`.
pub(super) fn is_page(rel: &str, format: Format) -> bool {
    rel.ends_with(".md")
        || rel.ends_with(".markdown")
        || (format == Format::Docusaurus && rel.ends_with(".mdx"))
}

/// Whether a page is its folder's own page in the source (`index.md`, `_index.md`…).
fn is_folder_page(rel: &str, format: Format) -> bool {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = stem(name);
    match format {
        Format::Mkdocs => matches!(stem, "index" | "README"),
        Format::Docusaurus => {
            let folder = dir.rsplit('/').next().unwrap_or("");
            matches!(stem.to_ascii_lowercase().as_str(), "index" | "readme")
                || (!folder.is_empty() && stem == strip(folder, format))
        }
        Format::Hugo | Format::Zola => matches!(stem, "_index" | "index"),
        Format::Obsidian => false,
        // A Grav page is the one Markdown file of its folder.
        Format::Grav => !dir.is_empty(),
    }
}

fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// A name with its number prefix removed (Docusaurus, Grav).
fn strip(name: &str, format: Format) -> &str {
    split_number_prefix(name, format).map_or(name, |(_, rest)| rest)
}

/// A folder or file name as guichet writes it: the number prefix gone, and names with
/// spaces or signs made into URL words (`Wi-Fi invités` → `wi-fi-invites`).
fn new_segment(name: &str, format: Format) -> String {
    let name = strip(name, format);
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if plain {
        name.to_string()
    } else {
        let slug = crate::markdown::slugify(name);
        if slug.is_empty() {
            "page".to_string()
        } else {
            slug
        }
    }
}

/// The new path of every source file (pages and attachments); pages with their old URL.
pub(super) fn place(source: &Source) -> (BTreeMap<String, Placed>, BTreeMap<String, String>) {
    let format = source.format;
    let pages: Vec<&String> = source.files.iter().filter(|f| is_page(f, format)).collect();
    let page_dirs: BTreeSet<String> = pages.iter().flat_map(|p| ancestors(p)).collect();
    let mut placed = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for page in &pages {
        let new = unique(new_page_path(page, format, &page_dirs), &mut taken);
        let old_url = old_url(page, source);
        placed.insert((*page).clone(), Placed { new, old_url });
    }
    let mut files = BTreeMap::new();
    for file in source.files.iter().filter(|f| !is_page(f, format)) {
        let (dir, name) = file.rsplit_once('/').unwrap_or(("", file));
        files.insert(file.clone(), join(&new_dir(dir, format), name));
    }
    (placed, files)
}

/// Every folder above `path` (`a/b/c.md` → `a`, `a/b`).
fn ancestors(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut dir = path;
    while let Some((parent, _)) = dir.rsplit_once('/') {
        out.push(parent.to_string());
        dir = parent;
    }
    out
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn new_dir(dir: &str, format: Format) -> String {
    dir.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| new_segment(s, format))
        .collect::<Vec<_>>()
        .join("/")
}

/// The new path of the page `rel`: a folder's own page becomes its `_index.md`, except a
/// folder holding no other page (a Hugo or Zola page bundle, a Grav page without children),
/// which becomes a page named after the folder; attachments stay in the folder.
fn new_page_path(rel: &str, format: Format, page_dirs: &BTreeSet<String>) -> String {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    if is_folder_page(rel, format) {
        let has_children = page_dirs.iter().any(|d| d.starts_with(&format!("{dir}/")));
        let is_bundle = matches!(format, Format::Hugo | Format::Zola | Format::Grav)
            && stem(name) != "_index"
            && !dir.is_empty()
            && !has_children;
        let new = new_dir(dir, format);
        // Grav's home page (`01.home/`) is the site's home.
        if format == Format::Grav && new == "home" && !has_children {
            return "_index.md".to_string();
        }
        return if is_bundle {
            format!("{new}.md")
        } else {
            join(&new, "_index.md")
        };
    }
    if dir.is_empty() && matches!(stem(name), "index" | "README" | "_index") {
        return "_index.md".to_string();
    }
    join(
        &new_dir(dir, format),
        &format!("{}.md", new_segment(stem(name), format)),
    )
}

/// Two sources that would land on one path (`01-a.md` and `a.md`): the second is numbered.
fn unique(path: String, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = path.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        let stem = path.strip_suffix(".md").unwrap_or(&path);
        candidate = format!("{stem}-{n}.md");
        n += 1;
    }
    candidate
}

/// The URL the page `rel` had on the source's site, by the tool's rules (front matter
/// `slug`, `url`, `path` and Docusaurus `id` come later, in [`old_url_from_front`]).
fn old_url(rel: &str, source: &Source) -> Option<String> {
    let format = source.format;
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let folder_page = is_folder_page(rel, format)
        || (dir.is_empty() && matches!(stem(name), "index" | "README" | "_index"));
    let segments: Vec<String> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| match format {
            Format::Docusaurus | Format::Grav => strip(s, format).to_string(),
            Format::Zola => crate::markdown::slugify(s),
            Format::Hugo => s.to_lowercase(),
            _ => s.to_string(),
        })
        .collect();
    let mut path = segments.join("/");
    if !folder_page {
        let stem = match format {
            Format::Docusaurus => strip(stem(name), format).to_string(),
            Format::Zola => crate::markdown::slugify(stem(name)),
            Format::Hugo => stem(name).to_lowercase(),
            _ => stem(name).to_string(),
        };
        path = join(&path, &stem);
    }
    match format {
        Format::Obsidian => None,
        Format::Mkdocs if source.html_urls => Some(if folder_page {
            format!("/{}", join(&path, "index.html"))
        } else {
            format!("/{path}.html")
        }),
        Format::Docusaurus => Some(format!("/{}", join("docs", &path))),
        Format::Grav => Some(format!("/{path}")),
        _ if path.is_empty() => Some("/".to_string()),
        _ => Some(format!("/{path}/")),
    }
}

/// The old URL a page's front matter sets: Hugo `url` and `slug`, Zola `path` and `slug`,
/// Docusaurus `slug` and `id`, Grav `slug`; `rule_url` is the one the tool's rules give.
pub(super) fn old_url_from_front(
    front: &serde_yaml::Mapping,
    rule_url: &str,
    format: Format,
) -> String {
    let get = |k: &str| {
        front
            .get(k)
            .and_then(serde_yaml::Value::as_str)
            .map(str::trim)
    };
    let parent = |url: &str| -> String {
        let trimmed = url.trim_end_matches('/');
        match trimmed.rsplit_once('/') {
            Some((p, _)) => p.to_string(),
            None => String::new(),
        }
    };
    let trailing = if rule_url.ends_with('/') { "/" } else { "" };
    match format {
        Format::Hugo => {
            if let Some(url) = get("url") {
                return absolute(url);
            }
            if let Some(slug) = get("slug") {
                return format!("{}/{slug}{trailing}", parent(rule_url));
            }
        }
        Format::Zola => {
            if let Some(path) = get("path") {
                return absolute(path);
            }
            if let Some(slug) = get("slug") {
                return format!("{}/{slug}{trailing}", parent(rule_url));
            }
        }
        Format::Docusaurus => {
            if let Some(slug) = get("slug") {
                return if slug.starts_with('/') {
                    format!("/docs{}", slug.trim_end_matches('/'))
                } else {
                    format!("{}/{slug}", parent(rule_url))
                };
            }
            if let Some(id) = get("id") {
                return format!("{}/{id}", parent(rule_url));
            }
        }
        Format::Grav => {
            if let Some(slug) = get("slug") {
                return format!("{}/{slug}", parent(rule_url));
            }
        }
        Format::Mkdocs | Format::Obsidian => {}
    }
    rule_url.to_string()
}

fn absolute(url: &str) -> String {
    if url.starts_with('/') {
        url.to_string()
    } else {
        format!("/{url}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn source(format: Format, files: &[&str]) -> Source {
        Source {
            format,
            root: PathBuf::new(),
            files: files.iter().map(|f| f.to_string()).collect(),
            statics: None,
            static_files: Vec::new(),
            title: None,
            language: None,
            page_order: BTreeMap::new(),
            folders: BTreeMap::new(),
            html_urls: false,
        }
    }

    fn news(format: Format, files: &[&str]) -> Vec<(String, String, Option<String>)> {
        let (placed, _) = place(&source(format, files));
        placed
            .into_iter()
            .map(|(k, v)| (k, v.new, v.old_url))
            .collect()
    }

    #[test]
    fn docusaurus_prefixes_and_category_pages() {
        assert_eq!(
            news(
                Format::Docusaurus,
                &[
                    "01-intro.md",
                    "02-guide/index.md",
                    "02-guide/03-Install Wi-Fi.mdx"
                ]
            ),
            [
                (
                    "01-intro.md".into(),
                    "intro.md".into(),
                    Some("/docs/intro".into())
                ),
                (
                    "02-guide/03-Install Wi-Fi.mdx".into(),
                    "guide/install-wi-fi.md".into(),
                    Some("/docs/guide/Install Wi-Fi".into())
                ),
                (
                    "02-guide/index.md".into(),
                    "guide/_index.md".into(),
                    Some("/docs/guide".into())
                ),
            ]
        );
    }

    #[test]
    fn grav_folders_become_pages_or_sections() {
        assert_eq!(
            news(
                Format::Grav,
                &[
                    "01.home/default.md",
                    "02.backup/chapter.md",
                    "02.backup/01.borgbackup/docs.md",
                    "02.backup/01.borgbackup/a.png"
                ]
            ),
            [
                (
                    "01.home/default.md".into(),
                    "_index.md".into(),
                    Some("/home".into())
                ),
                (
                    "02.backup/01.borgbackup/docs.md".into(),
                    "backup/borgbackup.md".into(),
                    Some("/backup/borgbackup".into())
                ),
                (
                    "02.backup/chapter.md".into(),
                    "backup/_index.md".into(),
                    Some("/backup".into())
                ),
            ]
        );
        let (_, files) = place(&source(Format::Grav, &["02.backup/01.borgbackup/a.png"]));
        assert_eq!(
            files["02.backup/01.borgbackup/a.png"],
            "backup/borgbackup/a.png"
        );
    }

    #[test]
    fn hugo_bundles_and_front_matter_urls() {
        assert_eq!(
            news(
                Format::Hugo,
                &[
                    "_index.md",
                    "posts/_index.md",
                    "posts/Wifi/index.md",
                    "posts/vpn.md"
                ]
            ),
            [
                ("_index.md".into(), "_index.md".into(), Some("/".into())),
                (
                    "posts/Wifi/index.md".into(),
                    "posts/Wifi.md".into(),
                    Some("/posts/wifi/".into())
                ),
                (
                    "posts/_index.md".into(),
                    "posts/_index.md".into(),
                    Some("/posts/".into())
                ),
                (
                    "posts/vpn.md".into(),
                    "posts/vpn.md".into(),
                    Some("/posts/vpn/".into())
                ),
            ]
        );
        let front: serde_yaml::Mapping = serde_yaml::from_str("slug: reseau-prive\n").unwrap();
        assert_eq!(
            old_url_from_front(&front, "/posts/vpn/", Format::Hugo),
            "/posts/reseau-prive/"
        );
        let front: serde_yaml::Mapping = serde_yaml::from_str("slug: /acces\n").unwrap();
        assert_eq!(
            old_url_from_front(&front, "/docs/guide/a", Format::Docusaurus),
            "/docs/acces"
        );
    }
}
