//! The orchestrator: the one place that wires the stages together (load → validate → render →
//! write). `guichet build` calls [`build`]; `serve` and the tests use the same function.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::{Config, Language};
use crate::content::{self, Audience};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::escape::escape;
use crate::highlight;
use crate::markdown::{self, Embeds, LinkTarget, PageLinks, Rendered};
use crate::output::Staging;
use crate::render::{Link, Templates, ui_strings};
use crate::site::{self, Page, Site, date_label, root_prefix};
use crate::theme;

mod data;
mod generated;
mod incremental;
mod search_docs;

use data::SiteData;
pub use data::{KPI_URL, WORKFLOWS_DIR, WORKFLOWS_URL};
pub use incremental::{BuildState, PageUpdate, rerender_page};

/// What `build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (the folder holding guichet.yaml).
    pub root: PathBuf,
    /// The output folder; default: guichet.yaml's `output`, relative to the root.
    pub out: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Treat warnings as errors.
    pub strict: bool,
}

impl BuildOptions {
    /// Options for building the site at `root` with its defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            out: None,
            drafts: false,
            strict: false,
        }
    }
}

/// What a successful build did, for the one-line summary.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Pages written (sections included).
    pub pages: usize,
    /// Sections.
    pub sections: usize,
    /// Files written in all.
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Warnings (the build succeeded despite them).
    pub warnings: Vec<Diagnostic>,
    /// Where the site was written.
    pub out: PathBuf,
}

impl BuildReport {
    /// `12 pages, 4 sections, 57 files in 38 ms → site/`.
    pub fn summary(&self) -> String {
        format!(
            "{} pages, {} sections, {} files in {} ms → {}",
            self.pages,
            self.sections,
            self.files,
            self.elapsed.as_millis(),
            self.out.display()
        )
    }
}

/// Builds the site: everything goes to a staging folder that replaces the output only when
/// no error was found. Returns every error (and warning) found, sorted.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    build_with_state(options).map(|(report, _)| report)
}

/// [`build`], also returning what [`rerender_page`] needs to update one page later without
/// rebuilding the site (`serve` keeps it between edits).
pub fn build_with_state(options: &BuildOptions) -> Result<(BuildReport, BuildState), Diagnostics> {
    let started = Instant::now();
    let config = Config::load(&options.root).map_err(Diagnostics::from)?;
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| options.root.join(&config.output));
    let sources = content::load(&options.root).map_err(Diagnostics::from)?;
    let site =
        site::load(&options.root, config, sources, options.drafts).map_err(Diagnostics::from)?;
    let templates =
        Templates::load(&options.root, &site.config.theme).map_err(Diagnostics::from)?;
    let (data, data_diagnostics) = SiteData::load(&site);
    if data_diagnostics.iter().any(Diagnostic::is_error) {
        let mut all = Diagnostics(data_diagnostics);
        all.sort();
        return Err(all);
    }
    crate::output::check_output_folder(&options.root, &out).map_err(Diagnostics::from)?;
    let staging = Staging::new(&out).map_err(Diagnostics::from)?;
    let (files, mut diagnostics, rendered, nav) = render_site(&site, &data, &templates, &staging)?;
    diagnostics.extend(data_diagnostics);
    let mut all = Diagnostics(diagnostics);
    all.sort();
    if all.has_errors() || (options.strict && !all.0.is_empty()) {
        return Err(all);
    }
    staging.commit().map_err(Diagnostics::from)?;
    let sections = site.sections.values().filter(|s| !s.dir.is_empty()).count();
    let report = BuildReport {
        pages: site.pages.len(),
        sections,
        files,
        elapsed: started.elapsed(),
        warnings: all.0,
        out,
    };
    let state = BuildState {
        site,
        data,
        templates,
        rendered,
        nav,
        out: report.out.clone(),
    };
    Ok((report, state))
}

