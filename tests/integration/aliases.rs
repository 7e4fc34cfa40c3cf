//! Content from elsewhere, in a site: `extra:` data read by templates, old URLs
//! (`aliases:`) answered by redirect pages, and root-absolute links resolved by URL, checked,
//! and written relative so that a sub-path deploy keeps them working.

use guichet::build::{BuildOptions, build};

use crate::common::browser::{View, dump_dom, serve};
use crate::common::{TempSite, build_errors, chromium};

const PAGE: &str = "---\ntitle: Ligne de commande\naliases: [/commandline, /ancien/guide.html]\n---\n## Ouvrir un terminal\n\nTapez `cmd`.\n";

fn demo_site(home: &str) -> TempSite {
    TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        (
            "content/_index.md",
            &format!("---\ntitle: Accueil\n---\n{home}"),
        ),
        ("content/outils/ligne-de-commande.md", PAGE),
        (
            "content/outils/sauvegarde.md",
            "---\ntitle: Sauvegarde\n---\nBorg.\n",
        ),
    ])
}

fn read(site: &TempSite, path: &str) -> String {
    std::fs::read_to_string(site.out().join(path)).unwrap()
}

#[test]
fn extra_data_reaches_templates_as_page_extra() {
    let site = TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        (
            "content/fiche.md",
            "---\ntitle: Fiche\ntemplate: fiche.html\nextra:\n  auteur: Camille\n  niveaux: [N1, N2]\n  poste: { salle: B12 }\n---\nCorps.\n",
        ),
        (
            "templates/fiche.html",
            "{{ page.extra.auteur }}|{{ page.extra.niveaux | join(sep=\",\") }}|{{ page.extra.poste.salle }}\n",
        ),
    ]);
    build(&BuildOptions::new(&site.root)).unwrap();
    assert_eq!(read(&site, "fiche/index.html"), "Camille|N1,N2|B12\n");
}

#[test]
fn an_unknown_key_says_where_custom_data_goes() {
    let site = TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        ("content/a.md", "---\ntitle: A\ntemplat: docs\n---\n"),
        ("content/b.md", "---\ntitle: B\ntaxonomy: docs\n---\n"),
    ]);
    let errors = guichet::build::build(&BuildOptions::new(&site.root))
        .unwrap_err()
        .0;
    assert_eq!(
        errors[0].headline(),
        "content/a.md:3:1: error: unknown key `templat`"
    );
    let help = errors[0].help.as_deref().unwrap();
    assert!(
        help.starts_with("did you mean `template`? put custom data under `extra:` (`extra:` then `  templat: …` on the next line), where templates read it as `page.extra.templat`; allowed keys here: "),
        "{help}"
    );
    assert_eq!(
        errors[1].headline(),
        "content/b.md:3:1: error: unknown key `taxonomy`"
    );
    assert!(
        errors[1]
            .help
            .as_deref()
            .unwrap()
            .starts_with("put custom data under `extra:`"),
        "{:?}",
        errors[1].help
    );
}

#[test]
fn each_alias_gets_a_redirect_page() {
    let site = demo_site("Bonjour.\n");
    build(&BuildOptions::new(&site.root)).unwrap();
    assert_eq!(
        read(&site, "commandline/index.html"),
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>Ligne de commande</title>\n<link rel=\"canonical\" href=\"../outils/ligne-de-commande/index.html\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url=../outils/ligne-de-commande/index.html\">\n</head>\n<body>\n<p>Cette page a déménagé : <a href=\"../outils/ligne-de-commande/index.html\">Ligne de commande</a></p>\n</body>\n</html>\n"
    );
    let guide = read(&site, "ancien/guide.html");
    assert!(
        guide.contains("<meta http-equiv=\"refresh\" content=\"0; url=../outils/ligne-de-commande/index.html\">"),
        "{guide}"
    );
    // Redirects are not pages: not in the sitemap, not in the search index.
    assert!(!read(&site, "sitemap.xml").contains("commandline"));
}

#[test]
fn with_a_base_url_the_canonical_link_is_absolute_and_the_redirect_goes_by_its_path() {
    let site = demo_site("Bonjour.\n");
    site.write(
        "guichet.yaml",
        "title: Démo\nbase_url: https://example.org/kb/\n",
    );
    build(&BuildOptions::new(&site.root)).unwrap();
    let html = read(&site, "commandline/index.html");
    assert!(
        html.contains(
            "<link rel=\"canonical\" href=\"https://example.org/kb/outils/ligne-de-commande/\">"
        ),
        "{html}"
    );
    assert!(
        html.contains("content=\"0; url=/kb/outils/ligne-de-commande/\""),
        "{html}"
    );
}

