//! Lifecycle analytics over 100,000 generated tickets with paths and histories on the demo's
//! incident workflow (target: under 0.3 s), then the weighted diagram's decoration and SVG.
//!
//! `cargo bench --bench lifecycle`. Plain `main` with `Instant`: no bench harness needed.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use guichet::language::Language;
use guichet::lifecycle::{LifecycleSettings, analyse, weighted};
use guichet::tickets::{Status, StatusChange, Ticket, TicketSettings, Timestamp};
use guichet::workflow::{Context, SvgOptions, layout, parse_workflow, to_svg_weighted};

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

const CATEGORIES: [&str; 6] = [
    "Réseau > Wi-Fi",
    "Impression > Imprimante",
    "Messagerie > Outlook",
    "Poste de travail > Démarrage",
    "Logiciel > ERP",
    "Téléphonie > Poste fixe",
];

/// One ticket of the incident workflow: its path (with the "ask for details" loop, an
/// escalation, a reopening, or still open) and a history coherent with it.
fn ticket(id: u64, rng: &mut Lcg) -> Ticket {
    use Status::*;
    let opened = Timestamp::parse("2025-01-06 08:00").unwrap().0 + id as i64 * 900;
    let mut now = opened;
    let mut history = vec![StatusChange {
        at: Timestamp(opened),
        status: New,
    }];
    let mut step = |status: Status, minutes: u64, rng: &mut Lcg| {
        now += 60 * (minutes as i64 + rng.next(minutes.max(1)) as i64);
        history.push(StatusChange {
            at: Timestamp(now),
            status,
        });
    };
    let mut path: Vec<&str> = vec!["debut", "declarer", "ticket", "qualifier", "complet"];
    step(Assigned, 30, rng);
    if rng.next(10) < 3 {
        path.extend(["demander", "repondre", "complet"]);
        step(Waiting, 20, rng);
        step(Assigned, 180, rng);
    }
    path.push("niveau1");
    let open = rng.next(20) == 0;
    if open {
        path.push("resoudre");
    } else {
        if rng.next(10) == 0 {
            path.extend(["escalade", "solution"]);
        } else {
            path.extend(["resoudre", "solution"]);
        }
        step(Solved, 240, rng);
        path.push("accepte");
        if rng.next(15) == 0 {
            path.extend(["rouvrir", "resoudre", "solution", "accepte"]);
            step(Assigned, 60, rng);
            step(Solved, 120, rng);
        }
        path.push("fin");
        step(Closed, 1440, rng);
    }
    let status = history.last().unwrap().status;
    let find = |s: Status| history.iter().find(|c| c.status == s).map(|c| c.at);
    Ticket {
        id,
        name: format!("Incident {id}"),
        category: Some(CATEGORIES[rng.next(CATEGORIES.len() as u64) as usize].to_string()),
        urgency: 1 + rng.next(5) as u8,
        impact: 1 + rng.next(5) as u8,
        status,
        date: Timestamp(opened),
        takeintoaccountdate: find(Assigned),
        solvedate: history
            .iter()
            .rev()
            .find(|c| c.status == Solved)
            .map(|c| c.at),
        closedate: find(Closed),
        workflow: Some("incident".to_string()),
        path: path.into_iter().map(String::from).collect(),
        history,
        ..Ticket::default()
    }
}

fn time<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = black_box(f());
    println!("{what}: {:.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    out
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("workflows/incident.yaml")).unwrap();
    let ids: std::collections::BTreeSet<String> = ["escalade".to_string()].into_iter().collect();
    let ctx = Context {
        page_exists: Some(&|_| true),
        workflow_ids: Some(&ids),
        languages: None,
    };
    let wf = parse_workflow("incident", Path::new("incident.yaml"), &text, &ctx).unwrap();
    let settings: TicketSettings = serde_yaml::from_str(
        "sla:\n  1: {tto: 8h, ttr: 40h}\n  2: {tto: 4h, ttr: 24h}\n  3: {tto: 2h, ttr: 16h}\n  4: {tto: 1h, ttr: 8h}\n  5: {tto: 30m, ttr: 4h}\n\
         calendar:\n  days: [lundi, mardi, mercredi, jeudi, vendredi]\n  hours: [\"08:00-12:00\", \"13:30-17:30\"]\n  holidays: [2025-05-01, 2025-05-08]\n",
    )
    .unwrap();
    let no_calendar = TicketSettings {
        calendar: None,
        ..settings.clone()
    };
    let mut rng = Lcg(42);
    let tickets: Vec<Ticket> = time("generate 100,000 tickets", || {
        (1..=100_000).map(|id| ticket(id, &mut rng)).collect()
    });
    let as_of = Timestamp::parse("2027-12-31 18:00").unwrap();
    let thresholds = LifecycleSettings::default();
    for (name, s) in [("24/7", &no_calendar), ("business calendar", &settings)] {
        for round in 1..=3 {
            let lc = time(
                &format!("analyse, 100,000 tickets, {name} (run {round})"),
                || analyse(&wf, &tickets, s, &thresholds, as_of, Language::Fr),
            );
            assert_eq!(lc.tickets, 100_000);
        }
    }
    let lc = analyse(&wf, &tickets, &settings, &thresholds, as_of, Language::Fr);
    for f in &lc.findings {
        println!("  finding: {}", f.text);
    }
    let diagram = layout(&wf, Language::Fr);
    let weights = time("weights (decoration pass)", || {
        weighted::weights(&diagram, &lc)
    });
    let svg = time("weighted SVG", || {
        to_svg_weighted(
            &diagram,
            &SvgOptions {
                id_prefix: "incident",
                subprocess_href: &|id| format!("../{id}/"),
                page_href: None,
                highlight: Some(&lc.main_path),
            },
            &weights,
        )
    });
    println!("  SVG: {} bytes", svg.len());
}
