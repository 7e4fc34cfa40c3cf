//! The ticket write-up: GLPI's fields in the front matter, parsed and checked one file at a
//! time. Checks that need other tickets or the settings live in `validate`.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::datetime::Timestamp;
use crate::content::SourcePage;
use crate::diagnostics::Diagnostic;
use crate::language::Language;
use crate::yaml::{self, Spans};

/// One resolved-ticket write-up (or an open ticket kept for the KPIs).
#[derive(Debug, Clone, Default)]
pub struct Ticket {
    /// GLPI ticket number, unique in the site.
    pub id: u64,
    /// The title (`name`, or `title`).
    pub name: String,
    /// Incident or service request (`type`).
    pub kind: TicketType,
    /// Category path such as `Réseau > Wi-Fi`.
    pub category: Option<String>,
    /// 1..5, set by the requester (3 when absent, as GLPI).
    pub urgency: u8,
    /// 1..5, set by the technician (3 when absent).
    pub impact: u8,
    /// The priority written in the front matter, if any (see [`Ticket::priority`]).
    pub priority: Option<u8>,
    /// True when the written priority is deliberate (the only way to 6 Majeure).
    pub priority_override: bool,
    /// GLPI status.
    pub status: Status,
    /// Source of the request.
    pub requesttype: Option<RequestType>,
    /// Opening date.
    pub date: Timestamp,
    /// When a technician took the ticket.
    pub takeintoaccountdate: Option<Timestamp>,
    /// When a solution was given.
    pub solvedate: Option<Timestamp>,
    /// When the ticket was closed.
    pub closedate: Option<Timestamp>,
    /// Seconds spent in the pending status (the SLA clock was paused): as written, else
    /// summed from `history`.
    pub waiting_duration: u64,
    /// The status changes, oldest first (GLPI's history tab), when written.
    pub history: Vec<StatusChange>,
    /// TTO deadline, when written (else computed from the SLA grid).
    pub time_to_own: Option<Timestamp>,
    /// TTR deadline, when written (else computed from the SLA grid).
    pub time_to_resolve: Option<Timestamp>,
    /// Support level that solved it (`N1`, `N2`…).
    pub level: Option<String>,
    /// Solved at first contact, without escalation or callback.
    pub first_contact: bool,
    /// How many times the requester refused the solution.
    pub reopened: u32,
    /// Satisfaction survey answer, 1..5.
    pub satisfaction: Option<u8>,
    /// Assets concerned (inventory names).
    pub assets: Vec<String>,
    /// The GLPI Problem this ticket is attached to.
    pub problem: Option<u64>,
    /// Id of the workflow (logigramme) the ticket followed.
    pub workflow: Option<String>,
    /// The step ids it went through, in order.
    pub path: Vec<String>,
    /// Ids of related tickets (shown both ways).
    pub related: Vec<u64>,
    /// Free tags.
    pub tags: Vec<String>,
    /// The general page keys every page accepts.
    pub page: PageKeys,
    /// Where the ticket comes from, for positions in later diagnostics.
    pub source: TicketSource,
}

impl Ticket {
    /// The Markdown body: the write-up sections.
    pub fn body(&self) -> &str {
        self.source.text.get(self.source.body.clone()).unwrap_or("")
    }

    /// Frees the file text and the front matter positions that share it, once nothing will
    /// quote or read it again (`build`, after rendering); the body becomes empty.
    pub(crate) fn forget_source(&mut self) {
        self.source.text = Arc::from("");
        self.source.body = 0..0;
        self.source.spans = Spans::default();
    }

    /// This ticket with `body` as its write-up, for tickets made in code rather than read
    /// from a file.
    pub fn with_body(mut self, body: &str) -> Self {
        self.source.text = body.into();
        self.source.body = 0..body.len();
        self
    }
}

/// One status change of a ticket's history: from `at`, the ticket was in `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    /// When the status was set.
    pub at: Timestamp,
    /// The status set then.
    pub status: Status,
}

