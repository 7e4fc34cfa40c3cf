//! "Tickets similaires" and related tickets: which write-ups to suggest beside a ticket.
//!
//! Similarity is the cosine of TF-IDF vectors over the ticket's title, category, tags and
//! body, after lower-casing, dropping French accents and common words, and a light plural
//! strip. Computed once at build time.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use rayon::prelude::*;

use super::model::Ticket;

/// How many similar tickets to keep per ticket.
const KEEP: usize = 5;
/// Below this cosine two write-ups share only incidental words.
const MIN_SCORE: f64 = 0.05;

/// For each ticket id (as text), up to five other ticket ids with their cosine similarity,
/// best first (ties by id).
///
/// Common terms are skipped: those in more than half of the tickets once there are ten or
/// more (idf ≤ ln 2, they weigh almost nothing), and those in more than a tenth of them
/// once there are a hundred or more. The second rule keeps the pairwise work near-linear on
/// large sites, where rarer words (models, error codes, asset names) tell more anyway.
pub fn similar_tickets(tickets: &[Ticket]) -> BTreeMap<String, Vec<(String, f64)>> {
    let docs: Vec<HashMap<String, f64>> = tickets
        .par_iter()
        .map(|t| term_counts(&text_of(t)))
        .collect();
    let n = docs.len();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for d in &docs {
        for term in d.keys() {
            *df.entry(term).or_default() += 1;
        }
    }
    let skip = |count: usize| (n >= 10 && count * 2 > n) || (n >= 100 && count * 10 > n);
    // Weighted, normalised vectors and the postings that find candidates quickly.
    let mut postings: HashMap<&str, Vec<(usize, f64)>> = HashMap::new();
    let mut vectors: Vec<Vec<(&str, f64)>> = Vec::with_capacity(n);
    for (i, d) in docs.iter().enumerate() {
        let mut v: Vec<(&str, f64)> = d
            .iter()
            .filter(|(term, _)| !skip(df[term.as_str()]))
            .map(|(term, tf)| {
                (
                    term.as_str(),
                    tf * (n as f64 / df[term.as_str()] as f64).ln(),
                )
            })
            .filter(|(_, w)| *w > 0.0)
            .collect();
        let norm = v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        v.iter_mut().for_each(|(_, w)| *w /= norm);
        v.sort_by(|a, b| a.0.cmp(b.0));
        for (term, w) in &v {
            postings.entry(term).or_default().push((i, *w));
        }
        vectors.push(v);
    }
    // Each ticket's scores are summed in the same order whatever the thread, so the result
    // is the same bytes run to run.
    vectors
        .par_iter()
        .enumerate()
        .map_init(
            || (vec![0.0f64; n], Vec::new()),
            |(scores, touched), (i, v)| {
                for (term, w) in v {
                    for (j, wj) in &postings[term] {
                        if *j != i {
                            if scores[*j] == 0.0 {
                                touched.push(*j);
                            }
                            scores[*j] += w * wj;
                        }
                    }
                }
                let mut best: Vec<(usize, f64)> = touched
                    .drain(..)
                    .map(|j| (j, std::mem::take(&mut scores[j])))
                    .filter(|(_, s)| *s >= MIN_SCORE)
                    .collect();
                best.sort_by(|a, b| {
                    b.1.total_cmp(&a.1)
                        .then(tickets[a.0].id.cmp(&tickets[b.0].id))
                });
                best.truncate(KEEP);
                (
                    tickets[i].id.to_string(),
                    best.into_iter()
                        .map(|(j, s)| (tickets[j].id.to_string(), (s * 1e6).round() / 1e6))
                        .collect(),
                )
            },
        )
        .collect()
}

/// For each ticket id, the related ids it declares plus those of tickets that declare it,
/// sorted, without duplicates or unknown ids.
pub fn related_both_ways(tickets: &[Ticket]) -> BTreeMap<u64, Vec<u64>> {
    let known: BTreeSet<u64> = tickets.iter().map(|t| t.id).collect();
    let mut links: BTreeMap<u64, BTreeSet<u64>> =
        known.iter().map(|id| (*id, BTreeSet::new())).collect();
    for t in tickets {
        for r in t
            .related
            .iter()
            .filter(|r| known.contains(r) && **r != t.id)
        {
            links.entry(t.id).or_default().insert(*r);
            links.entry(*r).or_default().insert(t.id);
        }
    }
    links
        .into_iter()
        .map(|(id, set)| (id, set.into_iter().collect()))
        .collect()
}

