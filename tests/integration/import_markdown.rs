//! `guichet import markdown`: a small site written for each tool from its documented format
//! (tests/fixtures/import/markdown/<tool>/) imports to the expected files and builds; a
//! second import changes nothing and leaves hand-edited files alone.

use std::fs;
use std::path::{Path, PathBuf};

use guichet::build::{BuildOptions, build};
use guichet::import::markdown::{Format, ImportReport, MarkdownImport, import};

use crate::common::{TempSite, repo};

fn fixture(tool: &str) -> PathBuf {
    repo(&format!("tests/fixtures/import/markdown/{tool}"))
}

/// Imports the fixture of `tool` into a fresh site (format sniffed), then builds it.
fn imported(tool: &str) -> (TempSite, ImportReport) {
    let site = TempSite::new(&[]);
    fs::create_dir_all(&site.root).unwrap();
    let report = import(&options(tool, &site)).unwrap();
    assert_eq!(report.format.name(), tool);
    let built = build(&BuildOptions::new(&site.root));
    assert!(built.is_ok(), "{tool}: {:?}", built.err());
    (site, report)
}

fn options(tool: &str, site: &TempSite) -> MarkdownImport {
    MarkdownImport {
        src: fixture(tool),
        from: None,
        into: site.root.join("content"),
        dry_run: false,
        force: false,
    }
}

/// An imported file without its `imported:` stamp line (whose hash is checked elsewhere).
fn page(site: &TempSite, rel: &str) -> String {
    let text = fs::read_to_string(site.root.join("content").join(rel)).unwrap();
    text.lines()
        .filter(|l| !l.starts_with("imported: "))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn content_files(site: &TempSite) -> Vec<String> {
    let mut files = Vec::new();
    collect(&site.root.join("content"), "", &mut files);
    files.sort();
    files
}

fn collect(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        if e.path().is_dir() {
            collect(&e.path(), &format!("{name}/"), out);
        } else {
            out.push(name);
        }
    }
}

fn leftovers(report: &ImportReport, tool: &str) -> Vec<String> {
    let root = fixture(tool);
    report
        .leftovers
        .iter()
        .map(|l| {
            let file = l.file.strip_prefix(&root).unwrap_or(&l.file);
            format!("{}:{}: {}", file.display(), l.line, l.what)
        })
        .collect()
}

#[test]
fn each_fixture_is_recognised_by_its_files() {
    for tool in ["mkdocs", "docusaurus", "hugo", "zola", "obsidian", "grav"] {
        assert_eq!(Format::sniff(&fixture(tool)).map(Format::name), Some(tool));
    }
    assert_eq!(Format::sniff(&repo("tests/fixtures/import")), None);
}

#[test]
fn mkdocs_nav_titles_order_and_admonitions() {
    let (site, report) = imported("mkdocs");
    assert_eq!(
        content_files(&site),
        [
            "_index.md",
            "faq.md",
            "images/ecran.png",
            "premiers-pas/_index.md",
            "premiers-pas/mot-de-passe.md",
            "premiers-pas/se-connecter.md",
        ]
    );
    assert_eq!(
        fs::read_to_string(site.root.join("guichet.yaml")).unwrap(),
        "title: Support informatique\nlanguage: fr\n"
    );
    assert_eq!(
        page(&site, "premiers-pas/_index.md"),
        "---\ntitle: Premiers pas\nweight: 1\n---\n"
    );
    assert_eq!(
        page(&site, "premiers-pas/se-connecter.md"),
        "---\ntitle: Se connecter\ndescription: Ouvrir sa session le premier jour.\nweight: 1\n---\n\n> [!WARNING]\n> **Compte**\n>\n> Votre compte est créé par le service.\n>\n> Il arrive la veille de votre arrivée.\n\n![Écran de connexion](../images/ecran.png)\n\n**Windows**\n\nAppuyez sur Ctrl+Alt+Suppr.\n"
    );
    assert_eq!(
        page(&site, "premiers-pas/mot-de-passe.md"),
        "---\ntitle: Changer son mot de passe\ntags:\n- compte\nweight: 2\nextra:\n  author: Service informatique\n---\n\n> [!TIP]\n> **Astuce**\n>\n> Une phrase de passe se retient mieux.\n\nRetour à l'[accueil](../_index.md).\n"
    );
    assert_eq!(page(&site, "faq.md").lines().nth(2), Some("weight: 2"));
    assert_eq!(
        (
            report.pages,
            report.attachments,
            report.aliases,
            report.notices
        ),
        (5, 1, 0, 3)
    );
    assert_eq!(
        leftovers(&report, "mkdocs"),
        [
            "docs/premiers-pas/se-connecter.md:14: a content tab `=== \"Windows\"`: the tabs follow one another, each under its title"
        ]
    );
    let html = fs::read_to_string(site.out().join("premiers-pas/se-connecter/index.html")).unwrap();
    assert!(
        html.contains("<div class=\"callout callout-warning\" role=\"alert\">"),
        "{html}"
    );
}

