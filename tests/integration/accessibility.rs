//! WCAG 2.x A and AA in a real browser: axe-core runs in headless Chromium over every page
//! type of the demo site, in light and dark mode and at phone width, and finds no violation.
//! Headless Chromium's narrowest window is 500 px, below both of the theme's phone
//! breakpoints (520 px and 40 rem).

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::common::browser::{View, driver_result, dump_dom, serve};
use crate::common::{TempSite, axe_core, chromium, repo};

/// The demo site, built once for every test of this module, with axe-core and the driver
/// added to the pages under test; served over HTTP.
struct Demo {
    base: String,
    browser: PathBuf,
    /// Kept so the folder lives as long as the tests.
    _dir: TempSite,
}

/// The search page, opened with a query so that it shows results.
const SEARCH_PAGE: &str = "search/index.html";

/// The page types of the demo: every template and every generated page.
const PAGES: [&str; 18] = [
    "index.html",
    "utilisateurs/index.html",
    "utilisateurs/declarer-un-incident/index.html",
    "portfolio/configuration/index.html",
    "portfolio/logigramme/index.html",
    "portfolio/topologie/index.html",
    "tickets/index.html",
    "tickets/110-hameconnage-accueil/index.html",
    "indicateurs/index.html",
    "logigrammes/index.html",
    "logigrammes/incident/index.html",
    "logigrammes/demande/index.html",
    "logigrammes/escalade/index.html",
    "logigrammes/statuts-glpi/index.html",
    "404.html",
    "avant-de-creer-un-ticket/index.html",
    "portfolio/index.html",
    "portfolio/oral/index.html",
];

fn demo() -> Option<&'static Demo> {
    static DEMO: OnceLock<Option<Demo>> = OnceLock::new();
    DEMO.get_or_init(|| {
        let browser = chromium()?;
        let axe = axe_core()?;
        let dir = TempSite::new(&[]);
        let out = dir.root.join("site");
        let mut options = guichet::build::BuildOptions::new(repo(""));
        options.out = Some(out.clone());
        guichet::build::build(&options).unwrap();
        std::fs::copy(axe, out.join("static/axe.min.js")).unwrap();
        for driver in ["axe-driver.js", "keyboard-driver.js"] {
            std::fs::copy(
                repo(&format!("tests/fixtures/{driver}")),
                out.join("static").join(driver),
            )
            .unwrap();
        }
        for &page in PAGES.iter().chain([&SEARCH_PAGE]) {
            // 404.html is served for any missing URL: its links are root-relative.
            let root = if page == "404.html" {
                "/".to_string()
            } else {
                "../".repeat(page.matches('/').count())
            };
            let file = out.join(page);
            let html = std::fs::read_to_string(&file).unwrap().replacen(
                "</body>",
                &format!(
                    "<script src=\"{root}static/axe.min.js\"></script>\
                     <script src=\"{root}static/axe-driver.js\"></script>\
                     <script src=\"{root}static/keyboard-driver.js\"></script></body>"
                ),
                1,
            );
            std::fs::write(&file, html).unwrap();
        }
        let base = serve(out);
        Some(Demo {
            base,
            browser,
            _dir: dir,
        })
    })
    .as_ref()
}

/// The violations axe finds on `page` in light and dark mode at desktop width and in light
/// mode at phone width (colours do not change with the width), as `view: rule: nodes`.
fn violations(page: &str) -> Vec<String> {
    let Some(demo) = demo() else {
        return Vec::new();
    };
    let views = [
        View {
            width: 1280,
            dark: false,
        },
        View {
            width: 1280,
            dark: true,
        },
        View {
            width: 500,
            dark: false,
        },
    ];
    let mut found = Vec::new();
    for view in views {
        let result = driver_result(&dump_dom(
            &demo.browser,
            &format!("{}{page}", demo.base),
            view,
        ));
        // The view asked for is the one axe saw.
        assert_eq!(result["dark"], view.dark, "{page} {view:?}");
        assert_eq!(result["width"], view.width, "{page} {view:?}");
        if page.contains("?q=") {
            assert!(
                result["hits"].as_u64().unwrap() > 0,
                "{page}: no results shown"
            );
        }
        for v in result["violations"].as_array().unwrap() {
            found.push(format!("{view:?}: {}", v.as_str().unwrap()));
        }
    }
    found
}

