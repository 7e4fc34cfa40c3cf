//! The site's navigation: the tree of top sections and their pages, built once per build,
//! and seen from each page with relative hrefs, its active branch unfolded.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use tera::Value;
use tera::value::Key;

use crate::config::Config;
use crate::data::{KPI_URL, SiteData, WORKFLOWS_URL};
use crate::language::Language;
use crate::site::Site;

use super::links::{page_href, root_prefix};
use super::portfolio::PortfolioStrings;
use super::statics::{theme_scripts, theme_styles};
use super::strings::UiStrings;

/// The navigation tree shared by every page: top sections and their pages; it also carries
/// the other template values every page shares.
pub(crate) struct NavTree {
    /// Tells this tree from every other of the process, for the entries kept by [`WINDOW`].
    id: u64,
    sections: Vec<NavSection>,
    pub(super) shared: SharedValues,
}

/// Template values that are the same on every page, converted to Tera values once per build:
/// converting the site configuration and the UI strings for each of 10,000 pages cost more
/// than rendering the navigation. Tera's maps and arrays are reference-counted, so inserting
/// a clone into a page's context copies nothing.
pub(super) struct SharedValues {
    pub(super) site: tera::Value,
    strings_fr: tera::Value,
    strings_en: tera::Value,
    portfolio_fr: tera::Value,
    portfolio_en: tera::Value,
    pub(super) scripts: tera::Value,
    pub(super) styles: tera::Value,
}

impl SharedValues {
    fn new(config: &Config) -> Self {
        SharedValues {
            site: tera::Value::from_serializable(config),
            strings_fr: tera::Value::from_serializable(UiStrings::of(Language::Fr)),
            strings_en: tera::Value::from_serializable(UiStrings::of(Language::En)),
            portfolio_fr: tera::Value::from_serializable(PortfolioStrings::of(Language::Fr)),
            portfolio_en: tera::Value::from_serializable(PortfolioStrings::of(Language::En)),
            scripts: tera::Value::from_serializable(&theme_scripts()),
            styles: tera::Value::from_serializable(&theme_styles()),
        }
    }

    pub(super) fn strings(&self, language: Language) -> tera::Value {
        match language {
            Language::Fr => self.strings_fr.clone(),
            Language::En => self.strings_en.clone(),
        }
    }

    /// The `tp` object of a template: the printable view's strings in `language`.
    pub(super) fn portfolio_strings(&self, language: Language) -> tera::Value {
        match language {
            Language::Fr => self.portfolio_fr.clone(),
            Language::En => self.portfolio_en.clone(),
        }
    }
}

pub(super) struct NavSection {
    dir: String,
    title: String,
    url: String,
    pages: Vec<(String, String)>,
    /// Where each page's URL is in `pages`, for sections too long to list whole (a ticket
    /// section of 10,000 pages would otherwise search its list once per page).
    positions: HashMap<String, usize>,
}

impl NavSection {
    fn new(dir: String, title: String, url: String, pages: Vec<(String, String)>) -> Self {
        let positions = if pages.len() > 2 * NAV_WINDOW + 1 {
            pages
                .iter()
                .enumerate()
                .map(|(i, (_, url))| (url.clone(), i))
                .collect()
        } else {
            HashMap::new()
        };
        NavSection {
            dir,
            title,
            url,
            pages,
            positions,
        }
    }
}

