//! The files that describe the site to machines: sitemap.xml, the Atom feed of dated pages,
//! and robots.txt.

use crate::config::Config;
use crate::escape::escape;
use crate::site::{Page, Site};

use super::context::dated_pages;
use super::dates::rfc3339;
use super::links::index_file;

/// The feed files of `site`, as (path in the site, text).
pub(crate) fn feeds(site: &Site) -> [(&'static str, String); 3] {
    [
        ("sitemap.xml", sitemap(site)),
        ("atom.xml", atom(site)),
        ("robots.txt", robots(&site.config)),
    ]
}

/// Every crawler may read everything; the Sitemap line must be an absolute URL, which only
/// a base_url gives.
fn robots(config: &Config) -> String {
    if config.base_url.is_empty() {
        "User-agent: *\nAllow: /\n".to_string()
    } else {
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            config.base_url
        )
    }
}

/// The URL of the page at `url` as written in the sitemap and the feed: under base_url, or,
/// for a site without one, relative to the site root where both files sit (so they still
/// work from any folder and from file://).
fn feed_url(config: &Config, url: &str) -> String {
    format!("{}{url}{}", config.base_url, index_file(config))
}

fn sitemap(site: &Site) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut urls: Vec<&Page> = site.pages.iter().collect();
    urls.sort_by(|a, b| a.url.cmp(&b.url));
    for p in urls {
        xml.push_str(&format!(
            "  <url><loc>{}</loc>",
            escape(&feed_url(&site.config, &p.url))
        ));
        if let Some(d) = p.front.updated.as_ref().or(p.front.date.as_ref()) {
            xml.push_str(&format!("<lastmod>{}</lastmod>", escape(d)));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The sitemap of a translated site, `sites` the default language's first: every page written
/// in a language, each with the `xhtml:link` alternates of its translations (pages shown
/// untranslated are copies, left out).
pub(crate) fn translated_sitemap(sites: &[&Site]) -> String {
    let Some(default) = sites.first() else {
        return String::new();
    };
    let config = &default.config;
    let translation = &default.translation;
    let mut entries: Vec<(String, String)> = Vec::new();
    for site in sites {
        let here = &site.translation;
        for p in site.pages.iter() {
            let rel = &p.source.rel_path;
            if here.written_in(rel).is_some() {
                continue;
            }
            let loc = feed_url(config, &format!("{}{}", here.prefix, p.url));
            let mut entry = format!("  <url><loc>{}</loc>", escape(&loc));
            if let Some(d) = p.front.updated.as_ref().or(p.front.date.as_ref()) {
                entry.push_str(&format!("<lastmod>{}</lastmod>", escape(d)));
            }
            let languages = translation.shared.translated.get(rel);
            if languages.is_some_and(|l| l.len() > 1) {
                for language in languages.into_iter().flatten() {
                    let href = feed_url(
                        config,
                        &format!("{}{}", translation.prefix_of(*language), p.url),
                    );
                    entry.push_str(&format!(
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        language.code(),
                        escape(&href)
                    ));
                }
            }
            entry.push_str("</url>\n");
            entries.push((loc, entry));
        }
    }
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (_, entry) in entries {
        xml.push_str(&entry);
    }
    xml.push_str("</urlset>\n");
    xml
}

fn atom(site: &Site) -> String {
    let home = feed_url(&site.config, "");
    // An Atom id must be an absolute IRI and never change; without base_url the site-rooted
    // path is the closest stable name.
    let id_base = if site.config.base_url.is_empty() {
        "/"
    } else {
        site.config.base_url.as_str()
    };
    let pages = dated_pages(site);
    let updated = pages
        .first()
        .and_then(|p| p.front.updated.as_ref().or(p.front.date.as_ref()))
        .map(|d| rfc3339(d))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    xml.push_str(&format!("  <title>{}</title>\n  <id>{}</id>\n  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}atom.xml\"/>\n  <updated>{updated}</updated>\n", escape(&site.config.title), escape(id_base), escape(&home), escape(&site.config.base_url)));
    if let Some(author) = &site.config.author {
        xml.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            escape(author)
        ));
    }
    for p in pages.into_iter().take(20) {
        let id = escape(&format!("{id_base}{}", p.url));
        let url = escape(&feed_url(&site.config, &p.url));
        let date = rfc3339(
            p.front
                .updated
                .as_ref()
                .or(p.front.date.as_ref())
                .map(String::as_str)
                .unwrap_or(""),
        );
        xml.push_str(&format!("  <entry>\n    <title>{}</title>\n    <id>{id}</id>\n    <link href=\"{url}\"/>\n    <updated>{date}</updated>\n", escape(&p.title)));
        if let Some(d) = &p.front.description {
            xml.push_str(&format!("    <summary>{}</summary>\n", escape(d)));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}
