//! Lifecycle analytics and self-service in headless Chromium, on the demo site built by
//! guichet: typing "imprimante hors ligne" on "Avant de créer un ticket" (served over HTTP,
//! then opened from file://), and a filter of a workflow page recomputing its weights.

use std::path::{Path, PathBuf};

use crate::common::browser::{View, built_with_driver, driver_result, dump_dom, serve};
use crate::common::{chromium, repo};
use crate::search_support::fresh_dir;

const DESKTOP: View = View {
    width: 1280,
    dark: false,
};

/// The demo built into a fresh folder, with `driver` (a file of tests/fixtures/) loaded by
/// the page at `page`.
fn demo_with_driver(name: &str, driver: &str, page: &str) -> PathBuf {
    built_with_driver(&repo(""), fresh_dir(name), driver, &[page])
}

/// A text the driver wrote, with the non-breaking spaces --dump-dom shows as `&nbsp;`.
fn text(value: &serde_json::Value) -> String {
    value.as_str().unwrap_or("null").replace("&nbsp;", "\u{a0}")
}

fn strings(value: &serde_json::Value, key: &str) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap().to_string())
        .collect()
}

fn check_printer_suggestions(result: &serde_json::Value, file: bool) {
    let groups = result["groups"].as_array().unwrap();
    assert_eq!(
        groups[0]["title"], "Procédures",
        "the procedures come first"
    );
    assert_eq!(groups[1]["title"], "Tickets résolus");
    let first = &groups[0]["hits"][0];
    assert_eq!(
        text(&first["text"]),
        "Mon imprimante est hors ligne › Toujours hors ligne\u{202f}?"
    );
    let index = if file { "index.html" } else { "" };
    assert_eq!(
        first["href"],
        format!("../utilisateurs/imprimante-hors-ligne/{index}#toujours-hors-ligne")
    );
    let tickets = strings(&groups[1]["hits"], "text");
    assert!(
        tickets[0].starts_with("#105 Bourrages répétés sur l'imprimante du bureau d'études"),
        "{tickets:?}"
    );
    assert!(
        !tickets.iter().any(|t| t.starts_with("#112")),
        "an open ticket is not a resolved one: {tickets:?}"
    );
    assert_eq!(result["feedbackShown"], true);
    assert_eq!(
        result["feedbackQuestion"],
        "Ce contenu a-t-il résolu votre problème ?"
    );
    assert_eq!(result["answer"], "no");
    assert_eq!(
        result["glpi"],
        "https://support.ateliers-morel.fr/front/ticket.form.php?name=imprimante%20hors%20ligne&content=imprimante%20hors%20ligne"
    );
}

#[test]
fn typing_a_printer_problem_suggests_the_procedure_then_glpi_with_the_words() {
    let Some(browser) = chromium() else {
        return;
    };
    let page = "avant-de-creer-un-ticket/index.html";
    let dir = demo_with_driver("browser-self-service", "selfservice-driver.js", page);
    let base = serve(dir.clone());
    let words = "#type=imprimante%20hors%20ligne";
    let served = driver_result(&dump_dom(
        &browser,
        &format!("{base}avant-de-creer-un-ticket/{words}"),
        DESKTOP,
    ));
    assert_eq!(
        served["reduced"].as_array().unwrap().len(),
        0,
        "full mode over HTTP"
    );
    check_printer_suggestions(&served, false);
    // From file:// the reduced index still suggests, with page files.
    let offline = driver_result(&dump_dom(
        &browser,
        &format!("file://{}/{page}{words}", dir.display()),
        DESKTOP,
    ));
    assert_eq!(
        offline["reduced"][0],
        "Recherche réduite (hors ligne) : titres, intertitres et mots-clés seulement."
    );
    check_printer_suggestions(&offline, true);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_filter_recomputes_the_weights_in_the_page() {
    let Some(browser) = chromium() else {
        return;
    };
    let page = "logigrammes/incident/index.html";
    let dir = demo_with_driver("browser-parcours", "parcours-driver.js", page);
    let url = format!(
        "file://{}/{page}#category=R%C3%A9seau",
        Path::new(&dir).display()
    );
    let result = driver_result(&dump_dom(&browser, &url, DESKTOP));
    assert_eq!(result["formShown"], true);
    // Réseau: 101, 102, 103 and 115; 102 asked for details, 103 was escalated.
    assert_eq!(result["shown"], "4");
    let flows = &result["flows"];
    assert_eq!(flows["complet>demander"]["count"], 1);
    assert_eq!(text(&flows["complet>demander"]["caption"]), "1 · 25\u{a0}%");
    assert_eq!(flows["niveau1>escalade"]["count"], 1);
    assert_eq!(text(&flows["debut>declarer"]["caption"]), "4 · 100\u{a0}%");
    // 2.5 + (9 − 2.5) × 1/4, rounded to a tenth as the build does.
    assert_eq!(flows["complet>demander"]["band"], 4.1);
    assert_eq!(flows["accepte>rouvrir"]["count"], 0);
    assert_eq!(flows["accepte>rouvrir"]["caption"], serde_json::Value::Null);
    assert_eq!(text(&result["shares"]["niveau1>resoudre"]), "75\u{a0}%");
    assert_eq!(
        result["unreached"],
        serde_json::json!(["rouvrir"]),
        "no Réseau ticket was reopened"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
