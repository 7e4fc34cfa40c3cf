//! The live-reload script in headless Chromium, against a real `serve`: a stylesheet edit is
//! swapped in without a reload, a body edit reloads the page, a broken file shows the overlay
//! with the terminal's text over the last good page, and the fix clears it. A node driver
//! speaks the DevTools protocol (tests/fixtures/serve-driver.js).
//!
//! Without chromium, or a node with WebSocket, the test says it skips, unless
//! GUICHET_REQUIRE_BROWSER=1 (CI), which makes it fail.

use std::path::Path;
use std::process::Command;

use crate::common::TempSite;
use guichet::serve::{ServeOptions, Server};

fn available(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn tools() -> Option<(String, Vec<&'static str>)> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
    let node_flags: Option<Vec<&str>> = [vec![], vec!["--experimental-websocket"]]
        .into_iter()
        .find(|flags| {
            let mut args = flags.clone();
            args.extend(["-e", "if (typeof WebSocket !== 'function') process.exit(1)"]);
            available("node", &args)
        });
    match (available(&chromium, &["--version"]), node_flags) {
        (true, Some(flags)) => Some((chromium, flags)),
        _ => {
            assert!(
                std::env::var("GUICHET_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "GUICHET_REQUIRE_BROWSER=1 but chromium or a node with WebSocket is missing"
            );
            eprintln!("skipped: chromium or node with WebSocket not found");
            None
        }
    }
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
    let mut options = ServeOptions::new(&site.root);
    options.port = 0;
    let server = Server::start(options, |_| {}).unwrap();
    let url = format!("http://{}/utilisateurs/suivre/", server.addr());
    let profile = site.root.join("chromium-profile");
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve-driver.js");
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
