//! The browser's engine (search.js, run by Node) ranks exactly like `query()`: same URLs, same
//! order, same scores, over the same index files.

use std::process::Command;

use crate::common::{node, repo};
use crate::search_support::{block, corpus, fresh_dir, page, write_index};
use guichet::search::{SearchDoc, query, query_filtered};

type NodeHit = (String, f64, String);

/// Runs every (query, filters JSON) through search.js in one Node process.
fn node_hits(site: &std::path::Path, lang: &str, queries: &[(&str, &str)]) -> Vec<Vec<NodeHit>> {
    let script = repo("tests/js/query-site.js");
    let batch: Vec<serde_json::Value> = queries
        .iter()
        .map(|(q, filters)| {
            serde_json::json!([
                q,
                serde_json::from_str::<serde_json::Value>(filters).unwrap()
            ])
        })
        .collect();
    let output = Command::new("node")
        .arg(script)
        .arg(site)
        .arg(lang)
        .arg("--batch")
        .arg(serde_json::to_string(&batch).unwrap())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lists: Vec<Vec<serde_json::Value>> = serde_json::from_slice(&output.stdout).unwrap();
    lists
        .iter()
        .map(|hits| {
            hits.iter()
                .map(|h| {
                    (
                        h["url"].as_str().unwrap().to_string(),
                        h["score"].as_f64().unwrap(),
                        h["excerpt"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .collect()
}

fn assert_same(rust: Vec<guichet::search::Hit>, node: &[NodeHit], q: &str) {
    assert_eq!(
        rust.iter().map(|h| h.url.as_str()).collect::<Vec<_>>(),
        node.iter().map(|h| h.0.as_str()).collect::<Vec<_>>(),
        "query {q:?}"
    );
    for (r, n) in rust.iter().zip(node) {
        assert!(
            (r.score - n.1).abs() <= 1e-9 * r.score.abs().max(1.0),
            "query {q:?}: {} vs {}",
            r.score,
            n.1
        );
        assert_eq!(r.excerpt, n.2);
    }
}

#[test]
fn node_and_rust_rank_the_demo_corpus_alike() {
    if !node() {
        return;
    }
    let dir = fresh_dir("parity");
    write_index(&dir, &corpus());
    let queries = [
        "imprimante hors ligne",
        "redemarrer spouleur",
        "l'imprimante",
        "imprimantes",
        "0x80070005",
        "0x8007",
        "config_db.php",
        "srv-ad01",
        "wifi",
        "pêcher",
        "pécher",
        "pecher",
        "le la les",
        "spoul",
        "glpi",
        "ticket",
        "Restart-Service Spooler",
        "mot de passe",
        "vide",
        "outlok",
        "otulook",
        "ecrun",
        "phishing",
        "mdp",
        "migrer mes mails",
        "changer mot de passe admin",
        "imprimente",
        "printer",
        "restart",
    ];
    let batch: Vec<(&str, &str)> = queries.iter().map(|q| (*q, "{}")).collect();
    let french = node_hits(&dir, "fr", &batch);
    let every = node_hits(&dir, "*", &batch);
    for (index, q) in queries.iter().enumerate() {
        assert_same(query(&dir, q, 50, Some("fr")).unwrap(), &french[index], q);
        assert_same(query(&dir, q, 50, None).unwrap(), &every[index], q);
    }
    let filters =
        std::collections::BTreeMap::from([("category".to_string(), vec!["Matériel".to_string()])]);
    assert_same(
        query_filtered(&dir, "pilote", 50, Some("fr"), &filters).unwrap(),
        &node_hits(&dir, "fr", &[("pilote", r#"{"category":["Matériel"]}"#)])[0],
        "pilote + category",
    );
}

#[test]
fn node_and_rust_rank_a_generated_corpus_alike() {
    if !node() {
        return;
    }
    let words = [
        "serveur",
        "réseau",
        "imprimante",
        "redémarrer",
        "pilote",
        "ticket",
        "accès",
        "erreur",
        "sauvegarde",
        "compte",
    ];
    let docs: Vec<SearchDoc> = (0..300)
        .map(|n| {
            let text: Vec<&str> = (0..12)
                .map(|k| words[(n * 7 + k * k) % words.len()])
                .collect();
            page(
                &format!("p{n}/"),
                &format!("Fiche {} {}", words[n % 10], n),
                "fr",
                "KB",
                &[],
                vec![
                    block("", "", &text.join(" "), ""),
                    block(
                        &format!("h{n}"),
                        words[(n / 10) % 10],
                        &text[3..].join(" "),
                        &format!("code{n} 0x{n:04x}"),
                    ),
                ],
            )
        })
        .collect();
    let dir = fresh_dir("parity-generated");
    write_index(&dir, &docs);
    let queries = [
        "serveur",
        "reseau imprimante",
        "redemarrer",
        "erreur acces compte",
        "fiche",
        "sauv",
        "code1",
        "0x00",
    ];
    let batch: Vec<(&str, &str)> = queries.iter().map(|q| (*q, "{}")).collect();
    let node = node_hits(&dir, "fr", &batch);
    for (index, q) in queries.iter().enumerate() {
        assert_same(query(&dir, q, 50, Some("fr")).unwrap(), &node[index], q);
    }
}