#[test]
fn two_pages_claiming_one_old_url_is_an_error_naming_both() {
    let site = demo_site("Bonjour.\n");
    site.write(
        "content/outils/sauvegarde.md",
        "---\ntitle: Sauvegarde\naliases:\n  - /borg\n  - /commandline/\n---\n",
    );
    assert_eq!(
        build_errors(&site),
        [
            "content/outils/sauvegarde.md:5:5: error: two pages claim the old URL /commandline/: this one and content/outils/ligne-de-commande.md (line 3)"
        ]
    );
}

#[test]
fn an_alias_must_be_a_free_root_absolute_path() {
    let site = demo_site("Bonjour.\n");
    site.write(
        "content/outils/sauvegarde.md",
        "---\ntitle: Sauvegarde\naliases: [borg, /outils/ligne-de-commande, /search]\n---\n",
    );
    assert_eq!(
        build_errors(&site),
        [
            "content/outils/sauvegarde.md:3:11: error: alias `borg`: an alias starts with `/` (it is a path from the site's root)",
            "content/outils/sauvegarde.md:3:17: error: the alias `/outils/ligne-de-commande` names an existing page: it is the URL of content/outils/ligne-de-commande.md",
        ]
    );
    site.write(
        "content/outils/sauvegarde.md",
        "---\ntitle: Sauvegarde\naliases: [/search]\n---\n",
    );
    assert_eq!(
        build_errors(&site),
        [
            "content/outils/sauvegarde.md:3:11: error: the alias `/search/` cannot be written: the build writes /search/ itself"
        ]
    );
}

#[test]
fn root_absolute_links_resolve_by_url_and_by_alias() {
    let site = demo_site(
        "Voir [le terminal](/outils/ligne-de-commande/#ouvrir-un-terminal), [l'ancien](/commandline), [le guide](/ancien/guide.html) et [l'accueil](/).\n",
    );
    build(&BuildOptions::new(&site.root)).unwrap();
    let html = read(&site, "index.html");
    for href in [
        "./outils/ligne-de-commande/index.html#ouvrir-un-terminal",
        "./outils/ligne-de-commande/index.html\">l’ancien",
        "./outils/ligne-de-commande/index.html\">le guide",
        "./index.html\">l’accueil",
    ] {
        assert!(html.contains(&format!("href=\"{href}")), "{href} in {html}");
    }
}

#[test]
fn a_root_absolute_link_to_nothing_suggests_the_closest_page() {
    let site = demo_site("Voir [la sauvegarde](/outils/sauvegard/).\n");
    let errors = build(&BuildOptions::new(&site.root)).unwrap_err().0;
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].headline(),
        "content/_index.md:4:6: error: link to `/outils/sauvegard/`: no page, old URL (`aliases:`) or file of the site has this URL"
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some(
            "the closest page is `/outils/sauvegarde/` (content/outils/sauvegarde.md): link to it by its URL, or add `aliases: [/outils/sauvegard]` to its front matter"
        )
    );
    // An anchor checked on the page found by an old URL.
    let other = demo_site("[x](/commandline#absent)\n");
    let errors = build_errors(&other);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("content/_index.md:4:1: error:"),
        "{errors:?}"
    );
    assert!(errors[0].contains("absent"), "{errors:?}");
}

#[test]
fn a_browser_following_an_old_url_of_a_sub_path_deploy_lands_on_the_page() {
    let Some(browser) = chromium() else { return };
    let site = demo_site("Bonjour.\n");
    site.write(
        "guichet.yaml",
        "title: Démo\nbase_url: https://example.org/kb/\n",
    );
    // Deployed under /kb/: the server's root holds the site in a sub-folder.
    let out = site.root.join("www/kb");
    build(&BuildOptions {
        out: Some(out),
        ..BuildOptions::new(&site.root)
    })
    .unwrap();
    let base = serve(site.root.join("www"));
    for old in ["kb/commandline", "kb/commandline/", "kb/ancien/guide.html"] {
        let dom = dump_dom(
            &browser,
            &format!("{base}{old}"),
            View {
                width: 1280,
                dark: false,
            },
        );
        assert!(
            dom.contains("<h1")
                && dom.contains("Ligne de commande</h1>")
                && dom.contains("id=\"ouvrir-un-terminal\""),
            "{old} did not land on the page: {dom}"
        );
    }
}
