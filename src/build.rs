//! The orchestrator: the one place that wires the stages together. `guichet build` calls
//! [`build`]; `serve` and the tests use the same function. Read top to bottom, it is the
//! pipeline of docs/architecture.md:
//!
//! 1. load: guichet.yaml ([`Config::load`]) and content/ ([`content::load`]);
//! 2. validate: pages ([`site::load`]), templates, and everything besides pages
//!    ([`SiteData::load`]: workflows, tickets, KPIs, topologies and included files);
//! 3. render: each page's Markdown with its embeds ([`crate::embed`]), its template
//!    ([`crate::page`]), the generated pages, feeds, static files and the search index;
//! 4. write: into a staging folder that replaces the output only when no error was found
//!    ([`Staging`]).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content;
use crate::data::SiteData;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::embed::PageEmbeds;
use crate::markdown::{self, Rendered};
use crate::output::Staging;
use crate::page::links::SiteLinks;
use crate::page::{self, Lifecycles, NavTree, View};
use crate::render::Templates;
use crate::site::{self, Page, Site};
use crate::source_layout::CONTENT_DIR;
use cache::BuildCache;

mod cache;
mod checks;
mod front_matter;
mod incremental;
mod progress;

pub(crate) use incremental::{BuildState, PageUpdate, rerender_page};
pub use progress::BuildProgress;

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
    /// Pages taken from the build cache instead of being rendered again.
    pub cached_pages: usize,
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
    build_with_progress(options, &BuildProgress::default())
}

/// [`build`], counting its stages and pages in `progress` as it goes (another thread may show
/// them).
pub fn build_with_progress(
    options: &BuildOptions,
    progress: &BuildProgress,
) -> Result<BuildReport, Diagnostics> {
    let (report, state) = build_counted(options, progress, Sources::Free)?;
    // Nobody reads the state of a plain build: it is freed in the background, and the
    // command line, which exits once the report is printed, never waits for it.
    rayon::spawn(move || drop(state));
    Ok(report)
}

/// [`build_with_progress`], also returning what [`rerender_page`] needs to update one page
/// later without rebuilding the site (`serve` keeps it between edits).
pub(crate) fn build_with_state(
    options: &BuildOptions,
    progress: &BuildProgress,
) -> Result<(BuildReport, BuildState), Diagnostics> {
    build_counted(options, progress, Sources::Keep)
}