/// General page keys that a ticket page accepts besides GLPI's fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageKeys {
    /// Short summary for lists and the meta description.
    pub description: Option<String>,
    /// Sort weight in lists.
    pub weight: Option<i64>,
    /// Drafts are not published.
    pub draft: bool,
    /// False to leave the page out of the search index.
    pub search: Option<bool>,
    /// Template override.
    pub template: Option<String>,
    /// Page language, when not the site's.
    pub language: Option<String>,
    /// Who the page is for.
    pub audience: Vec<String>,
}

/// The file a ticket was read from, with what is needed to point at its lines later.
#[derive(Debug, Clone, Default)]
pub struct TicketSource {
    /// The Markdown file.
    pub file: PathBuf,
    /// The file stem, which gives the page URL `/tickets/<slug>/`.
    pub slug: String,
    /// The whole file text (for the offending line in diagnostics).
    pub text: Arc<str>,
    /// Positions of the front matter keys and values.
    pub spans: Spans,
    /// Where the Markdown body (the write-up sections) is in `text`.
    pub body: Range<usize>,
}

/// GLPI ticket type.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum TicketType {
    /// Type 1: something is broken.
    #[default]
    Incident,
    /// Type 2: a service request.
    Demande,
}

pub use crate::glpi::Status;

/// Source of a ticket (`requesttypes_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum RequestType {
    Helpdesk,
    Email,
    Phone,
    Direct,
    Written,
    Other,
}

impl TicketType {
    /// The key written in front matter.
    pub(crate) fn key(self) -> &'static str {
        match self {
            TicketType::Incident => "incident",
            TicketType::Demande => "demande",
        }
    }

    /// Label in `lang`.
    pub(crate) fn label(self, lang: Language) -> &'static str {
        match (self, lang) {
            (TicketType::Incident, _) => "Incident",
            (TicketType::Demande, Language::Fr) => "Demande",
            (TicketType::Demande, Language::En) => "Request",
        }
    }
}

impl RequestType {
    /// Every source, in GLPI's order.
    pub(crate) const ALL: [RequestType; 6] = [
        RequestType::Helpdesk,
        RequestType::Email,
        RequestType::Phone,
        RequestType::Direct,
        RequestType::Written,
        RequestType::Other,
    ];

    /// The key written in front matter.
    pub(crate) fn key(self) -> &'static str {
        match self {
            RequestType::Helpdesk => "helpdesk",
            RequestType::Email => "email",
            RequestType::Phone => "phone",
            RequestType::Direct => "direct",
            RequestType::Written => "written",
            RequestType::Other => "other",
        }
    }

    /// GLPI's label in `lang`.
    pub(crate) fn label(self, lang: Language) -> &'static str {
        let en = lang == Language::En;
        match self {
            RequestType::Helpdesk => "Helpdesk",
            RequestType::Email => "E-Mail",
            RequestType::Phone if en => "Phone",
            RequestType::Phone => "Téléphone",
            RequestType::Direct => "Direct",
            RequestType::Written if en => "Written",
            RequestType::Written => "Écrit",
            RequestType::Other if en => "Other",
            RequestType::Other => "Autre",
        }
    }
}

