//! Translated sites (guichet.yaml `languages: [fr, en]`) on tests/fixtures/bilingual: a page
//! and its translation beside it, a page left untranslated, a ticket write-up and a workflow
//! whose texts are written per language.

use std::fs;
use std::path::{Path, PathBuf};

use guichet::build::{BuildOptions, build};
use guichet::check::{CheckOptions, check};

use crate::common::{TempSite, broken_links, repo, snapshot};
use crate::search_support::fresh_dir;

/// The bilingual fixture built into a fresh folder, with its warnings' headlines.
fn built(name: &str) -> (PathBuf, Vec<String>) {
    let out = fresh_dir(name);
    let mut options = BuildOptions::new(repo("tests/fixtures/bilingual"));
    options.out = Some(out.clone());
    let report = build(&options).map_err(|d| d.to_string()).unwrap();
    let warnings = report.warnings.iter().map(|d| d.headline()).collect();
    (out, warnings)
}

fn read(out: &Path, file: &str) -> String {
    fs::read_to_string(out.join(file)).unwrap()
}

/// A copy of the fixture whose guichet.yaml is `config`.
fn fixture_with(config: &str) -> TempSite {
    let site = TempSite::new(&[("guichet.yaml", config)]);
    for (path, bytes) in snapshot(&repo("tests/fixtures/bilingual")) {
        if path != "guichet.yaml" {
            site.write(&path, &String::from_utf8(bytes).unwrap());
        }
    }
    site
}

/// The language switch of a page, as written in its header.
fn switch(html: &str) -> &str {
    let start = html
        .find("<nav class=\"language-switch\"")
        .expect("a language switch");
    let end = start + html[start..].find("</nav>").unwrap() + "</nav>".len();
    &html[start..end]
}

