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

use std::borrow::Cow;
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
    let mut tokens = Vec::new();
    Analyser::default().each_token(text, lang, &mut |key, exact, _| {
        tokens.push(Token {
            key: key.to_string(),
            exact: exact.map(str::to_string),
        });
    });
    tokens
}

/// The analyser with its reusable buffers: the index builder analyses millions of words, and
/// giving each token its own `String` was most of the build's time.
#[derive(Default)]
pub(crate) struct Analyser {
    lowered: String,
    buffers: Buffers,
}

/// Scratch space for one word at a time.
#[derive(Default)]
pub(crate) struct Buffers {
    folded: String,
    glued: String,
}

/// Receives each token: its folded key, its accented form when that differs, and the word as
/// written (lowercased) that gave it, which the index shows in "did you mean" suggestions.
pub(crate) type Emit<'e> = dyn FnMut(&str, Option<&str>, &str) + 'e;

impl Analyser {
    /// Calls `emit(key, exact, word)` for every token of `text`, in order: what [`analyse`] returns,
    /// without allocating per token.
    pub(crate) fn each_token(&mut self, text: &str, lang: &str, emit: &mut Emit<'_>) {
        self.each_run(text, &mut |run, buffers| {
            run_tokens(run, lang, buffers, emit);
        });
    }

    /// Calls `on_run(run, buffers)` for each run of `text` (lowercased, NFC): a run's tokens
    /// depend on nothing else, so [`run_tokens`] gives them and a caller may remember them.
    pub(crate) fn each_run(&mut self, text: &str, on_run: &mut dyn FnMut(&str, &mut Buffers)) {
        let mut lowered = std::mem::take(&mut self.lowered);
        if is_surely_nfc(text) || is_nfc_quick(text.chars()) == IsNormalized::Yes {
            lowercase_into(text, &mut lowered);
        } else {
            lowercase_into(&text.nfc().collect::<String>(), &mut lowered);
        }
        for_each_run(&lowered, |run| on_run(run, &mut self.buffers));
        self.lowered = lowered;
    }
}

/// True when every character of `text` is below U+0300, which are all NFC: checked on the
/// bytes, as a UTF-8 sequence of U+0300 or above is the only one with a byte from 0xCC up.
fn is_surely_nfc(text: &str) -> bool {
    // The largest byte of each block, without an exit per byte, is compiled to vector code.
    text.as_bytes()
        .chunks(64)
        .all(|block| block.iter().fold(0, |max, &byte| max.max(byte)) < 0xCC)
}

/// `str::to_lowercase` into a reused buffer. Only the final sigma depends on its neighbours:
/// texts with a capital sigma take the standard path. Stretches of ASCII are copied whole.
fn lowercase_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
    } else if text.contains('Σ') {
        out.push_str(&text.to_lowercase());
    } else {
        out.reserve(text.len());
        let mut rest = text;
        while !rest.is_empty() {
            let ascii = rest.bytes().take_while(u8::is_ascii).count();
            let from = out.len();
            out.push_str(&rest[..ascii]);
            out[from..].make_ascii_lowercase();
            rest = &rest[ascii..];
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                out.extend(c.to_lowercase());
                rest = chars.as_str();
            }
        }
    }
}

/// Removes accents (NFD, combining marks U+0300–U+036F dropped) and expands ligatures.
pub fn fold(word: &str) -> String {
    let mut out = String::new();
    fold_into(word, &mut out);
    out
}

/// [`fold`] into a reused buffer.
fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
    } else if !fold_latin(word, out) {
        out.clear();
        fold_any(word, out);
    }
}

/// The common case, fast: every character decomposes to ASCII plus dropped marks (false
/// otherwise, leaving `out` partly written).
fn fold_latin(word: &str, out: &mut String) -> bool {
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
                    return false;
                }
            }
        }
    }
    true
}

