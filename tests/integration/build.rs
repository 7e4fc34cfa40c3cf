//! The `build` pipeline end to end on small sites: errors with their positions, links,
//! templates, the atomic swap and determinism.

use std::fs;

use crate::common::{TempSite, broken_links, build_errors, snapshot};
use guichet::build::{BuildOptions, build};

fn small_site() -> TempSite {
    TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        (
            "content/_index.md",
            "---\ntitle: Accueil\n---\nVoir [se connecter](utilisateurs/se-connecter.md#etape-2-verifier).\n",
        ),
        (
            "content/utilisateurs/_index.md",
            "---\ntitle: Utilisateurs\nweight: 1\n---\nProcédures.\n",
        ),
        (
            "content/utilisateurs/se-connecter.md",
            "---\ntitle: Se connecter\nweight: 1\ndate: 2025-03-02\n---\n## Étape 1 : ouvrir\n\nTexte.\n\n## Étape 2 : vérifier\n\n![capture](capture.png)\n",
        ),
        ("content/utilisateurs/capture.png", "PNG"),
        (
            "content/utilisateurs/suivre.md",
            "---\ntitle: Suivre\nweight: 2\n---\nRetour à [l'étape 2](se-connecter.md#etape-2-verifier).\n",
        ),
    ])
}

#[test]
fn builds_pretty_urls_assets_and_site_files() {
    let site = small_site();
    let report = build(&BuildOptions::new(&site.root)).unwrap();
    assert_eq!((report.pages, report.sections), (4, 1));
    // Static files and the content-hashed search chunks, fragments and typo files are checked
    // elsewhere.
    let files: Vec<String> = snapshot(&site.out())
        .into_keys()
        .filter(|f| {
            !f.starts_with("static/")
                && !f.starts_with("search/fr/t/")
                && !f.starts_with("search/fr/f/")
                && !f.starts_with("search/fr/w/")
        })
        .collect();
    assert_eq!(
        files,
        [
            ".guichet-files",
            ".guichet-site",
            "404.html",
            "atom.xml",
            "index.html",
            "robots.txt",
            "search/fallback-fr.js",
            "search/fr/meta.json",
            "search/index.html",
            "sitemap.xml",
            "utilisateurs/capture.png",
            "utilisateurs/index.html",
            "utilisateurs/se-connecter/index.html",
            "utilisateurs/suivre/index.html"
        ]
    );
    let page = fs::read_to_string(site.out().join("utilisateurs/suivre/index.html")).unwrap();
    assert!(
        page.contains("href=\"../../utilisateurs/se-connecter/index.html#etape-2-verifier\""),
        "{page}"
    );
    assert!(page.contains("<meta name=\"guichet-root\" content=\"../../\">"));
    assert!(page.contains("rel=\"prev\" href=\"../../utilisateurs/se-connecter/index.html\""));
    let login =
        fs::read_to_string(site.out().join("utilisateurs/se-connecter/index.html")).unwrap();
    assert!(
        login.contains("src=\"../../utilisateurs/capture.png\""),
        "{login}"
    );
    assert!(
        broken_links(&site.out()).is_empty(),
        "{:?}",
        broken_links(&site.out())
    );
}

#[test]
fn front_matter_error_names_file_line_and_column() {
    let site = small_site();
    site.write(
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\nweight: deux\n---\n",
    );
    assert_eq!(
        build_errors(&site),
        [
            "content/utilisateurs/suivre.md:3:9: error: weight: invalid type: string \"deux\", expected a whole number"
        ]
    );
}

#[test]
fn page_without_title_and_unknown_key() {
    let site = small_site();
    site.write(
        "content/utilisateurs/suivre.md",
        "---\ndescription: x\n---\n",
    );
    site.write(
        "content/utilisateurs/autre.md",
        "---\ntitle: A\nauteur: moi\n---\n",
    );
    assert_eq!(
        build_errors(&site),
        [
            "content/utilisateurs/autre.md:3:1: error: unknown key `auteur`",
            "content/utilisateurs/suivre.md:1:1: error: the page has no title"
        ]
    );
}