fn text_of(t: &Ticket) -> String {
    let mut text = format!("{} {} ", t.name, t.name);
    text.push_str(t.category.as_deref().unwrap_or(""));
    for tag in &t.tags {
        text.push(' ');
        text.push_str(tag);
    }
    text.push(' ');
    text.push_str(t.body());
    text
}

/// Common French words (and the write-up's own section titles) that say nothing about a
/// ticket's subject.
const STOP_WORDS: &[&str] = &[
    "les",
    "des",
    "une",
    "est",
    "dans",
    "pour",
    "par",
    "sur",
    "avec",
    "pas",
    "que",
    "qui",
    "aux",
    "son",
    "ses",
    "sont",
    "ont",
    "plus",
    "cette",
    "ces",
    "mais",
    "elle",
    "lui",
    "leur",
    "nous",
    "vous",
    "tout",
    "tous",
    "apres",
    "avant",
    "sans",
    "comme",
    "bien",
    "fait",
    "etre",
    "avoir",
    "ete",
    "deux",
    "encore",
    "depuis",
    "alors",
    "car",
    "donc",
    "puis",
    "aussi",
    "meme",
    "entre",
    "symptome",
    "diagnostic",
    "cause",
    "resolution",
    "verification",
    "prevention",
    "reponse",
    "utilisateur",
    "the",
    "and",
];

/// [`STOP_WORDS`] as a set: every word of every write-up is looked up twice.
static STOP_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| STOP_WORDS.iter().copied().collect());

fn term_counts(text: &str) -> HashMap<String, f64> {
    let mut counts: HashMap<String, f64> = HashMap::new();
    let mut folded = String::new();
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        folded.clear();
        folded.extend(raw.chars().flat_map(char::to_lowercase).map(fold_accent));
        if folded.chars().count() < 3 || STOP_SET.contains(folded.as_str()) {
            continue;
        }
        let term = match folded.strip_suffix('s') {
            Some(stem) if stem.chars().count() >= 4 => stem,
            _ => folded.as_str(),
        };
        if STOP_SET.contains(term) {
            continue;
        }
        match counts.get_mut(term) {
            Some(count) => *count += 1.0,
            None => {
                counts.insert(term.to_string(), 1.0);
            }
        }
    }
    counts
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' => 'i',
        'ô' | 'ö' => 'o',
        'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ÿ' => 'y',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(id: u64, name: &str, body: &str, related: &[u64]) -> Ticket {
        Ticket {
            id,
            name: name.into(),
            related: related.to_vec(),
            ..Ticket::default()
        }
        .with_body(body)
    }

    #[test]
    fn write_ups_on_one_subject_come_first() {
        let tickets = [
            t(
                1,
                "Imprimante bloquée",
                "Le bourrage papier de l'imprimante du bureau",
                &[],
            ),
            t(
                2,
                "Wi-Fi coupé",
                "Le point d'accès Wi-Fi redémarre en boucle",
                &[],
            ),
            t(
                3,
                "Imprimante hors ligne",
                "L'imprimante du bureau ne répond plus au ping",
                &[],
            ),
        ];
        let s = similar_tickets(&tickets);
        assert_eq!(s["1"][0].0, "3");
        assert_eq!(s["3"][0].0, "1");
        assert!(s["2"].is_empty());
        // Shared terms: imprimante (tf 3, idf ln 1.5) and bureau (tf 1, idf ln 1.5);
        // |v1|² = 8.8857, |v3|² = 13.7135, dot = 1.6440 -> cosine 0.148931.
        assert_eq!(s["1"], [("3".to_string(), 0.148931)]);
    }

    #[test]
    fn related_links_go_both_ways() {
        let tickets = [
            t(1, "a", "", &[2]),
            t(2, "b", "", &[]),
            t(3, "c", "", &[1, 99]),
        ];
        let r = related_both_ways(&tickets);
        assert_eq!(r[&1], [2, 3]);
        assert_eq!(r[&2], [1]);
        assert_eq!(r[&3], [1]);
    }
}
