//! A translated site in headless Chromium, on tests/fixtures/bilingual served over HTTP: a click
//! on the language switch leads to the translation, or to the page shown untranslated with its
//! notice, and the switch there leads back; the search box shows the page language's results
//! first and the other language's apart, under their label.

use std::path::PathBuf;

use crate::common::browser::{View, built_with_driver, driver_result, dump_dom, serve};
use crate::common::{chromium, repo, skip_without};
use crate::search_support::fresh_dir;

const SWITCH_DRIVER: &str = "language-switch-driver.js";
const SEARCH_DRIVER: &str = "translated-search-driver.js";

/// The fixture built into a fresh folder, the test driver `driver` loaded by the pages `pages`.
fn fixture_with_driver(driver: &str, pages: &[&str]) -> PathBuf {
    // One folder per driver: the tests run side by side in one process.
    let dir = fresh_dir(&format!("translations-{}", driver.trim_end_matches(".js")));
    built_with_driver(&repo("tests/fixtures/bilingual"), dir, driver, pages)
}

#[test]
fn the_switch_leads_to_the_translation_or_to_the_notice_and_back() {
    let Some(browser) = chromium() else {
        skip_without("chromium");
        return;
    };
    let translated = "utilisateurs/se-connecter/index.html";
    let untranslated = "utilisateurs/suivre/index.html";
    let base = serve(fixture_with_driver(
        SWITCH_DRIVER,
        &[translated, untranslated],
    ));
    let view = View {
        width: 1280,
        dark: false,
    };
    let result = driver_result(&dump_dom(&browser, &format!("{base}{translated}"), view));
    assert_eq!(result["visible"], true, "{result}");
    assert_eq!(
        result["start"],
        serde_json::json!({"path": "/utilisateurs/se-connecter/index.html", "lang": "fr", "title": "Se connecter", "titleLang": null, "notice": null, "current": "Français"})
    );
    assert_eq!(
        result["other"],
        serde_json::json!({"path": "/en/utilisateurs/se-connecter/", "lang": "en", "title": "Sign in", "titleLang": null, "notice": null, "current": "English"})
    );
    assert_eq!(result["back"]["path"], "/utilisateurs/se-connecter/");
    assert_eq!(result["back"]["current"], "Français");

    let result = driver_result(&dump_dom(&browser, &format!("{base}{untranslated}"), view));
    assert_eq!(
        result["other"],
        serde_json::json!({
            "path": "/en/utilisateurs/suivre/",
            "lang": "en",
            "title": "Suivre son ticket",
            "titleLang": "fr",
            "notice": "This page is not translated into English yet: here it is in French.",
            "current": "English"
        })
    );
    assert_eq!(result["back"]["path"], "/utilisateurs/suivre/");
    assert_eq!(result["back"]["title"], "Suivre son ticket");
}

#[test]
fn the_search_box_shows_the_page_language_first_and_the_other_apart() {
    let Some(browser) = chromium() else {
        skip_without("chromium");
        return;
    };
    let english = "en/utilisateurs/se-connecter/index.html";
    let french = "utilisateurs/se-connecter/index.html";
    let base = serve(fixture_with_driver(SEARCH_DRIVER, &[english, french]));
    let view = View {
        width: 1280,
        dark: false,
    };
    // Ranked together, "Se connecter" comes before "Sign in" for "glpi"; an English reader sees
    // "Sign in" first, the French page apart.
    let result = driver_result(&dump_dom(
        &browser,
        &format!("{base}{english}#q=glpi"),
        view,
    ));
    assert_eq!(
        result,
        serde_json::json!({
            "status": "1 result",
            "rows": [
                {"hit": "Sign in", "href": "../../../en/utilisateurs/se-connecter/", "lang": null},
                {"label": "Also in French (1)", "class": "search-other-languages", "role": "presentation"},
                {"hit": "Se connecter", "href": "../../../utilisateurs/se-connecter/", "lang": "fr"}
            ]
        })
    );
    let result = driver_result(&dump_dom(&browser, &format!("{base}{french}#q=glpi"), view));
    assert_eq!(
        result,
        serde_json::json!({
            "status": "1 résultat",
            "rows": [
                {"hit": "Se connecter", "href": "../../utilisateurs/se-connecter/", "lang": null},
                {"label": "Aussi en anglais (1)", "class": "search-other-languages", "role": "presentation"},
                {"hit": "Sign in", "href": "../../en/utilisateurs/se-connecter/", "lang": "en"}
            ]
        })
    );
}
