//! Is the portfolio complete? What the assignment asks for, checked on the pages' Markdown:
//! each of the eight documents, a life-cycle document with its diagram and a written
//! explanation, at least two ticket examples of different type or level, a KPI section, a
//! best-practices section, a topology with its IP plan, and an answer to each of the jury's
//! questions. Every gap is a warning that says where and how to fill it.

use std::collections::BTreeSet;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::Portfolio;
use super::documents::DocumentKind;
use super::questions::QUESTIONS;
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::markdown;
use crate::site::{Page, Site};

/// Fewer words than this under the life-cycle diagram is not an explanation.
pub(crate) const MIN_EXPLANATION_WORDS: usize = 80;

/// Words of a heading or a title that make it a KPI section (compared in lower case).
const KPI_WORDS: &[&str] = &["kpi", "indicateur", "indicator"];
/// Words of a heading or a title that make it a best-practices section.
const PRACTICE_WORDS: &[&str] = &[
    "bonnes pratiques",
    "bonne pratique",
    "best practice",
    "good practice",
];
/// Words of a table's header cell that make the table an IP plan.
const IP_PLAN_WORDS: &[&str] = &["adresse", "adressage", "address", "ip"];

/// Every warning about what `portfolio` lacks, in a stable order.
pub(super) fn check(site: &Site, portfolio: &Portfolio) -> Vec<Diagnostic> {
    let index = &site.pages[portfolio.index];
    let facts: Vec<(usize, PageFacts)> = portfolio
        .pages(site)
        .map(|(i, p)| (i, PageFacts::read(p)))
        .collect();
    let mut warnings = Vec::new();
    let at_kind = |message: String, help: String| warn_at(index, "kind", message, help);
    for kind in DocumentKind::ALL {
        if !portfolio.documents.contains_key(&kind) {
            warnings.push(at_kind(
                format!(
                    "the portfolio has no document \u{ab} {} \u{bb} (`document: {}`)",
                    kind.name(site.config.language),
                    kind.id()
                ),
                format!(
                    "write it, and add `document: {}` to its front matter",
                    kind.id()
                ),
            ));
        }
    }
    let of_kind = |kind: DocumentKind| -> Vec<(usize, &PageFacts)> {
        let pages = portfolio.documents.get(&kind).cloned().unwrap_or_default();
        facts
            .iter()
            .filter(|(i, _)| pages.contains(i))
            .map(|(i, f)| (*i, f))
            .collect()
    };
    warnings.extend(check_lifecycle(site, &of_kind(DocumentKind::CycleDeVie)));
    warnings.extend(check_topology(site, &of_kind(DocumentKind::Topologie)));
    if let Some(w) = check_ticket_examples(site, portfolio, &facts) {
        warnings.push(at_kind(w.0, w.1));
    }
    if !facts
        .iter()
        .any(|(i, f)| f.mentions(&site.pages[*i], KPI_WORDS) || f.has_fence("kpi"))
    {
        warnings.push(at_kind(
            "the portfolio has no section on key performance indicators (KPI)".into(),
            "add a heading with \u{ab} Indicateurs \u{bb} or \u{ab} KPI \u{bb} to a page of the portfolio, or a ```kpi dashboard``` block".into(),
        ));
    }
    if !facts
        .iter()
        .any(|(i, f)| f.mentions(&site.pages[*i], PRACTICE_WORDS))
    {
        warnings.push(at_kind(
            "the portfolio has no section on best practices".into(),
            "add a heading with \u{ab} Bonnes pratiques \u{bb} (knowledge base, documentation, communication with users) to a page of the portfolio".into(),
        ));
    }
    for q in QUESTIONS {
        if !portfolio.answers.contains_key(q.id) {
            warnings.push(at_kind(
                format!(
                    "the jury's question `{}` has no answer: \u{ab} {} \u{bb}",
                    q.id,
                    q.text(site.config.language)
                ),
                format!(
                    "add `answers: [{}]` to the front matter of the page that answers it",
                    q.id
                ),
            ));
        }
    }
    warnings
}

