//! JSON from GLPI's APIs: REST API v1 (`apirest.php`: one item, an array of items, or a
//! search response `{"data": [...]}` keyed by search-option ids) and GLPI 11's high-level
//! API (`api.php/v2`: `status: {id, name}`, `category: {name}`, `team: [{name, role}]`,
//! timelines of `{type, item}`).
//!
//! Each object is recognised by its keys, so one file may mix kinds: Ticket, ITILFollowup,
//! TicketTask, ITILSolution, Log, Ticket_User, KnowbaseItem.

use serde_json::{Map, Value};

use super::labels::{self, DateOrder};
use super::record::{
    Attachment, EntryKind, Harvest, KbArticle, Rejected, Role, TicketRecord, TimelineEntry,
};

/// The Ticket search options read from a search response (`src/CommonITILObject.php`,
/// `src/Ticket.php`).
mod option {
    pub const NAME: &str = "1";
    pub const ID: &str = "2";
    pub const PRIORITY: &str = "3";
    pub const REQUESTER: &str = "4";
    pub const TECHNICIAN: &str = "5";
    pub const CATEGORY: &str = "7";
    pub const SOURCE: &str = "9";
    pub const URGENCY: &str = "10";
    pub const IMPACT: &str = "11";
    pub const STATUS: &str = "12";
    pub const TYPE: &str = "14";
    pub const DATE: &str = "15";
    pub const CLOSEDATE: &str = "16";
    pub const SOLVEDATE: &str = "17";
    pub const TIME_TO_RESOLVE: &str = "18";
    pub const CONTENT: &str = "21";
    pub const SOLUTION: &str = "24";
    pub const OBSERVER: &str = "66";
    pub const TIME_TO_OWN: &str = "155";
    /// In a Log item, the option that changed: 12 is the status.
    pub const STATUS_OPTION: u64 = 12;
}

/// Reads a JSON document. `Err` holds the line and column (1-based, 0 when the whole file
/// is concerned) and the message when it is not JSON or holds nothing GLPI writes.
pub(crate) fn read(text: &str, file: &str) -> Result<Harvest, (usize, usize, String)> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        (
            e.line(),
            e.column(),
            format!("not valid JSON ({e}): save the API's answer as it came"),
        )
    })?;
    read_value(&value, file).map_err(|message| (0, 0, message))
}

/// Reads an API answer already parsed (live mode reads them from the network).
pub(crate) fn read_value(value: &Value, file: &str) -> Result<Harvest, String> {
    let mut harvest = Harvest::default();
    let items: Vec<(String, &Value)> = match value {
        Value::Object(o) if o.get("data").is_some_and(Value::is_array) => {
            let data = o["data"].as_array().into_iter().flatten();
            data.enumerate()
                .map(|(i, v)| (format!("data item {}", i + 1), v))
                .collect()
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("item {}", i + 1), v))
            .collect(),
        v @ Value::Object(_) => vec![("the object".to_string(), v)],
        _ => return Err("not a GLPI API answer: expected an object or an array".into()),
    };
    let search = matches!(value, Value::Object(o) if o.contains_key("data"));
    let mut recognised = 0;
    for (origin, item) in items {
        let Some(object) = item.as_object() else {
            harvest
                .rejected
                .push(reject(file, &origin, "not an object"));
            continue;
        };
        let result = if search {
            search_row(object).map(|t| harvest.tickets.push(t))
        } else {
            classify(object, &mut harvest)
        };
        match result {
            Ok(()) => recognised += 1,
            Err(reason) => harvest.rejected.push(reject(file, &origin, &reason)),
        }
    }
    for t in &mut harvest.tickets {
        if t.origin.is_empty() {
            t.origin = format!("ticket {}", t.id);
        }
    }
    if recognised == 0 && !harvest.rejected.is_empty() {
        return Err(format!(
            "not a GLPI API answer: none of its {} item(s) is a Ticket, follow-up, task, solution, log or knowledge-base article ({})",
            harvest.rejected.len(),
            harvest.rejected[0].reason
        ));
    }
    Ok(harvest)
}

fn reject(file: &str, origin: &str, reason: &str) -> Rejected {
    Rejected {
        file: file.to_string(),
        origin: origin.to_string(),
        reason: reason.to_string(),
    }
}

