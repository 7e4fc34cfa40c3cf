//! YAML with positions: one helper for guichet.yaml, front matter, workflows, tickets and
//! topology files.
//!
//! serde_yaml builds the typed model and reports positions for its own errors (syntax, unknown
//! key, wrong type), but the values it returns carry no positions. Semantic errors (a duplicate
//! id, a reference to a missing step) need them, so [`Spans`] maps every key and value of the
//! document to its line and column through a pass over the YAML event stream (yaml-rust2).

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::Diagnostic;

/// A 1-based line and column in the file (offsets such as front matter are already applied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// Positions of the keys and values of one YAML document, addressed by dotted paths:
/// `title`, `steps.3.yes`, `lanes.0.id` (sequence items by index, from 0).
///
/// The positions are read from the YAML on first use: most documents are valid and never
/// asked, and a table of every path of every front matter of a 10,000-page site would weigh
/// more than the pages. Clones share the text and the table.
#[derive(Debug, Clone, Default)]
pub struct Spans(Arc<LazySpans>);

#[derive(Debug, Default)]
struct LazySpans {
    /// The file's text (or the YAML alone), shared with its reader.
    text: Arc<str>,
    /// Where the YAML is in `text`.
    range: Range<usize>,
    first_line: usize,
    table: OnceLock<Table>,
}

#[derive(Debug, Default)]
struct Table {
    keys: HashMap<String, Pos>,
    values: HashMap<String, Pos>,
    /// Keys of each mapping in document order, by the mapping's path.
    children: HashMap<String, Vec<String>>,
}

impl Spans {
    /// Reads the positions of `text`, whose first line is line `first_line` of its file.
    /// Syntax errors are reported by serde_yaml, so a scan error here just yields fewer spans.
    pub(crate) fn scan(text: &str, first_line: usize) -> Spans {
        Spans::shared(text.into(), 0..text.len(), first_line)
    }

    /// [`Spans::scan`] of the YAML at `range` of `text`, keeping a share of `text` instead
    /// of a copy: a page's front matter is read from the page's own text.
    pub(crate) fn shared(text: Arc<str>, range: Range<usize>, first_line: usize) -> Spans {
        Spans(Arc::new(LazySpans {
            text,
            range,
            first_line,
            table: OnceLock::new(),
        }))
    }

    fn table(&self) -> &Table {
        self.0.table.get_or_init(|| {
            let yaml = self.0.text.get(self.0.range.clone()).unwrap_or("");
            Table::scan(yaml, self.0.first_line)
        })
    }

    /// Where the key at `path` is written (for an unknown or duplicate key).
    pub(crate) fn key(&self, path: &str) -> Option<Pos> {
        self.table().keys.get(path).copied()
    }

    /// Where the value at `path` starts (for a wrong value); for a sequence item, the item.
    pub(crate) fn value(&self, path: &str) -> Option<Pos> {
        self.table().values.get(path).copied()
    }

    /// The value's position, else the key's, else the start of the file: the best place to
    /// point an error about `path` at.
    pub(crate) fn at(&self, path: &str) -> Pos {
        self.value(path)
            .or_else(|| self.key(path))
            .unwrap_or(Pos { line: 1, column: 1 })
    }

    /// True when no mapping has a key twice and every key is a lowercase word (`steps`,
    /// `fr`, `lane-id`) other than `true`, `false` and `null`: keys serde_yaml reads as the
    /// same strings we see, so two of them are the same key exactly when they are equal.
    pub(crate) fn keys_plain_and_unique(&self) -> bool {
        let plain = |k: &str| {
            k.starts_with(|c: char| c.is_ascii_lowercase())
                && k.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
                && !matches!(k, "true" | "false" | "null")
        };
        self.table().children.values().all(|keys| {
            keys.iter().all(|k| plain(k))
                && keys.iter().enumerate().all(|(i, k)| !keys[..i].contains(k))
        })
    }

