//! Markdown to HTML with pulldown-cmark: heading ids, table of contents, alerts, highlighted
//! code, embeds, link rewriting, and the plain text of each section for the search index.
//!
//! Runs once per page during `render`; link targets and embeds are answered by the caller
//! through [`PageLinks`] and [`Embeds`], so this module knows nothing about the site.

use std::collections::HashSet;
use std::path::Path;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::escape::escape;
use crate::highlight::code_block;
use crate::language::Language;

/// One heading of a page, for its table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 2 for `##`, 3 for `###`…
    pub level: u8,
    /// The heading's id, unique in the page.
    pub id: String,
    /// The heading's text, without markup.
    pub title: String,
}

/// The text of a page between two headings, for the search index.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TextBlock {
    /// The heading's id; empty for the text before the first heading.
    pub anchor: String,
    /// The heading's text; empty before the first heading.
    pub heading: String,
    /// The heading's level; 1 before the first heading.
    pub level: u8,
    /// Prose, words separated by spaces.
    pub text: String,
    /// The text of code blocks.
    pub code: String,
}

/// A link to an anchor of another page, checked once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorRef {
    /// The target page, relative to content/.
    pub page: String,
    /// The anchor, without `#`.
    pub anchor: String,
    /// 1-based line and column of the link in the source file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// What a page's Markdown became.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body's HTML.
    pub html: String,
    /// Headings of level 2 and 3 (the page title is the level 1).
    pub toc: Vec<TocEntry>,
    /// Every heading id of the page, for anchor checks.
    pub ids: Vec<String>,
    /// Text between headings, for search.
    pub blocks: Vec<TextBlock>,
    /// Anchors in other pages this page links to.
    pub anchor_refs: Vec<AnchorRef>,
    /// Broken links, failed embeds, unsafe HTML.
    pub diagnostics: Vec<Diagnostic>,
    /// Files the page's embeds add beside it, as (path in the site, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// Files of content/ the page's embeds showed masked.
    pub masked: Vec<String>,
}

/// What a link destination written in a page turned into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Leave the destination as written (external URL, `mailto:`, in-page anchor).
    Keep,
    /// A page of the site: `href` is the relative URL to write, `page` its content path.
    Page {
        /// The URL to write in the HTML (relative, anchor included).
        href: String,
        /// The target page, relative to content/.
        page: String,
        /// The anchor, if any, to check against the target's headings.
        anchor: Option<String>,
    },
    /// A file of the site (image, download): the relative URL to write.
    File(String),
    /// Nothing at that path: the message explains what was looked for.
    Missing(String),
    /// A root-absolute URL (`/utilisateurs/se-connecter/`) that is no page, old URL or file of
    /// the site: what was looked for, and the closest page.
    MissingUrl {
        /// What was looked for.
        message: String,
        /// The closest page, as a suggestion.
        help: String,
    },
    /// A link that is never written into a page (`javascript:`), or one that is surely a
    /// mistake (`www.example.org` without its scheme): what is wrong and the likely fix.
    Refused {
        /// What is wrong with the link.
        message: String,
        /// How to write it instead.
        help: String,
    },
}

/// Answers link destinations for one page.
pub trait PageLinks {
    /// Resolves a destination written in the page's Markdown.
    fn resolve(&self, dest: &str) -> LinkTarget;
}

/// A fenced block whose first info word may name an embed
/// (`logigramme`, `topologie`, `kpi`, `include`).
#[derive(Debug, Clone, Copy)]
pub struct EmbedCall<'a> {
    /// The first word of the info string.
    pub kind: &'a str,
    /// The rest of the info string, trimmed.
    pub args: &'a str,
}

/// What an embed produced: its HTML, and what the build must do besides writing the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Embedded {
    /// The HTML that replaces the block.
    pub html: String,
    /// Files to write beside the page, as (path in the site, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// Files of content/ shown with values masked, which must not be copied whole.
    pub masked: Vec<String>,
}

impl Embedded {
    /// An embed that only produces HTML.
    pub fn html(html: String) -> Self {
        Embedded {
            html,
            ..Embedded::default()
        }
    }
}

/// Why an embed failed, reported at its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl EmbedError {
    /// An error without help.
    pub fn new(message: impl Into<String>) -> Self {
        EmbedError {
            message: message.into(),
            help: None,
        }
    }

    /// The same error with a line saying how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Produces the HTML of fenced blocks that name an embed. Called once per block in page