/// Renders every output file of `site` into `staging`; returns the number of files, the
/// diagnostics (errors stop the build, warnings do not), and the pages' rendering (without
/// their HTML) and navigation for later incremental updates.
fn render_site(
    site: &Site,
    data: &SiteData,
    templates: &Templates,
    staging: &Staging,
) -> Result<(usize, Vec<Diagnostic>, Vec<Rendered>, NavTree), Diagnostics> {
    let earlier = staging.earlier_outputs();
    let embeds = SiteEmbeds::new(site, data, earlier.clone());
    let mut diagnostics = check_templates(site, templates);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(diagnostics));
    }
    let pngs = generated::workflow_pngs(site, data, &earlier);
    let nav = NavTree::new(site, data);
    // One pass per page: Markdown, template, file. Only what later checks and the search
    // index need is kept (ids, links to anchors, text), not the HTML: a large site's pages
    // never sit in memory all at once. A failed check discards the staged files anyway.
    let rendered: Vec<(Rendered, Result<(), Diagnostic>)> = site
        .pages
        .par_iter()
        .map(|page| {
            let mut r = render_markdown(site, page, &embeds);
            let written = if r.diagnostics.iter().any(Diagnostic::is_error) {
                Ok(())
            } else {
                render_page(site, data, templates, &nav, page, &r).and_then(|html| {
                    staging.write(&format!("{}index.html", page.url), html.as_bytes())
                })
            };
            r.html = String::new();
            (r, written)
        })
        .collect();
    let mut files = 0;
    let mut kept = Vec::with_capacity(rendered.len());
    for (r, written) in rendered {
        diagnostics.extend(r.diagnostics.iter().cloned());
        match written {
            Ok(()) => files += 1,
            Err(d) => diagnostics.push(d),
        }
        kept.push(r);
    }
    let mut rendered = kept;
    diagnostics.extend(check_anchors(site, &rendered));
    if let Ok(mut embedded) = embeds.diagnostics.lock() {
        diagnostics.append(&mut embedded);
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(diagnostics));
    }
    if let Ok(mut files_of_embeds) = embeds.files.lock() {
        for (path, bytes) in files_of_embeds.drain(..) {
            match staging.write(&path, &bytes) {
                Ok(()) => files += 1,
                Err(d) => diagnostics.push(d),
            }
        }
    }
    let masked = embeds.masked_files();
    for asset in &site.assets {
        if masked.contains(asset) {
            continue;
        }
        match staging.copy(&site.root.join(content::CONTENT_DIR).join(asset), asset) {
            Ok(()) => files += 1,
            Err(d) => diagnostics.push(d),
        }
    }
    match write_site_files(site, templates, &nav, staging) {
        Ok(n) => files += n,
        Err(d) => diagnostics.push(d),
    }
    match generated::write_all(site, data, templates, &nav, staging, pngs) {
        Ok(n) => files += n,
        Err(d) => diagnostics.push(d),
    }
    let index = crate::search::build_index(&search_docs::documents(site, &mut rendered, data));
    let written: Vec<Result<(), Diagnostic>> = index
        .par_iter()
        .map(|(path, bytes)| staging.write(path, bytes))
        .collect();
    for result in written {
        match result {
            Ok(()) => files += 1,
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(diagnostics));
    }
    Ok((files, diagnostics, rendered, nav))
}

/// A page's Markdown rendered with the site's links and embeds.
fn render_markdown<'a>(site: &'a Site, page: &'a Page, embeds: &'a SiteEmbeds<'a>) -> Rendered {
    let links = SiteLinks { site, from: page };
    let src = markdown::Source {
        file: &page.source.file,
        text: &page.source.text,
        body: page.source.body(),
        body_line: page.source.body_line,
        language: page.language,
    };
    markdown::render(&src, &links, &embeds.for_page(page))
}

/// A `template:` naming a template that does not exist is an error at that key.
fn check_templates(site: &Site, templates: &Templates) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter_map(|p| {
            let name = p.front.template.as_deref()?;
            if templates.has(name) {
                return None;
            }
            let pos = p.spans.at("template");
            Some(
                Diagnostic::error(
                    &p.source.file,
                    pos.line,
                    pos.column,
                    format!("the template `{name}` does not exist"),
                )
                .with_source(&p.source.text)
                .with_help("put it in templates/ at the site root, or remove the `template:` key"),
            )
        })
        .collect()
}

/// Links to `page.md#anchor` must name a heading of that page.
fn check_anchors(site: &Site, rendered: &[Rendered]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (page, r) in site.pages.iter().zip(rendered) {
        for a in &r.anchor_refs {
            let Some(&target) = site.by_path.get(&a.page) else {
                continue;
            };
            if !rendered[target].ids.iter().any(|id| id == &a.anchor) {
                let known: Vec<&str> = rendered[target].ids.iter().map(String::as_str).collect();
                let help = if known.is_empty() {
                    "that page has no headings".to_string()
                } else {
                    format!("headings of that page: {}", known.join(", "))
                };
                errors.push(
                    Diagnostic::error(
                        &page.source.file,
                        a.line,
                        a.column,
                        format!("link to a missing anchor `#{}` in {}", a.anchor, a.page),
                    )
                    .with_source(&page.source.text)
                    .with_help(help),
                );
            }
        }
    }
    errors
}

