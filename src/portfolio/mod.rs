//! The E4 portfolio: a section whose `_index.md` says `kind: portfolio` (the root's
//! `content/_index.md` for a whole-site portfolio) holds a BTS SIO student's documents.
//!
//! Runs in the validate stage, after [`crate::site::load`]: [`load`] checks every page's
//! `document:` and `answers:` values (errors), finds the portfolio, records which page is
//! which of the eight documents and which pages answer which of the jury's questions, and
//! checks the portfolio for completeness ([`completeness`]: warnings, kept apart so that
//! `build` prints them and `guichet check` reports them under its `portfolio` rule).

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::site::{Page, Site};

mod completeness;
pub mod documents;
pub mod questions;

pub use documents::DocumentKind;
pub use questions::{QUESTIONS, Question};

/// The name of `guichet check`'s rule (and of guichet.yaml's `check:` switch) for what a
/// portfolio lacks.
pub const RULE: &str = "portfolio";

/// Where the generated "Préparer l'oral" page sits, relative to the portfolio section's URL.
pub const ORAL_SLUG: &str = "oral/";

/// The site's portfolio, as the view layer and `check` read it.
#[derive(Debug, Clone)]
pub struct Portfolio {
    /// The section folder (relative to content/; empty for a whole-site portfolio).
    pub dir: String,
    /// Index into `site.pages` of the section's `_index.md`.
    pub index: usize,
    /// Each document kind → the portfolio pages that declare it, in page order.
    pub documents: BTreeMap<DocumentKind, Vec<usize>>,
    /// Each question id → the pages (anywhere in the site) that answer it, in page order.
    pub answers: BTreeMap<&'static str, Vec<usize>>,
    /// What the portfolio lacks: one warning per missing document, unanswered question or
    /// missing part.
    pub warnings: Vec<Diagnostic>,
}

impl Portfolio {
    /// The URL of the "Préparer l'oral" page.
    pub fn oral_url(&self, site: &Site) -> String {
        format!("{}{ORAL_SLUG}", site.pages[self.index].url)
    }

    /// Whether `page` belongs to the portfolio (its section or one below it).
    pub fn contains(&self, page: &Page) -> bool {
        self.dir.is_empty()
            || page.section == self.dir
            || page.section.starts_with(&format!("{}/", self.dir))
    }

    /// The pages of the portfolio, in page order (its `_index.md` included).
    pub fn pages<'a>(&'a self, site: &'a Site) -> impl Iterator<Item = (usize, &'a Page)> + 'a {
        site.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.ticket.is_none() && self.contains(p))
    }
}

/// The document metadata of a page, its `authors` and `organisation` taken from the
/// portfolio's `_index.md` when the page does not set them.
#[derive(Debug, Clone, Default)]
pub struct DocumentMeta<'a> {
    /// Which document the page is.
    pub kind: Option<DocumentKind>,
    /// Its version.
    pub version: Option<&'a str>,
    /// Who wrote it.
    pub authors: &'a [String],
    /// For whom.
    pub organisation: Option<&'a str>,
}

/// `page`'s document metadata (see [`DocumentMeta`]).
pub fn document_meta<'a>(
    site: &'a Site,
    portfolio: Option<&Portfolio>,
    page: &'a Page,
) -> DocumentMeta<'a> {
    let index = portfolio
        .filter(|p| p.contains(page))
        .map(|p| &site.pages[p.index].front);
    let front = &page.front;
    DocumentMeta {
        kind: front.document.as_deref().and_then(DocumentKind::parse),
        version: front.version.as_deref(),
        authors: if front.authors.is_empty() {
            index.map(|f| f.authors.as_slice()).unwrap_or(&[])
        } else {
            &front.authors
        },
        organisation: front
            .organisation
            .as_deref()
            .or_else(|| index.and_then(|f| f.organisation.as_deref())),
    }
}

