//! What a template receives: the values every page shares (site, strings, navigation), and
//! the `page` and `section` objects of one page — breadcrumbs, neighbours, listings, dates.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use crate::content::{self, Audience};
use crate::language::Language;
use crate::markdown::{Rendered, TocEntry};
use crate::site::{Page, Site};

use super::View;
use super::dates::date_label;
use super::links::{index_file, page_href, root_prefix};
use super::nav::NavTree;
use super::strings::UiStrings;

/// A link as templates show it: a title and a relative href.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    /// The text to show.
    pub title: String,
    /// The relative URL.
    pub href: String,
}

/// The `page` object of a template.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PageContext<'a> {
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) html: &'a str,
    pub(super) toc: &'a [TocEntry],
    pub(super) url: &'a str,
    pub(super) date: Option<&'a str>,
    pub(super) date_label: Option<String>,
    pub(super) updated: Option<&'a str>,
    pub(super) updated_label: Option<String>,
    pub(super) tags: &'a [String],
    pub(super) category: Option<&'a str>,
    pub(super) audience: Option<&'static str>,
    pub(super) audience_label: Option<&'static str>,
    pub(super) section: &'a str,
    pub(super) breadcrumbs: Vec<Link>,
    pub(super) prev: Option<Link>,
    pub(super) next: Option<Link>,
    pub(super) before_html: Option<String>,
    pub(super) after_html: Option<String>,
    /// The front matter's `extra:` map, as written (empty for generated pages).
    pub(super) extra: &'a BTreeMap<String, serde_yaml::Value>,
    /// The printed title block (src/page/portfolio.rs).
    pub(super) print: Option<super::portfolio::PrintBlock>,
    /// On a translated site, for a page shown in another language than the site's: why.
    pub(super) notice: Option<String>,
    /// ` lang="fr"` on the title and text of a page written in another language than the
    /// site's (empty otherwise).
    pub(super) lang_attr: String,
}

/// The `extra` of pages without front matter.
static NO_EXTRA: BTreeMap<String, serde_yaml::Value> = BTreeMap::new();

impl<'a> PageContext<'a> {
    /// The context of a page made from data (no front matter, no section): only what
    /// the generated page gives is set.
    pub(super) fn generated(url: &'a str, title: &'a str, html: &'a str) -> Self {
        PageContext {
            title,
            description: None,
            html,
            toc: &[],
            url,
            date: None,
            date_label: None,
            updated: None,
            updated_label: None,
            tags: &[],
            category: None,
            audience: None,
            audience_label: None,
            section: "",
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            before_html: None,
            after_html: None,
            extra: &NO_EXTRA,
            print: None,
            notice: None,
            lang_attr: String::new(),
        }
    }
}

/// The `section` object of a template: its pages and subsections.
#[derive(Debug, Clone, Serialize, Default)]
pub(super) struct SectionContext {
    title: String,
    pages: Vec<ListedPage>,
    subsections: Vec<ListedPage>,
}

/// One entry of a listing: a section's pages and subsections, the home page's recent pages.
#[derive(Debug, Clone, Serialize)]
struct ListedPage {
    title: String,
    href: String,
    description: Option<String>,
    date: Option<String>,
    date_label: Option<String>,
}

fn audience_key(a: Audience) -> &'static str {
    match a {
        Audience::Utilisateurs => "utilisateurs",
        Audience::Techniciens => "techniciens",
        Audience::Portfolio => "portfolio",
    }
}

/// The context shared by all templates: site, root, strings, navigation.
pub(super) fn base_context(
    site: &Site,
    nav: &NavTree,
    url: &str,
    language: Language,
    root: &str,
) -> Context {
    let mut ctx = Context::new();
    ctx.insert_value("site", nav.shared.site.clone());
    ctx.insert("lang", language.code());
    ctx.insert_value("t", nav.shared.strings(language));
    ctx.insert("root", root);
    ctx.insert("index_file", index_file(&site.config));
    ctx.insert_value("nav", nav.value_for_page(&site.config, url));
    ctx.insert_value("scripts", nav.shared.scripts.clone());
    ctx.insert_value("extra_css", nav.shared.styles.clone());
    let translation = &site.translation;
    // Files every language shares (styles, scripts, the search index) sit at the output's
    // root, above a language's folder.
    ctx.insert(
        "site_root",
        &format!("{root}{}", translation.up_to_output_root()),
    );
    let rel = site
        .by_url
        .get(url)
        .map(|&i| site.pages[i].source.rel_path.as_str());
    let languages =
        translation.alternates(rel, url, index_file(&site.config), &site.config.base_url);
    let canonical = if site.config.base_url.is_empty() {
        None
    } else if let Some(original) = rel
        .filter(|rel| translation.written_in(rel).is_some())
        .and_then(|_| languages.iter().find(|l| l.translated))
    {
        // A page shown untranslated is the original's copy: search engines index the original.
        original.absolute.clone()
    } else {
        Some(format!("{}{url}", site.config.base_url))
    };
    ctx.insert("canonical", &canonical);
    // Search engines send readers of other languages to the default language's page.
    let x_default = languages
        .first()
        .filter(|l| l.translated)
        .map(|l| l.absolute.clone().unwrap_or_else(|| l.href.clone()));
    ctx.insert("x_default", &x_default);
    ctx.insert("languages", &languages);
    ctx
}

