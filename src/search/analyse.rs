//! The text analyser shared by the index builder and the query engine.
//!
//! The browser runs a line-by-line twin of this file (themes/guichet/static/search.js);
//! tests/search_vectors.json is checked by both so they never drift. Any change here must be
//! made there too, and the vectors extended.
//!
//! Pipeline for a text: NFC, lowercase, cut into runs of letters/digits joined by single
//! connectors (`.-_:/\@#+` and apostrophes), French elisions dropped, identifiers kept whole and
//! in parts, stop words dropped, light stemming of plain words, accent folding. Each token has a
//! folded `key` (what matching uses) and, when the accented stem differs, its `exact` form (what
//! gives the exact spelling a bonus).

use unicode_normalization::UnicodeNormalization;

/// One index or query term: the folded key, and the accented stem when it differs from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Folded, stemmed form used for matching ("redemarr").
    pub key: String,
    /// Accented stem ("redémarr") when it differs from `key`; ranks the exact spelling higher.
    pub exact: Option<String>,
}

/// Analyses `text` written in `lang` ("fr" or "en"; anything else uses the English rules).
pub fn analyse(text: &str, lang: &str) -> Vec<Token> {
    let lowered: String = text.nfc().collect::<String>().to_lowercase();
    let chars: Vec<char> = lowered.chars().collect();
    let mut tokens = Vec::new();
    for run in split_runs(&chars) {
        analyse_run(&run, lang, &mut tokens);
    }
    tokens
}

/// Removes accents (NFD, combining marks U+0300–U+036F dropped) and expands ligatures.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.nfd() {
        match c {
            '\u{300}'..='\u{36f}' => {}
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            _ => out.push(c),
        }
    }
    out.nfc().collect()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn is_connector(c: char) -> bool {
    matches!(c, '.' | '-' | '_' | ':' | '/' | '\\' | '@' | '#' | '+') || is_apostrophe(c)
}

/// Maximal runs of word characters, where a single connector between two word characters
/// belongs to the run ("192.168.10.20", "config_db.php", "l'imprimante").
fn split_runs(chars: &[char]) -> Vec<Vec<char>> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_word_char(chars[i]) {
            i += 1;
            continue;
        }
        let mut run = vec![chars[i]];
        i += 1;
        while i < chars.len() {
            let joined =
                is_connector(chars[i]) && chars.get(i + 1).is_some_and(|c| is_word_char(*c));
            if !(is_word_char(chars[i]) || joined) {
                break;
            }
            run.push(chars[i]);
            i += 1;
        }
        runs.push(run);
    }
    runs
}

const ELISIONS: [&str; 13] = [
    "l", "d", "qu", "n", "s", "c", "j", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// Splits a run at apostrophes: a leading elision ("l'", "qu'") and a trailing English
/// possessive ("'s") are dropped; each remaining segment is analysed as a compound.
fn analyse_run(run: &[char], lang: &str, out: &mut Vec<Token>) {
    let segments: Vec<String> = run
        .split(|c| is_apostrophe(*c))
        .map(|s| s.iter().collect())
        .collect();
    let count = segments.len();
    for (index, segment) in segments.iter().enumerate() {
        let elided = index == 0 && count > 1 && ELISIONS.contains(&segment.as_str());
        let possessive = index == count - 1 && count > 1 && segment == "s";
        if !elided && !possessive {
            analyse_compound(segment, lang, out);
        }
    }
}

/// A segment with connectors is an identifier: kept whole (unstemmed), then each part as a
/// word, then short hyphenated compounds also glued ("wi-fi" -> "wifi").
fn analyse_compound(segment: &str, lang: &str, out: &mut Vec<Token>) {
    let parts: Vec<&str> = segment.split(is_connector).collect();
    if parts.len() == 1 {
        analyse_word(segment, lang, out);
        return;
    }
    push_token(out, segment.to_string());
    for part in &parts {
        analyse_word(part, lang, out);
    }
    let only_hyphens = segment
        .chars()
        .filter(|c| is_connector(*c))
        .all(|c| c == '-');
    let glued: String = parts.concat();
    if only_hyphens && glued.chars().count() <= 8 {
        analyse_word(&glued, lang, out);
    }
}

/// A plain word: single letters and stop words dropped, identifiers with digits kept as they
/// are (plus their hexadecimal or numeric part), other words stemmed.
fn analyse_word(word: &str, lang: &str, out: &mut Vec<Token>) {
    let length = word.chars().count();
    if length == 0 || (length == 1 && !word.chars().all(|c| c.is_numeric())) {
        return;
    }
    let folded = fold(word);
    if is_stop_word(&folded, lang) {
        return;
    }
    if word.chars().any(|c| c.is_numeric()) {
        push_token(out, word.to_string());
        push_identifier_parts(word, out);
        return;
    }
    let stem = if lang == "fr" {
        stem_french(word)
    } else {
        stem_english(word)
    };
    push_token(out, stem);
}

/// "0x80070005" also gives "80070005"; "kb5034441" also gives "kb" and "5034441".
fn push_identifier_parts(word: &str, out: &mut Vec<Token>) {
    if let Some(hex) = word.strip_prefix("0x")
        && !hex.is_empty()
        && hex.chars().all(|c| c.is_ascii_hexdigit())
    {
        push_token(out, hex.to_string());
        return;
    }
    let letters: String = word
        .chars()
        .take_while(|c| c.is_ascii_lowercase())
        .collect();
    let digits = &word[letters.len()..];
    if letters.len() >= 2 && digits.len() >= 3 && digits.chars().all(|c| c.is_ascii_digit()) {
        push_token(out, letters);
        push_token(out, digits.to_string());
    }
}

fn push_token(out: &mut Vec<Token>, form: String) {
    let key = fold(&form);
    let exact = (key != form).then_some(form);
    out.push(Token { key, exact });
}

const FRENCH_STOP_WORDS: &[&str] = &[
    "a", "ai", "ainsi", "alors", "as", "au", "aussi", "aux", "avait", "avec", "avez", "avoir",
    "avons", "c", "ca", "ce", "ceci", "cela", "ces", "cet", "cette", "chez", "comme", "d", "dans",
    "de", "des", "donc", "dont", "du", "elle", "elles", "en", "entre", "es", "est", "et",
    "etaient", "etait", "ete", "etes", "etre", "eux", "il", "ils", "j", "je", "l", "la", "le",
    "les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "meme", "mes", "moi", "mon", "n", "ne",
    "nos", "notre", "nous", "on", "ont", "ou", "par", "pas", "pour", "qu", "quand", "que", "qui",
    "s", "sa", "sans", "se", "ses", "si", "son", "sont", "sous", "suis", "sur", "t", "ta", "te",
    "tes", "toi", "ton", "tu", "un", "une", "vers", "vos", "votre", "vous", "y",
];

const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "does", "for",
    "from", "has", "have", "he", "her", "his", "i", "if", "in", "into", "is", "it", "its", "me",
    "my", "no", "not", "of", "on", "or", "our", "she", "so", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "to", "was", "we", "were", "will", "with",
    "you", "your",
];

