//! Each validation rule of a ticket write-up, on a fixture named after what it shows, with
//! the exact position of the error.

use std::path::Path;

use crate::common::repo;
use guichet::content::split;
use guichet::diagnostics::{Diagnostic, Severity};
use guichet::tickets::{Ticket, TicketSettings, parse_ticket, validate_all};

/// Reads a fixture the way the content loader does: front matter from line 2, then the body.
fn load(name: &str) -> Result<Ticket, Vec<Diagnostic>> {
    let path = format!("tests/fixtures/tickets/{name}.md");
    let text = std::fs::read_to_string(repo(&path)).unwrap();
    let page = split(Path::new(&path), &path, text).unwrap();
    assert_eq!(page.front_matter_line, 2);
    parse_ticket(&page)
}

fn headlines(name: &str) -> Vec<String> {
    load(name)
        .map(|_| Vec::new())
        .unwrap_or_else(|errors| errors.iter().map(Diagnostic::headline).collect())
}

fn one_error(name: &str) -> String {
    let h = headlines(name);
    assert_eq!(h.len(), 1, "{h:#?}");
    h.into_iter().next().unwrap()
}

/// The demo incident workflow for the path checks: a straight line of four steps.
fn follows(workflow: &str, from: &str, to: &str) -> Option<bool> {
    const FLOWS: [(&str, &str); 3] = [
        ("ouverture", "prise_en_charge"),
        ("prise_en_charge", "resolution"),
        ("resolution", "cloture"),
    ];
    (workflow == "incident").then(|| FLOWS.contains(&(from, to)))
}

fn cross_check(names: &[&str]) -> Vec<String> {
    let tickets: Vec<Ticket> = names.iter().map(|n| load(n).unwrap()).collect();
    validate_all(&tickets, &TicketSettings::default(), &follows)
        .iter()
        .map(Diagnostic::headline)
        .collect()
}

#[test]
fn a_valid_ticket_parses_with_its_fields() {
    let t = load("valid_closed").unwrap();
    assert_eq!(t.id, 101);
    assert_eq!(t.name, "Wi-Fi instable en atelier");
    assert_eq!(t.category.as_deref(), Some("Réseau > Wi-Fi"));
    assert_eq!(t.date.display(), "2025-03-03 09:00");
    assert_eq!(t.closedate.unwrap().display(), "2025-03-05 09:00");
    assert_eq!(t.source.slug, "valid_closed");
    assert!(t.body().starts_with("\n## Symptômes"));
    assert!(cross_check(&["valid_closed"]).is_empty());
}

#[test]
fn iso_dates_with_an_offset_are_converted() {
    let t = load("iso_dates_with_offset").unwrap();
    assert_eq!(t.date.display(), "2025-03-03 08:00");
    assert_eq!(t.takeintoaccountdate.unwrap().display(), "2025-03-03 08:10");
}

#[test]
fn dates_out_of_order() {
    assert_eq!(
        one_error("dates_out_of_order"),
        "tests/fixtures/tickets/dates_out_of_order.md:12:12: error: `solvedate` (2025-03-03 08:00) is before `takeintoaccountdate` (2025-03-03 09:10)"
    );
}

#[test]
fn closed_without_closedate() {
    assert_eq!(
        one_error("closed_without_closedate"),
        "tests/fixtures/tickets/closed_without_closedate.md:8:9: error: status `closed` without a `closedate`"
    );
}

#[test]
fn solved_with_closedate() {
    assert_eq!(
        one_error("solved_with_closedate"),
        "tests/fixtures/tickets/solved_with_closedate.md:13:12: error: a `solved` ticket has no `closedate` yet"
    );
}

#[test]
fn open_with_solvedate() {
    assert_eq!(
        one_error("open_with_solvedate"),
        "tests/fixtures/tickets/open_with_solvedate.md:12:12: error: status `assigned` is open but `solvedate` is set"
    );
}

#[test]
fn unknown_status() {
    let help = load("unknown_status").unwrap_err()[0].help.clone();
    assert_eq!(
        help.as_deref(),
        Some(
            "allowed values: `new`, `approval`, `assigned`, `planned`, `waiting`, `solved`, `closed`"
        )
    );
    assert_eq!(
        one_error("unknown_status"),
        "tests/fixtures/tickets/unknown_status.md:8:9: error: status: unknown value `resolu`"
    );
}