/// The HTML of one page of `content/`, its Markdown already rendered in `r`, as the bytes
/// of its file.
pub(crate) fn render_page(
    view: &View,
    page: &Page,
    r: &Rendered,
) -> Result<Vec<u8>, crate::diagnostics::Diagnostic> {
    let site = view.site;
    let mut ctx = base_context(
        site,
        view.nav,
        &page.url,
        page.language,
        &root_prefix(&page.url),
    );
    let strings = UiStrings::of(page.language);
    let (prev, next) = neighbours(site, page);
    let mut page_ctx = PageContext {
        title: &page.title,
        description: page.front.description.as_deref(),
        html: &r.html,
        toc: &r.toc,
        url: &page.url,
        date: page.front.date.as_deref(),
        date_label: page
            .front
            .date
            .as_deref()
            .map(|d| date_label(d, page.language)),
        updated: page.front.updated.as_deref(),
        updated_label: page
            .front
            .updated
            .as_deref()
            .map(|d| date_label(d, page.language)),
        tags: &page.front.tags,
        category: page.front.category.as_deref(),
        audience: page.front.audience.map(audience_key),
        audience_label: page.front.audience.map(|a| strings.audience_label(a)),
        section: &page.section,
        breadcrumbs: breadcrumbs(site, page),
        prev,
        next,
        before_html: None,
        after_html: None,
        extra: &page.front.extra,
        print: None,
        notice: site.translation.notice(&page.source.rel_path),
        lang_attr: site
            .translation
            .written_in(&page.source.rel_path)
            .map(|l| format!(" lang=\"{}\"", l.code()))
            .unwrap_or_default(),
    };
    let portfolio = view.data.portfolio.as_ref();
    let (print, print_style) = super::portfolio::print_block(site, portfolio, page);
    page_ctx.print = Some(print);
    ctx.insert("print_style", &print_style);
    ctx.insert_value("tp", view.nav.shared.portfolio_strings(page.language));
    let ticket_section = site.ticket_sections.contains(&page.section);
    if let Some(i) = page.ticket {
        let ticket = &site.tickets[i];
        page_ctx.before_html = Some(super::tickets::ticket_header(view, page, ticket));
        page_ctx.after_html = Some(super::tickets::ticket_footer(view, page, ticket));
    } else if page.is_index && ticket_section {
        page_ctx.after_html = Some(super::tickets::tickets_index(view, page));
    } else if let Some(p) = portfolio.filter(|p| site.pages[p.index].url == page.url) {
        page_ctx.after_html = Some(super::portfolio::checklist(view, p, page));
    }
    ctx.insert("page", &page_ctx);
    let section_dir = if page.is_index {
        Some(page.section.as_str())
    } else {
        None
    };
    let section_ctx = section_dir
        .and_then(|d| site.sections.get(d))
        .map(|s| section_context(site, &page.url, s, ticket_section));
    ctx.insert("section", &section_ctx.unwrap_or_default());
    if page.url.is_empty() {
        ctx.insert("recent", &recent_pages(site, &page.url, 5));
    }
    let template = match (&page.front.template, page.is_index, page.url.is_empty()) {
        (Some(t), _, _) => t.as_str(),
        (None, true, true) => "index.html",
        (None, true, false) => "section.html",
        (None, false, _) => "page.html",
    };
    // The page's own HTML and its frame (head, sidebar, footer: about 7 KB with 31 sidebar
    // entries).
    let expected = r.html.len() + 8 * 1024;
    view.templates.render_bytes(template, &ctx, expected)
}
/// The `section` object of the page at `from_url` listing section `s`: its pages (none for a
/// ticket section, which lists its tickets in a table instead of cards) and subsections.
pub(super) fn section_context(
    site: &Site,
    from_url: &str,
    s: &crate::site::Section,
    ticket_section: bool,
) -> SectionContext {
    SectionContext {
        title: s.title.clone(),
        pages: if ticket_section {
            Vec::new()
        } else {
            s.pages
                .iter()
                .map(|&i| listed(site, from_url, &site.pages[i]))
                .collect()
        },
        subsections: s
            .subsections
            .iter()
            .filter_map(|d| site.sections.get(d))
            .map(|sub| ListedPage {
                title: sub.title.clone(),
                href: page_href(&site.config, from_url, &sub.url),
                description: sub
                    .index
                    .and_then(|i| site.pages[i].front.description.clone()),
                date: None,
                date_label: None,
            })
            .collect(),
    }
}

