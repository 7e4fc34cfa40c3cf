//! Translated sites: guichet.yaml `languages: [fr, en]`, the default language first.
//!
//! A translation is a file beside its page (`declarer-un-incident.en.md`, `_index.en.md`).
//! Right after content/ is read, [`split`] takes the translations out; the default language's
//! pages make the site as before (same URLs, same files), and [`language_sites`] makes one more
//! [`Site`] per other language, whose pages carry the original content paths (so a link
//! written `../utilisateurs/suivre.md` in an English page reaches the English translation) and
//! whose files go under `en/`. A page without translation in a language is, by guichet.yaml's
//! `missing_translation`, shown there in the default language with a notice (`notice`, the
//! default) or left out (`omit`), in which case links and the language switch lead to the
//! default language's page. Ticket write-ups are records, not translated: every language shows
//! them as written, marked with their `lang`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::config::{Config, error_at};
use crate::content::{SourcePage, Sources};
use crate::diagnostics::Diagnostic;
use crate::language::Language;
use crate::site::Site;
use crate::source_layout::CONTENT_DIR;

/// guichet.yaml's `missing_translation:`: what a language shows for a page not translated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingTranslation {
    /// The default language's page, under the language's URL, with a notice saying so.
    #[default]
    Notice,
    /// Nothing: the language's navigation leaves the page out, and its links and switch lead
    /// to the default language's page.
    Omit,
}

/// Checks `languages:` and makes its first entry the site's `language`.
pub(crate) fn check_languages(
    config: &mut Config,
    spans: &crate::yaml::Spans,
    text: &str,
) -> Result<(), Diagnostic> {
    let mut seen = BTreeSet::new();
    for (i, language) in config.languages.iter().enumerate() {
        if !seen.insert(*language) {
            return Err(error_at(
                spans,
                text,
                &format!("languages.{i}"),
                format!("the language `{}` is listed twice", language.code()),
                "list each language once, the default first: `languages: [fr, en]`".into(),
            ));
        }
    }
    let Some(&default) = config.languages.first() else {
        return Ok(());
    };
    if spans.key("language").is_some() && config.language != default {
        return Err(error_at(
            spans,
            text,
            "language",
            format!(
                "`language: {}` differs from the first of `languages:` ({})",
                config.language.code(),
                default.code()
            ),
            "the first of `languages:` is the default language: remove `language:`, or put its language first in `languages:`".into(),
        ));
    }
    config.language = default;
    Ok(())
}

/// The pages of one other language, taken out of content/ by [`split`].
pub(crate) struct Translations {
    /// The language.
    pub language: Language,
    /// Its translation files, each with the content path of the page it translates.
    pub pages: Vec<SourcePage>,
}

