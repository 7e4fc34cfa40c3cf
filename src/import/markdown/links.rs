//! Relative links between the source's files, followed to where the import puts them: a
//! page renamed (`01-intro.md` → `intro.md`, `index.md` → `_index.md`) or moved keeps every
//! link to it working. Links with a scheme, anchors alone and root-absolute links (old URLs,
//! resolved by the aliases at build time) are left as written. Anchors follow too: the
//! source tool's heading ids (`#on_end-event`, `#extendingmodifying-key-map`) become
//! guichet's (`#on-end-event`, `#extending-modifying-key-map`).

use std::collections::BTreeMap;

/// Per source page (old path): the tools' heading ids → guichet's.
pub(super) type Anchors = BTreeMap<String, BTreeMap<String, String>>;

use pulldown_cmark::{Event, Parser, Tag};

use super::obsidian::{encode, relative_from};

/// Rewrites the relative links of `body`, a page that was at `old` and goes to `new`;
/// `moved` maps every source file's old path to its new one, `anchors` the source pages'
/// heading ids to guichet's.
pub(super) fn rewrite(
    body: &str,
    old: &str,
    new: &str,
    moved: &BTreeMap<String, String>,
    anchors: &Anchors,
) -> String {
    let links = Links {
        old,
        new,
        moved,
        anchors,
    };
    let parser = Parser::new_ext(body, crate::markdown::options());
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (_, def) in parser.reference_definitions().iter() {
        if let Some(replacement) = links.new_dest(&def.dest) {
            let span = def.span.clone();
            if let Some(at) = body[span.clone()].rfind(def.dest.as_ref()) {
                let start = span.start + at;
                edits.push((start..start + def.dest.len(), replacement));
            }
        }
    }
    for (event, range) in parser.into_offset_iter() {
        let dest = match &event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let Some(replacement) = links.new_dest(dest) else {
            continue;
        };
        let written = &body[range.clone()];
        // The destination is written after the last `](`, maybe between `<` and `>`.
        let Some(open) = written
            .rfind(&format!("]({dest}"))
            .map(|i| i + 2)
            .or_else(|| written.rfind(&format!("](<{dest}>")).map(|i| i + 3))
        else {
            continue;
        };
        let start = range.start + open;
        edits.push((start..start + dest.len(), replacement));
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    edits.dedup_by_key(|(r, _)| r.start);
    let mut out = body.to_string();
    for (range, replacement) in edits {
        out.replace_range(range, &replacement);
    }
    out
}

/// What a page's links are rewritten with.
struct Links<'a> {
    old: &'a str,
    new: &'a str,
    moved: &'a BTreeMap<String, String>,
    anchors: &'a Anchors,
}

impl Links<'_> {
    /// The destination to write instead of `dest`, when it names a source file that moved
    /// or a heading whose id guichet writes differently.
    fn new_dest(&self, dest: &str) -> Option<String> {
        if let Some(anchor) = dest.strip_prefix('#') {
            let id = self.anchor(self.old, anchor)?;
            return Some(format!("#{id}"));
        }
        if dest.is_empty() || dest.starts_with('/') || dest.contains(':') {
            return None;
        }
        let (path, anchor) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        let decoded = crate::escape::percent_decode(path)
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_else(|| path.to_string());
        let target = crate::content::resolve_relative(self.old, &decoded)?;
        let (old_target, found) = candidates(&target).find_map(|c| self.moved.get_key_value(&c))?;
        let anchor = match anchor
            .strip_prefix('#')
            .and_then(|a| self.anchor(old_target, a))
        {
            Some(id) => format!("#{id}"),
            None => anchor.to_string(),
        };
        let written = format!("{}{anchor}", encode(&relative_from(self.new, found)));
        (written != dest).then_some(written)
    }

    /// guichet's id for the heading the source page `page` calls `anchor`, when it differs.
    fn anchor(&self, page: &str, anchor: &str) -> Option<String> {
        self.anchors
            .get(page)?
            .get(anchor)
            .filter(|id| *id != anchor)
            .cloned()
    }
}

/// The ids the source tools give the headings of `body` (Python-Markdown's and GitHub's
/// ways), each with the id guichet gives the same heading.
pub(super) fn heading_anchors(body: &str) -> BTreeMap<String, String> {
    let mut anchors = BTreeMap::new();
    let mut fence = super::notices::Fence::default();
    for line in body.lines() {
        if fence.inside(line) {
            continue;
        }
        let trimmed = line.trim_start();
        let level = trimmed.len() - trimmed.trim_start_matches('#').len();
        if !(1..=6).contains(&level) || !trimmed[level..].starts_with(' ') {
            continue;
        }
        let text = trimmed[level..].trim().trim_end_matches('#').trim();
        let (text, explicit) = split_explicit_id(text);
        let plain: String = text.chars().filter(|c| !matches!(c, '`' | '*')).collect();
        let ours = crate::markdown::slugify(&plain);
        let theirs = [python_markdown_slug(&plain), github_slug(&plain)];
        for theirs in explicit.into_iter().chain(theirs) {
            if !theirs.is_empty() {
                anchors.entry(theirs).or_insert_with(|| ours.clone());
            }
        }
    }
    anchors
}