fn build_counted(
    options: &BuildOptions,
    progress: &BuildProgress,
    sources: Sources,
) -> Result<(BuildReport, BuildState), Diagnostics> {
    let started = Instant::now();
    progress.stage(progress::LOADING, 0);
    let Validated {
        mut site,
        templates,
        data,
        diagnostics: data_diagnostics,
        mut translations,
    } = load_and_validate(options)?;
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| options.root.join(&site.config.output));
    crate::output::check_output_folder(&options.root, &out).map_err(Diagnostics::from)?;
    let mut staging = Staging::new(&out).map_err(Diagnostics::from)?;
    let cache = BuildCache::open(&out, cache::site_key(&site, &data, options));
    let run = Run {
        progress,
        cache: &cache,
    };
    let (files, mut diagnostics, rendered, nav) = render_every_language(
        &mut site,
        &data,
        &mut translations,
        &templates,
        &mut staging,
        &run,
        sources,
    )?;
    diagnostics.extend(data_diagnostics);
    diagnostics.extend(portfolio_warnings(&site, &data));
    let mut all = Diagnostics(diagnostics);
    all.sort();
    all.0.dedup();
    if all.has_errors() || (options.strict && !all.0.is_empty()) {
        return Err(all);
    }
    staging.commit().map_err(Diagnostics::from)?;
    let cached_pages = cache.reused();
    cache.publish();
    let sections = site.sections.values().filter(|s| !s.dir.is_empty()).count();
    let report = BuildReport {
        pages: site.pages.len()
            + translations
                .iter()
                .map(|(s, _)| s.pages.len())
                .sum::<usize>(),
        sections,
        files,
        elapsed: started.elapsed(),
        warnings: all.0,
        out,
        cached_pages,
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

/// What the portfolio lacks, as build warnings, unless guichet.yaml's `check: portfolio:
/// false` turned the rule off (`guichet check` reports them under that rule instead).
fn portfolio_warnings(site: &Site, data: &SiteData) -> Vec<Diagnostic> {
    match &data.portfolio {
        Some(portfolio) if site.config.check.portfolio => portfolio.warnings.clone(),
        _ => Vec::new(),
    }
}

/// What the load and validate stages give the render stage.
struct Validated {
    /// The site (in its default language, for a translated site).
    site: Site,
    templates: Templates,
    data: SiteData,
    /// The validate stage's warnings.
    diagnostics: Vec<Diagnostic>,
    /// A translated site's other languages, each a site of its own with its data.
    translations: Vec<(Site, SiteData)>,
}

/// The load and validate stages: the site, its templates and its data, with the validate
/// stage's warnings; its errors stop here, before anything is rendered.
fn load_and_validate(options: &BuildOptions) -> Result<Validated, Diagnostics> {
    let config = Config::load(&options.root).map_err(Diagnostics::from)?;
    let sources = content::load(&options.root).map_err(Diagnostics::from)?;
    let (sources, translated) =
        crate::translation::split(&config, sources).map_err(Diagnostics::from)?;
    let site =
        site::load(&options.root, config, sources, options.drafts).map_err(Diagnostics::from)?;
    let templates =
        Templates::load(&options.root, &site.config.theme).map_err(Diagnostics::from)?;
    let mut sites = crate::translation::language_sites(site, translated, options.drafts)
        .map_err(Diagnostics::from)?
        .into_iter();
    let site = sites
        .next()
        .expect("language_sites returns the default site first");
    let (data, mut diagnostics) = SiteData::load(&site);
    let translations: Vec<(Site, SiteData)> = sites
        .map(|other| {
            let (data, found) = SiteData::load(&other);
            diagnostics.extend(found);
            (other, data)
        })
        .collect();
    if diagnostics.iter().any(Diagnostic::is_error) {
        let mut all = Diagnostics(diagnostics);
        all.sort();
        all.0.dedup();
        return Err(all);
    }
    Ok(Validated {
        site,
        templates,
        data,
        diagnostics,
        translations,
    })
}

/// What a build run carries through its stages besides the site: its progress, which
/// another thread may show, and its cache of pages.
struct Run<'a> {
    progress: &'a BuildProgress,
    cache: &'a BuildCache,
}

/// Whether the pages' Markdown stays in memory once every page is rendered: `serve` and
/// `check` read it again; `build` frees it before the search index, the stage that needs
/// the most memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sources {
    /// Kept, for whoever reads the site after the build.
    Keep,
    /// Freed before the search index is made.
    Free,
}

/// The default language's site, then (for a translated site) the other languages and what
/// they share; then the search index (one per language). Returns the files written, the
/// warnings, and the default language's pages and navigation.
fn render_every_language(
    site: &mut Site,
    data: &SiteData,
    translations: &mut [(Site, SiteData)],
    templates: &Templates,
    staging: &mut Staging,
    run: &Run,
    sources: Sources,
) -> Result<(usize, Vec<Diagnostic>, Vec<Rendered>, NavTree), Diagnostics> {
    let mut documents = Vec::new();
    let (mut files, mut diagnostics, rendered, nav) =
        render_site(site, data, templates, staging, run, &mut documents)?;
    crate::memory::release_freed_memory();
    files += render_translations(
        site,
        translations,
        templates,
        staging,
        run.progress,
        &mut documents,
        &mut diagnostics,
    )?;
    if sources == Sources::Free {
        forget_sources(site);
        for (other, _) in translations.iter_mut() {
            forget_sources(other);
        }
        crate::memory::release_freed_memory();
    }
    staging.set_prefix("");
    files += count_written(
        write_search_index(documents, &site.config.synonyms, staging, run.cache),
        &mut diagnostics,
    )?;
    Ok((files, diagnostics, rendered, nav))
}