#[test]
fn broken_page_link_and_anchor_are_errors_with_positions() {
    let site = small_site();
    site.write(
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\n---\nVoir [ici](absent.md).\n\nEt [là](se-connecter.md#etape-9).\n",
    );
    assert_eq!(
        build_errors(&site),
        [
            "content/utilisateurs/suivre.md:4:6: error: link to a missing page `absent.md` (looked for content/utilisateurs/absent.md)",
            "content/utilisateurs/suivre.md:6:4: error: link to a missing anchor `#etape-9` in utilisateurs/se-connecter.md"
        ]
    );
}

#[test]
fn two_pages_with_one_url() {
    let site = small_site();
    site.write(
        "content/utilisateurs/suivre/_index.md",
        "---\ntitle: Doublon\n---\n",
    );
    assert_eq!(
        build_errors(&site),
        [
            "content/utilisateurs/suivre/_index.md:1:1: error: two pages have the URL /utilisateurs/suivre/: this one and content/utilisateurs/suivre.md"
        ]
    );
}

#[test]
fn site_template_overrides_the_theme() {
    let site = small_site();
    site.write("templates/page.html", "<p>{{ page.title }} — perso</p>");
    build(&BuildOptions::new(&site.root)).unwrap();
    assert_eq!(
        fs::read_to_string(site.out().join("utilisateurs/suivre/index.html")).unwrap(),
        "<p>Suivre — perso</p>"
    );
}

#[test]
fn template_error_names_template_and_line() {
    let site = small_site();
    site.write(
        "templates/page.html",
        "<p>\n{{ page.title | nonexistent_filter }}</p>",
    );
    let errors = build_errors(&site);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("templates/page.html:2:"),
        "{errors:?}"
    );
}

#[test]
fn failed_build_leaves_previous_site_byte_for_byte() {
    let site = small_site();
    build(&BuildOptions::new(&site.root)).unwrap();
    build(&BuildOptions::new(&site.root)).unwrap();
    let before = snapshot(&site.out());
    // Fails while loading, before anything is staged.
    site.write("content/utilisateurs/suivre.md", "---\ntitle: [\n---\n");
    assert!(build(&BuildOptions::new(&site.root)).is_err());
    assert_eq!(snapshot(&site.out()), before);
    // Fails while rendering, after the staging folder was filled from the spare.
    site.write(
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\n---\n[cassé](absent.md)\n",
    );
    assert!(build(&BuildOptions::new(&site.root)).is_err());
    assert_eq!(snapshot(&site.out()), before);
    let mut leftovers: Vec<_> = fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    leftovers.sort();
    // Only the spare kept for the next build and the last successful build's caches, never
    // a staging folder nor a cache being written.
    assert_eq!(
        leftovers,
        [".site.cache", ".site.search-cache", ".site.spare"]
    );
}

#[test]
fn no_stale_files_after_a_rebuild() {
    let site = small_site();
    build(&BuildOptions::new(&site.root)).unwrap();
    fs::remove_file(site.root.join("content/utilisateurs/suivre.md")).unwrap();
    build(&BuildOptions::new(&site.root)).unwrap();
    assert!(!site.out().join("utilisateurs/suivre/index.html").exists());
}

#[test]
fn two_builds_give_identical_bytes() {
    let site = small_site();
    build(&BuildOptions::new(&site.root)).unwrap();
    let first = snapshot(&site.out());
    build(&BuildOptions::new(&site.root)).unwrap();
    assert_eq!(snapshot(&site.out()), first);
}

#[test]
fn drafts_only_with_the_flag() {
    let site = small_site();
    site.write(
        "content/utilisateurs/brouillon.md",
        "---\ntitle: Brouillon\ndraft: true\n---\n",
    );
    build(&BuildOptions::new(&site.root)).unwrap();
    assert!(
        !site
            .out()
            .join("utilisateurs/brouillon/index.html")
            .exists()
    );
    let mut options = BuildOptions::new(&site.root);
    options.drafts = true;
    build(&options).unwrap();
    assert!(
        site.out()
            .join("utilisateurs/brouillon/index.html")
            .exists()
    );
}

#[test]
fn include_masks_values_and_does_not_publish_the_file() {
    let site = small_site();
    site.write("content/utilisateurs/config_db.php", "<?php\nclass DB extends DBmysql {\n   public $dbuser = 'glpi';\n   public $dbpassword = 'S3cr3t';\n}\n");
    site.write(
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\n---\n```include config_db.php lang=php mask=dbpassword\n```\n",
    );
    build(&BuildOptions::new(&site.root)).unwrap();
    let page = fs::read_to_string(site.out().join("utilisateurs/suivre/index.html")).unwrap();
    assert!(page.contains("********"), "{page}");
    assert!(!page.contains("S3cr3t"));
    assert!(page.contains("glpi"));
    assert!(!site.out().join("utilisateurs/config_db.php").exists());
}