/// The general case (other scripts may need recomposing after their marks are split off).
fn fold_any(word: &str, out: &mut String) {
    let mut decomposed = String::with_capacity(word.len());
    for c in word.nfd() {
        match c {
            'œ' => decomposed.push_str("oe"),
            'æ' => decomposed.push_str("ae"),
            'ß' => decomposed.push_str("ss"),
            _ if is_dropped_mark(c) => {}
            _ => decomposed.push(c),
        }
    }
    out.extend(decomposed.nfc());
}

fn is_dropped_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

const fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

const fn is_connector(c: char) -> bool {
    matches!(c, '.' | '-' | '_' | ':' | '/' | '\\' | '@' | '#' | '+') || is_apostrophe(c)
}

/// Calls `f` on each maximal run of word characters, where a single connector between two
/// word characters belongs to the run ("192.168.10.20", "config_db.php", "l'imprimante").
fn for_each_run<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Spaces and punctuation between runs are skipped a byte at a time, by table.
        let width = match ASCII_CLASS[usize::from(bytes[at])] {
            WORD => 0,
            OTHER | CONNECTOR => 1,
            _ => match char_at(text, at) {
                Some((c, _)) if is_word_char(c) => 0,
                Some((_, width)) => width,
                None => break,
            },
        };
        if width > 0 {
            at += width;
            continue;
        }
        let start = at;
        at = run_end(text, at);
        f(&text[start..at]);
    }
}

/// The end of the run starting with the word character at byte `at` of `text`.
fn run_end(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while at < bytes.len() {
        match ASCII_CLASS[usize::from(bytes[at])] {
            WORD => at += 1,
            OTHER => break,
            class => {
                let Some((c, width)) = char_at(text, at) else {
                    break;
                };
                let connector = if class == CONNECTOR {
                    true
                } else if is_word_char(c) {
                    at += width;
                    continue;
                } else {
                    is_connector(c)
                };
                if !(connector && starts_with_word_char(text, at + width)) {
                    break;
                }
                at += width;
            }
        }
    }
    at
}

/// True when the character at byte `at` of `text` is a word character.
fn starts_with_word_char(text: &str, at: usize) -> bool {
    match text
        .as_bytes()
        .get(at)
        .map(|&b| ASCII_CLASS[usize::from(b)])
    {
        Some(WORD) => true,
        Some(OTHER | CONNECTOR) | None => false,
        Some(_) => char_at(text, at).is_some_and(|(c, _)| is_word_char(c)),
    }
}

/// [`ASCII_CLASS`]: an ASCII letter or digit.
const WORD: u8 = 0;
/// [`ASCII_CLASS`]: an ASCII connector ([`is_connector`]).
const CONNECTOR: u8 = 1;
/// [`ASCII_CLASS`]: any other ASCII character.
const OTHER: u8 = 2;
/// [`ASCII_CLASS`]: a byte of a character beyond ASCII, decoded to be classed.
const BEYOND_ASCII: u8 = 3;

/// The class of each byte, so that the runs of a text, nearly all ASCII, are found without
/// decoding characters (cutting texts into runs was a tenth of the search index's time).
static ASCII_CLASS: [u8; 256] = {
    let mut table = [BEYOND_ASCII; 256];
    let mut byte = 0;
    while byte < 128 {
        let c = byte as u8 as char;
        table[byte] = if c.is_ascii_alphanumeric() {
            WORD
        } else if is_connector(c) {
            CONNECTOR
        } else {
            OTHER
        };
        byte += 1;
    }
    table
};

