//! How one page reaches another: relative hrefs (the site works from any folder and from
//! `file://`), the index file of folder URLs, and the resolution of the links written in a
//! page's Markdown against the site's pages and files.

use crate::config::Config;
use crate::content;
use crate::markdown::{LinkTarget, PageLinks};
use crate::site::{Page, Site};
use crate::text_distance::edit_distance;

/// The file name appended to folder URLs: `index.html` for a site without base_url (so it
/// works from file://), nothing for a site served by a web server (pretty URLs).
pub fn index_file(config: &Config) -> &'static str {
    if config.base_url.is_empty() {
        "index.html"
    } else {
        ""
    }
}

/// The relative path from a page at `url` to the site root: `a/b/` → `../../`, `` → `./`.
pub fn root_prefix(url: &str) -> String {
    let depth = url.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// The relative href from the page at `from_url` to the page at `to_url`.
pub fn page_href(config: &Config, from_url: &str, to_url: &str) -> String {
    format!("{}{}{}", root_prefix(from_url), to_url, index_file(config))
}

/// Resolves the links written in one page against the site.
pub(crate) struct SiteLinks<'a> {
    /// The site whose pages and files links may name.
    pub site: &'a Site,
    /// The page the links are written in.
    pub from: &'a Page,
}

impl PageLinks for SiteLinks<'_> {
    fn resolve(&self, dest: &str) -> LinkTarget {
        if dest.is_empty() {
            return LinkTarget::Keep;
        }
        if let Some(scheme) = scheme_of(dest) {
            return by_scheme(dest, &scheme);
        }
        if let Some(refused) = mistyped_url(dest) {
            return refused;
        }
        let (path, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(a.to_string())),
            None => (dest, None),
        };
        // A file name written with escapes (`capture%20écran.png`) names the file as it is.
        let decoded = path
            .contains('%')
            .then(|| crate::escape::percent_decode(path).and_then(|b| String::from_utf8(b).ok()))
            .flatten();
        let path = decoded.as_deref().unwrap_or(path);
        if path.is_empty() {
            return LinkTarget::Page {
                href: dest.to_string(),
                page: self.from.source.rel_path.clone(),
                anchor,
            };
        }
        let Some(target) = content::resolve_relative(&self.from.source.rel_path, path) else {
            return LinkTarget::Missing(format!("link `{dest}` goes above the content folder"));
        };
        let suffix = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
        if path.ends_with(".md") {
            if let Some(href) = self.to_original_anchor(&target, &suffix) {
                return LinkTarget::File(href);
            }
            return match self.site.page(&target) {
                Some(page) => LinkTarget::Page {
                    href: format!("{}{suffix}", self.href_to(page)),
                    page: target,
                    anchor,
                },
                // A page this language leaves out (`missing_translation: omit`): its
                // default language's page.
                None => match self.site.translation.default_url(&target) {
                    Some(url) => LinkTarget::File(format!(
                        "{}{}{url}{}{suffix}",
                        root_prefix(&self.from.url),
                        self.site.translation.up_to_output_root(),
                        index_file(&self.site.config)
                    )),
                    None => LinkTarget::Missing(format!(
                        "link to a missing page `{path}` (looked for content/{target})"
                    )),
                },
            };
        }
        if self.site.assets.contains(&target) {
            // Every language shares the files of content/, kept once at the output's root.
            return LinkTarget::File(format!(
                "{}{}{target}{suffix}",
                root_prefix(&self.from.url),
                self.site.translation.up_to_output_root()
            ));
        }
        let as_url = if target.is_empty() {
            String::new()
        } else {
            format!("{}/", target.trim_end_matches('/'))
        };
        // A page's URL, or one of its old URLs (`aliases:`), written as a path.
        let by_url = self.site.by_url.get(&as_url).copied();
        let by_alias = || {
            [as_url.as_str(), target.as_str()]
                .iter()
                .find_map(|key| self.site.aliases.get(*key))
                .map(|alias| alias.page)
        };
        if let Some(i) = by_url.or_else(by_alias) {
            let page = &self.site.pages[i];
            return LinkTarget::Page {
                href: format!("{}{suffix}", self.href_to(page)),
                page: page.source.rel_path.clone(),
                anchor,
            };
        }
        if path.starts_with('/') {
            return LinkTarget::MissingUrl {
                message: format!(
                    "link to `{path}`: no page, old URL (`aliases:`) or file of the site has this URL"
                ),
                help: closest_page_help(self.site, &as_url),
            };
        }
        LinkTarget::Missing(format!(
            "link to a missing file `{path}` (looked for content/{target})"
        ))
    }
}