#[test]
fn docusaurus_categories_positions_slugs_and_admonitions() {
    let (site, report) = imported("docusaurus");
    assert_eq!(
        content_files(&site),
        [
            "guide/_index.md",
            "guide/imprimer.md",
            "guide/scanner.md",
            "img/logo.png",
            "intro.md"
        ]
    );
    assert_eq!(
        page(&site, "guide/_index.md"),
        "---\ntitle: Guide de l'utilisateur\nweight: 2\n---\n"
    );
    assert_eq!(
        page(&site, "guide/scanner.md"),
        "---\ntitle: Numériser\nweight: 1\naliases:\n- /docs/guide/numeriser\nextra:\n  id: numeriser\n---\n\nimport Tabs from '@theme/Tabs';\n\n<Tabs>\n\n> [!NOTE]\n> **Envoi**\n>\n> Le scanner envoie le document par courriel.\n"
    );
    assert_eq!(
        page(&site, "guide/imprimer.md"),
        "---\ntitle: Imprimer un document\ntags:\n- impression\nweight: 2\naliases:\n- /docs/guide/imprimer\nextra:\n  sidebar_label: Imprimer\n---\n\n> [!WARNING]\n> Le bac 2 est réservé aux enveloppes.\n\nVoir aussi [le scanner](scanner.md).\n"
    );
    assert!(
        page(&site, "intro.md")
            .starts_with("---\ntitle: Bienvenue\nweight: 1\naliases:\n- /docs\n")
    );
    assert_eq!(
        fs::read_to_string(site.root.join("guichet.yaml")).unwrap(),
        "title: Aide en ligne\nlanguage: fr\n"
    );
    assert_eq!((report.pages, report.aliases, report.notices), (4, 3, 3));
    assert_eq!(
        leftovers(&report, "docusaurus"),
        [
            "docs/02-guide/scanner.mdx:7: an MDX import line `import Tabs from '@theme/Tabs';`: shown as text",
            "docs/02-guide/scanner.mdx:9: the JSX component `<Tabs>`: shown as text",
        ]
    );
    // The old URL answers with a redirect to the new page.
    let redirect = fs::read_to_string(site.out().join("docs/guide/numeriser/index.html")).unwrap();
    assert!(
        redirect.contains("url=../../../guide/scanner/index.html"),
        "{redirect}"
    );
    // `/img/logo.png`, a static file, is found from the page.
    let html = fs::read_to_string(site.out().join("intro/index.html")).unwrap();
    assert!(html.contains("src=\"../img/logo.png\""), "{html}");
}

