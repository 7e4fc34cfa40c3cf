//! Diagram figures in headless Chromium, on the demo site: on a narrow screen a wide
//! logigramme or topology shrinks only to 3/4 of its size and scrolls sideways, so its
//! labels stay readable; on a desktop screen it fits the page.

use std::path::Path;

use crate::common::browser::{View, built_with_driver, driver_result, dump_dom};
use crate::common::{chromium, repo};
use crate::search_support::fresh_dir;

/// Each `figure[style]` of `page` in the demo, seen at `width`: (its --w, the SVG's drawn
/// width, the figure's inner width, whether it scrolls).
fn figures(browser: &Path, page: &str, width: u32) -> Vec<(f64, f64, f64, bool)> {
    let dir = built_with_driver(
        &repo(""),
        fresh_dir(&format!("browser-figures-{width}")),
        "figure-driver.js",
        &[page],
    );
    let file = dir.join(page);
    let url = format!("file://{}", file.display());
    let result = driver_result(&dump_dom(browser, &url, View { width, dark: false }));
    let _ = std::fs::remove_dir_all(&dir);
    result["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["width"].as_f64().unwrap(),
                f["drawn"].as_f64().unwrap(),
                f["box"].as_f64().unwrap(),
                f["scrolls"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_wide_diagram_keeps_three_quarters_of_its_size_on_a_narrow_screen_and_scrolls() {
    let Some(browser) = chromium() else {
        return;
    };
    for page in [
        "logigrammes/incident/index.html",
        "portfolio/topologie/index.html",
    ] {
        let seen = figures(&browser, page, 500);
        assert_eq!(seen.len(), 1, "{page}: {seen:?}");
        let (width, drawn, inner, scrolls) = seen[0];
        assert!(
            width * 0.75 > inner,
            "{page}: the case needs a wide diagram"
        );
        assert_eq!(drawn, width * 0.75, "{page}");
        assert!(scrolls, "{page}");
    }
}

#[test]
fn a_diagram_fits_a_desktop_page() {
    let Some(browser) = chromium() else {
        return;
    };
    let seen = figures(&browser, "logigrammes/incident/index.html", 1280);
    let (width, drawn, inner, scrolls) = seen[0];
    assert!(
        width > inner,
        "the case needs a diagram wider than the page"
    );
    assert_eq!(drawn, inner);
    assert!(!scrolls);
}
