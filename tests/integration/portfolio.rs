//! The E4 portfolio: completeness warnings naming each gap at its line, errors for unknown
//! `document:` and `answers:` values, the demo complete with every question answered, the
//! checklist and the "Préparer l'oral" page, the `portfolio` rule of `guichet check`, and a
//! document printed to PDF by headless Chromium, read back with poppler's tools.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{TempSite, build_errors, chromium, repo, runs, skip_without};
use guichet::build::{BuildOptions, build};
use guichet::check::{CheckOptions, check};

/// The headlines of a successful build's warnings.
fn warnings(site: &TempSite) -> Vec<String> {
    build(&BuildOptions::new(&site.root))
        .unwrap_or_else(|e| panic!("{e:?}"))
        .warnings
        .iter()
        .map(|d| d.headline())
        .collect()
}

/// The demo with `edit` applied to one of its pages.
fn demo_with(page: &str, edit: impl Fn(String) -> String) -> TempSite {
    let site = TempSite::demo();
    let path = site.root.join(page);
    let text = fs::read_to_string(&path).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changed {page}");
    fs::write(&path, edited).unwrap();
    site
}

#[test]
fn the_demo_portfolio_is_complete_and_answers_every_question() {
    let site = TempSite::demo();
    assert_eq!(warnings(&site), Vec::<String>::new());
    let oral = fs::read_to_string(site.out().join("portfolio/oral/index.html")).unwrap();
    assert!(oral.contains("<title>Préparer l&#39;oral · "), "{oral}");
    assert_eq!(
        oral.matches("class=\"oral-question oral-answered\"")
            .count(),
        9
    );
    assert_eq!(oral.matches("oral-unanswered").count(), 0);
    // Printed, its title block names the portfolio's author and organisation.
    assert!(oral.contains("<p class=\"tb-organisation\">Les Ateliers Morel</p>"));
    assert!(oral.contains("<dd>Lucas Martin</dd>"));
    assert!(oral.contains("<strong>9 questions sur 9 ont une réponse.</strong>"));
    // Each question in French, its English version under it, and its answering pages.
    let sla = &oral[oral.find("id=\"sla\"").unwrap()..];
    let sla = &sla[..sla.find("</li>\n</ul>").unwrap()];
    assert!(
        sla.contains("<h2>Un SLA est-il instauré\u{202f}?</h2>"),
        "{sla}"
    );
    assert!(sla.contains("<p class=\"oral-translation\" lang=\"en\">Is there a service level agreement (SLA)?</p>"), "{sla}");
    assert!(sla.contains("<a href=\"../../portfolio/logigramme/index.html\">Logigramme du cycle de vie d&#39;un ticket</a> <span class=\"badge\">Schéma du cycle de vie du ticket et explications</span>"), "{sla}");
    // The index's checklist: eight documents present, with their version and date.
    let index = fs::read_to_string(site.out().join("portfolio/index.html")).unwrap();
    assert_eq!(index.matches("<tr class=\"document-present\">").count(), 8);
    assert!(
        index.contains("<td>2.0</td><td><time datetime=\"2026-04-03\">3 avril 2026</time></td>")
    );
    assert!(index.contains(
        "<a href=\"../portfolio/oral/index.html\">Préparer l'oral</a> — 9 questions sur 9 ont une réponse."
    ));
}

#[test]
fn a_missing_document_and_an_unanswered_question_get_a_warning_naming_each() {
    let site = demo_with("content/portfolio/tests.md", |t| {
        t.replace("document: tests\n", "")
    });
    // The two pages that answer `kpi` no longer say so.
    for (page, from, to) in [
        ("indicateurs.md", "answers: [kpi]\n", ""),
        (
            "bilan.md",
            "fermeture-ticket, kpi, communication]",
            "fermeture-ticket, communication]",
        ),
    ] {
        let path = site.root.join("content/portfolio").join(page);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{page}");
        fs::write(&path, text.replace(from, to)).unwrap();
    }
    assert_eq!(
        warnings(&site),
        [
            "content/portfolio/_index.md:6:7: warning: the jury's question `kpi` has no answer: « Quel est le KPI le plus efficace pour évaluer le niveau du service support\u{202f}? »",
            "content/portfolio/_index.md:6:7: warning: the portfolio has no document « Tests et ticket de test » (`document: tests`)",
        ]
    );
    let oral = fs::read_to_string(site.out().join("portfolio/oral/index.html")).unwrap();
    assert!(oral.contains("<li class=\"oral-question oral-unanswered\" id=\"kpi\">"));
    assert!(oral.contains(
        "✗ Sans réponse</span> — ajoutez answers: [kpi] à l&#39;en-tête de la page qui y répond."
    ));
    assert!(oral.contains("<strong>8 questions sur 9 ont une réponse.</strong>"));
    let index = fs::read_to_string(site.out().join("portfolio/index.html")).unwrap();
    assert!(index.contains("<tr class=\"document-missing\"><th scope=\"row\">Tests et ticket de test</th><td>—</td><td><span class=\"status status-missing\">✗ Manquant</span>"));
}

