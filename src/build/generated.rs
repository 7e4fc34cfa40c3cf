//! Pages and files generated from data rather than from a Markdown file: a page, an SVG and
//! a PNG per workflow under /logigrammes/, and the KPI dashboard with its JSON and CSV.

use crate::config::Language;
use crate::diagnostics::Diagnostic;
use crate::diagram::png;
use crate::escape::escape;
use crate::output::Staging;
use crate::render::{Link, Templates};
use crate::site::{Site, root_prefix};
use crate::tickets;
use crate::workflow;
use rayon::prelude::*;
use std::path::PathBuf;

use super::data::{KPI_URL, SiteData, WORKFLOWS_URL, lang};
use super::{NavTree, PageContext, base_context, page_href};

/// Writes every generated page and file; returns how many files were written.
pub(super) fn write_all(
    site: &Site,
    data: &SiteData,
    templates: &Templates,
    nav: &NavTree,
    staging: &Staging,
    pngs: WorkflowPngs,
) -> Result<usize, Diagnostic> {
    let mut files = 0;
    files += write_workflows(site, data, templates, nav, staging, pngs)?;
    files += write_kpis(site, data, templates, nav, staging)?;
    files += write_search_page(site, templates, nav, staging)?;
    Ok(files)
}

/// A page without a Markdown source, rendered with page.html.
struct Generated<'a> {
    url: String,
    title: &'a str,
    description: Option<&'a str>,
    before_html: Option<String>,
    html: String,
    breadcrumbs: Vec<Link>,
}

fn render_generated(
    site: &Site,
    templates: &Templates,
    nav: &NavTree,
    g: &Generated,
) -> Result<String, Diagnostic> {
    let language = site.config.language;
    let mut ctx = base_context(site, nav, &g.url, language, &root_prefix(&g.url));
    let page = PageContext {
        title: g.title,
        description: g.description,
        html: &g.html,
        toc: &[],
        url: &g.url,
        date: None,
        date_label: None,
        updated: None,
        updated_label: None,
        tags: &[],
        category: None,
        audience: None,
        audience_label: None,
        section: "",
        breadcrumbs: g.breadcrumbs.clone(),
        prev: None,
        next: None,
        before_html: g.before_html.clone(),
        after_html: None,
    };
    ctx.insert("page", &page);
    templates.render("page.html", &ctx)
}

fn strings(language: Language) -> (&'static str, &'static str, &'static str, &'static str) {
    let title = crate::render::ui_strings(language)["workflows"];
    match language {
        Language::Fr => (
            title,
            "Télécharger :",
            "Version texte",
            "Les cycles de vie des tickets, dessinés selon la norme ISO 5807.",
        ),
        Language::En => (
            title,
            "Download:",
            "Text version",
            "Ticket lifecycles, drawn to the ISO 5807 standard.",
        ),
    }
}

/// The PNG of each workflow page, by workflow id.
pub(super) type WorkflowPngs = std::collections::BTreeMap<String, Result<Vec<u8>, Diagnostic>>;

/// Rasterises every workflow for its page's PNG download, one per core, unless an
/// `earlier` output folder holds the same picture. The build calls it
/// before rendering the pages: a picture's pixels take tens of megabytes for a moment, and
/// at that point the pages' rendering is not yet held in memory, which keeps the peak down.
pub(super) fn workflow_pngs(site: &Site, data: &SiteData, earlier: &[PathBuf]) -> WorkflowPngs {
    let language = site.config.language;
    data.workflows
        .par_iter()
        .map(|(id, wf)| {
            let svg = data
                .workflow_svg(site, id, language, WORKFLOWS_URL, id, None)
                .unwrap_or_default();
            let file = format!("{WORKFLOWS_URL}{id}.png");
            let earlier_files = earlier.iter().map(|dir| dir.join(&file));
            let png = png::to_png_or_earlier(&svg, 2.0, earlier_files).map_err(|e| {
                Diagnostic::file_error(&wf.path, format!("cannot render the PNG: {e:?}"))
            });
            (id.clone(), png)
        })
        .collect()
}

