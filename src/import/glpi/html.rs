//! GLPI's rich text (ticket descriptions, follow-ups, solutions, KB answers) to Markdown that
//! is safe to publish.
//!
//! GLPI 11 stores raw HTML; GLPI 10 stores it entity-encoded (`&#60;p&#62;`); a CSV export
//! holds it flattened to plain text. Text with no `<` and no `&` is plain: it only needs its
//! Markdown punctuation escaped (the common case, and the fast one). Anything else is
//! decoded once, cleaned by ammonia with an allow-list (no script, style, iframe, form, event
//! attribute or `javascript:` URL survives), then converted by htmd. The site's own Markdown
//! renderer escapes raw HTML again, a second wall.

use std::cell::RefCell;
use std::collections::HashSet;

/// The tags kept: text structure only. Headings start at level 3, under the write-up's own
/// `##` sections (h1 and h2 lose their tag and keep their text).
const TAGS: &[&str] = &[
    "p",
    "br",
    "div",
    "span",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "del",
    "code",
    "pre",
    "kbd",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "sub",
    "sup",
];

/// Converts one rich-text value to Markdown.
pub(crate) fn to_markdown(raw: &str) -> String {
    let raw = raw.trim();
    if !raw.contains(['<', '&']) {
        return plain_to_markdown(raw);
    }
    let decoded = decode_entities(raw);
    if !decoded.contains('<') {
        return plain_to_markdown(&decoded);
    }
    let clean = code_in_pre(&sanitise(&decoded));
    CONVERTER
        .with(|c| c.convert(&clean))
        .map_or_else(|_| plain_to_markdown(&strip_tags(&clean)), |md| tidy(&md))
}

thread_local! {
    // htmd's converter holds reference-counted handlers: one per thread of the pool.
    static CONVERTER: htmd::HtmlToMarkdown = htmd::HtmlToMarkdown::builder()
        .options(htmd::options::Options {
            bullet_list_marker: htmd::options::BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            br_style: htmd::options::BrStyle::Backslash,
            hr_style: htmd::options::HrStyle::Dashes,
            ..Default::default()
        })
        .build();
    static SANITISER: RefCell<ammonia::Builder<'static>> = RefCell::new(sanitiser());
}

fn sanitiser() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.add_tags(TAGS.iter().copied())
        .add_tag_attributes("a", ["href", "title"])
        .add_tag_attributes("img", ["src", "alt", "title"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .add_tag_attributes("th", ["colspan", "rowspan"])
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        // GLPI's own links (`/front/document.send.php?docid=…`) point into GLPI, not into the
        // site: dropped rather than left broken.
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean_content_tags(HashSet::from([
            "script", "style", "template", "svg", "math", "iframe", "object", "embed", "form",
            "textarea", "select", "noscript", "title",
        ]))
        .strip_comments(true);
    b
}

/// The allow-listed HTML of `html`.
pub(crate) fn sanitise(html: &str) -> String {
    SANITISER.with(|s| s.borrow().clean(html).to_string())
}

/// TinyMCE (GLPI's editor) writes preformatted text as a bare `<pre>`, which htmd reads as
/// a paragraph: a `<code>` inside makes it a fenced block. ammonia's output writes every
/// `<pre>` exactly so (it keeps no attribute on it).
fn code_in_pre(html: &str) -> String {
    if !html.contains("<pre>") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 32);
    let mut rest = html;
    while let Some(at) = rest.find("<pre>") {
        out.push_str(&rest[..at + 5]);
        rest = &rest[at + 5..];
        let end = rest.find("</pre>").unwrap_or(rest.len());
        if rest.starts_with("<code>") {
            continue;
        }
        out.push_str("<code>");
        out.push_str(&rest[..end]);
        out.push_str("</code>");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Decodes the entities GLPI 10 writes (`&lt;`, `&#60;`, `&#x3C;`, `&amp;`, `&nbsp;`…), once:
/// `&amp;lt;` becomes `&lt;`, text, not a tag.
pub(crate) fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match entity(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character of the entity at the start of `s` and its length.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s[..s.len().min(12)].find(';')?;
    let name = &s[1..end];
    let c = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
    } else if let Some(dec) = name.strip_prefix('#') {
        char::from_u32(dec.parse().ok()?)?
    } else {
        match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "eacute" => 'é',
            "egrave" => 'è',
            "agrave" => 'à',
            "ccedil" => 'ç',
            "ecirc" => 'ê',
            "rsquo" => '\u{2019}',
            "laquo" => '«',
            "raquo" => '»',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// Plain text as Markdown: its punctuation escaped so it shows as typed, its line breaks
/// kept (GLPI's plain text is line-oriented), its blank lines kept as paragraphs.
pub(crate) fn plain_to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
            continue;
        }
        escape_line(line, &mut out);
        let next_is_text = lines.get(i + 1).is_some_and(|l| !l.is_empty());
        out.push_str(if next_is_text { "\\\n" } else { "\n" });
    }
    out.trim_end().to_string()
}

