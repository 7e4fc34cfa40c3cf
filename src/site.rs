//! The site in memory: pages with their parsed front matter, sections and navigation.
//!
//! Built by [`load`] right after reading the files (the validate stage of docs/architecture.md); every
//! renderer reads it and none of them goes back to the files.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, FrontMatter, SourcePage};
use crate::diagnostics::Diagnostic;
use crate::language::Language;
use crate::source_layout::CONTENT_DIR;
use crate::tickets::{self, Ticket};
use crate::yaml::Spans;

/// The section that holds ticket write-ups without saying so in its `_index.md`.
pub const TICKETS_DIR: &str = "tickets";

/// One page of the site.
#[derive(Debug, Clone)]
pub struct Page {
    /// The file as read.
    pub source: SourcePage,
    /// Its front matter.
    pub front: FrontMatter,
    /// Positions of the front matter keys, for later diagnostics.
    pub spans: Spans,
    /// The title (front matter `title`).
    pub title: String,
    /// URL path relative to the site root, `a/b/` (empty for the home page).
    pub url: String,
    /// The section folder the page belongs to (relative to content/).
    pub section: String,
    /// True for a section's `_index.md`.
    pub is_index: bool,
    /// The page's language (front matter, else the site's).
    pub language: Language,
    /// For a ticket write-up: its index in [`Site::tickets`].
    pub ticket: Option<usize>,
}

impl Page {
    /// Frees the page's file text and the front matter positions that share it, once
    /// nothing will quote or render it again (`build`, after rendering).
    pub(crate) fn forget_source(&mut self) {
        self.source.forget_text();
        self.spans = Spans::default();
    }
}

/// A folder of content/ with its index page and its pages in display order.
#[derive(Debug, Clone)]
pub struct Section {
    /// Folder relative to content/ (empty for the root).
    pub dir: String,
    /// Index into [`Site::pages`] of its `_index.md`, if it has one.
    pub index: Option<usize>,
    /// Title: the `_index.md`'s, else the folder name.
    pub title: String,
    /// URL path, `a/` (empty for the root).
    pub url: String,
    /// Pages (not `_index.md`) in order: weight, then title.
    pub pages: Vec<usize>,
    /// Index into [`Site::pages`] → position in `pages`, to find a page's neighbours.
    pub positions: HashMap<usize, usize>,
    /// Child sections in order: weight, then title.
    pub subsections: Vec<String>,
    /// Weight of its `_index.md`, for ordering among siblings.
    pub weight: Option<i64>,
}

/// Everything the renderers need.
#[derive(Debug, Clone)]
pub struct Site {
    /// The site root folder.
    pub root: PathBuf,
    /// guichet.yaml.
    pub config: Config,
    /// Pages, sorted by content path.
    pub pages: Vec<Page>,
    /// Sections by folder.
    pub sections: BTreeMap<String, Section>,
    /// Other files of content/ (relative paths), copied beside their pages.
    pub assets: BTreeSet<String>,
    /// Content path → index into `pages`.
    pub by_path: BTreeMap<String, usize>,
    /// URL → index into `pages`.
    pub by_url: BTreeMap<String, usize>,
    /// Ticket write-ups (drafts included only with `--drafts`), in page order.
    pub tickets: Vec<Ticket>,
    /// Folders whose pages are ticket write-ups.
    pub ticket_sections: BTreeSet<String>,
    /// Old URLs of pages (front matter `aliases:`), each redirecting to its page.
    pub(crate) aliases: crate::aliases::Aliases,
    /// For a translated site: this language's place among the others (empty otherwise).
    pub(crate) translation: crate::translation::SiteLanguage,
}

impl Site {
    /// The page whose content path is `rel` (`utilisateurs/se-connecter.md`).
    pub fn page(&self, rel: &str) -> Option<&Page> {
        self.by_path.get(rel).map(|&i| &self.pages[i])
    }

