//! The live-reload script in headless Chromium, against a real `serve`: a stylesheet edit is
//! swapped in without a reload, a body edit reloads the page, a broken file shows the overlay
//! with the terminal's text over the last good page, and the fix clears it. A node driver
//! speaks the DevTools protocol (tests/fixtures/serve-driver.js).
//!
//! Without chromium, or a node with WebSocket, the test says it skips, unless
//! GUICHET_REQUIRE_BROWSER=1 (CI), which makes it fail.

use std::path::PathBuf;
use std::process::Command;

use crate::common::server::start;
use crate::common::{TempSite, chromium, repo, runs, skip_without};

/// Chromium, and the flags node needs for its WebSocket; None when either is missing.
fn tools() -> Option<(PathBuf, Vec<&'static str>)> {
    let chromium = chromium()?;
    let node_flags = [vec![], vec!["--experimental-websocket"]]
        .into_iter()
        .find(|flags| {
            let mut args = flags.clone();
            args.extend(["-e", "if (typeof WebSocket !== 'function') process.exit(1)"]);
            runs("node", &args)
        });
    let Some(flags) = node_flags else {
        skip_without("a node with WebSocket");
        return None;
    };
    Some((chromium, flags))
}

#[test]
fn live_reload_css_swap_and_overlay_in_a_browser() {
    let Some((chromium, node_flags)) = tools() else {
        return;
    };
    let site = TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        (
            "content/_index.md",
            "---\ntitle: Accueil\n---\nBienvenue.\n",
        ),
        (
            "content/utilisateurs/suivre.md",
            "---\ntitle: Suivre\n---\nPremière version.\n",
        ),
    ]);
    let server = start(&site);
    let url = format!("http://{}/utilisateurs/suivre/", server.addr());
    let profile = site.root.join("chromium-profile");
    let driver = repo("tests/fixtures/serve-driver.js");
    let output = Command::new("node")
        .args(&node_flags)
        .arg(&driver)
        .arg(&site.root)
        .arg(&url)
        .arg(&chromium)
        .arg(&profile)
        .output()
        .expect("node runs");
    server.shutdown();
    let report = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        report,
        "css swapped without reload: true\n\
         reloaded after a body edit: true\n\
         overlay: \"content/utilisateurs/suivre.md:3:9: error: weight: invalid type: string \\\"deux\\\", expected a whole number\\n  |\\n3 | weight: deux\\n  |         ^\\n\"\n\
         last good page under it: true\n\
         recovered: true\n",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
