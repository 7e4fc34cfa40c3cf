//! What the readers of GLPI's formats produce: tickets, their timeline and history, and
//! knowledge-base articles, in one shape whatever the source (CSV, API v1, high-level API).

use crate::glpi::Status;

/// One GLPI ticket, with values already read back from labels and display formats.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TicketRecord {
    /// Where it was read: "row 12" of a CSV, "item 3" of a JSON file.
    pub origin: String,
    /// GLPI's ticket number.
    pub id: u64,
    /// The title.
    pub name: String,
    /// `incident` or `demande`.
    pub kind: &'static str,
    /// The current status.
    pub status: Status,
    /// 1..5, when known.
    pub urgency: Option<u8>,
    /// 1..5, when known.
    pub impact: Option<u8>,
    /// 1..6, when known.
    pub priority: Option<u8>,
    /// The request source key (`helpdesk`, `email`…).
    pub requesttype: Option<&'static str>,
    /// The category path, `Réseau > Wi-Fi`.
    pub category: Option<String>,
    /// Opening date, normalised (`2025-03-05 14:02`).
    pub date: String,
    /// Normalised dates, when known.
    pub takeintoaccountdate: Option<String>,
    /// Normalised dates, when known.
    pub solvedate: Option<String>,
    /// Normalised dates, when known.
    pub closedate: Option<String>,
    /// SLA deadlines, when GLPI had them.
    pub time_to_own: Option<String>,
    /// SLA deadlines, when GLPI had them.
    pub time_to_resolve: Option<String>,
    /// Seconds spent pending.
    pub waiting_duration: Option<u64>,
    /// People, by display name.
    pub requesters: Vec<String>,
    /// People, by display name.
    pub technicians: Vec<String>,
    /// People, by display name.
    pub observers: Vec<String>,
    /// The description, as GLPI holds it (HTML, entity-encoded HTML or plain text).
    pub content: String,
    /// Follow-ups and tasks, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// The solution's text, as GLPI holds it.
    pub solution: Option<String>,
    /// Status changes, oldest first.
    pub history: Vec<(String, Status)>,
}

/// A follow-up or a task of a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TimelineEntry {
    /// Normalised date.
    pub date: String,
    /// Follow-up or task.
    pub kind: EntryKind,
    /// The text, as GLPI holds it.
    pub content: String,
}

/// The kinds of timeline entries that become a write-up's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum EntryKind {
    /// ITILFollowup.
    Followup,
    /// TicketTask.
    Task,
}

/// A knowledge-base article (KnowbaseItem).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KbArticle {
    /// Where it was read.
    pub origin: String,
    /// GLPI's article number.
    pub id: u64,
    /// The subject.
    pub name: String,
    /// The answer, as GLPI holds it.
    pub answer: String,
    /// The category path, when known.
    pub category: Option<String>,
    /// Last change (or creation), `YYYY-MM-DD`.
    pub date: Option<String>,
    /// In the FAQ.
    pub is_faq: bool,
}

/// A row or item that could not be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The file it came from.
    pub file: String,
    /// "row 12", "item 3".
    pub origin: String,
    /// What is wrong and how to fix it.
    pub reason: String,
}

/// Items attached to a ticket by its id, read from separate files or API calls: merged into
/// the ticket after every source is read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Attachment {
    /// A follow-up or task.
    Entry(u64, TimelineEntry),
    /// A solution (only the last accepted or latest one is kept).
    Solution(u64, String, String),
    /// A status change: ticket, date, old status, new status.
    StatusChange(u64, String, Option<Status>, Status),
    /// An actor: ticket, role, name.
    Actor(u64, Role, String),
}

/// The role of a person on a ticket (GLPI's actor types 1, 2, 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// 1, Demandeur.
    Requester,
    /// 2, Attribué à.
    Technician,
    /// 3, Observateur.
    Observer,
}

/// Everything read from the sources, before it is merged and written.
#[derive(Debug, Default)]
pub(crate) struct Harvest {
    /// Tickets.
    pub tickets: Vec<TicketRecord>,
    /// Timeline items, solutions, history and actors found apart from their ticket.
    pub attachments: Vec<Attachment>,
    /// KB articles.
    pub articles: Vec<KbArticle>,
    /// Rows that could not be read.
    pub rejected: Vec<Rejected>,
    /// Notes for the user (unknown columns, guesses made), each said once.
    pub notes: Vec<String>,
}

impl Harvest {
    /// Adds what `other` holds.
    pub(crate) fn extend(&mut self, other: Harvest) {
        self.tickets.extend(other.tickets);
        self.attachments.extend(other.attachments);
        self.articles.extend(other.articles);
        self.rejected.extend(other.rejected);
        self.notes.extend(other.notes);
    }

    /// Attaches every loose item to its ticket; items whose ticket was not imported are
    /// reported once per ticket.
    pub(crate) fn merge(&mut self) {
        use std::collections::HashMap;
        let index: HashMap<u64, usize> = self
            .tickets
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id, i))
            .collect();
        let mut orphans = std::collections::BTreeSet::new();
        let mut changes: Vec<(usize, String, Option<Status>, Status)> = Vec::new();
        let mut solutions: HashMap<usize, (String, String)> = HashMap::new();
        for attachment in std::mem::take(&mut self.attachments) {
            let id = match &attachment {
                Attachment::Entry(id, _)
                | Attachment::Solution(id, _, _)
                | Attachment::StatusChange(id, _, _, _)
                | Attachment::Actor(id, _, _) => *id,
            };
            let Some(&at) = index.get(&id) else {
                orphans.insert(id);
                continue;
            };
            let ticket = &mut self.tickets[at];
            match attachment {
                Attachment::Entry(_, entry) => ticket.timeline.push(entry),
                Attachment::Solution(_, date, text) => {
                    let newer = solutions.get(&at).is_none_or(|(d, _)| *d <= date);
                    if newer {
                        solutions.insert(at, (date, text));
                    }
                }
                Attachment::StatusChange(_, date, old, new) => changes.push((at, date, old, new)),
                Attachment::Actor(_, role, name) => {
                    let list = match role {
                        Role::Requester => &mut ticket.requesters,
                        Role::Technician => &mut ticket.technicians,
                        Role::Observer => &mut ticket.observers,
                    };
                    if !list.contains(&name) {
                        list.push(name);
                    }
                }
            }
        }
        for (at, (_, text)) in solutions {
            self.tickets[at].solution = Some(text);
        }
        changes.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        for (at, date, old, new) in changes {
            let ticket = &mut self.tickets[at];
            if ticket.history.is_empty() {
                let first = old.unwrap_or(crate::glpi::Status::New);
                ticket.history.push((ticket.date.clone(), first));
            }
            ticket.history.push((date, new));
        }
        for ticket in &mut self.tickets {
            ticket
                .timeline
                .sort_by(|a, b| (&a.date, a.kind).cmp(&(&b.date, b.kind)));
        }
        for id in orphans {
            self.notes.push(format!(
                "items of ticket {id} were read but the ticket itself was not: they were left out"
            ));
        }
    }
}