impl NavTree {
    /// The tree of `site`, with the generated sections (logigrammes, KPIs) last.
    pub(crate) fn new(site: &Site, data: &SiteData) -> Self {
        let mut sections: Vec<NavSection> = site
            .top_sections()
            .into_iter()
            .map(|s| {
                let pages = s
                    .pages
                    .iter()
                    .map(|&i| (site.pages[i].title.clone(), site.pages[i].url.clone()))
                    .chain(
                        s.subsections
                            .iter()
                            .filter_map(|d| site.sections.get(d))
                            .map(|sub| (sub.title.clone(), sub.url.clone())),
                    )
                    .collect();
                NavSection::new(s.dir.clone(), s.title.clone(), s.url.clone(), pages)
            })
            .collect();
        // Pages generated from data come last: the logigrammes and the KPI dashboard.
        let strings = UiStrings::of(site.config.language);
        if !data.workflows.is_empty() {
            let title = strings.workflows;
            let pages = data
                .workflows
                .values()
                .map(|w| (w.title.clone(), format!("{WORKFLOWS_URL}{}/", w.id)))
                .collect();
            sections.push(NavSection::new(
                "logigrammes".into(),
                title.into(),
                WORKFLOWS_URL.into(),
                pages,
            ));
        }
        if data.kpis.is_some() {
            let title = strings.kpis;
            sections.push(NavSection::new(
                "indicateurs".into(),
                title.into(),
                KPI_URL.into(),
                Vec::new(),
            ));
        }
        if let Some(page) = super::self_service::self_service_page(site) {
            sections.push(NavSection::new(
                "avant-ticket".into(),
                page.title,
                page.url,
                Vec::new(),
            ));
        }
        NavTree {
            id: next_tree_id(),
            sections,
            shared: SharedValues::new(&site.config),
        }
    }

    /// The tree as seen from the page at `url`, with relative hrefs and the active branch.
    pub(crate) fn for_page(&self, config: &Config, url: &str) -> Vec<NavItem> {
        self.sections
            .iter()
            .map(|s| {
                let active = url.starts_with(&s.url) && !s.dir.is_empty();
                // Only the current branch is unfolded: listing every page of every section in
                // every page would make the site quadratic in its number of pages.
                let children = if active {
                    let item = |(title, purl): &(String, String)| NavItem {
                        title: title.clone(),
                        href: page_href(config, url, purl),
                        active: url.starts_with(purl.as_str()),
                        current: url == purl,
                        children: Vec::new(),
                    };
                    let (from, to) = nav_window(s, url);
                    let more = |title: &str| NavItem {
                        title: title.to_string(),
                        href: page_href(config, url, &s.url),
                        active: false,
                        current: false,
                        children: Vec::new(),
                    };
                    let mut items: Vec<NavItem> = Vec::new();
                    if from > 0 {
                        items.push(more("…"));
                    }
                    items.extend(s.pages[from..to].iter().map(item));
                    if to < s.pages.len() {
                        items.push(more("…"));
                    }
                    items
                } else {
                    Vec::new()
                };
                NavItem {
                    title: s.title.clone(),
                    href: page_href(config, url, &s.url),
                    active,
                    current: url == s.url,
                    children,
                }
            })
            .collect()
    }
}

impl NavTree {
    /// [`NavTree::for_page`] as the template value `nav`, the same value that serialising it
    /// gives, with the entries of the current section's pages shared between pages.
    pub(crate) fn value_for_page(&self, config: &Config, url: &str) -> Value {
        let prefix = root_prefix(url);
        let items: Vec<Value> = self
            .sections
            .iter()
            .enumerate()
            .map(|(index, s)| {
                let active = url.starts_with(&s.url) && !s.dir.is_empty();
                let children = if active {
                    self.children_value(index, s, config, url, &prefix)
                } else {
                    Vec::new()
                };
                let href = page_href(config, url, &s.url);
                item_value(&s.title, href, active, url == s.url, children)
            })
            .collect();
        Value::from(items)
    }

