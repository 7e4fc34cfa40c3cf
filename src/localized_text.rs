//! Texts written once per language in a YAML file (`label: {fr: Ticket clos, en: Ticket
//! closed}`), shared by the workflows and the network topologies: [`Text`] is the value as
//! written, and a [`Picker`] takes one language's words from each, with a warning at its
//! line when a text lacks that language (the default language's words are then shown, else
//! the first written) and an error at its line for a language code guichet does not know.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::language::Language;
use crate::yaml::Spans;

/// A text as written: one string, or one per language (`{fr: …, en: …}`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum Text {
    /// The same words in every language.
    Plain(String),
    /// The words of each language, by code.
    ByLanguage(BTreeMap<String, String>),
}

/// Which words to take: `language`'s, else `default`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Languages {
    /// The language of the diagram being drawn.
    pub language: Language,
    /// The site's default language, the fallback.
    pub default: Language,
}

/// What a [`Picker`] says in its messages about the file it reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Wording {
    /// A text written per language, shown in the help of errors
    /// (`{fr: Ticket clos, en: Ticket closed}`).
    pub example: &'static str,
    /// Where the fallback words are shown ("that language's diagram").
    pub shown_in: &'static str,
}

/// Takes one language's words from each [`Text`] of one file, collecting the errors and
/// warnings found on the way.
pub(crate) struct Picker<'a> {
    path: &'a Path,
    /// The whole file, quoted under each diagnostic.
    source: &'a str,
    spans: &'a Spans,
    languages: Option<Languages>,
    wording: Wording,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl<'a> Picker<'a> {
    /// A picker for the file at `path` whose text is `source` and key positions `spans`;
    /// without `languages`, the default language's words (else the first written) are taken
    /// silently.
    pub(crate) fn new(
        path: &'a Path,
        source: &'a str,
        spans: &'a Spans,
        languages: Option<Languages>,
        wording: Wording,
    ) -> Picker<'a> {
        Picker {
            path,
            source,
            spans,
            languages,
            wording,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The errors (unknown language, empty map) and the warnings (missing language) found.
    pub(crate) fn finish(self) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        (self.errors, self.warnings)
    }

    /// [`Picker::pick`] of an optional text.
    pub(crate) fn pick_opt(&mut self, text: Option<Text>, at: &str, what: &str) -> Option<String> {
        text.map(|t| self.pick(t, at, what))
    }

    /// The words of `text` at the key `at` (`steps.2.label`), named `what` in messages.
    pub(crate) fn pick(&mut self, text: Text, at: &str, what: &str) -> String {
        let by_language = match text {
            Text::Plain(words) => return words,
            Text::ByLanguage(map) => map,
        };
        self.unknown_codes(&by_language, at, what);
        let pos = self.spans.at(at);
        let Some(first) = by_language.values().next().cloned() else {
            self.errors.push(
                Diagnostic::error(self.path, pos.line, pos.column, format!("{what} is empty"))
                    .with_source(self.source)
                    .with_help(format!("write the words: `{}`", self.wording.example)),
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
        let missing = languages.language.code();
        self.warnings.push(
            Diagnostic::warning(
                self.path,
                pos.line,
                pos.column,
                format!(
                    "{what} has no `{missing}` text: the `{shown}` one is shown in {}",
                    self.wording.shown_in
                ),
            )
            .with_source(self.source)
            .with_help(format!("add `{missing}: …` beside `{shown}:`")),
        );
        words
    }

    /// An error at each code of `by_language` that is not a language guichet knows.
    fn unknown_codes(&mut self, by_language: &BTreeMap<String, String>, at: &str, what: &str) {
        for code in by_language.keys() {
            if Language::ALL.iter().any(|l| l.code() == code) {
                continue;
            }
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
                .with_source(self.source)
                .with_help(format!(
                    "write the words of each language under its code: `{}`",
                    self.wording.example
                )),
            );
        }
    }
}
