//! The rules a ticket write-up must follow (docs/tickets.md), checked on each imported
//! ticket before it is written, so that the imported site builds: a ticket that breaks them
//! is rejected with the reason, never written broken.

use super::record::TicketRecord;
use crate::glpi::Status;

/// `Err` with the reason when `t` cannot become a valid write-up. A history that does not fit
/// the ticket is dropped instead (the ticket stays useful without it) and the returned note
/// says why.
pub(crate) fn check(t: &mut TicketRecord) -> Result<Option<String>, String> {
    chronology(t)?;
    deadlines(t)?;
    status_matches_dates(t)?;
    Ok(history(t).err().map(|why| {
        t.history.clear();
        format!("ticket {}: its history was left out: {why}", t.id)
    }))
}

/// date ≤ takeintoaccountdate ≤ solvedate ≤ closedate (dates are normalised, so their text
/// order is their time order).
fn chronology(t: &TicketRecord) -> Result<(), String> {
    let dates = [
        ("date", Some(&t.date)),
        ("takeintoaccountdate", t.takeintoaccountdate.as_ref()),
        ("solvedate", t.solvedate.as_ref()),
        ("closedate", t.closedate.as_ref()),
    ];
    let mut previous: Option<(&str, &String)> = None;
    for (key, value) in dates {
        let Some(value) = value else { continue };
        if let Some((before_key, before)) = previous
            && value < before
        {
            return Err(format!(
                "{key} ({value}) is before {before_key} ({before}): GLPI's dates are out of order"
            ));
        }
        previous = Some((key, value));
    }
    Ok(())
}

fn deadlines(t: &TicketRecord) -> Result<(), String> {
    for (key, value) in [
        ("time_to_own", &t.time_to_own),
        ("time_to_resolve", &t.time_to_resolve),
    ] {
        if let Some(value) = value
            && *value < t.date
        {
            return Err(format!(
                "deadline {key} ({value}) is before the opening date ({})",
                t.date
            ));
        }
    }
    Ok(())
}

fn status_matches_dates(t: &TicketRecord) -> Result<(), String> {
    let label = t.status.key();
    match t.status {
        Status::Solved | Status::Closed if t.solvedate.is_none() => Err(format!(
            "status {label} without a resolution date: add the column Date de résolution / Resolution date to the export"
        )),
        Status::Closed if t.closedate.is_none() => Err(
            "status closed without a closing date: add the column Date de clôture / Closing date to the export".into(),
        ),
        Status::Solved if t.closedate.is_some() => {
            Err("status solved with a closing date: GLPI never writes both".into())
        }
        s if s.is_open() && (t.solvedate.is_some() || t.closedate.is_some()) => Err(format!(
            "status {label} is open but a resolution or closing date is set (GLPI clears them when a ticket is reopened)"
        )),
        _ => Ok(()),
    }
}

/// Oldest first, none before the opening date, the last one the ticket's status.
fn history(t: &TicketRecord) -> Result<(), String> {
    let mut previous = &t.date;
    for (date, _) in &t.history {
        if date < previous {
            return Err(format!("a change on {date} comes before {previous}"));
        }
        previous = date;
    }
    match t.history.last() {
        Some((_, last)) if *last != t.status => Err(format!(
            "its last status is {} but the ticket is {}",
            last.key(),
            t.status.key()
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket() -> TicketRecord {
        TicketRecord {
            id: 7,
            name: "Imprimante".into(),
            kind: "incident",
            status: Status::Solved,
            date: "2025-03-05 09:00".into(),
            solvedate: Some("2025-03-05 11:00".into()),
            ..TicketRecord::default()
        }
    }

    #[test]
    fn dates_and_status_must_agree() {
        assert_eq!(check(&mut ticket()), Ok(None));
        let mut t = ticket();
        t.solvedate = Some("2025-03-04 11:00".into());
        assert_eq!(
            check(&mut t),
            Err("solvedate (2025-03-04 11:00) is before date (2025-03-05 09:00): GLPI's dates are out of order".into())
        );
        let mut t = ticket();
        t.status = Status::Assigned;
        assert!(
            check(&mut t)
                .unwrap_err()
                .starts_with("status assigned is open")
        );
    }

    #[test]
    fn a_history_that_does_not_fit_is_dropped_with_a_note() {
        let mut t = ticket();
        t.history = vec![
            ("2025-03-05 09:00".into(), Status::New),
            ("2025-03-05 10:00".into(), Status::Assigned),
        ];
        assert_eq!(
            check(&mut t),
            Ok(Some("ticket 7: its history was left out: its last status is assigned but the ticket is solved".into()))
        );
        assert!(t.history.is_empty());
    }
}