/// A heading's text without the id written after it (`## Titre {#id}`, MDX's
/// `{/* #id */}`, attr_list's `{: #id }`), and that id.
fn split_explicit_id(text: &str) -> (&str, Option<String>) {
    let Some(open) = text.rfind('{').filter(|_| text.ends_with('}')) else {
        return (text, None);
    };
    let inner = text[open + 1..text.len() - 1].trim();
    let inner = inner
        .strip_prefix("/*")
        .and_then(|i| i.strip_suffix("*/"))
        .unwrap_or(inner)
        .trim()
        .trim_start_matches(':')
        .trim();
    match inner.strip_prefix('#') {
        Some(id) if !id.is_empty() && !id.contains(char::is_whitespace) => {
            (text[..open].trim_end(), Some(id.to_string()))
        }
        _ => (text, None),
    }
}

/// Takes the ids written after headings out of `body` (guichet gives each heading its id
/// from its text; links to the written ids were rewritten by [`rewrite`]).
pub(super) fn strip_explicit_ids(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut fence = super::notices::Fence::default();
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let level = trimmed.len() - trimmed.trim_start_matches('#').len();
        let is_heading = (1..=6).contains(&level) && trimmed[level..].starts_with(' ');
        if fence.inside(line) || !is_heading {
            out.push_str(line);
            continue;
        }
        let content = line.trim_end_matches(['\n', '\r']);
        let (kept, id) = split_explicit_id(content.trim_end());
        if id.is_some() {
            out.push_str(kept);
            out.push_str(&line[content.len()..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Python-Markdown's (MkDocs) `toc` slug: accents dropped, signs removed, spaces and dashes
/// joined into one `-`.
fn python_markdown_slug(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        let c = crate::markdown::fold_accent(c)
            .and_then(|f| f.chars().next())
            .unwrap_or(c);
        if c.is_whitespace() || c == '-' {
            dash = true;
        } else if c.is_ascii_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        }
    }
    out
}

/// GitHub's (Docusaurus, Hugo) slug: lower case, signs removed, each space a `-`.
fn github_slug(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The source files a link may mean: the path itself, or a page written without its
/// extension or as a folder (`../guide/`, `install`).
fn candidates(target: &str) -> impl Iterator<Item = String> + '_ {
    let bare = target.trim_end_matches('/');
    let forms = [
        target.to_string(),
        format!("{bare}.md"),
        format!("{bare}.mdx"),
        format!("{bare}/index.md"),
        format!("{bare}/README.md"),
        format!("{bare}/_index.md"),
        format!("{bare}/index.mdx"),
    ];
    forms.into_iter().filter(|f| !f.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_heading_ids_are_followed_then_taken_out() {
        let body =
            "## Titres {/* #mon-id */}\n\n### Autre {#autre-id}\n\n[a](#mon-id) [b](#autre-id)\n";
        let anchors: Anchors = [("a.md".to_string(), heading_anchors(body))]
            .into_iter()
            .collect();
        let rewritten = rewrite(body, "a.md", "a.md", &BTreeMap::new(), &anchors);
        assert_eq!(
            strip_explicit_ids(&rewritten),
            "## Titres\n\n### Autre\n\n[a](#titres) [b](#autre)\n"
        );
    }

    #[test]
    fn links_follow_renamed_and_moved_files() {
        let moved: BTreeMap<String, String> = [
            ("guide/01-install.md", "guide/install.md"),
            ("guide/index.md", "guide/_index.md"),
            ("img/a b.png", "img/a b.png"),
            ("02-faq.mdx", "faq.md"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let body = "[i](01-install.md#etape) [e](01-install.md#on_end-event) [g](./) ![x](../img/a%20b.png) [f](../02-faq.mdx) [w](https://x.org) [o](/vieux)\n\n[ref]: 01-install.md\n";
        let anchors: Anchors = [(
            "guide/01-install.md".to_string(),
            heading_anchors("## Étape\n\n## `on_end` Event\n"),
        )]
        .into_iter()
        .collect();
        let out = rewrite(
            body,
            "guide/02-usage.md",
            "guide/usage.md",
            &moved,
            &anchors,
        );
        assert_eq!(
            out,
            "[i](install.md#etape) [e](install.md#on-end-event) [g](_index.md) ![x](../img/a%20b.png) [f](../faq.md) [w](https://x.org) [o](/vieux)\n\n[ref]: install.md\n"
        );
    }
}
