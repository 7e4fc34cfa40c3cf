//! `guichet import glpi`: each fixture kind (CSV in French and English, both encodings; API
//! v1 JSON of each kind; GLPI 11's high-level API; a history; KB articles; hostile HTML)
//! imports to the expected files in a copy of the demo, which then builds; re-imports keep
//! edited files; --anonymise leaves no personal data; live mode pages through a local server.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

use crate::common::{TempSite, repo};

const FIXTURES: &str = "tests/fixtures/import/glpi";

/// A folder holding copies of the named fixtures (a folder is one import source).
fn source(site: &TempSite, names: &[&str]) -> PathBuf {
    let dir = site.root.join("export");
    fs::create_dir_all(&dir).unwrap();
    for name in names {
        fs::copy(repo(FIXTURES).join(name), dir.join(name)).unwrap();
    }
    dir
}

/// Runs `guichet import glpi ARGS` in `site`, with the pseudonym key of the tests.
fn import(site: &TempSite, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guichet"))
        .current_dir(&site.root)
        .env("GUICHET_ANONYMISE_KEY", "clé de test des pseudonymes, 32+")
        .args(["import", "glpi"])
        .args(args)
        .output()
        .unwrap()
}

fn ok(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "import failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn read(site: &TempSite, rel: &str) -> String {
    fs::read_to_string(site.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The text without its `imported:` stamp line (its hash changes with any byte).
fn unstamped(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("imported: "))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn builds(site: &TempSite) {
    let report = guichet::build::build(&guichet::build::BuildOptions::new(&site.root));
    if let Err(d) = report {
        panic!(
            "{}",
            d.0.iter()
                .map(|d| d.headline())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

fn ticket_files(site: &TempSite) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(site.root.join("content/tickets"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.chars().next().is_some_and(|c| c.is_ascii_digit())
                && n.len() > 8
                && n[..4].parse::<u32>().is_ok_and(|id| id >= 4000)
        })
        .collect();
    names.sort();
    names
}

#[test]
fn a_french_csv_with_its_history_imports_and_the_site_builds() {
    let site = TempSite::demo();
    let src = source(&site, &["tickets-fr.csv", "history-4012.csv"]);
    let stdout = ok(&import(&site, &[src.to_str().unwrap()]));
    assert_eq!(
        ticket_files(&site),
        [
            "4012-imprimante-du-bureau-d-etudes-bourrages-repetes.md",
            "4013-acces-vpn-refuse-depuis-le-portable-de-sophie.md",
            "4014-demande-de-creation-de-compte-pour-un-nouvel-arrivant.md",
        ]
    );
    assert_eq!(
        unstamped(&read(
            &site,
            "content/tickets/4012-imprimante-du-bureau-d-etudes-bourrages-repetes.md"
        )),
        "---\nid: 4012\nname: \"Imprimante du bureau d'études : bourrages répétés\"\ntype: incident\n\
         category: \"Impression > Imprimante\"\nurgency: 2\nimpact: 3\npriority: 3\nstatus: closed\n\
         requesttype: email\ndate: 2025-09-18 11:20\nsolvedate: 2025-09-18 14:30\nclosedate: 2025-09-19 08:15\n\
         history:\n  - {date: 2025-09-18 11:20, status: new}\n  - {date: 2025-09-18 13:45, status: assigned}\n\
         \x20 - {date: 2025-09-18 13:50, status: waiting}\n  - {date: 2025-09-18 14:30, status: solved}\n\
         \x20 - {date: 2025-09-19 08:15, status: closed}\n---\n\n*Demandeur : Julie Martin · Attribué à : Karim Haddad*\n\n\
         ## Symptômes\n\nBonjour,\\\nL'imprimante HP du BE bourre à chaque impression A3.\\\n\
         Merci de rappeler Julie Martin au 06 12 34 56 78 ou julie.martin@ateliers-morel.fr\n\n\
         ## Résolution\n\nRouleau d'entraînement du bac 2 remplacé ; 50 pages A3 imprimées sans bourrage.\n"
    );
    let vpn = read(
        &site,
        "content/tickets/4013-acces-vpn-refuse-depuis-le-portable-de-sophie.md",
    );
    assert!(
        vpn.contains("\nstatus: solved\n") && vpn.contains("\nsolvedate: 2025-09-22 09:40\n"),
        "{vpn}"
    );
    assert!(
        vpn.contains(
            "*Demandeur : Sophie Lefèvre · Attribué à : Karim Haddad · Observateur : Thomas Girard*"
        ),
        "{vpn}"
    );
    // The rows that cannot become write-ups are listed with their line and why.
    assert!(
        stdout.contains("tickets-fr.csv: line 10: status `Perdu` is not one of GLPI's statuses"),
        "{stdout}"
    );
    assert!(
        stdout.contains("tickets-fr.csv, line 11): status solved without a resolution date"),
        "{stdout}"
    );
    assert!(stdout.contains("tickets: 3 created, 0 updated, 0 unchanged, 0 skipped (edited by hand), 0 overwritten; articles: 0 created"), "{stdout}");
    let stderr =
        String::from_utf8_lossy(&import(&site, &["--dry-run", src.to_str().unwrap()]).stderr)
            .to_string();
    // The unknown column is reported once, and the personal data is warned about.
    assert_eq!(
        stderr.matches("column `Entité` is not imported").count(),
        1,
        "{stderr}"
    );
    assert_eq!(
        stderr
            .matches("column `Dernière modification` is not imported")
            .count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("warning: the imported text holds 1 e-mail address(es), 2 phone number(s) and 1 password or token value(s)"), "{stderr}");
    builds(&site);
    // The history feeds the KPIs: 40 minutes pending.
    let page = fs::read_to_string(
        site.out()
            .join("tickets/4012-imprimante-du-bureau-d-etudes-bourrages-repetes/index.html"),
    )
    .unwrap();
    assert!(
        page.contains("En attente"),
        "the history is shown on the page"
    );
}

#[test]
fn an_english_windows_1252_csv_imports_with_month_first_dates() {
    let site = TempSite::demo();
    let src = source(&site, &["tickets-en-cp1252.csv"]);
    let out = import(
        &site,
        &[src.join("tickets-en-cp1252.csv").to_str().unwrap()],
    );
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("read as Windows-1252"));
    let outlook = read(
        &site,
        "content/tickets/5001-outlook-crashes-when-opening-the-shared-mailbox.md",
    );
    for line in [
        "type: incident\n",
        "category: \"Software > Messaging\"\n",
        "urgency: 4\n",
        "impact: 3\n",
        "priority: 4\n",
        "status: closed\n",
        "requesttype: phone\n",
        "date: 2025-09-23 09:15\n",
        "solvedate: 2025-09-23 11:45\n",
        "closedate: 2025-09-24 08:00\n",
        "Outlook closes at once on the « Orders » mailbox.",
    ] {
        assert!(outlook.contains(line), "{line:?} not in\n{outlook}");
    }
    let screen = read(
        &site,
        "content/tickets/5002-second-screen-request-for-accounting.md",
    );
    assert!(
        screen.contains("type: demande\n")
            && screen.contains("status: planned\n")
            && screen.contains("requesttype: direct\n"),
        "{screen}"
    );
    assert!(
        screen.contains("A 24-inch screen for the accounting desk (budget 180 €), déjà validé."),
        "{screen}"
    );
    builds(&site);
}

#[test]
fn api_json_of_each_kind_imports_with_timeline_solution_actors_and_history() {
    let site = TempSite::demo();
    let src = source(
        &site,
        &[
            "api-v1-tickets.json",
            "api-v1-followups.json",
            "api-v1-tasks.json",
            "api-v1-solutions.json",
            "api-v1-logs.json",
            "api-v1-ticket-users.json",
            "api-v1-search.json",
            "hlapi-tickets.json",
            "hlapi-timeline.json",
        ],
    );
    ok(&import(&site, &[src.to_str().unwrap()]));
    assert_eq!(
        unstamped(&read(
            &site,
            "content/tickets/6001-poste-de-la-comptabilite-ecran-noir-au-demarrage.md"
        )),
        "---\nid: 6001\nname: \"Poste de la comptabilité : écran noir au démarrage\"\ntype: incident\n\
         category: \"Matériel > Poste de travail\"\nurgency: 4\nimpact: 3\npriority: 4\nstatus: closed\n\
         requesttype: phone\ndate: 2025-10-06 08:30\ntakeintoaccountdate: 2025-10-06 08:45\n\
         solvedate: 2025-10-07 16:00\nclosedate: 2025-10-08 09:00\ntime_to_own: 2025-10-06 10:30\n\
         time_to_resolve: 2025-10-07 18:00\nwaiting_duration: 3600\nhistory:\n\
         \x20 - {date: 2025-10-06 08:30, status: new}\n  - {date: 2025-10-06 08:45, status: assigned}\n\
         \x20 - {date: 2025-10-07 14:00, status: waiting}\n  - {date: 2025-10-07 16:00, status: solved}\n\
         \x20 - {date: 2025-10-08 09:00, status: closed}\n---\n\n\
         *Demandeur : Claire Fontaine · Attribué à : Karim Haddad*\n\n## Symptômes\n\n\
         Le poste de **Claire Fontaine** reste sur un écran noir après le logo.\n\n- testé sur deux prises\n- câble HDMI changé\n\n\
         ## Diagnostic\n\n### Suivi du 2025-10-06 09:10\n\n\
         Écran testé sur un autre poste : il fonctionne. La carte graphique est en cause.\n\n\
         ### Tâche du 2025-10-07 15:00\n\nRemplacement de la carte graphique (GT 1030) et mise à jour du pilote.\n\n\
         ## Résolution\n\nCarte graphique remplacée ; l'écran s'allume dès le démarrage.\n"
    );
    let erp = read(
        &site,
        "content/tickets/6002-lenteurs-de-l-erp-en-production.md",
    );
    assert!(erp.contains("history:\n  - {date: 2025-10-09 10:00, status: new}\n  - {date: 2025-10-09 10:20, status: assigned}\n  - {date: 2025-10-09 11:00, status: waiting}\n"), "{erp}");
    // GLPI 10's entity-encoded HTML is decoded once, then converted.
    assert!(
        erp.contains("L'ERP met 30 s à ouvrir un ordre de fabrication.\n\nContact : Thomas Girard"),
        "{erp}"
    );
    assert!(
        erp.contains("*Demandeur : Thomas Girard · Observateur : Élodie Roussel*"),
        "{erp}"
    );
    let badge = read(
        &site,
        "content/tickets/6101-badge-d-acces-refuse-a-l-entree-de-l-atelier.md",
    );
    for line in [
        "type: demande\n",
        "status: solved\n",
        "category: \"Sécurité > Badges\"\n",
        "date: 2025-10-10 07:50\n",
        "Attribué à : Karim Haddad, Élodie Roussel",
        "## Résolution\n\nBadge réencodé au poste de garde.\n",
    ] {
        assert!(badge.contains(line), "{line:?} not in\n{badge}");
    }
    let wifi = read(
        &site,
        "content/tickets/7001-wi-fi-invite-indisponible-en-salle-de-reunion.md",
    );
    for line in [
        "category: \"Wi-Fi\"\n",
        "status: solved\n",
        "solvedate: 2025-10-13 11:00\n",
        "requesttype: helpdesk\n",
        "*Demandeur : Marc Dubois · Attribué à : Karim Haddad*",
        "### Suivi du 2025-10-13 10:30\n\nBorne de la salle redémarrée",
        "## Résolution\n\nDiffusion du SSID invité réactivée sur la borne AP-REU-01.\n",
    ] {
        assert!(wifi.contains(line), "{line:?} not in\n{wifi}");
    }
    // The private follow-up and the refused solution are not published.
    let all: String = ticket_files(&site)
        .iter()
        .map(|f| read(&site, &format!("content/tickets/{f}")))
        .collect();
    assert!(!all.contains("Note interne") && !all.contains("Redémarrage proposé"));
    builds(&site);
}

#[test]
fn knowledge_base_articles_become_pages() {
    let site = TempSite::demo();
    let src = source(&site, &["kb.json"]);
    ok(&import(&site, &[src.to_str().unwrap()]));
    assert_eq!(
        unstamped(&read(
            &site,
            "content/kb/31-reinitialiser-son-mot-de-passe-windows.md"
        )),
        "---\ntitle: \"Réinitialiser son mot de passe Windows\"\ncategory: \"Comptes > Mots de passe\"\ndate: 2025-09-15\ntags: [FAQ]\n---\n\n\
         Depuis l'écran de connexion, cliquez sur **Mot de passe oublié**.\n\n1. Répondez aux questions.\n2. Choisissez un nouveau mot de passe.\n"
    );
    let mfa = read(
        &site,
        "content/kb/32-configurer-la-double-authentification.md",
    );
    assert!(mfa.contains("| Étape        | Durée |\n| ------------ | ----- |\n| Installation | 2 min |\n| Scan         | 1 min |\n"), "{mfa}");
    assert!(mfa.contains("```\nmfa enroll --user jdoe\n```"), "{mfa}");
    builds(&site);
    assert!(
        site.out()
            .join("kb/31-reinitialiser-son-mot-de-passe-windows/index.html")
            .is_file()
    );
}

#[test]
fn a_second_import_changes_nothing_and_an_edited_file_survives() {
    let site = TempSite::demo();
    let src = source(&site, &["tickets-fr.csv", "kb.json"]);
    let src = src.to_str().unwrap();
    ok(&import(&site, &[src]));
    let second = ok(&import(&site, &[src]));
    assert!(second.contains("tickets: 0 created, 0 updated, 3 unchanged, 0 skipped (edited by hand), 0 overwritten; articles: 0 created, 0 updated, 2 unchanged"), "{second}");
    let edited = "content/tickets/4014-demande-de-creation-de-compte-pour-un-nouvel-arrivant.md";
    let text = read(&site, edited).replace("Prévoir", "Prévoir (vérifié par téléphone)");
    site.write(edited, &text);
    let dry = ok(&import(&site, &["--dry-run", src]));
    assert!(
        dry.contains(&format!(
            "ticket skipped, edited by hand since the last import (--force overwrites it): {edited}"
        )),
        "{dry}"
    );
    assert!(
        dry.contains(
            "dry run, nothing written; tickets: 0 created, 0 updated, 2 unchanged, 1 skipped"
        ),
        "{dry}"
    );
    let third = ok(&import(&site, &[src]));
    assert!(third.contains("2 unchanged, 1 skipped"), "{third}");
    assert_eq!(read(&site, edited), text);
    let forced = ok(&import(&site, &["--force", src]));
    assert!(
        forced.contains(&format!("ticket overwritten: {edited}")),
        "{forced}"
    );
    assert!(!read(&site, edited).contains("vérifié par téléphone"));
}

#[test]
fn a_dry_run_writes_nothing() {
    let site = TempSite::demo();
    let src = source(&site, &["tickets-fr.csv"]);
    let before = crate::common::snapshot(&site.root.join("content"));
    let out = ok(&import(&site, &["--dry-run", src.to_str().unwrap()]));
    assert!(out.contains("ticket would be created: content/tickets/4012-imprimante-du-bureau-d-etudes-bourrages-repetes.md"), "{out}");
    assert_eq!(crate::common::snapshot(&site.root.join("content")), before);
}

/// Every name, e-mail address, phone number and password of the fixtures.
const PERSONAL: &[&str] = &[
    "Julie",
    "Martin",
    "Karim",
    "Haddad",
    "Sophie",
    "Lefèvre",
    "Thomas",
    "Girard",
    "Élodie",
    "Roussel",
    "Marc Dubois",
    "Dubois",
    "Claire Fontaine",
    "Fontaine",
    "julie.martin@ateliers-morel.fr",
    "claire.fontaine@ateliers-morel.fr",
    "thomas.girard@ateliers-morel.fr",
    "06 12 34 56 78",
    "+33 1 23 45 67 89",
    "01.45.67.89.10",
    "Hiver2025",
];

#[test]
fn anonymise_leaves_no_name_email_phone_or_password() {
    let site = TempSite::demo();
    let all: Vec<String> = fs::read_dir(repo(FIXTURES))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("not-glpi"))
        .collect();
    let names: Vec<&str> = all.iter().map(String::as_str).collect();
    let src = source(&site, &names);
    let out = import(&site, &["--anonymise", src.to_str().unwrap()]);
    ok(&out);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning: the imported text holds"));
    let mut written = String::new();
    for dir in ["content/tickets", "content/kb"] {
        for e in fs::read_dir(site.root.join(dir)).unwrap().flatten() {
            let text = fs::read_to_string(e.path()).unwrap();
            if text.contains("\nimported: ") {
                written.push_str(&text);
            }
        }
    }
    assert!(written.len() > 5000, "the import wrote the fixtures");
    for personal in PERSONAL {
        assert!(
            !written.contains(personal),
            "`{personal}` is in the anonymised output"
        );
    }
    assert!(
        written.contains("[courriel masqué]")
            && written.contains("[téléphone masqué]")
            && written.contains("[secret masqué]")
    );
    // The same person keeps the same pseudonym in every ticket and at every import.
    let karim = pseudonym_of(
        &read(
            &site,
            "content/tickets/4012-imprimante-du-bureau-d-etudes-bourrages-repetes.md",
        ),
        "Attribué à",
    );
    let again = pseudonym_of(
        &read(
            &site,
            "content/tickets/6001-poste-de-la-comptabilite-ecran-noir-au-demarrage.md",
        ),
        "Attribué à",
    );
    assert_eq!(karim, again);
    assert!(karim.starts_with("Personne "), "{karim}");
    builds(&site);
}

fn pseudonym_of(text: &str, role: &str) -> String {
    let at = text.find(&format!("{role} : ")).unwrap() + role.len() + 3;
    text[at..at + "Personne ABCDE".len()].to_string()
}

#[test]
fn a_file_that_is_not_a_glpi_export_fails_at_once() {
    let site = TempSite::demo();
    let src = source(&site, &["not-glpi.csv", "not-glpi.json"]);
    let before = crate::common::snapshot(&site.root.join("content"));
    for (file, message) in [
        (
            "not-glpi.csv",
            "not-glpi.csv:1:1: error: this is not a GLPI ticket export",
        ),
        (
            "not-glpi.json",
            "not-glpi.json: error: not a GLPI API answer",
        ),
    ] {
        let out = import(&site, &[src.join(file).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{stderr}");
        assert!(stderr.contains("nothing imported"), "{stderr}");
    }
    let broken = site.root.join("broken.json");
    fs::write(&broken, "[{\"id\": 1,\n  \"name\": }]").unwrap();
    let stderr = String::from_utf8_lossy(&import(&site, &["broken.json"]).stderr).to_string();
    assert!(
        stderr.contains("broken.json:2:11: error: not valid JSON"),
        "{stderr}"
    );
    assert_eq!(crate::common::snapshot(&site.root.join("content")), before);
}

#[test]
fn hostile_content_comes_out_inert_and_no_script_runs_in_chromium() {
    let site = TempSite::demo();
    let src = source(&site, &["hostile.json"]);
    ok(&import(&site, &[src.to_str().unwrap()]));
    builds(&site);
    let pages = [
        "tickets/8001-script-document-documentelement-setattribute-data-pwned-20/index.html",
        "tickets/8002-contenu-encode-glpi-10/index.html",
        "kb/81-article-piege-x-javascript-alert-1/index.html",
    ];
    for page in pages {
        let html =
            fs::read_to_string(site.out().join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
        for bad in [
            "<script",
            "href=\"javascript:",
            "src=\"javascript:",
            "onerror=",
            "onmouseover=",
            "onload=",
            "<iframe",
            "<form",
            "<svg",
            "<object",
            "<embed",
            "<style",
            "expression(",
        ] {
            assert!(
                !main.to_lowercase().contains(bad),
                "{bad} in {page}:\n{main}"
            );
        }
    }
    let Some(browser) = crate::common::chromium() else {
        return;
    };
    let base = crate::common::browser::serve(site.out());
    for page in pages {
        let dom = crate::common::browser::dump_dom(
            &browser,
            &format!("{base}{}", page.trim_end_matches("index.html")),
            crate::common::browser::View {
                width: 1280,
                dark: false,
            },
        );
        let html_tag = &dom[dom.find("<html").unwrap()..];
        let html_tag = &html_tag[..html_tag.find('>').unwrap()];
        assert!(dom.contains("</main>"), "{page} did not load");
        assert!(
            !html_tag.contains("data-pwned"),
            "a script ran on {page}: {html_tag}"
        );
    }
}

/// A local GLPI that answers with the documented shapes of API v1, and remembers the
/// requests it got.
fn fake_glpi(tickets: usize) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let base = format!(
        "http://{}/apirest.php",
        server.server_addr().to_ip().unwrap()
    );
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let url = request.url().to_string();
            let header = |name: &str| {
                request
                    .headers()
                    .iter()
                    .find(|h| h.field.to_string().eq_ignore_ascii_case(name))
                    .map(|h| h.value.to_string())
                    .unwrap_or_default()
            };
            log.lock().unwrap().push(format!(
                "{url} app={} session={} auth={}",
                header("App-Token"),
                header("Session-Token"),
                header("Authorization")
            ));
            let (status, body, range) = answer(&url, tickets, &header("Session-Token"));
            let mut response = tiny_http::Response::from_string(body).with_status_code(status);
            response.add_header(
                tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap(),
            );
            if let Some(range) = range {
                response.add_header(tiny_http::Header::from_bytes("Content-Range", range).unwrap());
            }
            let _ = request.respond(response);
        }
    });
    (base, seen)
}

fn answer(url: &str, tickets: usize, session: &str) -> (u16, String, Option<String>) {
    let path = url.trim_start_matches("/apirest.php/");
    if path == "initSession" {
        return (
            200,
            r#"{"session_token":"83af7e620c83a50a18d3eac2f6ed05a3ca0bea62"}"#.into(),
            None,
        );
    }
    if session != "83af7e620c83a50a18d3eac2f6ed05a3ca0bea62" {
        return (
            401,
            r#"["ERROR_SESSION_TOKEN_INVALID","session_token semble incorrect"]"#.into(),
            None,
        );
    }
    let range = |path: &str| -> (usize, usize) {
        let r = path
            .split("range=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        let (a, b) = r.split_once('-').unwrap();
        (a.parse().unwrap(), b.parse().unwrap())
    };
    if path.starts_with("Ticket?") {
        let (a, b) = range(path);
        let items: Vec<serde_json::Value> = (a..=b.min(tickets - 1))
            .map(|i| serde_json::json!({
                "id": 9000 + i, "name": format!("Ticket distant {i}"), "date": "2025-11-03 09:00:00",
                "status": 2, "type": 1, "urgency": 3, "impact": 3, "priority": 3,
                "itilcategories_id": "Réseau", "requesttypes_id": "Helpdesk", "content": "<p>Texte distant.</p>",
                "solvedate": null, "closedate": null,
                "_logs": {"1": {"id": 1, "date_mod": "2025-11-03 09:30", "user_name": "tech", "field": "Statut", "change": "Modification de Nouveau en En cours (attribué)"}}
            }))
            .collect();
        let shown = format!("{a}-{}/{tickets}", a + items.len() - 1);
        return (206, serde_json::to_string(&items).unwrap(), Some(shown));
    }
    if path.starts_with("Ticket/9000/ITILFollowup") {
        return (200, r#"[{"id":1,"itemtype":"Ticket","items_id":9000,"date":"2025-11-03 10:00:00","content":"<p>Suivi distant.</p>","is_private":0}]"#.into(), None);
    }
    if path.starts_with("Ticket/9000/Ticket_User") {
        return (
            200,
            r#"[{"id":1,"tickets_id":9000,"users_id":"Anne Distante","type":1}]"#.into(),
            None,
        );
    }
    if path.starts_with("Ticket/") {
        return (200, "[]".into(), None);
    }
    if path.starts_with("KnowbaseItem?") {
        return (200, r#"[{"id":71,"name":"Article distant","answer":"<p>Réponse.</p>","knowbaseitemcategories_id":"Divers","is_faq":0,"date_mod":"2025-11-01 10:00:00"}]"#.into(), Some("0-0/1".into()));
    }
    if path == "killSession" {
        return (200, "true".into(), None);
    }
    (
        400,
        r#"["ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM",""]"#.into(),
        None,
    )
}

#[test]
fn live_mode_pages_through_the_api_with_tokens_from_the_environment() {
    let site = TempSite::demo();
    let (base, seen) = fake_glpi(130);
    let out = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .current_dir(&site.root)
        .env(
            "GLPI_USER_TOKEN",
            "q56hqkniwot8wntb3z1qarka5atf365taaa2uyjrn",
        )
        .env(
            "GLPI_APP_TOKEN",
            "f7g3csp8mgatg5ebc5elnazakw20i9fyev1qopya7",
        )
        .args(["import", "glpi", "--url", &base])
        .output()
        .unwrap();
    let stdout = ok(&out);
    assert!(
        stdout.contains("tickets: 130 created") && stdout.contains("articles: 1 created"),
        "{stdout}"
    );
    let printed = format!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        !printed.contains("q56hqkniwot8") && !printed.contains("f7g3csp8mg"),
        "a token was printed"
    );
    let requests = seen.lock().unwrap().clone();
    assert_eq!(
        requests[0],
        "/apirest.php/initSession app=f7g3csp8mgatg5ebc5elnazakw20i9fyev1qopya7 session= auth=user_token q56hqkniwot8wntb3z1qarka5atf365taaa2uyjrn"
    );
    let pages: Vec<&String> = requests.iter().filter(|r| r.contains("/Ticket?")).collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages[0].starts_with(
        "/apirest.php/Ticket?range=0-99&expand_dropdowns=true&with_logs=true app=f7g3"
    ));
    assert!(pages[1].starts_with("/apirest.php/Ticket?range=100-199&"));
    assert!(
        requests
            .last()
            .unwrap()
            .starts_with("/apirest.php/killSession")
    );
    let first = read(&site, "content/tickets/9000-ticket-distant-0.md");
    assert!(first.contains("history:\n  - {date: 2025-11-03 09:00, status: new}\n  - {date: 2025-11-03 09:30, status: assigned}\n"), "{first}");
    assert!(
        first.contains("*Demandeur : Anne Distante*")
            && first.contains("### Suivi du 2025-11-03 10:00\n\nSuivi distant."),
        "{first}"
    );
    assert!(site.root.join("content/kb/71-article-distant.md").is_file());
    builds(&site);
}

#[test]
fn live_mode_without_a_token_says_which_variable_to_set() {
    let site = TempSite::demo();
    let out = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .current_dir(&site.root)
        .env_remove("GLPI_USER_TOKEN")
        .args(["import", "glpi", "--url", "http://127.0.0.1:9/apirest.php"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("live mode needs the user's API token in GLPI_USER_TOKEN"),
        "{stderr}"
    );
}
