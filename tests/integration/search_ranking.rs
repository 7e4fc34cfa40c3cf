//! Ranking and index edge cases, answered from index files written to disk (the real artefact).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::search_support::{block, corpus, fresh_dir, page, write_index};
use guichet::search::{
    FRAGMENT_FILE_BYTES, SearchDoc, build_index, format_hits_json, format_hits_text, query,
    query_filtered,
};

fn site(name: &str) -> PathBuf {
    let dir = fresh_dir(name);
    write_index(&dir, &corpus());
    dir
}

fn urls(site: &Path, q: &str, lang: Option<&str>) -> Vec<String> {
    query(site, q, 10, lang)
        .unwrap()
        .into_iter()
        .map(|h| h.url)
        .collect()
}

#[test]
fn queries_typed_without_accents_plural_elisions_and_codes_find_the_write_up() {
    let dir = site("ranking");
    let first = |q: &str| {
        urls(&dir, q, Some("fr"))
            .first()
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(first("imprimante hors ligne"), "kb/imprimante-hors-ligne/");
    assert_eq!(
        first("redemarrer spouleur"),
        "kb/imprimante-hors-ligne/#redemarrer-le-spouleur"
    );
    assert_eq!(
        urls(&dir, "l'imprimante", Some("fr")),
        urls(&dir, "imprimante", Some("fr"))
    );
    assert_eq!(
        urls(&dir, "d’imprimantes", Some("fr")),
        urls(&dir, "imprimante", Some("fr"))
    );
    assert_eq!(
        first("l’imprimante hors ligne"),
        "kb/imprimante-hors-ligne/"
    );
    assert_eq!(first("imprimantes pilote"), "kb/ajout-pilote-imprimantes/");
    assert_eq!(first("0x80070005"), "kb/erreur-0x80070005/");
    assert_eq!(first("80070005"), "kb/erreur-0x80070005/");
    assert_eq!(first("KB5034441"), "kb/erreur-0x80070005/#solution");
    assert_eq!(
        first("config_db.php"),
        "portfolio/installation/#fichier-config-db-php"
    );
    assert_eq!(first("srv-ad01"), "kb/ajout-pilote-imprimantes/");
    assert_eq!(first("192.168.10.20"), "kb/imprimante-hors-ligne/");
    assert_eq!(first("wifi"), "kb/wifi-invite/");
    assert_eq!(
        first("declarer incident"),
        "utilisateurs/declarer-un-incident/"
    );
    assert_eq!(
        first("Restart-Service"),
        "kb/imprimante-hors-ligne/#redemarrer-le-spouleur"
    );
}

#[test]
fn all_results_of_a_query_are_listed_once_per_page_best_section_first() {
    let dir = site("ranking-all");
    // The shorter introduction of the driver page weighs more for a single word (BM25).
    assert_eq!(
        urls(&dir, "imprimante", Some("fr")),
        vec!["kb/ajout-pilote-imprimantes/", "kb/imprimante-hors-ligne/"]
    );
    assert_eq!(
        urls(&dir, "spouleur redemarrer", Some("fr")),
        vec!["kb/imprimante-hors-ligne/#redemarrer-le-spouleur"]
    );
}

#[test]
fn the_last_word_is_completed_while_typing() {
    let dir = site("ranking-prefix");
    assert_eq!(
        urls(&dir, "spoul", Some("fr")),
        vec!["kb/imprimante-hors-ligne/#redemarrer-le-spouleur"]
    );
    assert_eq!(
        urls(&dir, "0x8007", Some("fr")),
        vec!["kb/erreur-0x80070005/"]
    );
}

#[test]
fn the_exact_accented_spelling_ranks_first() {
    let dir = site("ranking-accents");
    assert_eq!(
        urls(&dir, "pêcher", Some("fr")),
        vec!["kb/peche/", "kb/peche-ancien/"]
    );
    assert_eq!(
        urls(&dir, "pécher", Some("fr")),
        vec!["kb/peche-ancien/", "kb/peche/"]
    );
    let mut plain = urls(&dir, "pecher", Some("fr"));
    plain.sort();
    assert_eq!(plain, vec!["kb/peche-ancien/", "kb/peche/"]);
}

#[test]
fn a_query_of_stop_words_only_finds_nothing_without_error() {
    let dir = site("ranking-stop");
    assert_eq!(
        query(&dir, "le la les de des", 10, Some("fr")).unwrap(),
        vec![]
    );
    assert_eq!(query(&dir, "", 10, None).unwrap(), vec![]);
}

#[test]
fn a_page_with_no_text_is_found_by_its_title() {
    let dir = site("ranking-empty");
    let hits = query(&dir, "vide", 10, Some("fr")).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].url, "kb/page-vide/");
    assert_eq!(hits[0].heading, "");
    assert_eq!(hits[0].excerpt, "");
}