/// The help line of a root-absolute link to nothing: the page whose URL (or old URL) is
/// closest to `url` (`a/b/`), compared on the last segment first (a page that moved keeps
/// its name), then on the whole path.
fn closest_page_help(site: &Site, url: &str) -> String {
    let last = |u: &str| -> String {
        u.trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".html")
            .to_string()
    };
    let wanted_last = last(url);
    let candidates = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url.as_str(), i))
        .chain(site.aliases.iter().map(|(k, a)| (k.as_str(), a.page)));
    let best = candidates
        .map(|(u, i)| {
            let score = (edit_distance(&wanted_last, &last(u)), edit_distance(url, u));
            (score, i)
        })
        .min();
    match best {
        Some((_, i)) => {
            let page = &site.pages[i];
            format!(
                "the closest page is `/{}` ({}): link to it by its URL, or add `aliases: [/{}]` to its front matter",
                page.url,
                page.source.file.display(),
                url.trim_end_matches('/')
            )
        }
        None => "the site has no page yet: write the page, or link to a file".to_string(),
    }
}

/// The scheme of a URI (RFC 3986: a letter, then letters, digits, `+`, `-` or `.`, then `:`),
/// lower-cased; `None` for a path. One letter is a Windows drive (`C:`), not a scheme.
fn scheme_of(dest: &str) -> Option<String> {
    let (scheme, _) = dest.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && scheme.len() > 1;
    valid.then(|| scheme.to_ascii_lowercase())
}

/// A link with a scheme points outside the site (`https:`, `mailto:`, `xmpp:`, `sip:`…) and
/// is kept as written, except the schemes that run code in the reader's browser, and web
/// addresses that lost a slash.
fn by_scheme(dest: &str, scheme: &str) -> LinkTarget {
    match scheme {
        "javascript" | "vbscript" | "data" => LinkTarget::Refused {
            message: format!(
                "`{scheme}:` links are refused: they run code or carry content in the reader's browser"
            ),
            help: "link to a page or a file of the site, or to a web address (https://…)".into(),
        },
        "http" | "https" if !dest[scheme.len() + 1..].starts_with("//") => {
            let rest = dest[scheme.len() + 1..].trim_start_matches('/');
            LinkTarget::Refused {
                message: format!(
                    "`{dest}` is not a web address: `{scheme}:` must be followed by `//`"
                ),
                help: format!("write `{scheme}://{rest}`"),
            }
        }
        _ => LinkTarget::Keep,
    }
}

/// A destination without a scheme that is surely a web address (`www.example.org/page`):
/// as a path it would name a missing file.
fn mistyped_url(dest: &str) -> Option<LinkTarget> {
    dest.to_ascii_lowercase()
        .starts_with("www.")
        .then(|| LinkTarget::Refused {
            message: format!("`{dest}` looks like a web address without its `https://`: as a path, it names no file of the site"),
            help: format!("write `https://{dest}`"),
        })
}

impl SiteLinks<'_> {
    fn href_to(&self, page: &Page) -> String {
        page_href(&self.site.config, &self.from.url, &page.url)
    }

    /// On a translated site, a link to an anchor written in a page shown untranslated names a
    /// heading of the original: when the target is translated, its headings differ, so the
    /// link leads to the default language's page (`None` for every other link).
    fn to_original_anchor(&self, target: &str, suffix: &str) -> Option<String> {
        let translation = &self.site.translation;
        let from = &self.from.source.rel_path;
        if suffix.is_empty()
            || translation.written_in(from).is_none()
            || translation.written_in(target).is_some()
        {
            return None;
        }
        let url = translation.default_url(target)?;
        Some(format!(
            "{}{}{url}{}{suffix}",
            root_prefix(&self.from.url),
            translation.up_to_output_root(),
            index_file(&self.site.config)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_climb_to_the_root_then_name_the_target() {
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("a/b/"), "../../");
        let mut config = Config::parse("title: T\n").unwrap();
        assert_eq!(page_href(&config, "a/b/", "c/"), "../../c/index.html");
        config.base_url = "https://example.org/".into();
        assert_eq!(page_href(&config, "a/", ""), "../");
    }
}
