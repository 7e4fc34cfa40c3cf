//! The `spelling` rule: the words of each page's prose (titles and descriptions included;
//! code, addresses, file names, identifiers and product names left out) checked against the
//! Hunspell dictionary of the page's language, read with spellbook, and the site's own word
//! list (`mots.txt`). Each distinct word is looked up once, in parallel, so a large site
//! costs little more than its vocabulary; suggestions are only made for the words that fail.
//! French pages also accept the English dictionary's words: French IT writing borrows them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use spellbook::Dictionary;

use super::scan::{PageScan, front_matter_prose};
use super::{Finding, Lines, finding};
use crate::diagnostics::Severity;
use crate::language::Language;
use crate::site::Site;

const RULE: &str = "spelling";

/// Where Debian's hunspell-fr and hunspell-en-us put their dictionaries.
pub const SYSTEM_DICTIONARIES: &str = "/usr/share/hunspell";

/// The site's own words, one a line, at the site root.
pub const SITE_WORDS_FILE: &str = "mots.txt";

/// Product and technology names written like ordinary words, never misspellings.
const PRODUCT_NAMES: &[&str] = &[
    "Apache",
    "Chromium",
    "Debian",
    "Docker",
    "Edge",
    "Excel",
    "Exchange",
    "Firefox",
    "Fortinet",
    "Gmail",
    "Grafana",
    "Intune",
    "Jira",
    "Linux",
    "Nagios",
    "Nextcloud",
    "Nginx",
    "Office",
    "Outlook",
    "Proxmox",
    "Redmine",
    "SharePoint",
    "Synology",
    "Teams",
    "Thunderbird",
    "Ubuntu",
    "Veeam",
    "Windows",
    "Word",
    "Zabbix",
    "Glpi",
    "Certbot",
    "Postfix",
    "Samba",
    "Kerberos",
];

/// A misspelt word in a page: its byte offset, the word and its suggestions.
type Misspelt<'a> = (usize, &'a str, &'a Vec<String>);

/// How many suggestions a misspelt word gets at most.
const SUGGESTIONS: usize = 3;

/// The dictionaries of the languages the site uses and its word list.
struct Speller {
    fr: Option<Dictionary>,
    en: Option<Dictionary>,
    site_words: HashSet<String>,
}