/// Recognises one item by its keys and adds it to `harvest`.
fn classify(o: &Map<String, Value>, harvest: &mut Harvest) -> Result<(), String> {
    if let (Some(kind), Some(item)) = (o.get("type").and_then(Value::as_str), o.get("item")) {
        // High-level API timeline: {"type": "Followup", "item": {...}}.
        let item = item
            .as_object()
            .ok_or("a timeline item without its object")?;
        return timeline_item(kind, item, harvest);
    }
    if o.contains_key("id_search_option") {
        return log_item(o, harvest);
    }
    if o.contains_key("answer") {
        harvest.articles.push(article(o)?);
        return Ok(());
    }
    if o.contains_key("solutiontypes_id") || o.contains_key("solutiontype") {
        return timeline_item("Solution", o, harvest);
    }
    if o.contains_key("tickets_id")
        && o.contains_key("users_id")
        && o.contains_key("type")
        && !o.contains_key("content")
    {
        let ticket = number(o.get("tickets_id")).ok_or("Ticket_User without tickets_id")?;
        let role = role(o.get("type")).ok_or("Ticket_User with an unknown actor type")?;
        let name = text(o.get("users_id")).ok_or("Ticket_User without users_id")?;
        let name = if name.bytes().all(|b| b.is_ascii_digit()) {
            format!("utilisateur {name}")
        } else {
            name
        };
        harvest
            .attachments
            .push(Attachment::Actor(ticket, role, name));
        return Ok(());
    }
    if o.contains_key("tickets_id") && o.contains_key("content") {
        return timeline_item("Task", o, harvest);
    }
    if o.contains_key("itemtype") && o.contains_key("items_id") && o.contains_key("content") {
        return timeline_item("Followup", o, harvest);
    }
    if o.contains_key("name") && (o.contains_key("status") || o.contains_key("date")) {
        let ticket = ticket(o)?;
        if let Some(logs) = o.get("_logs") {
            let entries: Vec<&Value> = match logs {
                Value::Object(m) => m.values().collect(),
                Value::Array(a) => a.iter().collect(),
                _ => Vec::new(),
            };
            for entry in entries.into_iter().filter_map(Value::as_object) {
                let mut entry = entry.clone();
                entry.entry("items_id").or_insert(Value::from(ticket.id));
                entry.entry("itemtype").or_insert(Value::from("Ticket"));
                if entry.contains_key("id_search_option") {
                    log_item(&entry, harvest)?;
                } else {
                    shown_log_item(ticket.id, &entry, harvest)?;
                }
            }
        }
        harvest.tickets.push(ticket);
        return Ok(());
    }
    Err("not a GLPI item this importer reads (no name, content, answer or id_search_option)".into())
}

/// A Ticket from API v1 (`status: 5`, `itilcategories_id: "Réseau > Wi-Fi"` with
/// `expand_dropdowns=true`) or the high-level API (`status: {id, name}`, `category: {name}`,
/// `team`).
fn ticket(o: &Map<String, Value>) -> Result<TicketRecord, String> {
    let ymd = DateOrder::YearMonthDay;
    let mut t = TicketRecord {
        id: number(o.get("id")).ok_or("a ticket without an id")?,
        name: text(o.get("name")).ok_or("a ticket without a name")?,
        ..TicketRecord::default()
    };
    let status = o.get("status").ok_or("a ticket without a status")?;
    let status = text(status.get("id").or(Some(status))).unwrap_or_default();
    t.status =
        labels::status(&status).ok_or_else(|| format!("status `{status}` is not a GLPI status"))?;
    let kind = text(o.get("type")).unwrap_or_else(|| "1".into());
    t.kind = labels::ticket_type(&kind)
        .ok_or_else(|| format!("type `{kind}` is neither 1 (incident) nor 2 (request)"))?;
    t.urgency = level(o, "urgency")?.map(|l| l.min(5));
    t.impact = level(o, "impact")?.map(|l| l.min(5));
    t.priority = level(o, "priority")?;
    let date = |keys: &[&str]| -> Result<Option<String>, String> {
        match keys.iter().find_map(|k| text(o.get(*k))) {
            None => Ok(None),
            Some(d) => labels::date(&d, ymd)
                .map(Some)
                .ok_or_else(|| format!("`{d}` is not a date")),
        }
    };
    t.date = date(&["date", "date_creation"])?.ok_or("a ticket without its opening date")?;
    t.takeintoaccountdate = date(&["takeintoaccountdate", "date_takeintoaccount"])?;
    t.solvedate = date(&["solvedate", "date_solve"])?;
    t.closedate = date(&["closedate", "date_close"])?;
    t.time_to_own = date(&["time_to_own"])?;
    t.time_to_resolve = date(&["time_to_resolve"])?;
    t.waiting_duration = number(o.get("waiting_duration")).filter(|&n| n > 0);
    t.category = ["itilcategories_id", "category"]
        .iter()
        .filter_map(|k| o.get(*k))
        .find_map(dropdown_name);
    t.requesttype = ["requesttypes_id", "request_type"]
        .iter()
        .filter_map(|k| o.get(*k))
        .find_map(|v| text(v.get("name").or(Some(v))))
        .map(|s| labels::request_source(&s));
    t.content = text(o.get("content")).unwrap_or_default();
    if let Some(team) = o.get("team").and_then(Value::as_array) {
        for member in team.iter().filter_map(Value::as_object) {
            let (Some(name), Some(role)) = (text(member.get("name")), text(member.get("role")))
            else {
                continue;
            };
            match role.as_str() {
                "requester" => t.requesters.push(name),
                "assigned" => t.technicians.push(name),
                "observer" => t.observers.push(name),
                _ => {}
            }
        }
    }
    Ok(t)
}