/// order, so an implementation may count the blocks it has seen (for unique element ids).
pub trait Embeds {
    /// `None` when `call.kind` is not an embed (the block is then ordinary code); otherwise
    /// what the embed produced, or why it failed.
    fn embed(&mut self, call: &EmbedCall) -> Option<Result<Embedded, EmbedError>>;
}

/// An [`Embeds`] that knows no embed: every fenced block is code.
#[cfg(test)]
pub struct NoEmbeds;

#[cfg(test)]
impl Embeds for NoEmbeds {
    fn embed(&mut self, _: &EmbedCall) -> Option<Result<Embedded, EmbedError>> {
        None
    }
}

/// Where the page comes from, for diagnostics and strings.
pub struct Source<'a> {
    /// The file, relative to the site root.
    pub file: &'a Path,
    /// The whole file's text, to quote lines.
    pub text: &'a str,
    /// The body (the Markdown after the front matter).
    pub body: &'a str,
    /// The file line of the body's first line.
    pub body_line: usize,
    /// The page's language, for alert titles.
    pub language: Language,
}

/// The pulldown-cmark options guichet uses: CommonMark plus tables, footnotes,
/// strikethrough, task lists, smart punctuation and GitHub alerts.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
}

/// Renders a page body to HTML and collects its headings, text and link checks.
pub fn render(src: &Source, links: &dyn PageLinks, embeds: &mut dyn Embeds) -> Rendered {
    let mut r = Renderer::new(src, links, embeds);
    let parser = Parser::new_ext(src.body, options()).into_offset_iter();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(HeadingLevel, Vec<Event>, Option<String>)> = None;
    let mut code: Option<(String, String, usize)> = None;
    let mut alerts: Vec<bool> = Vec::new();
    for (event, range) in parser {
        if let Some((info, text, _)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (info, text, offset) = (
                        info.clone(),
                        text.clone(),
                        code.take().map(|c| c.2).unwrap_or(0),
                    );
                    events.push(Event::Html(r.code(&info, &text, offset).into()));
                }
                _ => {}
            }
            continue;
        }
        if let Some((_, inner, _)) = heading.as_mut() {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    let (level, inner, id) =
                        heading
                            .take()
                            .unwrap_or((HeadingLevel::H2, Vec::new(), None));
                    events.push(Event::Html(r.heading(level, inner, id).into()));
                }
                other => {
                    let other = r.inline(other, range.start);
                    if let Some(e) = other {
                        inner.push(e);
                    }
                }
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level, Vec::new(), id.map(|s| s.to_string())))
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((info, String::new(), range.start));
            }
            // A wide table scrolls inside its own box, which keyboard users must be able to
            // reach (WCAG 2.1.1): the box takes the focus.
            Event::Start(Tag::Table(alignments)) => {
                events.push(Event::Html(
                    "<div class=\"table-scroll\" tabindex=\"0\">\n".into(),
                ));
                events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                alerts.push(kind.is_some());
                match kind {
                    Some(k) => events.push(Event::Html(alert_open(k, src.language).into())),
                    None => events.push(Event::Start(Tag::BlockQuote(None))),
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                if alerts.pop().unwrap_or(false) {
                    events.push(Event::Html("</div>\n".into()));
                } else {
                    events.push(Event::End(TagEnd::BlockQuote(None)));
                }
            }
            Event::Html(html) => events.push(Event::Html(r.raw_html(&html, range.start).into())),
            other => {
                match &other {
                    Event::Text(t) | Event::Code(t) => r.add_text(t),
                    Event::SoftBreak
                    | Event::HardBreak
                    | Event::End(
                        TagEnd::Paragraph
                        | TagEnd::Item
                        | TagEnd::TableCell
                        | TagEnd::TableHead
                        | TagEnd::TableRow,
                    ) => r.add_break(),
                    _ => {}
                }
                if let Some(e) = r.inline(other, range.start) {
                    events.push(e);
                }
            }
        }
    }
    let mut html = String::with_capacity(src.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    r.finish(html)
}

struct Renderer<'a> {
    src: &'a Source<'a>,
    links: &'a dyn PageLinks,
    embeds: &'a mut dyn Embeds,
    line_starts: Vec<usize>,
    out: Rendered,
    used_ids: HashSet<String>,
    /// The text of the current block gathered for search, its whitespace collapsed (see
    /// [`push_collapsed`]); one buffer for every block of the page.
    text: String,
    /// Whitespace came after the last word of `text`.
    space_pending: bool,
}