/// Finds the misspelt words of every page; returns them and the notes about missing
/// dictionaries (said once each).
pub(crate) fn check(
    site: &Site,
    scans: &[PageScan],
    dictionaries: &Path,
) -> (Vec<Finding>, Vec<String>) {
    let languages: HashSet<Language> = site.pages.iter().map(|p| p.language).collect();
    let (speller, notes) = Speller::load(&site.root, dictionaries, &languages);
    // Every word occurrence of every page: (page, byte offset, word).
    let occurrences: Vec<(usize, usize, String)> = site
        .pages
        .par_iter()
        .zip(scans)
        .enumerate()
        .filter(|(_, (page, _))| speller.knows(page.language))
        .flat_map_iter(|(index, (page, scan))| {
            let text: &str = &page.source.text;
            let mut ranges = front_matter_prose(page, &["title", "description", "name"]);
            ranges.extend(scan.prose.iter().cloned());
            ranges
                .into_iter()
                .flat_map(|r| {
                    words(&text[r.clone()])
                        .into_iter()
                        .map(move |(at, w)| (r.start + at, w))
                })
                .filter(|(_, w)| !speller.skips(w))
                .map(|(at, w)| (index, at, w.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut distinct: HashSet<(Language, &str)> = HashSet::new();
    for (index, _, word) in &occurrences {
        distinct.insert((site.pages[*index].language, word));
    }
    let unknown: HashMap<(Language, &str), Vec<String>> = distinct
        .into_par_iter()
        .filter(|(language, word)| !speller.accepts(*language, word))
        .map(|(language, word)| ((language, word), speller.suggest(language, word)))
        .collect();
    let mut by_page: BTreeMap<usize, Vec<Misspelt>> = BTreeMap::new();
    for (index, at, word) in &occurrences {
        if let Some(suggestions) = unknown.get(&(site.pages[*index].language, word.as_str())) {
            by_page
                .entry(*index)
                .or_default()
                .push((*at, word, suggestions));
        }
    }
    let mut found = Vec::new();
    for (index, misspelt) in by_page {
        let page = &site.pages[index];
        let lines = Lines::new(&page.source.text);
        for (at, word, suggestions) in misspelt {
            let help = match suggestions.as_slice() {
                [] => {
                    format!("if `{word}` is right, add it to {SITE_WORDS_FILE} (one word a line)")
                }
                s => format!(
                    "did you mean {}? If `{word}` is right, add it to {SITE_WORDS_FILE}",
                    s.iter()
                        .map(|w| format!("`{w}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            found.push(
                finding(
                    RULE,
                    Severity::Warning,
                    &page.source.file,
                    &lines,
                    at,
                    format!("unknown word `{word}`"),
                )
                .with_help(help),
            );
        }
    }
    (found, notes)
}

impl Speller {
    fn load(root: &Path, dir: &Path, languages: &HashSet<Language>) -> (Speller, Vec<String>) {
        let mut notes = Vec::new();
        let mut load = |language: Language, names: &[&str], package: &str| {
            if !languages.contains(&language) && language != Language::En {
                return None;
            }
            let found = names.iter().find_map(|name| {
                let aff = std::fs::read_to_string(dir.join(format!("{name}.aff"))).ok()?;
                let dic = std::fs::read_to_string(dir.join(format!("{name}.dic"))).ok()?;
                Dictionary::new(&aff, &dic).ok()
            });
            if found.is_none() && languages.contains(&language) {
                notes.push(format!(
                    "no {} dictionary ({}.aff and .dic) in {}: the spelling of {} pages was not checked; install it with `apt-get install {package}`",
                    language_name(language),
                    names[0],
                    dir.display(),
                    language_name(language)
                ));
            }
            found
        };
        let fr = load(Language::Fr, &["fr_FR", "fr"], "hunspell-fr");
        let en = load(Language::En, &["en_US", "en_GB", "en"], "hunspell-en-us");
        let site_words = std::fs::read_to_string(root.join(SITE_WORDS_FILE))
            .map(|text| {
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(normalise)
                    .collect()
            })
            .unwrap_or_default();
        (Speller { fr, en, site_words }, notes)
    }

    /// Whether pages in `language` can be checked.
    fn knows(&self, language: Language) -> bool {
        match language {
            Language::Fr => self.fr.is_some(),
            Language::En => self.en.is_some(),
        }
    }

    /// Words never looked up: acronyms, identifiers, product names and the site's words.
    fn skips(&self, word: &str) -> bool {
        let mut chars = word.chars();
        let inner_capital = chars.next().is_some() && chars.any(char::is_uppercase);
        inner_capital
            || word.chars().count() < 2
            || PRODUCT_NAMES.contains(&word)
            || self.site_words.contains(word)
            || self.site_words.contains(&word.to_lowercase())
    }

    fn accepts(&self, language: Language, word: &str) -> bool {
        let check = |d: &Option<Dictionary>| d.as_ref().is_some_and(|d| d.check(word));
        match language {
            Language::Fr => check(&self.fr) || check(&self.en),
            Language::En => check(&self.en),
        }
    }

    fn suggest(&self, language: Language, word: &str) -> Vec<String> {
        let dictionary = match language {
            Language::Fr => &self.fr,
            Language::En => &self.en,
        };
        let mut suggestions = Vec::new();
        if let Some(d) = dictionary {
            d.suggest(word, &mut suggestions);
        }
        suggestions.retain(|s| !s.contains(' '));
        suggestions.truncate(SUGGESTIONS);
        suggestions
    }
}

fn language_name(language: Language) -> &'static str {
    match language {
        Language::Fr => "French",
        Language::En => "English",
    }
}

/// The typographic apostrophe becomes the dictionaries' straight one.
fn normalise(word: &str) -> String {
    word.replace('’', "'")
}

/// The words of a prose run with their byte offsets: letters with inner apostrophes and
/// hyphens, apostrophes made straight. Whitespace-separated chunks that look technical
/// (addresses, paths, file names, numbers, identifiers) are left out whole.
fn words(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut offset = 0;
    for chunk in text.split_inclusive(char::is_whitespace) {
        let here = offset;
        offset += chunk.len();
        if is_technical(chunk.trim_end()) {
            continue;
        }
        let chars: Vec<(usize, char)> = chunk.char_indices().collect();
        let mut start: Option<usize> = None;
        for (k, &(i, c)) in chars.iter().enumerate() {
            let joins = matches!(c, '\'' | '’' | '-')
                && start.is_some()
                && chars.get(k + 1).is_some_and(|(_, n)| n.is_alphabetic());
            if c.is_alphabetic() || joins {
                start.get_or_insert(i);
                continue;
            }
            if let Some(s) = start.take() {
                found.push((here + s, normalise(&chunk[s..i])));
            }
        }
        if let Some(s) = start {
            found.push((here + s, normalise(&chunk[s..])));
        }
    }
    found
}

/// Addresses, paths, file names, e-mails, numbers and identifiers.
fn is_technical(chunk: &str) -> bool {
    let dotted = chunk
        .as_bytes()
        .windows(3)
        .any(|w| w[0].is_ascii_alphanumeric() && w[1] == b'.' && w[2].is_ascii_alphanumeric());
    dotted
        || chunk.contains([
            '/', '\\', '@', '_', '=', '<', '>', '{', '}', '#', '$', '%', '~', '|', '&', '+',
        ])
        || chunk.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_skip_technical_chunks_and_keep_elisions() {
        let text = "L’imprimante de SRV-GLPI01 (config_db.php) : voir https://x.fr, 10 h ou jean.dupont@x.fr.";
        let got: Vec<(usize, String)> = words(text);
        let shown: Vec<&str> = got.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(shown, ["L'imprimante", "de", "voir", "h", "ou"]);
        assert_eq!(got[1].0, "L’imprimante ".len());
    }
}
