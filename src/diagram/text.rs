//! Word wrapping with the bundled font's widths, following French typography.
//!
//! French puts a space before `:`, `?`, `!`, `;` and `»` (and after `«`); a line must never
//! start with one of them, so the space before them is not a break opportunity. Non-breaking
//! spaces (U+00A0, U+202F) never break either.

use super::font::text_width;

/// Punctuation that must stay on the line of the word before it.
const GLUED_TO_PREVIOUS: [char; 5] = [':', '?', '!', ';', '»'];

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
    pub(crate) fn new(text: &str, max_width: f32, size: f32) -> TextBlock {
        let lines = wrap(text, max_width, size);
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

/// Splits `text` into lines no wider than `max_width` px at `size` px. Words longer than a
/// line are cut between characters. Line breaks in the text count as spaces.
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
        if text_width(&unit, size) <= max_width {
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

/// The words of `text`, each joined with the punctuation that may not start a line.
fn breakable_units(text: &str) -> Vec<String> {
    let words = text
        .split([' ', '\t', '\n', '\r'])
        .filter(|w| !w.is_empty());
    let mut units: Vec<String> = Vec::new();
    let mut glue_next = false;
    for word in words {
        let starts_glued = word.starts_with(GLUED_TO_PREVIOUS);
        match units.last_mut() {
            Some(last) if starts_glued || glue_next => {
                last.push(' ');
                last.push_str(word);
            }
            _ => units.push(word.to_string()),
        }
        glue_next = word == "«";
    }
    units
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
    }

    #[test]
    fn non_breaking_space_does_not_break() {
        let lines = wrap("a\u{00A0}b c", 25.0, 13.0);
        assert_eq!(lines, vec!["a\u{00A0}b".to_string(), "c".to_string()]);
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
