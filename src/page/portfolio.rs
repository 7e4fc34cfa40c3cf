//! What the E4 portfolio adds to the view: the checklist of the eight documents on the
//! portfolio's index page, the generated "Préparer l'oral" page (the jury's questions, each
//! linked to the pages that answer it), and every page's printed title block and running
//! header and footer (CSS paged media). Its words are here, in both languages, typed like
//! [`super::strings::UiStrings`]: a string missing in one language does not compile.

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::escape::escape;
use crate::language::Language;
use crate::output::Staging;
use crate::portfolio::{self, DocumentKind, Portfolio, QUESTIONS};
use crate::search::{SearchBlock, SearchDoc};
use crate::site::{Page, Site};

use super::View;
use super::context::Link;
use super::dates::date_label;
use super::generated::{Generated, write_generated_for};
use super::links::page_href;
use super::strings::UiStrings;

/// The words of the portfolio's pages and of the printed title block.
#[derive(Debug, Serialize)]
pub struct PortfolioStrings {
    /// The link to a page's printable view.
    pub printable: &'static str,
    /// The button of the printable view that opens the browser's print dialog.
    pub print_or_pdf: &'static str,
    /// The printable view's link back to the page.
    pub back_to_page: &'static str,
    /// The title block's label (for screen readers).
    pub title_block: &'static str,
    /// Title block: the document kind.
    pub document: &'static str,
    /// Title block: the version.
    pub version: &'static str,
    /// Title block: the authors.
    pub authors: &'static str,
    /// Title block: the organisation.
    pub organisation: &'static str,
    /// Title block: the date.
    pub date: &'static str,
    /// Running footer, before the version number.
    pub version_short: &'static str,
    /// The page numbers' word ("Page 2 / 5").
    pub page: &'static str,
    /// The checklist's heading.
    #[serde(skip)]
    pub checklist: &'static str,
    /// The checklist's column: the page.
    #[serde(skip)]
    pub page_column: &'static str,
    /// The checklist's column: the status.
    #[serde(skip)]
    pub status: &'static str,
    /// Status: the document is there.
    #[serde(skip)]
    pub present: &'static str,
    /// Status: the document is missing.
    #[serde(skip)]
    pub missing: &'static str,
    /// The "Préparer l'oral" page's title.
    #[serde(skip)]
    pub oral_title: &'static str,
    /// Its description.
    #[serde(skip)]
    pub oral_description: &'static str,
    /// Its introduction (`{answers}` stands for the front matter key, shown as code).
    #[serde(skip)]
    pub oral_intro: &'static str,
    /// "{n} of {total} questions have an answer", with `{n}` and `{total}` replaced.
    #[serde(skip)]
    pub oral_count: &'static str,
    /// Before the list of answering pages.
    #[serde(skip)]
    pub answered_by: &'static str,
    /// The mark of an unanswered question.
    #[serde(skip)]
    pub unanswered: &'static str,
    /// How to answer it (`{id}` replaced by the question's id).
    #[serde(skip)]
    pub unanswered_help: &'static str,
}

impl PortfolioStrings {
    /// The strings of `language`.
    pub fn of(language: Language) -> &'static PortfolioStrings {
        match language {
            Language::Fr => &FR,
            Language::En => &EN,
        }
    }
}

static FR: PortfolioStrings = PortfolioStrings {
    printable: "Version imprimable",
    print_or_pdf: "Imprimer ou enregistrer en PDF",
    back_to_page: "Retour à la page",
    title_block: "Cartouche du document",
    document: "Document",
    version: "Version",
    authors: "Auteurs",
    organisation: "Organisation",
    date: "Date",
    version_short: "Version",
    page: "Page",
    checklist: "Les huit documents",
    page_column: "Page",
    status: "État",
    present: "Présent",
    missing: "Manquant",
    oral_title: "Préparer l'oral",
    oral_description: "Les questions du jury de l'épreuve E4, chacune avec les pages du portfolio qui y répondent.",
    oral_intro: "Voici les questions que le jury peut poser à l'oral (la liste de l'énoncé, qui n'est pas exhaustive). Sous chacune, les pages qui y répondent : relisez-les avant l'épreuve. Une page déclare les questions auxquelles elle répond par la clé {answers} de son en-tête.",
    oral_count: "{n} questions sur {total} ont une réponse.",
    answered_by: "Réponse dans :",
    unanswered: "Sans réponse",
    unanswered_help: "ajoutez answers: [{id}] à l'en-tête de la page qui y répond.",
};

