//! A term in most sections is cut into a head, a titles file and page-range blocks of body
//! postings (src/search/tiers.rs); queries read the titles and the blocks only while the
//! results shown could change, and show exactly the hits the whole lists give, in Rust and in
//! search.js alike.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::{node, repo};
use crate::search_support::{block, fresh_dir, page, write_index};
use guichet::search::{SearchDoc, analyse, search, search_whole};

const PAGES: usize = 2400;
const FILLERS: [&str; 9] = [
    "poste", "session", "compte", "droits", "dossier", "partage", "client", "console", "journal",
];

/// 2,400 pages of four sections, "serveur" in every section (1 to 4 times, in sections of
/// varied length) and in a quarter of the titles, "réseau" in half the sections, "redémarrer"
/// in a third, "imprimante" in one page out of twenty; category A or B.
fn tiered_corpus() -> Vec<SearchDoc> {
    (0..PAGES)
        .map(|n| {
            let title = if n % 4 == 0 {
                let extra: Vec<&str> = FILLERS[..n % 3].to_vec();
                format!("Serveur {} fiche {n}", extra.join(" "))
            } else {
                format!("Fiche {} {n}", FILLERS[n % 9])
            };
            let blocks = (0..4)
                .map(|k| {
                    let mut words: Vec<&str> = vec!["serveur"; 1 + (n * k + n / 7) % 4];
                    for f in 0..3 + (n * 3 + k) % 9 {
                        words.push(FILLERS[(n + f) % 9]);
                    }
                    if (n + k) % 2 == 0 {
                        words.push("réseau");
                    }
                    if (n + k) % 3 == 0 {
                        words.push("redémarrer");
                    }
                    if n % 20 == 0 && k == 1 {
                        words.push("imprimante");
                    }
                    let anchor = section_anchor(k);
                    let heading = if k == 0 {
                        String::new()
                    } else {
                        format!("Partie {k}")
                    };
                    block(&anchor, &heading, &words.join(" "), "")
                })
                .collect();
            let category = if n % 2 == 0 { "A" } else { "B" };
            page(
                &format!("p{n:04}/"),
                &title,
                "fr",
                "KB",
                &[("category", category)],
                blocks,
            )
        })
        .collect()
}

/// The anchor of a page's `k`th section: none for the first, `s{k}` after.
fn section_anchor(k: usize) -> String {
    if k == 0 {
        String::new()
    } else {
        format!("s{k}")
    }
}

fn key(word: &str) -> String {
    analyse(word, "fr").remove(0).key
}

/// The entry of `term` in its chunk, as stored.
fn stored_entry(site: &Path, term: &str) -> serde_json::Value {
    stored_entry_in(site, "fr", term)
}

/// The entry of `term` in its chunk of the `lang` index, as stored.
fn stored_entry_in(site: &Path, lang: &str, term: &str) -> serde_json::Value {
    let dir = site.join("search").join(lang);
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("meta.json")).unwrap()).unwrap();
    let chunks = meta["chunks"].as_array().unwrap();
    let at = chunks
        .iter()
        .rposition(|c| c[0].as_str().unwrap() <= term)
        .unwrap();
    let file = dir.join(chunks[at][1].as_str().unwrap());
    let chunk: serde_json::Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    chunk[term].clone()
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// A delta-encoded list `[id0, id1 - id0, …]` of a tier file or a head's forms, as ids.
fn delta_decoded(list: &serde_json::Value) -> Vec<u64> {
    let mut id = 0;
    list.as_array()
        .unwrap()
        .iter()
        .map(|n| {
            id += n.as_u64().unwrap();
            id
        })
        .collect()
}

/// Pages listed by a tier file `[body ids, body impacts, title pages, title impacts, {…}]`.
fn tier_pages_of(part: &serde_json::Value) -> Vec<u64> {
    let mut pages: Vec<u64> = delta_decoded(&part[0])
        .into_iter()
        .map(|id| id >> 7)
        .collect();
    pages.extend(delta_decoded(&part[2]));
    assert_eq!(
        part[0].as_array().unwrap().len(),
        part[1].as_array().unwrap().len()
    );
    assert_eq!(
        part[2].as_array().unwrap().len(),
        part[3].as_array().unwrap().len()
    );
    pages.sort_unstable();
    pages.dedup();
    pages
}