/// What the keyboard driver saw on `page` in `view`.
fn keyboard(page: &str, view: View) -> Option<serde_json::Value> {
    let demo = demo()?;
    let url = format!("{}{page}#keyboard", demo.base);
    Some(driver_result(&dump_dom(&demo.browser, &url, view)))
}

#[test]
fn every_reachable_element_takes_the_focus_and_shows_it() {
    let desktop = View {
        width: 1280,
        dark: false,
    };
    let dark = View {
        width: 1280,
        dark: true,
    };
    for page in [PAGES[0], PAGES[2], PAGES[3], PAGES[6], PAGES[8], PAGES[10]] {
        for view in [desktop, dark] {
            let Some(seen) = keyboard(page, view) else {
                return;
            };
            assert!(seen["reachable"].as_u64().unwrap() > 5, "{page}: {seen}");
            assert_eq!(
                seen["unfocusable"],
                serde_json::json!([]),
                "{page} {view:?}"
            );
            assert_eq!(seen["invisible"], serde_json::json!([]), "{page} {view:?}");
        }
    }
}

#[test]
fn the_menu_of_narrow_screens_opens_from_the_keyboard() {
    let phone = View {
        width: 500,
        dark: false,
    };
    let Some(seen) = keyboard(PAGES[2], phone) else {
        return;
    };
    assert_eq!(seen["menuShown"], true, "{seen}");
    assert_eq!(seen["menuOpened"], true, "{seen}");
    assert_eq!(seen["invisible"], serde_json::json!([]), "{seen}");
}

#[test]
fn search_page_with_results() {
    let page = format!("{SEARCH_PAGE}?q=imprimante");
    assert_eq!(violations(&page), Vec::<String>::new());
}

#[test]
fn home_page() {
    assert_eq!(violations(PAGES[0]), Vec::<String>::new());
}

#[test]
fn section_page() {
    assert_eq!(violations(PAGES[1]), Vec::<String>::new());
}

#[test]
fn procedure_page() {
    assert_eq!(violations(PAGES[2]), Vec::<String>::new());
}

#[test]
fn page_with_code_and_an_included_file() {
    assert_eq!(violations(PAGES[3]), Vec::<String>::new());
}

#[test]
fn page_with_an_embedded_logigramme() {
    assert_eq!(violations(PAGES[4]), Vec::<String>::new());
}

#[test]
fn topology_page() {
    assert_eq!(violations(PAGES[5]), Vec::<String>::new());
}

#[test]
fn tickets_index() {
    assert_eq!(violations(PAGES[6]), Vec::<String>::new());
}

#[test]
fn ticket_page() {
    assert_eq!(violations(PAGES[7]), Vec::<String>::new());
}

#[test]
fn kpi_dashboard() {
    assert_eq!(violations(PAGES[8]), Vec::<String>::new());
}

#[test]
fn logigrammes_index() {
    assert_eq!(violations(PAGES[9]), Vec::<String>::new());
}