    /// The unfolded entries of the section `s` (the `index`-th) of the page at `url`: the
    /// window of its pages, those the page is at or below made afresh, the others mostly
    /// taken from the window of the page rendered before on this thread, and the "…" around.
    fn children_value(
        &self,
        index: usize,
        s: &NavSection,
        config: &Config,
        url: &str,
        prefix: &str,
    ) -> Vec<Value> {
        let (from, to) = nav_window(s, url);
        let shared = self.window_entries(index, s, config, prefix, from, to);
        let more = || {
            item_value(
                "…",
                page_href(config, url, &s.url),
                false,
                false,
                Vec::new(),
            )
        };
        let mut items = Vec::with_capacity(to - from + 2);
        if from > 0 {
            items.push(more());
        }
        for ((title, purl), entry) in s.pages[from..to].iter().zip(shared) {
            if url.starts_with(purl.as_str()) {
                let href = page_href(config, url, purl);
                items.push(item_value(title, href, true, url == purl, Vec::new()));
            } else {
                items.push(entry);
            }
        }
        if to < s.pages.len() {
            items.push(more());
        }
        items
    }

    /// The entries of `s.pages[from..to]`, neither active nor current, with hrefs starting
    /// with `prefix`. Pages are rendered in order on each thread, and the windows of
    /// neighbours overlap but for one entry: building the 31 entries of every page was a
    /// twentieth of a rebuild, and keeping every page's entry for a section of 10,000
    /// pages cost 9 MB per depth.
    fn window_entries(
        &self,
        index: usize,
        s: &NavSection,
        config: &Config,
        prefix: &str,
        from: usize,
        to: usize,
    ) -> Vec<Value> {
        let index_file = super::links::index_file(config);
        WINDOW.with_borrow_mut(|kept| {
            let reusable = kept
                .as_ref()
                .filter(|w| w.tree == self.id && w.section == index)
                .filter(|w| w.prefix == prefix && w.index_file == index_file);
            let entries: Vec<Value> = (from..to)
                .map(|i| {
                    let earlier =
                        reusable.and_then(|w| w.entries.get(i.checked_sub(w.from)?).cloned());
                    earlier.unwrap_or_else(|| {
                        let (title, url) = &s.pages[i];
                        let href = format!("{prefix}{url}{index_file}");
                        item_value(title, href, false, false, Vec::new())
                    })
                })
                .collect();
            *kept = Some(KeptWindow {
                tree: self.id,
                section: index,
                prefix: prefix.to_string(),
                index_file,
                from,
                entries: entries.clone(),
            });
            entries
        })
    }
}

/// The sidebar entries of the last window a thread rendered, with what they depend on.
struct KeptWindow {
    tree: u64,
    section: usize,
    prefix: String,
    index_file: &'static str,
    /// The position in the section's pages of the first entry.
    from: usize,
    entries: Vec<Value>,
}

thread_local! {
    /// Each rendering thread's last window of sidebar entries ([`NavTree::window_entries`]).
    static WINDOW: RefCell<Option<KeptWindow>> = const { RefCell::new(None) };
}

/// A number no other tree of this process has: a tree built at the address of a dropped one
/// (a rebuild in `serve`) must not reuse its entries.
fn next_tree_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One [`NavItem`] as a template value, the map its serialisation gives.
fn item_value(
    title: &str,
    href: String,
    active: bool,
    current: bool,
    children: Vec<Value>,
) -> Value {
    let mut map = tera::Map::with_capacity(5);
    map.insert(Key::Str("title"), Value::from(title));
    map.insert(Key::Str("href"), Value::from(href));
    map.insert(Key::Str("active"), Value::from(active));
    map.insert(Key::Str("current"), Value::from(current));
    map.insert(Key::Str("children"), Value::from(children));
    Value::from(map)
}

impl NavTree {
    /// Feeds `hasher` with what the sidebar of the page at `url` shows of other pages: the
    /// window of its section's pages (titles, URLs, and whether more come before or after).
    /// Cheaper than [`NavTree::for_page`], for finding the pages an edit changes.
    pub(crate) fn hash_window(&self, url: &str, hasher: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        for s in &self.sections {
            if url.starts_with(&s.url) && !s.dir.is_empty() {
                let (from, to) = nav_window(s, url);
                // Only what is shown: the window's bounds shift for every page between a
                // moved page's old and new places, but their sidebars do not change.
                (from > 0, to < s.pages.len()).hash(hasher);
                s.pages[from..to].hash(hasher);
            }
        }
    }
}

