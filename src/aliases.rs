//! Old URLs of pages (`aliases:` in the front matter): checked once when the site is loaded,
//! then used twice — links written with an old URL lead to the page, and the build writes a
//! redirect page at each old URL (as Hugo and Zola do).
//!
//! An alias is written root-absolute (`/ancienne/adresse`). It is kept as a path relative to
//! the site root, like page URLs: `ancienne/adresse/` (a folder, whose redirect is its
//! `index.html`) or, when its last segment names an HTML file, `ancien/guide.html` (that file).

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::site::Page;
use crate::yaml::Pos;

/// One old URL of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// Index into the site's pages of the page it leads to.
    pub page: usize,
    /// Where it is written in that page's file.
    pub pos: Pos,
}

/// Old URL (normalised, see the module doc) → the page it leads to.
pub type Aliases = BTreeMap<String, Alias>;

/// Checks and collects every page's aliases. An alias must be root-absolute and plain (no
/// scheme, query, fragment, `.` or `..`), and name no other page: two pages claiming one URL
/// is an error naming both.
pub(crate) fn collect(
    pages: &[Page],
    by_url: &BTreeMap<String, usize>,
    section_urls: &[String],
) -> Result<Aliases, Vec<Diagnostic>> {
    let mut aliases = Aliases::new();
    let mut errors = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        for (n, raw) in page.front.aliases.iter().enumerate() {
            let pos = page
                .spans
                .value(&format!("aliases.{n}"))
                .unwrap_or_else(|| page.spans.at("aliases"));
            let error = |message: String, help: String| {
                Diagnostic::error(&page.source.file, pos.line, pos.column, message)
                    .with_source(&page.source.text)
                    .with_help(help)
            };
            let key = match normalise(raw) {
                Ok(key) => key,
                Err((message, help)) => {
                    errors.push(error(message, help));
                    continue;
                }
            };
            if let Some(&owner) = by_url.get(&key) {
                let other = &pages[owner];
                let whose = if owner == index {
                    "it is this page's own URL".to_string()
                } else {
                    format!("it is the URL of {}", other.source.file.display())
                };
                errors.push(error(
                    format!("the alias `{raw}` names an existing page: {whose}"),
                    "remove this alias, or move the other page".into(),
                ));
            } else if section_urls.contains(&key) {
                errors.push(error(
                    format!("the alias `{raw}` is the URL of the folder listing /{key}"),
                    "remove this alias, or rename the folder".into(),
                ));
            } else if let Some(first) = aliases.get(&key) {
                let other = &pages[first.page];
                let line = first.pos.line;
                errors.push(error(
                    format!(
                        "two pages claim the old URL /{key}: this one and {} (line {line})",
                        other.source.file.display()
                    ),
                    "an old URL leads to one page: keep the alias in only one of them".into(),
                ));
            } else {
                aliases.insert(key, Alias { page: index, pos });
            }
        }
    }
    if errors.is_empty() {
        Ok(aliases)
    } else {
        Err(errors)
    }
}

/// The file a redirect is written to, relative to the output folder.
pub(crate) fn redirect_file(key: &str) -> String {
    if key.ends_with('/') || key.is_empty() {
        format!("{key}index.html")
    } else {
        key.to_string()
    }
}

/// The folder of the redirect page, as a URL path (`a/b/` for `a/b/index.html` and
/// `a/b/page.html`), for relative links written in it.
pub(crate) fn redirect_folder(key: &str) -> &str {
    match key.rfind('/') {
        Some(i) => &key[..=i],
        None => "",
    }
}

/// `/ancienne/adresse` → `ancienne/adresse/`; `/guide.html` → `guide.html`. Errors say what is
/// wrong and how to write it.
pub(crate) fn normalise(raw: &str) -> Result<String, (String, String)> {
    let wrong = |why: &str, help: &str| Err((format!("alias `{raw}`: {why}"), help.to_string()));
    let raw_trimmed = raw.trim();
    if raw_trimmed.contains("://") || raw_trimmed.starts_with("//") {
        return wrong(
            "an alias is a path of this site, not a web address",
            "write the path alone, from the site's root: `/ancienne/adresse`",
        );
    }
    let Some(path) = raw_trimmed.strip_prefix('/') else {
        return wrong(
            "an alias starts with `/` (it is a path from the site's root)",
            &format!("write `/{raw_trimmed}`"),
        );
    };
    if path.contains(['?', '#']) {
        return wrong(
            "an alias cannot hold `?` or `#`: a web server ignores them when it looks for a file",
            "write the path alone, without the query or the anchor",
        );
    }
    if path.contains('\\') || path.chars().any(char::is_control) {
        return wrong(
            "an alias cannot hold `\\` or control characters",
            "separate folders with `/`",
        );
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return wrong(
            "an alias cannot hold `.` or `..` segments",
            "write the old URL in full from the site's root",
        );
    }
    if segments.is_empty() {
        return wrong(
            "`/` is the home page's URL",
            "give the old URL's path, for example `/ancienne/adresse`",
        );
    }
    let joined = segments.join("/");
    let last = segments.last().copied().unwrap_or("");
    let is_html_file = last.ends_with(".html") || last.ends_with(".htm");
    Ok(if is_html_file {
        joined
    } else {
        format!("{joined}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_become_folders_or_html_files() {
        assert_eq!(normalise("/commandline").unwrap(), "commandline/");
        assert_eq!(
            normalise("/backup/borgbackup/").unwrap(),
            "backup/borgbackup/"
        );
        assert_eq!(
            normalise("//x").unwrap_err().0,
            "alias `//x`: an alias is a path of this site, not a web address"
        );
        assert_eq!(normalise("/old/guide.html").unwrap(), "old/guide.html");
        assert_eq!(redirect_file("a/b/"), "a/b/index.html");
        assert_eq!(redirect_file("a/guide.html"), "a/guide.html");
        assert_eq!(redirect_folder("a/guide.html"), "a/");
        assert_eq!(redirect_folder("a/b/"), "a/b/");
        assert_eq!(redirect_folder("guide.html"), "");
    }

    #[test]
    fn wrong_aliases_say_how_to_write_them() {
        let (message, help) = normalise("ancien").unwrap_err();
        assert_eq!(
            message,
            "alias `ancien`: an alias starts with `/` (it is a path from the site's root)"
        );
        assert_eq!(help, "write `/ancien`");
        assert!(normalise("https://example.org/a").is_err());
        assert!(normalise("/a/../b").is_err());
        assert!(normalise("/a?b=1").is_err());
        assert!(normalise("/").is_err());
    }
}