impl<'a> Renderer<'a> {
    fn new(src: &'a Source<'a>, links: &'a dyn PageLinks, embeds: &'a mut dyn Embeds) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(src.body.match_indices('\n').map(|(i, _)| i + 1));
        let mut out = Rendered::default();
        out.blocks.push(TextBlock {
            level: 1,
            ..TextBlock::default()
        });
        Renderer {
            src,
            links,
            embeds,
            line_starts,
            out,
            used_ids: HashSet::new(),
            text: String::new(),
            space_pending: false,
        }
    }

    /// File line and column of a byte offset of the body.
    fn position(&self, offset: usize) -> (usize, usize) {
        let idx = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.line_starts[idx];
        let column = self
            .src
            .body
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        (idx + self.src.body_line, column)
    }

    fn error(&mut self, offset: usize, message: String, help: Option<String>) {
        let (line, column) = self.position(offset);
        let mut d =
            Diagnostic::error(self.src.file, line, column, message).with_source(self.src.text);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.out.diagnostics.push(d);
    }

    /// Appends text with its whitespace collapsed (runs of it become one space):
    /// pulldown-cmark cuts words at smart quotes and inline markup, so spaces come only from
    /// the text itself and from [`Self::add_break`].
    fn add_text(&mut self, text: &str) {
        push_collapsed(&mut self.text, &mut self.space_pending, text);
    }

    /// Gives the text gathered since the last heading to its block, in a string of its
    /// size: the pages' text is kept until the search index is made, and the spare
    /// capacity of strings grown piece by piece added a tenth to a large build's peak.
    fn close_text(&mut self) {
        if let Some(block) = self.out.blocks.last_mut() {
            block.text = self.text.clone();
        }
        self.text.clear();
    }

    /// Separates words across line breaks, paragraphs, list items and table cells.
    fn add_break(&mut self) {
        self.space_pending = true;
    }

    /// Rewrites link and image destinations; everything else passes through.
    fn inline(&mut self, event: Event<'a>, offset: usize) -> Option<Event<'a>> {
        Some(match event {
            // An e-mail autolink (`<nom@example.org>`) is written as `mailto:` by the HTML
            // writer: it names no file.
            Event::Start(Tag::Link {
                link_type: link_type @ LinkType::Email,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: self.rewrite(&dest_url, offset).into(),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: self.rewrite(&dest_url, offset).into(),
                title,
                id,
            }),
            Event::InlineHtml(html) => Event::InlineHtml(self.raw_html(&html, offset).into()),
            other => other,
        })
    }

    fn rewrite(&mut self, dest: &CowStr, offset: usize) -> String {
        match self.links.resolve(dest) {
            LinkTarget::Keep => dest.to_string(),
            LinkTarget::File(href) => href,
            LinkTarget::Page { href, page, anchor } => {
                if let Some(anchor) = anchor {
                    let (line, column) = self.position(offset);
                    self.out.anchor_refs.push(AnchorRef {
                        page,
                        anchor,
                        line,
                        column,
                    });
                }
                href
            }
            LinkTarget::Missing(message) => {
                self.error(offset, message, Some("check the path, relative to this file's folder (for example `../utilisateurs/se-connecter.md`)".into()));
                dest.to_string()
            }
            LinkTarget::MissingUrl { message, help } => {
                self.error(offset, message, Some(help));
                dest.to_string()
            }
            LinkTarget::Refused { message, help } => {
                self.error(offset, message, Some(help));
                // The page is not published with an error, but nothing unsafe is kept.
                String::new()
            }
        }
    }

    fn heading(
        &mut self,
        level: HeadingLevel,
        inner: Vec<Event>,
        explicit_id: Option<String>,
    ) -> String {
        let title = plain_text(&inner);
        let base = explicit_id.unwrap_or_else(|| slugify(&title));
        let id = self.unique_id(if base.is_empty() {
            "section".to_string()
        } else {
            base
        });
        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
        let n = level as u8;
        if (2..=3).contains(&n) {
            self.out.toc.push(TocEntry {
                level: n,
                id: id.clone(),
                title: title.clone(),
            });
        }
        self.out.ids.push(id.clone());
        self.close_text();
        self.out.blocks.push(TextBlock {
            anchor: id.clone(),
            heading: title,
            level: n,
            ..TextBlock::default()
        });
        format!(
            "<h{n} id=\"{id}\">{inner_html}<a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{n}>\n"
        )
    }

    fn unique_id(&mut self, base: String) -> String {
        let mut id = base.clone();
        let mut n = 1;
        while !self.used_ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn code(&mut self, info: &str, text: &str, offset: usize) -> String {
        let info = info.trim();
        let (kind, args) = info
            .split_once(char::is_whitespace)
            .map(|(k, a)| (k, a.trim()))
            .unwrap_or((info, ""));
        let call = EmbedCall { kind, args };
        if let Some(result) = self.embeds.embed(&call) {
            return match result {
                Ok(embedded) => {
                    self.out.files.extend(embedded.files);
                    self.out.masked.extend(embedded.masked);
                    embedded.html
                }
                Err(e) => {
                    self.error(offset, e.message, e.help);
                    String::new()
                }
            };
        }
        if let Some(block) = self.out.blocks.last_mut() {
            block.code.push_str(text);
        }
        code_block(text, kind)
    }

    /// Raw HTML in Markdown is escaped, except a few harmless tags without attributes, so a
    /// page cannot inject scripts or break the theme's layout.
    fn raw_html(&mut self, html: &str, _offset: usize) -> String {
        if is_allowed_tag(html.trim()) || html.trim_start().starts_with("<!--") {
            html.to_string()
        } else {
            escape(html)
        }
    }

    fn finish(mut self, html: String) -> Rendered {
        self.out.html = html;
        self.close_text();
        self.out
    }
}

/// The words of `text` joined by single spaces: what
/// `text.split_whitespace().collect::<Vec<_>>().join(" ")` gives.
#[cfg(test)]
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::new();
    push_collapsed(&mut out, &mut false, text);
    out
}

