//! One pass over a page's Markdown that every rule of `check` reads: where the prose is (so
//! spelling and typography never look at code, URLs or HTML), the headings, images and links,
//! each at its byte offset in the file.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

use crate::markdown;
use crate::site::Page;

/// What the rules need from one page, with byte offsets into the page's file text.
#[derive(Debug, Default)]
pub(crate) struct PageScan {
    /// Runs of prose whose source bytes are exactly the text shown (escapes and entities
    /// left out), so a finding's offset is a place in the file and a fix can edit it.
    pub prose: Vec<Range<usize>>,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Images with their alternative text.
    pub images: Vec<Image>,
    /// Links with their destination and text.
    pub links: Vec<Link>,
    /// Fenced code blocks: info string and the offset of the fence.
    pub code_blocks: Vec<CodeBlock>,
}

/// A heading and whether anything but a deeper heading follows it before the next one.
#[derive(Debug)]
pub(crate) struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Where it starts.
    pub offset: usize,
    /// True when text, a list, a table, an image… sits under it.
    pub has_content: bool,
}

/// An image (Markdown or an HTML `<img>`).
#[derive(Debug)]
pub(crate) struct Image {
    /// Where it starts.
    pub offset: usize,
    /// Its alternative text, trimmed (empty when missing).
    pub alt: String,
}

/// A link written in the page.
#[derive(Debug)]
pub(crate) struct Link {
    /// Where it starts.
    pub offset: usize,
    /// The destination as written.
    pub dest: String,
    /// The text shown, trimmed.
    pub text: String,
}

/// A fenced code block.
#[derive(Debug)]
pub(crate) struct CodeBlock {
    /// The info string (`include config_db.php mask=dbpassword`).
    pub info: String,
}

/// Scans `page`'s body.
pub(crate) fn scan(page: &Page) -> PageScan {
    let text: &str = &page.source.text;
    let start = page.source.body_range().start;
    let body = page.source.body();
    let mut out = PageScan::default();
    let mut in_code = false;
    let mut in_autolink = false;
    let mut in_image = false;
    let mut link: Option<(usize, String, String)> = None;
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        let at = start + range.start;
        match event {
            Event::Start(Tag::Heading { level, .. }) => out.headings.push(Heading {
                level: heading_level(level),
                offset: at,
                has_content: false,
            }),
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                mark_content(&mut out.headings);
                if let CodeBlockKind::Fenced(info) = kind {
                    out.code_blocks.push(CodeBlock {
                        info: info.trim().to_string(),
                    });
                }
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Image { .. }) => {
                mark_content(&mut out.headings);
                in_image = true;
                out.images.push(Image {
                    offset: at,
                    alt: String::new(),
                });
            }
            Event::End(TagEnd::Image) => in_image = false,
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                in_autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                link = Some((at, dest_url.to_string(), String::new()));
            }
            Event::End(TagEnd::Link) => {
                in_autolink = false;
                if let Some((offset, dest, text)) = link.take() {
                    out.links.push(Link {
                        offset,
                        dest,
                        text: text.trim().to_string(),
                    });
                }
            }
            Event::Start(Tag::Paragraph | Tag::List(_) | Tag::Table(_) | Tag::BlockQuote(_)) => {
                mark_content(&mut out.headings)
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(alt) = html_img_alt(&html) {
                    mark_content(&mut out.headings);
                    out.images.push(Image { offset: at, alt });
                }
            }
            Event::Text(ref t) | Event::Code(ref t) if !in_code => {
                let is_text = matches!(event, Event::Text(_));
                if in_image {
                    if let Some(img) = out.images.last_mut() {
                        img.alt = format!("{}{t}", img.alt).trim().to_string();
                    }
                } else if let Some((_, _, shown)) = &mut link {
                    shown.push_str(t);
                }
                if is_text && !in_autolink && !in_image && text[at..start + range.end] == **t {
                    out.prose.push(at..start + range.end);
                }
            }
            _ => {}
        }
    }
    out
}

/// Marks the last heading as having something under it.
fn mark_content(headings: &mut [Heading]) {
    if let Some(h) = headings.last_mut() {
        h.has_content = true;
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The `alt` of an HTML `<img>` tag (empty when it has none); `None` when `html` is no image.
fn html_img_alt(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let tag_start = lower.find("<img")?;
    let tag = &html[tag_start..];
    let tag = &tag[..tag.find('>').map_or(tag.len(), |i| i + 1)];
    let lower_tag = tag.to_ascii_lowercase();
    let Some(at) = lower_tag.find("alt=") else {
        return Some(String::new());
    };
    let value = &tag[at + 4..];
    let alt = match value.chars().next() {
        Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
        _ => value.split([' ', '>', '/']).next().unwrap_or(""),
    };
    Some(alt.trim().to_string())
}

/// The front matter values of `keys` (one-line, plain or quoted scalars) as byte ranges of the
/// file text, so spelling and typography read titles and descriptions too.
pub(crate) fn front_matter_prose(page: &Page, keys: &[&str]) -> Vec<Range<usize>> {
    let text: &str = &page.source.text;
    let range = page.source.front_matter_range();
    let mut offset = range.start;
    let mut found = Vec::new();
    for line in text[range].split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if !keys.contains(&key) || value.contains('\\') {
            continue;
        }
        let value_start = here + key.len() + 1;
        let trimmed = value.trim_start();
        let mut from = value_start + (value.len() - trimmed.len());
        let mut to = here + line.trim_end().len();
        if let Some(q) = trimmed.chars().next().filter(|c| *c == '"' || *c == '\'') {
            if to > from + 1 && text[..to].ends_with(q) {
                from += 1;
                to -= 1;
            } else {
                continue;
            }
        }
        if to > from {
            found.push(from..to);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_images_with_and_without_alt() {
        assert_eq!(html_img_alt("<img src=\"a.png\">"), Some(String::new()));
        assert_eq!(
            html_img_alt("<img alt=\"Schéma\" src=a.png>"),
            Some("Schéma".into())
        );
        assert_eq!(html_img_alt("<p>texte</p>"), None);
    }
}
