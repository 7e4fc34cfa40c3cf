//! KPIs over 100,000 generated tickets (target: under 0.5 s), plus the per-page work of a
//! 10,000-ticket site: parsing front matter, similar tickets, header cards.
//!
//! `cargo bench --bench kpis`. Plain `main` with `Instant`: no bench harness needed.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use guichet::content::{self, SourcePage};
use guichet::language::Language;
use guichet::tickets::{
    self, RequestType, Status, Ticket, TicketSettings, TicketType, Timestamp, compute_kpis,
};

// Only the ticket categories are used here.
#[allow(dead_code)]
#[path = "corpus.rs"]
mod corpus;
use corpus::CATEGORIES;

/// A small deterministic generator (64-bit LCG) so every run measures the same tickets.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

const WORDS: [&str; 24] = [
    "imprimante",
    "bourrage",
    "wifi",
    "borne",
    "coupure",
    "outlook",
    "synchronisation",
    "compte",
    "mot",
    "passe",
    "erp",
    "lenteur",
    "serveur",
    "sauvegarde",
    "disque",
    "poste",
    "demarrage",
    "mise",
    "jour",
    "pilote",
    "ecran",
    "telephone",
    "ligne",
    "routeur",
];

fn generate(count: usize, rng: &mut Lcg) -> Vec<Ticket> {
    let start = Timestamp::parse("2023-01-02 08:00").unwrap().0;
    (0..count)
        .map(|i| {
            let date = Timestamp(start + (i as i64) * 900 + rng.next(600) as i64);
            let open = rng.next(20) == 0;
            let owned = Timestamp(date.0 + 60 * (1 + rng.next(240) as i64));
            let solved = Timestamp(owned.0 + 60 * (5 + rng.next(3 * 24 * 60) as i64));
            let closed = Timestamp(solved.0 + 3600 * (1 + rng.next(72) as i64));
            let body: Vec<&str> = (0..40)
                .map(|_| WORDS[rng.next(WORDS.len() as u64) as usize])
                .collect();
            Ticket {
                id: i as u64 + 1,
                name: format!("Ticket {i}"),
                kind: if rng.next(3) == 0 {
                    TicketType::Demande
                } else {
                    TicketType::Incident
                },
                category: Some(CATEGORIES[rng.next(8) as usize].to_string()),
                urgency: 1 + rng.next(5) as u8,
                impact: 1 + rng.next(5) as u8,
                status: if open {
                    Status::Assigned
                } else {
                    Status::Closed
                },
                requesttype: Some(RequestType::Helpdesk),
                date,
                takeintoaccountdate: Some(owned),
                solvedate: (!open).then_some(solved),
                closedate: (!open).then_some(closed),
                waiting_duration: if rng.next(4) == 0 { 3600 } else { 0 },
                first_contact: rng.next(3) == 0,
                reopened: u32::from(rng.next(10) == 0),
                satisfaction: (rng.next(2) == 0).then(|| 1 + rng.next(5) as u8),
                assets: vec![format!("PC-{}", rng.next(500))],
                ..Ticket::default()
            }
            .with_body(&body.join(" "))
        })
        .collect()
}

fn time<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let value = black_box(f());
    println!(
        "{label:<58} {:>9.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    value
}

fn main() {
    let settings: TicketSettings = serde_yaml::from_str(
        "sla:\n  1: {tto: 8h, ttr: 40h}\n  2: {tto: 4h, ttr: 24h}\n  3: {tto: 2h, ttr: 16h}\n  4: {tto: 1h, ttr: 8h}\n  5: {tto: 30m, ttr: 4h}\n\
         calendar:\n  days: [lundi, mardi, mercredi, jeudi, vendredi]\n  hours: [\"08:00-12:00\", \"13:30-17:30\"]\n  holidays: [2023-05-01, 2024-05-01, 2025-05-01]\n",
    )
    .unwrap();
    let mut rng = Lcg(42);
    let big = time("generate 100,000 tickets", || generate(100_000, &mut rng));
    let no_calendar = TicketSettings {
        calendar: None,
        ..settings.clone()
    };
    for round in 1..=3 {
        let k = time(
            &format!("compute_kpis, 100,000 tickets, 24/7 (run {round})"),
            || compute_kpis(&big, &no_calendar),
        );
        assert_eq!(k.tickets, 100_000);
    }
    for round in 1..=3 {
        let k = time(
            &format!("compute_kpis, 100,000 tickets, business calendar (run {round})"),
            || compute_kpis(&big, &settings),
        );
        assert_eq!(k.tickets, 100_000);
    }
    let k = compute_kpis(&big, &settings);
    time("kpis_json + kpis_csv", || {
        (tickets::kpis_json(&k), tickets::kpis_csv(&k))
    });
    time("dashboard_html", || {
        tickets::dashboard_html(&k, Language::Fr)
    });

    // The ticket-page side of a 10,000-ticket site.
    let site: Vec<Ticket> = big[..10_000].to_vec();
    let sources: Vec<SourcePage> = site
        .iter()
        .map(|t| {
            let text = format!(
                "---\nid: {}\nname: {}\ntype: incident\ncategory: {}\nurgency: {}\nimpact: {}\nstatus: closed\n\
                 date: {}\ntakeintoaccountdate: {}\nsolvedate: {}\nclosedate: {}\nassets: [{}]\n---\n",
                t.id,
                t.name,
                t.category.as_deref().unwrap_or(""),
                t.urgency,
                t.impact,
                t.date.display(),
                t.takeintoaccountdate.unwrap().display(),
                t.solvedate.unwrap_or(t.date).display(),
                t.closedate.unwrap_or(t.date).display(),
                t.assets[0],
            );
            content::split(Path::new("t.md"), "t.md", text).expect("a front matter")
        })
        .collect();
    time("parse_ticket x 10,000", || {
        sources
            .iter()
            .filter(|page| tickets::parse_ticket(page).is_ok())
            .count()
    });
    let site_kpis = compute_kpis(&site, &settings);
    time("similar_tickets, 10,000 tickets", || {
        tickets::similar_tickets(&site)
    });
    time("ticket_card_html x 10,000", || {
        site.iter()
            .map(|t| tickets::ticket_card_html(t, &settings, &site_kpis, Language::Fr).len())
            .sum::<usize>()
    });
    time("tickets_index_html, 10,000 rows", || {
        tickets::tickets_index_html(&site, &settings, Language::Fr, &|t: &Ticket| {
            format!("{}/", t.id)
        })
        .len()
    });
}