fn escape_line(line: &str, out: &mut String) {
    // A line that would open a list, a heading or a thematic break shows its first
    // character as typed.
    let opens_block = line.starts_with(['-', '+', '=', '#', '>', '*'])
        || line.split_once(['.', ')']).is_some_and(|(n, _)| {
            !n.is_empty() && n.len() < 10 && n.bytes().all(|b| b.is_ascii_digit())
        });
    for (i, c) in line.char_indices() {
        let special = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!' | '$'
        ) || (opens_block && i == 0)
            || (opens_block
                && matches!(c, '.' | ')')
                && line[..i].bytes().all(|b| b.is_ascii_digit()));
        if special && c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Text without its tags, for the rare HTML htmd cannot read.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out)
}

/// At most one blank line in a row, no trailing spaces, no leading or trailing blank line.
fn tidy(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut blank = 0;
    for line in md.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_escaped_and_keeps_its_lines() {
        assert_eq!(
            plain_to_markdown(
                "Bonjour,\nl'imprimante *HP* ne répond plus.\n\n1. redémarrer\n- [lien](javascript:x)"
            ),
            "Bonjour,\\\nl'imprimante \\*HP\\* ne répond plus.\n\n1\\. redémarrer\\\n\\- \\[lien\\](javascript:x)"
        );
        assert_eq!(plain_to_markdown("R&D <b>"), "R\\&D \\<b\\>");
    }

    #[test]
    fn entity_encoded_html_is_decoded_once() {
        assert_eq!(
            decode_entities("&#60;p&#62;Bonjour&#60;/p&#62;"),
            "<p>Bonjour</p>"
        );
        assert_eq!(decode_entities("&amp;lt;script&amp;gt;"), "&lt;script&gt;");
        assert_eq!(
            decode_entities("a & b &unknown; &#x3C;"),
            "a & b &unknown; <"
        );
        assert_eq!(
            to_markdown("&#60;p&#62;Imprimante &#60;b&#62;HS&#60;/b&#62;&#60;/p&#62;"),
            "Imprimante **HS**"
        );
    }

    #[test]
    fn hostile_html_comes_out_inert() {
        let md = to_markdown(
            "<p onclick=\"alert(1)\">Texte</p><script>alert(2)</script><a href=\"javascript:alert(3)\">lien</a><img src=x onerror=alert(4)><svg><script>alert(5)</script></svg><iframe src=\"https://evil.example\"></iframe><form><input value=pwd></form><p style=\"background:expression(alert(6))\">x</p>",
        );
        for bad in [
            "alert",
            "javascript",
            "onclick",
            "onerror",
            "iframe",
            "expression",
            "<",
        ] {
            assert!(!md.contains(bad), "{bad} in {md}");
        }
        assert!(md.contains("Texte") && md.contains("lien"), "{md}");
    }

    #[test]
    fn glpi_html_becomes_markdown() {
        let md = to_markdown(
            "<p>Étapes :</p><ul><li>débrancher</li><li>rebrancher</li></ul><p>Voir <a href=\"https://support.example/kb\">la fiche</a>.<br>Merci</p><pre>ipconfig /all</pre>",
        );
        assert_eq!(
            md,
            "Étapes :\n\n- débrancher\n- rebrancher\n\nVoir [la fiche](https://support.example/kb).\\\nMerci\n\n```\nipconfig /all\n```"
        );
    }
}