/// Resolves the links written in one page against the site.
struct SiteLinks<'a> {
    site: &'a Site,
    from: &'a Page,
}

/// The file name appended to folder URLs: `index.html` for a site without base_url (so it
/// works from file://), nothing for a site served by a web server (pretty URLs).
fn index_file(config: &Config) -> &'static str {
    if config.base_url.is_empty() {
        "index.html"
    } else {
        ""
    }
}

/// The relative href from the page at `from_url` to the page at `to_url`.
pub fn page_href(config: &Config, from_url: &str, to_url: &str) -> String {
    format!("{}{}{}", root_prefix(from_url), to_url, index_file(config))
}

impl PageLinks for SiteLinks<'_> {
    fn resolve(&self, dest: &str) -> LinkTarget {
        if dest.is_empty()
            || dest.contains("://")
            || dest.starts_with("mailto:")
            || dest.starts_with("tel:")
            || dest.starts_with("data:")
        {
            return LinkTarget::Keep;
        }
        let (path, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(a.to_string())),
            None => (dest, None),
        };
        // A file name written with escapes (`capture%20écran.png`) names the file as it is.
        let decoded = path
            .contains('%')
            .then(|| crate::escape::percent_decode(path).and_then(|b| String::from_utf8(b).ok()))
            .flatten();
        let path = decoded.as_deref().unwrap_or(path);
        if path.is_empty() {
            return LinkTarget::Page {
                href: dest.to_string(),
                page: self.from.source.rel_path.clone(),
                anchor,
            };
        }
        let Some(target) = content::resolve_relative(&self.from.source.rel_path, path) else {
            return LinkTarget::Missing(format!("link `{dest}` goes above the content folder"));
        };
        let suffix = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
        if path.ends_with(".md") {
            return match self.site.page(&target) {
                Some(page) => LinkTarget::Page {
                    href: format!(
                        "{}{suffix}",
                        page_href(&self.site.config, &self.from.url, &page.url)
                    ),
                    page: target,
                    anchor,
                },
                None => LinkTarget::Missing(format!(
                    "link to a missing page `{path}` (looked for content/{target})"
                )),
            };
        }
        if self.site.assets.contains(&target) {
            return LinkTarget::File(format!("{}{target}{suffix}", root_prefix(&self.from.url)));
        }
        let as_url = if target.is_empty() {
            String::new()
        } else {
            format!("{}/", target.trim_end_matches('/'))
        };
        if let Some(&i) = self.site.by_url.get(&as_url) {
            let page = &self.site.pages[i];
            return LinkTarget::Page {
                href: format!(
                    "{}{suffix}",
                    page_href(&self.site.config, &self.from.url, &page.url)
                ),
                page: page.source.rel_path.clone(),
                anchor,
            };
        }
        LinkTarget::Missing(format!(
            "link to a missing file `{path}` (looked for content/{target})"
        ))
    }
}

/// The embeds every page may use (`include` for now; workflows, topology and KPIs plug in
/// here too), and the files that must not be copied because they were shown masked.
struct SiteEmbeds<'a> {
    site: &'a Site,
    data: &'a SiteData,
    masked: Mutex<std::collections::BTreeSet<String>>,
    /// Files produced by embeds (topology CSV and PNG), written once rendering is done.
    files: Mutex<Vec<(String, Vec<u8>)>>,
    /// Errors found inside embedded files (a topology's own lines).
    diagnostics: Mutex<Vec<Diagnostic>>,
    /// Folders holding an earlier build's output, whose pictures may be reused.
    earlier: Vec<PathBuf>,
}

impl<'a> SiteEmbeds<'a> {
    fn new(site: &'a Site, data: &'a SiteData, earlier: Vec<PathBuf>) -> Self {
        SiteEmbeds {
            site,
            data,
            masked: Mutex::new(Default::default()),
            files: Mutex::new(Vec::new()),
            diagnostics: Mutex::new(Vec::new()),
            earlier,
        }
    }

    fn for_page(&'a self, page: &'a Page) -> PageEmbeds<'a> {
        PageEmbeds {
            parent: self,
            page,
            diagrams: std::cell::Cell::new(0),
        }
    }

    fn masked_files(&self) -> std::collections::BTreeSet<String> {
        self.masked.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

struct PageEmbeds<'a> {
    parent: &'a SiteEmbeds<'a>,
    page: &'a Page,
    /// Diagrams already inlined in this page, so each gets unique element ids.
    diagrams: std::cell::Cell<usize>,
}

