//! Dates as pages show them (`12 mars 2025`, `March 12, 2025`) and as feeds write them.

use crate::language::Language;

/// Formats `YYYY-MM-DD` as a human date in the language (`12 mars 2025`, `March 12, 2025`);
/// anything else is returned as written.
pub fn date_label(date: &str, language: Language) -> String {
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = date.get(..10).unwrap_or(date).split('-').collect();
    let parsed = match parts.as_slice() {
        [y, m, d] => y
            .parse::<u32>()
            .ok()
            .zip(m.parse::<usize>().ok())
            .zip(d.parse::<u32>().ok()),
        _ => None,
    };
    match parsed {
        Some(((y, m), d)) if (1..=12).contains(&m) => match language {
            Language::Fr => format!(
                "{} {} {y}",
                if d == 1 {
                    "1er".to_string()
                } else {
                    d.to_string()
                },
                FR[m - 1]
            ),
            Language::En => format!("{} {d}, {y}", EN[m - 1]),
        },
        _ => date.to_string(),
    }
}

/// `2025-03-12` → `2025-03-12T00:00:00Z`; a full timestamp is kept.
pub(crate) fn rfc3339(date: &str) -> String {
    if date.len() == 10 {
        format!("{date}T00:00:00Z")
    } else {
        date.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_french_and_english() {
        assert_eq!(date_label("2025-03-12", Language::Fr), "12 mars 2025");
        assert_eq!(date_label("2025-08-01", Language::Fr), "1er août 2025");
        assert_eq!(date_label("2025-03-12", Language::En), "March 12, 2025");
        assert_eq!(date_label("bientôt", Language::Fr), "bientôt");
    }

    #[test]
    fn feed_dates_are_full_timestamps() {
        assert_eq!(rfc3339("2025-03-12"), "2025-03-12T00:00:00Z");
        assert_eq!(
            rfc3339("2025-03-12T10:00:00+01:00"),
            "2025-03-12T10:00:00+01:00"
        );
    }
}
