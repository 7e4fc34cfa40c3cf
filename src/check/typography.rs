//! The `typography` rule, for French pages: a non-breaking space before `:` and inside
//! `« »` (U+00A0), a narrow one before `; ! ?` (U+202F), as the Imprimerie nationale's rules
//! have it, so a line never starts with a colon or a question mark. Either space is accepted
//! before any of them. `--fix` applies the fixes: they only replace or insert a space.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::scan::{PageScan, front_matter_prose};
use super::{Finding, Lines, finding};
use crate::diagnostics::{Diagnostic, Severity};
use crate::language::Language;
use crate::site::{Page, Site};

/// The rule's name.
pub(super) const RULE: &str = "typography";

const NBSP: char = '\u{a0}';
const NARROW_NBSP: char = '\u{202f}';

/// One safe edit of a source file: at `offset`, replace `remove` bytes by `insert`.
#[derive(Debug, Clone)]
pub(crate) struct Fix {
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// Its line and column, as in the finding it fixes.
    pub line: usize,
    /// Its column.
    pub column: usize,
    offset: usize,
    remove: usize,
    insert: char,
}

impl Fix {
    /// The position of the finding this fix corrects.
    pub(crate) fn key(&self) -> (&Path, usize, usize) {
        (self.path.as_path(), self.line, self.column)
    }
}

/// The findings of every French page, each with its fix.
pub(crate) fn check(site: &Site, scans: &[PageScan]) -> (Vec<Finding>, Vec<Fix>) {
    let found: Vec<(Finding, Fix)> = site
        .pages
        .par_iter()
        .zip(scans)
        .filter(|(page, _)| page.language == Language::Fr)
        .flat_map_iter(|(page, scan)| check_page(page, scan))
        .collect();
    found.into_iter().unzip()
}

fn check_page(page: &Page, scan: &PageScan) -> Vec<(Finding, Fix)> {
    let text: &str = &page.source.text;
    let lines = Lines::new(text);
    let mut ranges = front_matter_prose(page, &["title", "description", "name"]);
    ranges.extend(scan.prose.iter().cloned());
    let mut found = Vec::new();
    for range in ranges {
        for (i, c) in text[range.clone()].char_indices() {
            let at = range.start + i;
            let Some((offset, remove, insert, message)) = problem(text, at, c) else {
                continue;
            };
            let (line, column) = lines.at(offset);
            let fix = Fix {
                path: page.source.file.clone(),
                line,
                column,
                offset,
                remove,
                insert,
            };
            let help = format!(
                "{} a non-breaking space (U+{:04X}); `guichet check --fix` does it",
                if remove > 0 {
                    "replace it with"
                } else {
                    "insert"
                },
                insert as u32
            );
            let d = finding(
                RULE,
                Severity::Warning,
                &page.source.file,
                &lines,
                offset,
                message,
            )
            .with_help(help);
            found.push((d, fix));
        }
    }
    found
}

/// What is wrong around the character `c` at byte `at` of `text`: where the fix goes, how
/// many bytes it replaces, the space it puts there and the message.
fn problem(text: &str, at: usize, c: char) -> Option<(usize, usize, char, String)> {
    let before = text[..at].chars().next_back();
    let after = text[at + c.len_utf8()..].chars().next();
    let space = match c {
        ':' | '«' | '»' => NBSP,
        ';' | '!' | '?' => NARROW_NBSP,
        _ => return None,
    };
    let is_nbsp = |c: Option<char>| matches!(c, Some(NBSP | NARROW_NBSP));
    match c {
        '«' => match after {
            _ if is_nbsp(after) => None,
            Some(' ') => Some((at + c.len_utf8(), 1, space, "plain space after `«`".into())),
            Some(a) if !a.is_whitespace() => {
                Some((at + c.len_utf8(), 0, space, "no space after `«`".into()))
            }
            _ => None,
        },
        _ => match before {
            _ if is_nbsp(before) => None,
            Some(' ') => Some((at - 1, 1, space, format!("plain space before `{c}`"))),
            Some(b) if glued(b) && (c == '»' || ends_word(after)) => {
                Some((at, 0, space, format!("no space before `{c}`")))
            }
            _ => None,
        },
    }
}

/// A character after which `:` or `?` needs a space: the end of a word, a number, code or
/// emphasis.
fn glued(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ')' | ']' | '`' | '*' | '_' | '»' | '"' | '\'' | '’')
}

/// True when the punctuation is followed by the end of the text, a space or a closing mark,
/// so `10:30`, `https://` or `?q=` are left alone.
fn ends_word(after: Option<char>) -> bool {
    after.is_none_or(|a| a.is_whitespace() || matches!(a, '*' | '_' | ')' | '»' | '"'))
}

/// Applies the fixes to the files under `root`, each file rewritten once.
pub(crate) fn apply(root: &Path, fixes: &[Fix]) -> Result<(), Diagnostic> {
    let mut by_file: BTreeMap<&PathBuf, Vec<&Fix>> = BTreeMap::new();
    for fix in fixes {
        by_file.entry(&fix.path).or_default().push(fix);
    }
    for (path, mut fixes) in by_file {
        let full = root.join(path);
        let mut text = std::fs::read_to_string(&full)
            .map_err(|e| Diagnostic::file_error(path, format!("cannot read it to fix it: {e}")))?;
        // From the end, so earlier offsets stay right.
        fixes.sort_by_key(|f| std::cmp::Reverse(f.offset));
        fixes.dedup_by_key(|f| f.offset);
        for fix in fixes {
            text.replace_range(
                fix.offset..fix.offset + fix.remove,
                fix.insert.encode_utf8(&mut [0; 4]),
            );
        }
        std::fs::write(&full, text)
            .map_err(|e| Diagnostic::file_error(path, format!("cannot write the fixes: {e}")))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str) -> String {
        let mut out = text.to_string();
        let mut edits = Vec::new();
        for (i, c) in text.char_indices() {
            if let Some((at, remove, insert, _)) = problem(text, i, c) {
                edits.push((at, remove, insert));
            }
        }
        for (at, remove, insert) in edits.into_iter().rev() {
            out.replace_range(at..at + remove, insert.encode_utf8(&mut [0; 4]));
        }
        out
    }

    #[test]
    fn plain_and_missing_spaces_get_the_right_non_breaking_space() {
        assert_eq!(fixed("Étape 3 : ouvrir"), "Étape 3\u{a0}: ouvrir");
        assert_eq!(
            fixed("Pourquoi ? Parce que ; voilà !"),
            "Pourquoi\u{202f}? Parce que\u{202f}; voilà\u{202f}!"
        );
        assert_eq!(
            fixed("« Source de connexion »"),
            "«\u{a0}Source de connexion\u{a0}»"
        );
        assert_eq!(fixed("«Source»"), "«\u{a0}Source\u{a0}»");
        assert_eq!(fixed("Note: lire"), "Note\u{a0}: lire");
        assert_eq!(fixed("**Important**: lire"), "**Important**\u{a0}: lire");
    }

    #[test]
    fn times_addresses_and_correct_text_are_left_alone() {
        for fine in [
            "à 10:30",
            "https://support.ateliers-morel.fr/?q=x",
            "Étape 3\u{a0}: ouvrir",
            "Pourquoi\u{202f}?",
            "Pourquoi\u{a0}?",
            "«\u{a0}x\u{a0}»",
            "C:\\Users",
        ] {
            assert_eq!(fixed(fine), fine, "{fine}");
        }
    }
}