/// A warning at the value of `key` in `page`'s front matter.
fn warn_at(page: &Page, key: &str, message: String, help: String) -> Diagnostic {
    let pos = page.spans.at(key);
    Diagnostic::warning(&page.source.file, pos.line, pos.column, message)
        .with_source(&page.source.text)
        .with_help(help)
}

/// The life-cycle document has a diagram (a `logigramme` block or an image) and at least
/// [`MIN_EXPLANATION_WORDS`] words of prose, counted over all its pages.
fn check_lifecycle(site: &Site, pages: &[(usize, &PageFacts)]) -> Vec<Diagnostic> {
    let Some(&(first, _)) = pages.first() else {
        return Vec::new();
    };
    let page = &site.pages[first];
    let mut warnings = Vec::new();
    if !pages
        .iter()
        .any(|(_, f)| f.has_fence("logigramme") || f.images > 0)
    {
        warnings.push(warn_at(
            page,
            "document",
            "the life-cycle document has no diagram".into(),
            "draw the life cycle in workflows/ and show it with a ```logigramme ID``` block (or insert an image of it)".into(),
        ));
    }
    let words: usize = pages.iter().map(|(_, f)| f.prose_words).sum();
    if words < MIN_EXPLANATION_WORDS {
        warnings.push(warn_at(
            page,
            "document",
            format!("the life-cycle document explains its diagram in {words} words"),
            format!("explain each step in sentences (recording, categorisation, prioritisation, assignment, resolution, closure): at least {MIN_EXPLANATION_WORDS} words"),
        ));
    }
    warnings
}

/// The topology has an IP plan: a `topologie` block (which draws one) or a table with an
/// address column.
fn check_topology(site: &Site, pages: &[(usize, &PageFacts)]) -> Option<Diagnostic> {
    let &(first, _) = pages.first()?;
    let has_plan = pages.iter().any(|(_, f)| {
        f.has_fence("topologie")
            || f.table_headers.iter().any(|cell| {
                let cell = cell.to_lowercase();
                IP_PLAN_WORDS.iter().any(|w| {
                    cell.split(|c: char| !c.is_alphanumeric())
                        .any(|word| word == *w)
                })
            })
    });
    (!has_plan).then(|| {
        warn_at(
            &site.pages[first],
            "document",
            "the topology has no IP plan".into(),
            "describe the network in YAML and show it with a ```topologie reseau.yaml``` block (it draws the IP plan), or add a table with an \u{ab} Adresse IP \u{bb} column".into(),
        )
    })
}

/// The ticket write-ups the portfolio shows (linked from its pages, or inside its folder)
/// must include two of different type or level; returns the warning's message and help.
fn check_ticket_examples(
    site: &Site,
    portfolio: &Portfolio,
    facts: &[(usize, PageFacts)],
) -> Option<(String, String)> {
    let mut shown: BTreeSet<usize> = site
        .pages
        .iter()
        .filter(|p| p.ticket.is_some() && portfolio.contains(p) && !portfolio.dir.is_empty())
        .filter_map(|p| p.ticket)
        .collect();
    for (i, f) in facts {
        let from = &site.pages[*i].source.rel_path;
        for link in &f.links {
            let path = link.split('#').next().unwrap_or("");
            if path.is_empty() || path.contains(':') {
                continue;
            }
            if let Some(ticket) = content::resolve_relative(from, path)
                .and_then(|target| site.page(&target))
                .and_then(|p| p.ticket)
            {
                shown.insert(ticket);
            }
        }
    }
    let kinds: BTreeSet<(String, Option<String>)> = shown
        .iter()
        .map(|&t| {
            let ticket = &site.tickets[t];
            (format!("{:?}", ticket.kind), ticket.level.clone())
        })
        .collect();
    if kinds.len() >= 2 {
        return None;
    }
    Some((
        format!(
            "the portfolio shows {} ticket example(s): it needs at least two of different type or level",
            shown.len()
        ),
        "link from a portfolio page to two ticket write-ups or more, for example an incident solved at N1 and a request, or an incident escalated to N2".into(),
    ))
}

