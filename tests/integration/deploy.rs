//! Deployment: a site built with a sub-path `base_url` works when served under that prefix,
//! a site without base_url works from any folder and from file://, and the theme built into
//! the binary gives the same site as the repository's themes/guichet.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::common::{TempSite, attr_values, broken_links, snapshot};
use guichet::build::{BuildOptions, build};
use guichet::init::{InitOptions, SiteKind, init};
use guichet::language::Language;

const BASE_URL: &str = "https://name.github.io/portfolio/";
const PREFIX: &str = "/portfolio/";

/// A small site with nested sections, an image, a masked include, dated pages (for the feed)
/// and links between levels.
fn site_files(config: &str) -> Vec<(&str, String)> {
    vec![
        ("guichet.yaml", config.to_string()),
        (
            "content/_index.md",
            "---\ntitle: Accueil\n---\nVoir [l'installation](portfolio/installation.md#prerequis) et [les tickets](kb/tickets/_index.md).\n".into(),
        ),
        (
            "content/portfolio/_index.md",
            "---\ntitle: Portfolio\nweight: 1\n---\nLes documents.\n".into(),
        ),
        (
            "content/portfolio/installation.md",
            "---\ntitle: Installation\ndate: 2026-03-02\n---\n## Prérequis\n\n![schéma](schema.png)\n\nRetour à [l'accueil](../_index.md).\n\n```include config.ini mask=password\n```\n".into(),
        ),
        ("content/portfolio/schema.png", "PNG".into()),
        ("content/portfolio/config.ini", "password=secret\n".into()),
        (
            "content/kb/_index.md",
            "---\ntitle: Base\nweight: 2\n---\nLa base.\n".into(),
        ),
        (
            "content/kb/tickets/_index.md",
            "---\ntitle: Fiches\n---\nLes fiches.\n".into(),
        ),
        (
            "content/kb/tickets/wifi.md",
            "---\ntitle: Wi-Fi\ndate: 2026-03-04\n---\nVoir [le schéma](../../portfolio/schema.png) et [l'installation](../../portfolio/installation.md).\n".into(),
        ),
    ]
}

fn make_site(config: &str) -> TempSite {
    let files = site_files(config);
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    TempSite::new(&borrowed)
}

/// The URL path a web server answers with `file` of the output, under `prefix`:
/// `a/b/index.html` → `/portfolio/a/b/`.
fn served_url(file: &str, prefix: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) => format!("{prefix}{dir}"),
        None => format!("{prefix}{file}"),
    }
}

/// Resolves `link` found in the page served at `page_url` (a URL path) the way a browser
/// does (RFC 3986 §5.2): returns the URL path it points to, or None for another site.
fn resolve_url(page_url: &str, link: &str) -> Option<String> {
    let link = link.split(['#', '?']).next().unwrap_or("");
    let origin = BASE_URL.trim_end_matches(PREFIX).to_string();
    let path = if let Some(rest) = link.strip_prefix(&origin) {
        rest.to_string()
    } else if link.contains("://") || link.starts_with("//") || link.contains(':') {
        return None;
    } else if link.starts_with('/') {
        link.to_string()
    } else if link.is_empty() {
        page_url.to_string()
    } else {
        let dir = &page_url[..=page_url.rfind('/').unwrap_or(0)];
        format!("{dir}{link}")
    };
    Some(remove_dot_segments(&path))
}

fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// The output file a server maps the URL path to, if it lies under `prefix` and exists.
fn file_for(url: &str, prefix: &str, files: &BTreeMap<String, Vec<u8>>) -> Option<String> {
    let rel = url.strip_prefix(prefix).or_else(|| {
        // `/portfolio` without the slash: servers redirect it to `/portfolio/`.
        (format!("{url}/") == prefix).then_some("")
    })?;
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    files.contains_key(&file).then_some(file)
}

/// Every internal href/src/action of every HTML file (and its `guichet-root`), resolved against the URL the page is served
/// at under `prefix`, that does not map to a file of the output. The 404 page is checked as
/// served for a missing URL three levels deep.
fn broken_under_prefix(out: &Path, prefix: &str) -> Vec<String> {
    let files = snapshot(out);
    let mut broken = Vec::new();
    for (file, bytes) in &files {
        if !file.ends_with(".html") {
            continue;
        }
        let page_url = if file == "404.html" {
            format!("{prefix}pas/de/page")
        } else {
            served_url(file, prefix)
        };
        let html = String::from_utf8_lossy(bytes);
        let links = attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
            .chain(attr_values(&html, "action"))
            .chain(meta_root(&html));
        for link in links {
            // A fragment alone points into the page itself, wherever it is served.
            if link.starts_with('#') || link.starts_with("mailto:") || link.starts_with("data:") {
                continue;
            }
            match resolve_url(&page_url, &link) {
                Some(url) if file_for(&url, prefix, &files).is_none() => {
                    broken.push(format!("{file} ({page_url}) -> {link} = {url}"))
                }
                _ => {}
            }
        }
    }
    broken
}