#[test]
fn sitemap_and_feed_use_base_url() {
    let site = small_site();
    site.write(
        "guichet.yaml",
        "title: Démo\nbase_url: https://exemple.fr/kb/\n",
    );
    build(&BuildOptions::new(&site.root)).unwrap();
    let sitemap = fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<url><loc>https://exemple.fr/kb/utilisateurs/se-connecter/</loc><lastmod>2025-03-02</lastmod></url>"), "{sitemap}");
    let atom = fs::read_to_string(site.out().join("atom.xml")).unwrap();
    assert!(
        atom.contains("<updated>2025-03-02T00:00:00Z</updated>"),
        "{atom}"
    );
    let page = fs::read_to_string(site.out().join("utilisateurs/suivre/index.html")).unwrap();
    assert!(
        page.contains("href=\"../../utilisateurs/se-connecter/#etape-2-verifier\""),
        "pretty URLs when served: {page}"
    );
}

/// A site with one small workflow, whose page has a PNG download.
fn site_with_workflow(label: &str) -> TempSite {
    TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        (
            "content/_index.md",
            "---\ntitle: Accueil\n---\nBienvenue.\n",
        ),
        (
            "workflows/court.yaml",
            &format!(
                "title: Court\nsteps:\n  - {{ id: debut, kind: start, label: Début }}\n  - {{ id: agir, kind: action, label: {label} }}\n  - {{ id: fin, kind: end, label: Fin }}\n"
            ),
        ),
    ])
}

#[test]
fn a_picture_of_an_unchanged_diagram_is_taken_from_the_previous_site() {
    let site = site_with_workflow("Agir");
    build(&BuildOptions::new(&site.root)).unwrap();
    let png_path = site.out().join("logigrammes/court.png");
    let rendered = fs::read(&png_path).unwrap();
    let key = guichet::diagram::png::source_key_of(&rendered)
        .expect("the PNG carries its source key")
        .to_string();
    // Plant other bytes under the same key: a rebuild that kept them did not rasterise.
    let mut planted = guichet::diagram::png::to_png(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="4" height="4"/></svg>"#,
        1.0,
    )
    .unwrap();
    let other_key = guichet::diagram::png::source_key_of(&planted)
        .unwrap()
        .to_string();
    let at = planted
        .windows(32)
        .position(|w| w == other_key.as_bytes())
        .unwrap();
    planted[at..at + 32].copy_from_slice(key.as_bytes());
    fs::write(&png_path, &planted).unwrap();
    build(&BuildOptions::new(&site.root)).unwrap();
    assert_eq!(fs::read(&png_path).unwrap(), planted);

    // A changed diagram is drawn again.
    site.write(
        "workflows/court.yaml",
        "title: Court\nsteps:\n  - { id: debut, kind: start, label: Début }\n  - { id: agir, kind: action, label: Agir vite }\n  - { id: fin, kind: end, label: Fin }\n",
    );
    build(&BuildOptions::new(&site.root)).unwrap();
    let redrawn = fs::read(&png_path).unwrap();
    assert_ne!(redrawn, planted);
    assert_ne!(
        guichet::diagram::png::source_key_of(&redrawn),
        Some(key.as_str())
    );
    // And it is the picture a build from scratch gives.
    let fresh = site_with_workflow("Agir vite");
    build(&BuildOptions::new(&fresh.root)).unwrap();
    assert_eq!(
        redrawn,
        fs::read(fresh.out().join("logigrammes/court.png")).unwrap()
    );
}

fn build_into(site: &TempSite, out: &std::path::Path) -> Result<(), Vec<String>> {
    let mut options = BuildOptions::new(&site.root);
    options.out = Some(out.to_path_buf());
    build(&options)
        .map(|_| ())
        .map_err(|d| d.0.iter().map(|d| d.headline()).collect())
}

#[test]
fn an_output_folder_holding_the_sources_is_refused_and_nothing_moves() {
    let site = small_site();
    let before = snapshot(&site.root);
    let refused = format!(
        "{}: error: the output folder is the site folder or holds it: a build replaces its output folder whole, which would remove the sources",
        site.root.display()
    );
    assert_eq!(build_into(&site, &site.root), Err(vec![refused]));
    // The same folder written another way, and a folder holding it.
    assert!(build_into(&site, &site.root.join("content/..")).is_err());
    assert!(build_into(&site, site.root.parent().unwrap()).is_err());
    let inside = site.root.join("content/public");
    assert_eq!(
        build_into(&site, &inside),
        Err(vec![format!(
            "{}: error: the output folder is inside `content/`: the build would read its own output as sources",
            inside.display()
        )])
    );
    assert_eq!(snapshot(&site.root), before);
    let hidden: Vec<_> = fs::read_dir(site.root.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.contains(&*site.root.file_name().unwrap().to_string_lossy()) && n.starts_with('.')
        })
        .collect();
    assert_eq!(hidden, Vec::<String>::new());
}

