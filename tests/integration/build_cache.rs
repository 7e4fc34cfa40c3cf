//! The build cache (`.site.cache` beside `site/`): a rebuild that takes unchanged pages from
//! it writes exactly the files a build without it writes, after any kind of edit, and a cache
//! that cannot be trusted is ignored.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use crate::common::{TempSite, snapshot};
use guichet::build::{BuildOptions, BuildReport, build};

/// Pages of the generated corpus.
const PAGES: usize = 40;

/// One section of [`PAGES`] pages with headings, code, a table, links between neighbours
/// (to an anchor of the next page), so that every part of a page's
/// rendering and its warnings go through the cache.
fn corpus() -> TempSite {
    let mut files: Vec<(String, String)> = vec![
        ("guichet.yaml".into(), "title: Base\nlanguage: fr\n".into()),
        (
            "content/_index.md".into(),
            "---\ntitle: Accueil\n---\nBienvenue.\n".into(),
        ),
        (
            "content/s/_index.md".into(),
            "---\ntitle: Procédures\n---\nToutes les procédures.\n".into(),
        ),
    ];
    for k in 1..=PAGES {
        files.push((format!("content/s/p{k:02}.md"), page_text(k, "")));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    TempSite::new(&borrowed)
}

/// Page `k` of the corpus, with `extra` appended to its body.
fn page_text(k: usize, extra: &str) -> String {
    page_text_among(k, PAGES, extra)
}

/// Page `k` of a corpus of `pages` pages, with `extra` appended to its body.
fn page_text_among(k: usize, pages: usize, extra: &str) -> String {
    let next = k % pages + 1;
    format!(
        "---\ntitle: Procédure {k:02}\nweight: {k}\ntags: [t{}]\n---\nIntroduction de la procédure {k}.\n\n## Préparer\n\nOuvrir le portail et suivre [l'étape suivante](p{next:02}.md#verifier).\n\n```sh\nping serveur-{k}\n```\n\n## Vérifier\n\n| Champ | Valeur |\n|---|---|\n| n° | {k} |\n{extra}",
        k % 3
    )
}

fn options(site: &TempSite) -> BuildOptions {
    BuildOptions::new(&site.root)
}

fn cache_file(site: &TempSite) -> PathBuf {
    site.root.join(".site.cache")
}

fn search_cache_file(site: &TempSite) -> PathBuf {
    site.root.join(".site.search-cache")
}

/// The warnings of a build, as their headlines (`path:line:col: warning: …`).
fn headlines(report: &BuildReport) -> Vec<String> {
    report.warnings.iter().map(|d| d.headline()).collect()
}

/// Builds the site with its caches, then without them (deleted, so the build renders and
/// analyses every page), and checks that both wrote the same files byte for byte, `.guichet-files`
/// included, and the same warnings. Returns the report of the build with the cache and the
/// files.
fn warm_then_cold(site: &TempSite) -> (BuildReport, BTreeMap<String, Vec<u8>>) {
    let warm = build(&options(site)).unwrap();
    let warm_files = snapshot(&site.out());
    let _ = fs::remove_file(cache_file(site));
    fs::remove_file(search_cache_file(site)).unwrap();
    let cold = build(&options(site)).unwrap();
    assert_eq!(cold.cached_pages, 0);
    let cold_files = snapshot(&site.out());
    assert_same_files(&warm_files, &cold_files);
    assert_eq!(headlines(&warm), headlines(&cold));
    (warm, warm_files)
}

/// The two outputs hold the same paths with the same bytes; on failure, names the files
/// that differ rather than printing them.
fn assert_same_files(warm: &BTreeMap<String, Vec<u8>>, cold: &BTreeMap<String, Vec<u8>>) {
    let differing: Vec<&String> = warm
        .keys()
        .chain(cold.keys())
        .filter(|path| warm.get(*path) != cold.get(*path))
        .collect();
    assert!(
        differing.is_empty(),
        "files differing between the warm and the cold build: {differing:?}"
    );
}

/// The paths whose bytes differ between two outputs.
fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut paths: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .cloned()
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// The corpus, built once (which writes its cache), and the files of that build.
fn built_corpus() -> (TempSite, BTreeMap<String, Vec<u8>>) {
    let site = corpus();
    let first = build(&options(&site)).unwrap();
    assert_eq!(first.cached_pages, 0);
    assert!(cache_file(&site).is_file());
    let files = snapshot(&site.out());
    (site, files)
}

/// Every page of content/ (the corpus's pages, the home page and the section's index).
const ALL_PAGES: usize = PAGES + 2;

#[test]
fn a_rebuild_of_an_unchanged_corpus_takes_every_page_from_the_cache_and_writes_the_same_files() {
    let (site, first) = built_corpus();
    let (warm, files) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, ALL_PAGES);
    assert_same_files(&files, &first);
}