/// True for the words of `lang` too common to index (checked on the folded form).
pub fn is_stop_word(folded: &str, lang: &str) -> bool {
    let list = if lang == "fr" {
        FRENCH_STOP_WORDS
    } else {
        ENGLISH_STOP_WORDS
    };
    list.binary_search(&folded).is_ok()
}

/// Endings removed once, longest listed first; the stem left must keep 3 characters.
const FRENCH_SUFFIXES: &[&str] = &[
    "eraient", "erions", "erais", "erait", "erons", "eront", "aient", "ation", "erez", "age",
    "ant", "ait", "ais", "ons", "ée", "er", "ez", "é", "e",
];

/// Light French stemmer: plural (not after s, u, i, è: "virus", "souris", "accès"), then
/// one common verb, participle or noun ending.
pub fn stem_french(word: &str) -> String {
    if word.chars().count() <= 3 {
        return word.to_string();
    }
    let mut stem = word;
    if stem.ends_with("eaux") {
        stem = &stem[..stem.len() - 1];
    } else if let Some(rest) = stem.strip_suffix('s')
        && !rest.ends_with(['s', 'u', 'i', 'è'])
    {
        stem = rest;
    }
    for suffix in FRENCH_SUFFIXES {
        if let Some(rest) = stem.strip_suffix(suffix)
            && rest.chars().count() >= 3
        {
            return rest.to_string();
        }
    }
    stem.to_string()
}

/// Light English stemmer: plural, then "-ing"/"-ed" (undoubling a final consonant) or a
/// final "e".
pub fn stem_english(word: &str) -> String {
    if word.chars().count() <= 3 {
        return word.to_string();
    }
    let mut stem = word.to_string();
    if let Some(rest) = stem.strip_suffix("ies")
        && rest.chars().count() >= 2
    {
        stem = format!("{rest}y");
    } else if stem.ends_with("sses") {
        stem.truncate(stem.len() - 2);
    } else if stem.ends_with('s')
        && !(stem.ends_with("ss") || stem.ends_with("us") || stem.ends_with("is"))
    {
        stem.truncate(stem.len() - 1);
    }
    for suffix in ["ing", "ed"] {
        if let Some(rest) = stem.strip_suffix(suffix)
            && rest.chars().count() >= 3
        {
            return undouble(rest);
        }
    }
    if stem.ends_with('e') && stem.chars().count() > 4 {
        stem.truncate(stem.len() - 1);
    }
    stem
}

/// "stopp" -> "stop", "runn" -> "run"; "ll", "ss" and "zz" stay ("install").
fn undouble(stem: &str) -> String {
    let chars: Vec<char> = stem.chars().collect();
    let n = chars.len();
    if n >= 2
        && chars[n - 1] == chars[n - 2]
        && !matches!(chars[n - 1], 'l' | 's' | 'z' | 'a' | 'e' | 'i' | 'o' | 'u')
        && chars[n - 1].is_ascii_lowercase()
    {
        return chars[..n - 1].iter().collect();
    }
    stem.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str, lang: &str) -> Vec<String> {
        analyse(text, lang).into_iter().map(|t| t.key).collect()
    }

    #[test]
    fn stop_word_lists_are_sorted_for_binary_search() {
        assert!(FRENCH_STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(ENGLISH_STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn french_verb_forms_share_a_stem() {
        for form in [
            "redémarrer",
            "redémarrez",
            "redémarré",
            "redémarrée",
            "redémarrés",
            "redémarrage",
        ] {
            assert_eq!(keys(form, "fr"), vec!["redemarr"], "{form}");
        }
    }

    #[test]
    fn elisions_are_dropped() {
        assert_eq!(keys("l'imprimante", "fr"), vec!["imprimant"]);
        assert_eq!(keys("qu’il", "fr"), Vec::<String>::new());
    }
}
