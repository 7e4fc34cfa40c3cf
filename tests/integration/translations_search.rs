//! The search of a translated site (tests/fixtures/bilingual): the browser box on a page of one
//! language shows that language's results first and the other's apart, each group in the order
//! `guichet search` ranks every language together — the Rust ranking split by language.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use guichet::build::{BuildOptions, build};

use crate::common::{node, repo};
use crate::search_support::fresh_dir;

const QUERIES: [&str; 5] = ["glpi", "mot de passe", "password", "3615", "ticket"];

/// One query's groups as search.js gives them: (page language's URLs and total, the other's).
type Grouped = ((Vec<String>, usize), (Vec<String>, usize));

fn built() -> PathBuf {
    let out = fresh_dir("translations-search");
    let mut options = BuildOptions::new(repo("tests/fixtures/bilingual"));
    options.out = Some(out.clone());
    build(&options).map_err(|d| d.to_string()).unwrap();
    out
}

/// Every query of QUERIES through search.js's box engine on a `page_lang` page.
fn node_grouped(site: &Path, page_lang: &str) -> Vec<Grouped> {
    let output = Command::new("node")
        .arg(repo("tests/js/query-site.js"))
        .arg(site)
        .arg(page_lang)
        .arg("--grouped")
        .arg(serde_json::to_string(&QUERIES).unwrap())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let urls = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap().to_string())
            .collect()
    };
    results
        .iter()
        .map(|r| {
            (
                (urls(&r["urls"]), r["total"].as_u64().unwrap() as usize),
                (
                    urls(&r["others"]),
                    r["othersTotal"].as_u64().unwrap() as usize,
                ),
            )
        })
        .collect()
}

/// `guichet search` over every language, split into the page language's hits and the others'.
fn rust_grouped(site: &Path, q: &str, page_lang: &str) -> Grouped {
    let results = guichet::search::search(site, q, 50, None, &BTreeMap::new()).unwrap();
    let (own, others): (Vec<_>, Vec<_>) = results
        .hits
        .into_iter()
        .partition(|h| h.language == page_lang);
    let urls = |hits: Vec<guichet::search::Hit>| hits.into_iter().map(|h| h.url).collect();
    let (own_count, others_count) = (own.len(), others.len());
    ((urls(own), own_count), (urls(others), others_count))
}

#[test]
fn the_box_groups_by_page_language_in_the_rust_ranking_order() {
    if !node() {
        return;
    }
    let site = built();
    let english = node_grouped(&site, "en");
    let french = node_grouped(&site, "fr");
    // Ranked together, the French page comes first for "glpi"; an English page puts "Sign in"
    // first and the French page in the group after it.
    assert_eq!(
        english[0],
        (
            (vec!["en/utilisateurs/se-connecter/".to_string()], 1),
            (vec!["utilisateurs/se-connecter/".to_string()], 1)
        )
    );
    assert_eq!(
        english[1],
        (
            (
                vec!["en/utilisateurs/se-connecter/#forgotten-password".to_string()],
                1
            ),
            (
                vec![
                    "utilisateurs/suivre/#mot-de-passe".to_string(),
                    "utilisateurs/se-connecter/#mot-de-passe-oublie".to_string()
                ],
                2
            )
        )
    );
    assert_eq!(
        french[0],
        (
            (vec!["utilisateurs/se-connecter/".to_string()], 1),
            (vec!["en/utilisateurs/se-connecter/".to_string()], 1)
        )
    );
    for (i, q) in QUERIES.iter().enumerate() {
        assert_eq!(english[i], rust_grouped(&site, q, "en"), "query {q:?} (en)");
        assert_eq!(french[i], rust_grouped(&site, q, "fr"), "query {q:?} (fr)");
    }
}
