//! The source tools' notices ("admonitions", "callouts") turned into guichet's alerts, the
//! GitHub syntax (`> [!NOTE]`): MkDocs `!!! note "Titre"` and `??? tip` (indented body),
//! Docusaurus `:::tip[Titre]` … `:::`, Obsidian `> [!note] Titre`, Grav `! …` to `!!!! …`.
//! A notice's own title, when it has one, becomes the alert's first line in bold. Fenced code
//! is never touched.

use super::format::Format;

/// Converts the notices of `body` written in `format`'s syntax; returns the new body and how
/// many notices were converted.
pub(super) fn convert(body: &str, format: Format) -> (String, usize) {
    let lines: Vec<&str> = body.lines().collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut count = 0;
    let mut fence = Fence::default();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if fence.inside(line) {
            out.push(line.to_string());
            i += 1;
            continue;
        }
        let converted = match format {
            Format::Mkdocs => mkdocs(&lines, i)
                .or_else(|| pymdown_block(&lines, i))
                .or_else(|| content_tab(&lines, i)),
            Format::Docusaurus => docusaurus(&lines, i),
            Format::Obsidian => obsidian(line).map(|l| (l, 1)),
            Format::Grav => grav(&lines, i),
            Format::Hugo | Format::Zola => None,
        };
        match converted {
            Some((text, used)) => {
                count += text.lines().filter(|l| opens_alert(l)).count();
                out.push(text);
                i += used;
                // A line right after the alert would continue its quote (an Obsidian
                // callout's own lines do continue it).
                if format != Format::Obsidian && lines.get(i).is_some_and(|l| !l.trim().is_empty())
                {
                    out.push(String::new());
                }
                fence = Fence::default();
            }
            None => {
                out.push(line.to_string());
                i += 1;
            }
        }
    }
    let mut text = out.join("\n");
    if body.ends_with('\n') {
        text.push('\n');
    }
    (text, count)
}

/// True for a line that opens a guichet alert, at any quote depth (`> > [!NOTE]`).
fn opens_alert(line: &str) -> bool {
    let rest = line.trim_start_matches([' ', '>']);
    line.trim_start().starts_with('>') && rest.starts_with("[!") && rest.trim_end().ends_with(']')
}

/// guichet's alert kind for a source's notice type.
pub(super) fn alert_kind(kind: &str) -> &'static str {
    match kind.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" | "check" | "done" => "TIP",
        "important" => "IMPORTANT",
        "warning" | "attention" => "WARNING",
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" | "caution" => "CAUTION",
        // note, info, abstract, summary, tldr, todo, question, help, faq, example, quote, cite…
        _ => "NOTE",
    }
}

/// An alert block: `kind`, an optional title, and Markdown lines, quoted under `indent`.
fn alert(indent: &str, kind: &str, title: Option<&str>, body: &[String]) -> String {
    let mut lines = vec![format!("{indent}> [!{}]", alert_kind(kind))];
    if let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) {
        lines.push(format!("{indent}> **{title}**"));
        if !body.is_empty() {
            lines.push(format!("{indent}>"));
        }
    }
    for line in body {
        if line.is_empty() {
            lines.push(format!("{indent}>"));
        } else {
            lines.push(format!("{indent}> {line}"));
        }
    }
    lines.join("\n")
}