/// Frees every page's and ticket's Markdown, which nothing after rendering reads in `build`.
fn forget_sources(site: &mut Site) {
    site.pages.par_iter_mut().for_each(Page::forget_source);
    site.tickets
        .par_iter_mut()
        .for_each(crate::tickets::Ticket::forget_source);
}

/// Renders a translated site's other languages, each under its folder (`en/`), and the
/// sitemap with each page's translations; their pages go into `documents`, for the search
/// index. Returns the number of files written.
fn render_translations(
    site: &Site,
    translations: &[(Site, SiteData)],
    templates: &Templates,
    staging: &mut Staging,
    progress: &BuildProgress,
    documents: &mut Vec<crate::search::SearchDoc>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<usize, Diagnostics> {
    if !site.translation.is_multilingual() {
        return Ok(0);
    }
    let mut files = 0;
    // A translated site's languages show each other's pages: none is taken from a cache.
    let no_cache = BuildCache::none();
    let run = Run {
        progress,
        cache: &no_cache,
    };
    for (other, data) in translations {
        staging.set_prefix(&other.translation.prefix);
        let (n, found, _, _) = render_site(other, data, templates, staging, &run, documents)?;
        crate::memory::release_freed_memory();
        files += n;
        diagnostics.extend(found);
    }
    staging.set_prefix("");
    let mut sites = vec![site];
    sites.extend(translations.iter().map(|(s, _)| s));
    let sitemap = page::feeds::translated_sitemap(&sites);
    let written = vec![staging.write("sitemap.xml", sitemap.as_bytes())];
    Ok(files + count_written(written, diagnostics)?)
}

/// The number of files written; a failed write joins `diagnostics`, and any error there
/// stops the build.
fn count_written(
    written: Vec<Result<(), Diagnostic>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<usize, Diagnostics> {
    let mut files = 0;
    for result in written {
        match result {
            Ok(()) => files += 1,
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(std::mem::take(diagnostics)));
    }
    Ok(files)
}

/// A site that went through every stage of `build` but `write`, for `guichet check`.
pub(crate) struct CheckedSite {
    /// The site in memory.
    pub site: Site,
    /// Its workflows, tickets and embedded files.
    pub data: SiteData,
    /// The build's warnings (errors are returned instead of this).
    pub warnings: Vec<Diagnostic>,
    /// A translated site's other languages, each checked as a site of its own.
    pub translations: Vec<CheckedSite>,
}

/// Every stage of [`build`] but `write`: the site is rendered through a staging that
/// discards every file, so nothing is written and the output folder is only read (for its
/// PNGs). Returns the build's errors, or the site and its warnings.
pub(crate) fn validate_without_writing(options: &BuildOptions) -> Result<CheckedSite, Diagnostics> {
    let Validated {
        mut site,
        templates,
        data,
        diagnostics: data_diagnostics,
        mut translations,
    } = load_and_validate(options)?;
    let mut staging = Staging::discarding(&options.root.join(&site.config.output));
    let no_cache = BuildCache::none();
    let run = Run {
        progress: &BuildProgress::default(),
        cache: &no_cache,
    };
    let (_, mut warnings, _, _) = render_every_language(
        &mut site,
        &data,
        &mut translations,
        &templates,
        &mut staging,
        &run,
        Sources::Keep,
    )?;
    warnings.extend(data_diagnostics);
    let mut all = Diagnostics(warnings);
    all.sort();
    all.0.dedup();
    let warnings = all.0;
    Ok(CheckedSite {
        site,
        data,
        warnings,
        translations: translations
            .into_iter()
            .map(|(site, data)| CheckedSite {
                site,
                data,
                warnings: Vec::new(),
                translations: Vec::new(),
            })
            .collect(),
    })
}

/// Renders every output file of `site` into `staging` but the search index, whose pages
/// go into `search_documents`; returns the number of files, the diagnostics (errors stop
/// the build, warnings do not), and the pages' rendering (without their HTML) and navigation
/// for later incremental updates.
fn render_site(
    site: &Site,
    data: &SiteData,
    templates: &Templates,
    staging: &Staging,
    run: &Run,
    search_documents: &mut Vec<crate::search::SearchDoc>,
) -> Result<(usize, Vec<Diagnostic>, Vec<Rendered>, NavTree), Diagnostics> {
    let progress = run.progress;
    // A translated site's languages share the output's root files: the marker, the static
    // files, content/'s files and the 404 page are written once, with the default language.
    let default_language = site.translation.is_default();
    let earlier = staging.earlier_outputs();
    let mut diagnostics = checks::check_templates(site, templates);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(diagnostics));
    }
    let pngs = page::generated::workflow_pngs(site, data, &earlier);
    let nav = NavTree::new(site, data);
    let lifecycles = Lifecycles::new(site, data);
    let view = View {
        site,
        data,
        templates,
        nav: &nav,
        lifecycles: &lifecycles,
    };
    let mut files = 0;
    progress.stage("rendering pages", site.pages.len());
    let mut rendered = render_pages(&view, staging, &earlier, &mut files, &mut diagnostics, run);
    progress.stage("writing", 0);
    diagnostics.extend(checks::check_anchors(site, &rendered));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(diagnostics));
    }
    let mut written: Vec<Result<(), Diagnostic>> = Vec::new();
    // What the embeds produced: files beside their pages, and content files shown masked
    // (never copied whole).
    let mut masked = std::collections::BTreeSet::new();
    for r in &mut rendered {
        for (path, bytes) in std::mem::take(&mut r.files) {
            written.push(staging.write(&path, &bytes));
        }
        masked.extend(std::mem::take(&mut r.masked));
    }
    if default_language {
        for asset in site.assets.iter().filter(|a| !masked.contains(*a)) {
            written.push(staging.copy(&site.root.join(CONTENT_DIR).join(asset), asset));
        }
        written.push(staging.write(crate::output::MARKER, crate::output::MARKER_TEXT.as_bytes()));
        match page::statics::static_files(site) {
            Ok(statics) => written.extend(
                statics
                    .iter()
                    .map(|(name, bytes)| staging.write(&format!("static/{name}"), bytes)),
            ),
            Err(d) => diagnostics.push(d),
        }
    }
    for (path, text) in page::feeds::feeds(site) {
        // A translated site's sitemap lists every language (render_translations).
        let wanted = match path {
            "sitemap.xml" => !site.translation.is_multilingual(),
            "robots.txt" => default_language,
            _ => true,
        };
        if wanted {
            written.push(staging.write(path, text.as_bytes()));
        }
    }
    match page::generated::write_all(&view, staging, pngs) {
        Ok(n) => files += n,
        Err(d) => diagnostics.push(d),
    }
    progress.stage("search index", 0);
    let mut documents = page::search_docs::documents(site, &mut rendered, data);
    // One index for every language, written once all are rendered.
    for doc in &mut documents {
        doc.url.insert_str(0, &site.translation.prefix);
    }
    search_documents.append(&mut documents);
    files += count_written(written, &mut diagnostics)?;
    Ok((files, diagnostics, rendered, nav))
}