/// Pages listed by a head `[body, title, {form: ids}, …]`.
fn pages_of(part: &serde_json::Value) -> Vec<u64> {
    let mut pages = Vec::new();
    let mut id = 0;
    for (index, n) in part[0].as_array().unwrap().iter().enumerate() {
        if index % 2 == 0 {
            id += n.as_u64().unwrap();
            pages.push(id >> 7);
        }
    }
    let mut page = 0;
    for (index, n) in part[1].as_array().unwrap().iter().enumerate() {
        if index % 2 == 0 {
            page += n.as_u64().unwrap();
            pages.push(page);
        }
    }
    pages.sort_unstable();
    pages.dedup();
    pages
}

/// The files of a cut term of the French index past its head, in the order a query reads them
/// whole: its titles, then its titled blocks, then its other blocks.
fn tier_files(site: &Path, term: &str) -> Vec<String> {
    tier_files_in(site, "fr", term)
}

/// The files of a cut term of the `lang` index past its head (see [`tier_files`]).
fn tier_files_in(site: &Path, lang: &str, term: &str) -> Vec<String> {
    let table = &stored_entry_in(site, lang, term)[3];
    let hash = table[4].as_str().unwrap();
    let mut files = vec![format!("search/{lang}/t/{hash}-t.json")];
    for (list, letter) in [(5, 'a'), (6, 'b')] {
        for (block, max) in table[list][1].as_array().unwrap().iter().enumerate() {
            if max.as_f64().unwrap() > 0.0 {
                files.push(format!("search/{lang}/t/{hash}-{letter}{block}.json"));
            }
        }
    }
    files
}

#[test]
fn a_large_term_keeps_its_highest_reach_pages_in_its_chunk_its_titles_and_body_blocks_apart() {
    let dir = fresh_dir("tiers-layout");
    write_index(&dir, &tiered_corpus());
    // An index with a cut term is format 6 (a reader of format 3 would take heads for whole
    // lists); an index without one stays format 3, byte for byte.
    let meta = read_json(&dir.join("search/fr/meta.json"));
    assert_eq!(meta["v"], 6);
    // Format 6 writes the fragment table as differences: each is the number of pages of the
    // file before.
    let frag: Vec<u64> = meta["frag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    assert_eq!(frag[0], 0);
    let hash = meta["frag_hash"].as_str().unwrap();
    for (file, difference) in frag.iter().enumerate().skip(1) {
        let previous = read_json(&dir.join(format!("search/fr/f/{hash}-{}.json", file - 1)));
        assert_eq!(previous.as_array().unwrap().len() as u64, *difference);
    }
    assert!(frag.len() > 2);
    let serveur = stored_entry(&dir, &key("serveur"));
    let counts = &serveur[3];
    // Every section, a quarter of the titles, every page.
    assert_eq!(counts[0], 9600);
    assert_eq!(counts[1], 600);
    assert_eq!(counts[2], 2400);
    // The largest reach outside the head, the hash naming the files, and the two lists of
    // blocks: 512 pages a block for the titled pages, 1,024 for the others.
    assert!(counts[3].as_f64().unwrap() > 0.0);
    let hash = counts[4].as_str().unwrap();
    let head = pages_of(&serveur);
    let titles = read_json(&dir.join(format!("search/fr/t/{hash}-t.json")));
    let titled = tier_pages_of(&titles);
    assert_eq!(titles[0], serde_json::json!([]));
    let mut shifts = Vec::new();
    let mut listed = vec![head.clone()];
    for (list, letter) in [(5, 'a'), (6, 'b')] {
        let shift = counts[list][0].as_u64().unwrap();
        shifts.push(shift);
        let maxima = counts[list][1].as_array().unwrap();
        assert_eq!(maxima.len() as u64, (2400 + (1 << shift) - 1) >> shift);
        for (block, max) in maxima.iter().enumerate() {
            let path = dir.join(format!("search/fr/t/{hash}-{letter}{block}.json"));
            if max.as_f64().unwrap() == 0.0 {
                assert!(!path.exists(), "{}", path.display());
                continue;
            }
            // A block holds body postings only, of its own range of pages, titled or not as
            // its list says.
            let part = read_json(&path);
            assert_eq!(part[2], serde_json::json!([]));
            let pages = tier_pages_of(&part);
            assert!(!pages.is_empty());
            assert!(
                pages.iter().all(|p| p >> shift == block as u64),
                "{letter}{block}"
            );
            assert!(pages.iter().all(|p| titled.contains(p) == (letter == 'a')));
            listed.push(pages);
        }
    }
    assert_eq!(shifts, [9, 10]);
    // The head's 256 pages (all titled: a title reaches highest) and the titles file's
    // 344 make the 600 titles; then every page once, in the head or in one block.
    assert_eq!((head.len(), titled.len()), (256, 344));
    assert!(titled.iter().all(|p| !head.contains(p)));
    let mut all: Vec<u64> = listed.concat();
    assert_eq!(all.len(), 2400);
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 2400);
    // A term in one page out of twenty stays whole: no tier table.
    let imprimante = stored_entry(&dir, &key("imprimante"));
    assert_eq!(imprimante.as_array().unwrap().len(), 2);
}