static EN: PortfolioStrings = PortfolioStrings {
    printable: "Printable version",
    print_or_pdf: "Print or save as PDF",
    back_to_page: "Back to the page",
    title_block: "Document title block",
    document: "Document",
    version: "Version",
    authors: "Authors",
    organisation: "Organisation",
    date: "Date",
    version_short: "Version",
    page: "Page",
    checklist: "The eight documents",
    page_column: "Page",
    status: "Status",
    present: "Present",
    missing: "Missing",
    oral_title: "Preparing the oral",
    oral_description: "The E4 jury's questions, each with the portfolio pages that answer it.",
    oral_intro: "These are the questions the jury may ask at the oral (the assignment's list, which is not exhaustive). Under each, the pages that answer it: read them again before the exam. A page declares the questions it answers with the {answers} key of its front matter.",
    oral_count: "{n} of {total} questions have an answer.",
    answered_by: "Answered in:",
    unanswered: "Unanswered",
    unanswered_help: "add answers: [{id}] to the front matter of the page that answers it.",
};

/// A page's printed title block, as templates see it (`page.print`).
#[derive(Debug, Clone, Serialize)]
pub(super) struct PrintBlock {
    /// The document kind's name, for a portfolio document.
    kind: Option<&'static str>,
    version: Option<String>,
    authors: Option<String>,
    organisation: Option<String>,
    date_label: Option<String>,
    /// Whether the page shows its "Version imprimable" link: portfolio pages and documents.
    printable_link: bool,
}

/// The title block of `page` (its document metadata, else the site's author), and the
/// `@page` rule that puts its title in the running header and its version in the footer.
pub(super) fn print_block(
    site: &Site,
    portfolio: Option<&Portfolio>,
    page: &Page,
) -> (PrintBlock, String) {
    let meta = portfolio::document_meta(site, portfolio, page);
    let authors = if meta.authors.is_empty() {
        site.config.author.clone()
    } else {
        Some(meta.authors.join(", "))
    };
    let date = page.front.updated.as_deref().or(page.front.date.as_deref());
    let block = PrintBlock {
        kind: meta.kind.map(|k| k.name(page.language)),
        version: meta.version.map(str::to_string),
        authors,
        organisation: meta.organisation.map(str::to_string),
        date_label: date.map(|d| date_label(d, page.language)),
        printable_link: meta.kind.is_some() || portfolio.is_some_and(|p| p.contains(page)),
    };
    let style = running_style(site, page.language, &page.title, &block);
    (block, style)
}

/// The title block and running texts of a generated page: its title, and the authors and
/// organisation of `owner` (a page of the portfolio) or else the site's author.
pub(super) fn generated_print_block(
    site: &Site,
    portfolio: Option<&Portfolio>,
    title: &str,
    owner: Option<&Page>,
) -> (PrintBlock, String) {
    let meta = owner.map(|page| portfolio::document_meta(site, portfolio, page));
    let authors = match &meta {
        Some(m) if !m.authors.is_empty() => Some(m.authors.join(", ")),
        _ => site.config.author.clone(),
    };
    let block = PrintBlock {
        kind: None,
        version: None,
        authors,
        organisation: meta.and_then(|m| m.organisation.map(str::to_string)),
        date_label: None,
        printable_link: false,
    };
    let style = running_style(site, site.config.language, title, &block);
    (block, style)
}

