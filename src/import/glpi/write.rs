//! Imported tickets and articles as Markdown files, in the front-matter format of
//! docs/tickets.md (tickets) and of pages (articles), named by id and slug.

use std::fmt::Write as _;

use super::record::{EntryKind, KbArticle, TicketRecord};

/// A ticket's text, converted and (with `--anonymise`) scrubbed: what the body shows.
#[derive(Debug, Default)]
pub(crate) struct TicketBody {
    /// The title as shown (names and secrets masked when anonymising).
    pub name: String,
    /// Requesters, technicians and observers as shown (pseudonyms when anonymising).
    pub requesters: Vec<String>,
    /// See `requesters`.
    pub technicians: Vec<String>,
    /// See `requesters`.
    pub observers: Vec<String>,
    /// `## Symptômes`.
    pub description: String,
    /// `## Diagnostic`: each follow-up and task, dated.
    pub timeline: Vec<(String, EntryKind, String)>,
    /// `## Résolution`.
    pub solution: Option<String>,
}

/// The file name of a ticket or an article: `<id>-<slug>.md`, the slug at most 60
/// characters, cut at a word.
pub(crate) fn file_name(id: u64, title: &str) -> String {
    let slug = crate::markdown::slugify(title);
    let mut cut = slug.as_str();
    if cut.len() > 60 {
        let mut end = 60;
        while !cut.is_char_boundary(end) {
            end -= 1;
        }
        cut = &cut[..end];
        if let Some(dash) = cut.rfind('-') {
            cut = &cut[..dash];
        }
    }
    if cut.is_empty() {
        format!("{id}.md")
    } else {
        format!("{id}-{cut}.md")
    }
}

/// The write-up of `t` (not yet stamped).
pub(crate) fn ticket(t: &TicketRecord, body: &TicketBody) -> String {
    let mut out = String::with_capacity(512 + body.description.len());
    out.push_str("---\n");
    let _ = writeln!(out, "id: {}", t.id);
    let _ = writeln!(out, "name: {}", quoted(&body.name));
    let _ = writeln!(out, "type: {}", t.kind);
    if let Some(category) = &t.category {
        let _ = writeln!(out, "category: {}", quoted(category));
    }
    for (key, value) in [
        ("urgency", t.urgency),
        ("impact", t.impact),
        ("priority", t.priority),
    ] {
        if let Some(value) = value {
            let _ = writeln!(out, "{key}: {value}");
        }
    }
    if t.priority == Some(6) {
        // GLPI never computes Majeure: it was set by hand there too.
        out.push_str("priority_override: true\n");
    }
    let _ = writeln!(out, "status: {}", t.status.key());
    if let Some(source) = t.requesttype {
        let _ = writeln!(out, "requesttype: {source}");
    }
    let _ = writeln!(out, "date: {}", t.date);
    let dates = [
        ("takeintoaccountdate", &t.takeintoaccountdate),
        ("solvedate", &t.solvedate),
        ("closedate", &t.closedate),
        ("time_to_own", &t.time_to_own),
        ("time_to_resolve", &t.time_to_resolve),
    ];
    for (key, value) in dates {
        if let Some(value) = value {
            let _ = writeln!(out, "{key}: {value}");
        }
    }
    if let Some(seconds) = t.waiting_duration {
        let _ = writeln!(out, "waiting_duration: {seconds}");
    }
    if !t.history.is_empty() {
        out.push_str("history:\n");
        for (date, status) in &t.history {
            let _ = writeln!(out, "  - {{date: {date}, status: {}}}", status.key());
        }
    }
    out.push_str("---\n");
    write_actors(&mut out, body);
    out.push_str("\n## Symptômes\n\n");
    out.push_str(if body.description.is_empty() {
        "*(Pas de description dans GLPI.)*"
    } else {
        &body.description
    });
    out.push('\n');
    if !body.timeline.is_empty() {
        out.push_str("\n## Diagnostic\n");
        for (date, kind, text) in &body.timeline {
            let what = match kind {
                EntryKind::Followup => "Suivi",
                EntryKind::Task => "Tâche",
            };
            let _ = write!(out, "\n### {what} du {date}\n\n{text}\n");
        }
    }
    if let Some(solution) = &body.solution {
        let _ = write!(out, "\n## Résolution\n\n{solution}\n");
    }
    out
}

