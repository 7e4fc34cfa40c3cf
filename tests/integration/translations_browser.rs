//! The language switch of a translated site in headless Chromium: on tests/fixtures/bilingual
//! served over HTTP, a click on the other language leads to the translation, or to the page
//! shown untranslated with its notice, and the switch there leads back.

use std::path::PathBuf;

use crate::common::browser::{View, driver_result, dump_dom, serve};
use crate::common::{chromium, repo, skip_without};
use crate::search_support::fresh_dir;

const DRIVER: &str = "language-switch-driver.js";

/// The fixture built into a fresh folder, the driver loaded by the French pages `pages`.
fn fixture_with_driver(pages: &[&str]) -> PathBuf {
    let dir = fresh_dir("translations-browser");
    let mut options = guichet::build::BuildOptions::new(repo("tests/fixtures/bilingual"));
    options.out = Some(dir.clone());
    guichet::build::build(&options)
        .map_err(|d| d.to_string())
        .unwrap();
    std::fs::copy(
        repo(&format!("tests/fixtures/{DRIVER}")),
        dir.join("static").join(DRIVER),
    )
    .unwrap();
    for page in pages {
        let file = dir.join(page);
        let depth = page.matches('/').count();
        let html = std::fs::read_to_string(&file).unwrap().replacen(
            "</head>",
            &format!(
                "<script src=\"{}static/{DRIVER}\" defer></script>\n</head>",
                "../".repeat(depth)
            ),
            1,
        );
        std::fs::write(&file, html).unwrap();
    }
    dir
}

#[test]
fn the_switch_leads_to_the_translation_or_to_the_notice_and_back() {
    let Some(browser) = chromium() else {
        skip_without("chromium");
        return;
    };
    let translated = "utilisateurs/se-connecter/index.html";
    let untranslated = "utilisateurs/suivre/index.html";
    let base = serve(fixture_with_driver(&[translated, untranslated]));
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
