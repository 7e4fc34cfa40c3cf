//! The analyser's shared test vectors: tests/search_vectors.json is also checked by
//! tests/js/analyser.test.js against search.js, so the Rust and browser analysers agree.

use crate::common::{node, repo};
use guichet::search::analyse;
use serde::Deserialize;

#[derive(Deserialize)]
struct Vector {
    lang: String,
    input: String,
    tokens: Vec<String>,
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
    let text = std::fs::read_to_string(repo("tests/search_vectors.json")).unwrap();
    let vectors: Vec<Vector> = serde_json::from_str(&text).unwrap();
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