#[test]
fn after_a_body_edit_only_that_page_and_the_search_index_change() {
    let (site, first) = built_corpus();
    site.write(
        "content/s/p05.md",
        &page_text(5, "\nUn paragraphe ajouté.\n"),
    );
    let (warm, files) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, ALL_PAGES - 1);
    let changed = changed(&first, &files);
    let outside_search: Vec<&String> = changed
        .iter()
        .filter(|path| !path.starts_with("search/"))
        .collect();
    assert_eq!(outside_search, [".guichet-files", "s/p05/index.html"]);
    assert!(changed.iter().any(|p| p.starts_with("search/fr/")));
    let page = String::from_utf8(files["s/p05/index.html"].clone()).unwrap();
    assert!(page.contains("<p>Un paragraphe ajouté.</p>"));
}

#[test]
fn a_heading_renamed_in_a_linked_page_breaks_the_anchor_link_of_a_cached_page() {
    let (site, _) = built_corpus();
    // p04 links to p05#verifier; p05's heading becomes "Contrôler". p04 is taken from the
    // cache, and its link is checked against p05's new headings all the same.
    site.write(
        "content/s/p05.md",
        &page_text(5, "").replace("## Vérifier", "## Contrôler"),
    );
    let expected =
        ["content/s/p04.md:10:29: error: link to a missing anchor `#verifier` in s/p05.md"];
    let warm = build(&options(&site)).unwrap_err();
    let headlines: Vec<String> = warm.0.iter().map(|d| d.headline()).collect();
    assert_eq!(headlines, expected);
    let cache = fs::read(cache_file(&site)).unwrap();
    fs::remove_file(cache_file(&site)).unwrap();
    let cold = build(&options(&site)).unwrap_err();
    assert_eq!(warm.0, cold.0);
    fs::write(cache_file(&site), cache).unwrap();
    // Fixed by linking to the new heading: p04 is rendered again, the others come from the
    // cache of the first build (the failed ones wrote none).
    site.write(
        "content/s/p04.md",
        &page_text(4, "").replace("p05.md#verifier", "p05.md#controler"),
    );
    let (warm, _) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, ALL_PAGES - 2);
}

#[test]
fn a_title_edit_renders_every_page_again() {
    let (site, _) = built_corpus();
    site.write(
        "content/s/p12.md",
        &page_text(12, "").replace("title: Procédure 12", "title: Procédure douze"),
    );
    let (warm, files) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, 0);
    // The neighbours' previous/next links show the new title.
    let next = String::from_utf8(files["s/p13/index.html"].clone()).unwrap();
    assert!(next.contains("Procédure douze"));
}

#[test]
fn a_template_or_settings_edit_renders_every_page_again() {
    let (site, _) = built_corpus();
    let theme_page =
        fs::read_to_string(crate::common::repo("themes/guichet/templates/page.html")).unwrap();
    site.write(
        "templates/page.html",
        &theme_page.replace(
            "<article class=\"content\">",
            "<article class=\"content marque\">",
        ),
    );
    let (warm, files) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, 0);
    let page = String::from_utf8(files["s/p01/index.html"].clone()).unwrap();
    assert!(page.contains("<article class=\"content marque\">"));

    site.write("guichet.yaml", "title: Base renommée\nlanguage: fr\n");
    let (warm, files) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, 0);
    let page = String::from_utf8(files["s/p01/index.html"].clone()).unwrap();
    assert!(page.contains("Base renommée"));
}

#[test]
fn a_deleted_or_added_page_renders_every_page_again() {
    let (site, _) = built_corpus();
    fs::remove_file(site.root.join("content/s/p20.md")).unwrap();
    // p19 linked to p20: it now links to p21.
    site.write(
        "content/s/p19.md",
        &page_text(19, "").replace("p20.md#verifier", "p21.md#verifier"),
    );
    let (warm, files) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, 0);
    assert!(!files.contains_key("s/p20/index.html"));

    site.write("content/s/p20.md", &page_text(20, ""));
    site.write(
        "content/s/nouvelle.md",
        "---\ntitle: Nouvelle\n---\nTexte.\n",
    );
    let (warm, files) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, 0);
    assert!(files.contains_key("s/nouvelle/index.html"));
    let (warm, _) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, ALL_PAGES + 1);
}

#[test]
fn a_page_changed_by_hand_in_the_output_is_rendered_again() {
    let (site, _) = built_corpus();
    build(&options(&site)).unwrap();
    // Without the spare, cached pages are copied from the output, whose hash is checked.
    fs::remove_dir_all(site.root.join(".site.spare")).unwrap();
    fs::write(site.out().join("s/p03/index.html"), "changé à la main").unwrap();
    let (warm, _) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, ALL_PAGES - 1);
}

