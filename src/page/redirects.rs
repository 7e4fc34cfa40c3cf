//! The redirect page written at each old URL of a page (front matter `aliases:`): a meta
//! refresh to the page, its canonical link and `noindex`, as Hugo and Zola write them, so
//! old links and bookmarks keep working and search engines index the new URL only.
//!
//! The redirect's target is relative, like every link of the site: it keeps working when the
//! site is deployed under a sub-path (`https://example.org/kb/`) or opened from `file://`.

use crate::aliases::{self, Alias};
use crate::data::{KPI_URL, WORKFLOWS_URL};
use crate::diagnostics::Diagnostic;
use crate::escape::escape;
use crate::language::Language;
use crate::output::Staging;
use crate::site::Site;

use super::links::page_href;

/// URLs the build writes itself: an old URL cannot take their place.
const GENERATED_URLS: [&str; 5] = ["search/", KPI_URL, WORKFLOWS_URL, "static/", "404.html"];

/// Writes one redirect page per alias; returns how many files were written.
pub(crate) fn write_redirects(site: &Site, staging: &Staging) -> Result<usize, Diagnostic> {
    for (key, alias) in &site.aliases {
        check_free(site, key, alias)?;
        staging.write(
            &aliases::redirect_file(key),
            redirect_html(site, key, alias.page).as_bytes(),
        )?;
    }
    Ok(site.aliases.len())
}

/// An old URL must not be one the build writes for something else (a generated page, the
/// static files, a file of content/).
fn check_free(site: &Site, key: &str, alias: &Alias) -> Result<(), Diagnostic> {
    let page = &site.pages[alias.page];
    let taken_by = if let Some(url) = GENERATED_URLS.iter().find(|u| key.starts_with(**u)) {
        Some(format!("the build writes /{url} itself"))
    } else if site.assets.contains(key.trim_end_matches('/')) {
        Some(format!(
            "content/{} is a file of the site",
            key.trim_end_matches('/')
        ))
    } else {
        None
    };
    match taken_by {
        Some(why) => Err(Diagnostic::error(
            &page.source.file,
            alias.pos.line,
            alias.pos.column,
            format!("the alias `/{key}` cannot be written: {why}"),
        )
        .with_source(&page.source.text)
        .with_help("remove this alias")),
        None => Ok(()),
    }
}

/// The HTML of the redirect at `key` to page `page`.
fn redirect_html(site: &Site, key: &str, page: usize) -> String {
    let page = &site.pages[page];
    let href = escape(&target_href(site, key, &page.url));
    let canonical = if site.config.base_url.is_empty() {
        href.clone()
    } else {
        escape(&format!("{}{}", site.config.base_url, page.url))
    };
    let title = escape(&page.title);
    let (lang, moved) = match page.language {
        Language::En => ("en", "This page has moved to"),
        Language::Fr => ("fr", "Cette page a déménagé :"),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n<body>\n<p>{moved} <a href=\"{href}\">{title}</a></p>\n</body>\n</html>\n"
    )
}

/// Where the redirect at `key` sends the reader. A site served from a web server (with a
/// `base_url`) gets the path from the server's root (`/kb/outils/page/`): an old URL is often
/// asked without its final slash (`/commandline`), and a relative target would then resolve
/// one folder too high whenever the server answers without first adding the slash. A site
/// without `base_url` (opened from files) gets a relative target, `index.html` included.
fn target_href(site: &Site, key: &str, url: &str) -> String {
    if site.config.base_url.is_empty() {
        return page_href(&site.config, aliases::redirect_folder(key), url);
    }
    format!("{}{url}", base_path(&site.config.base_url))
}

/// The path of a base URL, from `/` to its last `/`: `https://example.org/kb/` → `/kb/`.
fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_path_of_a_base_url() {
        assert_eq!(base_path("https://example.org/kb/"), "/kb/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_path("https://example.org/a/b"), "/a/b/");
    }
}