#[test]
fn a_lifecycle_without_diagram_or_explanation_and_a_topology_without_ip_plan_are_named() {
    let site = demo_with("content/portfolio/logigramme.md", |t| {
        // Keep the front matter, one sentence and the headings (other pages link to them):
        // no diagram, no explanation.
        let end = t.find("\n---\n").unwrap() + 5;
        let headings: Vec<&str> = t[end..].lines().filter(|l| l.starts_with('#')).collect();
        format!(
            "{}Le cycle de vie d'un incident.\n\n{}\n",
            &t[..end],
            headings.join("\n\n")
        )
    });
    let topology = site.root.join("content/portfolio/topologie.md");
    let text = fs::read_to_string(&topology).unwrap();
    fs::write(
        &topology,
        text.replace("```topologie reseau.yaml\n```\n", ""),
    )
    .unwrap();
    let found = warnings(&site);
    assert_eq!(
        found,
        [
            "content/portfolio/logigramme.md:8:11: warning: the life-cycle document explains its diagram in 6 words",
            "content/portfolio/logigramme.md:8:11: warning: the life-cycle document has no diagram",
            "content/portfolio/topologie.md:8:11: warning: the topology has no IP plan",
        ],
        "{found:#?}"
    );
}

#[test]
fn ticket_examples_must_differ_by_type_or_level() {
    // Two incidents solved at N1: two examples, but alike.
    let alike = "Voir [#111](../tickets/111-ticket-de-test-e4.md) et [#105](../tickets/105-bourrage-imprimante-be.md#symptomes).\n";
    let site = demo_with("content/portfolio/exemples-tickets.md", |t| {
        format!(
            "{}{alike}",
            &t[..t.find("## Les fiches complètes").unwrap()]
        )
    });
    assert_eq!(
        warnings(&site),
        [
            "content/portfolio/_index.md:6:7: warning: the portfolio shows 2 ticket example(s): it needs at least two of different type or level"
        ]
    );
    // An incident escalated to N2 makes the difference.
    let page = site.root.join("content/portfolio/exemples-tickets.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(
        &page,
        format!("{text}\nEt [#103](../tickets/103-wifi-atelier-escalade-n2.md).\n"),
    )
    .unwrap();
    assert_eq!(warnings(&site), Vec::<String>::new());
}

#[test]
fn unknown_documents_and_questions_are_errors_at_their_value() {
    let site = TempSite::new(&[
        ("guichet.yaml", "title: Portfolio\n"),
        (
            "content/_index.md",
            "---\ntitle: Accueil\nkind: portfolio\n---\n",
        ),
        (
            "content/p.md",
            "---\ntitle: P\ndocument: logigramme\nanswers: [sla, salaire]\n---\nTexte.\n",
        ),
        (
            "content/autre/_index.md",
            "---\ntitle: Autre\nkind: portfolio\n---\n",
        ),
        ("content/oral.md", "---\ntitle: Oral\n---\n"),
    ]);
    assert_eq!(
        build_errors(&site),
        [
            "content/autre/_index.md:3:7: error: a site has one portfolio, and content/_index.md already says `kind: portfolio`",
            "content/oral.md:1:1: error: this page has the URL /oral/, where guichet writes the portfolio's \"Préparer l'oral\" page",
            "content/p.md:3:11: error: unknown document `logigramme`",
            "content/p.md:4:16: error: unknown jury question `salaire`",
        ]
    );
}

#[test]
fn check_reports_the_gaps_under_its_portfolio_rule_which_guichet_yaml_turns_off() {
    let site = demo_with("content/portfolio/tests.md", |t| {
        t.replace("document: tests\n", "")
    });
    let options = CheckOptions {
        dictionaries: site.root.join("no-dictionaries"),
        ..CheckOptions::new(&site.root)
    };
    let found: Vec<String> = check(&options)
        .findings
        .iter()
        .filter(|f| f.rule != Some("spelling"))
        .map(|f| f.headline())
        .collect();
    assert_eq!(
        found,
        [
            "content/portfolio/_index.md:6:7: warning[portfolio]: the portfolio has no document « Tests et ticket de test » (`document: tests`)"
        ]
    );
    let config = fs::read_to_string(site.root.join("guichet.yaml")).unwrap();
    site.write(
        "guichet.yaml",
        &config.replacen("check:\n", "check:\n  portfolio: false\n", 1),
    );
    assert_eq!(warnings(&site), Vec::<String>::new());
    assert!(
        check(&options)
            .findings
            .iter()
            .all(|f| f.rule != Some("portfolio"))
    );
}

