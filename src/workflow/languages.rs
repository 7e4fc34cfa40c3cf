//! Workflows of a translated site: a title, description, lane name or label may be written
//! once per language (`label: {fr: Ticket clos, en: Ticket closed}`). Before validation,
//! [`localize`] picks one language's words; a text missing in that language falls back to
//! the default language's (else the first written) with a warning at its line.

use std::path::Path;

use super::parse::{RawBranch, RawLane, RawStep, RawWorkflow, Text};
use crate::diagnostics::Diagnostic;
use crate::language::Language;
use crate::yaml::Spans;

/// Which words to take: `language`'s, else `default`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Languages {
    /// The language of the diagram being drawn.
    pub language: Language,
    /// The site's default language, the fallback.
    pub default: Language,
}

/// `raw` with every text in one language, and a warning for each text that lacks it.
/// Errors: a language code guichet does not know, or an empty map, each at its line.
pub(crate) fn localize(
    path: &Path,
    text: &str,
    spans: &Spans,
    raw: RawWorkflow<Text>,
    languages: Option<Languages>,
) -> Result<(RawWorkflow, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut picker = Picker {
        path,
        text,
        spans,
        languages,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let localized = RawWorkflow {
        title: picker.pick(raw.title, "title", "the title"),
        description: raw
            .description
            .map(|d| picker.pick(d, "description", "the description")),
        lanes: raw
            .lanes
            .into_iter()
            .enumerate()
            .map(|(i, lane)| RawLane {
                label: picker.pick(
                    lane.label,
                    &format!("lanes.{i}.label"),
                    &format!("the name of lane `{}`", lane.id),
                ),
                id: lane.id,
            })
            .collect(),
        steps: raw
            .steps
            .into_iter()
            .enumerate()
            .map(|(i, step)| picker.step(i, step))
            .collect(),
    };
    if picker.errors.is_empty() {
        Ok((localized, picker.warnings))
    } else {
        Err(picker.errors)
    }
}

struct Picker<'a> {
    path: &'a Path,
    text: &'a str,
    spans: &'a Spans,
    languages: Option<Languages>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Picker<'_> {
    fn step(&mut self, i: usize, step: RawStep<Text>) -> RawStep {
        let what = format!("the label of step `{}`", step.id);
        let branches = step.branches.map(|list| {
            list.into_iter()
                .enumerate()
                .map(|(j, b)| RawBranch {
                    label: self.pick(
                        b.label,
                        &format!("steps.{i}.branches.{j}.label"),
                        &format!("a branch label of step `{}`", step.id),
                    ),
                    to: b.to,
                })
                .collect()
        });
        RawStep {
            label: self.pick(step.label, &format!("steps.{i}.label"), &what),
            id: step.id,
            kind: step.kind,
            lane: step.lane,
            status: step.status,
            sla: step.sla,
            link: step.link,
            workflow: step.workflow,
            next: step.next,
            yes: step.yes,
            no: step.no,
            branches,
            about: step.about,
        }
    }

    /// The words of `text` at the key `at` (`steps.2.label`), named `what` in messages.
    fn pick(&mut self, text: Text, at: &str, what: &str) -> String {
        let by_language = match text {
            Text::Plain(words) => return words,
            Text::ByLanguage(map) => map,
        };
        for code in by_language.keys() {
            if !["fr", "en"].contains(&code.as_str()) {
                let pos = self
                    .spans
                    .key(&format!("{at}.{code}"))
                    .unwrap_or_else(|| self.spans.at(at));
                self.errors.push(
                    Diagnostic::error(
                        self.path,
                        pos.line,
                        pos.column,
                        format!("unknown language `{code}` in {what}"),
                    )
                    .with_source(self.text)
                    .with_help("write the words of each language under its code: `{fr: Ticket clos, en: Ticket closed}`"),
                );
            }
        }
        let pos = self.spans.at(at);
        let Some(first) = by_language.values().next().cloned() else {
            self.errors.push(
                Diagnostic::error(self.path, pos.line, pos.column, format!("{what} is empty"))
                    .with_source(self.text)
                    .with_help("write the words: `{fr: Ticket clos, en: Ticket closed}`"),
            );
            return String::new();
        };
        let Some(languages) = self.languages else {
            return by_language
                .get(Language::default().code())
                .cloned()
                .unwrap_or(first);
        };
        if let Some(words) = by_language.get(languages.language.code()) {
            return words.clone();
        }
        let (shown, words) = match by_language.get(languages.default.code()) {
            Some(words) => (languages.default.code(), words.clone()),
            None => (by_language.keys().next().map_or("", String::as_str), first),
        };
        self.warnings.push(
            Diagnostic::warning(
                self.path,
                pos.line,
                pos.column,
                format!(
                    "{what} has no `{}` text: the `{shown}` one is shown in that language's diagram",
                    languages.language.code()
                ),
            )
            .with_source(self.text)
            .with_help(format!(
                "add `{}: …` beside `{shown}:`",
                languages.language.code()
            )),
        );
        words
    }
}