/// Queries, and a filter, over every query and limit of the tests below.
const QUERIES: [&str; 9] = [
    "serveur",
    "serveur réseau",
    "réseau",
    "imprimante",
    "serveur imprimante",
    "redémarrer",
    "redemarrer serveur",
    "serv",
    "fiche",
];
const LIMITS: [usize; 4] = [1, 10, 50, 5000];

fn filters(category: Option<&str>) -> BTreeMap<String, Vec<String>> {
    category
        .map(|c| BTreeMap::from([("category".to_string(), vec![c.to_string()])]))
        .unwrap_or_default()
}

#[test]
fn tiered_queries_show_exactly_the_hits_of_the_whole_lists() {
    let dir = fresh_dir("tiers-exact");
    write_index(&dir, &tiered_corpus());
    for q in QUERIES {
        for limit in LIMITS {
            for category in [None, Some("A")] {
                let filters = filters(category);
                let tiered = search(&dir, q, limit, Some("fr"), &filters).unwrap();
                let whole = search_whole(&dir, q, limit, Some("fr"), &filters).unwrap();
                assert_eq!(tiered.hits, whole.hits, "{q:?} limit {limit} {category:?}");
                assert!(!whole.partial);
                if tiered.partial {
                    assert!(tiered.total <= whole.total, "{q:?} limit {limit}");
                } else {
                    assert_eq!(tiered.total, whole.total, "{q:?} limit {limit}");
                }
            }
        }
    }
    // The first ten of "serveur" come from its head: the count is then "at least" the pages
    // having the word, here all of them.
    let first = search(&dir, "serveur", 10, Some("fr"), &BTreeMap::new()).unwrap();
    assert!(first.partial);
    assert_eq!(first.total, 2400);
    assert_eq!(first.hits[0].url, "p0024/");
    // Asking for every result reads every tier: the count is exact.
    let every = search(&dir, "serveur", 5000, Some("fr"), &BTreeMap::new()).unwrap();
    assert!(!every.partial);
    assert_eq!((every.total, every.hits.len()), (2400, 2400));
}

/// search.js over the French index: per query, {hits, files, total, partial}.
fn node_trace(site: &Path, limit: usize, queries: &[(&str, &str)]) -> Vec<serde_json::Value> {
    node_trace_in(site, "fr", limit, queries)
}

