//! What the import cannot convert — shortcodes, JSX components, Twig, MkDocs tabs and
//! snippets, Obsidian comments — found line by line in a source page. It stays visible in
//! the imported page (guichet shows raw template code as text) and is listed, file:line, in
//! the summary: never silently dropped.

use super::Leftover;
use super::format::Format;
use super::notices::Fence;

/// The left-overs of `body` (a page of `format`, whose body starts at file line
/// `first_line`), in line order. `mdx` is true for a `.mdx` file (imports and JSX).
pub(super) fn find(body: &str, format: Format, first_line: usize, mdx: bool) -> Vec<Leftover> {
    let mut found = Vec::new();
    let mut fence = Fence::default();
    for (n, line) in body.lines().enumerate() {
        let trimmed = line.trim_start();
        let opens_fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        let was_outside = !fence.open_now();
        if fence.inside(line) {
            if opens_fence
                && was_outside
                && trimmed
                    .trim_start_matches(['`', '~'])
                    .trim_start()
                    .starts_with("dataview")
            {
                found.push(Leftover::new(
                    first_line + n,
                    "a Dataview query: guichet shows it as code".into(),
                ));
            }
            continue;
        }
        if let Some(what) = on_line(trimmed, format, mdx) {
            found.push(Leftover::new(first_line + n, what));
        }
    }
    found
}

/// What cannot be converted on one line (outside code), if anything.
fn on_line(line: &str, format: Format, mdx: bool) -> Option<String> {
    let quoted = |s: &str| {
        let shown: String = s.chars().take(60).collect();
        format!("`{shown}`")
    };
    if line.contains("{{<") || line.contains("{{%") {
        return Some(format!("a Hugo shortcode {}: shown as text", quoted(line)));
    }
    if line.contains("{{") && line.contains("}}") || line.contains("{%") && line.contains("%}") {
        let what = match format {
            Format::Zola => "a Zola shortcode",
            Format::Grav => "Twig",
            Format::Hugo => "a Hugo template call",
            _ => "a template tag",
        };
        return Some(format!("{what} {}: shown as text", quoted(line)));
    }
    if mdx || format == Format::Docusaurus {
        if line.starts_with("import ") || line.starts_with("export ") {
            return Some(format!(
                "an MDX {} line {}: shown as text",
                if line.starts_with("import") {
                    "import"
                } else {
                    "export"
                },
                quoted(line)
            ));
        }
        if let Some(rest) = jsx_tag(line) {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '.')
                .collect();
            return Some(format!("the JSX component `<{name}>`: shown as text"));
        }
    }
    if format == Format::Mkdocs {
        if line.starts_with("--8<--") {
            return Some(format!(
                "a snippet include {}: the included file is not copied in",
                quoted(line)
            ));
        }
        if let Some(block) = line.strip_prefix("///") {
            let kind = block
                .trim_start_matches('/')
                .split('|')
                .next()
                .unwrap_or("")
                .trim();
            if !kind.is_empty() && !super::notices::BLOCK_ADMONITIONS.contains(&kind) {
                return Some(format!(
                    "a pymdownx `/// {kind}` block: its content follows as plain text"
                ));
            }
        }
        if line.contains("{: ") && line.trim_end().ends_with('}') {
            return Some(format!("an attr_list {}: shown as text", quoted(line)));
        }
        if line.starts_with("=== \"") {
            return Some(format!(
                "a content tab {}: the tabs follow one another, each under its title",
                quoted(line)
            ));
        }
    }
    if format == Format::Obsidian && line.contains("%%") {
        return Some(format!(
            "an Obsidian comment {}: guichet shows it",
            quoted(line)
        ));
    }
    None
}

/// The text after the `<` of the first JSX component (`<Tabs>`, `<Highlight color=…>`) of
/// `line` that is not inside inline code.
fn jsx_tag(line: &str) -> Option<&str> {
    let mut in_code = false;
    for (i, c) in line.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '<' if !in_code => {
                let rest = &line[i + 1..];
                if rest.starts_with(|c: char| c.is_ascii_uppercase()) {
                    return Some(rest);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(found: &[Leftover]) -> Vec<(usize, &str)> {
        found.iter().map(|l| (l.line, l.what.as_str())).collect()
    }

    #[test]
    fn shortcodes_jsx_and_twig_are_found_at_their_line() {
        let hugo = find(
            "Texte\n{{< figure src=\"a.png\" >}}\n```\n{{< pas ici >}}\n```\n",
            Format::Hugo,
            5,
            false,
        );
        assert_eq!(
            lines(&hugo),
            [(
                6,
                "a Hugo shortcode `{{< figure src=\"a.png\" >}}`: shown as text"
            )]
        );
        let mdx = find(
            "import Tabs from '@theme/Tabs';\n\n<Tabs>\nVoir `<Pas>` et <Highlight color=\"red\">ceci</Highlight>\n",
            Format::Docusaurus,
            1,
            true,
        );
        assert_eq!(
            lines(&mdx),
            [
                (
                    1,
                    "an MDX import line `import Tabs from '@theme/Tabs';`: shown as text"
                ),
                (3, "the JSX component `<Tabs>`: shown as text"),
                (4, "the JSX component `<Highlight>`: shown as text"),
            ]
        );
        let grav = find("{{ page.title }}\n", Format::Grav, 4, false);
        assert_eq!(
            lines(&grav),
            [(4, "Twig `{{ page.title }}`: shown as text")]
        );
    }
}
