//! One error type for every stage: a file, a position, a message and a hint.
//!
//! Every stage of the pipeline reports problems as [`Diagnostic`] values; only the CLI decides
//! how to print them and which exit code follows. The same text is used in the terminal, in the
//! browser overlay of `serve` and in JSON output.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How serious a diagnostic is: errors fail the build, warnings only with `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something the user should fix, but the site can still be built.
    Warning,
    /// The build cannot produce a correct site.
    Error,
}

/// A problem found in a user's file, with the position it was found at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root when it is inside it.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// What is wrong, in one sentence, without a trailing period.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
    /// The offending source line, shown under the message: the whole line, or for a long
    /// line a window around the column with `…` where it was cut.
    pub source_line: Option<String>,
    /// Where the caret goes in `source_line` (0-based, in characters).
    #[serde(skip)]
    caret: u32,
}

/// Lines longer than this (in characters) are shown as a window around the column: a
/// diagnostic must stay readable for a minified file or a YAML line of 10,000 characters.
const MAX_SOURCE_WIDTH: usize = 120;
/// How many characters of a long line the window shows.
const WINDOW_WIDTH: usize = 100;

impl Diagnostic {
    /// An error in `path` at `line`:`column` (1-based).
    pub(crate) fn error(
        path: impl AsRef<Path>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.as_ref().to_path_buf(),
            line,
            column,
            message: message.into(),
            help: None,
            source_line: None,
            caret: to_caret(column.saturating_sub(1)),
        }
    }

    /// A warning in `path` at `line`:`column` (1-based).
    pub(crate) fn warning(
        path: impl AsRef<Path>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, column, message)
        }
    }

    /// An error about a whole file or folder (no position), such as an unreadable file.
    pub fn file_error(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic::error(path, 0, 0, message)
    }

    /// Adds a hint saying how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches the offending line, taken from the file's full text.
    pub(crate) fn with_source(mut self, text: &str) -> Self {
        if self.line > 0
            && let Some(line) = text.lines().nth(self.line - 1)
        {
            let (shown, caret) = window(line.trim_end(), self.column.saturating_sub(1));
            self.source_line = Some(shown);
            self.caret = to_caret(caret);
        }
        self
    }

    /// Where the caret goes in the source line (0-based, in characters), for the build cache.
    pub(crate) fn caret(&self) -> u32 {
        self.caret
    }

    /// The diagnostic with its caret at `caret`, as the build cache recorded it.
    pub(crate) fn with_caret(mut self, caret: u32) -> Self {
        self.caret = caret;
        self
    }

    /// True for errors, false for warnings.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The first line of the rendering: `path:line:column: error: message`.
    pub fn headline(&self) -> String {
        self.headline_with_code(None)
    }

    /// The headline with a code after the severity, as rustc's `error[E0425]`; `guichet
    /// check` puts its rule's name there (`warning[spelling]`).
    pub fn headline_with_code(&self, code: Option<&str>) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let kind = match code {
            Some(code) => format!("{severity}[{code}]"),
            None => severity.to_string(),
        };
        let path = self.path.display();
        match (self.line, self.column) {
            (0, _) => format!("{path}: {kind}: {}", self.message),
            (line, 0) => format!("{path}:{line}: {kind}: {}", self.message),
            (line, column) => format!("{path}:{line}:{column}: {kind}: {}", self.message),
        }
    }
}

impl Diagnostic {
    /// The terminal rendering with a code in the headline (see [`Self::headline_with_code`]).
    pub fn render_with_code(&self, code: Option<&str>) -> String {
        let mut out = String::new();
        let _ = self.render(&mut out, code);
        out
    }

    fn render(&self, f: &mut impl fmt::Write, code: Option<&str>) -> fmt::Result {
        writeln!(f, "{}", self.headline_with_code(code))?;
        if let Some(source) = &self.source_line {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{gutter} | {source}")?;
            if self.column > 0 {
                let caret_pad: String = source
                    .chars()
                    .take(self.caret as usize)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                writeln!(f, "{pad} | {caret_pad}^")?;
            }
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        Ok(())
    }
}

/// A caret position as stored: a column beyond 4 billion characters is shown at the end.
fn to_caret(column: usize) -> u32 {
    u32::try_from(column).unwrap_or(u32::MAX)
}

/// `line` as shown under a message, and the caret's place in it: the whole line when it is
/// short, else [`WINDOW_WIDTH`] characters around `caret` with `…` on each cut side.
fn window(line: &str, caret: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_SOURCE_WIDTH {
        return (line.to_string(), caret);
    }
    let caret = caret.min(chars.len());
    let start = caret
        .saturating_sub(WINDOW_WIDTH / 2)
        .min(chars.len() - WINDOW_WIDTH);
    let end = start + WINDOW_WIDTH;
    let mut shown = String::with_capacity(WINDOW_WIDTH + 8);
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret - start + usize::from(start > 0))
}

impl fmt::Display for Diagnostic {
    /// The terminal rendering: headline, then the source line with a caret, then the help.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(f, None)
    }
}

/// Several diagnostics, as returned by a stage that reports all problems at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// True when at least one diagnostic is an error.
    pub(crate) fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Sorts by path, line and column so output is deterministic whatever the thread order.
    pub(crate) fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
        });
        self.0.dedup();
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(v: Vec<Diagnostic>) -> Self {
        Diagnostics(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_headline_source_caret_and_help() {
        let d = Diagnostic::error("content/a.md", 3, 7, "unknown key `titel`")
            .with_source("---\nx: 1\ntitle titel: b\n")
            .with_help("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:7: error: unknown key `titel`\n  |\n3 | title titel: b\n  |       ^\n  = help: did you mean `title`?\n"
        );
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_column() {
        let line = format!("{}ERREUR{}", "a".repeat(9_000), "b".repeat(1_000));
        let d = Diagnostic::error("deep.yaml", 1, 9_001, "here").with_source(&line);
        let text = d.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.iter().all(|l| l.chars().count() < 200), "{text}");
        let shown = lines[2].split_once(" | ").unwrap().1;
        assert_eq!(
            shown,
            format!("…{}ERREUR{}…", "a".repeat(50), "b".repeat(44))
        );
        let caret = lines[3].split_once(" | ").unwrap().1;
        assert_eq!(caret.chars().count(), 52);
        assert_eq!(shown.chars().nth(51), Some('E'));
        // At the start and the end of the line, only one side is cut.
        let start = Diagnostic::error("f", 1, 3, "x").with_source(&"c".repeat(500));
        assert_eq!(start.source_line.unwrap(), format!("{}…", "c".repeat(100)));
        let end = Diagnostic::error("f", 1, 500, "x").with_source(&"c".repeat(500));
        assert_eq!(end.source_line.unwrap(), format!("…{}", "c".repeat(100)));
        assert_eq!(end.caret, 100);
    }

    #[test]
    fn headline_without_position() {
        let d = Diagnostic::file_error("guichet.yaml", "file not found");
        assert_eq!(d.headline(), "guichet.yaml: error: file not found");
    }
}