/// The character starting at byte `at` of `text` and its width, ASCII without decoding.
fn char_at(text: &str, at: usize) -> Option<(char, usize)> {
    let byte = *text.as_bytes().get(at)?;
    if byte.is_ascii() {
        return Some((char::from(byte), 1));
    }
    let c = text.get(at..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// True when `text` has more than `n` characters (without counting them all).
fn longer_than(text: &str, n: usize) -> bool {
    text.len() > n && text.chars().nth(n).is_some()
}

const ELISIONS: [&str; 13] = [
    "l", "d", "qu", "n", "s", "c", "j", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// The tokens of one run of [`Analyser::each_run`], in order.
///
/// A run is split at apostrophes: a leading elision ("l'", "qu'") and a trailing English
/// possessive ("'s") are dropped; each remaining segment is analysed as a compound.
pub(crate) fn run_tokens(run: &str, lang: &str, buffers: &mut Buffers, emit: &mut Emit<'_>) {
    if !run.contains(is_apostrophe) {
        analyse_compound(run, lang, buffers, emit);
        return;
    }
    let count = run.split(is_apostrophe).count();
    for (index, segment) in run.split(is_apostrophe).enumerate() {
        let elided = index == 0 && ELISIONS.contains(&segment);
        let possessive = index == count - 1 && segment == "s";
        if !elided && !possessive {
            analyse_compound(segment, lang, buffers, emit);
        }
    }
}

/// A segment with connectors is an identifier: kept whole (unstemmed), then each part as a
/// word, then short hyphenated compounds also glued ("wi-fi" -> "wifi").
fn analyse_compound(segment: &str, lang: &str, buffers: &mut Buffers, emit: &mut Emit<'_>) {
    if !segment.contains(is_connector) {
        analyse_word(segment, lang, &mut buffers.folded, emit);
        return;
    }
    push_token(segment, &mut buffers.folded, emit);
    for part in segment.split(is_connector) {
        analyse_word(part, lang, &mut buffers.folded, emit);
    }
    let only_hyphens = segment
        .chars()
        .filter(|c| is_connector(*c))
        .all(|c| c == '-');
    if only_hyphens {
        let glued = &mut buffers.glued;
        glued.clear();
        glued.extend(segment.split('-'));
        if !longer_than(glued, 8) {
            analyse_word(glued, lang, &mut buffers.folded, emit);
        }
    }
}

/// A plain word: single letters and stop words dropped, identifiers with digits kept as they
/// are (plus their hexadecimal or numeric part), other words stemmed.
fn analyse_word(word: &str, lang: &str, folded: &mut String, emit: &mut Emit<'_>) {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return;
    };
    if chars.next().is_none() && !first.is_numeric() {
        return;
    }
    // Stop words are at most 7 bytes long once folded.
    let stop = if word.is_ascii() {
        is_stop_word(word, lang)
    } else {
        word.len() <= 14 && {
            fold_into(word, folded);
            is_stop_word(folded, lang)
        }
    };
    if stop {
        return;
    }
    if word.chars().any(|c| c.is_numeric()) {
        push_token(word, folded, emit);
        push_identifier_parts(word, folded, emit);
        return;
    }
    if lang == "fr" {
        push_word(french_stem(word), word, folded, emit);
    } else {
        push_word(&english_stem(word), word, folded, emit);
    }
}

/// "0x80070005" also gives "80070005"; "kb5034441" also gives "kb" and "5034441".
fn push_identifier_parts(word: &str, folded: &mut String, emit: &mut Emit<'_>) {
    if let Some(hex) = word.strip_prefix("0x")
        && !hex.is_empty()
        && hex.chars().all(|c| c.is_ascii_hexdigit())
    {
        push_token(hex, folded, emit);
        return;
    }
    let letters = word.bytes().take_while(u8::is_ascii_lowercase).count();
    let digits = &word[letters..];
    if letters >= 2 && digits.len() >= 3 && digits.bytes().all(|c| c.is_ascii_digit()) {
        push_token(&word[..letters], folded, emit);
        push_token(digits, folded, emit);
    }
}

/// Emits `form` as a token: its folded key, and the form itself when folding changed it.
fn push_token(form: &str, folded: &mut String, emit: &mut Emit<'_>) {
    push_word(form, form, folded, emit);
}

/// [`push_token`] for the stem `form` of the written `word`.
fn push_word(form: &str, word: &str, folded: &mut String, emit: &mut Emit<'_>) {
    if form.is_ascii() {
        emit(form, None, word);
        return;
    }
    fold_into(form, folded);
    if folded == form {
        emit(form, None, word);
    } else {
        emit(folded, Some(form), word);
    }
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
    // Stop words are short ASCII: packed into integers, a lookup is one or two probes of a
    // small table (every indexed word is checked, and a binary search showed in profiles).
    static TABLES: OnceLock<(StopTable, StopTable)> = OnceLock::new();
    let Some(key) = pack(folded) else {
        return false;
    };
    let (french, english) = TABLES.get_or_init(|| {
        (
            StopTable::new(FRENCH_STOP_WORDS),
            StopTable::new(ENGLISH_STOP_WORDS),
        )
    });
    let table = if lang == "fr" { french } else { english };
    table.contains(key)
}

/// Up to 8 ASCII bytes as one integer, never 0 (None for anything longer or not ASCII).
fn pack(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    if bytes.len() > 8 || !word.is_ascii() {
        return None;
    }
    Some(
        bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)) | ((bytes.len() as u64) << 59),
    )
}

