//! GLPI's CSV exports: the ticket search list (Assistance > Tickets, export "CSV") and the
//! Historique tab of one ticket.
//!
//! GLPI writes them with PhpSpreadsheet's CSV writer (`src/Glpi/Search/Output/Csv.php`):
//! the user's delimiter (`;` by default), `"` around cells, CRLF, one header line of the
//! displayed, localised column names, prefixed with their group for actors ("Demandeur -
//! Demandeur"), and the displayed values ("En cours (attribué)", "Haute", dates in the
//! user's date format).

use rayon::prelude::*;

use super::labels::{self, DateOrder, normalise_label};
use super::record::{Attachment, Harvest, Rejected, TicketRecord};

/// A column of the ticket list that guichet reads (GLPI search option id in brackets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,       // 2
    Name,     // 1
    Status,   // 12
    Urgency,  // 10
    Impact,   // 11
    Priority, // 3
    Type,     // 14
    Date,     // 15
    TakeIntoAccount,
    SolveDate,     // 17
    CloseDate,     // 16
    TimeToOwn,     // 155
    TimeToResolve, // 18
    Category,      // 7
    Requester,     // 4
    Technician,    // 5
    Observer,      // 66
    Content,       // 21
    RequestSource, // 9
    Solution,      // 24
}

/// French and English headers (accents, case and spaces folded) for each column.
const ALIASES: &[(&str, Column)] = &[
    ("id", Column::Id),
    ("titre", Column::Name),
    ("title", Column::Name),
    ("statut", Column::Status),
    ("status", Column::Status),
    ("urgence", Column::Urgency),
    ("urgency", Column::Urgency),
    ("impact", Column::Impact),
    ("priorite", Column::Priority),
    ("priority", Column::Priority),
    ("type", Column::Type),
    ("date d'ouverture", Column::Date),
    ("opening date", Column::Date),
    ("date de prise en compte", Column::TakeIntoAccount),
    ("take into account date", Column::TakeIntoAccount),
    ("date de resolution", Column::SolveDate),
    ("resolution date", Column::SolveDate),
    ("date de cloture", Column::CloseDate),
    ("closing date", Column::CloseDate),
    ("temps de prise en compte", Column::TimeToOwn),
    ("temps de prise en charge", Column::TimeToOwn),
    ("time to own", Column::TimeToOwn),
    ("temps de resolution", Column::TimeToResolve),
    ("time to resolve", Column::TimeToResolve),
    ("categorie", Column::Category),
    ("category", Column::Category),
    ("demandeur - demandeur", Column::Requester),
    ("requester - requester", Column::Requester),
    ("demandeur", Column::Requester),
    ("requester", Column::Requester),
    ("attribue a - technicien", Column::Technician),
    ("assigned to - technician", Column::Technician),
    ("technicien", Column::Technician),
    ("technician", Column::Technician),
    ("observateur - observateur", Column::Observer),
    ("watcher - watcher", Column::Observer),
    ("observer - observer", Column::Observer),
    ("observateur", Column::Observer),
    ("watcher", Column::Observer),
    ("description", Column::Content),
    ("source de la demande", Column::RequestSource),
    ("request source", Column::RequestSource),
    ("solution - solution", Column::Solution),
    ("solution", Column::Solution),
];

/// Columns without which a row cannot become a write-up.
const REQUIRED: &[(Column, &str)] = &[
    (Column::Id, "ID"),
    (Column::Name, "Titre / Title"),
    (Column::Status, "Statut / Status"),
    (Column::Type, "Type"),
    (Column::Date, "Date d'ouverture / Opening date"),
];

