//! GLPI's display labels (French and English) and display date formats, read back into the
//! values a ticket's front matter holds.
//!
//! A CSV export holds what GLPI shows: "En cours (attribué)", "Haute", "05-03-2025 14:02". The
//! API holds numbers. Every reader here accepts both, so a search response or a hand-edited
//! export reads the same.

use crate::glpi::Status;

/// Compares labels the way a person would: case, accents, spaces and apostrophes ignored.
pub(crate) fn normalise_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut space = false;
    for c in label.trim().chars().flat_map(char::to_lowercase) {
        let c = if c == '\u{2019}' { '\'' } else { c };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match crate::markdown::fold_accent(c) {
            Some(folded) => out.push_str(folded),
            None => out.push(c),
        }
    }
    out
}

/// The status shown as `label` (French or English, GLPI 10 or 11) or written as its code.
pub(crate) fn status(label: &str) -> Option<Status> {
    if let Ok(code) = label.trim().parse::<u8>() {
        return Status::ALL.into_iter().find(|s| s.code() == code);
    }
    Some(match normalise_label(label).as_str() {
        "nouveau" | "new" => Status::New,
        "approbation" | "validation" | "approval" => Status::Approval,
        "en cours (attribue)" | "processing (assigned)" => Status::Assigned,
        "en cours (planifie)" | "processing (planned)" => Status::Planned,
        "en attente" | "pending" => Status::Waiting,
        "resolu" | "solved" => Status::Solved,
        "clos" | "closed" => Status::Closed,
        _ => return None,
    })
}

/// Every status label this module reads, for finding a status inside a sentence of the
/// history tab ("Modification de Nouveau en En cours (attribué)").
pub(crate) const STATUS_LABELS: &[&str] = &[
    "en cours (attribue)",
    "en cours (planifie)",
    "processing (assigned)",
    "processing (planned)",
    "en attente",
    "approbation",
    "validation",
    "approval",
    "nouveau",
    "new",
    "pending",
    "resolu",
    "solved",
    "clos",
    "closed",
];

/// An urgency, impact or priority shown as `label` ("Très haute", "Haut", "Majeure", "High")
/// or written as its number 1..6.
pub(crate) fn level(label: &str) -> Option<u8> {
    if let Ok(n) = label.trim().parse::<u8>() {
        return (1..=6).contains(&n).then_some(n);
    }
    Some(match normalise_label(label).as_str() {
        "tres basse" | "tres bas" | "very low" => 1,
        "basse" | "bas" | "low" => 2,
        "moyenne" | "moyen" | "medium" => 3,
        "haute" | "haut" | "high" => 4,
        "tres haute" | "tres haut" | "very high" => 5,
        "majeure" | "majeur" | "major" => 6,
        _ => return None,
    })
}

/// The ticket type key (`incident` or `demande`) shown as `label` or written 1 / 2.
pub(crate) fn ticket_type(label: &str) -> Option<&'static str> {
    Some(match normalise_label(label).as_str() {
        "1" | "incident" => "incident",
        "2" | "demande" | "request" => "demande",
        _ => return None,
    })
}

/// The request source key for GLPI's default sources (`requesttypes_id` 1..6 or their
/// names). Sources are a dropdown a GLPI administrator can extend: any other name is
/// `other`, which is what GLPI's own "Other" source means.
pub(crate) fn request_source(label: &str) -> &'static str {
    match normalise_label(label).as_str() {
        "1" | "helpdesk" | "formulaire" => "helpdesk",
        "2" | "e-mail" | "email" | "courriel" | "mail" => "email",
        "3" | "phone" | "telephone" => "phone",
        "4" | "direct" => "direct",
        "5" | "written" | "ecrit" => "written",
        _ => "other",
    }
}

/// How a file writes its dates: GLPI's user preference `date_format` (0, 1 or 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateOrder {
    /// `2025-03-05 14:02` (GLPI's default, and the API's).
    YearMonthDay,
    /// `05-03-2025 14:02`.
    DayMonthYear,
    /// `03-05-2025 14:02`.
    MonthDayYear,
}

/// Guesses the order of a file's dates from all of them: a first number above 12 means
/// day first, a second one above 12 month first; when no date tells, `fallback` (day first
/// for French headers, month first for English ones).
pub(crate) fn sniff_date_order<'a>(
    dates: impl Iterator<Item = &'a str>,
    fallback: DateOrder,
) -> DateOrder {
    decisive_date_order(dates).unwrap_or(fallback)
}

/// The order told by the first of `dates` that tells it, if any does: what
/// [`sniff_date_order`] finds, for a reader that sees the dates a few rows at a time.
pub(crate) fn decisive_date_order<'a>(dates: impl Iterator<Item = &'a str>) -> Option<DateOrder> {
    for date in dates {
        let mut parts = date
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty());
        let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
            continue;
        };
        if a.len() == 4 {
            return Some(DateOrder::YearMonthDay);
        }
        match (a.parse::<u32>(), b.parse::<u32>()) {
            (Ok(a), _) if a > 12 => return Some(DateOrder::DayMonthYear),
            (_, Ok(b)) if b > 12 => return Some(DateOrder::MonthDayYear),
            _ => {}
        }
    }
    None
}

