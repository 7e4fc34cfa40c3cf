//! Obsidian's links: `[[Note]]`, `[[Note|texte]]`, `[[Note#Titre]]`, `![[image.png]]` and
//! `![[Note]]`, turned into Markdown links and images to the files' paths in the vault (the
//! link pass then follows them to their imported place). A note is found by its name
//! wherever it sits, as Obsidian finds it; two notes of one name are told apart by a path.

use std::collections::BTreeMap;

use super::Leftover;
use super::notices::Fence;

/// The vault's files by name, to resolve wikilinks.
#[derive(Debug, Default)]
pub(super) struct Vault {
    /// Lower-cased name (a note's without `.md`, a file's with its extension) → paths.
    by_name: BTreeMap<String, Vec<String>>,
}

impl Vault {
    /// Indexes `paths` (relative to the vault, sorted).
    pub(super) fn new<'a>(paths: impl Iterator<Item = &'a str>) -> Self {
        let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for path in paths {
            let name = path.rsplit('/').next().unwrap_or(path);
            let key = name.strip_suffix(".md").unwrap_or(name).to_lowercase();
            by_name.entry(key).or_default().push(path.to_string());
        }
        Vault { by_name }
    }

    /// The path a wikilink target names: by name, or by the end of its path when it has
    /// folders; the shortest path when several match.
    fn find(&self, target: &str) -> Option<&str> {
        let target = target.trim().trim_start_matches('/');
        let name = target.rsplit('/').next().unwrap_or(target);
        let key = name.strip_suffix(".md").unwrap_or(name).to_lowercase();
        let candidates = self.by_name.get(&key)?;
        let wanted = target.strip_suffix(".md").unwrap_or(target).to_lowercase();
        candidates
            .iter()
            .filter(|p| {
                let p = p.strip_suffix(".md").unwrap_or(p).to_lowercase();
                p == wanted || p.ends_with(&format!("/{wanted}"))
            })
            .min_by_key(|p| (p.matches('/').count(), p.len()))
            .map(String::as_str)
    }
}

/// Converts the wikilinks of `body` (the note `from`, whose body starts at file line
/// `first_line`); returns the new body and what could not be converted.
pub(super) fn convert(
    body: &str,
    from: &str,
    vault: &Vault,
    first_line: usize,
) -> (String, Vec<Leftover>) {
    let mut out = String::with_capacity(body.len());
    let mut leftovers = Vec::new();
    let mut fence = Fence::default();
    for (n, line) in body.split_inclusive('\n').enumerate() {
        if fence.inside(line) || !line.contains("[[") {
            out.push_str(line);
            continue;
        }
        out.push_str(&convert_line(
            line,
            from,
            vault,
            first_line + n,
            &mut leftovers,
        ));
    }
    (out, leftovers)
}

fn convert_line(
    line: &str,
    from: &str,
    vault: &Vault,
    line_no: usize,
    leftovers: &mut Vec<Leftover>,
) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find("[[") {
        let Some(close) = rest[open..].find("]]").map(|c| open + c) else {
            break;
        };
        let embed = rest[..open].ends_with('!');
        let before = if embed {
            &rest[..open - 1]
        } else {
            &rest[..open]
        };
        out.push_str(before);
        let inner = &rest[open + 2..close];
        match link(inner, embed, from, vault) {
            Ok((markdown, note)) => {
                out.push_str(&markdown);
                if let Some(note) = note {
                    leftovers.push(Leftover::new(line_no, note));
                }
            }
            Err(why) => {
                out.push_str(&rest[open - usize::from(embed)..close + 2]);
                leftovers.push(Leftover::new(line_no, why));
            }
        }
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    out
}