#[test]
fn a_term_in_every_page_still_ranks_every_page() {
    let docs: Vec<SearchDoc> = (0..40)
        .map(|n| {
            page(
                &format!("p{n:02}/"),
                &format!("Fiche {n}"),
                "fr",
                "KB",
                &[],
                vec![block(
                    "",
                    "",
                    &format!("ticket numéro {n} {}", "ticket ".repeat(n % 3)),
                    "",
                )],
            )
        })
        .collect();
    let dir = fresh_dir("ranking-every");
    write_index(&dir, &docs);
    let hits = query(&dir, "ticket", 100, Some("fr")).unwrap();
    assert_eq!(hits.len(), 40);
    assert!(hits.iter().all(|h| h.score > 0.0));
    // More occurrences rank higher: pages n % 3 == 2 have the term three times.
    assert!(hits[..13].iter().all(|h| {
        let n: usize = h.url[1..3].parse().unwrap();
        n % 3 == 2
    }));
}

#[test]
fn terms_on_both_sides_of_a_chunk_boundary_are_found() {
    let docs: Vec<SearchDoc> = (0..600)
        .map(|n| {
            page(
                &format!("p{n:03}/"),
                &format!("Page {n}"),
                "fr",
                "KB",
                &[],
                vec![block("", "", &format!("terme{n:03}z commun"), "")],
            )
        })
        .collect();
    let files = build_index(&docs);
    let meta: serde_json::Value = serde_json::from_slice(
        &files
            .iter()
            .find(|(p, _)| p == "search/fr/meta.json")
            .unwrap()
            .1,
    )
    .unwrap();
    let chunks = meta["chunks"].as_array().unwrap();
    assert!(
        chunks.len() >= 2,
        "expected several chunks, got {}",
        chunks.len()
    );
    let dir = fresh_dir("ranking-chunks");
    write_index(&dir, &docs);
    let second_first = chunks[1][0].as_str().unwrap().to_string();
    // The last term of the first chunk is the greatest term of its file.
    let first_chunk: BTreeMap<String, serde_json::Value> = serde_json::from_slice(
        &std::fs::read(dir.join("search/fr").join(chunks[0][1].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    let first_last = first_chunk.keys().next_back().unwrap().clone();
    for term in [&first_last, &second_first] {
        let hits = query(&dir, term, 5, Some("fr")).unwrap();
        assert!(!hits.is_empty(), "term {term} at a chunk boundary");
    }
    // Completing "terme" reads several chunks and gives every page the same score.
    let hits = query(&dir, "terme", 1000, Some("fr")).unwrap();
    assert_eq!(hits.len(), 20);
}

#[test]
fn facet_filters_keep_matching_pages_and_category_parents_keep_children() {
    let dir = site("ranking-facets");
    let filters = BTreeMap::from([("type".to_string(), vec!["demande".to_string()])]);
    let hits = query_filtered(&dir, "imprimante", 10, Some("fr"), &filters).unwrap();
    assert_eq!(
        hits.iter().map(|h| h.url.as_str()).collect::<Vec<_>>(),
        vec!["kb/ajout-pilote-imprimantes/"]
    );
    let filters = BTreeMap::from([("category".to_string(), vec!["Réseau".to_string()])]);
    let hits = query_filtered(&dir, "reseau", 10, Some("fr"), &filters).unwrap();
    assert_eq!(
        hits.iter().map(|h| h.url.as_str()).collect::<Vec<_>>(),
        vec!["kb/wifi-invite/"]
    );
}

#[test]
fn languages_are_searched_together_or_one_at_a_time() {
    let dir = site("ranking-lang");
    assert_eq!(
        urls(&dir, "printer offline", Some("en")),
        vec!["en/printer-offline/"]
    );
    let all = urls(&dir, "Restart-Service", None);
    assert_eq!(all.len(), 2);
    assert!(all.contains(&"en/printer-offline/".to_string()));
    assert!(query(&dir, "x", 10, Some("de")).is_err());
}

#[test]
fn the_index_is_deterministic_and_independent_of_page_order() {
    let mut docs = corpus();
    let first = build_index(&docs);
    docs.reverse();
    assert_eq!(first, build_index(&docs));
    let names: Vec<&str> = first.iter().map(|(p, _)| p.as_str()).collect();
    assert!(names.contains(&"search/fr/meta.json"));
    assert!(names.contains(&"search/fallback-fr.js"));
    assert!(names.contains(&"search/en/meta.json"));
    assert!(
        names
            .iter()
            .filter(|n| n.contains("/t/"))
            .all(|n| n.len() == "search/fr/t/".len() + 12 + 5)
    );
}

#[test]
fn the_index_holds_no_second_copy_of_the_text() {
    let files = build_index(&corpus());
    let all: String = files
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).to_string())
        .collect();
    // Only the excerpt (first words of each block) is kept, not whole paragraphs beyond it.
    let long = page(
        "kb/long/",
        "Long",
        "fr",
        "KB",
        &[],
        vec![block("", "", &"mot ".repeat(500).to_string(), "")],
    );
    let long_files = build_index(&[long]);
    let fragments: Vec<&(String, Vec<u8>)> = long_files
        .iter()
        .filter(|(p, _)| p.starts_with("search/fr/f/"))
        .collect();
    assert_eq!(fragments.len(), 1);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&fragments[0].1).unwrap();
    assert_eq!(list.len(), 1);
    assert!(
        fragments[0].1.len() < 400,
        "fragment file is {} bytes",
        fragments[0].1.len()
    );
    assert!(all.contains("Quand l'imprimante réseau"));
}