/// search.js over the `lang` index ("*": every language's): per query, {hits, files, total,
/// partial}.
fn node_trace_in(
    site: &Path,
    lang: &str,
    limit: usize,
    queries: &[(&str, &str)],
) -> Vec<serde_json::Value> {
    let batch: Vec<serde_json::Value> = queries
        .iter()
        .map(|(q, f)| serde_json::json!([q, serde_json::from_str::<serde_json::Value>(f).unwrap()]))
        .collect();
    let output = Command::new("node")
        .env("GUICHET_TRACE_FILES", "1")
        .env("GUICHET_LIMIT", limit.to_string())
        .arg(repo("tests/js/query-site.js"))
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
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn the_browser_reads_the_same_tiers_and_ranks_like_rust() {
    if !node() {
        return;
    }
    let dir = fresh_dir("tiers-node");
    write_index(&dir, &tiered_corpus());
    let mut batch: Vec<(&str, &str)> = QUERIES.iter().map(|q| (*q, "{}")).collect();
    batch.extend(QUERIES.iter().map(|q| (*q, r#"{"category":["A"]}"#)));
    for limit in LIMITS {
        let traces = node_trace(&dir, limit, &batch);
        for ((q, filter), trace) in batch.iter().zip(&traces) {
            let category = (filter.len() > 2).then_some("A");
            let rust = search(&dir, q, limit, Some("fr"), &filters(category)).unwrap();
            let urls: Vec<&str> = trace["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["url"].as_str().unwrap())
                .collect();
            let expected: Vec<&str> = rust.hits.iter().map(|h| h.url.as_str()).collect();
            assert_eq!(urls, expected, "{q:?} limit {limit} {filter}");
            for (hit, node_hit) in rust.hits.iter().zip(trace["hits"].as_array().unwrap()) {
                let score = node_hit["score"].as_f64().unwrap();
                assert!((hit.score - score).abs() <= 1e-9 * hit.score.max(1.0));
            }
            assert_eq!(trace["total"], rust.total, "{q:?} limit {limit} {filter}");
            assert_eq!(
                trace["partial"], rust.partial,
                "{q:?} limit {limit} {filter}"
            );
        }
    }
    // The first ten of "serveur" read its head only; all its results read its every tier.
    let tiers = tier_files(&dir, &key("serveur"));
    let files = |trace: &serde_json::Value| -> Vec<String> {
        trace["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .filter(|f| f.contains("/t/"))
            .collect()
    };
    let first = &node_trace(&dir, 10, &[("serveur", "{}")])[0];
    assert!(files(first).iter().all(|f| !tiers.contains(f)), "{first}");
    assert_eq!(first["partial"], true);
    let every = &node_trace(&dir, 5000, &[("serveur", "{}")])[0];
    let read: Vec<String> = files(every)
        .into_iter()
        .filter(|f| tiers.contains(f))
        .collect();
    assert_eq!(read, tiers);
    assert_eq!(every["partial"], false);
}

/// The tiered French corpus and 3,000 English pages (category C) with "printer" in every
/// section, cut into tiers too: "printer" is a synonym of "imprimante".
fn bilingual_corpus() -> Vec<SearchDoc> {
    let mut docs = tiered_corpus();
    docs.extend((0..3000).map(|n| {
        let blocks = (0..4)
            .map(|k| {
                let mut words = vec!["printer"; 1 + (n * k + n / 7) % 4];
                words.extend(
                    ["queue", "driver", "spool"]
                        .iter()
                        .cycle()
                        .take((n + k) % 9),
                );
                let anchor = section_anchor(k);
                block(&anchor, "", &words.join(" "), "")
            })
            .collect();
        let title = if n % 4 == 0 {
            format!("Printer sheet {n}")
        } else {
            format!("Sheet {n}")
        };
        page(
            &format!("en/p{n:04}/"),
            &title,
            "en",
            "KB",
            &[("category", "C")],
            blocks,
        )
    }));
    docs
}

#[test]
fn a_language_without_the_words_typed_reads_its_synonyms_only_when_no_language_has_them() {
    let dir = fresh_dir("tiers-foreign");
    write_index(&dir, &bilingual_corpus());
    let printer = stored_entry_in(&dir, "en", "printer");
    let printer_tiers = tier_files_in(&dir, "en", "printer");
    assert!(printer_tiers.len() >= 2, "{}", printer[3]);
    let only_c = r#"{"category":["C"]}"#;
    for (filter, language) in [("{}", "fr"), (only_c, "en")] {
        let filters: BTreeMap<String, Vec<String>> = serde_json::from_str(filter).unwrap();
        for limit in [10, 5000] {
            let tiered = search(&dir, "imprimante", limit, None, &filters).unwrap();
            let whole = search_whole(&dir, "imprimante", limit, None, &filters).unwrap();
            assert_eq!(tiered.hits, whole.hits, "{filter} limit {limit}");
            assert!(!tiered.hits.is_empty());
            // French pages have the word: the English synonym-only pages are left out. With
            // only English pages let through, they are the results.
            assert!(tiered.hits.iter().all(|h| h.language == language));
        }
    }
    if !node() {
        return;
    }
    let traces = node_trace_in(
        &dir,
        "*",
        10,
        &[("imprimante", "{}"), ("imprimante", only_c)],
    );
    let read = |trace: &serde_json::Value| -> Vec<String> {
        trace["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .filter(|f| printer_tiers.contains(f))
            .collect()
    };
    // The English synonym's tiers, read whole for a synonym, are not read at all when French
    // has the word; with the filter they are, and the hits are Rust's.
    assert_eq!(read(&traces[0]), Vec::<String>::new(), "{}", traces[0]);
    assert_eq!(read(&traces[1]), printer_tiers);
    for ((_, filter), trace) in [("", "{}"), ("", only_c)].iter().zip(&traces) {
        let filters: BTreeMap<String, Vec<String>> = serde_json::from_str(filter).unwrap();
        let rust = search(&dir, "imprimante", 10, None, &filters).unwrap();
        let urls: Vec<&str> = trace["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["url"].as_str().unwrap())
            .collect();
        let expected: Vec<&str> = rust.hits.iter().map(|h| h.url.as_str()).collect();
        assert_eq!(urls, expected, "{filter}");
    }
}

/// 2,400 pages of four sections, "réseau" in every section but some introductions, with its
/// accent in some and without in others, and in two titles out of three (accented in half of
/// those).
fn accented_corpus() -> Vec<SearchDoc> {
    (0..PAGES)
        .map(|n| {
            let title = match n % 3 {
                0 => format!("Réseau fiche {n}"),
                1 => format!("Reseau {} fiche {n}", FILLERS[n % 9]),
                _ => format!("Fiche {n}"),
            };
            let blocks = (0..4)
                .map(|k| {
                    let word = if (n + k) % 2 == 0 {
                        "réseau"
                    } else {
                        "reseau"
                    };
                    // Some introductions lack the word: an accented title is then not one
                    // of the body postings.
                    let count = if k == 0 && n % 4 == 1 {
                        0
                    } else {
                        1 + (n * k + n / 5) % 3
                    };
                    let mut words = vec![word; count];
                    for f in 0..2 + (n + k) % 7 {
                        words.push(FILLERS[(n + f) % 9]);
                    }
                    let anchor = section_anchor(k);
                    block(&anchor, "", &words.join(" "), "")
                })
                .collect();
            page(&format!("p{n:04}/"), &title, "fr", "KB", &[], blocks)
        })
        .collect()
}

#[test]
fn accented_forms_in_blocks_are_runs_over_their_body_ids_and_give_the_whole_lists_hits() {
    let dir = fresh_dir("tiers-accents");
    write_index(&dir, &accented_corpus());
    let files = tier_files(&dir, &key("réseau"));
    assert!(files.len() >= 3, "{files:?}");
    // The titles file holds no form: a form's ids are sections, in the blocks.
    assert_eq!(read_json(&dir.join(&files[0]))[4], serde_json::json!({}));
    let mut others = 0;
    for file in &files[1..] {
        let part = read_json(&dir.join(file));
        let runs = &part[4]["réseau"];
        // Half the sections use the accent: runs alternate over the body. A block has no
        // title list to run over.
        assert!(runs[0].as_array().unwrap().len() > 2, "{file}: {}", runs[0]);
        assert_eq!(runs[1], serde_json::json!([0]), "{file}");
        if runs.as_array().unwrap().len() == 3 {
            others += 1;
        }
    }
    // Accented titles of pages whose first section does not use the word follow as ids.
    assert!(others >= 1);
    assert_eq!(written_form_ids(&dir, "réseau"), accented_ids());
    let queries = ["réseau", "reseau", "réseau fiche", "fiche reseau", "rés"];
    for q in queries {
        for limit in LIMITS {
            let tiered = search(&dir, q, limit, Some("fr"), &BTreeMap::new()).unwrap();
            let whole = search_whole(&dir, q, limit, Some("fr"), &BTreeMap::new()).unwrap();
            assert_eq!(tiered.hits, whole.hits, "{q:?} limit {limit}");
        }
    }
    if !node() {
        return;
    }
    let batch: Vec<(&str, &str)> = queries.iter().map(|q| (*q, "{}")).collect();
    for limit in LIMITS {
        let traces = node_trace(&dir, limit, &batch);
        for ((q, _), trace) in batch.iter().zip(&traces) {
            let rust = search(&dir, q, limit, Some("fr"), &BTreeMap::new()).unwrap();
            let node_hits = trace["hits"].as_array().unwrap();
            let urls: Vec<&str> = node_hits
                .iter()
                .map(|h| h["url"].as_str().unwrap())
                .collect();
            let expected: Vec<&str> = rust.hits.iter().map(|h| h.url.as_str()).collect();
            assert_eq!(urls, expected, "{q:?} limit {limit}");
            for (hit, node_hit) in rust.hits.iter().zip(node_hits) {
                let score = node_hit["score"].as_f64().unwrap();
                assert!((hit.score - score).abs() <= 1e-9 * hit.score.max(1.0));
            }
        }
    }
}

/// The ids using "réseau" with its accent in [`accented_corpus`]: the sections writing it and
/// the first section of the pages whose title does.
fn accented_ids() -> Vec<u64> {
    let mut ids = Vec::new();
    for n in 0..PAGES as u64 {
        for k in 0..4 {
            let written = !(k == 0 && n % 4 == 1);
            if written && (n + k) % 2 == 0 {
                ids.push(n << 7 | k);
            }
        }
        if n % 3 == 0 {
            ids.push(n << 7);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The ids of `form` of the cut word "réseau" as written: the head's delta-encoded ids and
/// each block's runs over its body ids, then its other ids.
fn written_form_ids(site: &Path, form: &str) -> Vec<u64> {
    let marked = |runs: &serde_json::Value, list: &[u64]| -> Vec<u64> {
        let mut out = Vec::new();
        let mut at = 0;
        for (index, run) in runs.as_array().unwrap().iter().enumerate() {
            let run = run.as_u64().unwrap() as usize;
            if index % 2 == 0 {
                out.extend_from_slice(&list[at..at + run]);
            }
            at += run;
        }
        out
    };
    let term = key("réseau");
    let mut ids = delta_decoded(&stored_entry(site, &term)[2][form]);
    for file in tier_files(site, &term) {
        let part = read_json(&site.join(file));
        let runs = &part[4][form];
        if runs.is_null() {
            continue;
        }
        ids.extend(marked(&runs[0], &delta_decoded(&part[0])));
        let pages: Vec<u64> = delta_decoded(&part[2]);
        ids.extend(marked(&runs[1], &pages).into_iter().map(|page| page << 7));
        if let Some(other) = runs.get(2) {
            ids.extend(delta_decoded(other));
        }
    }
    ids.sort_unstable();
    ids
}

/// Pages of [`body_corpus`].
const BODY_PAGES: usize = 6000;

/// The pages of [`body_corpus`] whose last section has "alpha" and "beta" three times each.
fn body_only_pages() -> Vec<usize> {
    (0..12).map(|k| 3000 + 3 * k + 2).collect()
}

/// 6,000 pages of four sections, no title having "alpha" or "beta". A third of the pages
/// have "alpha" alone in every section, six times in the introduction: they are its head; a
/// third "beta" likewise; the others have both once in a long second section, and in
/// [`body_only_pages`] three times each in their last section. Those twelve pages rank
/// first for "alpha beta", and only the other pages' blocks hold them.
fn body_corpus() -> Vec<SearchDoc> {
    let special = body_only_pages();
    (0..BODY_PAGES)
        .map(|n| {
            let fillers =
                |count: usize| -> Vec<&str> { (0..count).map(|f| FILLERS[(n + f) % 9]).collect() };
            let sections: Vec<Vec<&str>> = match n % 3 {
                0 | 1 => {
                    let word = if n % 3 == 0 { "alpha" } else { "beta" };
                    vec![
                        [vec![word; 6], fillers(1)].concat(),
                        [vec![word], fillers(6)].concat(),
                        [vec![word], fillers(7)].concat(),
                        [vec![word], fillers(8)].concat(),
                    ]
                }
                _ => vec![
                    fillers(5),
                    [vec!["alpha", "beta"], fillers(12)].concat(),
                    fillers(6),
                    if special.contains(&n) {
                        [vec!["alpha"; 3], vec!["beta"; 3]].concat()
                    } else {
                        fillers(4)
                    },
                ],
            };
            let blocks = sections
                .iter()
                .enumerate()
                .map(|(k, words)| {
                    let anchor = section_anchor(k);
                    block(&anchor, "", &words.join(" "), "")
                })
                .collect();
            page(
                &format!("p{n:04}/"),
                &format!("Fiche {n}"),
                "fr",
                "KB",
                &[],
                blocks,
            )
        })
        .collect()
}

#[test]
fn results_found_only_in_body_blocks_are_read_from_their_blocks_alone() {
    let dir = fresh_dir("tiers-body");
    write_index(&dir, &body_corpus());
    let special: Vec<String> = body_only_pages()
        .iter()
        .map(|n| format!("p{n:04}/#s3"))
        .collect();
    for word in ["alpha", "beta"] {
        let entry = stored_entry(&dir, &key(word));
        // Cut, with no title at all, and the twelve pages outside its head.
        assert_eq!(entry[3][1], 0, "{word}");
        let head = pages_of(&entry);
        assert!(!head.is_empty());
        assert!(
            body_only_pages()
                .iter()
                .all(|n| !head.contains(&(*n as u64))),
            "{word}"
        );
    }
    for limit in [1, 10, 12] {
        let tiered = search(&dir, "alpha beta", limit, Some("fr"), &BTreeMap::new()).unwrap();
        let whole = search_whole(&dir, "alpha beta", limit, Some("fr"), &BTreeMap::new()).unwrap();
        assert_eq!(tiered.hits, whole.hits, "limit {limit}");
        let mut urls: Vec<String> = tiered.hits.iter().map(|h| h.url.clone()).collect();
        assert_eq!(urls.len(), limit);
        urls.retain(|u| !special.contains(u));
        assert_eq!(urls, Vec::<String>::new(), "limit {limit}");
        assert!(tiered.partial, "limit {limit}");
    }
    if !node() {
        return;
    }
    let trace = &node_trace(&dir, 10, &[("alpha beta", "{}")])[0];
    let rust = search(&dir, "alpha beta", 10, Some("fr"), &BTreeMap::new()).unwrap();
    let urls: Vec<&str> = trace["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = rust.hits.iter().map(|h| h.url.as_str()).collect();
    assert_eq!(urls, expected);
    // Both words' titles (empty) and the blocks holding the twelve pages, not the others.
    for word in ["alpha", "beta"] {
        let files = tier_files(&dir, &key(word));
        let read: Vec<&str> = trace["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .filter(|f| files.iter().any(|t| t == f))
            .collect();
        let table = &stored_entry(&dir, &key(word))[3];
        let hash = table[4].as_str().unwrap();
        let shift = table[6][0].as_u64().unwrap();
        let mut blocks: Vec<String> = body_only_pages()
            .iter()
            .map(|n| format!("search/fr/t/{hash}-b{}.json", (*n as u64) >> shift))
            .collect();
        blocks.dedup();
        let mut expected = vec![format!("search/fr/t/{hash}-t.json")];
        expected.extend(blocks);
        assert_eq!(read, expected, "{word}");
        assert!(read.len() < files.len(), "{word}: {} files", files.len());
    }
}
