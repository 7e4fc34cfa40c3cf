//! Typo tolerance, synonyms and grouped sections, from index files written to disk (the shared
//! vectors in tests/search_vectors.json run the same cases through both engines).

use std::collections::BTreeMap;

use crate::search_support::{block, corpus, fresh_dir, page, write_index};
use guichet::search::{build_index_with_synonyms, query, search};

#[test]
fn a_corrected_word_ranks_below_the_same_word_typed_right() {
    let dir = fresh_dir("tolerance-weight");
    write_index(&dir, &corpus());
    let exact = query(&dir, "outlook", 1, Some("fr")).unwrap();
    for typo in ["outlok", "outloook", "outlaok", "otulook"] {
        let corrected = query(&dir, typo, 1, Some("fr")).unwrap();
        assert_eq!(corrected[0].url, exact[0].url, "{typo}");
        assert!(corrected[0].score < exact[0].score, "{typo}");
    }
}

#[test]
fn a_word_of_the_site_is_never_corrected_into_another() {
    let dir = fresh_dir("tolerance-exact");
    write_index(&dir, &corpus());
    let none = BTreeMap::new();
    let exact = search(&dir, "ecran", 10, Some("fr"), &none).unwrap();
    assert_eq!(exact.hits.len(), 1);
    assert_eq!(exact.suggestion, None);
    let typo = search(&dir, "ecrun", 10, Some("fr"), &none).unwrap();
    assert_eq!(typo.hits.len(), 2);
    assert_eq!(typo.suggestion.as_deref(), Some("écran"));
}

#[test]
fn the_other_matching_sections_of_a_page_are_grouped_under_it() {
    let dir = fresh_dir("tolerance-more");
    write_index(&dir, &corpus());
    let hits = query(&dir, "outlook", 10, Some("fr")).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].url, "kb/outlook/");
    let more: Vec<(&str, &str)> = hits[0]
        .more
        .iter()
        .map(|m| (m.url.as_str(), m.heading.as_str()))
        .collect();
    assert_eq!(
        more,
        vec![
            ("kb/outlook/#recreer-le-profil", "Recréer le profil"),
            ("kb/outlook/#verifier-le-stockage", "Vérifier le stockage"),
        ]
    );
}

#[test]
fn site_synonyms_work_both_ways_and_never_outrank_the_word_itself() {
    let docs = vec![
        page(
            "kb/tunnel/",
            "Le tunnel ne monte pas",
            "fr",
            "KB",
            &[],
            vec![block("", "", "Relancer le tunnel depuis le portail.", "")],
        ),
        page(
            "kb/vpn/",
            "Le VPN ne monte pas",
            "fr",
            "KB",
            &[],
            vec![block("", "", "Relancer le VPN depuis le portail.", "")],
        ),
        page(
            "kb/vpn-long/",
            "Accès distant",
            "fr",
            "KB",
            &[],
            vec![block(
                "",
                "",
                "Le client VPN se connecte au concentrateur.",
                "",
            )],
        ),
    ];
    let dir = fresh_dir("tolerance-site-synonyms");
    for (path, bytes) in build_index_with_synonyms(&docs, &[vec!["tunnel".into(), "vpn".into()]]) {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
    let urls = |q: &str| -> Vec<String> {
        query(&dir, q, 10, Some("fr"))
            .unwrap()
            .into_iter()
            .map(|h| h.url)
            .collect()
    };
    // "tunnel" has the word itself in one page title: that page first, then the synonym's.
    assert_eq!(
        urls("tunnel"),
        vec!["kb/tunnel/", "kb/vpn/", "kb/vpn-long/"]
    );
    assert_eq!(urls("vpn"), vec!["kb/vpn/", "kb/vpn-long/", "kb/tunnel/"]);
    // Without the site's group, "tunnel" only finds its own page.
    write_index(&dir, &docs);
    assert_eq!(urls("tunnel"), vec!["kb/tunnel/"]);
}

#[test]
fn typo_files_hold_the_plain_words_by_first_letter_and_length() {
    let words = [
        "serveur",
        "imprimante",
        "outlook",
        "routeur",
        "sauvegarde",
        "pilote",
    ];
    let docs: Vec<_> = (0..600)
        .map(|n| {
            let letters: String = [n / 676, (n / 26) % 26, n % 26]
                .iter()
                .map(|d| char::from(b'a' + *d as u8))
                .collect();
            let text = format!(
                "{} terme{letters} mesure{letters} mot{n:03}z 0x{n:04x}",
                words[n % words.len()]
            );
            page(
                &format!("p{n:03}/"),
                &format!("Page {n}"),
                "fr",
                "KB",
                &[],
                vec![block("", "", &text, "")],
            )
        })
        .collect();
    let files = guichet::search::build_index(&docs);
    let file = |path: &str| &files.iter().find(|(p, _)| p == path).unwrap().1;
    let meta: serde_json::Value = serde_json::from_slice(file("search/fr/meta.json")).unwrap();
    let table = meta["typo"].as_array().unwrap();
    assert!(table.len() >= 2, "{} typo files", table.len());
    let mut keys = Vec::new();
    for row in table {
        let list: Vec<serde_json::Value> =
            serde_json::from_slice(file(&format!("search/fr/{}", row[1].as_str().unwrap())))
                .unwrap();
        assert_eq!(list.len() % 3, 0);
        let first = list[0].as_str().unwrap();
        let length = first.chars().count();
        assert_eq!(
            row[0].as_str().unwrap(),
            format!("{}{length:02}{first}", first.chars().next().unwrap())
        );
        for triple in list.chunks(3) {
            let word = triple[0].as_str().unwrap();
            assert!(word.chars().all(char::is_alphabetic), "{word}");
            assert!(triple[1].as_u64().unwrap() >= 1);
            keys.push((
                word.chars().next().unwrap(),
                word.chars().count(),
                word.to_string(),
            ));
        }
    }
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "sorted by first letter, length, word");
    // Identifiers are never in them; the written form is kept where it differs from the key.
    assert!(
        !keys
            .iter()
            .any(|(_, _, w)| w.starts_with("0x") || w.starts_with("mot0"))
    );
    let imprimant = table
        .iter()
        .flat_map(|row| {
            let list: Vec<serde_json::Value> =
                serde_json::from_slice(file(&format!("search/fr/{}", row[1].as_str().unwrap())))
                    .unwrap();
            list
        })
        .collect::<Vec<_>>();
    let at = imprimant.iter().position(|v| v == "imprimant").unwrap();
    assert_eq!(imprimant[at + 1], 100);
    assert_eq!(imprimant[at + 2], "imprimante");
}
