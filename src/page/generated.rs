//! Pages and files generated from data rather than from a Markdown file: a page, an SVG and
//! a PNG per workflow under /logigrammes/, the KPI dashboard with its JSON and CSV, the
//! search page, the 404 page and (in folders.rs) the listings of folders without `_index.md`.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::data::{KPI_URL, SiteData, WORKFLOWS_URL};
use crate::diagnostics::Diagnostic;
use crate::diagram::{figure, png};
use crate::escape::escape;
use crate::output::Staging;
use crate::site::Site;
use crate::tickets;
use crate::workflow;

use super::View;
use super::context::{Link, PageContext, base_context};
use super::lifecycle::lifecycle_section;
use super::links::{page_href, root_prefix};
use super::nav::NavItem;
use super::self_service::{self_service_html, self_service_page};
use super::strings::UiStrings;
use super::workflows::{DiagramView, workflow_svg};

/// Writes every generated page and file; returns how many files were written.
pub(crate) fn write_all(
    view: &View,
    staging: &Staging,
    pngs: WorkflowPngs,
) -> Result<usize, Diagnostic> {
    let mut files = 0;
    files += write_workflows(view, staging, pngs)?;
    files += write_kpis(view, staging)?;
    files += write_search_page(view, staging)?;
    files += write_self_service_page(view, staging)?;
    files += write_not_found_page(view, staging)?;
    files += super::folders::write_folder_listings(view, staging)?;
    files += super::redirects::write_redirects(view.site, staging)?;
    files += super::portfolio::write_oral_page(view, staging)?;
    Ok(files)
}

/// A page without a Markdown source, rendered with page.html.
pub(super) struct Generated<'a> {
    pub(super) url: String,
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) before_html: Option<String>,
    pub(super) html: String,
    pub(super) breadcrumbs: Vec<Link>,
}

/// Renders `g` and writes it at its URL's index.html.
pub(super) fn write_generated(
    view: &View,
    staging: &Staging,
    g: &Generated,
) -> Result<(), Diagnostic> {
    write_generated_for(view, staging, g, None)
}

/// [`write_generated`], the printed title block taking its authors and organisation from
/// `owner` (the portfolio's page for "Préparer l'oral") instead of the site's author.
pub(super) fn write_generated_for(
    view: &View,
    staging: &Staging,
    g: &Generated,
    owner: Option<&crate::site::Page>,
) -> Result<(), Diagnostic> {
    let html = render_generated(view, g, owner)?;
    staging.write(&format!("{}index.html", g.url), html.as_bytes())
}

fn render_generated(
    view: &View,
    g: &Generated,
    owner: Option<&crate::site::Page>,
) -> Result<String, Diagnostic> {
    let site = view.site;
    let language = site.config.language;
    let mut ctx = base_context(site, view.nav, &g.url, language, &root_prefix(&g.url));
    let (print, print_style) =
        super::portfolio::generated_print_block(site, view.data.portfolio.as_ref(), g.title, owner);
    let page = PageContext {
        description: g.description,
        breadcrumbs: g.breadcrumbs.clone(),
        before_html: g.before_html.clone(),
        print: Some(print),
        ..PageContext::generated(&g.url, g.title, &g.html)
    };
    ctx.insert("page", &page);
    ctx.insert("print_style", &print_style);
    ctx.insert_value("tp", view.nav.shared.portfolio_strings(language));
    view.templates.render("page.html", &ctx)
}

/// The diagram of workflow `id` in the site's language, its links relative to `from_url`.
fn site_diagram(view: &View, id: &str, from_url: &str) -> String {
    let diagram = DiagramView {
        language: view.site.config.language,
        from_url,
        id_prefix: id,
        highlight: None,
    };
    // Only ids of the site's workflows are asked for, so the diagram exists.
    workflow_svg(view.site, view.data, id, &diagram).unwrap_or_default()
}

/// The PNG of each workflow page, by workflow id.
pub(crate) type WorkflowPngs = std::collections::BTreeMap<String, Result<Vec<u8>, Diagnostic>>;

