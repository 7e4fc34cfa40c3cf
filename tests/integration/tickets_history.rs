//! The status history of a ticket: parsed in order, checked at the exact position of a wrong
//! item, and summed into the pending time when `waiting_duration` is not written.

use std::path::Path;

use guichet::content::split;
use guichet::diagnostics::Diagnostic;
use guichet::tickets::{Status, Ticket, parse_ticket};

const HEAD: &str = "id: 7\nname: Poste bloqué\ntype: incident\n";

fn parse(yaml: &str) -> Result<Ticket, Vec<String>> {
    let page = split(Path::new("t.md"), "t.md", format!("---\n{HEAD}{yaml}---\n")).unwrap();
    parse_ticket(&page).map_err(|e| e.iter().map(Diagnostic::headline).collect())
}

#[test]
fn a_history_is_read_oldest_first_and_gives_the_pending_time() {
    let t = parse(
        "status: solved\ndate: 2026-04-14 13:40\nsolvedate: 2026-04-17 10:00\nhistory:\n\
         \x20 - {date: 2026-04-14 13:40, status: new}\n\
         \x20 - {date: 2026-04-14 16:00, status: assigned}\n\
         \x20 - {date: 2026-04-15 09:00, status: waiting}\n\
         \x20 - {date: 2026-04-15 17:00, status: assigned}\n\
         \x20 - {date: 2026-04-16 10:00, status: waiting}\n\
         \x20 - {date: 2026-04-16 10:30, status: assigned}\n\
         \x20 - {date: 2026-04-17 10:00, status: solved}\n",
    )
    .unwrap();
    let statuses: Vec<Status> = t.history.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [
            Status::New,
            Status::Assigned,
            Status::Waiting,
            Status::Assigned,
            Status::Waiting,
            Status::Assigned,
            Status::Solved
        ]
    );
    assert_eq!(t.history[2].at.display(), "2026-04-15 09:00");
    // 8 h (09:00 → 17:00) + 30 min (10:00 → 10:30).
    assert_eq!(t.waiting_duration, 8 * 3600 + 30 * 60);
}

#[test]
fn a_written_waiting_duration_wins_over_the_history() {
    let t = parse(
        "status: assigned\ndate: 2026-04-14 13:40\nwaiting_duration: 60\nhistory:\n\
         \x20 - {date: 2026-04-14 14:00, status: waiting}\n\
         \x20 - {date: 2026-04-14 18:00, status: assigned}\n",
    )
    .unwrap();
    assert_eq!(t.waiting_duration, 60);
}

#[test]
fn a_ticket_still_pending_does_not_count_its_current_stay() {
    let t = parse(
        "status: waiting\ndate: 2026-04-14 13:40\nhistory:\n\
         \x20 - {date: 2026-04-14 14:00, status: waiting}\n\
         \x20 - {date: 2026-04-14 15:00, status: assigned}\n\
         \x20 - {date: 2026-04-14 16:00, status: waiting}\n",
    )
    .unwrap();
    assert_eq!(t.waiting_duration, 3600);
}

#[test]
fn a_change_before_the_previous_one_is_an_error_at_its_date() {
    // Line 1 is `---`; the history's third item is on line 10.
    let errors = parse(
        "status: assigned\ndate: 2026-04-14 13:40\nhistory:\n\
         \x20 - {date: 2026-04-14 13:40, status: new}\n\
         \x20 - {date: 2026-04-14 16:00, status: waiting}\n\
         \x20 - {date: 2026-04-14 15:00, status: assigned}\n",
    )
    .unwrap_err();
    assert_eq!(
        errors,
        [
            "t.md:10:12: error: `history.2.date` (2026-04-14 15:00) is before `history.1.date` (2026-04-14 16:00)"
        ]
    );
}

#[test]
fn a_change_before_the_opening_is_an_error() {
    let errors = parse(
        "status: new\ndate: 2026-04-14 13:40\nhistory:\n\
         \x20 - {date: 2026-04-14 13:00, status: new}\n",
    )
    .unwrap_err();
    assert_eq!(
        errors,
        [
            "t.md:8:12: error: `history.0.date` (2026-04-14 13:00) is before `date` (2026-04-14 13:40)"
        ]
    );
}

#[test]
fn the_last_status_must_be_the_tickets() {
    let errors = parse(
        "status: assigned\ndate: 2026-04-14 13:40\nhistory:\n\
         \x20 - {date: 2026-04-14 13:40, status: new}\n\
         \x20 - {date: 2026-04-14 14:00, status: waiting}\n",
    )
    .unwrap_err();
    assert_eq!(
        errors,
        [
            "t.md:9:38: error: the last status of `history` is `waiting` but the ticket's `status` is `assigned`"
        ]
    );
}

#[test]
fn a_bad_date_and_an_unknown_key_in_an_item_are_reported() {
    let errors = parse(
        "status: new\ndate: 2026-04-14 13:40\nhistory:\n\
         \x20 - {date: 14/04/2026, status: new}\n",
    )
    .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with("t.md:8:12: error: `14/04/2026` is not a date and time"),
        "{errors:#?}"
    );
    let errors = parse(
        "status: new\ndate: 2026-04-14 13:40\nhistory:\n\
         \x20 - {date: 2026-04-14 13:40, status: new, by: tech}\n",
    )
    .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0], "t.md:8:43: error: history[0]: unknown key `by`");
}