/// MkDocs: `!!! type "Title"` / `??? type` / `???+ type`, then lines indented four spaces more.
fn mkdocs(lines: &[&str], at: usize) -> Option<(String, usize)> {
    let line = lines[at];
    let indent = &line[..line.len() - line.trim_start().len()];
    let rest = line.trim_start();
    let rest = ["!!!", "???+", "???"]
        .iter()
        .find_map(|m| rest.strip_prefix(m))?
        .trim();
    let (words, title) = match rest.find('"') {
        Some(q) => (&rest[..q], Some(rest[q..].trim_matches('"'))),
        None => (rest, None),
    };
    let kind = words.split_whitespace().next()?;
    if !kind
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let inner = format!("{indent}    ");
    let mut body = Vec::new();
    let mut used = 1;
    for line in &lines[at + 1..] {
        if line.trim().is_empty() {
            body.push(String::new());
        } else if let Some(stripped) = line.strip_prefix(&inner) {
            body.push(stripped.to_string());
        } else if let Some(stripped) = line.strip_prefix(&format!("{indent}\t")) {
            body.push(stripped.to_string());
        } else {
            break;
        }
        used += 1;
    }
    // Blank lines after the body belong to what follows.
    while body.last().is_some_and(String::is_empty) {
        body.pop();
        used -= 1;
    }
    let (body_text, _) = convert(&body.join("\n"), Format::Mkdocs);
    let body: Vec<String> = body_text.lines().map(str::to_string).collect();
    Some((alert(indent, kind, title, &body), used))
}

/// MkDocs content tabs (`=== "Windows"` then lines indented four spaces) follow one
/// another, each under its title in bold: guichet has no tabs, and indented lines would
/// otherwise read as code. They are listed as left-overs too.
fn content_tab(lines: &[&str], at: usize) -> Option<(String, usize)> {
    let line = lines[at];
    let indent = &line[..line.len() - line.trim_start().len()];
    let rest = line.trim_start().strip_prefix("===")?;
    let rest = rest.trim_start_matches(['!', '+']).trim();
    let title = rest.strip_prefix('"')?.strip_suffix('"')?;
    let inner = format!("{indent}    ");
    let mut body = Vec::new();
    let mut used = 1;
    for line in &lines[at + 1..] {
        if line.trim().is_empty() {
            body.push(String::new());
        } else if let Some(stripped) = line.strip_prefix(&inner) {
            body.push(format!("{indent}{stripped}"));
        } else {
            break;
        }
        used += 1;
    }
    while body.last().is_some_and(String::is_empty) {
        body.pop();
        used -= 1;
    }
    let (body_text, _) = convert(&body.join("\n"), Format::Mkdocs);
    Some((format!("{indent}**{title}**\n\n{body_text}"), used))
}

/// The admonition types of pymdownx.blocks (`/// note | Titre` … `///`); its other blocks
/// (`/// html`, `/// tab`, `/// details`…) are left-overs.
pub(super) const BLOCK_ADMONITIONS: [&str; 18] = [
    "admonition",
    "note",
    "tip",
    "hint",
    "important",
    "warning",
    "attention",
    "caution",
    "danger",
    "error",
    "success",
    "info",
    "question",
    "example",
    "quote",
    "abstract",
    "bug",
    "failure",
];

/// MkDocs with pymdownx.blocks: `/// type | Title`, indented `key: value` options, the body,
/// then a line of as many slashes.
fn pymdown_block(lines: &[&str], at: usize) -> Option<(String, usize)> {
    let line = lines[at];
    let indent = &line[..line.len() - line.trim_start().len()];
    let rest = line.trim();
    let slashes = rest.len() - rest.trim_start_matches('/').len();
    if slashes < 3 {
        return None;
    }
    let (kind, title) = match rest[slashes..].split_once('|') {
        Some((k, t)) => (k.trim(), Some(t.trim())),
        None => (rest[slashes..].trim(), None),
    };
    if !BLOCK_ADMONITIONS.contains(&kind) {
        return None;
    }
    let closing = "/".repeat(slashes);
    let end = lines[at + 1..].iter().position(|l| l.trim() == closing)? + at + 1;
    let mut kind = kind.to_string();
    let mut first = at + 1;
    // Options: indented `key: value` lines right under the opening line.
    while first < end {
        let option = lines[first].strip_prefix(&format!("{indent}    "));
        match option.and_then(|o| o.split_once(':')) {
            Some((key, value)) if !key.contains(' ') => {
                if key.trim() == "type" {
                    kind = value.trim().to_string();
                }
                first += 1;
            }
            _ => break,
        }
    }
    let inner: Vec<&str> = lines[first..end]
        .iter()
        .map(|l| l.strip_prefix(indent).unwrap_or(l))
        .collect();
    let (body_text, _) = convert(&inner.join("\n"), Format::Mkdocs);
    let body: Vec<String> = body_text
        .trim_matches('\n')
        .lines()
        .map(str::to_string)
        .collect();
    Some((alert(indent, &kind, title, &body), end - at + 1))
}

