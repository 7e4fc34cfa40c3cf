//! The shared test vectors: tests/search_vectors.json is also checked by
//! tests/js/analyser.test.js against search.js, so the Rust and browser analysers agree; its
//! typo cases give the same budgets and distances in both, and its search cases (`finds`, the
//! exact list of results over the test knowledge base, and `suggests`, the "did you mean") are
//! run through both engines over the same index files.

use crate::common::{node, repo};
use crate::search_support::{corpus, fresh_dir, write_index};
use guichet::search::{analyse, search, typo_budget, typo_distance};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vector {
    lang: String,
    input: String,
    tokens: Vec<String>,
    #[serde(default)]
    typo: Option<Typo>,
    #[serde(default)]
    finds: Option<Vec<String>>,
    #[serde(default)]
    suggests: Option<String>,
}

/// The edit distance expected between the input's first key and `word` (None: not a typo).
#[derive(Deserialize)]
struct Typo {
    word: String,
    distance: Option<usize>,
}

fn vectors() -> Vec<Vector> {
    let text = std::fs::read_to_string(repo("tests/search_vectors.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A token as written in the vectors: "key", or "key|exact" when the accented form differs.
fn render(token: &guichet::search::Token) -> String {
    match &token.exact {
        Some(exact) => format!("{}|{exact}", token.key),
        None => token.key.clone(),
    }
}

#[test]
fn rust_analyser_matches_the_shared_vectors() {
    let vectors = vectors();
    assert!(vectors.len() >= 30);
    for vector in vectors {
        let got: Vec<String> = analyse(&vector.input, &vector.lang)
            .iter()
            .map(render)
            .collect();
        assert_eq!(
            got, vector.tokens,
            "input {:?} ({})",
            vector.input, vector.lang
        );
    }
}

#[test]
fn rust_typo_rules_match_the_shared_vectors() {
    let typos: Vec<Vector> = vectors().into_iter().filter(|v| v.typo.is_some()).collect();
    assert!(typos.len() >= 8);
    for vector in typos {
        let typo = vector.typo.unwrap();
        let key = &analyse(&vector.input, &vector.lang)[0].key;
        assert_eq!(
            typo_distance(key, &typo.word, typo_budget(key)),
            typo.distance,
            "input {:?}",
            vector.input
        );
    }
}

/// Both engines run every search vector over the index of the test knowledge base.
#[test]
fn both_engines_give_the_shared_search_vectors_results_and_suggestions() {
    let cases: Vec<Vector> = vectors()
        .into_iter()
        .filter(|v| v.finds.is_some() || v.suggests.is_some())
        .collect();
    assert!(cases.len() >= 12);
    let dir = fresh_dir("vectors");
    write_index(&dir, &corpus());
    let none = std::collections::BTreeMap::new();
    let rust: Vec<(Vec<String>, Option<String>)> = cases
        .iter()
        .map(|v| {
            let results = search(&dir, &v.input, 10, Some(&v.lang), &none).unwrap();
            let urls = results.hits.into_iter().map(|h| h.url).collect();
            (urls, results.suggestion)
        })
        .collect();
    for (vector, (urls, suggestion)) in cases.iter().zip(&rust) {
        if let Some(finds) = &vector.finds {
            assert_eq!(urls, finds, "Rust, input {:?}", vector.input);
        }
        if let Some(suggests) = &vector.suggests {
            assert_eq!(
                suggestion.as_ref(),
                Some(suggests),
                "Rust, input {:?}",
                vector.input
            );
        }
    }
    if !node() {
        return;
    }
    let inputs: Vec<&str> = cases.iter().map(|v| v.input.as_str()).collect();
    let output = std::process::Command::new("node")
        .arg(repo("tests/js/query-site.js"))
        .arg(&dir)
        .arg("fr")
        .arg("--results")
        .arg(serde_json::to_string(&inputs).unwrap())
        .env("GUICHET_LIMIT", "10")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let node: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    for ((vector, (urls, suggestion)), js) in cases.iter().zip(&rust).zip(&node) {
        assert_eq!(
            js["urls"],
            serde_json::json!(urls),
            "Node, input {:?}",
            vector.input
        );
        assert_eq!(
            js["suggestion"],
            serde_json::json!(suggestion),
            "Node, input {:?}",
            vector.input
        );
    }
}

#[test]
fn nfd_input_gives_the_same_tokens_as_nfc() {
    let nfd = "rede\u{301}marrer l\u{2019}imprimante re\u{301}seau";
    let nfc = "redémarrer l’imprimante réseau";
    assert_eq!(analyse(nfd, "fr"), analyse(nfc, "fr"));
}

/// The JavaScript half of the shared vectors, run by Node's built-in test runner, so that
/// `cargo test` alone proves the two analysers agree. Skipped (with a message) when Node is
/// missing, unless GUICHET_REQUIRE_BROWSER=1 (as in CI).
#[test]
fn javascript_analyser_passes_the_same_vectors_under_node_test() {
    if !node() {
        return;
    }
    let output = std::process::Command::new("node")
        .args(["--test", "tests/js/"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "node --test failed:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("# fail 0"), "{report}");
    assert!(
        !report.contains("# pass 0"),
        "no JavaScript test ran:\n{report}"
    );
}