#[test]
fn hugo_toml_bundles_slugs_aliases_and_shortcodes() {
    let (site, report) = imported("hugo");
    assert_eq!(
        content_files(&site),
        [
            "_index.md",
            "reseau/_index.md",
            "reseau/vpn.md",
            "reseau/vpn/client.png",
            "reseau/wifi.md"
        ]
    );
    assert_eq!(
        page(&site, "reseau/wifi.md"),
        "---\ntitle: Wi-Fi invités\ndate: 2024-03-02\ntags:\n- wifi\ncategory: Réseau\nweight: 2\naliases:\n- /wifi-invites/\nextra:\n  menu:\n    main:\n      parent: reseau\n---\n\n{{< figure src=\"borne.png\" >}}\n\nLe code change chaque lundi. Voir [le VPN](vpn.md).\n"
    );
    assert_eq!(
        page(&site, "reseau/vpn.md"),
        "---\ntitle: VPN\nupdated: 2024-04-01T09:30:00+02:00\nweight: 1\naliases:\n- /reseau/acces-distant/\nextra:\n  slug: acces-distant\n---\n\n![Client VPN](vpn/client.png)\n"
    );
    assert_eq!(
        leftovers(&report, "hugo"),
        [
            "content/reseau/wifi.md:12: a Hugo shortcode `{{< figure src=\"borne.png\" >}}`: shown as text"
        ]
    );
    assert!(site.out().join("wifi-invites/index.html").is_file());
    assert!(site.out().join("reseau/vpn/client.png").is_file());
}

#[test]
fn zola_path_taxonomies_and_extra() {
    let (site, report) = imported("zola");
    assert_eq!(
        page(&site, "serveurs/sauvegarde-borg.md"),
        "---\ntitle: Sauvegarde\ndate: 2024-01-15\ntags:\n- borg\nweight: 1\naliases:\n- /backup/borgbackup\nextra:\n  auteur: Camille\n  path: backup/borgbackup\n---\n\n{{ youtube(id=\"abc\") }}\n\nLancer `borg create` chaque soir.\n"
    );
    assert_eq!(
        page(&site, "_index.md"),
        "---\ntitle: Notes\nextra:\n  sort_by: weight\n---\n"
    );
    assert_eq!(
        leftovers(&report, "zola"),
        [
            "content/serveurs/Sauvegarde Borg.md:14: a Zola shortcode `{{ youtube(id=\"abc\") }}`: shown as text"
        ]
    );
}

#[test]
fn obsidian_wikilinks_embeds_and_callouts() {
    let (site, report) = imported("obsidian");
    assert_eq!(
        content_files(&site),
        [
            "Accueil.md",
            "Imprimante.md",
            "pieces/borne.png",
            "reseau/wi-fi-invites.md"
        ]
    );
    assert_eq!(
        page(&site, "Accueil.md"),
        "---\ntitle: Coffre du support\n---\n\nVoir [Wi-Fi invités](reseau/wi-fi-invites.md) et [le bourrage](Imprimante.md#bourrage-papier).\n\n> [!WARNING]\n> **Attention**\n>\n> Ne jamais partager le code.\n\n%% à compléter %%\n"
    );
    assert_eq!(
        page(&site, "reseau/wi-fi-invites.md"),
        "---\ntitle: Wi-Fi invités\ntags:\n- réseau\nextra:\n  aliases:\n  - Wifi\n---\n\nLe code est affiché à l'accueil.\n\n![borne.png](../pieces/borne.png)\n\n[[Absente]]\n"
    );
    assert_eq!(report.aliases, 0);
    assert_eq!(
        leftovers(&report, "obsidian"),
        [
            "Accueil.md:8: an Obsidian comment `%% à compléter %%`: guichet shows it",
            "Réseau/Wi-Fi invités.md:10: `[[Absente]]`: no note or file of the vault is named `Absente`",
        ]
    );
}