/// What the checks read from one page's Markdown.
#[derive(Debug, Default)]
struct PageFacts {
    /// The first word of each fenced block's info string (`logigramme`, `kpi`, `bash`).
    fences: Vec<String>,
    /// Images in the page.
    images: usize,
    /// Words of paragraphs and list items outside tables, quotes and code.
    prose_words: usize,
    /// Headings' texts.
    headings: Vec<String>,
    /// Header cells of every table.
    table_headers: Vec<String>,
    /// Link destinations as written.
    links: Vec<String>,
}

impl PageFacts {
    /// One pass over `page`'s Markdown.
    fn read(page: &Page) -> PageFacts {
        let mut facts = PageFacts::default();
        let (mut quote, mut table, mut code, mut in_head) = (0usize, false, false, false);
        let mut heading: Option<String> = None;
        let mut cell = String::new();
        // Prose is gathered before counting: smart punctuation splits a word like « d'un »
        // into several text events.
        let mut prose = String::new();
        for event in Parser::new_ext(page.source.body(), markdown::options()) {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    code = true;
                    if let CodeBlockKind::Fenced(info) = kind {
                        let first = info.split_whitespace().next().unwrap_or("");
                        facts.fences.push(first.to_string());
                    }
                }
                Event::End(TagEnd::CodeBlock) => code = false,
                Event::Start(Tag::BlockQuote(_)) => quote += 1,
                Event::End(TagEnd::BlockQuote(_)) => quote = quote.saturating_sub(1),
                Event::Start(Tag::Table(_)) => table = true,
                Event::End(TagEnd::Table) => table = false,
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::End(TagEnd::TableCell) if in_head => {
                    facts.table_headers.push(std::mem::take(&mut cell));
                }
                Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
                Event::End(TagEnd::Heading(_)) => facts.headings.extend(heading.take()),
                Event::Start(Tag::Image { .. }) => facts.images += 1,
                Event::Start(Tag::Link { dest_url, .. }) => facts.links.push(dest_url.to_string()),
                Event::Text(text) | Event::Code(text) => {
                    if let Some(h) = heading.as_mut() {
                        h.push_str(&text);
                    } else if in_head {
                        cell.push_str(&text);
                    } else if !code && !table && quote == 0 {
                        prose.push_str(&text);
                    }
                }
                Event::SoftBreak
                | Event::HardBreak
                | Event::End(TagEnd::Paragraph)
                | Event::End(TagEnd::Item) => prose.push(' '),
                _ => {}
            }
        }
        facts.prose_words = prose.split_whitespace().count();
        facts
    }

    fn has_fence(&self, name: &str) -> bool {
        self.fences.iter().any(|f| f == name)
    }

    /// Whether `page`'s title or one of its headings contains one of `words`.
    fn mentions(&self, page: &Page, words: &[&str]) -> bool {
        std::iter::once(&page.title)
            .chain(&self.headings)
            .map(|t| t.to_lowercase())
            .any(|t| {
                words.iter().any(|w| {
                    if w.contains(' ') {
                        t.contains(w)
                    } else {
                        t.split(|c: char| !c.is_alphanumeric())
                            .any(|word| word.starts_with(w))
                    }
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(body: &str) -> PageFacts {
        let source = content::split(
            std::path::Path::new("content/p.md"),
            "p.md",
            format!("---\ntitle: P\n---\n{body}"),
        )
        .unwrap();
        let (front, spans) = content::parse_front_matter(&source).unwrap();
        let page = Page {
            title: "P".into(),
            url: "p/".into(),
            section: String::new(),
            is_index: false,
            language: crate::language::Language::Fr,
            ticket: None,
            source,
            front,
            spans,
        };
        PageFacts::read(&page)
    }

    #[test]
    fn prose_words_leave_out_code_tables_and_quotes() {
        let f = facts(
            "Un deux trois d'un.\n\n- quatre cinq\n\n> [!TIP]\n> six sept huit\n\n| Adresse IP | Rôle |\n|---|---|\n| a | b |\n\n```logigramme incident\n```\n\n```bash\nneuf dix\n```\n",
        );
        assert_eq!(f.prose_words, 6);
        assert_eq!(f.fences, ["logigramme", "bash"]);
        assert_eq!(f.table_headers, ["Adresse IP", "Rôle"]);
    }
}