#[test]
fn unknown_type() {
    let help = load("unknown_type").unwrap_err()[0].help.clone();
    assert_eq!(
        help.as_deref(),
        Some("allowed values: `incident` or `demande`")
    );
    assert_eq!(
        one_error("unknown_type"),
        "tests/fixtures/tickets/unknown_type.md:4:7: error: type: unknown value `probleme`"
    );
}

#[test]
fn unknown_requesttype() {
    let help = load("unknown_requesttype").unwrap_err()[0].help.clone();
    assert_eq!(
        help.as_deref(),
        Some("allowed values: `helpdesk`, `email`, `phone`, `direct`, `written`, `other`")
    );
    assert_eq!(
        one_error("unknown_requesttype"),
        "tests/fixtures/tickets/unknown_requesttype.md:9:14: error: requesttype: unknown value `fax`"
    );
}

#[test]
fn urgency_out_of_range() {
    assert_eq!(
        one_error("urgency_out_of_range"),
        "tests/fixtures/tickets/urgency_out_of_range.md:6:10: error: `urgency` is 7, outside the scale 1..5"
    );
}

#[test]
fn impact_out_of_range() {
    assert_eq!(
        one_error("impact_out_of_range"),
        "tests/fixtures/tickets/impact_out_of_range.md:7:9: error: `impact` is 0, outside the scale 1..5"
    );
}

#[test]
fn satisfaction_out_of_range() {
    assert_eq!(
        one_error("satisfaction_out_of_range"),
        "tests/fixtures/tickets/satisfaction_out_of_range.md:14:15: error: `satisfaction` is 6, outside the scale 1..5"
    );
}

#[test]
fn unknown_key() {
    assert_eq!(
        one_error("unknown_key"),
        "tests/fixtures/tickets/unknown_key.md:14:1: error: unknown key `assignee`"
    );
}

#[test]
fn bad_date_format() {
    assert_eq!(
        one_error("bad_date_format"),
        "tests/fixtures/tickets/bad_date_format.md:10:7: error: `03/03/2025 09:00` is not a date and time: expected `YYYY-MM-DD HH:MM` (seconds and ISO 8601 such as `2025-03-04T14:02:00` are accepted)"
    );
}

#[test]
fn missing_name() {
    assert_eq!(
        one_error("missing_name"),
        "tests/fixtures/tickets/missing_name.md:2:1: error: missing key `name` (the ticket's title)"
    );
}

#[test]
fn empty_name() {
    assert_eq!(
        one_error("empty_name"),
        "tests/fixtures/tickets/empty_name.md:3:7: error: `name` is empty: the ticket needs a title"
    );
}

#[test]
fn priority_6_without_override() {
    assert_eq!(
        one_error("priority_6_without_override"),
        "tests/fixtures/tickets/priority_6_without_override.md:14:11: error: priority 6 (Majeure) is never computed and must be set by hand"
    );
}

#[test]
fn priority_differs_from_matrix_is_a_warning() {
    let tickets = vec![load("priority_differs_from_matrix").unwrap()];
    let found = validate_all(&tickets, &TicketSettings::default(), &follows);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(
        found[0].headline(),
        "tests/fixtures/tickets/priority_differs_from_matrix.md:14:11: warning: priority 5 differs from the matrix's 3 for urgency 3 and impact 3"
    );
}

#[test]
fn duplicate_id() {
    assert_eq!(
        cross_check(&["duplicate_id_a", "duplicate_id_b"]),
        [
            "tests/fixtures/tickets/duplicate_id_b.md:2:5: error: ticket id 101 is already used by tests/fixtures/tickets/duplicate_id_a.md"
        ]
    );
}

#[test]
fn related_missing() {
    assert_eq!(
        cross_check(&["valid_closed", "related_missing"]),
        [
            "tests/fixtures/tickets/related_missing.md:14:16: error: related ticket 999 does not exist"
        ]
    );
}

#[test]
fn path_not_following_workflow() {
    assert_eq!(
        cross_check(&["path_not_following_workflow"]),
        [
            "tests/fixtures/tickets/path_not_following_workflow.md:17:5: error: workflow `incident` has no flow from `ouverture` to `resolution`"
        ]
    );
}

#[test]
fn unknown_workflow() {
    assert_eq!(
        cross_check(&["unknown_workflow"]),
        ["tests/fixtures/tickets/unknown_workflow.md:14:11: error: unknown workflow `incidnet`"]
    );
}