fn write_workflows(
    site: &Site,
    data: &SiteData,
    templates: &Templates,
    nav: &NavTree,
    staging: &Staging,
    mut pngs: WorkflowPngs,
) -> Result<usize, Diagnostic> {
    if data.workflows.is_empty() {
        return Ok(0);
    }
    let language = site.config.language;
    let (section_title, download, text_title, section_description) = strings(language);
    let home = Link {
        title: crate::render::ui_strings(language)["home"].to_string(),
        href: String::new(),
    };
    let mut files = 0;
    let mut listing = String::from("<ul class=\"cards\">\n");
    for (id, wf) in &data.workflows {
        let url = format!("{WORKFLOWS_URL}{id}/");
        // The standalone SVG sits in logigrammes/, so its links are relative to that folder.
        let file_svg = data
            .workflow_svg(site, id, language, WORKFLOWS_URL, id, None)
            .unwrap_or_default();
        staging.write(&format!("{WORKFLOWS_URL}{id}.svg"), file_svg.as_bytes())?;
        let png = pngs
            .remove(id.as_str())
            .unwrap_or_else(|| Err(Diagnostic::file_error(&wf.path, "cannot render the PNG")))?;
        staging.write(&format!("{WORKFLOWS_URL}{id}.png"), &png)?;
        let inline = data
            .workflow_svg(site, id, language, &url, id, None)
            .unwrap_or_default();
        let before = format!(
            "<figure class=\"diagram\">{inline}</figure>\n<p class=\"downloads\">{download} <a href=\"../{id}.svg\" download>SVG</a> · <a href=\"../{id}.png\" download>PNG</a></p>\n"
        );
        let subprocess_href =
            |other: &str| page_href(&site.config, &url, &format!("{WORKFLOWS_URL}{other}/"));
        let text = workflow::text::text_version_html_with(wf, lang(language), &subprocess_href);
        let html = format!("<h2 id=\"version-texte\">{text_title}</h2>\n{text}");
        let section_link = Link {
            title: section_title.to_string(),
            href: page_href(&site.config, &url, WORKFLOWS_URL),
        };
        let g = Generated {
            url: url.clone(),
            title: &wf.title,
            description: wf.description.as_deref(),
            before_html: Some(before),
            html,
            breadcrumbs: vec![
                Link {
                    href: page_href(&site.config, &url, ""),
                    ..home.clone()
                },
                section_link,
            ],
        };
        staging.write(
            &format!("{url}index.html"),
            render_generated(site, templates, nav, &g)?.as_bytes(),
        )?;
        files += 3;
        listing.push_str(&format!(
            "<li class=\"card\"><a href=\"{}\"><strong>{}</strong>{}</a></li>\n",
            page_href(&site.config, WORKFLOWS_URL, &url),
            escape(&wf.title),
            wf.description
                .as_deref()
                .map(|d| format!("<span>{}</span>", escape(d)))
                .unwrap_or_default()
        ));
    }
    listing.push_str("</ul>\n");
    let g = Generated {
        url: WORKFLOWS_URL.to_string(),
        title: section_title,
        description: Some(section_description),
        before_html: None,
        html: listing,
        breadcrumbs: vec![Link {
            href: page_href(&site.config, WORKFLOWS_URL, ""),
            ..home
        }],
    };
    staging.write(
        &format!("{WORKFLOWS_URL}index.html"),
        render_generated(site, templates, nav, &g)?.as_bytes(),
    )?;
    Ok(files + 1)
}

fn write_kpis(
    site: &Site,
    data: &SiteData,
    templates: &Templates,
    nav: &NavTree,
    staging: &Staging,
) -> Result<usize, Diagnostic> {
    let Some(kpis) = &data.kpis else { return Ok(0) };
    let language = site.config.language;
    staging.write("indicateurs.json", tickets::kpis_json(kpis).as_bytes())?;
    staging.write("indicateurs.csv", tickets::kpis_csv(kpis).as_bytes())?;
    let title = crate::render::ui_strings(language)["kpis"];
    let (description, data_label) = match language {
        Language::Fr => (
            "Les indicateurs du centre de services, calculés à la construction du site à partir des fiches de tickets.",
            "Données :",
        ),
        Language::En => (
            "The service desk's KPIs, computed at build time from the ticket write-ups.",
            "Data:",
        ),
    };
    let home = crate::render::ui_strings(language)["home"].to_string();
    let before = format!(
        "<p class=\"downloads\">{data_label} <a href=\"../indicateurs.json\" download>JSON</a> · <a href=\"../indicateurs.csv\" download>CSV</a></p>\n"
    );
    let g = Generated {
        url: KPI_URL.to_string(),
        title,
        description: Some(description),
        before_html: Some(before),
        html: tickets::dashboard_html(kpis, language),
        breadcrumbs: vec![Link {
            title: home,
            href: page_href(&site.config, KPI_URL, ""),
        }],
    };
    staging.write(
        &format!("{KPI_URL}index.html"),
        render_generated(site, templates, nav, &g)?.as_bytes(),
    )?;
    Ok(3)
}

/// The page the search form leads to without JavaScript, and with it (`search/?q=…`): the
/// script reads the query and shows the results in the page, in its `data-search-results`
/// slot (up to 50, where the header's panel shows 10).
fn write_search_page(
    site: &Site,
    templates: &Templates,
    nav: &NavTree,
    staging: &Staging,
) -> Result<usize, Diagnostic> {
    let url = "search/".to_string();
    let (title, text, noscript) = match site.config.language {
        Language::Fr => (
            "Recherche",
            "Tapez vos mots dans la zone de recherche en haut de la page : les résultats s'affichent ici pendant la frappe. Raccourci : la touche /.",
            "La recherche a besoin de JavaScript. Sans lui, parcourez les rubriques du menu.",
        ),
        Language::En => (
            "Search",
            "Type your words in the search box at the top of the page: results show here as you type. Shortcut: the / key.",
            "Search needs JavaScript. Without it, browse the sections of the menu.",
        ),
    };
    let home = crate::render::ui_strings(site.config.language)["home"].to_string();
    let g = Generated {
        url: url.clone(),
        title,
        description: None,
        before_html: None,
        html: format!(
            "<p>{text}</p>\n<div class=\"search-page-results\" data-search-results></div>\n<noscript><p class=\"callout callout-note\">{noscript}</p></noscript>\n"
        ),
        breadcrumbs: vec![Link {
            title: home,
            href: page_href(&site.config, &url, ""),
        }],
    };
    staging.write(
        &format!("{url}index.html"),
        render_generated(site, templates, nav, &g)?.as_bytes(),
    )?;
    Ok(1)
}
