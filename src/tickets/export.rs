//! The KPIs as files: site/indicateurs.json for programs and site/indicateurs.csv for a
//! spreadsheet.

use std::fmt::Write;

use super::kpi::{Kpis, Stats};

/// The KPIs as pretty JSON (keys of [`Kpis`]; rates are fractions 0..1, `null` when there
/// is nothing to measure).
pub fn kpis_json(kpis: &Kpis) -> String {
    // Every map key is a string or an integer and every number is finite or null: serde_json
    // has nothing to refuse here.
    let mut json = serde_json::to_string_pretty(kpis).unwrap_or_default();
    json.push('\n');
    json
}

/// The KPIs as CSV, one figure per row: `indicateur;valeur;n`, `;`-separated like GLPI's
/// exports, `.` as decimal point, CRLF line ends, fields quoted when needed.
pub fn kpis_csv(kpis: &Kpis) -> String {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut add = |key: &str, value: String, n: Option<usize>| {
        rows.push((
            key.to_string(),
            value,
            n.map(|n| n.to_string()).unwrap_or_default(),
        ));
    };
    add("tickets", kpis.tickets.to_string(), None);
    add("as_of", kpis.as_of.to_string(), None);
    add("period.from", kpis.period.from.to_string(), None);
    add("period.to", kpis.period.to.to_string(), None);
    add("business_time", kpis.business_time.to_string(), None);
    stats_rows(&mut add, "mttr_hours", &kpis.mttr_hours);
    stats_rows(&mut add, "mtta_minutes", &kpis.mtta_minutes);
    for (key, rate, ratio) in [
        ("sla_tto_rate", kpis.sla_tto_rate, kpis.sla_tto),
        ("sla_ttr_rate", kpis.sla_ttr_rate, kpis.sla_ttr),
        ("fcr_rate", kpis.fcr_rate, kpis.fcr),
        ("reopen_rate", kpis.reopen_rate, kpis.reopen),
    ] {
        add(key, number(rate), Some(ratio.n));
    }
    add("backlog", kpis.backlog.to_string(), None);
    for b in &kpis.backlog_ageing {
        let to = b
            .to_days
            .map(|d| d.to_string())
            .unwrap_or_else(|| "+".into());
        add(
            &format!("backlog_ageing.{}-{to}", b.from_days),
            b.count.to_string(),
            None,
        );
    }
    add("csat_mean", number(kpis.csat_mean), Some(kpis.csat_n));
    add(
        "csat_share_4plus",
        number(kpis.csat_share_4plus),
        Some(kpis.csat_n),
    );
    for m in &kpis.flow {
        add(
            &format!("flow.{}.opened", m.month),
            m.opened.to_string(),
            None,
        );
        add(
            &format!("flow.{}.solved", m.month),
            m.solved.to_string(),
            None,
        );
        add(
            &format!("flow.{}.closed", m.month),
            m.closed.to_string(),
            None,
        );
        add(
            &format!("flow.{}.ratio", m.month),
            number(m.ratio),
            Some(m.opened),
        );
    }
    for r in &kpis.recurring {
        add(
            &format!("recurring.{}.{}", r.kind, r.name),
            r.count.to_string(),
            None,
        );
    }
    let v = &kpis.volumes;
    for (dimension, map) in [
        ("category", &v.category),
        ("type", &v.r#type),
        ("source", &v.source),
    ] {
        for (k, n) in map {
            add(&format!("volumes.{dimension}.{k}"), n.to_string(), None);
        }
    }
    for (p, n) in &v.priority {
        add(&format!("volumes.priority.{p}"), n.to_string(), None);
    }
    let mut out = String::from("indicateur;valeur;n\r\n");
    for (k, v, n) in rows {
        let _ = write!(out, "{};{};{}\r\n", field(&k), field(&v), field(&n));
    }
    out
}

fn stats_rows(add: &mut impl FnMut(&str, String, Option<usize>), key: &str, s: &Stats) {
    add(&format!("{key}.mean"), number(s.mean), Some(s.n));
    add(&format!("{key}.median"), number(s.median), Some(s.n));
    add(&format!("{key}.p90"), number(s.p90), Some(s.n));
}

/// A number with at most 4 decimals, trailing zeros dropped; empty when absent.
fn number(value: Option<f64>) -> String {
    match value {
        None => String::new(),
        Some(v) => {
            let text = format!("{v:.4}");
            let text = text.trim_end_matches('0').trim_end_matches('.');
            if text == "-0" {
                "0".into()
            } else {
                text.to_string()
            }
        }
    }
}

use crate::escape::csv_field as field;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_fields() {
        assert_eq!(number(Some(2.0 / 3.0)), "0.6667");
        assert_eq!(number(Some(8.75)), "8.75");
        assert_eq!(number(Some(3.0)), "3");
        assert_eq!(number(None), "");
        assert_eq!(field("a;b"), "\"a;b\"");
        assert_eq!(field("dit \"non\""), "\"dit \"\"non\"\"\"");
        assert_eq!(field("x\"; y"), "\"x\"\"; y\"");
    }
}