impl Embeds for PageEmbeds<'_> {
    fn embed(
        &self,
        kind: &str,
        args: &str,
        body: &str,
        body_line: usize,
    ) -> Option<Result<String, (String, Option<String>)>> {
        match kind {
            "include" => Some(self.include(args)),
            "logigramme" => Some(self.logigramme(args)),
            "kpi" => Some(self.kpi(args)),
            "topologie" => Some(self.topologie(args, body, body_line)),
            _ => None,
        }
    }
}

impl PageEmbeds<'_> {
    /// ```` ```logigramme ID ````: the workflow's diagram inline, linked to its page.
    fn logigramme(&self, args: &str) -> Result<String, (String, Option<String>)> {
        let data = self.parent.data;
        let id = args.split_whitespace().next().unwrap_or("");
        if !data.workflows.contains_key(id) {
            let known: Vec<&str> = data.workflows.keys().map(String::as_str).collect();
            let help = if known.is_empty() {
                "add workflows/<id>.yaml".to_string()
            } else {
                format!("workflows of this site: {}", known.join(", "))
            };
            return Err((format!("unknown logigramme `{id}`"), Some(help)));
        }
        let n = self.diagrams.get();
        self.diagrams.set(n + 1);
        let prefix = if n == 0 {
            id.to_string()
        } else {
            format!("{id}-{n}")
        };
        data.workflow_figure(
            self.parent.site,
            id,
            self.page.language,
            &self.page.url,
            &prefix,
            None,
        )
        .ok_or_else(|| (format!("unknown logigramme `{id}`"), None))
    }

    /// ```` ```topologie FILE.yaml ```` (or inline YAML in the block): the network diagram,
    /// IP plan and flow matrix, with the tables as CSV and the diagram as PNG beside the page.
    fn topologie(
        &self,
        args: &str,
        body: &str,
        body_line: usize,
    ) -> Result<String, (String, Option<String>)> {
        let site = self.parent.site;
        let file = args.split_whitespace().next();
        let language = crate::build::data::lang(self.page.language);
        let n = self.diagrams.get();
        self.diagrams.set(n + 1);
        let parsed = match file {
            Some(file) => {
                let target = content::resolve_relative(&self.page.source.rel_path, file)
                    .ok_or_else(|| (format!("`{file}` goes above the content folder"), None))?;
                let shown = std::path::Path::new(content::CONTENT_DIR).join(&target);
                let text = std::fs::read_to_string(site.root.join(&shown)).map_err(|e| {
                    (
                        format!(
                            "cannot read the topology `{file}` ({}): {e}",
                            shown.display()
                        ),
                        Some("the path is relative to this page's folder".to_string()),
                    )
                })?;
                let stem = file
                    .rsplit('/')
                    .next()
                    .unwrap_or(file)
                    .trim_end_matches(".yaml")
                    .trim_end_matches(".yml")
                    .to_string();
                let id = if n == 0 {
                    stem.clone()
                } else {
                    format!("{stem}-{n}")
                };
                crate::topology::parse(&shown, &text, &id).map(|t| (t, stem))
            }
            None => {
                let id = if n == 0 {
                    "topologie".to_string()
                } else {
                    format!("topologie-{n}")
                };
                crate::topology::parse_inline(
                    &self.page.source.file,
                    body,
                    body_line,
                    &self.page.source.text,
                    &id,
                )
                .map(|t| (t, id.clone()))
            }
        };
        let (topology, stem) = match parsed {
            Ok(ok) => ok,
            Err(errors) => {
                let count = errors.len();
                if let Ok(mut all) = self.parent.diagnostics.lock() {
                    all.extend(errors);
                }
                return Err((
                    format!("the topology has {count} error(s), listed with their own lines"),
                    None,
                ));
            }
        };
        let (plan, flows, png) = (
            format!("{stem}-plan-ip.csv"),
            format!("{stem}-flux.csv"),
            format!("{stem}.png"),
        );
        let png_path = format!("{}{png}", self.page.url);
        let png_bytes = crate::diagram::png::to_png_or_earlier(
            &crate::topology::to_svg(&topology, language),
            2.0,
            self.parent.earlier.iter().map(|dir| dir.join(&png_path)),
        )
        .map_err(|e| (format!("cannot draw the topology as PNG: {e:?}"), None))?;
        if let Ok(mut files) = self.parent.files.lock() {
            let dir = &self.page.url;
            files.push((
                format!("{dir}{plan}"),
                crate::topology::ip_plan_csv(&topology, language).into_bytes(),
            ));
            files.push((
                format!("{dir}{flows}"),
                crate::topology::flow_matrix_csv(&topology, language).into_bytes(),
            ));
            files.push((png_path, png_bytes));
        }
        let label = if self.page.language == crate::config::Language::En {
            "Diagram as PNG"
        } else {
            "Schéma en PNG"
        };
        Ok(format!(
            "{}<p class=\"downloads\"><a href=\"{png}\" download>{label}</a></p>\n",
            crate::topology::embed_html(&topology, language, &plan, &flows)
        ))
    }

    /// ```` ```kpi NAME ````: one KPI figure computed from the site's tickets.
    fn kpi(&self, args: &str) -> Result<String, (String, Option<String>)> {
        let name = args.split_whitespace().next().unwrap_or("");
        let Some(kpis) = &self.parent.data.kpis else {
            return Err((
                "no ticket write-up to compute KPIs from".to_string(),
                Some("add tickets to content/tickets/".to_string()),
            ));
        };
        crate::tickets::kpi_embed_html(name, kpis, self.page.language).map_err(|e| (e, None))
    }

    /// ```` ```include FILE [lang=…] [mask=key1,key2] ````: a file of content/ shown
    /// highlighted, with the named values replaced by `********`.
    fn include(&self, args: &str) -> Result<String, (String, Option<String>)> {
        let mut words = args.split_whitespace();
        let file = words.next().ok_or_else(|| {
            (
                "`include` needs a file name".to_string(),
                Some("write ```include config_db.php lang=php mask=dbpassword".to_string()),
            )
        })?;
        let mut lang = file
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_string())
            .unwrap_or_default();
        let mut mask: Vec<String> = Vec::new();
        for word in words {
            match word.split_once('=') {
                Some(("lang", l)) => lang = l.to_string(),
                Some(("mask", keys)) => mask.extend(
                    keys.split(',')
                        .filter(|k| !k.is_empty())
                        .map(str::to_string),
                ),
                _ => {
                    return Err((
                        format!("unknown `include` option `{word}`"),
                        Some("options are lang=LANGUAGE and mask=key1,key2".to_string()),
                    ));
                }
            }
        }
        let site = self.parent.site;
        let target = content::resolve_relative(&self.page.source.rel_path, file)
            .ok_or_else(|| (format!("`{file}` goes above the content folder"), None))?;
        let text = std::fs::read_to_string(site.root.join(content::CONTENT_DIR).join(&target))
            .map_err(|e| {
                (
                    format!("cannot include `{file}` (content/{target}): {e}"),
                    Some("the path is relative to this page's folder".to_string()),
                )
            })?;
        let shown = if mask.is_empty() {
            text
        } else {
            if let Ok(mut m) = self.parent.masked.lock() {
                m.insert(target.clone());
            }
            mask_values(&text, &mask)
        };
        let name = escape(file.rsplit('/').next().unwrap_or(file));
        Ok(format!(
            "<figure class=\"include\"><figcaption><code>{name}</code></figcaption>\n{}</figure>\n",
            highlight::code_block(&shown, &lang)
        ))
    }
}