/// Docusaurus: `:::type`, `:::type Title` or `:::type[Title]`, closed by as many colons.
fn docusaurus(lines: &[&str], at: usize) -> Option<(String, usize)> {
    let line = lines[at];
    let indent = &line[..line.len() - line.trim_start().len()];
    let rest = line.trim();
    let colons = rest.len() - rest.trim_start_matches(':').len();
    if colons < 3 {
        return None;
    }
    let rest = &rest[colons..];
    let kind_len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    let (kind, title) = rest.split_at(kind_len);
    if kind.is_empty() {
        return None;
    }
    let title = title.trim();
    let title = title
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(title);
    let closing = ":".repeat(colons);
    let end = lines[at + 1..].iter().position(|l| l.trim() == closing)? + at + 1;
    let inner: Vec<&str> = lines[at + 1..end]
        .iter()
        .map(|l| l.strip_prefix(indent).unwrap_or(l))
        .collect();
    let (body_text, _) = convert(&inner.join("\n"), Format::Docusaurus);
    let body: Vec<String> = body_text.lines().map(str::to_string).collect();
    Some((alert(indent, kind, Some(title), &body), end - at + 1))
}

/// Obsidian: `> [!type]± Title` opens a callout whose body is the rest of the quote.
fn obsidian(line: &str) -> Option<String> {
    let at = line.find("[!")?;
    let (quotes, rest) = line.split_at(at);
    if quotes.trim().is_empty() || !quotes.trim().chars().all(|c| c == '>' || c == ' ') {
        return None;
    }
    let close = rest.find(']')?;
    let kind = &rest[2..close];
    if kind.is_empty()
        || !kind
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let title = rest[close + 1..].trim_start_matches(['+', '-']).trim();
    let quotes = quotes.trim_end();
    let mut out = format!("{quotes} [!{}]", alert_kind(kind));
    if !title.is_empty() {
        out.push_str(&format!("\n{quotes} **{title}**\n{quotes}"));
    }
    Some(out)
}

/// Grav (markdown-notices): lines starting `! ` (yellow), `!! ` (red), `!!! ` (blue) or
/// `!!!! ` (green); consecutive lines of one level make one notice.
fn grav(lines: &[&str], at: usize) -> Option<(String, usize)> {
    let level = grav_level(lines[at])?;
    let kind = match level {
        1 => "warning",
        2 => "danger",
        3 => "note",
        _ => "tip",
    };
    let body: Vec<String> = lines[at..]
        .iter()
        .take_while(|l| grav_level(l) == Some(level))
        .map(|l| l[level..].trim_start().to_string())
        .collect();
    let used = body.len();
    Some((alert("", kind, None, &body), used))
}

fn grav_level(line: &str) -> Option<usize> {
    let level = line.len() - line.trim_start_matches('!').len();
    ((1..=4).contains(&level) && line[level..].starts_with(' ')).then_some(level)
}

/// Whether a line is inside fenced code, following the fences as lines go by.
#[derive(Debug, Default)]
pub(super) struct Fence {
    open: Option<(char, usize)>,
}

impl Fence {
    /// True while a fenced block is open.
    pub(super) fn open_now(&self) -> bool {
        self.open.is_some()
    }

