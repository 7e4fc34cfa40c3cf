//! The validate stage for everything besides the pages themselves: workflows (logigrammes)
//! laid out per language, tickets checked against them, KPIs, related and similar tickets,
//! and the files that page embeds show (topologies, included files). Loaded and checked once
//! per build, before anything is rendered; the view layer only reads it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::language::Language;
use crate::lifecycle::Lifecycle;
use crate::localized_text::Languages;
use crate::site::Site;
use crate::source_layout::WORKFLOWS_DIR;
use crate::tickets::{self, Kpis, TicketSettings};
use crate::workflow::{self, Diagram, Workflow};

mod embedded;

pub(crate) use embedded::{EmbeddedFiles, PageFiles, TopologyBlock};
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
    /// Ticket id → the ids of the tickets it is linked to, both ways.
    pub related: BTreeMap<u64, Vec<u64>>,
    /// Ticket id → the most similar tickets with their scores.
    pub similar: BTreeMap<String, Vec<(String, f64)>>,
    /// Ticket id → its index in `site.tickets` and the URL of its page, so links between
    /// tickets cost a lookup, not a scan.
    pub tickets_by_id: HashMap<u64, (usize, String)>,
    /// What the pages' embeds read from files, read and checked here so that rendering
    /// never opens a source file.
    pub embedded: EmbeddedFiles,
    /// The lifecycle analytics of each workflow, by workflow id.
    pub lifecycles: BTreeMap<String, Lifecycle>,
    /// The E4 portfolio, when a section says `kind: portfolio`.
    pub portfolio: Option<crate::portfolio::Portfolio>,
}

impl SiteData {
    /// Loads workflows/, checks tickets against them and reads the files embeds show;
    /// returns every problem found.
    pub fn load(site: &Site) -> (SiteData, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let dir = site.root.join(WORKFLOWS_DIR);
        let mut workflows: BTreeMap<String, Workflow> = BTreeMap::new();
        // Workflows with errors: what names them is not checked again, since their own
        // errors send the user to the right file.
        let mut broken = BTreeSet::new();
        if dir.is_dir() {
            let page_exists = |link: &str| {
                let rel = link.trim_start_matches('/');
                site.by_path.contains_key(rel) || site.translation.default_url(rel).is_some()
            };
            match workflow::load_each(
                &dir,
                &page_exists,
                Some(text_languages(site, site.config.language)),
            ) {
                Ok(loaded) => {
                    workflows = loaded
                        .valid
                        .into_iter()
                        .map(|w| (w.id.clone(), w))
                        .collect();
                    broken = loaded.broken;
                    let found = loaded.errors.into_iter().chain(loaded.warnings);
                    diagnostics.extend(found.map(|mut d| {
                        d.path = relative_to(&site.root, &d.path);
                        d
                    }));
                }
                Err(mut d) => {
                    d.path = relative_to(&site.root, &d.path);
                    diagnostics.push(d);
                }
            }
        }
        let mut languages: Vec<Language> = site.pages.iter().map(|p| p.language).collect();
        languages.push(site.config.language);
        languages.sort();
        languages.dedup();
        let shared = shared_sizes(site, &dir, &workflows);
        let diagrams = workflows
            .values()
            .flat_map(|w| {
                let sizes = shared.get(&w.id);
                languages.iter().map(move |&l| {
                    let diagram = match sizes {
                        Some(sizes) => workflow::layout_shared(w, l, sizes),
                        None => workflow::layout(w, l),
                    };
                    ((w.id.clone(), l), diagram)
                })
            })
            .collect();
        let settings = site.config.ticket_settings();
        let follows = |wf: &str, from: &str, to: &str| -> Option<bool> {
            if broken.contains(wf) {
                return Some(true);
            }
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
        let lifecycles = lifecycles(site, &workflows, &settings);
        let related = tickets::related_both_ways(&site.tickets);
        let similar = tickets::similar_tickets(&site.tickets);
        let tickets_by_id = site
            .pages
            .iter()
            .filter_map(|p| p.ticket.map(|i| (site.tickets[i].id, (i, p.url.clone()))))
            .collect();
        let embedded = EmbeddedFiles::load(site, &mut diagnostics);
        let (portfolio, portfolio_errors) = crate::portfolio::load(site);
        diagnostics.extend(portfolio_errors);
        (
            SiteData {
                portfolio,
                tickets_by_id,
                embedded,
                lifecycles,
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

    /// The laid-out diagram of workflow `id` in `language`, else in the site's language;
    /// `None` for a workflow the site does not have.
    pub fn diagram(
        &self,
        id: &str,
        language: Language,
        site_language: Language,
    ) -> Option<&Diagram> {
        self.diagrams
            .get(&(id.to_string(), language))
            .or_else(|| self.diagrams.get(&(id.to_string(), site_language)))
    }
}

/// Which words of the texts written per language (in workflows and topologies) a diagram
/// in `language` takes: that language's, else the site's default language's.
pub(crate) fn text_languages(site: &Site, language: Language) -> Languages {
    Languages {
        language,
        default: site
            .config
            .languages
            .first()
            .copied()
            .unwrap_or(site.config.language),
    }
}

/// On a translated site, the room each workflow's texts take in the largest of the site's
/// languages, by workflow id: every language's diagram is laid out with it, so the
/// diagrams of all languages share one layout. Empty for a site in one language.
fn shared_sizes(
    site: &Site,
    dir: &Path,
    workflows: &BTreeMap<String, Workflow>,
) -> BTreeMap<String, workflow::SharedSizes> {
    if site.config.languages.len() < 2 || workflows.is_empty() {
        return BTreeMap::new();
    }
    let default = text_languages(site, site.config.language).default;
    // The links were checked with this site's own workflows: the other versions are only
    // measured.
    let any_page = |_: &str| true;
    let versions: Vec<(Language, BTreeMap<String, Workflow>)> = site
        .config
        .languages
        .iter()
        .map(|&language| {
            let languages = Languages { language, default };
            let loaded = workflow::load_each(dir, &any_page, Some(languages))
                .map(|l| l.valid)
                .unwrap_or_default();
            (
                language,
                loaded.into_iter().map(|w| (w.id.clone(), w)).collect(),
            )
        })
        .collect();
    workflows
        .keys()
        .map(|id| {
            let variants: Vec<(&Workflow, Language)> = versions
                .iter()
                .filter_map(|(language, wfs)| wfs.get(id).map(|w| (w, *language)))
                .collect();
            (id.clone(), workflow::SharedSizes::of(&variants))
        })
        .collect()
}

/// The analytics of every workflow over the site's tickets, measured at the KPIs' instant,
/// the findings in the site's language.
fn lifecycles(
    site: &Site,
    workflows: &BTreeMap<String, Workflow>,
    settings: &TicketSettings,
) -> BTreeMap<String, Lifecycle> {
    let as_of = settings
        .kpi
        .as_of
        .unwrap_or_else(|| tickets::kpi::latest_timestamp(&site.tickets));
    workflows
        .iter()
        .map(|(id, wf)| {
            let lc = crate::lifecycle::analyse(
                wf,
                &site.tickets,
                settings,
                &site.config.lifecycle,
                as_of,
                site.config.language,
            );
            (id.clone(), lc)
        })
        .collect()
}

fn relative_to(root: &Path, path: &Path) -> std::path::PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}