/// The front matter as written; numbers are wide so that out-of-range values get our own
/// message at the right position rather than serde's.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: u64,
    name: Option<String>,
    title: Option<String>,
    #[serde(rename = "type")]
    kind: TicketType,
    category: Option<String>,
    urgency: Option<i64>,
    impact: Option<i64>,
    priority: Option<i64>,
    #[serde(default)]
    priority_override: bool,
    status: Status,
    requesttype: Option<RequestType>,
    date: String,
    takeintoaccountdate: Option<String>,
    solvedate: Option<String>,
    closedate: Option<String>,
    waiting_duration: Option<u64>,
    #[serde(default)]
    history: Vec<HistoryEntry>,
    time_to_own: Option<String>,
    time_to_resolve: Option<String>,
    level: Option<String>,
    #[serde(default)]
    first_contact: bool,
    #[serde(default)]
    reopened: u32,
    satisfaction: Option<i64>,
    #[serde(default)]
    assets: Vec<String>,
    problem: Option<u64>,
    workflow: Option<String>,
    #[serde(default)]
    path: Vec<String>,
    #[serde(default)]
    related: Vec<u64>,
    #[serde(default)]
    tags: Vec<String>,
    description: Option<String>,
    weight: Option<i64>,
    #[serde(default)]
    draft: bool,
    search: Option<bool>,
    template: Option<String>,
    language: Option<String>,
    audience: Option<OneOrMany>,
    /// Written by `guichet import` (see [`crate::import`]); not shown.
    #[serde(rename = "imported")]
    _imported: Option<String>,
}

/// One item of `history:` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryEntry {
    date: String,
    status: Status,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// Parses and checks the front matter of ticket write-up `page`. Every problem found in
/// the file is returned at once.
pub fn parse_ticket(page: &SourcePage) -> Result<Ticket, Vec<Diagnostic>> {
    let path: &Path = &page.file;
    let first_line = page.front_matter_line;
    let full_text: &str = &page.text;
    let (fm, spans) =
        yaml::parse_shared::<FrontMatter>(path, &page.text, page.front_matter_range(), first_line)
            .map_err(|d| vec![d])?;
    let mut check = Checker {
        file: path,
        text: full_text,
        spans: &spans,
        errors: Vec::new(),
    };
    let key_of_name = if fm.name.is_some() { "name" } else { "title" };
    let name = match (fm.name, fm.title) {
        (Some(n), _) | (None, Some(n)) if n.trim().is_empty() => {
            check.error_at(
                key_of_name,
                format!("`{key_of_name}` is empty: the ticket needs a title"),
                Some("write what the ticket is about, as in GLPI: `name: Imprimante du bureau d'études bloquée`"),
            );
            n
        }
        (Some(n), _) | (None, Some(n)) => n,
        (None, None) => {
            check.errors.push(
                Diagnostic::error(
                    path,
                    first_line,
                    1,
                    "missing key `name` (the ticket's title)",
                )
                .with_help("add `name: …` (GLPI's field; `title:` is accepted too)")
                .with_source(full_text),
            );
            String::new()
        }
    };
    let urgency = check.level_1_to_5("urgency", fm.urgency.unwrap_or(3));
    let impact = check.level_1_to_5("impact", fm.impact.unwrap_or(3));
    let priority = fm.priority.map(|p| check.priority(p, fm.priority_override));
    let satisfaction = fm
        .satisfaction
        .map(|s| check.level_1_to_5("satisfaction", s));
    let date = check.timestamp("date", Some(&fm.date));
    let takeintoaccountdate =
        check.timestamp("takeintoaccountdate", fm.takeintoaccountdate.as_deref());
    let solvedate = check.timestamp("solvedate", fm.solvedate.as_deref());
    let closedate = check.timestamp("closedate", fm.closedate.as_deref());
    let time_to_own = check.timestamp("time_to_own", fm.time_to_own.as_deref());
    let time_to_resolve = check.timestamp("time_to_resolve", fm.time_to_resolve.as_deref());
    check.chronology(&[
        ("date", date),
        ("takeintoaccountdate", takeintoaccountdate),
        ("solvedate", solvedate),
        ("closedate", closedate),
    ]);
    for (key, deadline) in [
        ("time_to_own", time_to_own),
        ("time_to_resolve", time_to_resolve),
    ] {
        check.not_before_opening(key, deadline, date);
    }
    check.status_matches_dates(fm.status, solvedate, closedate);
    let history = check.history(&fm.history, date, fm.status);
    let waiting_duration = fm
        .waiting_duration
        .unwrap_or_else(|| waiting_seconds(&history));
    if !check.errors.is_empty() {
        return Err(check.errors);
    }
    Ok(Ticket {
        id: fm.id,
        name,
        kind: fm.kind,
        category: fm.category,
        urgency,
        impact,
        priority,
        priority_override: fm.priority_override,
        status: fm.status,
        requesttype: fm.requesttype,
        date: date.unwrap_or_default(),
        takeintoaccountdate,
        solvedate,
        closedate,
        waiting_duration,
        history,
        time_to_own,
        time_to_resolve,
        level: fm.level,
        first_contact: fm.first_contact,
        reopened: fm.reopened,
        satisfaction,
        assets: fm.assets,
        problem: fm.problem,
        workflow: fm.workflow,
        path: fm.path,
        related: fm.related,
        tags: fm.tags,
        page: PageKeys {
            description: fm.description,
            weight: fm.weight,
            draft: fm.draft,
            search: fm.search,
            template: fm.template,
            language: fm.language,
            audience: match fm.audience {
                None => Vec::new(),
                Some(OneOrMany::One(a)) => vec![a],
                Some(OneOrMany::Many(v)) => v,
            },
        },
        source: TicketSource {
            file: path.to_path_buf(),
            slug: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            text: page.text.clone(),
            spans,
            body: page.body_range(),
        },
    })
}