/// Checks every page's `document:` and `answers:` and reads the portfolio, if the site has
/// one. Returns it with the errors found (values no document or question has, a second
/// portfolio, a page at the URL of the generated "Préparer l'oral" page).
pub(crate) fn load(site: &Site) -> (Option<Portfolio>, Vec<Diagnostic>) {
    let mut errors: Vec<Diagnostic> = site.pages.iter().flat_map(check_values).collect();
    let mut found = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_index && p.front.kind.as_deref() == Some("portfolio"));
    let Some((index, _)) = found.next() else {
        return (None, errors);
    };
    let first = &site.pages[index].source.file;
    for (_, other) in found {
        let pos = other.spans.at("kind");
        errors.push(
            Diagnostic::error(
                &other.source.file,
                pos.line,
                pos.column,
                format!(
                    "a site has one portfolio, and {} already says `kind: portfolio`",
                    first.display()
                ),
            )
            .with_source(&other.source.text)
            .with_help("remove `kind: portfolio` from one of the two `_index.md` files"),
        );
    }
    let mut portfolio = Portfolio {
        dir: site.pages[index].section.clone(),
        index,
        documents: BTreeMap::new(),
        answers: BTreeMap::new(),
        warnings: Vec::new(),
    };
    let oral = portfolio.oral_url(site);
    if let Some(&clash) = site.by_url.get(&oral) {
        let page = &site.pages[clash];
        errors.push(
            Diagnostic::error(
                &page.source.file,
                1,
                1,
                format!("this page has the URL /{oral}, where guichet writes the portfolio's \"Préparer l'oral\" page"),
            )
            .with_help("rename the file"),
        );
    }
    let declared: Vec<(DocumentKind, usize)> = portfolio
        .pages(site)
        .filter_map(|(i, page)| {
            let kind = page
                .front
                .document
                .as_deref()
                .and_then(DocumentKind::parse)?;
            Some((kind, i))
        })
        .collect();
    for (kind, i) in declared {
        portfolio.documents.entry(kind).or_default().push(i);
    }
    for (i, page) in site.pages.iter().enumerate() {
        for id in &page.front.answers {
            if let Some(q) = Question::find(id) {
                let pages = portfolio.answers.entry(q.id).or_default();
                if pages.last() != Some(&i) {
                    pages.push(i);
                }
            }
        }
    }
    // The portfolio's own pages first, in their reading order (weight, then title).
    for pages in portfolio.answers.values_mut() {
        pages.sort_by_key(|&i| {
            let p = &site.pages[i];
            let outside = !(p.section == portfolio.dir
                || portfolio.dir.is_empty()
                || p.section.starts_with(&format!("{}/", portfolio.dir)));
            (
                outside,
                !p.is_index,
                p.front.weight.unwrap_or(i64::MAX),
                p.title.clone(),
            )
        });
    }
    portfolio.warnings = completeness::check(site, &portfolio);
    (Some(portfolio), errors)
}

/// Errors for a `document:` or an `answers:` item that names nothing known.
fn check_values(page: &Page) -> Vec<Diagnostic> {
    let error_at = |path: &str, message: String, help: String| {
        let pos = page.spans.at(path);
        Diagnostic::error(&page.source.file, pos.line, pos.column, message)
            .with_source(&page.source.text)
            .with_help(help)
    };
    let mut errors = Vec::new();
    if let Some(value) = page.front.document.as_deref()
        && DocumentKind::parse(value).is_none()
    {
        errors.push(error_at(
            "document",
            format!("unknown document `{value}`"),
            format!(
                "a portfolio document is one of: {}",
                DocumentKind::accepted_values()
            ),
        ));
    }
    for (i, id) in page.front.answers.iter().enumerate() {
        if Question::find(id).is_none() {
            errors.push(error_at(
                &format!("answers.{i}"),
                format!("unknown jury question `{id}`"),
                format!("the questions' ids are: {}", questions::ids()),
            ));
        }
    }
    errors
}
