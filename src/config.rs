//! `guichet.yaml`: the site's settings, read once at the start of every build.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::source_layout::CONFIG_FILE;

use crate::language::Language;

/// The settings of one site, as written in guichet.yaml.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's name, shown in the header and the browser's title bar.
    pub title: String,
    /// The language of the content and of the UI strings.
    #[serde(default)]
    pub language: Language,
    /// The languages of a translated site, the default first (`[fr, en]`); empty for a site
    /// in one language. A translation is a file beside its page (`page.en.md`).
    #[serde(default)]
    pub languages: Vec<Language>,
    /// What a translated site does with a page that has no translation in a language.
    #[serde(default)]
    pub missing_translation: crate::translation::MissingTranslation,
    /// The absolute URL the site is published at (`https://name.github.io/portfolio/`); empty
    /// for a site that must work from any folder and from `file://`.
    #[serde(default)]
    pub base_url: String,
    /// One sentence about the site, used in meta tags and the feed.
    #[serde(default)]
    pub description: Option<String>,
    /// The author, used in the feed and the footer.
    #[serde(default)]
    pub author: Option<String>,
    /// The theme folder's name under themes/.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The output folder, relative to the site root.
    #[serde(default = "default_output")]
    pub output: String,
    /// Urgency × impact → priority (GLPI's default when absent).
    #[serde(default)]
    pub priority_matrix: crate::tickets::PriorityMatrix,
    /// TTO and TTR targets per priority.
    #[serde(default)]
    pub sla: crate::tickets::SlaGrid,
    /// Business days, hours and holidays; without it, durations count 24/7.
    #[serde(default)]
    pub calendar: Option<crate::tickets::Calendar>,
    /// KPI options: the backlog instant and the recurring-incident rule.
    #[serde(default)]
    pub kpi: crate::tickets::KpiSettings,
    /// The site's own synonym groups for the search, added to the built-in table: each group
    /// is a list of words or phrases that mean the same thing (`[vpn, tunnel, accès distant]`).
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
    /// Which rules `guichet check` runs.
    #[serde(default)]
    pub check: CheckSettings,
    /// The address of the company's GLPI (`https://support.example.fr/`): the self-service
    /// page links to its ticket form there.
    #[serde(default)]
    pub glpi_url: Option<String>,
    /// The self-service page, "Avant de créer un ticket".
    #[serde(default)]
    pub self_service: SelfServiceSettings,
    /// The thresholds of the lifecycle findings on each workflow's page.
    #[serde(default)]
    pub lifecycle: crate::lifecycle::LifecycleSettings,
}

/// guichet.yaml's `self_service:` key: the page that meets users before they open a ticket.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SelfServiceSettings {
    /// On or off; by default on for a site with procedures for users (pages whose
    /// `audience` is `utilisateurs` or `users`).
    pub enabled: Option<bool>,
    /// The page's URL, relative to the site (`avant-de-creer-un-ticket/` by default, or
    /// `before-you-open-a-ticket/` in English).
    pub url: Option<String>,
    /// The page's title (`Avant de créer un ticket` by default).
    pub title: Option<String>,
}

/// guichet.yaml's `check:` key: each rule of `guichet check` on (the default) or off.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct CheckSettings {
    /// Passwords, tokens, private keys, connection strings, GLPI's default accounts.
    pub secrets: bool,
    /// Misspelt words (Hunspell dictionaries).
    pub spelling: bool,
    /// French non-breaking spaces before `: ; ! ?` and inside `« »`.
    pub typography: bool,
    /// Images without alternative text.
    pub alt_text: bool,
    /// Headings that skip a level.
    pub heading_levels: bool,
    /// Headings with nothing under them.
    pub empty_section: bool,
    /// Pages without `description`.
    pub description: bool,
    /// Two pages with one title.
    pub duplicate_title: bool,
    /// Pages no other page links to.
    pub orphan_page: bool,
    /// Links whose text says nothing ("ici", "click here").
    pub link_text: bool,
    /// External links that do not answer (only with `--external`).
    pub external_links: bool,
    /// What a `kind: portfolio` section lacks (also warned by `build`).
    pub portfolio: bool,
    /// On a translated site, pages without a translation in a language.
    pub translation: bool,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            secrets: true,
            spelling: true,
            typography: true,
            alt_text: true,
            heading_levels: true,
            empty_section: true,
            description: true,
            duplicate_title: true,
            orphan_page: true,
            link_text: true,
            external_links: true,
            portfolio: true,
            translation: true,
        }
    }
}

fn default_theme() -> String {
    "guichet".to_string()
}

/// An error of guichet.yaml at the value of `key`, with the line quoted and a hint.
pub(crate) fn error_at(
    spans: &crate::yaml::Spans,
    text: &str,
    key: &str,
    message: String,
    help: String,
) -> Diagnostic {
    let pos = spans.at(key);
    Diagnostic::error(CONFIG_FILE, pos.line, pos.column, message)
        .with_source(text)
        .with_help(help)
}