/// Collects the problems of one front matter, each at the position of its key or value.
struct Checker<'a> {
    file: &'a Path,
    text: &'a str,
    spans: &'a Spans,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error_at(&mut self, key: &str, message: String, help: Option<&str>) {
        let pos = self.spans.at(key);
        let mut d =
            Diagnostic::error(self.file, pos.line, pos.column, message).with_source(self.text);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.errors.push(d);
    }

    /// Urgency, impact and satisfaction use GLPI's 1..5 scale.
    fn level_1_to_5(&mut self, key: &str, value: i64) -> u8 {
        if (1..=5).contains(&value) {
            return value as u8;
        }
        self.error_at(
            key,
            format!("`{key}` is {value}, outside the scale 1..5"),
            Some("1 = très basse … 5 = très haute"),
        );
        3
    }

    fn priority(&mut self, value: i64, overridden: bool) -> u8 {
        match value {
            1..=5 => value as u8,
            6 if overridden => 6,
            6 => {
                self.error_at(
                    "priority",
                    "priority 6 (Majeure) is never computed and must be set by hand".into(),
                    Some("add `priority_override: true` to confirm it"),
                );
                6
            }
            _ => {
                self.error_at(
                    "priority",
                    format!("`priority` is {value}, outside 1..6"),
                    None,
                );
                3
            }
        }
    }

    fn timestamp(&mut self, key: &str, text: Option<&str>) -> Option<Timestamp> {
        match Timestamp::parse(text?) {
            Ok(t) => Some(t),
            Err(message) => {
                self.error_at(key, message, None);
                None
            }
        }
    }

    /// date ≤ takeintoaccountdate ≤ solvedate ≤ closedate, comparing each present date with
    /// the latest present one before it.
    fn chronology(&mut self, dates: &[(&str, Option<Timestamp>)]) {
        let mut previous: Option<(&str, Timestamp)> = None;
        for &(key, value) in dates {
            let Some(value) = value else { continue };
            if let Some((before_key, before)) = previous
                && value < before
            {
                self.error_at(
                    key,
                    format!(
                        "`{key}` ({}) is before `{before_key}` ({})",
                        value.display(),
                        before.display()
                    ),
                    Some("dates must follow date ≤ takeintoaccountdate ≤ solvedate ≤ closedate"),
                );
                continue;
            }
            previous = Some((key, value));
        }
    }

    fn not_before_opening(
        &mut self,
        key: &str,
        deadline: Option<Timestamp>,
        date: Option<Timestamp>,
    ) {
        if let (Some(deadline), Some(date)) = (deadline, date)
            && deadline < date
        {
            self.error_at(
                key,
                format!(
                    "deadline `{key}` ({}) is before the opening `date` ({})",
                    deadline.display(),
                    date.display()
                ),
                None,
            );
        }
    }

    /// A solved ticket has a solvedate and no closedate; a closed one has both; an open one
    /// has neither (GLPI clears them when a ticket is reopened).
    fn status_matches_dates(
        &mut self,
        status: Status,
        solvedate: Option<Timestamp>,
        closedate: Option<Timestamp>,
    ) {
        let key = status.key();
        match status {
            Status::Solved | Status::Closed if solvedate.is_none() && !self.has("solvedate") => {
                self.error_at(
                    "status",
                    format!("status `{key}` without a `solvedate`"),
                    Some("add `solvedate: YYYY-MM-DD HH:MM`"),
                );
            }
            _ => {}
        }
        match status {
            Status::Closed if closedate.is_none() && !self.has("closedate") => self.error_at(
                "status",
                "status `closed` without a `closedate`".into(),
                Some("add `closedate: YYYY-MM-DD HH:MM`, or use `solved` if the requester has not closed it"),
            ),
            Status::Solved if closedate.is_some() => self.error_at(
                "closedate",
                "a `solved` ticket has no `closedate` yet".into(),
                Some("use `status: closed`, or remove `closedate`"),
            ),
            s if s.is_open() => {
                for (field, value) in [("solvedate", solvedate), ("closedate", closedate)] {
                    if value.is_some() {
                        self.error_at(
                            field,
                            format!("status `{key}` is open but `{field}` is set"),
                            Some("a reopened ticket loses its solvedate and closedate in GLPI: remove it or change the status"),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    /// The `history:` list: each date valid, in order, none before the opening `date`, and
    /// the last status the ticket's `status` (GLPI writes both from the same change).
    fn history(
        &mut self,
        entries: &[HistoryEntry],
        opened: Option<Timestamp>,
        status: Status,
    ) -> Vec<StatusChange> {
        let mut changes = Vec::with_capacity(entries.len());
        let mut previous = opened.map(|at| ("date".to_string(), at));
        for (i, entry) in entries.iter().enumerate() {
            let key = format!("history.{i}.date");
            let Some(at) = self.timestamp(&key, Some(&entry.date)) else {
                continue;
            };
            if let Some((before_key, before)) = &previous
                && at < *before
            {
                let message = format!(
                    "`{key}` ({}) is before `{before_key}` ({})",
                    at.display(),
                    before.display()
                );
                self.error_at(
                    &key,
                    message,
                    Some("list the status changes oldest first, none before the opening `date`"),
                );
            }
            previous = Some((key, at));
            changes.push(StatusChange {
                at,
                status: entry.status,
            });
        }
        if let Some(last) = entries.last()
            && last.status != status
        {
            let key = format!("history.{}.status", entries.len() - 1);
            self.error_at(
                &key,
                format!(
                    "the last status of `history` is `{}` but the ticket's `status` is `{}`",
                    last.status.key(),
                    status.key()
                ),
                Some("add the change that led to the current status, or correct `status`"),
            );
        }
        changes
    }

    fn has(&self, key: &str) -> bool {
        self.spans.key(key).is_some()
    }
}

/// Seconds spent pending according to `history`: each stay in `waiting` up to the next
/// change (a ticket still pending has no end to its stay yet, so it does not count).
fn waiting_seconds(history: &[StatusChange]) -> u64 {
    history
        .windows(2)
        .filter(|pair| pair[0].status == Status::Waiting)
        .map(|pair| (pair[1].at.0 - pair[0].at.0).max(0) as u64)
        .sum()
}

/// The ticket's priority: the written one, else the matrix's.
impl Ticket {
    /// The priority the KPIs and the card use: as written, else from the matrix.
    pub(crate) fn priority(&self, matrix: &super::priority::PriorityMatrix) -> u8 {
        self.priority
            .unwrap_or_else(|| matrix.priority(self.urgency, self.impact))
    }
}
