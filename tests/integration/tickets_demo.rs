//! The demo write-ups of content/tickets/ parse, validate, and show what the brief promises:
//! missed SLAs, a reopened ticket, first-contact resolutions, an N2 escalation, an open
//! backlog and the E4 test ticket. Also checks the HTML fragments built from them.

use std::path::PathBuf;

use crate::common::repo;
use guichet::content::split;
use guichet::language::Language;
use guichet::tickets::{
    self, Status, Ticket, TicketSettings, compute_kpis, parse_ticket, validate_all,
};

fn settings() -> TicketSettings {
    let yaml = std::fs::read_to_string(repo("tests/fixtures/tickets/demo_settings.yaml")).unwrap();
    serde_yaml::from_str(&yaml).unwrap()
}

fn demo() -> Vec<Ticket> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(repo("content/tickets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let page = split(path, &path.to_string_lossy(), text).unwrap();
            parse_ticket(&page).unwrap_or_else(|e| {
                panic!("{}", e.iter().map(|d| d.to_string()).collect::<String>())
            })
        })
        .collect()
}

/// The flows of the demo workflows `incident` and `demande` (workflows/*.yaml, as written on
/// the workflow branch): each step's explicit or implicit exits.
const FLOWS: &[(&str, &str, &[&str])] = &[
    ("incident", "debut", &["declarer"]),
    ("incident", "declarer", &["ticket"]),
    ("incident", "ticket", &["qualifier"]),
    ("incident", "qualifier", &["complet"]),
    ("incident", "complet", &["niveau1", "demander"]),
    ("incident", "demander", &["repondre"]),
    ("incident", "repondre", &["complet"]),
    ("incident", "niveau1", &["resoudre", "escalade"]),
    ("incident", "escalade", &["solution"]),
    ("incident", "resoudre", &["solution"]),
    ("incident", "solution", &["accepte"]),
    ("incident", "accepte", &["fin", "rouvrir"]),
    ("incident", "rouvrir", &["resoudre"]),
    ("demande", "debut", &["saisir"]),
    ("demande", "saisir", &["creee"]),
    ("demande", "creee", &["approbation-requise"]),
    (
        "demande",
        "approbation-requise",
        &["soumettre", "attribuer"],
    ),
    ("demande", "soumettre", &["decider"]),
    ("demande", "decider", &["attribuer", "informer-refus"]),
    ("demande", "informer-refus", &["fin-refus"]),
    ("demande", "attribuer", &["planifier"]),
    ("demande", "planifier", &["realiser"]),
    ("demande", "realiser", &["solution"]),
    ("demande", "solution", &["satisfait"]),
    ("demande", "satisfait", &["fin", "realiser"]),
];

fn follows(workflow: &str, from: &str, to: &str) -> Option<bool> {
    FLOWS.iter().any(|(w, _, _)| *w == workflow).then(|| {
        FLOWS
            .iter()
            .any(|(w, f, exits)| *w == workflow && *f == from && exits.contains(&to))
    })
}

#[test]
fn demo_tickets_are_valid_and_varied() {
    let tickets = demo();
    assert!(tickets.len() >= 12);
    assert_eq!(validate_all(&tickets, &settings(), &follows), []);
    assert_eq!(tickets.iter().filter(|t| !t.path.is_empty()).count(), 14);
    for t in &tickets {
        for section in [
            "## Symptômes",
            "## Diagnostic",
            "## Cause",
            "## Résolution",
            "## Vérification",
            "## Prévention",
            "## Réponse à l'utilisateur",
        ] {
            assert!(
                t.body().contains(section),
                "{} lacks {section}",
                t.source.slug
            );
        }
    }
    assert!(tickets.iter().any(|t| t.reopened > 0));
    assert!(tickets.iter().any(|t| t.level.as_deref() == Some("N2")));
    assert!(tickets.iter().filter(|t| t.first_contact).count() >= 2);
    assert!(tickets.iter().any(|t| t.tags.iter().any(|g| g == "e4")));
    assert!(tickets.iter().any(|t| t.status == Status::Waiting));

    let k = compute_kpis(&tickets, &settings());
    assert_eq!(k.backlog_ids, [112, 113, 114]);
    assert_eq!((k.sla_tto.count, k.sla_tto.n), (13, 14));
    assert_eq!((k.sla_ttr.count, k.sla_ttr.n), (10, 12));
    assert_eq!((k.fcr.count, k.reopen.count), (4, 1));
    assert_eq!(k.recurring[0].ids, [101, 102, 103]);
    assert!(k.volumes.category.len() >= 8);
}