#[test]
fn grav_numbered_folders_routes_notices_and_twig() {
    let (site, report) = imported("grav");
    assert_eq!(
        content_files(&site),
        [
            "_index.md",
            "backup/_index.md",
            "backup/borgbackup.md",
            "backup/borgbackup/schema.png",
            "commandline.md"
        ]
    );
    assert_eq!(
        page(&site, "backup/borgbackup.md"),
        "---\ntitle: BorgBackup\nweight: 1\naliases:\n- /borg\nextra:\n  routes:\n    aliases:\n    - /borg\n  template: docs\n---\n\n> [!WARNING]\n> Vérifiez l'espace disque.\n\n> [!CAUTION]\n> Ne supprimez jamais le dépôt.\n\n{{ page.title }}\n\n![Schéma](borgbackup/schema.png)\n"
    );
    assert!(page(&site, "_index.md").starts_with(
        "---\ntitle: Accueil\naliases:\n- /home\nextra:\n  body_classes: title-center\n---\n"
    ));
    assert_eq!((report.aliases, report.notices), (2, 3));
    assert_eq!(
        leftovers(&report, "grav"),
        ["user/pages/02.backup/01.borgbackup/docs.md:11: Twig `{{ page.title }}`: shown as text"]
    );
    // Links to the old site's URLs (`/backup/borgbackup`, `/home`) lead to the pages.
    let html = fs::read_to_string(site.out().join("commandline/index.html")).unwrap();
    assert!(
        html.contains("href=\"../backup/borgbackup/index.html\""),
        "{html}"
    );
    assert!(html.contains("href=\"../index.html\""), "{html}");
}

#[test]
fn a_second_import_changes_nothing_and_keeps_hand_edits() {
    let (site, first) = imported("hugo");
    assert_eq!(first.files.created.len(), 5);
    let options = options("hugo", &site);
    let again = import(&options).unwrap();
    assert_eq!(
        (
            again.files.created.len(),
            again.files.updated.len(),
            again.files.unchanged
        ),
        (0, 0, 5)
    );
    let wifi = site.root.join("content/reseau/wifi.md");
    let edited = fs::read_to_string(&wifi)
        .unwrap()
        .replace("chaque lundi", "chaque mardi");
    fs::write(&wifi, &edited).unwrap();
    let third = import(&options).unwrap();
    assert_eq!(third.files.kept_edited, std::slice::from_ref(&wifi));
    assert_eq!(fs::read_to_string(&wifi).unwrap(), edited);
    assert!(third.to_text(false).contains(&format!(
        "edited since the last import, left alone (--force overwrites them):\n  {}\n",
        wifi.display()
    )));
    let forced = import(&MarkdownImport {
        force: true,
        ..options
    })
    .unwrap();
    assert_eq!(forced.files.overwritten, std::slice::from_ref(&wifi));
    assert!(fs::read_to_string(&wifi).unwrap().contains("chaque lundi"));
}

#[test]
fn a_dry_run_writes_nothing() {
    let site = TempSite::new(&[]);
    fs::create_dir_all(&site.root).unwrap();
    let report = import(&MarkdownImport {
        dry_run: true,
        ..options("grav", &site)
    })
    .unwrap();
    assert_eq!(report.files.created.len(), 5);
    assert!(
        report
            .to_text(true)
            .starts_with("would import 4 pages and 1 attachments (grav): 5 created")
    );
    assert!(!site.root.join("content").exists());
    assert!(!site.root.join("guichet.yaml").exists());
}

#[test]
fn a_source_that_cannot_be_read_is_an_error_at_its_line() {
    let src = TempSite::new(&[
        (
            "config.toml",
            "base_url = \"https://x.org\"\ntitle = \"X\"\n",
        ),
        ("content/a.md", "+++\ntitle = \"A\"\nweight = = 2\n+++\n"),
    ]);
    let site = TempSite::new(&[]);
    let errors = import(&MarkdownImport {
        src: src.root.clone(),
        from: None,
        into: site.root.join("content"),
        dry_run: false,
        force: false,
    })
    .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 3);
    assert!(
        errors[0].headline().contains("content/a.md:3:"),
        "{}",
        errors[0].headline()
    );
    assert!(!site.root.join("content").exists());
    let unknown = import(&MarkdownImport {
        src: site.root.clone(),
        from: None,
        into: site.root.join("content"),
        dry_run: true,
        force: false,
    })
    .unwrap_err();
    assert_eq!(
        unknown[0].help.as_deref(),
        Some("say it: --from mkdocs, docusaurus, hugo, zola, obsidian or grav")
    );
}