#[test]
fn results_print_as_text_and_json() {
    let dir = site("ranking-format");
    let hits = query(&dir, "redemarrer spouleur", 1, Some("fr")).unwrap();
    let text = format_hits_text(&hits);
    assert!(text.starts_with("1. Imprimante hors ligne › Redémarrer le spouleur d'impression  ("));
    assert!(text.contains("\n   kb/imprimante-hors-ligne/#redemarrer-le-spouleur\n"));
    let json: serde_json::Value = serde_json::from_str(&format_hits_json(&hits)).unwrap();
    assert_eq!(
        json[0]["url"],
        "kb/imprimante-hors-ligne/#redemarrer-le-spouleur"
    );
    assert_eq!(json[0]["title"], "Imprimante hors ligne");
    assert_eq!(json[0]["section"], "Base de connaissances");
    assert!(json[0]["score"].as_f64().unwrap() > 0.0);
    assert_eq!(format_hits_text(&[]), "Aucun résultat.\n");
}

#[test]
fn fragments_of_consecutive_pages_share_files_of_bounded_size() {
    let docs: Vec<SearchDoc> = (0..600)
        .map(|n| {
            page(
                &format!("p{n:03}/"),
                &format!("Page {n}"),
                "fr",
                "KB",
                &[("tags", "fiche")],
                vec![
                    block(
                        "",
                        "",
                        &format!("terme{n:03}z commun {}", "mot ".repeat(n % 40)),
                        "",
                    ),
                    block("suite", "Suite", "encore du texte", ""),
                ],
            )
        })
        .collect();
    let files = build_index(&docs);
    let file = |path: &str| &files.iter().find(|(p, _)| p == path).unwrap().1;
    let meta: serde_json::Value = serde_json::from_slice(file("search/fr/meta.json")).unwrap();
    assert_eq!(meta["v"], 3);
    let table = meta["frag"].as_array().unwrap();
    let hash = meta["frag_hash"].as_str().unwrap();
    assert_eq!(hash.len(), 12);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()), "{hash}");
    // Exactly the files f/<hash>-0.json … f/<hash>-<n-1>.json, one per row of the table.
    let mut expected: Vec<String> = (0..table.len())
        .map(|n| format!("search/fr/f/{hash}-{n}.json"))
        .collect();
    expected.sort();
    let written: Vec<&String> = files
        .iter()
        .map(|(p, _)| p)
        .filter(|p| p.starts_with("search/fr/f/"))
        .collect();
    assert_eq!(written, expected.iter().collect::<Vec<_>>());
    // The files hold the 600 pages in URL order; each starts at the page the table gives.
    let mut next_page = 0;
    let mut lists: Vec<(usize, Vec<serde_json::Value>)> = Vec::new();
    for (n, first) in table.iter().enumerate() {
        assert_eq!(first.as_u64().unwrap() as usize, next_page);
        let bytes = file(&format!("search/fr/f/{hash}-{n}.json"));
        let list: Vec<serde_json::Value> = serde_json::from_slice(bytes).unwrap();
        for (offset, fragment) in list.iter().enumerate() {
            assert_eq!(fragment["u"], format!("p{:03}/", next_page + offset));
        }
        next_page += list.len();
        lists.push((bytes.len(), list));
    }
    assert_eq!(next_page, 600);
    assert_eq!(table.len(), 8);
    // Greedy packing: no file passes the bound, and each file was closed only because the
    // next page's fragment did not fit (a comma and the fragment's JSON).
    for (index, (bytes, list)) in lists.iter().enumerate() {
        assert!(
            *bytes <= FRAGMENT_FILE_BYTES || list.len() == 1,
            "{bytes} bytes"
        );
        if let Some((_, next)) = lists.get(index + 1) {
            let next_len = serde_json::to_vec(&next[0]).unwrap().len();
            assert!(bytes + 1 + next_len > FRAGMENT_FILE_BYTES);
        }
    }
    // Results from the first and the last file show their title and section.
    let dir = fresh_dir("ranking-fragments");
    write_index(&dir, &docs);
    for n in [0, 299, 599] {
        let hits = query(&dir, &format!("terme{n:03}z"), 5, Some("fr")).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].url, format!("p{n:03}/"));
        assert_eq!(hits[0].title, format!("Page {n}"));
        assert_eq!(hits[0].section, "KB");
    }
    let hits = query(&dir, "suite", 600, Some("fr")).unwrap();
    assert_eq!(hits.len(), 600);
    assert!(
        hits.iter()
            .all(|h| h.url.ends_with("/#suite") && h.heading == "Suite")
    );
}
