//! Every KPI on a small set checked by hand (the arithmetic is in the comments), in 24/7 time
//! and in business time across a weekend, a holiday and a pending period.

use std::path::Path;

use guichet::content::split;
use guichet::tickets::{Ticket, TicketSettings, compute_kpis, kpi::latest_timestamp, parse_ticket};

fn ticket(yaml: &str) -> Ticket {
    let page = split(Path::new("t.md"), "t.md", format!("---\n{yaml}\n---\n")).unwrap();
    parse_ticket(&page).unwrap_or_else(|e| panic!("{e:#?}"))
}

fn settings(yaml: &str) -> TicketSettings {
    serde_yaml::from_str(yaml).unwrap()
}

/// Exact up to the last bit of the f64 division.
fn close(actual: Option<f64>, expected: f64) {
    let a = actual.expect("a value");
    assert!((a - expected).abs() < 1e-12, "{a} != {expected}");
}

/// Seven tickets in February and March 2025, one more opened after `as_of`.
fn hand_set() -> Vec<Ticket> {
    vec![
        // T1: owned in 10 min, solved in 2 h at first contact, closed; P3.
        ticket(
            "id: 1\nname: a\ntype: incident\ncategory: Réseau > Wi-Fi\nstatus: closed\nrequesttype: phone\n\
                date: 2025-03-03 09:00\ntakeintoaccountdate: 2025-03-03 09:10\nsolvedate: 2025-03-03 11:00\n\
                closedate: 2025-03-05 09:00\nfirst_contact: true\nsatisfaction: 5\nassets: [AP-ATELIER-1]\n",
        ),
        // T2: P4; owned in 30 min (TTO 15 min missed); 8 h elapsed - 2 h pending = 6 h;
        // TTR deadline 08:00 + 4 h + 2 h pending = 14:00, solved 16:00: missed; reopened.
        ticket(
            "id: 2\nname: b\ntype: incident\ncategory: Réseau > Wi-Fi\nurgency: 4\nimpact: 4\nstatus: closed\n\
                requesttype: helpdesk\ndate: 2025-03-10 08:00\ntakeintoaccountdate: 2025-03-10 08:30\n\
                solvedate: 2025-03-10 16:00\nclosedate: 2025-03-12 10:00\nwaiting_duration: 7200\nreopened: 1\n\
                satisfaction: 2\nassets: [AP-ATELIER-1]\n",
        ),
        // T3: P2 request (no SLA for P2): owned in 20 min, solved in 24 h, not closed.
        ticket(
            "id: 3\nname: c\ntype: demande\ncategory: Matériel > Poste\nurgency: 2\nimpact: 2\nstatus: solved\n\
                requesttype: email\ndate: 2025-03-12 14:00\ntakeintoaccountdate: 2025-03-12 14:20\n\
                solvedate: 2025-03-13 14:00\nsatisfaction: 4\n",
        ),
        // T4: P3: owned in 5 min, solved in 3 h at first contact, closed.
        ticket(
            "id: 4\nname: d\ntype: incident\ncategory: Réseau > Wi-Fi\nstatus: closed\nrequesttype: helpdesk\n\
                date: 2025-03-20 10:00\ntakeintoaccountdate: 2025-03-20 10:05\nsolvedate: 2025-03-20 13:00\n\
                closedate: 2025-03-21 09:00\nfirst_contact: true\nassets: [AP-ATELIER-1]\n",
        ),
        // T5: P2 incident, owned in 60 min, still assigned: 6 d 9 h old at as_of.
        ticket(
            "id: 5\nname: e\ntype: incident\ncategory: Messagerie\nurgency: 3\nimpact: 2\nstatus: assigned\n\
                date: 2025-03-25 09:00\ntakeintoaccountdate: 2025-03-25 10:00\n",
        ),
        // T6: new request, 9 h old at as_of, P3 by default urgency and impact.
        ticket(
            "id: 6\nname: f\ntype: demande\ncategory: Matériel > Poste\nstatus: new\ndate: 2025-03-31 09:00\n",
        ),
        // T7: P3 incident pending since February: owned in exactly 30 min (TTO met), 32 d old.
        ticket(
            "id: 7\nname: g\ntype: incident\ncategory: Réseau > Wi-Fi\nstatus: waiting\n\
                date: 2025-02-27 10:00\ntakeintoaccountdate: 2025-02-27 10:30\n",
        ),
        // T8: opened after as_of: ignored everywhere.
        ticket(
            "id: 8\nname: h\ntype: incident\ncategory: Réseau > Wi-Fi\nstatus: new\ndate: 2025-04-02 09:00\n",
        ),
    ]
}

