//! The files that page embeds show, found and read in the validate stage: each
//! ```` ```topologie ```` block's network description (parsed and checked, so its errors
//! come with the other validation errors) and each ```` ```include ```` block's file. The
//! embeds then only turn these values into HTML; rendering never reads a source file.

use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::content;
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, EmbedError};
use crate::site::{Page, Site};
use crate::source_layout::CONTENT_DIR;
use crate::topology::{self, Topology};

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
    /// Finds the file-reading embeds of every page and reads their files; the errors of
    /// topology files go to `diagnostics`.
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
        for (i, files, mut errors) in found {
            diagnostics.append(&mut errors);
            by_page.insert(i, files);
        }
        EmbeddedFiles { by_page }
    }

    /// The embedded files of the page at `index` (none for most pages).
    pub(crate) fn of_page(&self, index: usize) -> &PageFiles {
        self.by_page.get(&index).unwrap_or(&NO_FILES)
    }
}

impl PageFiles {
    /// Reads the files of `page`'s `topologie` and `include` blocks; returns the errors
    /// found inside topology files.
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

fn load_topology(
    site: &Site,
    page: &Page,
    block: &Block,
    errors: &mut Vec<Diagnostic>,
) -> TopologyBlock {
    let parsed = match block.args.split_whitespace().next() {
        Some(file) => {
            let Some(target) = content::resolve_relative(&page.source.rel_path, file) else {
                return TopologyBlock::Unreadable(EmbedError::new(format!(
                    "`{file}` goes above the content folder"
                )));
            };
            let shown = Path::new(CONTENT_DIR).join(&target);
            let text = match std::fs::read_to_string(site.root.join(&shown)) {
                Ok(text) => text,
                Err(e) => {
                    return TopologyBlock::Unreadable(
                        EmbedError::new(format!(
                            "cannot read the topology `{file}` ({}): {e}",
                            shown.display()
                        ))
                        .with_help("the path is relative to this page's folder"),
                    );
                }
            };
            let stem = file
                .rsplit('/')
                .next()
                .unwrap_or(file)
                .trim_end_matches(".yaml")
                .trim_end_matches(".yml")
                .to_string();
            topology::parse(&shown, &text, &stem).map(|t| (t, stem, false))
        }
        None => {
            let stem = "topologie".to_string();
            topology::parse_inline(
                &page.source.file,
                &block.text,
                block.body_line,
                &page.source.text,
                &stem,
            )
            .map(|t| (t, stem, true))
        }
    };
    match parsed {
        Ok((topology, stem, inline)) => TopologyBlock::Ready {
            topology: Box::new(topology),
            stem,
            inline,
        },
        Err(mut e) => {
            errors.append(&mut e);
            TopologyBlock::Invalid
        }
    }
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