/// Reads a CSV export: the ticket list, or one ticket's history tab when `file_stem` and the
/// header say so. `Err` when the file is neither (nothing is imported from it).
pub(crate) fn read(text: &str, file: &str, file_stem: &str) -> Result<Harvest, String> {
    let delimiter = super::decode::delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the header line: {e}"))?
        .clone();
    let names: Vec<String> = headers.iter().map(normalise_label).collect();
    if is_history_header(&names) {
        return read_history(reader, text, &names, file, file_stem);
    }
    let (columns, unknown) = map_columns(&names, &headers);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|(c, _)| !columns.contains(&Some(*c)))
        .map(|(_, label)| *label)
        .collect();
    if missing.len() == REQUIRED.len() {
        return Err("this is not a GLPI ticket export: none of the columns ID, Titre, Statut, Type, Date d'ouverture is in its first line".into());
    }
    if !missing.is_empty() {
        return Err(format!(
            "the export lacks the column(s) {}: add them to the displayed columns of GLPI's ticket search before exporting",
            missing.join(", ")
        ));
    }
    let english = names.iter().any(|n| n == "title" || n == "status");
    let fallback = if english {
        DateOrder::MonthDayYear
    } else {
        DateOrder::DayMonthYear
    };
    let date_columns = date_columns(&columns);
    // Rows wait here until a date tells the file's date order (usually the first row), then
    // are converted CHUNK at a time: the raw cells of a large export are never all held.
    let mut order = None;
    let mut pending: Vec<(usize, csv::StringRecord)> = Vec::new();
    let mut harvest = Harvest::default();
    let mut lines = LineCounter::new(text);
    for record in reader.records() {
        let record = record.map_err(|e| {
            let byte = e.position().map_or(text.len(), |p| p.byte() as usize);
            let line = lines.line_at(byte);
            format!("line {line}: {e}: the file is cut or not GLPI's CSV")
        })?;
        let byte = record.position().map_or(0, |p| p.byte() as usize);
        if order.is_none() {
            order = labels::decisive_date_order(date_cells(&record, &date_columns));
        }
        pending.push((lines.line_at(byte), record));
        if let Some(order) = order
            && pending.len() >= CHUNK
        {
            convert_rows(&pending, &columns, order, file, &mut harvest);
            pending.clear();
        }
    }
    convert_rows(
        &pending,
        &columns,
        order.unwrap_or(fallback),
        file,
        &mut harvest,
    );
    for name in unknown {
        harvest.notes.push(format!(
            "{file}: column `{name}` is not imported (guichet has no field for it)"
        ));
    }
    Ok(harvest)
}

fn map_columns(
    names: &[String],
    headers: &csv::StringRecord,
) -> (Vec<Option<Column>>, Vec<String>) {
    let mut unknown = Vec::new();
    let columns = names
        .iter()
        .zip(headers.iter())
        .map(|(name, raw)| {
            let found =
                lookup(name).or_else(|| name.rsplit_once(" - ").and_then(|(_, l)| lookup(l)));
            if found.is_none() {
                unknown.push(raw.trim().to_string());
            }
            found
        })
        .collect();
    (columns, unknown)
}

fn lookup(name: &str) -> Option<Column> {
    ALIASES.iter().find(|(a, _)| *a == name).map(|(_, c)| *c)
}

/// The indexes of the columns that hold dates of the ticket's life.
fn date_columns(columns: &[Option<Column>]) -> Vec<usize> {
    columns
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            matches!(
                c,
                Some(
                    Column::Date | Column::SolveDate | Column::CloseDate | Column::TakeIntoAccount
                )
            )
        })
        .map(|(i, _)| i)
        .collect()
}

/// The non-empty date cells of a row.
fn date_cells<'a>(
    record: &'a csv::StringRecord,
    date_columns: &'a [usize],
) -> impl Iterator<Item = &'a str> {
    date_columns
        .iter()
        .filter_map(|&i| record.get(i))
        .filter(|c| !c.trim().is_empty())
}

/// Rows converted together on the thread pool: enough to keep every core busy, few enough
/// that their raw cells stay small.
const CHUNK: usize = 4096;

/// Converts `rows` (line, cells) in parallel and adds the tickets and rejections to
/// `harvest`, in row order.
fn convert_rows(
    rows: &[(usize, csv::StringRecord)],
    columns: &[Option<Column>],
    order: DateOrder,
    file: &str,
    harvest: &mut Harvest,
) {
    let results: Vec<Result<TicketRecord, Rejected>> = rows
        .par_iter()
        .map(|(line, record)| {
            read_row(record, columns, order)
                .map(|mut t| {
                    t.origin = format!("{file}, line {line}");
                    t
                })
                .map_err(|reason| Rejected {
                    file: file.to_string(),
                    origin: format!("line {line}"),
                    reason,
                })
        })
        .collect();
    for r in results {
        match r {
            Ok(t) => harvest.tickets.push(t),
            Err(r) => harvest.rejected.push(r),
        }
    }
}

