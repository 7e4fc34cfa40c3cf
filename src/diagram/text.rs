//! Word wrapping with the bundled font's widths, following French typography.
//!
//! French puts a space before `:`, `?`, `!`, `;` and `»` (and after `«`); a line must never
//! start with one of them, so the space before them is not a break opportunity. Non-breaking
//! spaces (U+00A0, U+202F) never break either. The spaces French typography makes
//! non-breaking are not break opportunities either, even when typed as plain spaces: inside a
//! number (`1 000`), between a number and its unit, currency or duration (`15 €`, `22 h 30`,
//! `10 Go`, `90 jours`, `2 working days`), after `n°` or a comparison sign (`< 30`), inside a
//! day or hour offset (`J + 21`, `H - 2`). A word is never cut (an identifier such as
//! `SRV-GLPI01`, a URL, a UNC path): when it is wider than the line, the line grows to hold
//! it.

use super::font::{text_width, with_placeholders};

/// Punctuation that must stay on the line of the word before it.
const GLUED_TO_PREVIOUS: [char; 5] = [':', '?', '!', ';', '»'];

/// Units and currencies a number stays joined to (French typography: espace insécable).
const UNITS: [&str; 30] = [
    "€", "$", "£", "%", "‰", "h", "min", "s", "ms", "j", "o", "Ko", "Mo", "Go", "To", "kbit/s",
    "Mbit/s", "Gbit/s", "Mo/s", "Go/s", "km", "m", "cm", "mm", "kg", "g", "°C", "HT", "TTC", "k€",
];

/// Durations written out, which a number stays joined to like a unit (`90 jours`, `2 sem.`,
/// and in English `3 days`).
const DURATIONS: [&str; 28] = [
    "jour", "jours", "semaine", "semaines", "sem", "mois", "an", "ans", "heure", "heures",
    "minute", "minutes", "seconde", "secondes", "day", "days", "week", "weeks", "month", "months",
    "year", "years", "hour", "hours", "hr", "hrs", "second", "seconds",
];

/// English words between a number and its duration that stay with both (`2 working days`).
const DURATION_QUALIFIERS: [&str; 3] = ["working", "business", "calendar"];

/// Signs that compare with the number after them (`< 30 jours`, `≥ 95 %`).
const COMPARISONS: [&str; 9] = ["<", ">", "≤", "≥", "<=", ">=", "=", "≈", "~"];

/// Words the number after them stays joined to.
const NUMBER_PREFIXES: [&str; 4] = ["n°", "N°", "nº", "Nº"];

/// The days and hours an offset counts from: `J + 21` is the 21st day after day J.
const OFFSET_ORIGINS: [&str; 2] = ["J", "H"];

/// The signs of an offset: plus, hyphen-minus, minus sign, and the en dash word processors
/// put in place of a typed ` - `.
const OFFSET_SIGNS: [char; 4] = ['+', '-', '\u{2212}', '\u{2013}'];

/// A block of wrapped lines with its measured size.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBlock {
    /// The lines, in order, without trailing spaces.
    pub lines: Vec<String>,
    /// The width of the widest line, in px.
    pub width: f32,
    /// The font size, in px.
    pub size: f32,
    /// The distance between two baselines, in px.
    pub line_height: f32,
}

impl TextBlock {
    /// Wraps `text` to lines no wider than `max_width` at font `size`.
    /// Characters the bundled font lacks are drawn as a visible placeholder.
    pub(crate) fn new(text: &str, max_width: f32, size: f32) -> TextBlock {
        let lines = wrap(&with_placeholders(text), max_width, size);
        let width = lines
            .iter()
            .map(|l| text_width(l, size))
            .fold(0.0, f32::max);
        TextBlock {
            lines,
            width,
            size,
            line_height: (size * 1.25).round(),
        }
    }

    /// The height of the block: one line height per line.
    pub(crate) fn height(&self) -> f32 {
        self.lines.len() as f32 * self.line_height
    }
}