/// Appends `piece` to `out` with its whitespace collapsed: `out` ends up as the words of
/// every piece appended so far, joined by single spaces, as [`collapse_whitespace`] of
/// their concatenation would give. `pending` tells that whitespace came after the last word
/// (set by the caller at a line or paragraph break). A page's text is collapsed as it is
/// gathered, rather than by a second pass over a second copy of it (a twentieth of a
/// rebuild), and a stretch of words with single spaces is copied whole.
fn push_collapsed(out: &mut String, pending: &mut bool, piece: &str) {
    let mut at = 0;
    while at < piece.len() {
        let width = whitespace_width(piece, at);
        if width > 0 {
            *pending = true;
            at += width;
            continue;
        }
        let start = at;
        at = stretch_end(piece, at);
        if *pending && !out.is_empty() {
            out.push(' ');
        }
        *pending = false;
        out.push_str(&piece[start..at]);
    }
}

/// The end of the stretch of `text` starting with the word at byte `at`: words separated by
/// single ASCII spaces, up to the first other whitespace, a space not followed by a word,
/// or the end.
fn stretch_end(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while at < bytes.len() {
        let byte = bytes[at];
        if !MAY_START_WHITESPACE[usize::from(byte)] {
            at += 1;
        } else if byte == b' ' && at + 1 < bytes.len() && whitespace_width(text, at + 1) == 0 {
            // A space follows a word here (the stretch starts with one and never ends on a
            // space): one space between two words is kept as it is.
            at += 2;
        } else if whitespace_width(text, at) == 0 {
            at += 1;
        } else {
            break;
        }
    }
    at
}

/// The bytes that may start a whitespace character: see [`whitespace_width`].
static MAY_START_WHITESPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = may_start_whitespace(byte as u8);
        byte += 1;
    }
    table
};

/// True for the ASCII whitespace bytes and the lead bytes 0xC2 (U+0085, U+00A0), 0xE1
/// (U+1680), 0xE2 (U+2000–U+205F) and 0xE3 (U+3000), the only ones that can start a
/// whitespace character.
const fn may_start_whitespace(byte: u8) -> bool {
    matches!(byte, 0x09..=0x0D | 0x20 | 0xC2 | 0xE1 | 0xE2 | 0xE3)
}