/// pdftotext and pdfinfo (Debian's poppler-utils), or None after [`skip_without`].
fn poppler() -> Option<()> {
    if runs("pdftotext", &["-v"]) && runs("pdfinfo", &["-v"]) {
        Some(())
    } else {
        skip_without("pdftotext and pdfinfo (poppler-utils)");
        None
    }
}

/// Prints `page` (a file of the built site) to PDF with headless Chromium, without the
/// browser's own header and footer, as a student's "Save as PDF" does.
fn print_to_pdf(browser: &Path, page: &Path, pdf: &Path) {
    let profile = TempSite::new(&[]);
    fs::create_dir_all(&profile.root).unwrap();
    let status = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            "--timeout=30000",
        ])
        .arg(format!("--user-data-dir={}", profile.root.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(pdf.is_file(), "{}", String::from_utf8_lossy(&status.stderr));
}

fn poppler_output(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap();
    assert!(out.status.success(), "{program} {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_printed_document_has_its_title_block_page_numbers_and_no_navigation() {
    let (Some(browser), Some(())) = (chromium(), poppler()) else {
        return;
    };
    let site = TempSite::demo();
    build(&BuildOptions::new(&site.root)).unwrap();
    let pdf = site.root.join("logigramme.pdf");
    print_to_pdf(
        &browser,
        &site.out().join("portfolio/logigramme/index.html"),
        &pdf,
    );
    let pdf = pdf.to_str().unwrap();
    let info = poppler_output("pdfinfo", &[pdf]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(info.contains("(A4)"), "{info}");
    assert!(pages >= 3, "{pages} pages");
    let text = poppler_output("pdftotext", &["-layout", pdf, "-"]);
    let sheets: Vec<&str> = text
        .split('\u{c}')
        .filter(|s| !s.trim().is_empty())
        .collect();
    assert_eq!(sheets.len(), pages);
    let first = sheets[0];
    // The title block: organisation, document kind, title, authors, version, date.
    for expected in [
        "LES ATELIERS MOREL",
        "Schéma du cycle de vie du ticket et explications",
        "Logigramme du cycle de vie d'un",
        "AUTEURS",
        "Lucas Martin",
        "VERSION",
        "2.0",
        "3 avril 2026",
        "Sur cette page",
        "1. Les symboles utilisés",
    ] {
        assert!(
            first.contains(expected),
            "{expected:?} on the first page:\n{first}"
        );
    }
    // Every sheet: the title in the running header, "Page X / N" in the footer.
    for (i, sheet) in sheets.iter().enumerate() {
        let head = sheet.lines().find(|l| !l.trim().is_empty()).unwrap();
        assert!(
            head.starts_with("Logigramme du cycle de vie d'un ticket"),
            "{head}"
        );
        assert!(head.trim_end().ends_with("Les Ateliers Morel"), "{head}");
        let foot = sheet.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
        assert!(
            foot.trim_end()
                .ends_with(&format!("Page {} / {pages}", i + 1)),
            "{foot}"
        );
        assert!(foot.contains("Version 2.0 · 3 avril 2026"), "{foot}");
    }
    // No navigation, search or footer of the site.
    for chrome in [
        "Aller au contenu",
        "Rechercher",
        "Base de connaissances",
        "Flux Atom",
        "Site généré par guichet",
        "Version imprimable",
        "Imprimer ou enregistrer en PDF",
        "Précédent",
        "index.html",
    ] {
        assert!(!text.contains(chrome), "{chrome:?} printed");
    }
}

#[test]
fn the_starter_portfolio_declares_its_documents_and_answers_every_question() {
    let site = TempSite::new(&[]);
    guichet::init::init(&guichet::init::InitOptions {
        translations: Vec::new(),
        dir: site.root.clone(),
        language: guichet::language::Language::En,
        kind: guichet::init::SiteKind::Portfolio,
        force: false,
    })
    .unwrap();
    assert_eq!(warnings(&site), Vec::<String>::new());
    let oral = fs::read_to_string(site.out().join("oral/index.html")).unwrap();
    assert!(oral.contains("<strong>9 of 9 questions have an answer.</strong>"));
    assert!(
        oral.contains(
            "<p class=\"oral-translation\" lang=\"fr\">Un SLA est-il instauré\u{202f}?</p>"
        )
    );
    let home = fs::read_to_string(site.out().join("index.html")).unwrap();
    assert_eq!(home.matches("<tr class=\"document-present\">").count(), 8);
    assert!(repo("README.md").is_file());
}