#[test]
fn each_language_has_its_pages_at_its_urls_and_every_link_resolves() {
    let (out, warnings) = built("translations-links");
    assert_eq!(
        warnings,
        vec![
            "workflows/incident.yaml:24:12: warning: the label of step `relancer` has no `en` text: the `fr` one is shown in that language's diagram"
        ]
    );
    for page in [
        "index.html",
        "utilisateurs/se-connecter/index.html",
        "utilisateurs/suivre/index.html",
        "en/index.html",
        "en/utilisateurs/se-connecter/index.html",
        "en/utilisateurs/suivre/index.html",
        "en/tickets/7-imprimante/index.html",
        "en/logigrammes/incident/index.html",
        "en/indicateurs/index.html",
        "en/search/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
    // Shared files are written once, at the root.
    for once in ["static", "utilisateurs/guide.txt", "404.html", "robots.txt"] {
        assert!(out.join(once).exists(), "{once}");
    }
    for not_twice in [
        "en/static",
        "en/utilisateurs/guide.txt",
        "en/404.html",
        "en/sitemap.xml",
    ] {
        assert!(!out.join(not_twice).exists(), "{not_twice}");
    }
    // (Every link resolving is checked without base_url, below: folder links end in
    // index.html there.)
    let en = read(&out, "en/utilisateurs/se-connecter/index.html");
    assert!(en.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(en.contains("<h1>Sign in</h1>"));
    // Links written to .md files reach the same language's page; files are shared.
    assert!(en.contains(
        "<p>Open GLPI, then <a href=\"../../utilisateurs/suivre/#mot-de-passe\">follow your ticket</a>. The <a href=\"../../../utilisateurs/guide.txt\">guide</a> is attached.</p>"
    ), "{en}");
    assert!(en.contains("<link rel=\"stylesheet\" href=\"../../../static/style.css\">"));
    assert!(en.contains("<meta name=\"guichet-root\" content=\"../../../\">"));
}

#[test]
fn the_switch_leads_to_the_translation_or_to_the_page_shown_with_a_notice() {
    let (out, _) = built("translations-switch");
    let fr = read(&out, "utilisateurs/se-connecter/index.html");
    assert_eq!(
        switch(&fr),
        "<nav class=\"language-switch\" aria-label=\"Langue\"><ul><li><span class=\"current\" aria-current=\"page\" lang=\"fr\">Français</span></li><li><a href=\"../../en/utilisateurs/se-connecter/\" hreflang=\"en\" lang=\"en\">English</a></li></ul></nav>"
    );
    assert!(fr.contains(
        "<link rel=\"canonical\" href=\"https://support.example.org/utilisateurs/se-connecter/\">\n<link rel=\"alternate\" hreflang=\"fr\" href=\"https://support.example.org/utilisateurs/se-connecter/\">\n<link rel=\"alternate\" hreflang=\"en\" href=\"https://support.example.org/en/utilisateurs/se-connecter/\">\n<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://support.example.org/utilisateurs/se-connecter/\">\n"
    ), "{fr}");
    // Not translated: the English switch leads to the French page shown with a notice.
    let fr = read(&out, "utilisateurs/suivre/index.html");
    assert_eq!(
        switch(&fr),
        "<nav class=\"language-switch\" aria-label=\"Langue\"><ul><li><span class=\"current\" aria-current=\"page\" lang=\"fr\">Français</span></li><li><a href=\"../../en/utilisateurs/suivre/\" hreflang=\"en\" lang=\"en\" title=\"Cette page n&#39;est pas traduite dans cette langue : elle y est affichée dans la langue d&#39;origine\">English</a></li></ul></nav>"
    );
    let en = read(&out, "en/utilisateurs/suivre/index.html");
    assert!(en.contains(
        "<p class=\"callout callout-note translation-notice\" role=\"note\">This page is not translated into English yet: here it is in French.</p>\n  <div class=\"prose\" lang=\"fr\">"
    ), "{en}");
    assert!(en.contains("<h1 lang=\"fr\">Suivre son ticket</h1>"));
    // The copy names the original as canonical and has no English hreflang.
    assert!(en.contains(
        "<link rel=\"canonical\" href=\"https://support.example.org/utilisateurs/suivre/\">\n<link rel=\"alternate\" hreflang=\"fr\" href=\"https://support.example.org/utilisateurs/suivre/\">\n<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://support.example.org/utilisateurs/suivre/\">\n<link rel=\"stylesheet\""
    ), "{en}");
    // Its anchor links name French headings: they lead to the French page.
    assert!(en.contains(
        "<a href=\"../../../utilisateurs/se-connecter/#mot-de-passe-oublie\">connexion</a>"
    ));
    // A ticket write-up stays in its language, marked, without notice.
    let ticket = read(&out, "en/tickets/7-imprimante/index.html");
    assert!(
        ticket.contains(
            "<h1 lang=\"fr\">#7 L&#39;imprimante de l&#39;accueil n&#39;imprime plus</h1>"
        )
    );
    assert!(ticket.contains("<div class=\"prose\" lang=\"fr\">"));
    assert!(!ticket.contains("translation-notice"));
    // Pages made from data exist in every language.
    let kpis = read(&out, "en/indicateurs/index.html");
    assert!(
        switch(&kpis)
            .contains("<a href=\"../../indicateurs/\" hreflang=\"fr\" lang=\"fr\">Français</a>")
    );
}

#[test]
fn the_sitemap_lists_every_written_page_with_its_translations() {
    let (out, _) = built("translations-sitemap");
    let t = |fr: &str, en: &str| {
        format!(
            "<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"https://support.example.org/{fr}\"/><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://support.example.org/en/{en}\"/>"
        )
    };
    let expected = format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
            "  <url><loc>https://support.example.org/</loc>{home}</url>\n",
            "  <url><loc>https://support.example.org/en/</loc>{home}</url>\n",
            "  <url><loc>https://support.example.org/en/utilisateurs/</loc>{users}</url>\n",
            "  <url><loc>https://support.example.org/en/utilisateurs/se-connecter/</loc><lastmod>2026-03-05</lastmod>{sign}</url>\n",
            "  <url><loc>https://support.example.org/tickets/</loc></url>\n",
            "  <url><loc>https://support.example.org/tickets/7-imprimante/</loc><lastmod>2026-03-09</lastmod></url>\n",
            "  <url><loc>https://support.example.org/utilisateurs/</loc>{users}</url>\n",
            "  <url><loc>https://support.example.org/utilisateurs/se-connecter/</loc><lastmod>2026-03-02</lastmod>{sign}</url>\n",
            "  <url><loc>https://support.example.org/utilisateurs/suivre/</loc></url>\n</urlset>\n"
        ),
        home = t("", ""),
        users = t("utilisateurs/", "utilisateurs/"),
        sign = t("utilisateurs/se-connecter/", "utilisateurs/se-connecter/"),
    );
    assert_eq!(read(&out, "sitemap.xml"), expected);
}