/// The `@page` margin boxes that depend on the page: the document's title at the top left,
/// its organisation (else the site's title) at the top right, its kind, version and date at
/// the bottom left. The
/// page numbers are the same for every page, in print.css.
fn running_style(site: &Site, language: Language, title: &str, block: &PrintBlock) -> String {
    let strings = PortfolioStrings::of(language);
    let top_right = block
        .organisation
        .as_deref()
        .unwrap_or(site.config.title.as_str());
    let mut bottom_left = Vec::new();
    if let Some(kind) = block.kind {
        bottom_left.push(kind.to_string());
    }
    if let Some(v) = &block.version {
        bottom_left.push(format!("{} {v}", strings.version_short));
    }
    if let Some(d) = &block.date_label {
        bottom_left.push(d.clone());
    }
    format!(
        "@page {{ @top-left {{ content: {}; }} @top-right {{ content: {}; }} @bottom-left {{ content: {}; }} @bottom-right {{ content: \"{} \" counter(page) \" / \" counter(pages); }} }}",
        css_string(title),
        css_string(top_right),
        css_string(&bottom_left.join(" · ")),
        strings.page
    )
}

/// `text` as a CSS string: quotes and backslashes escaped, line breaks as spaces, and `<`
/// escaped so that no text can close the `<style>` element it sits in.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The checklist of the eight documents shown on the portfolio's index page: each with its
/// page, status, version and date, then the link to "Préparer l'oral".
pub(super) fn checklist(view: &View, portfolio: &Portfolio, page: &Page) -> String {
    let site = view.site;
    let language = page.language;
    let s = PortfolioStrings::of(language);
    let mut html = format!(
        "<section class=\"portfolio-checklist\" aria-labelledby=\"les-huit-documents\">\n<h2 id=\"les-huit-documents\" class=\"listing-title\">{}</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        s.checklist, s.document, s.page_column, s.status, s.version, s.date
    );
    for kind in DocumentKind::ALL {
        let pages = portfolio
            .documents
            .get(&kind)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        html.push_str(&checklist_row(site, page, kind, pages, s));
    }
    html.push_str("</tbody>\n</table></div>\n");
    let answered = portfolio.answers.len();
    html.push_str(&format!(
        "<p class=\"portfolio-oral-link\"><a href=\"{}\">{}</a> — {}</p>\n</section>\n",
        page_href(&site.config, &page.url, &portfolio.oral_url(site)),
        s.oral_title,
        oral_count(s, answered)
    ));
    html
}

fn checklist_row(
    site: &Site,
    from: &Page,
    kind: DocumentKind,
    pages: &[usize],
    s: &PortfolioStrings,
) -> String {
    let name = escape(kind.name(from.language));
    let Some(&first) = pages.first() else {
        return format!(
            "<tr class=\"document-missing\"><th scope=\"row\">{name}</th><td>—</td><td><span class=\"status status-missing\">✗ {}</span></td><td>—</td><td>—</td></tr>\n",
            s.missing
        );
    };
    let links: Vec<String> = pages
        .iter()
        .map(|&i| {
            let p = &site.pages[i];
            format!(
                "<a href=\"{}\">{}</a>",
                page_href(&site.config, &from.url, &p.url),
                escape(&p.title)
            )
        })
        .collect();
    let p = &site.pages[first];
    let version = p
        .front
        .version
        .as_deref()
        .map(escape)
        .unwrap_or_else(|| "—".into());
    let date = p
        .front
        .updated
        .as_deref()
        .or(p.front.date.as_deref())
        .map(|d| {
            format!(
                "<time datetime=\"{}\">{}</time>",
                escape(d),
                escape(&date_label(d, from.language))
            )
        })
        .unwrap_or_else(|| "—".into());
    format!(
        "<tr class=\"document-present\"><th scope=\"row\">{name}</th><td>{}</td><td><span class=\"status status-present\">✓ {}</span></td><td>{version}</td><td>{date}</td></tr>\n",
        links.join("<br>"),
        s.present
    )
}

fn oral_count(s: &PortfolioStrings, answered: usize) -> String {
    s.oral_count
        .replace("{n}", &answered.to_string())
        .replace("{total}", &QUESTIONS.len().to_string())
}