/// Rasterises every workflow for its page's PNG download, one per core, unless an
/// `earlier` output folder holds the same picture. The build calls it
/// before rendering the pages: a picture's pixels take tens of megabytes for a moment, and
/// at that point the pages' rendering is not yet held in memory, which keeps the peak down.
pub(crate) fn workflow_pngs(site: &Site, data: &SiteData, earlier: &[PathBuf]) -> WorkflowPngs {
    data.workflows
        .par_iter()
        .map(|(id, wf)| {
            let diagram = DiagramView {
                language: site.config.language,
                from_url: WORKFLOWS_URL,
                id_prefix: id,
                highlight: None,
            };
            // Only ids of the site's workflows are asked for, so the diagram exists.
            let svg = workflow_svg(site, data, id, &diagram).unwrap_or_default();
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
    view: &View,
    staging: &Staging,
    mut pngs: WorkflowPngs,
) -> Result<usize, Diagnostic> {
    let (site, data) = (view.site, view.data);
    if data.workflows.is_empty() {
        return Ok(0);
    }
    let language = site.config.language;
    let strings = UiStrings::of(language);
    let section_title = strings.workflows;
    let download = strings.generated.download;
    let text_title = strings.generated.text_version;
    let home = Link {
        title: strings.home.to_string(),
        href: String::new(),
    };
    let mut files = 0;
    let mut listing = String::from("<ul class=\"cards\">\n");
    for (id, wf) in &data.workflows {
        let url = format!("{WORKFLOWS_URL}{id}/");
        // The standalone SVG sits in logigrammes/, so its links are relative to that folder.
        let file_svg = site_diagram(view, id, WORKFLOWS_URL);
        staging.write(&format!("{WORKFLOWS_URL}{id}.svg"), file_svg.as_bytes())?;
        let png = pngs
            .remove(id.as_str())
            .unwrap_or_else(|| Err(Diagnostic::file_error(&wf.path, "cannot render the PNG")))?;
        staging.write(&format!("{WORKFLOWS_URL}{id}.png"), &png)?;
        let inline = site_diagram(view, id, &url);
        let style = figure::scroll_attributes(&inline);
        let before = format!(
            "<figure class=\"diagram\"{style}>{inline}</figure>\n<p class=\"downloads\">{download} <a href=\"../{id}.svg\" download>SVG</a> · <a href=\"../{id}.png\" download>PNG</a></p>\n"
        );
        let subprocess_href =
            |other: &str| page_href(&site.config, &url, &format!("{WORKFLOWS_URL}{other}/"));
        let text = workflow::text::text_version_html_with(wf, language, &subprocess_href);
        let analytics = lifecycle_section(
            site,
            view.data,
            id,
            language,
            &url,
            &format!("{id}-parcours"),
        )
        .unwrap_or_default();
        let html = format!("{analytics}<h2 id=\"version-texte\">{text_title}</h2>\n{text}");
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
        write_generated(view, staging, &g)?;
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
        description: Some(strings.generated.workflows_description),
        before_html: None,
        html: listing,
        breadcrumbs: vec![Link {
            href: page_href(&site.config, WORKFLOWS_URL, ""),
            ..home
        }],
    };
    write_generated(view, staging, &g)?;
    Ok(files + 1)
}

fn write_kpis(view: &View, staging: &Staging) -> Result<usize, Diagnostic> {
    let site = view.site;
    let Some(kpis) = &view.data.kpis else {
        return Ok(0);
    };
    let language = site.config.language;
    staging.write("indicateurs.json", tickets::kpis_json(kpis).as_bytes())?;
    staging.write("indicateurs.csv", tickets::kpis_csv(kpis).as_bytes())?;
    let strings = UiStrings::of(language);
    let before = format!(
        "<p class=\"downloads\">{} <a href=\"../indicateurs.json\" download>JSON</a> · <a href=\"../indicateurs.csv\" download>CSV</a></p>\n",
        strings.generated.kpis_data
    );
    let g = Generated {
        url: KPI_URL.to_string(),
        title: strings.kpis,
        description: Some(strings.generated.kpis_description),
        before_html: Some(before),
        html: tickets::dashboard_html(kpis, language),
        breadcrumbs: vec![Link {
            title: strings.home.to_string(),
            href: page_href(&site.config, KPI_URL, ""),
        }],
    };
    write_generated(view, staging, &g)?;
    Ok(3)
}

/// The page the search form leads to without JavaScript, and with it (`search/?q=…`): the
/// script reads the query and shows the results in the page, in its `data-search-results`
/// slot (up to 50, where the header's panel shows 10).
fn write_search_page(view: &View, staging: &Staging) -> Result<usize, Diagnostic> {
    let url = "search/".to_string();
    let strings = UiStrings::of(view.site.config.language);
    let g = Generated {
        url: url.clone(),
        title: strings.generated.search_title,
        description: None,
        before_html: None,
        html: format!(
            "<p>{}</p>\n<div class=\"search-page-results\" data-search-results></div>\n<noscript><p class=\"callout callout-note\">{}</p></noscript>\n",
            strings.generated.search_text, strings.generated.search_noscript
        ),
        breadcrumbs: vec![Link {
            title: strings.home.to_string(),
            href: page_href(&view.site.config, &url, ""),
        }],
    };
    write_generated(view, staging, &g)?;
    Ok(1)
}

/// "Avant de créer un ticket" (`self_service:` in guichet.yaml): the self-service block
/// alone on its page.
fn write_self_service_page(view: &View, staging: &Staging) -> Result<usize, Diagnostic> {
    let site = view.site;
    let Some(page) = self_service_page(site) else {
        return Ok(0);
    };
    let strings = UiStrings::of(site.config.language);
    let g = Generated {
        url: page.url.clone(),
        title: &page.title,
        description: None,
        before_html: None,
        html: self_service_html(
            &site.config,
            &page.url,
            site.config.language,
            "self-service",
        ),
        breadcrumbs: vec![Link {
            title: strings.home.to_string(),
            href: page_href(&site.config, &page.url, ""),
        }],
    };
    write_generated(view, staging, &g)?;
    Ok(1)
}

/// 404.html, served for any missing URL: its links cannot be relative to where it sits.
fn write_not_found_page(view: &View, staging: &Staging) -> Result<usize, Diagnostic> {
    let site = view.site;
    // A server has one 404 page: the default language's.
    if !site.translation.is_default() {
        return Ok(0);
    }
    let root_404 = if site.config.base_url.is_empty() {
        "/".to_string()
    } else {
        site.config.base_path()
    };
    let mut ctx = base_context(site, view.nav, "", site.config.language, &root_404);
    let nav_404: Vec<NavItem> = view
        .nav
        .for_page(&site.config, "")
        .into_iter()
        .map(|mut item| {
            item.href = format!("{root_404}{}", item.href.trim_start_matches("./"));
            item
        })
        .collect();
    ctx.insert("nav", &nav_404);
    // Served for any missing URL, the 404 page cannot link relatively to a translation.
    ctx.insert("languages", &Vec::<crate::translation::Alternate>::new());
    // A missing URL has no canonical page; pointing at the home page would misname it.
    ctx.insert("canonical", &None::<String>);
    let no_page: Option<()> = None;
    ctx.insert("page", &no_page);
    staging.write(
        "404.html",
        view.templates.render("404.html", &ctx)?.as_bytes(),
    )?;
    Ok(1)
}