#[test]
fn fragments_escape_and_embed() {
    let tickets = demo();
    let s = settings();
    let k = compute_kpis(&tickets, &s);
    let n2 = tickets.iter().find(|t| t.id == 103).unwrap();
    let card = tickets::ticket_card_html(n2, &s, &k, Language::Fr);
    assert!(card.contains("Réseau &gt; Wi-Fi"));
    assert!(card.contains("style=\"background:#ffbfbf;color:#1b1b1b\">Priorité 4 · Haute</span>"));
    // Opened on Tuesday 09:15, the day after Easter Monday (a holiday): 8 business hours are
    // 2 h 45 + 4 h on Tuesday + 1 h 15 on Wednesday = Wednesday 09:15, missed at 15:00.
    assert!(card.contains("<span class=\"sla-missed\">✗ dépassé</span> (échéance <time datetime=\"2026-04-08T09:15:00\">"));
    let en = tickets::ticket_card_html(n2, &s, &k, Language::En);
    assert!(en.contains("✗ missed") && en.contains("4 High / 4 High"));

    let related = tickets::related_both_ways(&tickets);
    let similar = tickets::similar_tickets(&tickets);
    let href = |t: &Ticket| format!("../{}/", t.source.slug);
    let first = tickets.iter().find(|t| t.id == 101).unwrap();
    let links =
        tickets::ticket_links_html(first, &tickets, &related, &similar, Language::Fr, &href);
    // 101 declares nothing, but 102 and 103 name it: the links come back both ways.
    assert!(links.starts_with(
        "<nav class=\"ticket-related\" aria-label=\"Tickets liés\"><h2>Tickets liés</h2><ul>\
         <li><a href=\"../102-wifi-atelier-coupures/\">#102 Nouvelles coupures Wi-Fi dans l&#39;atelier de finition</a></li>\
         <li><a href=\"../103-wifi-atelier-escalade-n2/\">"
    ), "{links}");
    assert!(links.contains("<nav class=\"ticket-similar\""));
    // The closest write-up to the first Wi-Fi ticket is another Wi-Fi ticket.
    assert!(
        ["102", "103"].contains(&similar["101"][0].0.as_str()),
        "{:?}",
        similar["101"]
    );

    let index = tickets::tickets_index_html(&tickets, &s, Language::Fr, &|t: &Ticket| {
        format!("{}/", t.source.slug)
    });
    assert_eq!(index.matches("<tr data-category=").count(), tickets.len());
    assert!(index.contains("<a href=\"101-wifi-atelier-finition/\">Le Wi-Fi de l&#39;atelier"));
    assert!(index.contains("<form class=\"tickets-filters\" hidden>"));

    for name in tickets::html::KPI_NAMES {
        let html = tickets::kpi_embed_html(name, &k, Language::Fr).unwrap();
        assert!(html.contains("Formule"), "{name}");
        assert!(html.contains("2026-03-09 08:40"), "{name} shows its period");
    }
    assert_eq!(
        tickets::kpi_embed_html("mtbf", &k, Language::Fr).unwrap_err(),
        "unknown KPI `mtbf`: expected one of mttr, mtta, sla_tto, sla_ttr, fcr, reopen, backlog, csat, flow, recurring, volumes, dashboard"
    );
    let dashboard = tickets::dashboard_html(&k, Language::Fr);
    // Every chart has a title, a description and a data table beside it.
    assert_eq!(
        dashboard.matches("<svg").count(),
        dashboard.matches("<desc id=").count()
    );
    let figures: Vec<&str> = dashboard
        .split("<figure class=\"kpi-figure\">")
        .skip(1)
        .collect();
    assert_eq!(figures.len(), 6);
    for figure in figures {
        let figure = figure.split("</figure>").next().unwrap();
        assert!(
            figure.contains("<svg") && figure.contains("<table class=\"kpi-data\" tabindex=\"0\">")
        );
    }
}

#[test]
fn user_text_is_escaped() {
    let mut t = Ticket {
        id: 1,
        name: "<script>alert('x')</script>".into(),
        category: Some("A & B".into()),
        ..Ticket::default()
    };
    t.assets = vec!["\"PC\"".into()];
    let s = TicketSettings::default();
    let k = compute_kpis(std::slice::from_ref(&t), &s);
    let card = tickets::ticket_card_html(&t, &s, &k, Language::Fr);
    assert!(card.contains("A &amp; B") && card.contains("&quot;PC&quot;"));
    let index = tickets::tickets_index_html(&[t], &s, Language::Fr, &|_| "a\"b".into());
    assert!(index.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(index.contains("href=\"a&quot;b\""));
    assert!(!index.contains("<script>"));
    let volumes = tickets::kpi_embed_html("volumes", &k, Language::Fr).unwrap();
    assert!(volumes.contains("A &amp; B") && !volumes.contains("A & B"));
}