/// The Markdown for one wikilink `inner` (between `[[` and `]]`), with a note when the
/// conversion loses something; an error when the target is not in the vault.
fn link(
    inner: &str,
    embed: bool,
    from: &str,
    vault: &Vault,
) -> Result<(String, Option<String>), String> {
    let (target, label) = match inner.split_once('|') {
        Some((t, l)) => (t, Some(l.trim())),
        None => (inner, None),
    };
    let (target, anchor) = match target.split_once('#') {
        Some((t, a)) => (t, Some(a.trim())),
        None => (target, None),
    };
    let path = if target.trim().is_empty() {
        from.to_string()
    } else {
        vault
            .find(target)
            .ok_or_else(|| {
                format!(
                    "`[[{inner}]]`: no note or file of the vault is named `{}`",
                    target.trim()
                )
            })?
            .to_string()
    };
    let href = relative_from(from, &path);
    let is_note = path.ends_with(".md");
    let mut note = None;
    let fragment = match anchor {
        Some(a) if a.starts_with('^') => {
            note = Some(format!(
                "`[[{inner}]]`: a link to a block (`#{a}`) became a link to the note"
            ));
            String::new()
        }
        Some(a) => format!("#{}", crate::markdown::slugify(a)),
        None => String::new(),
    };
    let name = target
        .trim()
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md");
    // An embed's `|300` or `|300x200` is a size, not a text.
    let is_size = |l: &str| embed && l.chars().all(|c| c.is_ascii_digit() || c == 'x');
    let text = label.filter(|l| !l.is_empty() && !is_size(l));
    let text = text.map_or_else(
        || match anchor {
            Some(a) if !a.starts_with('^') && name.is_empty() => a.to_string(),
            Some(a) if !a.starts_with('^') => format!("{name} › {a}"),
            _ => name.to_string(),
        },
        str::to_string,
    );
    let dest = format!("{}{fragment}", encode(&href));
    if embed && !is_note {
        Ok((format!("![{}]({dest})", escape_text(&text)), note))
    } else {
        if embed {
            note = Some(format!(
                "`![[{inner}]]`: a note shown inside another became a link to it"
            ));
        }
        Ok((format!("[{}]({dest})", escape_text(&text)), note))
    }
}

/// The relative path from the file `from` to the file `to` (both relative to one root).
pub(super) fn relative_from(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = match from.rsplit_once('/') {
        Some((dir, _)) => dir.split('/').collect(),
        None => Vec::new(),
    };
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// A path as a link destination: spaces and parentheses escaped.
pub(super) fn encode(path: &str) -> String {
    path.replace('%', "%25")
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
}

/// Link text with the characters that would end it escaped.
fn escape_text(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault() -> Vault {
        Vault::new(
            [
                "Réseau/Wi-Fi invités.md",
                "Procédures/Imprimante.md",
                "pièces/capture 1.png",
                "Imprimante.md",
            ]
            .into_iter(),
        )
    }

    #[test]
    fn wikilinks_become_links_to_paths() {
        let (out, left) = convert(
            "Voir [[Wi-Fi invités]] et [[Procédures/Imprimante|l'imprimante]] ou [[Wi-Fi invités#Mot de passe]].\n",
            "Accueil.md",
            &vault(),
            3,
        );
        assert_eq!(
            out,
            "Voir [Wi-Fi invités](Réseau/Wi-Fi%20invités.md) et [l'imprimante](Procédures/Imprimante.md) ou [Wi-Fi invités › Mot de passe](Réseau/Wi-Fi%20invités.md#mot-de-passe).\n"
        );
        assert!(left.is_empty());
    }

    #[test]
    fn embeds_become_images_and_unknown_names_are_left_and_listed() {
        let (out, left) = convert(
            "![[capture 1.png|300]]\n![[Imprimante]]\n[[Absente]]\n",
            "Réseau/Wi-Fi invités.md",
            &vault(),
            5,
        );
        assert_eq!(
            out,
            "![capture 1.png](../pièces/capture%201.png)\n[Imprimante](../Imprimante.md)\n[[Absente]]\n"
        );
        let lines: Vec<(usize, &str)> = left.iter().map(|l| (l.line, l.what.as_str())).collect();
        assert_eq!(
            lines,
            [
                (
                    6,
                    "`![[Imprimante]]`: a note shown inside another became a link to it"
                ),
                (
                    7,
                    "`[[Absente]]`: no note or file of the vault is named `Absente`"
                ),
            ]
        );
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_from("a/b.md", "a/c.md"), "c.md");
        assert_eq!(relative_from("a/b.md", "d/c.md"), "../d/c.md");
        assert_eq!(relative_from("b.md", "d/c.md"), "d/c.md");
        assert_eq!(relative_from("a/b/c.md", "a/x.png"), "../x.png");
    }
}