/// The byte length of the whitespace character (`char::is_whitespace`) starting at byte `at`
/// of `text`, 0 when none starts there (see [`may_start_whitespace`]).
fn whitespace_width(text: &str, at: usize) -> usize {
    match text.as_bytes()[at] {
        byte if !may_start_whitespace(byte) => 0,
        byte if byte.is_ascii() => 1,
        _ => text[at..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
    }
}

fn is_allowed_tag(tag: &str) -> bool {
    const ALLOWED: [&str; 10] = [
        "kbd", "br", "sub", "sup", "mark", "abbr", "details", "summary", "small", "wbr",
    ];
    let Some(inner) = tag.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
        return false;
    };
    let inner = inner.trim_start_matches('/').trim_end_matches('/').trim();
    ALLOWED.contains(&inner.to_ascii_lowercase().as_str())
}

fn alert_open(kind: BlockQuoteKind, language: Language) -> String {
    let (class, fr, en) = match kind {
        BlockQuoteKind::Note => ("note", "Remarque", "Note"),
        BlockQuoteKind::Tip => ("tip", "Astuce", "Tip"),
        BlockQuoteKind::Important => ("important", "Important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Attention", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Danger", "Caution"),
    };
    let title = if language == Language::En { en } else { fr };
    let role = if matches!(kind, BlockQuoteKind::Warning | BlockQuoteKind::Caution) {
        "alert"
    } else {
        "note"
    };
    format!(
        "<div class=\"callout callout-{class}\" role=\"{role}\">\n<p class=\"callout-title\">{title}</p>\n"
    )
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// A URL-safe id for a heading, French-friendly: accents folded, punctuation dropped, words
/// joined by `-`. "Étape 2 : vérifier" → `etape-2-verifier`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    };
    for c in text.chars().flat_map(char::to_lowercase) {
        match fold_accent(c) {
            Some(folded) => folded.chars().for_each(|f| push(f, &mut out)),
            None => push(c, &mut out),
        }
    }
    out
}

/// The unaccented form of a lowercase Latin letter, or `None` when it has no accent to fold.
pub fn fold_accent(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'œ' => "oe",
        'æ' => "ae",
        'ß' => "ss",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Links;
    impl PageLinks for Links {
        fn resolve(&self, dest: &str) -> LinkTarget {
            match dest {
                "../utilisateurs/declarer-un-incident.md#etape-2" => LinkTarget::Page {
                    href: "../../utilisateurs/declarer-un-incident/#etape-2".into(),
                    page: "utilisateurs/declarer-un-incident.md".into(),
                    anchor: Some("etape-2".into()),
                },
                "absent.md" => LinkTarget::Missing("link to a missing page `absent.md`".into()),
                _ => LinkTarget::Keep,
            }
        }
    }

    fn md(body: &str) -> Rendered {
        let text = format!("---\ntitle: T\n---\n{body}");
        let src = Source {
            file: Path::new("content/p.md"),
            text: &text,
            body,
            body_line: 4,
            language: Language::Fr,
        };
        render(&src, &Links, &mut NoEmbeds)
    }

    #[test]
    fn french_slugs() {
        assert_eq!(slugify("Étape 2 : vérifier"), "etape-2-verifier");
        assert_eq!(
            slugify("Qu'est-ce qu'un « ticket » ?"),
            "qu-est-ce-qu-un-ticket"
        );
        assert_eq!(slugify("Cœur du réseau"), "coeur-du-reseau");
    }

    #[test]
    fn headings_get_unique_ids_anchor_links_and_toc() {
        let r = md("## Étape 2 : vérifier\n\ntexte\n\n### Détail\n\n## Étape 2 : vérifier\n");
        assert!(r.html.contains("<h2 id=\"etape-2-verifier\">Étape 2 : vérifier<a class=\"anchor\" href=\"#etape-2-verifier\""), "{}", r.html);
        let ids: Vec<_> = r.toc.iter().map(|t| (t.level, t.id.as_str())).collect();
        assert_eq!(
            ids,
            [
                (2, "etape-2-verifier"),
                (3, "detail"),
                (2, "etape-2-verifier-1")
            ]
        );
    }

    #[test]
    fn alerts_become_callouts() {
        let r = md("> [!WARNING]\n> Ne partagez jamais votre mot de passe.\n");
        assert!(r.html.contains("<div class=\"callout callout-warning\" role=\"alert\">\n<p class=\"callout-title\">Attention</p>"), "{}", r.html);
        assert!(
            r.html
                .contains("Ne partagez jamais votre mot de passe.</p>\n</div>"),
            "{}",
            r.html
        );
        let plain = md("> citation\n");
        assert!(plain.html.contains("<blockquote>"), "{}", plain.html);
    }

    #[test]
    fn links_are_rewritten_and_anchors_collected() {
        let r = md("Voir [déclarer](../utilisateurs/declarer-un-incident.md#etape-2).\n");
        assert!(
            r.html
                .contains("href=\"../../utilisateurs/declarer-un-incident/#etape-2\""),
            "{}",
            r.html
        );
        assert_eq!(
            r.anchor_refs,
            [AnchorRef {
                page: "utilisateurs/declarer-un-incident.md".into(),
                anchor: "etape-2".into(),
                line: 4,
                column: 6
            }]
        );
    }

    #[test]
    fn broken_link_is_reported_at_its_line_and_column() {
        let r = md("Intro\n\nUn lien [cassé](absent.md) ici.\n");
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(
            r.diagnostics[0].headline(),
            "content/p.md:6:9: error: link to a missing page `absent.md`"
        );
    }

    #[test]
    fn raw_html_is_escaped_except_harmless_tags() {
        let r = md("Appuyez sur <kbd>Entrée</kbd>.\n\n<script>alert(1)</script>\n");
        assert!(r.html.contains("<kbd>Entrée</kbd>"), "{}", r.html);
        assert!(
            r.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<script>"));
    }

    #[test]
    fn text_blocks_follow_headings_and_keep_code() {
        let r = md(
            "Intro courte.\n\n## Redémarrer\n\nLancez :\n\n```powershell\nRestart-Service Spooler\n```\n\nVérifiez que l'imprimante *répond*,\npuis fermez.\n\n| a | b |\n|---|---|\n| un | deux |\n",
        );
        assert_eq!(r.blocks.len(), 2);
        assert_eq!(r.blocks[0].text, "Intro courte.");
        assert_eq!(r.blocks[1].anchor, "redemarrer");
        assert_eq!(
            r.blocks[1].text,
            "Lancez : Vérifiez que l’imprimante répond, puis fermez. a b un deux"
        );
        assert_eq!(r.blocks[1].code, "Restart-Service Spooler\n");
    }

    #[test]
    fn whitespace_collapses_as_split_whitespace_joins() {
        for text in [
            "",
            "   ",
            "un",
            "  un  deux\t\ttrois\n",
            "a\u{b}b\u{c}c\rd",
            "déjà\u{a0}vu\u{3000}終\u{2009}fin\u{85}x\u{1680}y\u{205f}z\u{2028}w",
            // Non-breaking look-alikes that are not whitespace stay inside the word.
            "zéro\u{200b}largeur\u{2060}joint\u{feff}bom",
            "\u{a0}\u{a0}écran  ",
        ] {
            assert_eq!(
                collapse_whitespace(text),
                text.split_whitespace().collect::<Vec<_>>().join(" "),
                "{text:?}"
            );
        }
        assert_eq!(
            collapse_whitespace(" Redémarrez\u{a0}: le  service "),
            "Redémarrez : le service"
        );
    }

    #[test]
    fn text_collapsed_piece_by_piece_is_the_text_collapsed_whole() {
        let pieces = [
            "",
            " ",
            "un",
            "un deux",
            " un  deux ",
            "d'un\u{a0}",
            "\u{2009}fin",
            "x\ty",
            "é \u{200b}",
            "a b c d e f",
        ];
        for first in pieces {
            for second in pieces {
                for third in pieces {
                    for broken in [false, true] {
                        let mut out = String::new();
                        let mut pending = false;
                        push_collapsed(&mut out, &mut pending, first);
                        push_collapsed(&mut out, &mut pending, second);
                        pending |= broken;
                        push_collapsed(&mut out, &mut pending, third);
                        let whole =
                            format!("{first}{second}{}{third}", if broken { " " } else { "" });
                        assert_eq!(
                            out,
                            whole.split_whitespace().collect::<Vec<_>>().join(" "),
                            "{first:?} {second:?} {broken} {third:?}"
                        );
                    }
                }
            }
        }
        let r = md("Un *mot*  coupé,\nsur deux lignes.\n\n- un\n- deux\n\n## Titre\n\n  fin  \n");
        assert_eq!(r.blocks[0].text, "Un mot coupé, sur deux lignes. un deux");
        assert_eq!(r.blocks[1].text, "fin");
    }

    #[test]
    fn tables_footnotes_tasks_and_strikethrough() {
        let r = md(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] fait\n\n~~barré~~ et note[^1]\n\n[^1]: La note.\n",
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("<del>barré</del>"));
        assert!(r.html.contains("footnote-definition"));
    }
}
