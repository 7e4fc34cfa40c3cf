//! Reading a workflow file: YAML syntax, then every key checked against the format (all
//! unknown keys reported at once), then the typed raw model handed to validation.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
pub(crate) use crate::localized_text::Text;
use crate::yaml::{self, Spans};

/// The keys allowed at the top of a workflow file.
pub(crate) const TOP_KEYS: [&str; 4] = ["title", "description", "lanes", "steps"];
/// The keys allowed in a lane.
pub(crate) const LANE_KEYS: [&str; 2] = ["id", "label"];
/// The keys allowed in a step.
pub(crate) const STEP_KEYS: [&str; 13] = [
    "id", "kind", "label", "lane", "status", "sla", "link", "workflow", "next", "yes", "no",
    "branches", "about",
];
/// The keys allowed in a decision's branch.
pub(crate) const BRANCH_KEYS: [&str; 2] = ["label", "to"];

/// The file as written, before any semantic check.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWorkflow<T = String> {
    /// Required title.
    pub title: T,
    /// Optional description.
    #[serde(default = "none")]
    pub description: Option<T>,
    /// Optional lanes.
    #[serde(default = "Vec::new")]
    pub lanes: Vec<RawLane<T>>,
    /// The steps.
    pub steps: Vec<RawStep<T>>,
}

fn none<T>() -> Option<T> {
    None
}

impl RawWorkflow<Text> {
    /// True when a text of the file is written per language (`{fr: …, en: …}`), the only
    /// mapping the model reads without refusing a key written twice.
    fn has_text_by_language(&self) -> bool {
        let by_language = |t: &Text| matches!(t, Text::ByLanguage(_));
        by_language(&self.title)
            || self.description.as_ref().is_some_and(by_language)
            || self.lanes.iter().any(|l| by_language(&l.label))
            || self.steps.iter().any(|s| {
                by_language(&s.label) || s.branches.iter().flatten().any(|b| by_language(&b.label))
            })
    }
}

/// A lane as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLane<T = String> {
    /// Lane id.
    pub id: String,
    /// Lane title.
    pub label: T,
}

/// `next:` holds one id or a list of ids.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    /// `next: id`
    One(String),
    /// `next: [a, b]`
    Many(Vec<String>),
}

impl OneOrMany {
    /// The ids, in order.
    pub(crate) fn ids(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// A step as written: kinds and statuses are still strings, checked by validation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStep<T = String> {
    /// Step id.
    pub id: String,
    /// Kind key.
    pub kind: String,
    /// Label.
    pub label: T,
    /// Lane id.
    #[serde(default)]
    pub lane: Option<String>,
    /// GLPI status key.
    #[serde(default)]
    pub status: Option<String>,
    /// `tto` or `ttr`.
    #[serde(default)]
    pub sla: Option<String>,
    /// Content page.
    #[serde(default)]
    pub link: Option<String>,
    /// Workflow id of a subprocess.
    #[serde(default)]
    pub workflow: Option<String>,
    /// Explicit jumps.
    #[serde(default)]
    pub next: Option<OneOrMany>,
    /// Decision's yes target.
    #[serde(default)]
    pub yes: Option<String>,
    /// Decision's no target.
    #[serde(default)]
    pub no: Option<String>,
    /// Decision's labelled branches.
    #[serde(default = "none")]
    pub branches: Option<Vec<RawBranch<T>>>,
    /// A comment's step.
    #[serde(default)]
    pub about: Option<String>,
}

/// A labelled branch of a decision.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBranch<T = String> {
    /// The answer shown on the flow.
    pub label: T,
    /// The target step.
    pub to: String,
}