/// Whether `url` can be the address of a published site: http(s), a host, no spaces.
fn is_site_address(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split('/').next().unwrap_or("");
        !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// True for a site-relative folder URL such as `avant-de-creer-un-ticket/`: lowercase
/// words, digits and dashes, segments separated by `/`, ending with `/`.
fn is_page_url(url: &str) -> bool {
    url.ends_with('/')
        && url.trim_end_matches('/').split('/').all(|seg| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// What is wrong with `output` as the output folder, as far as its text tells: the site
/// folder, a folder above it, or a folder inside the sources. A build replaces its output
/// folder whole, so any of these would lose files.
fn output_problem(output: &str) -> Option<String> {
    use std::path::Component;
    let parts: Vec<Component> = Path::new(output)
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    if parts.is_empty() {
        return Some(
            "the output folder is the site folder itself: a build would replace the sources".into(),
        );
    }
    if parts.iter().all(|c| *c == Component::ParentDir) {
        return Some(
            "the output folder holds the site folder: a build would replace the sources".into(),
        );
    }
    match parts[0] {
        Component::Normal(first) => crate::source_layout::SOURCE_DIRS
            .iter()
            .find(|dir| first == **dir)
            .map(|dir| crate::output::inside_sources(dir)),
        _ => None,
    }
}

fn default_output() -> String {
    "site".to_string()
}

impl Config {
    /// Reads and checks `root/guichet.yaml`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = fs::read_to_string(&path).map_err(|e| {
            Diagnostic::file_error(
                CONFIG_FILE,
                format!("cannot read the site configuration: {e}"),
            )
            .with_help(format!(
                "create {CONFIG_FILE} at the site root with at least `title: My site`"
            ))
        })?;
        let (config, spans) = Config::parse_with_spans(&text)?;
        let templates = root.join(crate::source_layout::theme_templates(&config.theme));
        if config.theme != crate::theme::DEFAULT_THEME && !templates.is_dir() {
            return Err(error_at(
                &spans,
                &text,
                "theme",
                format!("the theme `{}` does not exist", config.theme),
                format!(
                    "create themes/{}/templates/, or remove `theme:` to use the built-in theme `{}`",
                    config.theme,
                    crate::theme::DEFAULT_THEME
                ),
            ));
        }
        Ok(config)
    }

    /// Parses the text of guichet.yaml; errors point at `guichet.yaml:line:column`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse_with_spans(text).map(|(config, _)| config)
    }

    fn parse_with_spans(text: &str) -> Result<(Config, crate::yaml::Spans), Diagnostic> {
        let (mut config, spans) =
            crate::yaml::parse::<Config>(Path::new(CONFIG_FILE), text, 1, text)?;
        if config.title.trim().is_empty() {
            return Err(error_at(
                &spans,
                text,
                "title",
                "the site title is empty".into(),
                "give the site a name: `title: Centre de services`".into(),
            ));
        }
        if let Some(problem) = output_problem(&config.output) {
            return Err(error_at(
                &spans,
                text,
                "output",
                problem,
                "give the site a folder of its own: `output: site` (the default)".into(),
            ));
        }
        if !config.base_url.is_empty() && !is_site_address(&config.base_url) {
            return Err(error_at(
                &spans,
                text,
                "base_url",
                format!("`{}` is not a web address", config.base_url),
                "write the address the site is published at, such as `https://name.github.io/portfolio/`, or leave it empty so the site works from any folder".into(),
            ));
        }
        if let Some((index, group)) = config
            .synonyms
            .iter()
            .enumerate()
            .find(|(_, g)| g.iter().filter(|w| !w.trim().is_empty()).count() < 2)
        {
            return Err(error_at(
                &spans,
                text,
                &format!("synonyms.{index}"),
                format!(
                    "this synonym group has {} word(s): a group needs at least two",
                    group.iter().filter(|w| !w.trim().is_empty()).count()
                ),
                "list the words that mean the same thing: `- [vpn, tunnel, accès distant]`".into(),
            ));
        }
        if !config.base_url.is_empty() && !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        if let Some(url) = &config.glpi_url
            && !is_site_address(url)
        {
            return Err(error_at(
                &spans,
                text,
                "glpi_url",
                format!("`{url}` is not a web address"),
                "write the address of the company's GLPI, such as `https://support.ateliers-morel.fr/`".into(),
            ));
        }
        if let Some(url) = &mut config.glpi_url
            && !url.ends_with('/')
        {
            url.push('/');
        }
        if let Some(url) = &config.self_service.url
            && !is_page_url(url)
        {
            return Err(error_at(
                &spans,
                text,
                "self_service.url",
                format!("`{url}` is not a page URL of the site"),
                "write a folder path of lowercase words and dashes ending with `/`, such as `avant-de-creer-un-ticket/`".into(),
            ));
        }
        crate::translation::check_languages(&mut config, &spans, text)?;
        if let Some((key, problem)) = config.lifecycle.problem() {
            return Err(error_at(
                &spans,
                text,
                &format!("lifecycle.{key}"),
                problem,
                "write a share between 0 and 1: `loop_share: 0.2` means 20 % of the tickets".into(),
            ));
        }
        Ok((config, spans))
    }

    /// The ticket settings (matrix, SLA, calendar, KPI options) for the tickets module.
    pub(crate) fn ticket_settings(&self) -> crate::tickets::TicketSettings {
        crate::tickets::TicketSettings {
            priority_matrix: self.priority_matrix.clone(),
            sla: self.sla.clone(),
            calendar: self.calendar.clone(),
            kpi: self.kpi.clone(),
        }
    }

    /// The path part of `base_url` (`/portfolio/`), or `/` when there is none.
    pub(crate) fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or(&self.base_url);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply() {
        let c = Config::parse("title: Démo\n").unwrap();
        assert_eq!(c.language, Language::Fr);
        assert_eq!(c.theme, "guichet");
        assert_eq!(c.output, "site");
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn synonym_groups_are_read_and_a_group_of_one_word_is_an_error() {
        let c = Config::parse("title: Démo\nsynonyms:\n  - [vpn, tunnel]\n").unwrap();
        assert_eq!(
            c.synonyms,
            vec![vec!["vpn".to_string(), "tunnel".to_string()]]
        );
        let err =
            Config::parse("title: Démo\nsynonyms:\n  - [vpn, tunnel]\n  - [seul]\n").unwrap_err();
        assert_eq!(
            err.headline(),
            "guichet.yaml:4:5: error: this synonym group has 1 word(s): a group needs at least two"
        );
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = Config::parse("title: Démo\nlangue: fr\n").unwrap_err();
        assert_eq!(
            err.headline(),
            "guichet.yaml:2:1: error: unknown key `langue`"
        );
    }

    #[test]
    fn an_output_folder_that_would_replace_sources_is_an_error_at_its_line() {
        let cases = [
            (
                "output: .\n",
                "the output folder is the site folder itself: a build would replace the sources",
            ),
            (
                "output: ./\n",
                "the output folder is the site folder itself: a build would replace the sources",
            ),
            (
                "output: ../..\n",
                "the output folder holds the site folder: a build would replace the sources",
            ),
            (
                "output: content/public\n",
                "the output folder is inside `content/`: the build would read its own output as sources",
            ),
            (
                "output: static/site\n",
                "the output folder is inside `static/`: the build would read its own output as sources",
            ),
            (
                "output: ./themes/out\n",
                "the output folder is inside `themes/`: the build would read its own output as sources",
            ),
        ];
        for (line, message) in cases {
            let err = Config::parse(&format!("title: Démo\n{line}")).unwrap_err();
            assert_eq!(
                (err.message.as_str(), err.line, err.column),
                (message, 2, 9),
                "{line}"
            );
        }
        for fine in ["site", "public/site", "../public", "contents"] {
            assert_eq!(
                Config::parse(&format!("title: Démo\noutput: {fine}\n"))
                    .unwrap()
                    .output,
                fine
            );
        }
    }

    #[test]
    fn a_base_url_that_is_not_a_web_address_is_an_error_at_its_value() {
        for bad in [
            "not a url",
            "name.github.io/portfolio",
            "https://",
            "ftp://x.org/",
        ] {
            let err = Config::parse(&format!("title: Démo\nbase_url: \"{bad}\"\n")).unwrap_err();
            assert_eq!(
                (err.message.clone(), err.line, err.column),
                (format!("`{bad}` is not a web address"), 2, 11),
                "{bad}"
            );
        }
        for good in ["https://name.github.io/portfolio", "http://localhost:8080/"] {
            assert!(
                Config::parse(&format!("title: Démo\nbase_url: {good}\n")).is_ok(),
                "{good}"
            );
        }
    }

    #[test]
    fn check_rules_can_be_turned_off_and_an_unknown_one_is_an_error_at_its_line() {
        let c =
            Config::parse("title: D\ncheck: { spelling: false, orphan-page: false }\n").unwrap();
        assert!(!c.check.spelling && !c.check.orphan_page && c.check.secrets);
        let err = Config::parse("title: D\ncheck:\n  speling: false\n").unwrap_err();
        assert_eq!(
            err.headline(),
            "guichet.yaml:3:3: error: check: unknown key `speling`"
        );
    }

    #[test]
    fn missing_title_is_an_error() {
        let err = Config::parse("language: en\n").unwrap_err();
        assert_eq!(err.message, "missing required key `title`");
    }

    #[test]
    fn base_path_of_sub_path_site() {
        let c = Config::parse("title: P\nbase_url: https://name.github.io/portfolio\n").unwrap();
        assert_eq!(c.base_url, "https://name.github.io/portfolio/");
        assert_eq!(c.base_path(), "/portfolio/");
    }
}
