//! Word wrapping with the bundled font's widths, following French typography.
//!
//! French puts a space before `:`, `?`, `!`, `;` and `»` (and after `«`); a line must never
//! start with one of them, so the space before them is not a break opportunity. Non-breaking
//! spaces (U+00A0, U+202F) never break either. The spaces French typography makes
//! non-breaking are not break opportunities either, even when typed as plain spaces: inside a
//! number (`1 000`), between a number and its unit or currency (`15 €`, `22 h 30`, `10 Go`),
//! after `n°`. An identifier (`SRV-GLPI01`, `KB5034441`, `192.168.10.20`) is never cut:
//! when it is wider than the line, the line grows to hold it.

use super::font::{text_width, with_placeholders};

/// Punctuation that must stay on the line of the word before it.
const GLUED_TO_PREVIOUS: [char; 5] = [':', '?', '!', ';', '»'];

/// Units and currencies a number stays joined to (French typography: espace insécable).
const UNITS: [&str; 30] = [
    "€", "$", "£", "%", "‰", "h", "min", "s", "ms", "j", "o", "Ko", "Mo", "Go", "To", "kbit/s",
    "Mbit/s", "Gbit/s", "Mo/s", "Go/s", "km", "m", "cm", "mm", "kg", "g", "°C", "HT", "TTC", "k€",
];

/// Words the number after them stays joined to.
const NUMBER_PREFIXES: [&str; 4] = ["n°", "N°", "nº", "Nº"];

/// Longest unit (in characters) kept whole even when wider than a line: beyond that, a
/// "word" is more likely a pasted URL or hash than an identifier a reader needs whole.
const LONGEST_WHOLE_UNIT: usize = 40;

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

/// Splits `text` into lines no wider than `max_width` px at `size` px. Identifiers and
/// numbers with their unit wider than a line get a line of their own, wider than the others;
/// other words longer than a line are cut between characters. Line breaks in the text count
/// as spaces.
pub(crate) fn wrap(text: &str, max_width: f32, size: f32) -> Vec<String> {
    let units = breakable_units(text);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for unit in units {
        let candidate = if line.is_empty() {
            unit.clone()
        } else {
            format!("{line} {unit}")
        };
        if text_width(&candidate, size) <= max_width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if text_width(&unit, size) <= max_width || kept_whole(&unit) {
            line = unit;
        } else {
            let mut pieces = hard_break(&unit, max_width, size);
            line = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The words of `text`, each joined with what may not be separated from it: the punctuation
/// that may not start a line, the groups of a number, a number's unit.
fn breakable_units(text: &str) -> Vec<String> {
    let words = text
        .split([' ', '\t', '\n', '\r'])
        .filter(|w| !w.is_empty());
    let mut units: Vec<String> = Vec::new();
    let mut previous: Option<&str> = None;
    for word in words {
        let glued = previous.is_some_and(|p| glued_together(p, word));
        match units.last_mut() {
            Some(last) if glued => {
                last.push(' ');
                last.push_str(word);
            }
            _ => units.push(word.to_string()),
        }
        previous = Some(word);
    }
    units
}

/// True when the space between the words `before` and `after` may not break a line.
fn glued_together(before: &str, after: &str) -> bool {
    let ends_with_digit = before.ends_with(|c: char| c.is_ascii_digit());
    let starts_with_digit = after.starts_with(|c: char| c.is_ascii_digit());
    after.starts_with(GLUED_TO_PREVIOUS)
        || before == "«"
        // Groups of a number: 1 000, 1 250,00.
        || (ends_with_digit && starts_with_digit)
        // A number and its unit or currency: 15 €, 10 Go, 30 min; 1 250,00 € HT.
        || ((ends_with_digit || is_unit(before)) && is_unit(after))
        // 22 h 30; n° 12.
        || (starts_with_digit && (before == "h" || NUMBER_PREFIXES.contains(&before)))
}

/// True for a unit or currency symbol, closing punctuation aside (`€,` `h)`).
fn is_unit(word: &str) -> bool {
    let bare = word.trim_end_matches([',', '.', ';', ':', ')', '!', '?', '»']);
    UNITS.contains(&bare)
}

/// True for a unit that is kept on one line even when wider than the line: an identifier
/// (letters, digits and `-._/:`, with at least one digit: SRV-GLPI01, KB5034441,
/// 192.168.10.20) or a number with its unit, when not absurdly long.
fn kept_whole(unit: &str) -> bool {
    let n = unit.chars().count();
    if n > LONGEST_WHOLE_UNIT || !unit.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let identifier = unit
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '/' | ':'));
    let number_with_unit = unit.split(' ').all(|w| {
        w.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
            || is_unit(w)
            || NUMBER_PREFIXES.contains(&w)
    });
    identifier || number_with_unit
}

/// Cuts a unit wider than a line between characters, never leaving a piece that starts
/// with a space or with glued punctuation.
fn hard_break(unit: &str, max_width: f32, size: f32) -> Vec<String> {
    let chars: Vec<char> = unit.chars().collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut end = start;
        let mut width = 0.0;
        while end < chars.len() {
            let w = super::font::advance(chars[end]) * size;
            if end > start && width + w > max_width {
                break;
            }
            width += w;
            end += 1;
        }
        while end < chars.len()
            && end > start + 1
            && (chars[end] == ' ' || GLUED_TO_PREVIOUS.contains(&chars[end]))
        {
            end -= 1;
        }
        let piece: String = chars[start..end].iter().collect();
        pieces.push(piece.trim_end().to_string());
        start = end;
        while start < chars.len() && chars[start] == ' ' {
            start += 1;
        }
    }
    pieces
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
        let lines = wrap("Sous 5 jours", just("Sous 5"), 13.0);
        assert_eq!(lines, vec!["Sous 5", "jours"]);
    }

    #[test]
    fn identifiers_are_never_cut() {
        for id in ["SRV-GLPI01", "KB5034441", "192.168.10.20"] {
            let text = format!("Voir {id}");
            // A line narrower than the identifier: it gets a line of its own, whole.
            let lines = wrap(&text, just(id) - 20.0, 13.0);
            assert_eq!(lines, vec!["Voir".to_string(), id.to_string()], "{id}");
        }
        // A long word without digits is still cut to the width.
        let lines = wrap("Anticonstitutionnellement", 60.0, 13.0);
        assert!(lines.len() > 1, "{lines:?}");
    }

    #[test]
    fn missing_glyphs_are_drawn_as_a_placeholder() {
        let block = TextBlock::new("Merci 🎉", 200.0, 13.0);
        assert_eq!(block.lines, vec!["Merci \u{FFFD}"]);
        assert_eq!(block.width, text_width("Merci \u{FFFD}", 13.0));
    }

    #[test]
    fn long_words_are_cut_to_the_width() {
        let word = "x".repeat(100);
        let lines = wrap(&word, 50.0, 13.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(text_width(l, 13.0) <= 50.0, "{l}");
        }
        assert_eq!(lines.concat(), word);
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