/// Reads `text` (the file `path`) into the raw model with its spans, or every unknown key /
/// the syntax or type error with its line and column.
pub(crate) fn parse_raw(
    path: &Path,
    text: &str,
) -> Result<(RawWorkflow<Text>, Spans), Vec<Diagnostic>> {
    yaml::reject_lone_carriage_return(path, text, 1, text).map_err(|d| vec![d])?;
    let spans = Spans::scan(text, 1);
    // Most files are valid: read the model at once. Read without error, the YAML has no
    // syntax error, and no key unknown or twice in a mapping of the model's structures (each
    // refuses unknown keys, and serde refuses a field given twice); the only other thing the
    // generic reading below refuses is a language written twice in a text (the model takes
    // the last one). So a file whose texts are plain strings is taken as read, without the
    // scan of its positions (built later, only when a message needs one); one with texts by
    // language is taken when it has plain keys none twice in a mapping. The errors below,
    // and their order, are those of files that fail here.
    if let Ok(raw) = serde_yaml::from_str::<RawWorkflow<Text>>(text) {
        if !raw.has_text_by_language() {
            return Ok((raw, spans));
        }
        if spans.keys_plain_and_unique() {
            let unknown = unknown_keys(path, text, &spans);
            if !unknown.is_empty() {
                return Err(unknown);
            }
            return Ok((raw, spans));
        }
    }
    if let Err(err) = serde_yaml::from_str::<serde_yaml::Value>(text) {
        return Err(vec![yaml::serde_error(path, &err, 1, text)]);
    }
    let unknown = unknown_keys(path, text, &spans);
    if !unknown.is_empty() {
        return Err(unknown);
    }
    match yaml::parse::<RawWorkflow<Text>>(path, text, 1, text) {
        Ok((raw, spans)) => Ok((raw, spans)),
        Err(d) => Err(vec![d]),
    }
}

/// True when the key at `line`:`column` (1-based, in characters) follows a comma inside a
/// `{ … }` mapping on its line: most often the end of a label with a comma left unquoted
/// (`{ label: Utilisateur (enseignant, agent) }`).
fn follows_a_comma_in_braces(text: &str, line: usize, column: usize) -> bool {
    let Some(source) = text.lines().nth(line.saturating_sub(1)) else {
        return false;
    };
    let before: String = source.chars().take(column.saturating_sub(1)).collect();
    let before = before.trim_end();
    before.ends_with(',') && before.contains('{')
}

/// Every key that the format does not have, anywhere in the file.
fn unknown_keys(path: &Path, text: &str, spans: &Spans) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut check = |map: &str, allowed: &[&str], place: &str| {
        for key in spans.keys_of(map) {
            if !allowed.contains(&key.as_str()) {
                let full = if map.is_empty() {
                    key.clone()
                } else {
                    format!("{map}.{key}")
                };
                let pos = spans.key(&full).unwrap_or_default();
                let list = allowed
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let help = if follows_a_comma_in_braces(text, pos.line, pos.column) {
                    format!(
                        "a comma inside `{{ … }}` ends a value, so `{key}` is read as a key: \
                         if it is the end of the value before it, put that whole value in \
                         quotes (`label: \"…, {key}\"`); allowed keys here: {list}"
                    )
                } else {
                    format!("allowed keys here: {list}")
                };
                out.push(
                    Diagnostic::error(
                        path,
                        pos.line,
                        pos.column,
                        format!("unknown key `{key}` {place}"),
                    )
                    .with_help(help)
                    .with_source(text),
                );
            }
        }
    };
    check("", &TOP_KEYS, "in a workflow");
    for i in 0.. {
        let lane = format!("lanes.{i}");
        if spans.value(&lane).is_none() {
            break;
        }
        check(&lane, &LANE_KEYS, "in a lane");
    }
    for i in 0.. {
        let step = format!("steps.{i}");
        if spans.value(&step).is_none() {
            break;
        }
        check(&step, &STEP_KEYS, "in a step");
        for j in 0.. {
            let branch = format!("{step}.branches.{j}");
            if spans.value(&branch).is_none() {
                break;
            }
            check(&branch, &BRANCH_KEYS, "in a branch");
        }
    }
    out
}