    /// True when `line` belongs to a fenced code block (its fences included).
    pub(super) fn inside(&mut self, line: &str) -> bool {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| trimmed.len() - trimmed.trim_start_matches(m).len());
        match (self.open, marker) {
            (Some((c, n)), Some(m)) if m == c && run >= n && trimmed[run..].trim().is_empty() => {
                self.open = None;
                true
            }
            (Some(_), _) => true,
            (None, Some(m)) if run >= 3 => {
                self.open = Some((m, run));
                true
            }
            (None, _) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mkdocs_admonitions_with_and_without_titles() {
        let (out, n) = convert(
            "Avant\n\n!!! warning \"Coupure\"\n    Le réseau coupe à 18 h.\n\n    Prévenez les usagers.\n\nAprès\n",
            Format::Mkdocs,
        );
        assert_eq!(
            out,
            "Avant\n\n> [!WARNING]\n> **Coupure**\n>\n> Le réseau coupe à 18 h.\n>\n> Prévenez les usagers.\n\nAprès\n"
        );
        assert_eq!(n, 1);
        let (out, n) = convert("???+ tip\n    Astuce.\n", Format::Mkdocs);
        assert_eq!((out.as_str(), n), ("> [!TIP]\n> Astuce.\n", 1));
    }

    #[test]
    fn pymdown_blocks_become_alerts_and_other_blocks_stay() {
        let (out, n) = convert(
            "/// warning | Sauvegarde\n    type: danger\n\nAvant toute mise à jour.\n///\n\n/// html | div\nx\n///\n",
            Format::Mkdocs,
        );
        assert_eq!(
            out,
            "> [!CAUTION]\n> **Sauvegarde**\n>\n> Avant toute mise à jour.\n\n/// html | div\nx\n///\n"
        );
        assert_eq!(n, 1);
    }

    #[test]
    fn content_tabs_follow_one_another_under_their_titles() {
        let (out, n) = convert(
            "=== \"Windows\"\n    Ctrl+Alt+Suppr.\n\n=== \"macOS\"\n    ```\n    pmset\n    ```\nAprès\n",
            Format::Mkdocs,
        );
        assert_eq!(
            out,
            "**Windows**\n\nCtrl+Alt+Suppr.\n\n**macOS**\n\n```\npmset\n```\n\nAprès\n"
        );
        assert_eq!(n, 0);
    }

    #[test]
    fn docusaurus_admonitions_nest() {
        let (out, n) = convert(
            ":::tip[Raccourci]\nCtrl+S\n:::\n\n::::danger\nNon.\n:::note\nDedans\n:::\n::::\n",
            Format::Docusaurus,
        );
        assert_eq!(
            out,
            "> [!TIP]\n> **Raccourci**\n>\n> Ctrl+S\n\n> [!CAUTION]\n> Non.\n> > [!NOTE]\n> > Dedans\n"
        );
        assert_eq!(n, 3);
    }

    #[test]
    fn obsidian_callouts_keep_their_title() {
        let (out, n) = convert(
            "> [!info]- Pour aller plus loin\n> Texte\n",
            Format::Obsidian,
        );
        assert_eq!(out, "> [!NOTE]\n> **Pour aller plus loin**\n>\n> Texte\n");
        assert_eq!(n, 1);
    }

    #[test]
    fn grav_notices_by_level_and_not_images() {
        let (out, n) = convert(
            "! Attention\n! suite\n!!!! Bravo\n\n![image](a.png)\n",
            Format::Grav,
        );
        assert_eq!(
            out,
            "> [!WARNING]\n> Attention\n> suite\n\n> [!TIP]\n> Bravo\n\n![image](a.png)\n"
        );
        assert_eq!(n, 2);
    }

    #[test]
    fn fenced_code_is_left_alone() {
        let text = "```\n!!! note\n    pas une note\n```\n";
        assert_eq!(convert(text, Format::Mkdocs), (text.to_string(), 0));
    }
}
