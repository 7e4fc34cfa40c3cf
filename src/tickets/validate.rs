//! Checks that need every ticket, the settings or the workflows: duplicate ids, dangling
//! `related` ids, a `path` that leaves its workflow, and priorities that disagree with the
//! matrix. Runs after every ticket file has been parsed.

use std::collections::BTreeMap;

use super::model::Ticket;
use super::settings::TicketSettings;
use crate::diagnostics::Diagnostic;

/// Checks across tickets. `follows(workflow, from, to)` answers whether the workflow has a
/// flow from step `from` to step `to`: `None` when the workflow does not exist. A ticket
/// with a workflow but fewer than two path steps is checked with `follows(workflow, "", "")`
/// only to learn whether the workflow exists.
pub fn validate_all(
    tickets: &[Ticket],
    settings: &TicketSettings,
    follows: &dyn Fn(&str, &str, &str) -> Option<bool>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut by_id: BTreeMap<u64, &Ticket> = BTreeMap::new();
    for ticket in tickets {
        match by_id.get(&ticket.id) {
            Some(first) => out.push(
                at(
                    ticket,
                    "id",
                    format!(
                        "ticket id {} is already used by {}",
                        ticket.id,
                        first.source.file.display()
                    ),
                )
                .with_help("each ticket needs its own GLPI number"),
            ),
            None => {
                by_id.insert(ticket.id, ticket);
            }
        }
    }
    for ticket in tickets {
        check_related(ticket, &by_id, &mut out);
        check_priority(ticket, settings, &mut out);
        check_path(ticket, follows, &mut out);
    }
    out
}

/// A diagnostic at the value (else key) of `key` in the ticket's front matter.
fn at(ticket: &Ticket, key: &str, message: String) -> Diagnostic {
    let pos = ticket.source.spans.at(key);
    Diagnostic::error(&ticket.source.file, pos.line, pos.column, message)
        .with_source(&ticket.source.text)
}

fn check_related(ticket: &Ticket, by_id: &BTreeMap<u64, &Ticket>, out: &mut Vec<Diagnostic>) {
    for (i, id) in ticket.related.iter().enumerate() {
        let key = format!("related.{i}");
        if *id == ticket.id {
            out.push(at(
                ticket,
                &key,
                format!("ticket {id} is related to itself"),
            ));
        } else if !by_id.contains_key(id) {
            out.push(
                at(ticket, &key, format!("related ticket {id} does not exist"))
                    .with_help("`related` lists the `id` of other ticket write-ups"),
            );
        }
    }
}

fn check_priority(ticket: &Ticket, settings: &TicketSettings, out: &mut Vec<Diagnostic>) {
    let Some(given) = ticket.priority else { return };
    let computed = settings
        .priority_matrix
        .priority(ticket.urgency, ticket.impact);
    if given != computed && !ticket.priority_override {
        let pos = ticket.source.spans.at("priority");
        out.push(
            Diagnostic::warning(
                &ticket.source.file,
                pos.line,
                pos.column,
                format!(
                    "priority {given} differs from the matrix's {computed} for urgency {} and impact {}",
                    ticket.urgency, ticket.impact
                ),
            )
            .with_source(&ticket.source.text)
            .with_help("add `priority_override: true` if it was raised by hand, or remove `priority`"),
        );
    }
}

fn check_path(
    ticket: &Ticket,
    follows: &dyn Fn(&str, &str, &str) -> Option<bool>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(workflow) = ticket.workflow.as_deref() else {
        if !ticket.path.is_empty() {
            out.push(
                at(ticket, "path", "`path` needs a `workflow` to follow".into())
                    .with_help("add `workflow: <id>` naming a file of workflows/"),
            );
        }
        return;
    };
    let unknown = || {
        at(ticket, "workflow", format!("unknown workflow `{workflow}`"))
            .with_help("`workflow` names a file workflows/<id>.yaml")
    };
    if ticket.path.len() < 2 {
        if follows(workflow, "", "").is_none() {
            out.push(unknown());
        }
        return;
    }
    for (i, pair) in ticket.path.windows(2).enumerate() {
        match follows(workflow, &pair[0], &pair[1]) {
            None => {
                out.push(unknown());
                return;
            }
            Some(false) => out.push(
                at(
                    ticket,
                    &format!("path.{}", i + 1),
                    format!(
                        "workflow `{workflow}` has no flow from `{}` to `{}`",
                        pair[0], pair[1]
                    ),
                )
                .with_help("`path` lists the step ids the ticket went through, in order"),
            ),
            Some(true) => {}
        }
    }
}