/// An open-addressing set of packed words, a quarter full at most (0 marks a free slot).
struct StopTable {
    slots: Vec<u64>,
}

impl StopTable {
    fn new(words: &[&str]) -> Self {
        let size = (words.len() * 4).next_power_of_two();
        let mut table = StopTable {
            slots: vec![0; size],
        };
        for key in words.iter().filter_map(|w| pack(w)) {
            let mut slot = table.home(key);
            while table.slots[slot] != 0 && table.slots[slot] != key {
                slot = (slot + 1) & (size - 1);
            }
            table.slots[slot] = key;
        }
        table
    }

    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize & (self.slots.len() - 1)
    }

    fn contains(&self, key: u64) -> bool {
        let mut slot = self.home(key);
        loop {
            match self.slots[slot] {
                0 => return false,
                found if found == key => return true,
                _ => slot = (slot + 1) & (self.slots.len() - 1),
            }
        }
    }
}

/// Endings removed once, longest listed first; the stem left must keep 3 characters.
const FRENCH_SUFFIXES: &[&str] = &[
    "eraient", "erions", "erais", "erait", "erons", "eront", "aient", "ation", "erez", "age",
    "ant", "ait", "ais", "ons", "ée", "er", "ez", "é", "e",
];

/// Light French stemmer: plural (not after s, u, i, è: "virus", "souris", "accès"), then
/// one common verb, participle or noun ending.
pub fn stem_french(word: &str) -> String {
    french_stem(word).to_string()
}

/// [`stem_french`] without allocating: the stem is always a prefix of the word.
fn french_stem(word: &str) -> &str {
    if !longer_than(word, 3) {
        return word;
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
        return stem;
    }
    for suffix in FRENCH_SUFFIXES {
        if ends_with(stem, suffix) {
            let rest = &stem[..stem.len() - suffix.len()];
            if longer_than(rest, 2) {
                return rest;
            }
        }
    }
    stem
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
    english_stem(word).into_owned()
}

/// [`stem_english`], borrowing the word unless "-ies" became "-y".
fn english_stem(word: &str) -> Cow<'_, str> {
    if !longer_than(word, 3) {
        return Cow::Borrowed(word);
    }
    let mut stem = Cow::Borrowed(word);
    if let Some(rest) = word.strip_suffix("ies")
        && longer_than(rest, 1)
    {
        stem = Cow::Owned(format!("{rest}y"));
    } else if word.ends_with("sses") {
        stem = Cow::Borrowed(&word[..word.len() - 2]);
    } else if word.ends_with('s')
        && !(word.ends_with("ss") || word.ends_with("us") || word.ends_with("is"))
    {
        stem = Cow::Borrowed(&word[..word.len() - 1]);
    }
    for suffix in ["ing", "ed"] {
        if let Some(rest) = stem.strip_suffix(suffix)
            && longer_than(rest, 2)
        {
            return Cow::Owned(undouble(rest).to_string());
        }
    }
    if stem.ends_with('e') && longer_than(&stem, 4) {
        return match stem {
            Cow::Borrowed(s) => Cow::Borrowed(&s[..s.len() - 1]),
            Cow::Owned(mut s) => {
                s.truncate(s.len() - 1);
                Cow::Owned(s)
            }
        };
    }
    stem
}