/// How many pages of a section the sidebar lists around the current one: a section of
/// thousands of ticket write-ups must not put thousands of links in each of its pages.
const NAV_WINDOW: usize = 15;

/// The range of `pages` the sidebar shows for the page at `url`: all of them when they are
/// few, else a window centred on the current page (the section's index lists them all).
fn nav_window(section: &NavSection, url: &str) -> (usize, usize) {
    let len = section.pages.len();
    if len <= 2 * NAV_WINDOW + 1 {
        return (0, len);
    }
    let at = section.positions.get(url).copied().unwrap_or(0);
    let from = at.saturating_sub(NAV_WINDOW);
    let to = (from + 2 * NAV_WINDOW + 1).min(len);
    (to.saturating_sub(2 * NAV_WINDOW + 1), to)
}

/// One entry of the navigation as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Text of the link.
    pub title: String,
    /// Relative URL.
    pub href: String,
    /// True when the current page is this entry or below it.
    pub active: bool,
    /// True when the current page is this entry.
    pub current: bool,
    /// Pages and subsections of a section.
    pub children: Vec<NavItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidebar_lists_a_window_of_a_large_section() {
        let pages: Vec<(String, String)> = (0..100)
            .map(|i| (format!("p{i}"), format!("s/p{i}/")))
            .collect();
        let section =
            |n: usize| NavSection::new("s".into(), "S".into(), "s/".into(), pages[..n].to_vec());
        assert_eq!(nav_window(&section(31), "s/p3/"), (0, 31));
        let large = section(100);
        assert_eq!(nav_window(&large, "s/p50/"), (35, 66));
        assert_eq!(nav_window(&large, "s/p2/"), (0, 31));
        assert_eq!(nav_window(&large, "s/p99/"), (69, 100));
        assert_eq!(nav_window(&large, "s/"), (0, 31));
    }

    #[test]
    fn shared_entries_give_the_value_serialising_the_page_view_gives() {
        let mut pages: Vec<(String, String)> = (0..60)
            .map(|i| {
                (
                    format!("Procédure numéro {i} du guichet"),
                    format!("s/p{i}/"),
                )
            })
            .collect();
        pages.push(("Sous-section".into(), "s/sous/".into()));
        let mut config = Config::parse("title: T\n").unwrap();
        let tree = NavTree {
            id: next_tree_id(),
            sections: vec![
                NavSection::new("s".into(), "S".into(), "s/".into(), pages),
                NavSection::new("t".into(), "T".into(), "t/".into(), Vec::new()),
            ],
            shared: SharedValues::new(&config),
        };
        // The section, pages at both ends and in the middle, a page below a listed
        // subsection (another depth, its parent active), a page of another section, the home.
        let sliding = (10..50).map(|i| format!("s/p{i}/"));
        let urls = ["s/", "s/p0/", "s/p30/", "s/p59/", "s/sous/q/", "t/x/", ""];
        for url in sliding.chain(urls.map(String::from)) {
            let url = url.as_str();
            // Twice: the second time from the kept window.
            for _ in 0..2 {
                assert_eq!(
                    tree.value_for_page(&config, url),
                    Value::from_serializable(&tree.for_page(&config, url)),
                    "{url}"
                );
            }
        }
        let json = tree.value_for_page(&config, "s/p30/").to_string();
        let current = r#"{"active": true, "children": [], "current": true, "href": "../../s/p30/index.html", "title": "Procédure numéro 30 du guichet"}"#;
        assert!(json.contains(current), "{json}");
        // A site served with pretty URLs has other hrefs: the kept window is not reused.
        config.base_url = "https://example.org/".into();
        assert_eq!(
            tree.value_for_page(&config, "s/p31/"),
            Value::from_serializable(&tree.for_page(&config, "s/p31/"))
        );
    }
}