#[test]
fn a_folder_not_built_by_guichet_is_never_replaced() {
    let site = small_site();
    let documents = site.root.join("documents");
    fs::create_dir_all(&documents).unwrap();
    fs::write(documents.join("notes.txt"), "à garder").unwrap();
    assert_eq!(
        build_into(&site, &documents),
        Err(vec![format!(
            "{}: error: this folder exists and was not built by guichet: a build replaces its output folder whole, so its files would be lost",
            documents.display()
        )])
    );
    assert_eq!(
        fs::read_to_string(documents.join("notes.txt")).unwrap(),
        "à garder"
    );
    assert!(!site.root.join(".documents.spare").exists());

    // An empty folder is fine, and the build marks it as its own: the next build may
    // replace it.
    let empty = site.root.join("public");
    fs::create_dir_all(&empty).unwrap();
    build_into(&site, &empty).unwrap();
    assert_eq!(
        fs::read_to_string(empty.join(".guichet-site")).unwrap(),
        "Built by guichet. Each build replaces this whole folder: keep no other file here.\n"
    );
    build_into(&site, &empty).unwrap();

    // A site of an older guichet has no marker but a search index only guichet writes.
    fs::remove_file(empty.join(".guichet-site")).unwrap();
    build_into(&site, &empty).unwrap();
    assert!(empty.join(".guichet-site").is_file());
}

#[test]
fn a_date_that_is_not_a_day_is_an_error_at_its_value() {
    let site = small_site();
    site.write(
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\ndate: 2026-04-20\nupdated: 2026-02-30\n---\nTexte.\n",
    );
    assert_eq!(
        build_errors(&site),
        [
            "content/utilisateurs/suivre.md:4:10: error: updated: `2026-02-30` is not a date: expected `YYYY-MM-DD`"
        ]
    );
    site.write(
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\ndate: le 3 mars\n---\nTexte.\n",
    );
    assert_eq!(
        build_errors(&site),
        [
            "content/utilisateurs/suivre.md:3:7: error: date: `le 3 mars` is not a date: expected `YYYY-MM-DD`"
        ]
    );
}

#[test]
fn a_page_beside_a_folder_of_the_same_name_is_an_error() {
    let site = small_site();
    site.write("content/guides.md", "---\ntitle: Guides\n---\nTexte.\n");
    site.write("content/guides/wifi.md", "---\ntitle: Wi-Fi\n---\nTexte.\n");
    assert_eq!(
        build_errors(&site),
        [
            "content/guides.md:1:1: error: this page and the folder content/guides/ both have the URL /guides/"
        ]
    );
    // As the folder's own page, it is fine.
    fs::rename(
        site.root.join("content/guides.md"),
        site.root.join("content/guides/_index.md"),
    )
    .unwrap();
    build(&BuildOptions::new(&site.root)).unwrap();
    let page = fs::read_to_string(site.out().join("guides/index.html")).unwrap();
    assert!(page.contains("<h1>Guides</h1>"), "{page}");
}

#[test]
fn a_link_written_with_percent_escapes_finds_its_file() {
    let site = small_site();
    site.write("content/utilisateurs/capture écran.png", "PNG");
    site.write(
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\n---\n![écran](capture%20%C3%A9cran.png) et [l'étape](se%2Dconnecter.md#etape-2-verifier)\n",
    );
    build(&BuildOptions::new(&site.root)).unwrap();
    let page = fs::read_to_string(site.out().join("utilisateurs/suivre/index.html")).unwrap();
    assert!(
        page.contains("src=\"../../utilisateurs/capture%20%C3%A9cran.png\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"../../utilisateurs/se-connecter/index.html#etape-2-verifier\""),
        "{page}"
    );
    assert_eq!(
        fs::read(site.out().join("utilisateurs/capture écran.png")).unwrap(),
        b"PNG"
    );
    site.write(
        "content/utilisateurs/suivre.md",
        "---\ntitle: Suivre\n---\n![écran](capture%20absente.png)\n",
    );
    assert_eq!(
        build_errors(&site),
        [
            "content/utilisateurs/suivre.md:4:1: error: link to a missing file `capture absente.png` (looked for content/utilisateurs/capture absente.png)"
        ]
    );
}

/// Without a terminal on stderr (a pipe, CI logs), `guichet build` prints its summary line
/// alone: no progress line, no control characters.
#[test]
fn the_command_prints_only_the_summary_when_stderr_is_not_a_terminal() {
    let site = small_site();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["build", "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("4 pages, 1 sections, "), "{stdout}");
    assert!(
        !stdout.contains('\r') && !stdout.contains('\x1b'),
        "{stdout}"
    );
}