#[test]
fn each_workflow_page() {
    let mut found = Vec::new();
    for page in &PAGES[10..14] {
        found.extend(violations(page).into_iter().map(|v| format!("{page}: {v}")));
    }
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn not_found_page() {
    assert_eq!(violations(PAGES[14]), Vec::<String>::new());
}

#[test]
fn self_service_page() {
    assert_eq!(violations(PAGES[15]), Vec::<String>::new());
}

#[test]
fn portfolio_page_with_its_checklist() {
    assert_eq!(violations(PAGES[16]), Vec::<String>::new());
}

#[test]
fn preparing_the_oral_page() {
    assert_eq!(violations(PAGES[17]), Vec::<String>::new());
}

/// WCAG 2.x contrast ratio of two `#rrggbb` colours.
fn contrast(a: &str, b: &str) -> f64 {
    let luminance = |hex: &str| {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Every text of `svg` whose contrast with what it is drawn on is under 4.5:1 (the AA ratio
/// for text of the diagrams' size), as `text (fill on background: ratio)`. What a text is
/// drawn on is the last filled shape before it in its group or an enclosing one.
fn low_contrast_texts(svg: &str) -> Vec<String> {
    fn walk(node: roxmltree::Node, background: &str, text_fill: &str, found: &mut Vec<String>) {
        let mut background = background.to_string();
        for child in node.children().filter(|n| n.is_element()) {
            let fill = child.attribute("fill");
            let inherited = fill.filter(|f| f.starts_with('#')).unwrap_or(text_fill);
            match child.tag_name().name() {
                "rect" | "path" | "polygon" | "ellipse" | "circle" => {
                    let opaque = child.attribute("fill-opacity").is_none_or(|o| o == "1");
                    if let Some(f) = fill.filter(|f| f.starts_with('#') && opaque) {
                        background = f.to_string();
                    }
                }
                "text" => {
                    let ratio = contrast(inherited, &background);
                    if ratio < 4.5 {
                        let words: String = child
                            .descendants()
                            .filter(|n| n.is_text())
                            .filter_map(|n| n.text())
                            .collect::<Vec<_>>()
                            .join(" ");
                        found.push(format!("{words} ({inherited} on {background}: {ratio:.2})"));
                    }
                }
                "defs" | "title" | "desc" => {}
                _ => walk(child, &background, inherited, found),
            }
        }
    }
    let doc = roxmltree::Document::parse(svg).unwrap();
    let mut found = Vec::new();
    walk(doc.root_element(), "#ffffff", "#000000", &mut found);
    found
}

/// The `<svg>` elements of an HTML page.
fn svgs_of(html: &str) -> Vec<&str> {
    html.match_indices("<svg ")
        .map(|(start, _)| {
            let end = html[start..].find("</svg>").unwrap() + start + "</svg>".len();
            &html[start..end]
        })
        .collect()
}

#[test]
fn diagram_texts_meet_the_aa_contrast_ratio() {
    let dir = TempSite::new(&[]);
    let out = dir.root.join("site");
    let mut options = guichet::build::BuildOptions::new(repo(""));
    options.out = Some(out.clone());
    guichet::build::build(&options).unwrap();
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    let mut diagrams: Vec<(String, String)> = ["incident", "demande", "escalade", "statuts-glpi"]
        .iter()
        .map(|id| {
            (
                format!("logigrammes/{id}.svg"),
                read(&format!("logigrammes/{id}.svg")),
            )
        })
        .collect();
    // The topology, and a ticket's lifecycle with its path highlighted.
    for page in [
        "portfolio/topologie/index.html",
        "tickets/103-wifi-atelier-escalade-n2/index.html",
    ] {
        let html = read(page);
        let svgs = svgs_of(&html);
        assert!(!svgs.is_empty(), "{page} has a diagram");
        diagrams.extend(
            svgs.into_iter()
                .map(|svg| (page.to_string(), svg.to_string())),
        );
    }
    let mut found = Vec::new();
    for (place, svg) in &diagrams {
        found.extend(
            low_contrast_texts(svg)
                .into_iter()
                .map(|t| format!("{place}: {t}")),
        );
    }
    assert_eq!(found, Vec::<String>::new());
    // The check can fail: grey text on the lanes' light grey is under the ratio.
    assert_eq!(
        low_contrast_texts(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect fill=\"#e4e9ef\"/><text fill=\"#9aa5b1\">x</text></svg>"
        ),
        ["x (#9aa5b1 on #e4e9ef: 2.05)"]
    );
}
