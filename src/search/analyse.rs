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

use std::sync::OnceLock;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

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
    let lowered = if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        text.to_lowercase()
    } else {
        text.nfc().collect::<String>().to_lowercase()
    };
    let mut tokens = Vec::new();
    for (start, end) in split_runs(&lowered) {
        analyse_run(&lowered[start..end], lang, &mut tokens);
    }
    tokens
}

/// Removes accents (NFD, combining marks U+0300–U+036F dropped) and expands ligatures.
pub fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_string();
    }
    fold_latin(word).unwrap_or_else(|| fold_any(word))
}

/// The common case, fast: every character decomposes to ASCII plus dropped marks.
fn fold_latin(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            _ if c.is_ascii() => out.push(c),
            _ => {
                let mut simple = true;
                unicode_normalization::char::decompose_canonical(c, |d| {
                    if d.is_ascii() {
                        out.push(d);
                    } else if !is_dropped_mark(d) {
                        simple = false;
                    }
                });
                if !simple {
                    return None;
                }
            }
        }
    }
    Some(out)
}

/// The general case (other scripts may need recomposing after their marks are split off).
fn fold_any(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.nfd() {
        match c {
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            _ if is_dropped_mark(c) => {}
            _ => out.push(c),
        }
    }
    out.nfc().collect()
}

fn is_dropped_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
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

/// Byte ranges of the maximal runs of word characters, where a single connector between two
/// word characters belongs to the run ("192.168.10.20", "config_db.php", "l'imprimante").
fn split_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_word_char(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(at, c)) = chars.peek() {
            let after = at + c.len_utf8();
            let joined = is_connector(c) && text[after..].chars().next().is_some_and(is_word_char);
            if !(is_word_char(c) || joined) {
                break;
            }
            chars.next();
            end = after;
        }
        runs.push((start, end));
    }
    runs
}

const ELISIONS: [&str; 13] = [
    "l", "d", "qu", "n", "s", "c", "j", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// Splits a run at apostrophes: a leading elision ("l'", "qu'") and a trailing English
/// possessive ("'s") are dropped; each remaining segment is analysed as a compound.
fn analyse_run(run: &str, lang: &str, out: &mut Vec<Token>) {
    if !run.contains(is_apostrophe) {
        analyse_compound(run, lang, out);
        return;
    }
    let count = run.split(is_apostrophe).count();
    for (index, segment) in run.split(is_apostrophe).enumerate() {
        let elided = index == 0 && ELISIONS.contains(&segment);
        let possessive = index == count - 1 && segment == "s";
        if !elided && !possessive {
            analyse_compound(segment, lang, out);
        }
    }
}

/// A segment with connectors is an identifier: kept whole (unstemmed), then each part as a
/// word, then short hyphenated compounds also glued ("wi-fi" -> "wifi").
fn analyse_compound(segment: &str, lang: &str, out: &mut Vec<Token>) {
    if !segment.contains(is_connector) {
        analyse_word(segment, lang, out);
        return;
    }
    push_token(out, segment.to_string());
    for part in segment.split(is_connector) {
        analyse_word(part, lang, out);
    }
    let only_hyphens = segment
        .chars()
        .filter(|c| is_connector(*c))
        .all(|c| c == '-');
    if only_hyphens {
        let glued: String = segment.split('-').collect();
        if glued.chars().count() <= 8 {
            analyse_word(&glued, lang, out);
        }
    }
}

/// A plain word: single letters and stop words dropped, identifiers with digits kept as they
/// are (plus their hexadecimal or numeric part), other words stemmed.
fn analyse_word(word: &str, lang: &str, out: &mut Vec<Token>) {
    let length = word.chars().count();
    if length == 0 || (length == 1 && !word.chars().all(|c| c.is_numeric())) {
        return;
    }
    // Stop words are at most 7 bytes long once folded.
    let stop = if word.is_ascii() {
        is_stop_word(word, lang)
    } else {
        word.len() <= 14 && is_stop_word(&fold(word), lang)
    };
    if stop {
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
    if form.is_ascii() {
        out.push(Token {
            key: form,
            exact: None,
        });
        return;
    }
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
    // Stop words are short ASCII: packed into integers, a lookup costs no string compare.
    static PACKED: OnceLock<(Vec<u64>, Vec<u64>)> = OnceLock::new();
    let Some(key) = pack(folded) else {
        return false;
    };
    let (french, english) =
        PACKED.get_or_init(|| (pack_all(FRENCH_STOP_WORDS), pack_all(ENGLISH_STOP_WORDS)));
    let list = if lang == "fr" { french } else { english };
    list.binary_search(&key).is_ok()
}

/// Up to 8 ASCII bytes as one integer (None for anything longer or not ASCII).
fn pack(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    if bytes.len() > 8 || !word.is_ascii() {
        return None;
    }
    Some(
        bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)) | ((bytes.len() as u64) << 59),
    )
}

fn pack_all(words: &[&str]) -> Vec<u64> {
    let mut packed: Vec<u64> = words.iter().filter_map(|w| pack(w)).collect();
    packed.sort_unstable();
    packed
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
    // Every ending ends in one of these bytes ('é' ends in 0xA9): skip the list otherwise.
    if !matches!(
        stem.as_bytes().last(),
        Some(b't' | b's' | b'n' | b'z' | b'e' | b'r' | 0xA9)
    ) {
        return stem.to_string();
    }
    for suffix in FRENCH_SUFFIXES {
        if ends_with(stem, suffix) {
            let rest = &stem[..stem.len() - suffix.len()];
            if rest.chars().count() >= 3 {
                return rest.to_string();
            }
        }
    }
    stem.to_string()
}

/// `str::ends_with` for short suffixes, compared byte by byte (no call to memcmp).
fn ends_with(word: &str, suffix: &str) -> bool {
    let (word, suffix) = (word.as_bytes(), suffix.as_bytes());
    word.len() >= suffix.len()
        && word[word.len() - suffix.len()..]
            .iter()
            .zip(suffix)
            .all(|(a, b)| a == b)
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