/// A row of `GET /search/Ticket`, keyed by search-option ids.
fn search_row(o: &Map<String, Value>) -> Result<TicketRecord, String> {
    let ymd = DateOrder::YearMonthDay;
    let get = |k: &str| text(o.get(k));
    let date = |k: &str| -> Result<Option<String>, String> {
        match get(k) {
            None => Ok(None),
            Some(d) => labels::date(&d, ymd)
                .map(Some)
                .ok_or_else(|| format!("option {k}: `{d}` is not a date")),
        }
    };
    let level = |k: &str| -> Result<Option<u8>, String> {
        match get(k) {
            None => Ok(None),
            Some(l) => labels::level(&l)
                .map(Some)
                .ok_or_else(|| format!("option {k}: `{l}` is not a level 1..6")),
        }
    };
    let status =
        get(option::STATUS).ok_or("no status (search option 12): add forcedisplay[]=12")?;
    let kind = get(option::TYPE).ok_or("no type (search option 14): add forcedisplay[]=14")?;
    Ok(TicketRecord {
        id: number(o.get(option::ID)).ok_or("no id (search option 2)")?,
        name: get(option::NAME).ok_or("no title (search option 1)")?,
        status: labels::status(&status)
            .ok_or_else(|| format!("status `{status}` is not a GLPI status"))?,
        kind: labels::ticket_type(&kind)
            .ok_or_else(|| format!("type `{kind}` is neither incident nor request"))?,
        urgency: level(option::URGENCY)?.map(|l| l.min(5)),
        impact: level(option::IMPACT)?.map(|l| l.min(5)),
        priority: level(option::PRIORITY)?,
        date: date(option::DATE)?.ok_or("no opening date (search option 15)")?,
        solvedate: date(option::SOLVEDATE)?,
        closedate: date(option::CLOSEDATE)?,
        time_to_resolve: date(option::TIME_TO_RESOLVE)?,
        time_to_own: date(option::TIME_TO_OWN)?,
        category: get(option::CATEGORY),
        requesttype: get(option::SOURCE).map(|s| labels::request_source(&s)),
        requesters: names(o.get(option::REQUESTER)),
        technicians: names(o.get(option::TECHNICIAN)),
        observers: names(o.get(option::OBSERVER)),
        content: get(option::CONTENT).unwrap_or_default(),
        solution: get(option::SOLUTION),
        ..TicketRecord::default()
    })
}

/// An ITILFollowup, TicketTask or ITILSolution (API v1 or high-level).
fn timeline_item(kind: &str, o: &Map<String, Value>, harvest: &mut Harvest) -> Result<(), String> {
    let entry_kind = match kind {
        "Followup" | "ITILFollowup" => Some(EntryKind::Followup),
        "Task" | "TicketTask" => Some(EntryKind::Task),
        "Solution" | "ITILSolution" => None,
        // Documents, validations and other timeline items are not part of a write-up.
        _ => return Ok(()),
    };
    let ticket = number(o.get("tickets_id"))
        .or_else(|| number(o.get("items_id")))
        .ok_or_else(|| {
            format!("a {kind} without the ticket it belongs to (items_id or tickets_id)")
        })?;
    if let Some(itemtype) = text(o.get("itemtype"))
        && itemtype != "Ticket"
    {
        return Err(format!("a {kind} of a {itemtype}, not of a Ticket"));
    }
    let content = text(o.get("content")).unwrap_or_default();
    let raw_date = ["date", "date_creation", "date_mod"]
        .iter()
        .find_map(|k| text(o.get(*k)))
        .ok_or_else(|| format!("a {kind} without a date"))?;
    let date = labels::date(&raw_date, DateOrder::YearMonthDay)
        .ok_or_else(|| format!("`{raw_date}` is not a date"))?;
    let Some(entry_kind) = entry_kind else {
        // Refused solutions (status 4) are not the ticket's resolution.
        if number(o.get("status")) != Some(4) {
            harvest
                .attachments
                .push(Attachment::Solution(ticket, date, content));
        }
        return Ok(());
    };
    if number(o.get("is_private")) == Some(1) || o.get("is_private") == Some(&Value::Bool(true)) {
        // Private follow-ups and tasks are for technicians: never published.
        return Ok(());
    }
    harvest.attachments.push(Attachment::Entry(
        ticket,
        TimelineEntry {
            date,
            kind: entry_kind,
            content,
        },
    ));
    Ok(())
}