/// Replaces the values assigned to `keys` (`$dbpassword = 'x';`, `dbpassword=x`,
/// `dbpassword: x`, `"dbpassword": "x"`) with `********`, keeping the rest of the line.
pub fn mask_values(text: &str, keys: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        out.push_str(&mask_line(line, keys));
    }
    out
}

fn mask_line(line: &str, keys: &[String]) -> String {
    for key in keys {
        let Some(at) = find_key(line, key) else {
            continue;
        };
        let after_key = at + key.len();
        let rest = &line[after_key..];
        let Some(op) = rest.find(['=', ':']) else {
            continue;
        };
        if !rest[..op].trim().trim_matches(['"', '\'']).is_empty() {
            continue;
        }
        let value_start = after_key + op + 1;
        let value_region = &line[value_start..];
        let trimmed = value_region.trim_start();
        let lead = value_region.len() - trimmed.len();
        let start = value_start + lead;
        let (end, quoted) = match trimmed.chars().next() {
            Some(q @ ('\'' | '"')) => match trimmed[1..].find(q) {
                Some(close) => (start + 1 + close, true),
                None => continue,
            },
            _ => (
                start
                    + trimmed
                        .find([';', ',', '\n', '\r'])
                        .unwrap_or(trimmed.len()),
                false,
            ),
        };
        let (from, to) = if quoted {
            (start + 1, end)
        } else {
            (start, end)
        };
        let mut masked = String::with_capacity(line.len());
        masked.push_str(&line[..from]);
        masked.push_str("********");
        masked.push_str(&line[to..]);
        return masked;
    }
    line.to_string()
}

