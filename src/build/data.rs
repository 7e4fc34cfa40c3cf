//! The site's data besides its pages: workflows (logigrammes), tickets and KPIs. Loaded and
//! checked once per build, then read by the embeds and by the generated pages.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::config::Language;
use crate::diagnostics::Diagnostic;
use crate::diagram::Lang;
use crate::site::{Page, Site};
use crate::tickets::{self, Kpis, Ticket, TicketSettings};
use crate::workflow::{self, Diagram, SvgOptions, Workflow};

/// The folder of workflow files, relative to the site root.
pub const WORKFLOWS_DIR: &str = "workflows";
/// The URL folder of workflow pages and files.
pub const WORKFLOWS_URL: &str = "logigrammes/";
/// The URL of the KPI dashboard.
pub const KPI_URL: &str = "indicateurs/";

/// Workflows with their laid-out diagrams, tickets' derived data and KPIs.
pub struct SiteData {
    /// Workflows by id.
    pub workflows: BTreeMap<String, Workflow>,
    diagrams: BTreeMap<(String, Language), Diagram>,
    /// The ticket settings of guichet.yaml.
    pub settings: TicketSettings,
    /// KPIs over the published tickets; `None` when the site has no ticket.
    pub kpis: Option<Kpis>,
    related: BTreeMap<u64, Vec<u64>>,
    similar: BTreeMap<String, Vec<(String, f64)>>,
    /// Ticket id → its index in `site.tickets` and the URL of its page, so links between
    /// tickets cost a lookup, not a scan.
    tickets_by_id: HashMap<u64, (usize, String)>,
    /// Lifecycle figures of ticket pages, by what they depend on: most tickets followed one
    /// of a few paths, so thousands of pages share a handful of figures.
    lifecycle_figures: Mutex<HashMap<LifecycleKey, Arc<str>>>,
}

/// What a ticket page's lifecycle figure depends on: workflow, language, highlighted path and
/// the folder of the page (its links are relative).
type LifecycleKey = (String, Language, Vec<String>, String);

/// The diagram language of a page language.
pub fn lang(language: Language) -> Lang {
    match language {
        Language::Fr => Lang::Fr,
        Language::En => Lang::En,
    }
}

impl SiteData {
    /// Loads workflows/ and checks tickets against them; returns every problem found.
    pub fn load(site: &Site) -> (SiteData, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let dir = site.root.join(WORKFLOWS_DIR);
        let workflows: BTreeMap<String, Workflow> = if dir.is_dir() {
            let page_exists = |link: &str| site.by_path.contains_key(link.trim_start_matches('/'));
            match workflow::load_dir(&dir, &page_exists) {
                Ok(list) => list.into_iter().map(|w| (w.id.clone(), w)).collect(),
                Err(mut e) => {
                    for d in &mut e {
                        d.path = relative_to(&site.root, &d.path);
                    }
                    diagnostics.append(&mut e);
                    BTreeMap::new()
                }
            }
        } else {
            BTreeMap::new()
        };
        let mut languages: Vec<Language> = site.pages.iter().map(|p| p.language).collect();
        languages.push(site.config.language);
        languages.sort();
        languages.dedup();
        let diagrams = workflows
            .values()
            .flat_map(|w| {
                languages
                    .iter()
                    .map(move |&l| ((w.id.clone(), l), workflow::layout(w, lang(l))))
            })
            .collect();
        let settings = site.config.ticket_settings();
        let follows = |wf: &str, from: &str, to: &str| -> Option<bool> {
            let w = workflows.get(wf)?;
            if from.is_empty() && to.is_empty() {
                return Some(true);
            }
            Some(w.successors(from).contains(&to))
        };
        diagnostics.extend(tickets::validate_all(&site.tickets, &settings, &follows));
        let kpis = if site.tickets.is_empty() {
            None
        } else {
            Some(tickets::compute_kpis(&site.tickets, &settings))
        };
        let related = tickets::related_both_ways(&site.tickets);
        let similar = tickets::similar_tickets(&site.tickets);
        let tickets_by_id = site
            .pages
            .iter()
            .filter_map(|p| p.ticket.map(|i| (site.tickets[i].id, (i, p.url.clone()))))
            .collect();
        (
            SiteData {
                tickets_by_id,
                lifecycle_figures: Mutex::new(HashMap::new()),
                workflows,
                diagrams,
                settings,
                kpis,
                related,
                similar,
            },
            diagnostics,
        )
    }

    /// The SVG of workflow `id` as seen from the page at `from_url`, or `None` when unknown.
    pub fn workflow_svg(
        &self,
        site: &Site,
        id: &str,
        language: Language,
        from_url: &str,
        id_prefix: &str,
        highlight: Option<&[String]>,
    ) -> Option<String> {
        let diagram = self
            .diagrams
            .get(&(id.to_string(), language))
            .or_else(|| self.diagrams.get(&(id.to_string(), site.config.language)))?;
        let subprocess_href = |other: &str| {
            super::page_href(&site.config, from_url, &format!("{WORKFLOWS_URL}{other}/"))
        };
        let page_href = |link: &str| {
            let rel = link.trim_start_matches('/');
            site.page(rel)
                .map(|p| super::page_href(&site.config, from_url, &p.url))
                .unwrap_or_default()
        };
        Some(workflow::to_svg(
            diagram,
            &SvgOptions {
                id_prefix,
                subprocess_href: &subprocess_href,
                page_href: Some(&page_href),
                highlight,
            },
        ))
    }