/// "stopp" -> "stop", "runn" -> "run"; "ll", "ss" and "zz" stay ("install").
fn undouble(stem: &str) -> &str {
    let mut chars = stem.chars().rev();
    if let (Some(last), Some(before)) = (chars.next(), chars.next())
        && last == before
        && !matches!(last, 'l' | 's' | 'z' | 'a' | 'e' | 'i' | 'o' | 'u')
        && last.is_ascii_lowercase()
    {
        return &stem[..stem.len() - 1];
    }
    stem
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
    fn lowercasing_by_ascii_stretches_matches_the_standard_one() {
        let mut out = String::new();
        for text in [
            "Redémarrer L'IMPRIMANTE",
            "ÉTÉ",
            "x",
            "Œuvre-ÀÇ 0x80070005 İstanbul",
        ] {
            lowercase_into(text, &mut out);
            assert_eq!(out, text.to_lowercase(), "{text}");
        }
    }

    #[test]
    fn only_characters_below_u0300_are_surely_nfc() {
        assert!(is_surely_nfc("redémarrer l'imprimante œ ß \u{2ff}"));
        assert!(!is_surely_nfc("e\u{301}"));
        assert!(!is_surely_nfc("é\u{300}"));
        assert!(!is_surely_nfc("l’imprimante"));
        assert!(!is_surely_nfc("服务器"));
    }

    fn runs(text: &str) -> Vec<&str> {
        let mut runs = Vec::new();
        for_each_run(text, |run| runs.push(run));
        runs
    }

    #[test]
    fn runs_keep_single_connectors_between_word_characters() {
        assert_eq!(
            runs("Voir 192.168.10.20, config_db.php et l'imprimante (l’écran)."),
            [
                "Voir",
                "192.168.10.20",
                "config_db.php",
                "et",
                "l'imprimante",
                "l’écran"
            ]
        );
        assert_eq!(
            runs("a--b -c d- e.-f g’ ’h C:\\Temp\\x #1 a+b"),
            [
                "a", "b", "c", "d", "e", "f", "g", "h",
                // Two connectors in a row end a run.
                "C", "Temp\\x", "1", "a+b"
            ]
        );
        assert_eq!(
            runs("服务器.重启 Ωmega—x éé’é ü\u{301}x"),
            ["服务器.重启", "Ωmega", "x", "éé’é", "ü", "x"]
        );
        assert_eq!(runs(""), Vec::<&str>::new());
        assert_eq!(runs(" .,; "), Vec::<&str>::new());
    }

    /// The runs as the character-by-character definition gives them.
    fn runs_by_characters(text: &str) -> Vec<&str> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut runs = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if !is_word_char(chars[i].1) {
                i += 1;
                continue;
            }
            let start = chars[i].0;
            i += 1;
            while i < chars.len() {
                let joined = is_connector(chars[i].1)
                    && chars.get(i + 1).is_some_and(|&(_, c)| is_word_char(c));
                if !(is_word_char(chars[i].1) || joined) {
                    break;
                }
                i += 1;
            }
            let end = chars.get(i).map_or(text.len(), |&(at, _)| at);
            runs.push(&text[start..end]);
        }
        runs
    }

    #[test]
    fn runs_found_by_byte_class_match_the_character_definition() {
        let alphabet: Vec<char> = "ab9 .-_:/\\@#+'’,;(é服Ω\u{301}—\n".chars().collect();
        // Every text of up to three characters of the alphabet, then longer ones mixed.
        let mut texts = vec![String::new()];
        let mut last = texts.clone();
        for _ in 0..3 {
            last = last
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(last.iter().cloned());
        }
        let mut state = 7u32;
        for _ in 0..2000 {
            let text: String = (0..24)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    alphabet[(state >> 16) as usize % alphabet.len()]
                })
                .collect();
            texts.push(text);
        }
        for text in &texts {
            assert_eq!(runs(text), runs_by_characters(text), "{text:?}");
        }
    }

    #[test]
    fn elisions_are_dropped() {
        assert_eq!(keys("l'imprimante", "fr"), vec!["imprimant"]);
        assert_eq!(keys("qu’il", "fr"), Vec::<String>::new());
    }
}