/// The byte offset of `key` as a whole word in `line` (`$dbpassword`, `dbpassword`).
fn find_key(line: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = line[from..].find(key) {
        let at = from + i;
        let before = line[..at].chars().next_back();
        let after = line[at + key.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !word(before) && !word(after) {
            return Some(at);
        }
        from = at + key.len();
    }
    None
}

/// The navigation tree shared by every page: top sections and their pages; it also carries
/// the other template values every page shares.
struct NavTree {
    sections: Vec<NavSection>,
    shared: SharedValues,
}

/// Template values that are the same on every page, converted to Tera values once per build:
/// converting the site configuration and the UI strings for each of 10,000 pages cost more
/// than rendering the navigation. Tera's maps and arrays are reference-counted, so inserting
/// a clone into a page's context copies nothing.
struct SharedValues {
    site: tera::Value,
    strings_fr: tera::Value,
    strings_en: tera::Value,
    scripts: tera::Value,
    styles: tera::Value,
}

impl SharedValues {
    fn new(config: &Config) -> Self {
        SharedValues {
            site: tera::Value::from_serializable(config),
            strings_fr: tera::Value::from_serializable(&ui_strings(Language::Fr)),
            strings_en: tera::Value::from_serializable(&ui_strings(Language::En)),
            scripts: tera::Value::from_serializable(&theme_scripts()),
            styles: tera::Value::from_serializable(&theme_styles()),
        }
    }

    fn strings(&self, language: Language) -> tera::Value {
        match language {
            Language::Fr => self.strings_fr.clone(),
            Language::En => self.strings_en.clone(),
        }
    }
}

struct NavSection {
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
    fn new(site: &Site, data: &SiteData) -> Self {
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
        let strings = ui_strings(site.config.language);
        if !data.workflows.is_empty() {
            let title = strings["workflows"];
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
            let title = strings["kpis"];
            sections.push(NavSection::new(
                "indicateurs".into(),
                title.into(),
                KPI_URL.into(),
                Vec::new(),
            ));
        }
        NavTree {
            sections,
            shared: SharedValues::new(&site.config),
        }
    }

    /// The tree as seen from the page at `url`, with relative hrefs and the active branch.
    fn for_page(&self, config: &Config, url: &str) -> Vec<NavItem> {
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

/// The `page` object of a template.
#[derive(Debug, Clone, Serialize)]
struct PageContext<'a> {
    title: &'a str,
    description: Option<&'a str>,
    html: &'a str,
    toc: &'a [markdown::TocEntry],
    url: &'a str,
    date: Option<&'a str>,
    date_label: Option<String>,
    updated: Option<&'a str>,
    updated_label: Option<String>,
    tags: &'a [String],
    category: Option<&'a str>,
    audience: Option<&'static str>,
    audience_label: Option<&'static str>,
    section: &'a str,
    breadcrumbs: Vec<Link>,
    prev: Option<Link>,
    next: Option<Link>,
    before_html: Option<String>,
    after_html: Option<String>,
}

/// The `section` object of a template: its pages and subsections.
#[derive(Debug, Clone, Serialize, Default)]
struct SectionContext {
    title: String,
    pages: Vec<ListedPage>,
    subsections: Vec<ListedPage>,
}

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
fn base_context(site: &Site, nav: &NavTree, url: &str, language: Language, root: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert_value("site", nav.shared.site.clone());
    ctx.insert("lang", language.code());
    ctx.insert_value("t", nav.shared.strings(language));
    ctx.insert("root", root);
    ctx.insert("index_file", index_file(&site.config));
    ctx.insert("nav", &nav.for_page(&site.config, url));
    ctx.insert_value("scripts", nav.shared.scripts.clone());
    ctx.insert_value("extra_css", nav.shared.styles.clone());
    let canonical = if site.config.base_url.is_empty() {
        None
    } else {
        Some(format!("{}{url}", site.config.base_url))
    };
    ctx.insert("canonical", &canonical);
    ctx
}

/// Every `.js` file of the default theme's static/ folder, loaded by base.html.
fn theme_scripts() -> Vec<&'static str> {
    theme::STATIC_BYTES
        .iter()
        .map(|(name, _)| *name)
        .filter(|n| n.ends_with(".js") && !n.contains('/') && !n.contains("worker"))
        .collect()
}

/// Every stylesheet of the theme besides style.css.
fn theme_styles() -> Vec<&'static str> {
    theme::STATIC_BYTES
        .iter()
        .map(|(name, _)| *name)
        .filter(|n| n.ends_with(".css") && *n != "style.css" && !n.contains('/'))
        .collect()
}