/// One row of the ticket list; `Err` says which cell is wrong and how to fix it.
fn read_row(
    record: &csv::StringRecord,
    columns: &[Option<Column>],
    order: DateOrder,
) -> Result<TicketRecord, String> {
    let mut t = TicketRecord::default();
    for (cell, column) in record.iter().zip(columns) {
        let Some(column) = column else { continue };
        let value = cell.trim();
        if value.is_empty() {
            continue;
        }
        fill(&mut t, *column, value, order)?;
    }
    if t.id == 0 {
        return Err("the ID cell is empty".into());
    }
    if t.name.is_empty() {
        return Err("the title cell is empty".into());
    }
    if t.date.is_empty() {
        return Err("the opening date cell is empty".into());
    }
    if t.kind.is_empty() {
        return Err("the type cell is empty (Incident or Demande)".into());
    }
    Ok(t)
}

fn fill(t: &mut TicketRecord, column: Column, value: &str, order: DateOrder) -> Result<(), String> {
    let date = |what: &str| {
        labels::date(value, order).ok_or_else(|| {
            format!(
                "{what} `{value}` is not a date (expected GLPI's format, such as 2025-03-05 14:02)"
            )
        })
    };
    let level = |what: &str| {
        labels::level(value).ok_or_else(|| {
            format!(
                "{what} `{value}` is not one of GLPI's levels (Très basse … Très haute, Majeure)"
            )
        })
    };
    match column {
        Column::Id => {
            let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            t.id = digits
                .parse()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("ID `{value}` is not a ticket number"))?;
        }
        Column::Name => t.name = value.to_string(),
        Column::Status => {
            t.status = labels::status(value).ok_or_else(|| {
                format!("status `{value}` is not one of GLPI's statuses (Nouveau, En cours (attribué), En attente, Résolu, Clos…)")
            })?;
        }
        Column::Urgency => t.urgency = Some(level("urgency")?.min(5)),
        Column::Impact => t.impact = Some(level("impact")?.min(5)),
        Column::Priority => t.priority = Some(level("priority")?),
        Column::Type => {
            t.kind = labels::ticket_type(value)
                .ok_or_else(|| format!("type `{value}` is neither Incident nor Demande"))?;
        }
        Column::Date => t.date = date("opening date")?,
        Column::TakeIntoAccount => t.takeintoaccountdate = Some(date("take-into-account date")?),
        Column::SolveDate => t.solvedate = Some(date("resolution date")?),
        Column::CloseDate => t.closedate = Some(date("closing date")?),
        Column::TimeToOwn => t.time_to_own = Some(date("time to own")?),
        Column::TimeToResolve => t.time_to_resolve = Some(date("time to resolve")?),
        Column::Category => t.category = Some(value.to_string()),
        Column::Requester => t.requesters = people(value),
        Column::Technician => t.technicians = people(value),
        Column::Observer => t.observers = people(value),
        Column::Content => t.content = value.to_string(),
        Column::RequestSource => t.requesttype = Some(labels::request_source(value)),
        Column::Solution => t.solution = Some(value.to_string()),
    }
    Ok(())
}

/// Line numbers of byte offsets, counted once through the file (offsets only grow). The
/// csv crate's own line count is one short after a CRLF, and a record's offset may point
/// at the `\n` that ends the previous line: the record starts after it.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        while byte < self.text.len() && matches!(self.text[byte], b'\r' | b'\n') {
            byte += 1;
        }
        if byte >= self.offset {
            self.line += self.text[self.offset..byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.offset = byte;
        }
        self.line
    }
}