/// Reads a date as GLPI shows or stores it (`2025-03-05 14:02[:00]`, `05-03-2025 14:02`,
/// `2025-03-05T14:02:00+01:00`) and writes it as the front matter wants it:
/// `2025-03-05 14:02` (seconds kept when they are not zero). `None` when it is no date.
pub(crate) fn date(text: &str, order: DateOrder) -> Option<String> {
    let text = text.trim();
    let (day_part, time_part) = match text.split_once([' ', 'T']) {
        Some((d, t)) => (d, t.trim()),
        None => (text, "00:00"),
    };
    let fields: Vec<&str> = day_part.split(['-', '/', '.']).collect();
    let [a, b, c] = fields.as_slice() else {
        return None;
    };
    let (year, month, day) = if a.len() == 4 {
        (a, b, c)
    } else {
        match order {
            DateOrder::MonthDayYear => (c, a, b),
            _ => (c, b, a),
        }
    };
    let (year, month, day) = (number(year, 4)?, number(month, 2)?, number(day, 2)?);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let (hour, minute, second) = time(time_part)?;
    let mut out = format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}");
    if second != 0 {
        out.push_str(&format!(":{second:02}"));
    }
    Some(out)
}

/// `14:02`, `14:02:05`, with an optional zone suffix that GLPI never writes (dropped: the
/// file's dates are all local time, as the ticket docs require).
fn time(text: &str) -> Option<(u32, u32, u32)> {
    let text = text.trim_end_matches('Z');
    let text = match text.find(['+', '-']) {
        Some(at) => &text[..at],
        None => text,
    };
    let mut parts = text.split(':');
    let hour = number(parts.next()?, 2)?;
    let minute = number(parts.next()?, 2)?;
    let second = match parts.next() {
        Some(s) => number(s.split('.').next()?, 2)?,
        None => 0,
    };
    if parts.next().is_some() || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some((hour, minute, second))
}

fn number(text: &str, max_digits: usize) -> Option<u32> {
    if text.is_empty() || text.len() > max_digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_in_both_languages_and_as_codes() {
        assert_eq!(status("En cours (Attribué)"), Some(Status::Assigned));
        assert_eq!(status("Processing (planned)"), Some(Status::Planned));
        assert_eq!(status("4"), Some(Status::Waiting));
        assert_eq!(status("10"), Some(Status::Approval));
        assert_eq!(status("Résolue"), None);
        assert_eq!(level("Très haute"), Some(5));
        assert_eq!(level("Bas"), Some(2));
        assert_eq!(level("Major"), Some(6));
        assert_eq!(level("7"), None);
        assert_eq!(ticket_type("Demande"), Some("demande"));
        assert_eq!(ticket_type("Request"), Some("demande"));
        assert_eq!(request_source("Téléphone"), "phone");
        assert_eq!(request_source("E-Mail"), "email");
        assert_eq!(request_source("Formcreator"), "other");
    }

    #[test]
    fn dates_in_each_display_format() {
        let ymd = DateOrder::YearMonthDay;
        assert_eq!(
            date("2025-03-05 14:02:00", ymd).unwrap(),
            "2025-03-05 14:02"
        );
        assert_eq!(
            date("2025-03-05 14:02:07", ymd).unwrap(),
            "2025-03-05 14:02:07"
        );
        assert_eq!(
            date("05-03-2025 14:02", DateOrder::DayMonthYear).unwrap(),
            "2025-03-05 14:02"
        );
        assert_eq!(
            date("03-05-2025 14:02", DateOrder::MonthDayYear).unwrap(),
            "2025-03-05 14:02"
        );
        assert_eq!(
            date("2025-03-05T14:02:00+01:00", ymd).unwrap(),
            "2025-03-05 14:02"
        );
        assert_eq!(date("2025-02-29 10:00", ymd), None);
        assert_eq!(date("2024-02-29 10:00", ymd).unwrap(), "2024-02-29 10:00");
        assert_eq!(date("2025-03-05 24:00", ymd), None);
        assert_eq!(date("hier", ymd), None);
    }

    #[test]
    fn the_date_order_is_sniffed_from_the_whole_file() {
        let fr = DateOrder::DayMonthYear;
        assert_eq!(
            sniff_date_order(["01-02-2025 10:00", "25-02-2025 10:00"].into_iter(), fr),
            DateOrder::DayMonthYear
        );
        assert_eq!(
            sniff_date_order(["02-25-2025 10:00"].into_iter(), fr),
            DateOrder::MonthDayYear
        );
        assert_eq!(sniff_date_order(["01-02-2025"].into_iter(), fr), fr);
        assert_eq!(
            sniff_date_order(["2025-02-01 10:00"].into_iter(), fr),
            DateOrder::YearMonthDay
        );
    }
}
