//! The search box in headless Chromium: a small site (pages following the theme contract, the
//! index from `build_index`, the theme's search.js and search.css) served over a local HTTP
//! server on 127.0.0.1, and opened from file://. A driver script plays each scenario with real
//! DOM events and prints what it saw; `chromium --dump-dom` returns it.
//!
//! Without chromium the tests say they skip, unless GUICHET_REQUIRE_BROWSER=1 (CI), which makes
//! them fail.

use std::path::{Path, PathBuf};

use crate::common::browser::{View, driver_result, dump_dom, serve};
use crate::common::{chromium, repo};

/// The window the scenarios play in.
const DESKTOP: View = View {
    width: 1280,
    dark: false,
};
use crate::search_support::{corpus, fresh_dir, write_index};
use guichet::search::SearchDoc;

/// The relative path from a page URL to the site root: "" -> "./", "a/b/" -> "../../".
fn prefix(url: &str) -> String {
    let depth = url.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A page following the theme contract the lead's base.html implements.
fn html(url: &str, title: &str, lang: &str, body: &str) -> String {
    let p = prefix(url);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"guichet-root\" content=\"{p}\"><title>{t}</title>\
         <script src=\"{p}static/search.js\" defer></script>\
         <script src=\"{p}static/search-driver.js\" defer></script></head>\
         <body><header><a href=\"{p}\">Guichet</a>\
         <form class=\"search\" role=\"search\" action=\"{p}search/\">\
         <input type=\"search\" id=\"search-input\" name=\"q\" aria-label=\"Rechercher\"></form></header>\
         <main><h1>{t}</h1>{body}</main></body></html>\n",
        t = escape(title)
    )
}

fn write_site(site: &Path, docs: &[SearchDoc]) {
    write_index(site, docs);
    let theme = repo("themes/guichet/static");
    std::fs::create_dir_all(site.join("static")).unwrap();
    for file in ["search.js", "search.css"] {
        std::fs::copy(theme.join(file), site.join("static").join(file)).unwrap();
    }
    let driver = repo("tests/fixtures/search-driver.js");
    std::fs::copy(driver, site.join("static/search-driver.js")).unwrap();
    std::fs::write(
        site.join("index.html"),
        html("", "Accueil", "fr", "<p>Bienvenue.</p>"),
    )
    .unwrap();
    // The search page as guichet writes it: a slot for the results in the page.
    std::fs::create_dir_all(site.join("search")).unwrap();
    std::fs::write(
        site.join("search/index.html"),
        html(
            "search/",
            "Recherche",
            "fr",
            "<div class=\"search-page-results\" data-search-results></div>",
        ),
    )
    .unwrap();
    for doc in docs {
        let body: String = doc
            .blocks
            .iter()
            .map(|b| {
                let heading = if b.anchor.is_empty() {
                    String::new()
                } else {
                    format!(
                        "<h2 id=\"{}\">{}</h2>",
                        escape(&b.anchor),
                        escape(&b.heading)
                    )
                };
                format!("{heading}<p>{}</p>", escape(&b.text))
            })
            .collect();
        let dir = site.join(&doc.url);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("index.html"),
            html(&doc.url, &doc.title, &doc.language, &body),
        )
        .unwrap();
    }
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or("null").to_string())
        .collect()
}

struct Site {
    dir: PathBuf,
    base: String,
    browser: PathBuf,
}

impl Site {
    /// What the driver saw playing `scenario` on `page` (a URL relative to the site's root),
    /// served over HTTP.
    fn play(&self, page: &str, scenario: &str) -> serde_json::Value {
        let url = format!("{}{page}#scenario={scenario}", self.base);
        driver_result(&dump_dom(&self.browser, &url, DESKTOP))
    }

    /// The same with the page opened from its file, over file://.
    fn play_file(&self, file: &str, scenario: &str) -> serde_json::Value {
        let url = format!("file://{}/{file}#scenario={scenario}", self.dir.display());
        driver_result(&dump_dom(&self.browser, &url, DESKTOP))
    }
}

fn site(name: &str) -> Option<Site> {
    let browser = chromium()?;
    let dir = fresh_dir(name);
    write_site(&dir, &corpus());
    let base = serve(dir.clone());
    Some(Site { dir, base, browser })
}

#[test]
fn typing_a_query_gives_the_right_first_result_with_highlights() {
    let Some(site) = site("browser-typing") else {
        return;
    };
    let result = site.play("", "typing");
    assert_eq!(
        result["slashFocused"], true,
        "the / shortcut focuses the box"
    );
    assert_eq!(
        strings(&result["hits"])[0],
        "./kb/imprimante-hors-ligne/#redemarrer-le-spouleur"
    );
    assert_eq!(
        strings(&result["titles"])[0],
        "Imprimante hors ligne › Redémarrer le spouleur d'impression"
    );
    let marks = strings(&result["marks"]);
    assert!(marks.contains(&"Redémarrer".to_string()), "{marks:?}");
    assert!(
        marks.contains(&"spouleur".to_string()) || marks.contains(&"Spouleur".to_string()),
        "{marks:?}"
    );
    assert_eq!(
        result["notice"],
        serde_json::Value::Null,
        "served over http: full mode"
    );
    assert_eq!(result["status"], "1 résultat");
}

