//! Mistakes in the ticket keys of guichet.yaml are reported with their line. serde_yaml
//! places errors raised while converting a value at the start of the enclosing mapping or
//! sequence item, so some point at the entry that holds the value rather than at the value.

use std::path::Path;

use guichet::tickets::TicketSettings;

fn error(yaml: &str) -> String {
    guichet::yaml::parse::<TicketSettings>(Path::new("guichet.yaml"), yaml, 1, yaml)
        .unwrap_err()
        .headline()
}

#[test]
fn sla_duration_in_days() {
    assert_eq!(
        error("sla:\n  3: {tto: 2h, ttr: 2d}\n"),
        "guichet.yaml:2:6: error: sla.3: `2d` is not a duration: write hours and minutes such as `4h`, `30m` or `1h30m`"
    );
}

#[test]
fn overlapping_hours() {
    assert_eq!(
        error("calendar:\n  days: [lundi]\n  hours: [\"08:00-12:00\", \"11:00-14:00\"]\n"),
        "guichet.yaml:2:3: error: calendar: hours `08:00-12:00` and `11:00-14:00` overlap"
    );
}

#[test]
fn malformed_hours() {
    assert_eq!(
        error("calendar:\n  days: [lundi]\n  hours: [\"8h-12h\"]\n"),
        "guichet.yaml:3:10: error: calendar.hours: `8h-12h` is not a range of hours: expected `08:00-12:00`"
    );
}

#[test]
fn matrix_cell_out_of_range() {
    assert_eq!(
        error("priority_matrix:\n  - [1, 1, 2, 2, 2]\n  - [1, 2, 2, 3, 7]\n"),
        "guichet.yaml:3:5: error: priority_matrix[1]: priority 7 is outside 1..5 (6 Majeure is only set by hand)"
    );
}

#[test]
fn impossible_holiday() {
    assert_eq!(
        error("calendar:\n  days: [lundi]\n  hours: [\"08:00-12:00\"]\n  holidays: [2025-02-30]\n"),
        "guichet.yaml:4:13: error: calendar.holidays: `2025-02-30` is not a date: expected `YYYY-MM-DD`"
    );
}

#[test]
fn as_of_that_is_not_a_date() {
    assert_eq!(
        error("kpi:\n  as_of: demain\n"),
        "guichet.yaml:2:3: error: kpi: `demain` is not a date and time: expected `YYYY-MM-DD HH:MM` (seconds and ISO 8601 such as `2025-03-04T14:02:00` are accepted)"
    );
}

#[test]
fn unknown_kpi_key_names_the_allowed_keys() {
    let err =
        guichet::config::Config::parse("title: T\nkpi:\n  recurent: {count: 3}\n").unwrap_err();
    assert_eq!(
        err.help.as_deref(),
        Some("allowed keys here: `as_of` or `recurring`")
    );
}

#[test]
fn unknown_kpi_key() {
    assert_eq!(
        error("kpi:\n  recurent: {count: 3}\n"),
        "guichet.yaml:2:3: error: kpi: unknown key `recurent`"
    );
}