/// Builds the search index of `documents` and writes it, each group of files in parallel as
/// soon as it is made: the index of a large site is never held whole.
fn write_search_index(
    documents: Vec<crate::search::SearchDoc>,
    synonyms: &[Vec<String>],
    staging: &Staging,
    cache: &BuildCache,
) -> Vec<Result<(), Diagnostic>> {
    let mut written = Vec::new();
    crate::search::write_index(documents, synonyms, cache.search(), &mut |files| {
        written.par_extend(
            files
                .into_par_iter()
                .map(|(path, bytes)| staging.write(&path, &bytes)),
        );
    });
    written
}

/// Renders and writes every page of content/, one pass per page: Markdown, template, file.
/// Only what later checks and the search index need is kept (ids, links to anchors, text,
/// the embeds' files), not the HTML: a large site's pages never sit in memory all at once.
/// A page whose inputs did not change since the last build is taken from the build cache
/// instead. A failed check discards the staged files anyway.
fn render_pages(
    view: &View,
    staging: &Staging,
    earlier: &[PathBuf],
    files: &mut usize,
    diagnostics: &mut Vec<Diagnostic>,
    run: &Run,
) -> Vec<Rendered> {
    let site = view.site;
    let mut results: Vec<(usize, Rendered, Result<(), Diagnostic>)> = render_order(site)
        .into_par_iter()
        .map(|index| {
            let cacheable = run.cache.is_active() && cache::is_cacheable(site, view.data, index);
            let (r, written) = cacheable
                .then(|| from_cache(run.cache, staging, &site.pages[index]))
                .flatten()
                .unwrap_or_else(|| render_and_write(view, staging, earlier, index, cacheable, run));
            run.progress.advance();
            (index, r, written)
        })
        .collect();
    results.sort_unstable_by_key(|(index, _, _)| *index);
    let mut rendered = Vec::with_capacity(results.len());
    for (_, r, written) in results {
        diagnostics.extend(r.diagnostics.iter().cloned());
        match written {
            Ok(()) => *files += 1,
            Err(d) => diagnostics.push(d),
        }
        rendered.push(r);
    }
    rendered
}