/// The `guichet-root` meta of a page: the site root the page's scripts resolve files from.
fn meta_root(html: &str) -> Option<String> {
    let at = html.find("<meta name=\"guichet-root\" content=\"")?;
    let rest = &html[at + "<meta name=\"guichet-root\" content=\"".len()..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The text between each `<tag>` and `</tag>`.
fn elements(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    xml.split(&open)
        .skip(1)
        .filter_map(|s| s.split_once(&close).map(|(v, _)| v.to_string()))
        .collect()
}

#[test]
fn sub_path_site_resolves_every_link_when_served_under_the_prefix() {
    let site = make_site(&format!("title: Portfolio\nbase_url: {BASE_URL}\n"));
    build(&BuildOptions::new(&site.root)).unwrap();
    let files = snapshot(&site.out());
    assert_eq!(
        broken_under_prefix(&site.out(), PREFIX),
        Vec::<String>::new()
    );
    // The crawler does see the links it checks: a page two levels down reaches the
    // stylesheet, the image and the pages above it.
    let wifi = String::from_utf8_lossy(&files["kb/tickets/wifi/index.html"]).into_owned();
    let page_url = served_url("kb/tickets/wifi/index.html", PREFIX);
    assert_eq!(page_url, "/portfolio/kb/tickets/wifi/");
    let resolved: Vec<String> = attr_values(&wifi, "href")
        .into_iter()
        .chain(attr_values(&wifi, "src"))
        .filter_map(|l| resolve_url(&page_url, &l))
        .collect();
    for expected in [
        "/portfolio/static/style.css",
        "/portfolio/portfolio/schema.png",
        "/portfolio/portfolio/installation/",
        "/portfolio/",
        "/portfolio/atom.xml",
    ] {
        assert!(
            resolved.iter().any(|u| u == expected),
            "{expected} in {resolved:?}"
        );
    }
}

#[test]
fn starter_portfolio_with_diagrams_and_kpis_resolves_under_the_prefix() {
    let site = TempSite::new(&[]);
    init(&InitOptions {
        translations: Vec::new(),
        dir: site.root.clone(),
        language: Language::Fr,
        kind: SiteKind::Portfolio,
        force: false,
    })
    .unwrap();
    let config = fs::read_to_string(site.root.join("guichet.yaml")).unwrap();
    let config = config.replace("base_url: \"\"", &format!("base_url: {BASE_URL}"));
    assert!(config.contains(BASE_URL));
    fs::write(site.root.join("guichet.yaml"), config).unwrap();
    let report = build(&BuildOptions::new(&site.root)).unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let files = snapshot(&site.out());
    for generated in [
        "logigrammes/incident.svg",
        "logigrammes/incident/index.html",
        "tickets/1-ticket-de-test/index.html",
    ] {
        assert!(files.contains_key(generated), "{generated}");
    }
    assert_eq!(
        broken_under_prefix(&site.out(), PREFIX),
        Vec::<String>::new()
    );
    // The search script fetches its index from the page's guichet-root: from a ticket page
    // and from the 404 page of a missing URL, that is the index under /portfolio/.
    for (file, page_url) in [
        (
            "tickets/1-ticket-de-test/index.html",
            "/portfolio/tickets/1-ticket-de-test/".to_string(),
        ),
        ("404.html", "/portfolio/pas/de/page".to_string()),
    ] {
        let html = String::from_utf8_lossy(&files[file]).into_owned();
        let root = meta_root(&html).unwrap();
        let meta = resolve_url(&page_url, &format!("{root}search/fr/meta.json")).unwrap();
        assert_eq!(meta, "/portfolio/search/fr/meta.json", "{file}");
        assert!(file_for(&meta, PREFIX, &files).is_some(), "{file}");
    }
}

#[test]
fn sub_path_feed_sitemap_and_canonical_urls_are_under_the_base_url() {
    let site = make_site(&format!("title: Portfolio\nbase_url: {BASE_URL}\n"));
    build(&BuildOptions::new(&site.root)).unwrap();
    let files = snapshot(&site.out());
    let sitemap = String::from_utf8_lossy(&files["sitemap.xml"]).into_owned();
    let locs = elements(&sitemap, "loc");
    assert_eq!(
        locs,
        [
            "https://name.github.io/portfolio/",
            "https://name.github.io/portfolio/kb/",
            "https://name.github.io/portfolio/kb/tickets/",
            "https://name.github.io/portfolio/kb/tickets/wifi/",
            "https://name.github.io/portfolio/portfolio/",
            "https://name.github.io/portfolio/portfolio/installation/",
        ]
    );
    let atom = String::from_utf8_lossy(&files["atom.xml"]).into_owned();
    let hrefs = attr_values(&atom, "href");
    assert_eq!(
        hrefs,
        [
            "https://name.github.io/portfolio/",
            "https://name.github.io/portfolio/atom.xml",
            "https://name.github.io/portfolio/kb/tickets/wifi/",
            "https://name.github.io/portfolio/portfolio/installation/",
        ]
    );
    let canonical = String::from_utf8_lossy(&files["kb/index.html"]).into_owned();
    assert!(
        canonical
            .contains("<link rel=\"canonical\" href=\"https://name.github.io/portfolio/kb/\">")
    );
    for url in locs.iter().chain(&hrefs) {
        let path = resolve_url("/", url).unwrap();
        assert!(file_for(&path, PREFIX, &files).is_some(), "{url}");
    }
    let robots = String::from_utf8_lossy(&files["robots.txt"]).into_owned();
    assert!(robots.contains("Sitemap: https://name.github.io/portfolio/sitemap.xml\n"));
}

#[test]
fn not_found_page_links_are_absolute_under_the_base_path() {
    let site = make_site(&format!("title: Portfolio\nbase_url: {BASE_URL}\n"));
    build(&BuildOptions::new(&site.root)).unwrap();
    let page = fs::read_to_string(site.out().join("404.html")).unwrap();
    let links: Vec<String> = attr_values(&page, "href")
        .into_iter()
        .chain(attr_values(&page, "src"))
        .filter(|l| !l.starts_with('#'))
        .collect();
    assert!(!links.is_empty());
    for link in &links {
        assert!(link.starts_with(PREFIX), "{link} in 404.html");
    }
    assert!(links.iter().any(|l| l == "/portfolio/kb/"), "{links:?}");
}

#[test]
fn site_without_base_url_works_from_any_folder_and_file_urls() {
    let site = make_site("title: Portfolio\n");
    build(&BuildOptions::new(&site.root)).unwrap();
    // Moved elsewhere (a USB stick, a sub-folder of a web server): every link still resolves.
    let moved = TempSite::new(&[]);
    let target = moved.root.join("copie/du/site");
    for (file, bytes) in snapshot(&site.out()) {
        let path = target.join(&file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    assert_eq!(broken_links(&target), Vec::<String>::new());
    // Served under any prefix, the pages resolve too (the 404 page excepted: without
    // base_url it can only assume the site is at the root of its host).
    for prefix in ["/", "/un/dossier/"] {
        let broken: Vec<String> = broken_under_prefix(&target, prefix)
            .into_iter()
            .filter(|b| !b.starts_with("404.html"))
            .collect();
        assert_eq!(broken, Vec::<String>::new(), "{prefix}");
    }
    // file:// has no index files: every link to a page names its index.html, and no link
    // is site-rooted.
    for (file, bytes) in snapshot(&target) {
        if !file.ends_with(".html") || file == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for link in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
            .chain(attr_values(&html, "action"))
        {
            let path = link.split('#').next().unwrap_or("");
            if path.is_empty() || path.contains(':') {
                continue;
            }
            assert!(!path.starts_with('/'), "{file}: {link}");
            assert!(
                !path.ends_with('/'),
                "{file}: {link} needs index.html for file://"
            );
        }
    }
    // The feed and the sitemap sit at the root: their links are relative to it.
    let files = snapshot(&target);
    let atom = String::from_utf8_lossy(&files["atom.xml"]).into_owned();
    for href in attr_values(&atom, "href") {
        assert!(files.contains_key(&href), "atom.xml -> {href}");
    }
    let sitemap = String::from_utf8_lossy(&files["sitemap.xml"]).into_owned();
    for loc in elements(&sitemap, "loc") {
        assert!(files.contains_key(&loc), "sitemap.xml -> {loc}");
    }
}

#[test]
fn built_in_theme_gives_the_same_site_as_the_repository_theme() {
    let config = "title: Portfolio\nbase_url: https://exemple.fr/kb/\n";
    let without = make_site(config);
    let with = make_site(config);
    let repo_theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/guichet");
    let copied = snapshot(&repo_theme);
    assert!(copied.contains_key("templates/base.html"));
    assert!(copied.contains_key("static/style.css"));
    for (file, bytes) in &copied {
        let path = with.root.join("themes/guichet").join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    assert!(!without.root.join("themes").exists());
    build(&BuildOptions::new(&without.root)).unwrap();
    build(&BuildOptions::new(&with.root)).unwrap();
    let a = snapshot(&without.out());
    let b = snapshot(&with.out());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (file, bytes) in &a {
        assert!(bytes == &b[file], "{file} differs");
    }
    // The translation/ styles are written for translated sites only.
    for name in copied
        .keys()
        .filter_map(|f| f.strip_prefix("static/"))
        .filter(|n| !n.starts_with("translation/"))
    {
        assert!(a.contains_key(&format!("static/{name}")), "static/{name}");
    }
}

#[test]
fn url_resolution_follows_rfc_3986() {
    assert_eq!(
        resolve_url("/portfolio/a/b/", "../../static/x.css").as_deref(),
        Some("/portfolio/static/x.css")
    );
    assert_eq!(
        resolve_url("/portfolio/a/b/", "./").as_deref(),
        Some("/portfolio/a/b/")
    );
    assert_eq!(resolve_url("/portfolio/", "../../..").as_deref(), Some("/"));
    assert_eq!(
        resolve_url("/portfolio/x/y", "z").as_deref(),
        Some("/portfolio/x/z")
    );
    assert_eq!(
        resolve_url("/", "https://name.github.io/portfolio/a/").as_deref(),
        Some("/portfolio/a/")
    );
    assert_eq!(resolve_url("/", "https://exemple.fr/"), None);
}