const SETTINGS: &str = "sla:\n  3: {tto: 30m, ttr: 8h}\n  4: {tto: 15m, ttr: 4h}\n\
                        kpi:\n  as_of: 2025-03-31 18:00\n  recurring: {count: 3, days: 30}\n";

#[test]
fn every_kpi_on_the_hand_checked_set() {
    let k = compute_kpis(&hand_set(), &settings(SETTINGS));
    assert_eq!(k.tickets, 7);
    assert_eq!(k.as_of.display(), "2025-03-31 18:00");
    assert_eq!(k.period.from.display(), "2025-02-27 10:00");
    assert!(!k.business_time);

    // MTTR over T1..T4: 2, 6, 24, 3 h -> sorted 2 3 6 24: mean 35/4, median (3+6)/2, P90 rank 4.
    assert_eq!(k.mttr_hours.n, 4);
    close(k.mttr_hours.mean, 8.75);
    close(k.mttr_hours.median, 4.5);
    close(k.mttr_hours.p90, 24.0);
    // MTTA: 5 10 20 30 30 60 min: mean 155/6, median (20+30)/2, P90 rank ceil(5.4) = 6.
    assert_eq!(k.mtta_minutes.n, 6);
    close(k.mtta_minutes.mean, 155.0 / 6.0);
    close(k.mtta_minutes.median, 25.0);
    close(k.mtta_minutes.p90, 60.0);

    // TTO targets for T1, T2, T4, T7 (P3, P4): T2 missed -> 3/4.
    assert_eq!((k.sla_tto.count, k.sla_tto.n), (3, 4));
    close(k.sla_tto_rate, 0.75);
    // TTR targets for solved T1, T2, T4: T2 missed -> 2/3.
    assert_eq!((k.sla_ttr.count, k.sla_ttr.n), (2, 3));
    close(k.sla_ttr_rate, 2.0 / 3.0);
    close(k.fcr_rate, 0.5);
    assert_eq!((k.fcr.count, k.fcr.n), (2, 4));
    close(k.reopen_rate, 0.25);

    // Backlog: T7 (32 d), T5 (6 d 9 h), T6 (9 h), oldest first.
    assert_eq!(k.backlog, 3);
    assert_eq!(k.backlog_ids, [7, 5, 6]);
    let counts: Vec<usize> = k.backlog_ageing.iter().map(|b| b.count).collect();
    assert_eq!(counts, [1, 0, 1, 0, 1]);
    assert_eq!(k.backlog_ageing[4].from_days, 30);
    assert_eq!(k.backlog_ageing[4].to_days, None);

    // CSAT: 5, 2, 4 -> mean 11/3, two of three at 4 or more.
    assert_eq!(k.csat_n, 3);
    close(k.csat_mean, 11.0 / 3.0);
    close(k.csat_share_4plus, 2.0 / 3.0);

    // Flow: February opens T7 only; March opens T1..T6, solves T1..T4, closes T1, T2, T4.
    assert_eq!(k.flow.len(), 2);
    assert_eq!(
        (k.flow[0].month.as_str(), k.flow[0].opened, k.flow[0].closed),
        ("2025-02", 1, 0)
    );
    close(k.flow[0].ratio, 0.0);
    assert_eq!(
        (k.flow[1].opened, k.flow[1].solved, k.flow[1].closed),
        (6, 4, 3)
    );
    close(k.flow[1].ratio, 0.5);

    // Recurring (3 in 30 d): Wi-Fi has T7, T1, T2, T4 within 21 days; the access point T1, T2, T4.
    assert_eq!(k.recurring.len(), 2);
    assert_eq!(
        (k.recurring[0].kind, k.recurring[0].name.as_str()),
        ("category", "Réseau > Wi-Fi")
    );
    assert_eq!(k.recurring[0].ids, [7, 1, 2, 4]);
    assert_eq!(k.recurring[0].from.display(), "2025-02-27 10:00");
    assert_eq!(k.recurring[0].to.display(), "2025-03-20 10:00");
    assert_eq!(
        (k.recurring[1].kind, k.recurring[1].name.as_str()),
        ("asset", "AP-ATELIER-1")
    );
    assert_eq!(k.recurring[1].ids, [1, 2, 4]);

    // Volumes.
    let v = &k.volumes;
    assert_eq!(v.category["Réseau > Wi-Fi"], 4);
    assert_eq!(v.category["Matériel > Poste"], 2);
    assert_eq!(v.category["Messagerie"], 1);
    assert_eq!((v.r#type["incident"], v.r#type["demande"]), (5, 2));
    assert_eq!(
        (
            v.source["helpdesk"],
            v.source["phone"],
            v.source["email"],
            v.source[""]
        ),
        (2, 1, 1, 3)
    );
    assert_eq!(
        v.priority.iter().map(|(p, n)| (*p, *n)).collect::<Vec<_>>(),
        [(2, 2), (3, 4), (4, 1)]
    );
}

#[test]
fn as_of_defaults_to_the_latest_timestamp_not_the_clock() {
    let tickets: Vec<Ticket> = hand_set().into_iter().take(7).collect();
    assert_eq!(latest_timestamp(&tickets).display(), "2025-03-31 09:00");
    let k = compute_kpis(&tickets, &TicketSettings::default());
    assert_eq!(k.as_of.display(), "2025-03-31 09:00");
    // Without a grid there is no SLA target: the rates are absent, not 0.
    assert_eq!(k.sla_ttr_rate, None);
    assert_eq!(k.sla_ttr.n, 0);
}

#[test]
fn business_hours_across_a_weekend_a_holiday_and_a_pending_period() {
    let s = settings(
        "sla:\n  3: {tto: 30m, ttr: 5h}\n  4: {tto: 15m, ttr: 3h}\n\
         calendar:\n  days: [lundi, mardi, mercredi, jeudi, vendredi]\n  hours: [\"08:00-12:00\", \"14:00-18:00\"]\n  holidays: [2025-05-01]\n",
    );
    let tickets = vec![
        // Friday 17:00 -> Monday 08:30 owned (1 h + 30 min = 90 min, TTO missed);
        // solved Monday 15:00: 1 h Friday + 4 h + 1 h Monday = 6 h, minus 1 h pending = 5 h.
        // TTR deadline: 5 h + 1 h pending of business time from Friday 17:00 = Monday 15:00: met.
        ticket(
            "id: 1\nname: a\ntype: incident\nstatus: solved\ndate: 2025-04-25 17:00\n\
                takeintoaccountdate: 2025-04-28 08:30\nsolvedate: 2025-04-28 15:00\nwaiting_duration: 3600\n",
        ),
        // P4, Wednesday 16:00 -> Friday 10:00 over the 1 May holiday: 2 h + 2 h = 4 h.
        // TTR deadline: 3 h from Wednesday 16:00 = Friday 09:00: missed. Owned in 15 min: met.
        ticket(
            "id: 2\nname: b\ntype: incident\nurgency: 4\nimpact: 4\nstatus: solved\ndate: 2025-04-30 16:00\n\
                takeintoaccountdate: 2025-04-30 16:15\nsolvedate: 2025-05-02 10:00\n",
        ),
    ];
    let k = compute_kpis(&tickets, &s);
    assert!(k.business_time);
    close(k.mttr_hours.mean, 4.5);
    close(k.mttr_hours.median, 4.5);
    close(k.mttr_hours.p90, 5.0);
    close(k.mtta_minutes.mean, 52.5);
    assert_eq!((k.sla_ttr.count, k.sla_ttr.n), (1, 2));
    assert_eq!((k.sla_tto.count, k.sla_tto.n), (1, 2));
}

#[test]
fn json_and_csv_exports_carry_the_promised_keys() {
    let k = compute_kpis(&hand_set(), &settings(SETTINGS));
    let json: serde_json::Value = serde_json::from_str(&guichet::tickets::kpis_json(&k)).unwrap();
    for key in [
        "tickets",
        "as_of",
        "mttr_hours",
        "mtta_minutes",
        "sla_tto_rate",
        "sla_ttr_rate",
        "fcr_rate",
        "reopen_rate",
        "backlog",
        "csat_mean",
        "csat_share_4plus",
        "recurring",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert_eq!(json["tickets"], 7);
    assert_eq!(json["as_of"], "2025-03-31T18:00:00");
    assert_eq!(json["mttr_hours"]["median"], 4.5);
    assert_eq!(json["mttr_hours"]["n"], 4);
    assert_eq!(json["mtta_minutes"]["median"], 25.0);
    assert_eq!(json["sla_tto_rate"], 0.75);
    assert_eq!(json["backlog"], 3);
    assert_eq!(json["recurring"][1]["name"], "AP-ATELIER-1");
    assert_eq!(json["volumes"]["priority"]["3"], 4);

    let csv = guichet::tickets::kpis_csv(&k);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], "indicateur;valeur;n");
    assert_eq!(lines[1], "tickets;7;");
    assert_eq!(lines[2], "as_of;2025-03-31T18:00:00;");
    assert!(lines.contains(&"mttr_hours.mean;8.75;4"));
    assert!(lines.contains(&"sla_ttr_rate;0.6667;3"));
    assert!(lines.contains(&"flow.2025-03.ratio;0.5;6"));
    assert!(lines.contains(&"volumes.category.Réseau > Wi-Fi;4;"));
    assert!(csv.ends_with("\r\n"));
}