fn write_actors(out: &mut String, body: &TicketBody) {
    let roles = [
        ("Demandeur", &body.requesters),
        ("Attribué à", &body.technicians),
        ("Observateur", &body.observers),
    ];
    let parts: Vec<String> = roles
        .iter()
        .filter(|(_, people)| !people.is_empty())
        .map(|(role, people)| {
            let names: Vec<String> = people
                .iter()
                .map(|p| super::html::plain_to_markdown(p))
                .collect();
            format!("{role} : {}", names.join(", "))
        })
        .collect();
    if !parts.is_empty() {
        let _ = write!(out, "\n*{}*\n", parts.join(" · "));
    }
}

/// A knowledge-base article as a page; `answer` is already converted.
pub(crate) fn article(a: &KbArticle, title: &str, answer: &str) -> String {
    let mut out = String::with_capacity(256 + answer.len());
    out.push_str("---\n");
    let _ = writeln!(out, "title: {}", quoted(title));
    if let Some(category) = &a.category {
        let _ = writeln!(out, "category: {}", quoted(category));
    }
    if let Some(date) = &a.date {
        let _ = writeln!(out, "date: {date}");
    }
    if a.is_faq {
        out.push_str("tags: [FAQ]\n");
    }
    out.push_str("---\n\n");
    out.push_str(answer);
    out.push('\n');
    out
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glpi::Status;

    #[test]
    fn names_are_id_and_slug() {
        assert_eq!(
            file_name(42, "Imprimante HS au 2ᵉ étage !"),
            "42-imprimante-hs-au-2ᵉ-etage.md"
        );
        assert_eq!(file_name(7, "???"), "7.md");
        let long = file_name(9, &"très long titre ".repeat(10));
        assert!(long.len() <= 60 + "9-.md".len(), "{long}");
        assert!(
            long.starts_with("9-tres-long-titre") && !long.ends_with("-.md"),
            "{long}"
        );
    }

    #[test]
    fn a_ticket_in_the_write_up_format() {
        let t = TicketRecord {
            id: 12,
            name: "Wi-Fi \"atelier\"".into(),
            kind: "incident",
            status: Status::Closed,
            urgency: Some(4),
            priority: Some(6),
            requesttype: Some("phone"),
            date: "2025-03-05 09:00".into(),
            solvedate: Some("2025-03-05 11:00".into()),
            closedate: Some("2025-03-06 08:00".into()),
            history: vec![
                ("2025-03-05 09:00".into(), Status::New),
                ("2025-03-06 08:00".into(), Status::Closed),
            ],
            ..TicketRecord::default()
        };
        let body = TicketBody {
            name: t.name.clone(),
            requesters: vec!["Personne ABCDE".into()],
            description: "Coupures.".into(),
            timeline: vec![(
                "2025-03-05 10:00".into(),
                EntryKind::Task,
                "Redémarrage.".into(),
            )],
            solution: Some("Borne remplacée.".into()),
            ..TicketBody::default()
        };
        assert_eq!(
            ticket(&t, &body),
            "---\nid: 12\nname: \"Wi-Fi \\\"atelier\\\"\"\ntype: incident\nurgency: 4\npriority: 6\npriority_override: true\nstatus: closed\nrequesttype: phone\ndate: 2025-03-05 09:00\nsolvedate: 2025-03-05 11:00\nclosedate: 2025-03-06 08:00\nhistory:\n  - {date: 2025-03-05 09:00, status: new}\n  - {date: 2025-03-06 08:00, status: closed}\n---\n\n*Demandeur : Personne ABCDE*\n\n## Symptômes\n\nCoupures.\n\n## Diagnostic\n\n### Tâche du 2025-03-05 10:00\n\nRedémarrage.\n\n## Résolution\n\nBorne remplacée.\n"
        );
    }
}