/// Splits `text` into lines no wider than `max_width` px at `size` px. A word, or a group of
/// words that may not be separated, wider than a line is never cut: it gets a line of its
/// own, wider than the others, since a word cut without a hyphen reads as two words (and
/// cutting a URL or a path makes it wrong). Line breaks in the text count as spaces.
pub(crate) fn wrap(text: &str, max_width: f32, size: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for unit in breakable_units(text) {
        if line.is_empty() {
            line = unit;
            continue;
        }
        let candidate = format!("{line} {unit}");
        if text_width(&candidate, size) <= max_width {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, unit));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The words of `text`, each joined with what may not be separated from it: the punctuation
/// that may not start a line, the groups of a number, a number's unit, an offset's sign and
/// number.
fn breakable_units(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split([' ', '\t', '\n', '\r'])
        .filter(|w| !w.is_empty())
        .collect();
    let mut units: Vec<String> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        match units.last_mut() {
            Some(last) if glued_together(&words[..i], word) => {
                last.push(' ');
                last.push_str(word);
            }
            _ => units.push(word.to_string()),
        }
    }
    units
}

/// True when the space between the last of the words `before` and the word `after` may not
/// break a line.
fn glued_together(before: &[&str], after: &str) -> bool {
    let Some(&previous) = before.last() else {
        return false;
    };
    let number_before = ends_with_digit(previous);
    let number_after = starts_with_digit(after);
    after.starts_with(GLUED_TO_PREVIOUS)
        || previous == "«"
        // Groups of a number: 1 000, 1 250,00.
        || (number_before && number_after)
        // A number and its unit, currency or duration: 15 €, 10 Go, 90 jours; 1 250,00 € HT.
        || ((number_before || is_unit(previous)) && is_unit(after))
        // 22 h 30; n° 12; < 30, (≥ 95 %.
        || (number_after
            && (previous == "h"
                || NUMBER_PREFIXES.contains(&previous)
                || COMPARISONS.contains(&previous.trim_start_matches(['(', '[']))))
        // 2 working days.
        || (number_before && DURATION_QUALIFIERS.contains(&after))
        || (after_number_and_qualifier(before) && is_unit(after))
        || inside_offset(before, after)
}

/// True when the words `before` end with a number and a duration's qualifier (`2 working`).
fn after_number_and_qualifier(before: &[&str]) -> bool {
    matches!(before, [.., number, qualifier]
        if ends_with_digit(number) && DURATION_QUALIFIERS.contains(qualifier))
}

/// True when `after` continues a day or hour offset the words `before` start: the sign after
/// `J` (`J +`, `J +21`), the number after `J +`. Only the sign's side is known here, so `J -`
/// followed by a word stays together too, which does no harm.
fn inside_offset(before: &[&str], after: &str) -> bool {
    match before {
        [.., origin, sign] if is_offset_origin(origin) && is_offset_sign(sign) => {
            starts_with_digit(after)
        }
        [.., origin] if is_offset_origin(origin) => after
            .strip_prefix(OFFSET_SIGNS)
            .is_some_and(|number| number.is_empty() || starts_with_digit(number)),
        _ => false,
    }
}

/// True for `J` or `H`, an opening parenthesis aside (`(J + 7)`).
fn is_offset_origin(word: &str) -> bool {
    OFFSET_ORIGINS.contains(&word.trim_start_matches(['(', '[']))
}

/// True for a sign alone: `+`, `-`, `−`, `–`.
fn is_offset_sign(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| OFFSET_SIGNS.contains(&c)) && chars.next().is_none()
}

/// True for a word that ends like a number (`21`, `(90`), not like `90,`.
fn ends_with_digit(word: &str) -> bool {
    word.ends_with(|c: char| c.is_ascii_digit())
}

/// True for a word that starts like a number (`21`, `90,`), not like `(90`.
fn starts_with_digit(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
}