    /// Sections of the first level, in display order (the site's main navigation).
    pub fn top_sections(&self) -> Vec<&Section> {
        self.sections
            .get("")
            .map(|root| {
                root.subsections
                    .iter()
                    .filter_map(|d| self.sections.get(d))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A page's source with its parsed front matter, and its ticket when it is a write-up.
type Parsed = (SourcePage, FrontMatter, Spans, Option<Ticket>);

/// Parses the front matter of a page that is not a section index: as a ticket write-up when
/// its section holds tickets.
fn parse_page(
    source: SourcePage,
    ticket_sections: &BTreeSet<String>,
) -> Result<Parsed, Vec<Diagnostic>> {
    if ticket_sections.contains(&content::section_of(&source.rel_path)) {
        let ticket = tickets::parse_ticket(&source)?;
        let (front, spans) = ticket_front_matter(&ticket);
        return Ok((source, front, spans, Some(ticket)));
    }
    let (front, spans) = content::parse_front_matter(&source).map_err(|d| vec![d])?;
    Ok((source, front, spans, None))
}

/// Parses front matter, drops drafts (unless `drafts`), checks titles and URL clashes, and
/// builds sections. All problems are reported at once.
pub fn load(
    root: &Path,
    config: Config,
    sources: content::Sources,
    drafts: bool,
) -> Result<Site, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    // Capacities are exact: these vectors hold one large entry per page of the site.
    let mut parsed = Vec::with_capacity(sources.pages.len());
    let mut ticket_sections = BTreeSet::new();
    ticket_sections.insert(TICKETS_DIR.to_string());
    // Section indexes first: `kind: tickets` changes how their pages are read.
    let (indexes, others): (Vec<SourcePage>, Vec<SourcePage>) = sources
        .pages
        .into_iter()
        .partition(|p| content::is_section_index(&p.rel_path));
    for source in indexes {
        match content::parse_front_matter(&source) {
            Ok((front, spans)) => {
                if front.kind.as_deref() == Some("tickets") {
                    ticket_sections.insert(content::section_of(&source.rel_path));
                } else if let Some(kind) = front.kind.as_ref().filter(|k| *k != "portfolio") {
                    let pos = spans.at("kind");
                    errors.push(
                        Diagnostic::error(
                            &source.file,
                            pos.line,
                            pos.column,
                            format!("unknown section kind `{kind}`"),
                        )
                        .with_source(&source.text)
                        .with_help("a section kind is `tickets` (a section of ticket write-ups) or `portfolio` (an E4 portfolio, checked for completeness)"),
                    );
                }
                parsed.push((source, front, spans, None));
            }
            Err(d) => errors.push(d),
        }
    }
    // Front matter is parsed in parallel: on a site of thousands of pages it is most of the
    // loading time. Collecting keeps the pages' order, so errors come out in a stable order.
    let results: Vec<Result<Parsed, Vec<Diagnostic>>> = others
        .into_par_iter()
        .map(|source| parse_page(source, &ticket_sections))
        .collect();
    for result in results {
        match result {
            Ok(p) => parsed.push(p),
            Err(mut e) => errors.append(&mut e),
        }
    }
    parsed.sort_by(|a, b| a.0.rel_path.cmp(&b.0.rel_path));
    let mut pages = Vec::with_capacity(parsed.len());
    let mut ticket_list = Vec::with_capacity(parsed.iter().filter(|p| p.3.is_some()).count());
    for (source, front, spans, ticket) in parsed {
        if front.draft && !drafts {
            continue;
        }
        match page_from(source, front, spans, &config) {
            Ok(mut page) => {
                if let Some(t) = ticket {
                    page.ticket = Some(ticket_list.len());
                    ticket_list.push(t);
                }
                pages.push(page);
            }
            Err(d) => errors.push(d),
        }
    }
    let mut by_url: BTreeMap<String, usize> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        if let Some(&first) = by_url.get(&page.url) {
            let other = &pages[first].source.file;
            errors.push(
                Diagnostic::error(
                    &page.source.file,
                    1,
                    1,
                    format!(
                        "two pages have the URL /{}: this one and {}",
                        page.url,
                        other.display()
                    ),
                )
                .with_help("rename or move one of the two files"),
            );
        } else {
            by_url.insert(page.url.clone(), i);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let by_path = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.source.rel_path.clone(), i))
        .collect();
    let sections = build_sections(&pages);
    let clashes = section_url_clashes(&pages, &sections, &by_url);
    if !clashes.is_empty() {
        return Err(clashes);
    }
    let section_urls: Vec<String> = sections.values().map(|s| s.url.clone()).collect();
    let aliases = crate::aliases::collect(&pages, &by_url, &section_urls)?;
    Ok(Site {
        root: root.to_path_buf(),
        config,
        pages,
        sections,
        assets: sources.assets.into_iter().collect(),
        by_path,
        by_url,
        tickets: ticket_list,
        ticket_sections,
        aliases,
        translation: Default::default(),
    })
}

/// Whether `text` is a page date the feed and the sitemap can carry as it is: a real day
/// `YYYY-MM-DD`, or an RFC 3339 timestamp of that day (`2026-03-02T10:00:00+01:00`, `…Z`).
fn is_page_date(text: &str) -> bool {
    use crate::tickets::datetime::Date;
    let (day, time) = match text.split_once('T') {
        Some((day, time)) => (day, Some(time)),
        None => (text, None),
    };
    if day.len() != 10 || Date::parse(day).is_err() {
        return false;
    }
    let Some(time) = time else {
        return true;
    };
    let Some(at) = time.find(['Z', '+', '-']) else {
        return false;
    };
    let (clock, zone) = time.split_at(at);
    let clock = match clock.split_once('.') {
        Some((whole, fraction))
            if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) =>
        {
            whole
        }
        Some(_) => return false,
        None => clock,
    };
    let two_digits = |t: &str, max: u32| {
        t.len() == 2
            && t.bytes().all(|b| b.is_ascii_digit())
            && t.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let clock_ok = matches!(clock.split(':').collect::<Vec<_>>().as_slice(),
        [h, m, s] if two_digits(h, 23) && two_digits(m, 59) && two_digits(s, 60));
    let zone_ok = zone == "Z"
        || matches!(zone[1..].split(':').collect::<Vec<_>>().as_slice(),
            [h, m] if two_digits(h, 23) && two_digits(m, 59));
    clock_ok && zone_ok
}

/// A folder without `_index.md` gets a listing page at its URL: a page with that same URL
/// (`a.md` beside the folder `a/`) would silently replace it.
fn section_url_clashes(
    pages: &[Page],
    sections: &BTreeMap<String, Section>,
    by_url: &BTreeMap<String, usize>,
) -> Vec<Diagnostic> {
    sections
        .values()
        .filter(|s| !s.dir.is_empty() && s.index.is_none())
        .filter_map(|s| by_url.get(&s.url).map(|&i| (s, &pages[i])))
        .map(|(s, page)| {
            Diagnostic::error(
                &page.source.file,
                1,
                1,
                format!(
                    "this page and the folder {}/ both have the URL /{}",
                    Path::new(CONTENT_DIR).join(&s.dir).display(),
                    s.url
                ),
            )
            .with_help(format!(
                "to make this page the folder's own page, move it to {}/{}/_index.md; otherwise rename it",
                CONTENT_DIR,
                s.dir
            ))
        })
        .collect()
}

/// The general page keys of a ticket, as the front matter every renderer reads.
fn ticket_front_matter(ticket: &Ticket) -> (FrontMatter, Spans) {
    let language = match ticket.page.language.as_deref() {
        Some("en") => Some(Language::En),
        Some("fr") => Some(Language::Fr),
        _ => None,
    };
    let audience = ticket.page.audience.first().and_then(|a| match a.as_str() {
        "utilisateurs" => Some(content::Audience::Utilisateurs),
        "techniciens" => Some(content::Audience::Techniciens),
        "portfolio" => Some(content::Audience::Portfolio),
        _ => None,
    });
    let front = FrontMatter {
        title: Some(format!("#{} {}", ticket.id, ticket.name)),
        description: ticket.page.description.clone(),
        date: Some(ticket.date.display().chars().take(10).collect()),
        tags: ticket.tags.clone(),
        category: ticket.category.clone(),
        audience: audience.or(Some(content::Audience::Techniciens)),
        weight: ticket.page.weight,
        draft: ticket.page.draft,
        template: ticket.page.template.clone(),
        language,
        search: ticket.page.search,
        ..FrontMatter::default()
    };
    (front, ticket.source.spans.clone())
}

/// A page from its source and parsed front matter: checks its title and dates.
pub(crate) fn page_from(
    source: SourcePage,
    front: FrontMatter,
    spans: Spans,
    config: &Config,
) -> Result<Page, Diagnostic> {
    let title = match front.title.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => {
            let pos = spans.at("title");
            return Err(Diagnostic::error(&source.file, pos.line.max(1), pos.column.max(1), "the page has no title")
                .with_source(&source.text)
                .with_help("add `title: …` to the front matter, between the `---` lines at the top of the file"));
        }
    };
    for (key, value) in [("date", &front.date), ("updated", &front.updated)] {
        if let Some(value) = value.as_deref()
            && !is_page_date(value)
        {
            let pos = spans.at(key);
            return Err(Diagnostic::error(
                &source.file,
                pos.line.max(1),
                pos.column.max(1),
                format!("{key}: `{value}` is not a date: expected `YYYY-MM-DD`"),
            )
            .with_source(&source.text)
            .with_help(format!(
                "write the day as year-month-day: `{key}: 2026-03-02` (or a full timestamp: `{key}: 2026-03-02T10:00:00+01:00`)"
            )));
        }
    }
    let rel = source.rel_path.clone();
    let is_index = content::is_section_index(&rel);
    Ok(Page {
        url: content::url_of(&rel),
        section: content::section_of(&rel),
        language: front.language.unwrap_or(config.language),
        is_index,
        ticket: None,
        title,
        front,
        spans,
        source,
    })
}

/// The sections of `pages`, each with its pages in order (weight, then title).
pub(crate) fn build_sections(pages: &[Page]) -> BTreeMap<String, Section> {
    let rel_paths = pages.iter().map(|p| p.source.rel_path.as_str());
    let mut sections: BTreeMap<String, Section> = content::section_dirs(rel_paths)
        .into_iter()
        .map(|dir| {
            let url = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            let title = dir.rsplit('/').next().map(prettify).unwrap_or_default();
            (
                dir.clone(),
                Section {
                    dir,
                    index: None,
                    title,
                    url,
                    pages: Vec::new(),
                    positions: HashMap::new(),
                    subsections: Vec::new(),
                    weight: None,
                },
            )
        })
        .collect();
    for (i, page) in pages.iter().enumerate() {
        if let Some(section) = sections.get_mut(&page.section) {
            if page.is_index {
                section.index = Some(i);
                section.title = page.title.clone();
                section.weight = page.front.weight;
            } else {
                section.pages.push(i);
            }
        }
    }
    for section in sections.values_mut() {
        // Cached keys: the lowercased title is made once per page, not once per comparison.
        section
            .pages
            .sort_by_cached_key(|&i| order_key(pages[i].front.weight, &pages[i].title));
        section.positions = section
            .pages
            .iter()
            .enumerate()
            .map(|(at, &i)| (i, at))
            .collect();
    }
    let dirs: Vec<String> = sections.keys().filter(|d| !d.is_empty()).cloned().collect();
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for dir in dirs {
        children
            .entry(content::section_of(&dir))
            .or_default()
            .push(dir);
    }
    for (parent, mut kids) in children {
        kids.sort_by(|a, b| {
            let (sa, sb) = (&sections[a], &sections[b]);
            order_key(sa.weight, &sa.title).cmp(&order_key(sb.weight, &sb.title))
        });
        if let Some(section) = sections.get_mut(&parent) {
            section.subsections = kids;
        }
    }
    sections
}

/// Pages with a weight come first, by weight; the others follow by title.
fn order_key(weight: Option<i64>, title: &str) -> (bool, i64, String) {
    (weight.is_none(), weight.unwrap_or(0), title.to_lowercase())
}

/// A folder name shown as a title when its section has no `_index.md`: `bonnes-pratiques` →
/// `Bonnes pratiques`.
fn prettify(dir: &str) -> String {
    let spaced = dir.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_dates_are_days_or_full_timestamps() {
        for good in [
            "2026-03-02",
            "2026-03-02T10:00:00+01:00",
            "2026-03-02T10:00:00Z",
            "2026-03-02T23:59:60.5-05:30",
        ] {
            assert!(super::is_page_date(good), "{good}");
        }
        for bad in [
            "2026-02-30",
            "2026-3-2",
            "le 3 mars",
            "2026-03-02 10:00",
            "2026-03-02T10:00",
            "2026-03-02T10:00:00",
            "2026-03-02T25:00:00Z",
            "2026-03-02T10:00:00+1",
            "2026-03-02T10:00:00.Z",
            "",
        ] {
            assert!(!super::is_page_date(bad), "{bad}");
        }
    }

    use super::*;

    #[test]
    fn folder_names_become_titles() {
        assert_eq!(prettify("bonnes-pratiques"), "Bonnes pratiques");
    }
}