fn render_page(
    site: &Site,
    data: &SiteData,
    templates: &Templates,
    nav: &NavTree,
    page: &Page,
    r: &Rendered,
) -> Result<String, Diagnostic> {
    let config = &site.config;
    let mut ctx = base_context(site, nav, &page.url, page.language, &root_prefix(&page.url));
    let strings = ui_strings(page.language);
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
        audience_label: page.front.audience.and_then(|a| {
            strings
                .get(format!("audience_{}", audience_key(a)).as_str())
                .copied()
        }),
        section: &page.section,
        breadcrumbs: breadcrumbs(site, page),
        prev,
        next,
        before_html: None,
        after_html: None,
    };
    let ticket_section = site.ticket_sections.contains(&page.section);
    if let Some(i) = page.ticket {
        page_ctx.before_html = Some(data.ticket_header(site, page, &site.tickets[i]));
        page_ctx.after_html = Some(data.ticket_footer(site, page, &site.tickets[i]));
    } else if page.is_index && ticket_section {
        page_ctx.after_html = Some(data.tickets_index(site, page));
    }
    ctx.insert("page", &page_ctx);
    let section_dir = if page.is_index {
        Some(page.section.as_str())
    } else {
        None
    };
    let section_ctx = section_dir
        .and_then(|d| site.sections.get(d))
        .map(|s| SectionContext {
            title: s.title.clone(),
            // A ticket section lists its tickets in a table instead of cards.
            pages: if ticket_section {
                Vec::new()
            } else {
                s.pages
                    .iter()
                    .map(|&i| listed(site, &page.url, &site.pages[i]))
                    .collect()
            },
            subsections: s
                .subsections
                .iter()
                .filter_map(|d| site.sections.get(d))
                .map(|sub| ListedPage {
                    title: sub.title.clone(),
                    href: page_href(config, &page.url, &sub.url),
                    description: sub
                        .index
                        .and_then(|i| site.pages[i].front.description.clone()),
                    date: None,
                    date_label: None,
                })
                .collect(),
        });
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
    templates.render(template, &ctx)
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
fn dated_pages(site: &Site) -> Vec<&Page> {
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
    let strings = ui_strings(page.language);
    let mut crumbs = vec![Link {
        title: strings["home"].to_string(),
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

/// 404.html, sitemap.xml, atom.xml, robots.txt and the theme's static files.
fn write_site_files(
    site: &Site,
    templates: &Templates,
    nav: &NavTree,
    staging: &Staging,
) -> Result<usize, Diagnostic> {
    staging.write(crate::output::MARKER, crate::output::MARKER_TEXT.as_bytes())?;
    let mut files = 1;
    let theme_dir = site
        .root
        .join("themes")
        .join(&site.config.theme)
        .join("static");
    let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    if site.config.theme == theme::DEFAULT_THEME {
        for (name, bytes) in theme::STATIC_BYTES {
            statics.insert(name.to_string(), bytes.to_vec());
        }
    }
    // The diagrams' font, so browsers measure text as guichet did (licence alongside).
    statics.insert(
        "fonts/DejaVuSans.ttf".to_string(),
        crate::diagram::font::FONT_BYTES.to_vec(),
    );
    statics.insert(
        "fonts/DejaVuSans-LICENSE.txt".to_string(),
        crate::diagram::font::FONT_LICENSE.as_bytes().to_vec(),
    );
    read_static_overrides(&theme_dir, "", &mut statics);
    read_static_overrides(&site.root.join("static"), "", &mut statics);
    for (name, bytes) in &statics {
        staging.write(&format!("static/{name}"), bytes)?;
        files += 1;
    }
    // The 404 page is served for any missing URL, so its links must not be relative.
    let root_404 = if site.config.base_url.is_empty() {
        "/".to_string()
    } else {
        site.config.base_path()
    };
    let mut ctx = base_context(site, nav, "", site.config.language, &root_404);
    let nav_404: Vec<NavItem> = nav
        .for_page(&site.config, "")
        .into_iter()
        .map(|mut item| {
            item.href = format!("{root_404}{}", item.href.trim_start_matches("./"));
            item
        })
        .collect();
    ctx.insert("nav", &nav_404);
    // A missing URL has no canonical page; pointing at the home page would misname it.
    ctx.insert("canonical", &None::<String>);
    let no_page: Option<()> = None;
    ctx.insert("page", &no_page);
    staging.write("404.html", templates.render("404.html", &ctx)?.as_bytes())?;
    staging.write("sitemap.xml", sitemap(site).as_bytes())?;
    staging.write("atom.xml", atom(site).as_bytes())?;
    // The Sitemap line must be an absolute URL, which only a base_url gives.
    let robots = if site.config.base_url.is_empty() {
        "User-agent: *\nAllow: /\n".to_string()
    } else {
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            site.config.base_url
        )
    };
    staging.write("robots.txt", robots.as_bytes())?;
    Ok(files + 4)
}

fn read_static_overrides(dir: &Path, prefix: &str, into: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let path = entry.path();
        if path.is_dir() {
            read_static_overrides(&path, &rel, into);
        } else if let Ok(bytes) = std::fs::read(&path) {
            into.insert(rel, bytes);
        }
    }
}

/// The URL of the page at `url` as written in the sitemap and the feed: under base_url, or,
/// for a site without one, relative to the site root where both files sit (so they still
/// work from any folder and from file://).
fn feed_url(config: &Config, url: &str) -> String {
    format!("{}{url}{}", config.base_url, index_file(config))
}

fn sitemap(site: &Site) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut urls: Vec<&Page> = site.pages.iter().collect();
    urls.sort_by(|a, b| a.url.cmp(&b.url));
    for p in urls {
        xml.push_str(&format!(
            "  <url><loc>{}</loc>",
            escape(&feed_url(&site.config, &p.url))
        ));
        if let Some(d) = p.front.updated.as_ref().or(p.front.date.as_ref()) {
            xml.push_str(&format!("<lastmod>{}</lastmod>", escape(d)));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

fn atom(site: &Site) -> String {
    let home = feed_url(&site.config, "");
    // An Atom id must be an absolute IRI and never change; without base_url the site-rooted
    // path is the closest stable name.
    let id_base = if site.config.base_url.is_empty() {
        "/"
    } else {
        site.config.base_url.as_str()
    };
    let pages = dated_pages(site);
    let updated = pages
        .first()
        .and_then(|p| p.front.updated.as_ref().or(p.front.date.as_ref()))
        .map(|d| rfc3339(d))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    xml.push_str(&format!("  <title>{}</title>\n  <id>{}</id>\n  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}atom.xml\"/>\n  <updated>{updated}</updated>\n", escape(&site.config.title), escape(id_base), escape(&home), escape(&site.config.base_url)));
    if let Some(author) = &site.config.author {
        xml.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            escape(author)
        ));
    }
    for p in pages.into_iter().take(20) {
        let id = escape(&format!("{id_base}{}", p.url));
        let url = escape(&feed_url(&site.config, &p.url));
        let date = rfc3339(
            p.front
                .updated
                .as_ref()
                .or(p.front.date.as_ref())
                .map(String::as_str)
                .unwrap_or(""),
        );
        xml.push_str(&format!("  <entry>\n    <title>{}</title>\n    <id>{id}</id>\n    <link href=\"{url}\"/>\n    <updated>{date}</updated>\n", escape(&p.title)));
        if let Some(d) = &p.front.description {
            xml.push_str(&format!("    <summary>{}</summary>\n", escape(d)));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// `2025-03-12` → `2025-03-12T00:00:00Z`; a full timestamp is kept.
fn rfc3339(date: &str) -> String {
    if date.len() == 10 {
        format!("{date}T00:00:00Z")
    } else {
        date.to_string()
    }
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
    fn masks_php_ini_and_yaml_values() {
        let keys = vec!["dbpassword".to_string()];
        assert_eq!(
            mask_values("   public $dbpassword = 'S3cr3t!';\n", &keys),
            "   public $dbpassword = '********';\n"
        );
        assert_eq!(
            mask_values("dbpassword=S3cr3t\n", &keys),
            "dbpassword=********\n"
        );
        assert_eq!(
            mask_values("dbpassword: \"a b\"\n", &keys),
            "dbpassword: \"********\"\n"
        );
        assert_eq!(
            mask_values("public $dbpassword_old = 'x';\n", &keys),
            "public $dbpassword_old = 'x';\n"
        );
        assert_eq!(
            mask_values("public $dbuser = 'glpi';\n", &keys),
            "public $dbuser = 'glpi';\n"
        );
    }
}