fn listed(site: &Site, from_url: &str, p: &Page) -> ListedPage {
    ListedPage {
        title: p.title.clone(),
        href: page_href(&site.config, from_url, &p.url),
        description: p.front.description.clone(),
        date: p.front.updated.clone().or_else(|| p.front.date.clone()),
        date_label: p
            .front
            .updated
            .as_deref()
            .or(p.front.date.as_deref())
            .map(|d| date_label(d, p.language)),
    }
}

/// Pages with a date, most recent first (ties by URL, for determinism).
pub(super) fn dated_pages(site: &Site) -> Vec<&Page> {
    let mut pages: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| p.front.date.is_some() && !p.url.is_empty())
        .collect();
    pages.sort_by(|a, b| {
        let da = a.front.updated.as_ref().or(a.front.date.as_ref());
        let db = b.front.updated.as_ref().or(b.front.date.as_ref());
        db.cmp(&da).then_with(|| a.url.cmp(&b.url))
    });
    pages
}

fn recent_pages(site: &Site, from_url: &str, n: usize) -> Vec<ListedPage> {
    dated_pages(site)
        .into_iter()
        .take(n)
        .map(|p| listed(site, from_url, p))
        .collect()
}

fn breadcrumbs(site: &Site, page: &Page) -> Vec<Link> {
    if page.url.is_empty() {
        return Vec::new();
    }
    let strings = UiStrings::of(page.language);
    let mut crumbs = vec![Link {
        title: strings.home.to_string(),
        href: page_href(&site.config, &page.url, ""),
    }];
    let mut dirs = Vec::new();
    let mut dir = if page.is_index {
        content::section_of(&page.section)
    } else {
        page.section.clone()
    };
    while !dir.is_empty() {
        dirs.push(dir.clone());
        dir = content::section_of(&dir);
    }
    if page.is_index && page.section.is_empty() {
        return Vec::new();
    }
    for d in dirs.into_iter().rev() {
        if let Some(s) = site.sections.get(&d) {
            crumbs.push(Link {
                title: s.title.clone(),
                href: page_href(&site.config, &page.url, &s.url),
            });
        }
    }
    crumbs
}

/// A 64-bit hash of what the page at `index` shows of the other pages besides its own
/// listing: the sidebar and its previous/next links (titles and URLs). Two sites giving a page
/// the same key render its frame the same.
pub(crate) fn frame_key(site: &Site, nav: &NavTree, index: usize) -> u64 {
    use std::hash::{Hash, Hasher};
    let page = &site.pages[index];
    let mut hasher = std::hash::DefaultHasher::new();
    nav.hash_window(&page.url, &mut hasher);
    let section = site.sections.get(&page.section);
    if let Some((section, &pos)) = section
        .filter(|_| !page.is_index)
        .and_then(|s| Some((s, s.positions.get(&index)?)))
    {
        for neighbour in [pos.checked_sub(1), Some(pos + 1)] {
            match neighbour.and_then(|p| section.pages.get(p)) {
                Some(&i) => (true, &site.pages[i].title, &site.pages[i].url).hash(&mut hasher),
                None => false.hash(&mut hasher),
            }
        }
    }
    hasher.finish()
}

fn neighbours(site: &Site, page: &Page) -> (Option<Link>, Option<Link>) {
    if page.is_index {
        return (None, None);
    }
    let Some(section) = site.sections.get(&page.section) else {
        return (None, None);
    };
    let Some(pos) = site
        .by_url
        .get(&page.url)
        .and_then(|i| section.positions.get(i).copied())
    else {
        return (None, None);
    };
    let link = |i: usize| Link {
        title: site.pages[i].title.clone(),
        href: page_href(&site.config, &page.url, &site.pages[i].url),
    };
    let prev = pos.checked_sub(1).map(|p| link(section.pages[p]));
    let next = section.pages.get(pos + 1).map(|&i| link(i));
    (prev, next)
}