/// A Log item (`GET /Ticket/:id/Log`): only status changes (search option 12) are kept; the
/// values are status codes, as `Log::constructHistory` stores the raw column.
fn log_item(o: &Map<String, Value>, harvest: &mut Harvest) -> Result<(), String> {
    if text(o.get("itemtype")).is_some_and(|t| t != "Ticket")
        || number(o.get("id_search_option")) != Some(option::STATUS_OPTION)
    {
        return Ok(());
    }
    let ticket = number(o.get("items_id")).ok_or("a log entry without items_id")?;
    let raw_date = text(o.get("date_mod")).ok_or("a log entry without date_mod")?;
    let date = labels::date(&raw_date, DateOrder::YearMonthDay)
        .ok_or_else(|| format!("`{raw_date}` is not a date"))?;
    let new = text(o.get("new_value")).unwrap_or_default();
    let new =
        labels::status(&new).ok_or_else(|| format!("new_value `{new}` is not a status code"))?;
    let old = text(o.get("old_value")).and_then(|v| labels::status(&v));
    harvest
        .attachments
        .push(Attachment::StatusChange(ticket, date, old, new));
    Ok(())
}

/// An entry of `_logs` (`with_logs=true`): the history tab's data, `field` and `change`
/// as shown ("Statut", "Modification de Nouveau en En cours (attribué)").
fn shown_log_item(
    ticket: u64,
    o: &Map<String, Value>,
    harvest: &mut Harvest,
) -> Result<(), String> {
    let field = labels::normalise_label(&text(o.get("field")).unwrap_or_default());
    if field != "statut" && field != "status" {
        return Ok(());
    }
    let raw_date = text(o.get("date_mod")).ok_or("a log entry without date_mod")?;
    let date = labels::date(&raw_date, DateOrder::YearMonthDay)
        .or_else(|| labels::date(&raw_date, DateOrder::DayMonthYear))
        .ok_or_else(|| format!("`{raw_date}` is not a date"))?;
    let change = text(o.get("change")).unwrap_or_default();
    let (old, new) = super::csv_export::statuses_in(&change)
        .ok_or_else(|| format!("`{change}` names no GLPI status"))?;
    harvest
        .attachments
        .push(Attachment::StatusChange(ticket, date, old, new));
    Ok(())
}

/// A KnowbaseItem (v1: `name`, `answer`, `knowbaseitemcategories_id`; high-level: `category`).
fn article(o: &Map<String, Value>) -> Result<KbArticle, String> {
    let date = ["date_mod", "date_creation", "date"]
        .iter()
        .find_map(|k| text(o.get(*k)))
        .and_then(|d| labels::date(&d, DateOrder::YearMonthDay))
        .map(|d| d[..10].to_string());
    Ok(KbArticle {
        origin: String::new(),
        id: number(o.get("id")).ok_or("an article without an id")?,
        name: text(o.get("name")).ok_or("an article without a subject (name)")?,
        answer: text(o.get("answer")).unwrap_or_default(),
        category: ["knowbaseitemcategories_id", "category", "categories"]
            .iter()
            .filter_map(|k| o.get(*k))
            .find_map(dropdown_name),
        date,
        is_faq: number(o.get("is_faq")) == Some(1) || o.get("is_faq") == Some(&Value::Bool(true)),
    })
}

fn level(o: &Map<String, Value>, key: &str) -> Result<Option<u8>, String> {
    match text(o.get(key)) {
        None => Ok(None),
        Some(l) => labels::level(&l)
            .map(Some)
            .ok_or_else(|| format!("{key} `{l}` is not a level 1..6")),
    }
}

fn role(v: Option<&Value>) -> Option<Role> {
    match number(v)? {
        1 => Some(Role::Requester),
        2 => Some(Role::Technician),
        3 => Some(Role::Observer),
        _ => None,
    }
}

/// A dropdown's name: `"Réseau > Wi-Fi"` (expanded), `{"completename"|"name": …}` or an
/// array of them; a bare id names nothing.
fn dropdown_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() && s != "0" => Some(s.trim().to_string()),
        Value::Object(o) => text(o.get("completename")).or_else(|| text(o.get("name"))),
        Value::Array(a) => a.iter().find_map(dropdown_name),
        _ => None,
    }
}

/// A scalar as text; `null`, empty strings and objects are none.
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().filter_map(|x| text(Some(x))).collect();
            (!parts.is_empty()).then(|| parts.join("\n"))
        }
        _ => None,
    }
}

fn number(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn names(v: Option<&Value>) -> Vec<String> {
    text(v)
        .map(|s| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}
