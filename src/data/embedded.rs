//! The files that page embeds show, found and read in the validate stage: each
//! ```` ```topologie ```` block's network description (parsed and checked, so its errors
//! come with the other validation errors) and each ```` ```include ```` block's file. The
//! embeds then only turn these values into HTML; rendering never reads a source file.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::content;
use crate::diagnostics::Diagnostic;
use crate::language::Language;
use crate::markdown::{self, EmbedError};
use crate::site::{Page, Site};
use crate::source_layout::CONTENT_DIR;
use crate::topology::{self, SharedSizes, Topology};

/// The embedded files of every page that has any, by index into `site.pages`.
#[derive(Debug, Default)]
pub(crate) struct EmbeddedFiles {
    by_page: HashMap<usize, PageFiles>,
}

/// What one page's file-reading embeds need, in the order their blocks appear.
#[derive(Debug, Default)]
pub(crate) struct PageFiles {
    /// One entry per `topologie` block.
    pub topologies: Vec<TopologyBlock>,
    /// One entry per `include` block.
    pub includes: Vec<Included>,
}

/// A `topologie` block's network, ready to draw.
#[derive(Debug)]
pub(crate) enum TopologyBlock {
    /// Parsed and valid; `stem` names its files (`reseau` → `reseau.png`).
    Ready {
        /// The validated network.
        topology: Box<Topology>,
        /// The file stem, or `topologie` for YAML written in the block.
        stem: String,
        /// True for YAML written in the block rather than in a file.
        inline: bool,
        /// On a translated site, the room its texts take in the largest language, so that
        /// every language's diagram has the same layout.
        sizes: Option<SharedSizes>,
    },
    /// Its file could not be read: the embed reports this at the block.
    Unreadable(EmbedError),
    /// Its YAML has errors, reported at their own lines by the validate stage.
    Invalid,
}

/// An `include` block's file: its content path and text, or why it cannot be shown.
#[derive(Debug)]
pub(crate) struct Included {
    /// The file as read, or the error the embed reports at the block.
    pub file: Result<IncludedFile, EmbedError>,
}

/// A file read for an `include` block.
#[derive(Debug)]
pub(crate) struct IncludedFile {
    /// Its path relative to content/, to leave it out of the copied files when masked.
    pub target: String,
    /// Its text.
    pub text: String,
}

static NO_FILES: PageFiles = PageFiles {
    topologies: Vec::new(),
    includes: Vec::new(),
};

impl EmbeddedFiles {
    /// Finds the file-reading embeds of every page and reads their files; the errors and
    /// warnings of topology files go to `diagnostics`, each once even when several pages
    /// of the language embed the same file.
    pub(crate) fn load(site: &Site, diagnostics: &mut Vec<Diagnostic>) -> EmbeddedFiles {
        let found: Vec<(usize, PageFiles, Vec<Diagnostic>)> = site
            .pages
            .par_iter()
            .enumerate()
            .filter(|(_, page)| may_embed_files(page.source.body()))
            .map(|(i, page)| {
                let (files, errors) = PageFiles::load(site, page);
                (i, files, errors)
            })
            .collect();
        let mut by_page = HashMap::new();
        let mut seen = BTreeSet::new();
        for (i, files, errors) in found {
            diagnostics.extend(
                errors
                    .into_iter()
                    .filter(|d| seen.insert((d.path.clone(), d.line, d.column, d.message.clone()))),
            );
            by_page.insert(i, files);
        }
        EmbeddedFiles { by_page }
    }

    /// The embedded files of the page at `index` (none for most pages).
    pub(crate) fn of_page(&self, index: usize) -> &PageFiles {
        self.by_page.get(&index).unwrap_or(&NO_FILES)
    }

    /// Whether the page at `index` may embed files (the build cache never keeps such a page:
    /// its files may change while it does not).
    pub(crate) fn has_files(&self, index: usize) -> bool {
        self.by_page.contains_key(&index)
    }
}

impl PageFiles {
    /// Reads the files of `page`'s `topologie` and `include` blocks; returns the errors
    /// found inside topology files and the warnings of their texts missing in the page's
    /// language.
    pub(crate) fn load(site: &Site, page: &Page) -> (PageFiles, Vec<Diagnostic>) {
        let mut files = PageFiles::default();
        let mut errors = Vec::new();
        for block in fenced_blocks(page) {
            match block.kind.as_str() {
                "topologie" => {
                    files
                        .topologies
                        .push(load_topology(site, page, &block, &mut errors))
                }
                "include" => files.includes.push(Included {
                    file: load_include(site, page, &block.args),
                }),
                _ => {}
            }
        }
        (files, errors)
    }
}

/// A cheap test that skips parsing the Markdown of pages that cannot have such a block.
fn may_embed_files(body: &str) -> bool {
    body.contains("topologie") || body.contains("include")
}

/// A fenced code block as the Markdown renderer sees it.
struct Block {
    kind: String,
    args: String,
    text: String,
    /// The file line of the block's first body line.
    body_line: usize,
}