    /// The figure embedding workflow `id` in a page, with a link to its own page.
    pub fn workflow_figure(
        &self,
        site: &Site,
        id: &str,
        language: Language,
        from_url: &str,
        id_prefix: &str,
        highlight: Option<&[String]>,
    ) -> Option<String> {
        let wf = self.workflows.get(id)?;
        let svg = self.workflow_svg(site, id, language, from_url, id_prefix, highlight)?;
        let href = super::page_href(&site.config, from_url, &format!("{WORKFLOWS_URL}{id}/"));
        let more = if language == Language::En {
            "Full page, PNG and text version"
        } else {
            "Page du logigramme, PNG et version texte"
        };
        Some(format!(
            "<figure class=\"diagram\">{svg}<figcaption>{} — <a href=\"{href}\">{more}</a></figcaption></figure>\n",
            crate::escape::escape(&wf.title)
        ))
    }

    /// What a ticket page shows above its write-up: the header card and its lifecycle
    /// diagram with the ticket's path highlighted.
    pub fn ticket_header(&self, site: &Site, page: &Page, ticket: &Ticket) -> String {
        let Some(kpis) = &self.kpis else {
            return String::new();
        };
        let mut html = tickets::ticket_card_html(ticket, &self.settings, kpis, page.language);
        if let Some(wf) = &ticket.workflow
            && let Some(figure) = self.lifecycle_figure(site, page, wf, &ticket.path)
        {
            let title = if page.language == Language::En {
                "Lifecycle followed"
            } else {
                "Cycle de vie suivi"
            };
            html.push_str(&format!(
                "<details class=\"ticket-lifecycle\"><summary>{title}</summary>{figure}</details>\n"
            ));
        }
        html
    }

    /// The figure of workflow `wf` with `path` highlighted, as seen from `page`, made once
    /// for all the pages that share it. Its ids start with `ticket-<wf>`: no embed in the
    /// write-up uses that prefix, so they stay unique on the page.
    fn lifecycle_figure(
        &self,
        site: &Site,
        page: &Page,
        wf: &str,
        path: &[String],
    ) -> Option<Arc<str>> {
        let folder = page
            .url
            .trim_end_matches('/')
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir);
        let key = (
            wf.to_string(),
            page.language,
            path.to_vec(),
            folder.to_string(),
        );
        if let Some(figure) = self.lifecycle_figures.lock().ok()?.get(&key) {
            return Some(figure.clone());
        }
        let prefix = format!("ticket-{wf}");
        let highlight = (!path.is_empty()).then_some(path);
        let figure: Arc<str> = self
            .workflow_figure(site, wf, page.language, &page.url, &prefix, highlight)?
            .into();
        if let Ok(mut figures) = self.lifecycle_figures.lock() {
            figures.insert(key, figure.clone());
        }
        Some(figure)
    }

    /// What a ticket page shows below its write-up: related and similar tickets.
    pub fn ticket_footer(&self, site: &Site, page: &Page, ticket: &Ticket) -> String {
        let href = |t: &Ticket| self.ticket_href(site, &page.url, t);
        // Only the tickets this one links to: the list is built per page, so passing every
        // ticket would make a site of n tickets cost n² here.
        let mut ids: Vec<u64> = self.related.get(&ticket.id).cloned().unwrap_or_default();
        ids.extend(
            self.similar
                .get(&ticket.id.to_string())
                .into_iter()
                .flatten()
                .filter_map(|(id, _)| id.parse::<u64>().ok()),
        );
        let linked = ids
            .iter()
            .filter_map(|id| self.tickets_by_id.get(id))
            .map(|&(i, _)| &site.tickets[i]);
        tickets::ticket_links_html(
            ticket,
            linked,
            &self.related,
            &self.similar,
            page.language,
            &href,
        )
    }

    /// The tickets table of a ticket section's index page.
    pub fn tickets_index(&self, site: &Site, page: &Page) -> String {
        let in_section = site
            .pages
            .iter()
            .filter(|p| p.section == page.section && !p.is_index)
            .filter_map(|p| p.ticket.map(|i| &site.tickets[i]));
        let href = |t: &Ticket| self.ticket_href(site, &page.url, t);
        tickets::tickets_index_html(in_section, &self.settings, page.language, &href)
    }

    fn ticket_href(&self, site: &Site, from_url: &str, t: &Ticket) -> String {
        self.tickets_by_id
            .get(&t.id)
            .map(|(_, url)| super::page_href(&site.config, from_url, url))
            .unwrap_or_default()
    }
}

fn relative_to(root: &Path, path: &Path) -> std::path::PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}