/// Writes the "Préparer l'oral" page of the site's portfolio, if it has one; returns the
/// number of files written.
pub(crate) fn write_oral_page(view: &View, staging: &Staging) -> Result<usize, Diagnostic> {
    let site = view.site;
    let Some(portfolio) = &view.data.portfolio else {
        return Ok(0);
    };
    let language = site.pages[portfolio.index].language;
    let s = PortfolioStrings::of(language);
    let url = portfolio.oral_url(site);
    let index = &site.pages[portfolio.index];
    let g = Generated {
        url: url.clone(),
        title: s.oral_title,
        description: Some(s.oral_description),
        before_html: None,
        html: oral_html(site, portfolio, &url, language),
        breadcrumbs: vec![
            Link {
                title: UiStrings::of(language).home.to_string(),
                href: page_href(&site.config, &url, ""),
            },
            Link {
                title: index.title.clone(),
                href: page_href(&site.config, &url, &index.url),
            },
        ],
    };
    write_generated_for(view, staging, &g, Some(index))?;
    Ok(1)
}

/// The questions, each in the page's language with the other language's version under it,
/// and the pages that answer it (or the mark of an unanswered question).
fn oral_html(site: &Site, portfolio: &Portfolio, url: &str, language: Language) -> String {
    let s = PortfolioStrings::of(language);
    let other = other_language(language);
    let mut html = format!(
        "<p>{}</p>\n<p class=\"oral-count\"><strong>{}</strong></p>\n<ol class=\"oral-questions\">\n",
        escape(s.oral_intro).replace("{answers}", "<code>answers:</code>"),
        oral_count(s, portfolio.answers.len())
    );
    for q in QUESTIONS {
        let answers = portfolio
            .answers
            .get(q.id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let state = if answers.is_empty() {
            "unanswered"
        } else {
            "answered"
        };
        html.push_str(&format!(
            "<li class=\"oral-question oral-{state}\" id=\"{}\">\n<h2>{}</h2>\n<p class=\"oral-translation\" lang=\"{}\">{}</p>\n",
            q.id,
            escape(q.text(language)),
            other.code(),
            escape(q.text(other))
        ));
        if answers.is_empty() {
            html.push_str(&format!(
                "<p class=\"oral-missing\"><span class=\"status status-missing\">✗ {}</span> — {}</p>\n",
                s.unanswered,
                escape(&s.unanswered_help.replace("{id}", q.id))
            ));
        } else {
            html.push_str(&format!(
                "<p class=\"oral-answered-by\">{}</p>\n<ul>\n",
                s.answered_by
            ));
            for &i in answers {
                let p = &site.pages[i];
                let kind = portfolio::document_meta(site, Some(portfolio), p)
                    .kind
                    .map(|k| format!(" <span class=\"badge\">{}</span>", escape(k.name(language))))
                    .unwrap_or_default();
                html.push_str(&format!(
                    "<li><a href=\"{}\">{}</a>{kind}</li>\n",
                    page_href(&site.config, url, &p.url),
                    escape(&p.title)
                ));
            }
            html.push_str("</ul>\n");
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n");
    html
}

/// The questions' other language, shown under each question.
fn other_language(language: Language) -> Language {
    match language {
        Language::Fr => Language::En,
        Language::En => Language::Fr,
    }
}

/// The search document of the "Préparer l'oral" page: its questions in both languages.
pub(super) fn oral_document(site: &Site, portfolio: Option<&Portfolio>) -> Option<SearchDoc> {
    let portfolio = portfolio?;
    let index = &site.pages[portfolio.index];
    let language = index.language;
    let s = PortfolioStrings::of(language);
    let text: Vec<&str> = QUESTIONS
        .iter()
        .flat_map(|q| [q.text(language), q.text(other_language(language))])
        .collect();
    let section = index.title.clone();
    let mut facets = std::collections::BTreeMap::new();
    facets.insert("section".to_string(), vec![section.clone()]);
    facets.insert("language".to_string(), vec![language.code().to_string()]);
    Some(SearchDoc {
        url: portfolio.oral_url(site),
        title: s.oral_title.to_string(),
        language: language.code().to_string(),
        section,
        facets,
        blocks: vec![SearchBlock {
            text: format!("{} {}", s.oral_description, text.join(" ")),
            ..SearchBlock::default()
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_close_their_style_element_nor_their_quotes() {
        assert_eq!(
            css_string("Le \"SLA\" </style>\\\n"),
            "\"Le \\\"SLA\\\" \\3c /style\\3e \\\\ \""
        );
    }
}