/// Takes the translation files out of `sources`. A file `page.<default>.md` is the default
/// language's page itself. A translation whose page does not exist in the default language,
/// or a page written twice in one language, is an error. A site in one language is returned
/// as it is.
pub(crate) fn split(
    config: &Config,
    mut sources: Sources,
) -> Result<(Sources, Vec<Translations>), Vec<Diagnostic>> {
    if config.languages.len() < 2 {
        return Ok((sources, Vec::new()));
    }
    let default = config.language;
    let mut translations: Vec<Translations> = config
        .languages
        .iter()
        .filter(|l| **l != default)
        .map(|&language| Translations {
            language,
            pages: Vec::new(),
        })
        .collect();
    let mut originals = Vec::with_capacity(sources.pages.len());
    for mut page in std::mem::take(&mut sources.pages) {
        match translated_path(&page.rel_path, &config.languages) {
            Some((base, language)) if language == default => {
                page.rel_path = base;
                originals.push(page);
            }
            Some((base, language)) => {
                page.rel_path = base;
                if let Some(t) = translations.iter_mut().find(|t| t.language == language) {
                    t.pages.push(page);
                }
            }
            None => originals.push(page),
        }
    }
    let mut errors = Vec::new();
    let mut known: BTreeMap<String, &SourcePage> = BTreeMap::new();
    for page in &originals {
        if let Some(first) = known.insert(page.rel_path.clone(), page) {
            errors.push(twice(page, first));
        }
    }
    for t in &translations {
        let mut seen: BTreeMap<&str, &SourcePage> = BTreeMap::new();
        for page in &t.pages {
            if let Some(first) = seen.insert(&page.rel_path, page) {
                errors.push(twice(page, first));
            } else if !known.contains_key(&page.rel_path) {
                errors.push(
                    Diagnostic::file_error(
                        &page.file,
                        format!(
                            "this translation has no page in the default language ({}): {} does not exist",
                            default.code(),
                            Path::new(CONTENT_DIR).join(&page.rel_path).display()
                        ),
                    )
                    .with_help(format!(
                        "write {} first (a translation sits beside its page), or check the file name",
                        Path::new(CONTENT_DIR).join(&page.rel_path).display()
                    )),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    sources.pages = originals;
    sources.pages.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    for t in &mut translations {
        t.pages.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    }
    Ok((sources, translations))
}

fn twice(page: &SourcePage, first: &SourcePage) -> Diagnostic {
    Diagnostic::file_error(
        &page.file,
        format!(
            "this page and {} are the same page in the same language",
            first.file.display()
        ),
    )
    .with_help("keep one of the two files")
}

/// `a/page.en.md` → (`a/page.md`, en) when `en` is one of `languages`; `a/_index.en.md` →
/// (`a/_index.md`, en).
pub(crate) fn translated_path(rel: &str, languages: &[Language]) -> Option<(String, Language)> {
    let stem = rel.strip_suffix(".md")?;
    let (base, code) = stem.rsplit_once('.')?;
    if base.is_empty() || base.ends_with('/') {
        return None;
    }
    let language = languages.iter().find(|l| l.code() == code)?;
    Some((format!("{base}.md"), *language))
}

/// Where one language's site stands among the others: what its language switch, its
/// `hreflang` links, its notices and its links to pages it leaves out need.
#[derive(Debug, Clone, Default)]
pub struct SiteLanguage {
    /// The site's languages, the default first; empty for a site in one language.
    pub languages: Vec<Language>,
    /// This site's language.
    pub language: Language,
    /// Where its files go in the output: empty for the default language, `en/` otherwise.
    pub prefix: String,
    /// This site's pages shown in another language than its own (content path → language
    /// written in): pages not translated yet, and ticket write-ups.
    pub fallback: BTreeMap<String, Language>,
    /// Shared by every language: which languages have each page, and how.
    pub shared: Arc<Presence>,
}

/// Which languages show each page (by content path), the same for every language's site.
#[derive(Debug, Clone, Default)]
pub struct Presence {
    /// The languages in which the page is written (the default language for every original).
    pub translated: BTreeMap<String, BTreeSet<Language>>,
    /// The languages whose site has the page, translated or shown in the default language.
    pub shown: BTreeMap<String, BTreeSet<Language>>,
    /// The default language's pages: content path → URL, for links to pages a language
    /// leaves out.
    pub default_urls: BTreeMap<String, String>,
    /// Ticket write-ups (content paths): records, shown as written with no notice.
    pub records: BTreeSet<String>,
}

/// One entry of the language switch, and one `hreflang` link when `translated`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Alternate {
    /// `fr`, `en`.
    pub code: &'static str,
    /// The language's own name: `Français`, `English`.
    pub name: &'static str,
    /// The relative href of the page in that language; empty when that language does not
    /// have the page (then the switch shows the name without a link).
    pub href: String,
    /// The page's absolute URL in that language, when the site has a base_url.
    pub absolute: Option<String>,
    /// True for the page being shown.
    pub current: bool,
    /// True when the page is written in that language (not shown in the default one).
    pub translated: bool,
}

impl SiteLanguage {
    /// True for a site in several languages.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// True for the default language's site (and for a site in one language).
    pub fn is_default(&self) -> bool {
        self.prefix.is_empty()
    }

    /// From this language's root to the output's root: `../` under `en/`, empty otherwise.
    pub fn up_to_output_root(&self) -> String {
        "../".repeat(self.prefix.matches('/').count())
    }

    /// The output folder of `language`'s pages: empty for the default, `en/` otherwise.
    pub fn prefix_of(&self, language: Language) -> String {
        if self.languages.first() == Some(&language) || self.languages.is_empty() {
            String::new()
        } else {
            format!("{}/", language.code())
        }
    }

    /// The language a page of this site is written in, when not the site's own.
    pub fn written_in(&self, rel: &str) -> Option<Language> {
        self.fallback.get(rel).copied()
    }

    /// The notice on a page shown in another language than the site's, `None` for the
    /// others and for ticket write-ups.
    pub fn notice(&self, rel: &str) -> Option<String> {
        let written = self.written_in(rel)?;
        if self.shared.records.contains(rel) {
            return None;
        }
        Some(notice_text(self.language, written))
    }

    /// The language switch of the page at `url` (this site's URL, without prefix) whose
    /// content path is `rel` (`None` for a page made from data, which every language has).
    /// Hrefs are relative to the page; `index_file` is appended to folder URLs.
    pub fn alternates(
        &self,
        rel: Option<&str>,
        url: &str,
        index_file: &str,
        base_url: &str,
    ) -> Vec<Alternate> {
        if !self.is_multilingual() {
            return Vec::new();
        }
        let here = format!(
            "{}{}",
            crate::page::links::root_prefix(&format!("{}{url}", self.prefix)),
            ""
        );
        self.languages
            .iter()
            .map(|&language| {
                let (shown, translated) = match rel {
                    None => (true, true),
                    Some(rel) => (
                        self.shared
                            .shown
                            .get(rel)
                            .is_some_and(|s| s.contains(&language)),
                        self.shared
                            .translated
                            .get(rel)
                            .is_some_and(|s| s.contains(&language)),
                    ),
                };
                let full = format!("{}{url}", self.prefix_of(language));
                let base = base_url_of_output(base_url, &self.prefix);
                Alternate {
                    code: language.code(),
                    name: language_name(language),
                    href: if shown {
                        format!("{here}{full}{index_file}")
                    } else {
                        String::new()
                    },
                    absolute: (shown && !base.is_empty()).then(|| format!("{base}{full}")),
                    current: language == self.language,
                    translated,
                }
            })
            .collect()
    }

    /// The URL (from the output's root) of the default language's page `rel`, for a link to a
    /// page this language leaves out.
    pub fn default_url(&self, rel: &str) -> Option<&str> {
        self.shared.default_urls.get(rel).map(String::as_str)
    }
}

/// The site's base_url without this language's prefix: the output root's address.
fn base_url_of_output(base_url: &str, prefix: &str) -> String {
    base_url
        .strip_suffix(prefix)
        .unwrap_or(base_url)
        .to_string()
}

/// A language's name written in that language, as language switches show it.
pub fn language_name(language: Language) -> &'static str {
    match language {
        Language::Fr => "Français",
        Language::En => "English",
    }
}

/// The notice on a page of the `site` language shown in the language `written`.
fn notice_text(site: Language, written: Language) -> String {
    match (site, written) {
        (Language::En, Language::Fr) => {
            "This page is not translated into English yet: here it is in French.".into()
        }
        (Language::Fr, Language::En) => {
            "Cette page n'est pas encore traduite en français : la voici en anglais.".into()
        }
        (Language::Fr, Language::Fr) | (Language::En, Language::En) => String::new(),
    }
}

/// The site of every other language, made from the default language's `site` and the
/// translations [`split`] took out; the default site comes first in the result. For a site
/// in one language, the result is that site alone.
pub(crate) fn language_sites(
    mut site: Site,
    translations: Vec<Translations>,
    drafts: bool,
) -> Result<Vec<Site>, Vec<Diagnostic>> {
    if site.config.languages.len() < 2 {
        return Ok(vec![site]);
    }
    let config = site.config.clone();
    let mode = config.missing_translation;
    let records: BTreeSet<String> = site
        .pages
        .iter()
        .filter(|p| p.ticket.is_some())
        .map(|p| p.source.rel_path.clone())
        .collect();
    // Every language has the self-service page at one URL, so that its switch leads somewhere.
    let self_service = crate::page::self_service::self_service_page(&site);
    let mut sites = Vec::with_capacity(translations.len());
    let mut errors = Vec::new();
    for t in translations {
        let translated: BTreeSet<&str> = t.pages.iter().map(|p| p.rel_path.as_str()).collect();
        let mut fallback = BTreeMap::new();
        let mut pages = t.pages.clone();
        for page in &site.pages {
            let rel = &page.source.rel_path;
            // Ticket write-ups and their section's page are in every language.
            let record_section = page.is_index && site.ticket_sections.contains(&page.section);
            let wanted =
                mode == MissingTranslation::Notice || records.contains(rel) || record_section;
            if !translated.contains(rel.as_str()) && wanted {
                fallback.insert(rel.clone(), page.language);
                pages.push(page.source.clone());
            }
        }
        pages.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        let mut language_config = config.clone();
        language_config.language = t.language;
        let prefix = format!("{}/", t.language.code());
        if !language_config.base_url.is_empty() {
            language_config.base_url.push_str(&prefix);
        }
        language_config.self_service.enabled = Some(self_service.is_some());
        if let Some(page) = &self_service {
            language_config.self_service.url = Some(page.url.clone());
        }
        let sources = Sources {
            pages,
            assets: site.assets.iter().cloned().collect(),
        };
        match crate::site::load(&site.root, language_config, sources, drafts) {
            Ok(mut other) => {
                // Pages shown in another language keep this site's words around them.
                for page in &mut other.pages {
                    if fallback.contains_key(&page.source.rel_path) {
                        page.language = t.language;
                    }
                }
                other.translation = SiteLanguage {
                    languages: config.languages.clone(),
                    language: t.language,
                    prefix,
                    fallback,
                    shared: Arc::default(),
                };
                sites.push(other);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut presence = Presence {
        records,
        ..Presence::default()
    };
    site.translation = SiteLanguage {
        languages: config.languages.clone(),
        language: config.language,
        prefix: String::new(),
        fallback: BTreeMap::new(),
        shared: Arc::default(),
    };
    sites.insert(0, site);
    for s in &sites {
        for page in &s.pages {
            let rel = &page.source.rel_path;
            let language = s.translation.language;
            presence
                .shown
                .entry(rel.clone())
                .or_default()
                .insert(language);
            if !s.translation.fallback.contains_key(rel) {
                presence
                    .translated
                    .entry(rel.clone())
                    .or_default()
                    .insert(language);
            }
        }
    }
    presence.default_urls = sites[0]
        .pages
        .iter()
        .map(|p| (p.source.rel_path.clone(), p.url.clone()))
        .collect();
    let presence = Arc::new(presence);
    for s in &mut sites {
        s.translation.shared = presence.clone();
    }
    Ok(sites)
}

/// The pages of the default language `site` missing a translation in some language, for
/// `guichet check`: each page with the languages it lacks. Ticket write-ups are records, never
/// translated.
pub(crate) fn missing_translations(site: &Site) -> Vec<(&crate::site::Page, Vec<Language>)> {
    let shared = &site.translation.shared;
    site.pages
        .iter()
        .filter(|p| p.ticket.is_none())
        .filter_map(|p| {
            let translated = shared.translated.get(&p.source.rel_path);
            let missing: Vec<Language> = site
                .translation
                .languages
                .iter()
                .copied()
                .filter(|l| !translated.is_some_and(|t| t.contains(l)))
                .collect();
            (!missing.is_empty()).then_some((p, missing))
        })
        .collect()
}

/// The file of `rel`'s translation into `language`: `content/a/page.en.md`.
pub(crate) fn translation_file(rel: &str, language: Language) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    format!("{CONTENT_DIR}/{stem}.{}.md", language.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_is_named_after_its_page_and_a_language_of_the_site() {
        let both = [Language::Fr, Language::En];
        assert_eq!(
            translated_path("utilisateurs/declarer-un-incident.en.md", &both),
            Some(("utilisateurs/declarer-un-incident.md".into(), Language::En))
        );
        assert_eq!(
            translated_path("utilisateurs/_index.en.md", &both),
            Some(("utilisateurs/_index.md".into(), Language::En))
        );
        assert_eq!(
            translated_path("_index.fr.md", &both),
            Some(("_index.md".into(), Language::Fr))
        );
        assert_eq!(translated_path("notes.de.md", &both), None);
        assert_eq!(translated_path("a/.en.md", &both), None);
        assert_eq!(translated_path("page.md", &both), None);
        assert_eq!(translated_path("page.en.md", &[Language::Fr]), None);
    }

    #[test]
    fn languages_set_the_default_language_and_a_contradiction_is_an_error_at_its_line() {
        let c = Config::parse("title: D\nlanguages: [en, fr]\n").unwrap();
        assert_eq!(c.language, Language::En);
        assert_eq!(c.languages, vec![Language::En, Language::Fr]);
        let err = Config::parse("title: D\nlanguage: fr\nlanguages: [en, fr]\n").unwrap_err();
        assert_eq!(
            err.headline(),
            "guichet.yaml:2:11: error: `language: fr` differs from the first of `languages:` (en)"
        );
        let err = Config::parse("title: D\nlanguages: [fr, en, fr]\n").unwrap_err();
        assert_eq!(
            err.headline(),
            "guichet.yaml:2:21: error: the language `fr` is listed twice"
        );
        let err = Config::parse("title: D\nmissing_translation: hide\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 22));
    }

    #[test]
    fn the_switch_of_a_page_not_translated_leads_to_what_each_language_shows() {
        let mut presence = Presence::default();
        presence.shown.insert(
            "a.md".into(),
            [Language::Fr, Language::En].into_iter().collect(),
        );
        presence
            .translated
            .insert("a.md".into(), [Language::Fr].into_iter().collect());
        let en = SiteLanguage {
            languages: vec![Language::Fr, Language::En],
            language: Language::En,
            prefix: "en/".into(),
            fallback: [("a.md".to_string(), Language::Fr)].into_iter().collect(),
            shared: Arc::new(presence),
        };
        let switch = en.alternates(Some("a.md"), "a/", "index.html", "https://x.org/en/");
        assert_eq!(switch.len(), 2);
        assert_eq!(switch[0].href, "../../a/index.html");
        assert_eq!(switch[0].absolute.as_deref(), Some("https://x.org/a/"));
        assert!(switch[0].translated && !switch[0].current);
        assert_eq!(switch[1].href, "../../en/a/index.html");
        assert!(!switch[1].translated && switch[1].current);
        assert_eq!(
            en.notice("a.md").as_deref(),
            Some("This page is not translated into English yet: here it is in French.")
        );
        assert_eq!(en.up_to_output_root(), "../");
        let missing = en.alternates(Some("b.md"), "b/", "", "");
        assert_eq!(missing[0].href, "");
    }
}
