//! Warnings about what a diagram's labels will look like, found before layout: a step label
//! too long for a box, and characters the bundled font cannot draw (drawn as a placeholder,
//! see `diagram::font::with_placeholders`). Warnings never stop the build (unless
//! `--strict`); each points at the label's line.

use std::path::Path;

use super::parse::RawWorkflow;
use crate::diagnostics::Diagnostic;
use crate::diagram::png::missing_glyphs;
use crate::yaml::Spans;

/// Characters above which a step label is reported as too long for a diagram box: about
/// four lines of a box, the most a reader takes in at a glance.
pub(crate) const LONG_LABEL: usize = 120;

/// The warnings about the drawn texts of `raw` (steps, branch answers, lanes), in file order.
pub(crate) fn label_warnings(
    path: &Path,
    text: &str,
    raw: &RawWorkflow,
    spans: &Spans,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let warn = |at: &str, message: String, help: &str| {
        let pos = spans.at(at);
        Diagnostic::warning(path, pos.line, pos.column, message)
            .with_source(text)
            .with_help(help)
    };
    for (i, lane) in raw.lanes.iter().enumerate() {
        if let Some(d) = glyph_warning(&lane.label, &format!("lane `{}`", lane.id), &|m, h| {
            warn(&format!("lanes.{i}.label"), m, h)
        }) {
            out.push(d);
        }
    }
    for (i, step) in raw.steps.iter().enumerate() {
        let at = format!("steps.{i}.label");
        let length = step.label.chars().count();
        if length > LONG_LABEL {
            out.push(warn(
                &at,
                format!(
                    "the label of step `{}` is {length} characters long; a diagram box reads well up to {LONG_LABEL}",
                    step.id
                ),
                "keep a short label and move the details to a `comment` step (`about:` this step) or to a page linked with `link:`",
            ));
        }
        let what = format!("step `{}`", step.id);
        if let Some(d) = glyph_warning(&step.label, &what, &|m, h| warn(&at, m, h)) {
            out.push(d);
        }
        for (j, branch) in step.branches.iter().flatten().enumerate() {
            let what = format!("a branch of step `{}`", step.id);
            if let Some(d) = glyph_warning(&branch.label, &what, &|m, h| {
                warn(&format!("steps.{i}.branches.{j}.label"), m, h)
            }) {
                out.push(d);
            }
        }
    }
    out
}

/// The warning for a label with characters the bundled font lacks, if it has any.
fn glyph_warning(
    label: &str,
    what: &str,
    warn: &dyn Fn(String, &str) -> Diagnostic,
) -> Option<Diagnostic> {
    let missing = missing_glyphs(label);
    if missing.is_empty() {
        return None;
    }
    let list: Vec<String> = missing
        .iter()
        .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
        .collect();
    Some(warn(
        format!(
            "the label of {what} has characters the diagram font cannot draw: {}; they are drawn as `\u{FFFD}`",
            list.join(", ")
        ),
        "write them in words (emoji and non-Latin scripts are not in the bundled font, DejaVu Sans)",
    ))
}