/// Several actors in one cell are one per line in GLPI's export.
fn people(cell: &str) -> Vec<String> {
    cell.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The Historique tab's export (`src/Glpi/Csv/LogCsvExport.php`): ID, Date, User, Field,
/// Update.
fn is_history_header(names: &[String]) -> bool {
    let has = |a: &str, b: &str| names.iter().any(|n| n == a || n == b);
    names.len() == 5 && has("champ", "field") && has("mise a jour", "update")
}

fn read_history(
    mut reader: csv::Reader<&[u8]>,
    text: &str,
    names: &[String],
    file: &str,
    file_stem: &str,
) -> Result<Harvest, String> {
    let ticket = history_ticket_id(file_stem).ok_or_else(|| {
        format!("`{file}` is a ticket's history export, which does not name its ticket: rename it history-<ticket id>.csv (or historique-<id>.csv)")
    })?;
    let position = |a: &str, b: &str| names.iter().position(|n| n == a || n == b);
    let (Some(date_col), Some(field_col), Some(update_col)) = (
        position("date", "date"),
        position("champ", "field"),
        position("mise a jour", "update"),
    ) else {
        return Err("the history export lacks its Date, Field or Update column".into());
    };
    let records: Vec<csv::StringRecord> = reader.records().filter_map(Result::ok).collect();
    let order = labels::sniff_date_order(
        records.iter().filter_map(|r| r.get(date_col)),
        DateOrder::DayMonthYear,
    );
    let mut harvest = Harvest::default();
    let mut lines = LineCounter::new(text);
    for record in &records {
        let line = lines.line_at(record.position().map_or(0, |p| p.byte() as usize));
        let field = normalise_label(record.get(field_col).unwrap_or(""));
        if field != "statut" && field != "status" {
            continue;
        }
        let update = record.get(update_col).unwrap_or("");
        let raw_date = record.get(date_col).unwrap_or("");
        let Some(date) = labels::date(raw_date, order) else {
            harvest.rejected.push(Rejected {
                file: file.into(),
                origin: format!("line {line}"),
                reason: format!("date `{raw_date}` is not a date"),
            });
            continue;
        };
        match statuses_in(update) {
            Some((old, new)) => harvest
                .attachments
                .push(Attachment::StatusChange(ticket, date, old, new)),
            None => harvest.rejected.push(Rejected {
                file: file.into(),
                origin: format!("line {line}"),
                reason: format!("`{update}` names no GLPI status"),
            }),
        }
    }
    Ok(harvest)
}

/// `history-123` or `historique_123` → 123.
fn history_ticket_id(stem: &str) -> Option<u64> {
    let lower = stem.to_lowercase();
    let rest = lower
        .strip_prefix("historique")
        .or_else(|| lower.strip_prefix("history"))?;
    rest.trim_start_matches(['-', '_', ' ']).parse().ok()
}

/// The old and new statuses of "Modification de Nouveau en En cours (attribué)" / "Change
/// New to Processing (assigned)": the label found first and the one found last, whatever
/// the words around them (they differ between GLPI versions and languages).
pub(crate) fn statuses_in(
    text: &str,
) -> Option<(Option<crate::glpi::Status>, crate::glpi::Status)> {
    let norm = normalise_label(text);
    let mut found: Vec<(usize, usize, crate::glpi::Status)> = Vec::new();
    for label in labels::STATUS_LABELS {
        let mut from = 0;
        while let Some(at) = norm[from..].find(label) {
            let start = from + at;
            let end = start + label.len();
            let bounded = |i: usize, before: bool| {
                let c = if before {
                    norm[..i].chars().next_back()
                } else {
                    norm[i..].chars().next()
                };
                c.is_none_or(|c| !c.is_alphanumeric())
            };
            if bounded(start, true) && bounded(end, false) {
                found.push((start, end, labels::status(label)?));
            }
            from = end;
        }
    }
    // A label inside a longer one ("new" is not inside any, but stay safe) loses to it.
    found.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    let mut kept: Vec<(usize, usize, crate::glpi::Status)> = Vec::new();
    for f in found {
        if kept.last().is_none_or(|k| f.0 >= k.1) {
            kept.push(f);
        }
    }
    let new = kept.last()?.2;
    let old = (kept.len() > 1).then(|| kept[0].2);
    Some((old, new))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glpi::Status;

    #[test]
    fn status_changes_read_in_both_languages() {
        assert_eq!(
            statuses_in("Modification de Nouveau en En cours (attribué)"),
            Some((Some(Status::New), Status::Assigned))
        );
        assert_eq!(
            statuses_in("Change Pending to Processing (planned)"),
            Some((Some(Status::Waiting), Status::Planned))
        );
        assert_eq!(statuses_in("Clos"), Some((None, Status::Closed)));
        assert_eq!(statuses_in("Changement de catégorie"), None);
    }

    #[test]
    fn history_files_name_their_ticket() {
        assert_eq!(history_ticket_id("history-4012"), Some(4012));
        assert_eq!(history_ticket_id("Historique_17"), Some(17));
        assert_eq!(history_ticket_id("Imprimante_2025_03_04"), None);
    }
}