    /// The keys of the mapping at `path`, in document order (duplicates included).
    pub(crate) fn keys_of(&self, path: &str) -> &[String] {
        self.table()
            .children
            .get(path)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

impl Table {
    fn scan(text: &str, first_line: usize) -> Table {
        let mut recorder = Recorder {
            spans: Table::default(),
            stack: Vec::new(),
            offset: first_line.saturating_sub(1),
        };
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut recorder, false);
        recorder.spans
    }
}

enum Frame {
    Map {
        path: String,
        pending_key: Option<String>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

struct Recorder {
    spans: Table,
    stack: Vec<Frame>,
    offset: usize,
}

impl Recorder {
    fn pos(&self, mark: Marker) -> Pos {
        Pos {
            line: mark.line() + self.offset,
            column: mark.col() + 1,
        }
    }

    /// The path of the node that starts now, or `None` when the node is a mapping key.
    fn next_value_path(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = join(path, &next.to_string());
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, pending_key }) => pending_key.take().map(|k| join(path, &k)),
        }
    }
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}.{child}")
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = self.pos(mark);
        match ev {
            Event::Scalar(value, ..) => match self.next_value_path() {
                Some(path) => {
                    self.spans.values.insert(path, pos);
                }
                None => {
                    if let Some(Frame::Map { path, pending_key }) = self.stack.last_mut() {
                        let full = join(path, &value);
                        self.spans.keys.entry(full).or_insert(pos);
                        self.spans
                            .children
                            .entry(path.clone())
                            .or_default()
                            .push(value.clone());
                        *pending_key = Some(value);
                    }
                }
            },
            Event::Alias(_) => {
                if let Some(path) = self.next_value_path() {
                    self.spans.values.insert(path, pos);
                }
            }
            Event::MappingStart(..) => {
                // A complex (non-scalar) key is rare and unsupported by our formats: its
                // content is recorded under a placeholder path.
                let path = self.next_value_path().unwrap_or_else(|| "?".to_string());
                self.spans.values.insert(path.clone(), pos);
                self.spans.children.entry(path.clone()).or_default();
                self.stack.push(Frame::Map {
                    path,
                    pending_key: None,
                });
            }
            Event::SequenceStart(..) => {
                let path = self.next_value_path().unwrap_or_else(|| "?".to_string());
                self.spans.values.insert(path.clone(), pos);
                self.stack.push(Frame::Seq { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Parses `text` (lines starting at `first_line` of `file`) into `T`, with the spans for
/// semantic checks. A serde_yaml error becomes a diagnostic at its line and column, with the
/// offending line and, for unknown keys, the list of keys that are allowed.
pub fn parse<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    first_line: usize,
    full_text: &str,
) -> Result<(T, Spans), Diagnostic> {
    reject_lone_carriage_return(file, text, first_line, full_text)?;
    match serde_yaml::from_str::<T>(text) {
        Ok(value) => Ok((value, Spans::scan(text, first_line))),
        Err(err) => Err(serde_error(file, &err, first_line, full_text)),
    }
}

/// [`parse`] of the YAML at `range` of the file text `text`, whose first line is line
/// `first_line` of the file; the spans share `text`.
pub(crate) fn parse_shared<T: DeserializeOwned>(
    file: &Path,
    text: &Arc<str>,
    range: Range<usize>,
    first_line: usize,
) -> Result<(T, Spans), Diagnostic> {
    let yaml = text.get(range.clone()).unwrap_or("");
    reject_lone_carriage_return(file, yaml, first_line, text)?;
    match serde_yaml::from_str::<T>(yaml) {
        Ok(value) => Ok((value, Spans::shared(text.clone(), range, first_line))),
        Err(err) => Err(serde_error(file, &err, first_line, text)),
    }
}

/// A carriage return not followed by a line feed (old Mac line endings, or a stray one) ends
/// a line for the YAML parser but not for editors that show LF or CRLF files, so every
/// position after it would point at the wrong line: it is refused where it stands.
pub(crate) fn reject_lone_carriage_return(
    file: &Path,
    yaml: &str,
    first_line: usize,
    full_text: &str,
) -> Result<(), Diagnostic> {
    let bytes = yaml.as_bytes();
    let Some(at) =
        (0..bytes.len()).find(|&i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
    else {
        return Ok(());
    };
    let before = &yaml[..at];
    let line = first_line + before.matches('\n').count();
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Err(Diagnostic::error(
        file,
        line,
        column,
        "a carriage return (CR) that does not end a CRLF line ending",
    )
    .with_source(full_text)
    .with_help("save the file with LF or CRLF line endings, or delete that character"))
}

/// Turns a serde_yaml error into a diagnostic; `first_line` is the file line of the YAML's line 1.
pub(crate) fn serde_error(
    file: &Path,
    err: &serde_yaml::Error,
    first_line: usize,
    full_text: &str,
) -> Diagnostic {
    let (mut line, mut column) = err
        .location()
        .map(|l| (l.line() + first_line - 1, l.column()))
        .unwrap_or((first_line, 1));
    let raw = err.to_string();
    // serde_yaml appends " at line L column C" to its message: the position is shown already.
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    // serde_yaml points a duplicate key at its mapping; the second writing is what to fix.
    if let Some(name) = duplicate_key(&message)
        && let Some(second) = second_writing(full_text, line, column, name)
    {
        (line, column) = second;
    }
    let (message, help) = explain(&message);
    let mut d = Diagnostic::error(file, line, column, message).with_source(full_text);
    if let Some(h) = help {
        d = d.with_help(h);
    }
    d
}

/// The key named by serde's "duplicate field `name`" message (after any path prefix).
fn duplicate_key(message: &str) -> Option<&str> {
    let at = message.find("duplicate field `")? + "duplicate field `".len();
    message[at..].split('`').next()
}

/// The position of the second line, from the mapping at (`line`, `column`) of `text`, that
/// writes key `name` at the mapping's indentation; `None` when there is no such line.
fn second_writing(text: &str, line: usize, column: usize, name: &str) -> Option<(usize, usize)> {
    let indent = column.saturating_sub(1);
    let mut seen = 0;
    for (n, row) in text.lines().enumerate().skip(line.saturating_sub(1)) {
        // The mapping's first line may open a sequence item (`- id: a`): its key starts at
        // the mapping's column.
        let row = if n + 1 == line {
            row.get(indent..)
                .map(|rest| format!("{:indent$}{rest}", ""))
        } else {
            Some(row.to_string())
        };
        let Some(row) = row else { continue };
        let trimmed = row.trim_start_matches(' ');
        let row_indent = row.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') || row_indent > indent {
            continue;
        }
        if row_indent < indent || trimmed == "---" {
            break;
        }
        let key = trimmed
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'']);
        if key == name {
            seen += 1;
            if seen == 2 {
                return Some((n + 1, indent + 1));
            }
        }
    }
    None
}

/// Rewords serde's messages in the user's terms ("key" rather than "field") and adds a hint.
/// serde_yaml prefixes messages about nested values with their path (`status: unknown
/// variant …`); the path is kept in front of the reworded message.
fn explain(message: &str) -> (String, Option<String>) {
    const PHRASES: [&str; 4] = [
        "unknown field ",
        "missing field ",
        "unknown variant ",
        "duplicate field ",
    ];
    if let Some((path, rest)) = message.split_once(": ")
        && !path.contains(' ')
        && PHRASES.iter().any(|p| rest.starts_with(p))
    {
        let (reworded, help) = explain_plain(rest);
        return (format!("{path}: {reworded}"), help);
    }
    explain_plain(message)
}

/// serde's names of Rust types, as a user would say them.
const TYPE_WORDS: [(&str, &str); 12] = [
    ("expected u64", "expected a whole number, 0 or more"),
    ("expected u32", "expected a whole number, 0 or more"),
    ("expected u16", "expected a whole number, 0 or more"),
    ("expected u8", "expected a whole number, 0 or more"),
    ("expected usize", "expected a whole number, 0 or more"),
    ("expected i64", "expected a whole number"),
    ("expected i32", "expected a whole number"),
    ("expected f64", "expected a number"),
    ("expected f32", "expected a number"),
    ("expected a boolean", "expected `true` or `false`"),
    ("invalid type: sequence", "invalid type: a list"),
    (
        "invalid type: map",
        "invalid type: a mapping (`key: value` lines)",
    ),
];

fn explain_plain(message: &str) -> (String, Option<String>) {
    if let Some((from, to)) = TYPE_WORDS.iter().find(|(from, _)| message.contains(from)) {
        return (message.replace(from, to), None);
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        return (
            format!("duplicate key {rest}"),
            Some(format!("keep one {rest} line: a key has one value")),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        // "unknown field `x`, expected one of `a`, `b`" or "... expected `a`"
        let (name, expected) = match rest.split_once(", expected ") {
            Some((n, e)) => (n, Some(e)),
            None => (rest, None),
        };
        let help =
            expected.map(|e| format!("allowed keys here: {}", e.trim_start_matches("one of ")));
        return (format!("unknown key {name}"), help);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return (
            format!("missing required key {rest}"),
            Some(format!("add {rest}: …")),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (name, expected) = match rest.split_once(", expected ") {
            Some((n, e)) => (n, Some(e)),
            None => (rest, None),
        };
        let help = expected.map(|e| format!("allowed values: {}", e.trim_start_matches("one of ")));
        return (format!("unknown value {name}"), help);
    }
    (message.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_unique_keys_are_told_from_repeated_or_unusual_ones() {
        let plain = |text: &str| Spans::scan(text, 1).keys_plain_and_unique();
        assert!(plain(
            "title: a\nsteps:\n  - id: s\n    label: {fr: x, en: y}\n"
        ));
        assert!(!plain("label: {fr: x, fr: y}\n"));
        assert!(!plain("label: {fr: x, 'fr': y}\n"));
        assert!(!plain("steps:\n  - id: a\n    id: b\n"));
        assert!(!plain("Title: a\n"));
        assert!(!plain("1: a\n"));
        assert!(!plain("true: a\n"));
    }

    /// Found by the property tests: a lone CR made serde_yaml count one more line than the
    /// quoted source, so the caret fell beyond the line shown.
    #[test]
    fn a_lone_carriage_return_is_refused_where_it_stands() {
        let text = "title: a\nrole: x\rdns\nservices:\n  a: [\n";
        let err = parse::<serde_yaml::Value>(Path::new("f.yaml"), text, 1, text).unwrap_err();
        assert_eq!(
            err.headline(),
            "f.yaml:2:8: error: a carriage return (CR) that does not end a CRLF line ending"
        );
        let crlf = "title: a\r\nrole: x\r\n";
        assert!(parse::<serde_yaml::Value>(Path::new("f.yaml"), crlf, 1, crlf).is_ok());
    }
    use serde::Deserialize;

    #[test]
    fn a_duplicate_key_is_shown_at_its_second_writing() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Step {
            id: String,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Doc {
            title: String,
            #[serde(default)]
            steps: Vec<Step>,
        }
        let file = Path::new("w.yaml");
        let top = "title: A\nsteps: []\n# a comment\ntitle: B\n";
        let d = parse::<Doc>(file, top, 1, top).unwrap_err();
        assert_eq!(
            (d.message.as_str(), d.line, d.column),
            ("duplicate key `title`", 4, 1)
        );
        let nested = "title: A\nsteps:\n  - id: a\n  - id: b\n    id: c\n";
        let d = parse::<Doc>(file, nested, 1, nested).unwrap_err();
        assert_eq!(
            (d.message.as_str(), d.line, d.column),
            ("steps[1]: duplicate key `id`", 5, 5)
        );
    }

    #[test]
    fn spans_of_keys_values_and_items() {
        let text = "title: Hello\nsteps:\n  - id: a\n    kind: start\n  - id: b\n    next: [a]\n";
        let s = Spans::scan(text, 1);
        assert_eq!(s.key("title"), Some(Pos { line: 1, column: 1 }));
        assert_eq!(s.value("title"), Some(Pos { line: 1, column: 8 }));
        assert_eq!(s.value("steps.1"), Some(Pos { line: 5, column: 7 }));
        assert_eq!(s.value("steps.1.id"), Some(Pos { line: 5, column: 9 }));
        assert_eq!(s.key("steps.1.next"), Some(Pos { line: 6, column: 5 }));
        assert_eq!(
            s.value("steps.1.next.0"),
            Some(Pos {
                line: 6,
                column: 12
            })
        );
        assert_eq!(s.keys_of("steps.0"), ["id".to_string(), "kind".to_string()]);
    }

    #[test]
    fn offset_applies_to_front_matter() {
        let s = Spans::scan("title: x\n", 2);
        assert_eq!(s.key("title"), Some(Pos { line: 2, column: 1 }));
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Small {
        title: String,
        weight: Option<i64>,
    }

    #[test]
    fn unknown_key_is_reported_at_its_line_with_allowed_keys() {
        let full = "---\ntitle: a\ntitel: b\n---\n";
        let err = parse::<Small>(Path::new("p.md"), "title: a\ntitel: b\n", 2, full).unwrap_err();
        assert_eq!(err.headline(), "p.md:3:1: error: unknown key `titel`");
        assert_eq!(
            err.help.as_deref(),
            Some("allowed keys here: `title` or `weight`")
        );
        assert_eq!(err.source_line.as_deref(), Some("titel: b"));
    }

    #[test]
    fn wrong_type_is_reported_at_the_value() {
        let err = parse::<Small>(
            Path::new("p.md"),
            "title: a\nweight: lourd\n",
            1,
            "title: a\nweight: lourd\n",
        )
        .unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(err.column, 9);
        assert!(
            err.message
                .starts_with("weight: invalid type: string \"lourd\", expected"),
            "{}",
            err.message
        );
    }
}