#[test]
fn the_search_page_shows_the_results_of_its_query_in_the_page() {
    let Some(site) = site("browser-page") else {
        return;
    };
    let result = site.play("search/?q=imprimante", "page");
    assert_eq!(result["inSlot"], true, "the results are in the page's slot");
    assert_eq!(
        result["openAfterClick"], true,
        "a click elsewhere leaves them shown"
    );
    let mut before = strings(&result["before"]);
    before.sort();
    assert_eq!(
        before,
        [
            "../kb/ajout-pilote-imprimantes/",
            "../kb/imprimante-hors-ligne/"
        ]
    );
    // Escape empties the box; the page then shows the empty state, still in place.
    assert_eq!(result["inputAfterEscape"], "");
    assert_eq!(result["panelOpen"], true);
    assert!(result["hits"].as_array().unwrap().is_empty());
}

#[test]
fn a_facet_filter_narrows_the_results() {
    let Some(site) = site("browser-facet") else {
        return;
    };
    let result = site.play("", "facet");
    assert_eq!(strings(&result["before"]).len(), 2);
    assert_eq!(
        strings(&result["hits"]),
        vec!["./kb/ajout-pilote-imprimantes/"]
    );
    let facets = strings(&result["facets"]);
    assert_eq!(facets, vec!["type", "audience", "category", "tags"]);
}

#[test]
fn arrow_keys_move_through_results_and_enter_opens_one() {
    let Some(site) = site("browser-keyboard") else {
        return;
    };
    let result = site.play("", "keyboard");
    assert_eq!(strings(&result["afterTwoDowns"]), vec!["false", "true"]);
    assert_eq!(strings(&result["selected"]), vec!["true", "false"]);
    assert_eq!(result["activedescendant"], "search-hit-0");
    let result = site.play("", "enter");
    assert_eq!(strings(&result["selected"]), vec!["false", "true"]);
    assert_eq!(
        result["destination"],
        format!("{}kb/imprimante-hors-ligne/", site.base)
    );
}

#[test]
fn nothing_found_says_so_and_suggests_words() {
    let Some(site) = site("browser-empty") else {
        return;
    };
    let result = site.play("", "empty");
    assert!(
        result["status"]
            .as_str()
            .unwrap()
            .starts_with("Aucun résultat pour « zzzzqqq ».")
    );
    assert_eq!(
        strings(&result["suggestions"]),
        vec!["imprimante", "active directory", "windows"]
    );
    assert!(result["hits"].as_array().unwrap().is_empty());
}

#[test]
fn opened_from_file_the_search_works_in_reduced_mode() {
    let Some(site) = site("browser-file") else {
        return;
    };
    let result = site.play_file("kb/wifi-invite/index.html", "typing");
    assert_eq!(
        result["notice"],
        "Recherche réduite (hors ligne) : titres, intertitres et mots-clés seulement."
    );
    assert_eq!(
        strings(&result["hits"])[0],
        "../../kb/imprimante-hors-ligne/index.html#redemarrer-le-spouleur",
        "from file:// a result names the page file, not its folder"
    );
    assert_eq!(result["slashFocused"], true);
}

/// The repository's demo site, built by guichet itself, with the test driver added to its
/// home page; served like the other sites.
fn demo_site(name: &str) -> Option<Site> {
    let browser = chromium()?;
    let dir = fresh_dir(name);
    let mut options = guichet::build::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.out = Some(dir.clone());
    guichet::build::build(&options)
        .map_err(|d| d.to_string())
        .unwrap();
    let driver = repo("tests/fixtures/search-driver.js");
    std::fs::copy(driver, dir.join("static/search-driver.js")).unwrap();
    let home = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let home = home.replacen(
        "</head>",
        "<script src=\"./static/search-driver.js\" defer></script>\n</head>",
        1,
    );
    std::fs::write(dir.join("index.html"), home).unwrap();
    let base = serve(dir.clone());
    Some(Site { dir, base, browser })
}

#[test]
fn on_the_demo_site_a_filename_finds_its_section() {
    let Some(site) = demo_site("browser-demo") else {
        return;
    };
    let result = site.play("index.html", "config");
    assert_eq!(
        strings(&result["hits"])[0],
        "./portfolio/configuration/#le-fichier-config-config-db-php"
    );
    assert_eq!(
        strings(&result["titles"])[0],
        "Fichier de configuration et paramétrage › Le fichier config/config_db.php"
    );
    assert_eq!(
        result["notice"],
        serde_json::Value::Null,
        "served over http: full mode"
    );
    // The same build opened from file:// answers from the fallback, with page files.
    let offline = site.play_file("index.html", "config");
    assert_eq!(
        offline["notice"],
        "Recherche réduite (hors ligne) : titres, intertitres et mots-clés seulement."
    );
    assert_eq!(
        strings(&offline["hits"])[0],
        "./portfolio/configuration/index.html#le-fichier-config-config-db-php"
    );
    let _ = std::fs::remove_dir_all(&site.dir);
}
