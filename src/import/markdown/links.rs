//! Relative links between the source's files, followed to where the import puts them: a
//! page renamed (`01-intro.md` → `intro.md`, `index.md` → `_index.md`) or moved keeps every
//! link to it working. Links with a scheme, anchors alone and root-absolute links (old URLs,
//! resolved by the aliases at build time) are left as written.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Parser, Tag};

use super::obsidian::{encode, relative_from};

/// Rewrites the relative links of `body`, a page that was at `old` and goes to `new`;
/// `moved` maps every source file's old path to its new one.
pub(super) fn rewrite(
    body: &str,
    old: &str,
    new: &str,
    moved: &BTreeMap<String, String>,
) -> String {
    let parser = Parser::new_ext(body, crate::markdown::options());
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (_, def) in parser.reference_definitions().iter() {
        if let Some(replacement) = new_dest(&def.dest, old, new, moved) {
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
        let Some(replacement) = new_dest(dest, old, new, moved) else {
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

/// The destination to write instead of `dest`, when it names a source file that moved.
fn new_dest(dest: &str, old: &str, new: &str, moved: &BTreeMap<String, String>) -> Option<String> {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with('/') || dest.contains(':') {
        return None;
    }
    let (path, anchor) = match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    let decoded = crate::escape::percent_decode(path)
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_else(|| path.to_string());
    let target = crate::content::resolve_relative(old, &decoded)?;
    let found = candidates(&target).find_map(|c| moved.get(&c))?;
    let href = encode(&relative_from(new, found));
    let written = format!("{href}{anchor}");
    (written != dest).then_some(written)
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
        let body = "[i](01-install.md#etape) [g](./) ![x](../img/a%20b.png) [f](../02-faq.mdx) [w](https://x.org) [o](/vieux)\n\n[ref]: 01-install.md\n";
        let out = rewrite(body, "guide/02-usage.md", "guide/usage.md", &moved);
        assert_eq!(
            out,
            "[i](install.md#etape) [g](_index.md) ![x](../img/a%20b.png) [f](../faq.md) [w](https://x.org) [o](/vieux)\n\n[ref]: install.md\n"
        );
    }
}