/// The page's rendering and output file as the build cache and the last build hold them,
/// when its inputs did not change and its output file is still there.
fn from_cache(
    cache: &BuildCache,
    staging: &Staging,
    page: &Page,
) -> Option<(Rendered, Result<(), Diagnostic>)> {
    let cached = cache.lookup(page)?;
    let path = format!("{}index.html", page.url);
    match staging.reuse(&path, cached.html_hash, cached.html_len) {
        Ok(true) => {
            cache.keep(page, &cached);
            Some((cached.rendered, Ok(())))
        }
        Ok(false) => None,
        Err(d) => Some((cached.rendered, Err(d))),
    }
}

/// Renders the page at `index` and writes its file; a page that may be cached is recorded
/// in the next cache.
fn render_and_write(
    view: &View,
    staging: &Staging,
    earlier: &[PathBuf],
    index: usize,
    cacheable: bool,
    run: &Run,
) -> (Rendered, Result<(), Diagnostic>) {
    let site = view.site;
    let page = &site.pages[index];
    let embedded = view.data.embedded.of_page(index);
    let mut r = render_markdown(site, view.data, page, embedded, earlier);
    let written = if r.diagnostics.iter().any(Diagnostic::is_error) {
        Ok(())
    } else {
        page::render_page(view, page, &r).and_then(|html| {
            let hash = staging.write_hashed(&format!("{}index.html", page.url), &html)?;
            if cacheable {
                run.cache.record(page, &r, hash, html.len());
            }
            Ok(())
        })
    };
    r.html = String::new();
    (r, written)
}

/// The indexes of the site's pages in the order their sidebars list them: each section's
/// pages in its order, then the pages no section lists. Each thread renders a run of
/// consecutive pages, and the sidebars of neighbours share all their entries but one
/// (see `NavTree::value_for_page`); in the order of their paths they share none.
fn render_order(site: &Site) -> Vec<usize> {
    let mut listed = vec![false; site.pages.len()];
    let mut order = Vec::with_capacity(site.pages.len());
    for section in site.sections.values() {
        for &index in &section.pages {
            if !std::mem::replace(&mut listed[index], true) {
                order.push(index);
            }
        }
    }
    order.extend((0..site.pages.len()).filter(|&index| !listed[index]));
    order
}

/// A page's Markdown rendered with the site's links and embeds.
fn render_markdown(
    site: &Site,
    data: &SiteData,
    page: &Page,
    embedded: &crate::data::PageFiles,
    earlier: &[PathBuf],
) -> Rendered {
    let links = SiteLinks { site, from: page };
    let src = markdown::Source {
        file: &page.source.file,
        text: &page.source.text,
        body: page.source.body(),
        body_line: page.source.body_line,
        language: page.language,
    };
    let mut embeds = PageEmbeds::new(site, data, page, embedded, earlier);
    markdown::render(&src, &links, &mut embeds)
}