/// The page's fenced code blocks, in order, parsed as [`markdown::render`] parses them.
fn fenced_blocks(page: &Page) -> Vec<Block> {
    let body = page.source.body();
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let info = info.trim();
                let (kind, args) = info
                    .split_once(char::is_whitespace)
                    .map(|(k, a)| (k, a.trim()))
                    .unwrap_or((info, ""));
                let line = body[..range.start].matches('\n').count();
                current = Some(Block {
                    kind: kind.to_string(),
                    args: args.to_string(),
                    text: String::new(),
                    body_line: page.source.body_line + line + 1,
                });
            }
            Event::Text(text) => {
                if let Some(block) = &mut current {
                    block.text.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// Where a `topologie` block's YAML comes from: a file beside the page, or the block itself.
struct TopologySource<'a> {
    /// The file named in diagnostics.
    path: PathBuf,
    /// The YAML.
    yaml: Cow<'a, str>,
    /// The line of `full_text` the YAML starts at.
    first_line: usize,
    /// The whole file, quoted under diagnostics; `None` when it is `yaml` itself.
    full_text: Option<&'a str>,
    /// The file stem, or `topologie` for YAML written in the block.
    stem: String,
    /// True for YAML written in the block.
    inline: bool,
}

impl TopologySource<'_> {
    /// The topology in `language` (else the site's default language), with a warning for
    /// each text missing in it.
    fn parse(
        &self,
        site: &Site,
        language: Language,
    ) -> Result<(Topology, Vec<Diagnostic>), Vec<Diagnostic>> {
        topology::parse_in_language(
            &self.path,
            &self.yaml,
            self.first_line,
            self.full_text.unwrap_or(&self.yaml),
            &self.stem,
            super::text_languages(site, language),
        )
    }
}

/// The block's topology in the page's language: a page shown untranslated in another
/// language's tree has that tree's language, so its topology is drawn in that language,
/// like the workflows it embeds. The warnings of texts missing in that language go to
/// `found`, with the file's errors.
fn load_topology(
    site: &Site,
    page: &Page,
    block: &Block,
    found: &mut Vec<Diagnostic>,
) -> TopologyBlock {
    let source = match topology_source(site, page, block) {
        Ok(source) => source,
        Err(e) => return TopologyBlock::Unreadable(e),
    };
    match source.parse(site, page.language) {
        Ok((topology, mut warnings)) => {
            found.append(&mut warnings);
            let sizes = shared_sizes(site, page.language, &topology, &source);
            TopologyBlock::Ready {
                topology: Box::new(topology),
                stem: source.stem,
                inline: source.inline,
                sizes,
            }
        }
        Err(mut e) => {
            found.append(&mut e);
            TopologyBlock::Invalid
        }
    }
}

/// The YAML of a `topologie` block: the file it names, read, or the block's own text.
fn topology_source<'a>(
    site: &Site,
    page: &'a Page,
    block: &'a Block,
) -> Result<TopologySource<'a>, EmbedError> {
    let Some(file) = block.args.split_whitespace().next() else {
        return Ok(TopologySource {
            path: page.source.file.clone(),
            yaml: Cow::Borrowed(&block.text),
            first_line: block.body_line,
            full_text: Some(&page.source.text),
            stem: "topologie".to_string(),
            inline: true,
        });
    };
    let target = content::resolve_relative(&page.source.rel_path, file)
        .ok_or_else(|| EmbedError::new(format!("`{file}` goes above the content folder")))?;
    let shown = Path::new(CONTENT_DIR).join(&target);
    let text = std::fs::read_to_string(site.root.join(&shown)).map_err(|e| {
        EmbedError::new(format!(
            "cannot read the topology `{file}` ({}): {e}",
            shown.display()
        ))
        .with_help("the path is relative to this page's folder")
    })?;
    let stem = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml")
        .to_string();
    Ok(TopologySource {
        path: shown,
        yaml: Cow::Owned(text),
        first_line: 1,
        full_text: None,
        stem,
        inline: false,
    })
}

/// On a translated site, the room the topology's texts take in the largest of the site's
/// languages (and the page's): each language's diagram is laid out with it, so that all
/// share one layout. `None` for a site in one language, whose diagrams stay as they were.
fn shared_sizes(
    site: &Site,
    language: Language,
    topology: &Topology,
    source: &TopologySource,
) -> Option<SharedSizes> {
    if site.config.languages.len() < 2 {
        return None;
    }
    // The other versions are only measured: their warnings are their own pages' to report.
    let others: Vec<(Topology, Language)> = (site.config.languages.iter())
        .filter(|&&other| other != language)
        .filter_map(|&other| Some((source.parse(site, other).ok()?.0, other)))
        .collect();
    let variants: Vec<(&Topology, Language)> = std::iter::once((topology, language))
        .chain(others.iter().map(|(t, l)| (t, *l)))
        .collect();
    Some(SharedSizes::of(&variants))
}

fn load_include(site: &Site, page: &Page, args: &str) -> Result<IncludedFile, EmbedError> {
    // A block without a file name is reported by the embed, which also checks its options.
    let file = args.split_whitespace().next().unwrap_or("");
    let target = content::resolve_relative(&page.source.rel_path, file)
        .ok_or_else(|| EmbedError::new(format!("`{file}` goes above the content folder")))?;
    let text = std::fs::read_to_string(site.root.join(CONTENT_DIR).join(&target)).map_err(|e| {
        EmbedError::new(format!("cannot include `{file}` (content/{target}): {e}"))
            .with_help("the path is relative to this page's folder")
    })?;
    Ok(IncludedFile { target, text })
}