#[test]
fn a_damaged_cache_is_ignored() {
    let (site, _) = built_corpus();
    let good = fs::read(cache_file(&site)).unwrap();
    let middle = good.len() / 2;
    let mut flipped = good.clone();
    flipped[middle] ^= 0x55;
    let damaged: [Vec<u8>; 4] = [
        good[..middle].to_vec(),
        flipped,
        b"not a cache".to_vec(),
        Vec::new(),
    ];
    for bytes in damaged {
        fs::write(cache_file(&site), &bytes).unwrap();
        let flipped = bytes.len() == good.len();
        let (warm, _) = warm_then_cold(&site);
        // A byte flipped in the middle damages one page's entry, which is rendered again; a
        // cache cut short or not a cache at all is ignored whole.
        let expected = if flipped { ALL_PAGES - 1 } else { 0 };
        assert_eq!(warm.cached_pages, expected, "{} bytes", bytes.len());
        // The cold build rewrote it whole.
        assert_eq!(fs::read(cache_file(&site)).unwrap().len(), good.len());
    }
}

#[test]
fn a_cache_of_another_version_is_ignored() {
    let (site, _) = built_corpus();
    let mut bytes = fs::read(cache_file(&site)).unwrap();
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let at = bytes
        .windows(version.len())
        .position(|w| w == version)
        .expect("the header names the version");
    // Same length, another version.
    bytes[at] = if bytes[at] == b'9' { b'8' } else { b'9' };
    fs::write(cache_file(&site), &bytes).unwrap();
    let (warm, _) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, 0);
}

#[test]
fn a_failed_build_leaves_the_cache_as_it_was() {
    let (site, _) = built_corpus();
    let before = fs::read(cache_file(&site)).unwrap();
    site.write("content/s/p02.md", "---\ntitle: [non fermé\n---\nTexte.\n");
    assert!(build(&options(&site)).is_err());
    assert_eq!(fs::read(cache_file(&site)).unwrap(), before);
    let leftovers: Vec<String> = fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("cache.tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A build that fails after rendering every page (on a link to a missing anchor, checked
    // once all are rendered) also keeps it.
    site.write(
        "content/s/p02.md",
        &page_text(2, "\nVoir [la section disparue](p01.md#absente).\n"),
    );
    assert!(build(&options(&site)).is_err());
    assert_eq!(fs::read(cache_file(&site)).unwrap(), before);
    site.write("content/s/p02.md", &page_text(2, ""));
    let (warm, _) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, ALL_PAGES);
}

#[test]
fn the_demo_in_one_language_rebuilds_from_its_cache_byte_for_byte() {
    let site = TempSite::demo_in_one_language();
    let first = build(&options(&site)).unwrap();
    assert_eq!(first.cached_pages, 0);
    let first_files = snapshot(&site.out());
    let (warm, files) = warm_then_cold(&site);
    // Every page but the tickets, the portfolio and the pages with embeds.
    assert_eq!(warm.cached_pages, DEMO_CACHED_PAGES);
    assert_same_files(&files, &first_files);
}

/// The demo's pages (in one language) that the cache may hold: its 46 pages but its ticket
/// write-ups, its portfolio and its pages with `topologie` or `include` blocks.
const DEMO_CACHED_PAGES: usize = 16;

#[test]
fn the_demo_after_a_body_edit_and_a_workflow_edit_matches_a_cold_build() {
    let site = TempSite::demo_in_one_language();
    build(&options(&site)).unwrap();
    let page = site.root.join("content/utilisateurs/se-connecter.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, format!("{text}\nUn paragraphe ajouté.\n")).unwrap();
    let (warm, _) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, DEMO_CACHED_PAGES - 1);

    let workflow = site.root.join("workflows/incident.yaml");
    let text = fs::read_to_string(&workflow).unwrap();
    fs::write(&workflow, format!("{text}\n# Relu.\n")).unwrap();
    let (warm, _) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, 0);
}

#[test]
fn a_translated_site_takes_only_its_search_analysis_from_the_cache() {
    let site = TempSite::demo();
    build(&options(&site)).unwrap();
    // A translated site's languages show each other's pages: no page cache; the search
    // analysis, keyed by the text it reads, is cached for every language.
    assert!(!cache_file(&site).exists());
    assert!(search_cache_file(&site).is_file());
    let (warm, _) = warm_then_cold(&site);
    assert_eq!(warm.cached_pages, 0);
}

#[test]
fn a_section_of_several_search_batches_after_a_body_edit_matches_a_cold_build() {
    // 600 pages: the search analysis is cached by batches of 256 pages, of which the edit
    // changes one.
    let pages = 600;
    let mut files: Vec<(String, String)> = vec![
        ("guichet.yaml".into(), "title: Base\nlanguage: fr\n".into()),
        (
            "content/s/_index.md".into(),
            "---\ntitle: Procédures\n---\n".into(),
        ),
    ];
    for k in 1..=pages {
        files.push((
            format!("content/s/p{k:02}.md"),
            page_text_among(k, pages, ""),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = TempSite::new(&borrowed);
    build(&options(&site)).unwrap();
    site.write(
        "content/s/p300.md",
        &page_text_among(300, pages, "\nUn paragraphe sur la messagerie.\n"),
    );
    let (warm, _) = warm_then_cold(&site);
    // The section's index and every page but the edited one.
    assert_eq!(warm.cached_pages, pages + 1 - 1);
}