/// True for a unit, currency symbol or duration, closing punctuation aside (`€,` `h)`
/// `sem.`).
fn is_unit(word: &str) -> bool {
    let bare = word.trim_end_matches([',', '.', ';', ':', ')', '!', '?', '»']);
    UNITS.contains(&bare) || DURATIONS.contains(&bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_breaks_before_french_punctuation() {
        let w = text_width("Ticket complet", 13.0) + 1.0;
        let lines = wrap("Ticket complet ?", w, 13.0);
        assert_eq!(lines, vec!["Ticket".to_string(), "complet ?".to_string()]);
        let lines = wrap("Attention : le ticket est clos ; vraiment !", 90.0, 13.0);
        for l in &lines {
            assert!(!l.starts_with([':', ';', '!', '?']), "{lines:?}");
        }
        assert!(lines.iter().any(|l| l.ends_with(" ;")), "{lines:?}");
    }

    #[test]
    fn guillemets_stay_with_their_word() {
        let lines = wrap("statut « Résolu »", 80.0, 13.0);
        assert_eq!(lines, vec!["statut".to_string(), "« Résolu »".to_string()]);
        // Never a break after « nor before », whatever the width.
        for w in (40..200).step_by(3) {
            let lines = wrap("passe à « Clos » ensuite", w as f32, 13.0);
            for l in &lines {
                assert!(!l.ends_with('«') && !l.starts_with('»'), "{w}: {lines:?}");
            }
        }
        let lines = wrap("passe à « Clos » ensuite", just("passe à «"), 13.0);
        assert_eq!(lines, vec!["passe à", "« Clos »", "ensuite"]);
    }

    #[test]
    fn non_breaking_space_does_not_break() {
        let lines = wrap("a\u{00A0}b c", 25.0, 13.0);
        assert_eq!(lines, vec!["a\u{00A0}b".to_string(), "c".to_string()]);
    }

    /// The widest a line may be to hold `text` only just.
    fn just(text: &str) -> f32 {
        text_width(text, 13.0) + 0.5
    }

    #[test]
    fn never_breaks_inside_a_number() {
        let lines = wrap(
            "Montant supérieur à 1 000 € ?",
            just("Montant supérieur à 1"),
            13.0,
        );
        assert_eq!(lines, vec!["Montant supérieur à", "1 000 € ?"]);
        let lines = wrap("Devis de 1 250,00 € HT", just("Devis de 1 250,00 €"), 13.0);
        assert_eq!(lines, vec!["Devis de", "1 250,00 € HT"]);
    }

    #[test]
    fn never_breaks_between_a_number_and_its_unit() {
        let lines = wrap("Disque de 500 Go plein", just("Disque de 500"), 13.0);
        assert_eq!(lines, vec!["Disque de", "500 Go plein"]);
        let lines = wrap("Relancer sous 30 min", just("Relancer sous 30"), 13.0);
        assert_eq!(lines, vec!["Relancer sous", "30 min"]);
        let lines = wrap("Tâche à 22 h 30", just("Tâche à 22 h"), 13.0);
        assert_eq!(lines, vec!["Tâche à", "22 h 30"]);
        let lines = wrap("Taux de 98 %", just("Taux de 98"), 13.0);
        assert_eq!(lines, vec!["Taux de", "98 %"]);
        let lines = wrap("Ticket n° 4512", just("Ticket n°"), 13.0);
        assert_eq!(lines, vec!["Ticket", "n° 4512"]);
        // A number before an ordinary word still breaks.
        let lines = wrap("Sous 5 postes", just("Sous 5"), 13.0);
        assert_eq!(lines, vec!["Sous 5", "postes"]);
    }

    #[test]
    fn never_breaks_between_a_number_and_its_duration() {
        let text = "accès délégué au manager pendant 90 jours";
        let lines = wrap(text, just("accès délégué au manager pendant 90"), 13.0);
        assert_eq!(lines, vec!["accès délégué au manager pendant", "90 jours"]);
        let lines = wrap("durée (90 jours max.)", just("durée (90"), 13.0);
        assert_eq!(lines, vec!["durée", "(90 jours", "max.)"]);
        for duration in [
            "jour", "semaines", "sem.", "mois", "an", "ans", "heures", "minutes", "secondes",
        ] {
            let lines = wrap(&format!("Sous 2 {duration}"), just("Sous 2"), 13.0);
            assert_eq!(lines, vec!["Sous".to_string(), format!("2 {duration}")]);
        }
        // What qualifies the duration may go to the next line.
        let lines = wrap("(sous 2 jours ouvrés)", just("(sous 2 jours"), 13.0);
        assert_eq!(lines, vec!["(sous 2 jours", "ouvrés)"]);
    }

    #[test]
    fn never_breaks_between_a_number_and_its_english_duration() {
        // A user's English label: "Target lead time 2" / "working days" before.
        let text = "Target lead time 2 working days";
        let lines = wrap(text, just("Target lead time 2 working"), 13.0);
        assert_eq!(lines, vec!["Target lead time", "2 working days"]);
        for duration in ["day", "weeks", "months", "year", "hours", "hrs", "seconds"] {
            let lines = wrap(&format!("Within 2 {duration}"), just("Within 2"), 13.0);
            assert_eq!(lines, vec!["Within".to_string(), format!("2 {duration}")]);
        }
        // Working alone, without a number before it, still breaks.
        let lines = wrap("Start working days", just("Start working"), 13.0);
        assert_eq!(lines, vec!["Start working", "days"]);
    }

    #[test]
    fn a_comparison_sign_stays_with_its_number() {
        // A user's label: "Trouvé ? (<" / "30 jours)" before.
        let lines = wrap("Trouvé ? (< 30 jours)", just("Trouvé ? (< 30"), 13.0);
        assert_eq!(lines, vec!["Trouvé ?", "(< 30 jours)"]);
        for sign in ["<", ">", "≤", "≥", "<=", ">=", "=", "≈", "~"] {
            let lines = wrap(&format!("Taux {sign} 95 %"), just("Taux 9"), 13.0);
            assert_eq!(lines, vec!["Taux".to_string(), format!("{sign} 95 %")]);
        }
        // A sign before a word still breaks.
        let lines = wrap("si a < b alors", just("si a <"), 13.0);
        assert_eq!(lines, vec!["si a <", "b", "alors"]);
    }

    #[test]
    fn day_offsets_stay_on_one_line() {
        let text = "Conformité d'au moins 95 % à J + 21 ?";
        let lines = wrap(text, just("Conformité d'au moins 95 % à J"), 13.0);
        assert_eq!(lines, vec!["Conformité d'au moins 95 % à", "J + 21 ?"]);
        for offset in [
            "J + 90,",
            "J - 3",
            "J +21",
            "J+21",
            "J \u{2212} 3",
            "H + 2",
            "(J + 7)",
        ] {
            let lines = wrap(&format!("Relance à {offset}"), just("Relance à J"), 13.0);
            assert_eq!(lines, vec!["Relance à".to_string(), offset.to_string()]);
        }
        // A sign elsewhere still breaks: only J and H count days and hours.
        let lines = wrap("mobile + 3", just("mobile +"), 13.0);
        assert_eq!(lines, vec!["mobile +", "3"]);
    }

    #[test]
    fn identifiers_are_never_cut() {
        for id in ["SRV-GLPI01", "KB5034441", "192.168.10.20"] {
            let text = format!("Voir {id}");
            // A line narrower than the identifier: it gets a line of its own, whole.
            let lines = wrap(&text, just(id) - 20.0, 13.0);
            assert_eq!(lines, vec!["Voir".to_string(), id.to_string()], "{id}");
        }
    }

    #[test]
    fn urls_and_paths_are_never_cut() {
        let text = "Ouvrir https://motdepasse.exemple.fr depuis un autre appareil";
        let lines = wrap(text, 170.0, 13.0);
        assert_eq!(
            lines,
            vec![
                "Ouvrir",
                "https://motdepasse.exemple.fr",
                "depuis un autre appareil"
            ]
        );
        let text = "vers \\\\SRV-FILE01\\Services\\Commun avant J";
        let lines = wrap(text, 170.0, 13.0);
        assert_eq!(
            lines,
            vec!["vers", "\\\\SRV-FILE01\\Services\\Commun", "avant J"]
        );
    }

    #[test]
    fn a_word_wider_than_the_line_grows_it() {
        // Cut between two letters without a hyphen, a word reads as two: it stays whole.
        let lines = wrap("Anticonstitutionnellement", 60.0, 13.0);
        assert_eq!(lines, vec!["Anticonstitutionnellement"]);
        let word = "x".repeat(100);
        let block = TextBlock::new(&format!("a {word} b"), 50.0, 13.0);
        assert_eq!(block.lines, vec!["a", word.as_str(), "b"]);
        assert_eq!(block.width, text_width(&word, 13.0));
    }

    #[test]
    fn missing_glyphs_are_drawn_as_a_placeholder() {
        let block = TextBlock::new("Merci 🎉", 200.0, 13.0);
        assert_eq!(block.lines, vec!["Merci \u{FFFD}"]);
        assert_eq!(block.width, text_width("Merci \u{FFFD}", 13.0));
    }

    #[test]
    fn lines_fit_and_keep_every_word() {
        let text = "Catégoriser, fixer l'impact, calculer la priorité";
        let lines = wrap(text, 120.0, 13.0);
        assert_eq!(lines.join(" "), text);
        for l in &lines {
            assert!(text_width(l, 13.0) <= 120.0);
        }
    }
}