/// `data-step="…" … data-bbox="…"` of every step, and the `d` of every flow.
fn geometry(svg: &str) -> (Vec<String>, Vec<String>) {
    let boxes = svg
        .split("<g class=\"step\"")
        .skip(1)
        .map(|g| {
            let step = g
                .split("data-step=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let bbox = g
                .split("data-bbox=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            format!("{step} {bbox}")
        })
        .collect();
    let paths = svg
        .split("<g class=\"flow\"")
        .skip(1)
        .map(|g| {
            g.split(" d=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    (boxes, paths)
}

#[test]
fn a_workflow_is_drawn_in_each_language_with_one_layout() {
    let (out, _) = built("translations-workflow");
    let fr = read(&out, "logigrammes/incident.svg");
    let en = read(&out, "en/logigrammes/incident.svg");
    assert!(
        fr.contains("<title id=\"incident-title\">Cycle de vie d&#39;un incident</title>")
            || fr.contains("<title id=\"incident-title\">Cycle de vie d'un incident</title>"),
        "{fr}"
    );
    assert!(en.contains("<title id=\"incident-title\">Incident lifecycle</title>"));
    assert!(en.contains(">First-line technician<"));
    assert!(en.contains("data-label=\"Yes\""));
    assert!(fr.contains("data-label=\"Oui\""));
    // The label without English words is drawn with the French ones.
    assert!(en.contains(">Relancer le demandeur<"));
    let (fr_boxes, fr_paths) = geometry(&fr);
    let (en_boxes, en_paths) = geometry(&en);
    assert_eq!(fr_boxes.len(), 5);
    assert_eq!(fr_boxes, en_boxes);
    assert_eq!(fr_paths.len(), 5);
    assert_eq!(fr_paths, en_paths);
    // The English text version and PNG exist beside the French ones.
    assert!(read(&out, "en/logigrammes/incident/index.html").contains("Report the incident"));
    assert!(out.join("en/logigrammes/incident.png").is_file());
}

#[test]
fn the_search_has_one_index_per_language_with_the_pages_written_in_it() {
    let (out, _) = built("translations-search");
    let index = |lang: &str| -> String {
        snapshot(&out.join("search").join(lang))
            .into_values()
            .map(|bytes| String::from_utf8(bytes).unwrap())
            .collect()
    };
    let (en, fr) = (index("en"), index("fr"));
    assert!(en.contains("\"en/utilisateurs/se-connecter/\""), "{en}");
    assert!(en.contains("\"en/logigrammes/incident/\""), "{en}");
    assert!(!en.contains("utilisateurs/suivre/"), "{en}");
    assert!(!en.contains("tickets/7-imprimante/"), "{en}");
    assert!(fr.contains("\"utilisateurs/suivre/\""), "{fr}");
    assert!(fr.contains("\"tickets/7-imprimante/\""), "{fr}");
    assert!(!fr.contains("\"en/"), "{fr}");
    assert!(read(&out, "search/en/meta.json").contains("\"languages\":[\"en\",\"fr\"]"));
}

#[test]
fn with_omit_an_untranslated_page_is_left_out_and_links_lead_to_the_original() {
    let site = fixture_with("title: Bilingue\nlanguages: [fr, en]\nmissing_translation: omit\n");
    build(&BuildOptions::new(&site.root))
        .map_err(|d| d.to_string())
        .unwrap();
    let out = site.out();
    assert!(!out.join("en/utilisateurs/suivre").exists());
    // Ticket write-ups are records: every language lists them.
    assert!(out.join("en/tickets/7-imprimante/index.html").is_file());
    let en = read(&out, "en/utilisateurs/se-connecter/index.html");
    assert!(en.contains("<a href=\"../../../utilisateurs/suivre/index.html#mot-de-passe\">follow your ticket</a>"), "{en}");
    let fr = read(&out, "utilisateurs/suivre/index.html");
    assert!(switch(&fr).contains(
        "<li><span class=\"unavailable\" lang=\"en\" title=\"Cette page n&#39;existe pas dans cette langue\">English</span></li>"
    ), "{fr}");
    assert_eq!(broken_links(&out), Vec::<String>::new());
}

#[test]
fn a_site_without_base_url_works_from_files_in_both_languages() {
    let site = fixture_with("title: Bilingue\nlanguages: [fr, en]\n");
    build(&BuildOptions::new(&site.root))
        .map_err(|d| d.to_string())
        .unwrap();
    assert_eq!(broken_links(&site.out()), Vec::<String>::new());
    let fr = read(&site.out(), "index.html");
    assert!(
        switch(&fr).contains("<a href=\"./en/index.html\" hreflang=\"en\" lang=\"en\">English</a>"),
        "{fr}"
    );
}

#[test]
fn a_translation_without_its_page_and_a_contradicting_language_are_errors() {
    let site = fixture_with("title: Bilingue\nlanguages: [fr, en]\n");
    site.write(
        "content/utilisateurs/absent.en.md",
        "---\ntitle: Absent\n---\n",
    );
    let errors: Vec<String> = build(&BuildOptions::new(&site.root))
        .unwrap_err()
        .0
        .iter()
        .map(|d| d.headline())
        .collect();
    assert_eq!(
        errors,
        vec![
            "content/utilisateurs/absent.en.md: error: this translation has no page in the default language (fr): content/utilisateurs/absent.md does not exist"
        ]
    );
}

#[test]
fn check_reports_each_page_missing_a_translation_at_its_title() {
    let report = check(&CheckOptions::new(repo("tests/fixtures/bilingual")));
    let missing: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.rule == Some("translation"))
        .map(|f| {
            format!(
                "{} {}",
                f.diagnostic.headline(),
                f.diagnostic.help.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        missing,
        vec![
            "content/tickets/_index.md:2:8: warning: this page has no translation in English write content/tickets/_index.en.md beside it; until then the page is shown untranslated there, with a notice",
            "content/utilisateurs/suivre.md:2:8: warning: this page has no translation in English write content/utilisateurs/suivre.en.md beside it; until then the page is shown untranslated there, with a notice",
        ]
    );
}

/// The cards of a listing page: (href, title) in order.
fn cards(html: &str) -> Vec<(String, String)> {
    html.split("<li class=\"card\"><a href=\"")
        .skip(1)
        .map(|rest| {
            let href = &rest[..rest.find('"').unwrap()];
            let title = rest.split("<strong>").nth(1).unwrap();
            (
                href.to_string(),
                title[..title.find("</strong>").unwrap()].to_string(),
            )
        })
        .collect()
}

#[test]
fn a_folder_without_index_has_a_listing_in_every_language() {
    for mode in ["notice", "omit"] {
        let site = fixture_with(&format!(
            "title: Bilingue\nlanguages: [fr, en]\nmissing_translation: {mode}\n"
        ));
        site.write(
            "content/reseau/wifi.md",
            "---\ntitle: Wi-Fi\n---\nLe wifi.\n",
        );
        site.write(
            "content/reseau/wifi.en.md",
            "---\ntitle: Wireless\n---\nThe wifi.\n",
        );
        site.write("content/reseau/vpn.md", "---\ntitle: VPN\n---\nLe VPN.\n");
        build(&BuildOptions::new(&site.root))
            .map_err(|d| d.to_string())
            .unwrap();
        let out = site.out();
        // Before, the navigation's link to the folder led nowhere, in both languages.
        assert_eq!(broken_links(&out), Vec::<String>::new(), "{mode}");
        let en_home = read(&out, "en/index.html");
        assert!(
            en_home.contains("<a href=\"./reseau/index.html\">Reseau</a>"),
            "{mode}: {en_home}"
        );
        let fr = read(&out, "reseau/index.html");
        assert!(fr.contains("<h1>Reseau</h1>"), "{fr}");
        assert_eq!(
            cards(&fr),
            [
                ("../reseau/vpn/index.html".to_string(), "VPN".to_string()),
                ("../reseau/wifi/index.html".to_string(), "Wi-Fi".to_string()),
            ]
        );
        let en = read(&out, "en/reseau/index.html");
        assert!(
            en.contains("<li><a href=\"../index.html\">Home</a></li>"),
            "{en}"
        );
        assert!(
            switch(&en).contains(
                "<a href=\"../../reseau/index.html\" hreflang=\"fr\" lang=\"fr\">Français</a>"
            ),
            "{en}"
        );
        // The untranslated VPN page is listed where the language shows it (notice), not with omit.
        let mut expected = vec![(
            "../reseau/wifi/index.html".to_string(),
            "Wireless".to_string(),
        )];
        if mode == "notice" {
            expected.insert(
                0,
                ("../reseau/vpn/index.html".to_string(), "VPN".to_string()),
            );
        }
        assert_eq!(cards(&en), expected, "{mode}");
    }
}

thread_local! {
    /// How many times this thread's builds called the memory release hook.
    static RELEASES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn count_release() {
    RELEASES.with(|n| n.set(n.get() + 1));
}

#[test]
fn a_build_releases_freed_memory_after_each_language_and_before_the_index() {
    // The stage boundaries run on the thread that calls `build`: a count kept per thread is
    // this test's alone, whatever the other tests build meanwhile.
    guichet::memory::set_release_hook(count_release);
    built("translations-release-hook");
    // After rendering French, after rendering English, once the pages' Markdown is freed,
    // after the French index, after the English one.
    assert_eq!(RELEASES.with(std::cell::Cell::get), 5);
}
