//! `--anonymise`: stable pseudonyms for people, and masks for e-mail addresses, phone
//! numbers and secrets in the text. Without it, the same scanners only count what they see,
//! so the import can warn.
//!
//! A pseudonym is a keyed hash of the person's name: the same person gets the same
//! pseudonym at every import, and the site never holds the real name nor anything from
//! which it could be recomputed without the key. The key comes from the environment
//! variable [`KEY_VARIABLE`], or else from a file in the user's configuration folder
//! (`$XDG_CONFIG_HOME/guichet/anonymise.key`, by default `~/.config/guichet/…`), created
//! with random bytes the first time: never from the site.

use std::collections::HashMap;
use std::hash::Hasher;
use std::path::PathBuf;

use siphasher::sip128::{Hasher128, SipHasher13};

/// The environment variable that may hold the pseudonym key.
pub const KEY_VARIABLE: &str = "GUICHET_ANONYMISE_KEY";

/// What replaces a masked e-mail address.
pub(crate) const EMAIL_MASK: &str = "[courriel masqué]";
/// What replaces a masked phone number.
pub(crate) const PHONE_MASK: &str = "[téléphone masqué]";
/// What replaces a masked secret.
pub(crate) const SECRET_MASK: &str = "[secret masqué]";

/// Words after which a value is a secret (compared without case).
const SECRET_WORDS: &[&str] = &[
    "mot de passe",
    "mdp",
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "token",
    "jeton",
    "api key",
    "apikey",
    "clé api",
    "cle api",
    "secret",
    "code pin",
];

/// The key of the pseudonyms: from [`KEY_VARIABLE`], or the user's key file (created when
/// missing). `Err` says why neither could be had.
pub fn load_key() -> Result<(u64, u64), String> {
    if let Ok(value) = std::env::var(KEY_VARIABLE) {
        if value.trim().len() < 16 {
            return Err(format!("{KEY_VARIABLE} must hold at least 16 characters"));
        }
        return Ok(derive(value.trim().as_bytes()));
    }
    let path = key_file().ok_or_else(|| {
        format!("neither {KEY_VARIABLE} nor a home folder is set: set {KEY_VARIABLE} to a secret of 16 characters or more")
    })?;
    match std::fs::read(&path) {
        Ok(bytes) => Ok(derive(&bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut random = [0u8; 32];
            let mut urandom = std::fs::File::open("/dev/urandom").map_err(|e| {
                format!("cannot read /dev/urandom to create {}: {e}", path.display())
            })?;
            std::io::Read::read_exact(&mut urandom, &mut random)
                .map_err(|e| format!("cannot read /dev/urandom: {e}"))?;
            let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
            write_private(&path, &hex)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            Ok(derive(hex.as_bytes()))
        }
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// `$XDG_CONFIG_HOME/guichet/anonymise.key`, or `~/.config/guichet/anonymise.key`.
pub fn key_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("guichet").join("anonymise.key"))
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, text.as_bytes())
}

fn derive(secret: &[u8]) -> (u64, u64) {
    let mut h = SipHasher13::new_with_keys(0x6775_6963_6865_7400, 0x616e_6f6e_796d_6500);
    h.write(secret);
    let v = h.finish128().as_u128();
    ((v >> 64) as u64, v as u64)
}

/// Replaces people by pseudonyms and masks contact data and secrets.
pub(crate) struct Anonymiser {
    key: (u64, u64),
    /// Lowercased first word of a name → the forms starting with it (lowercased, longest
    /// first), their pseudonyms, and whether the form only counts when capitalised: one pass
    /// over a text's words finds every name.
    by_first_word: HashMap<String, Vec<NameForm>>,
}

/// One way a person's name is written in a text.
struct NameForm {
    /// Lowercased.
    lower: String,
    /// What replaces it.
    pseudonym: String,
    /// A single word of a name ("Julie", "Martin") is a name only when capitalised.
    capitalised_only: bool,
}

impl Anonymiser {
    /// An anonymiser with `key` that knows `people`: their names are replaced in texts too,
    /// as "First Last", "Last First", and each word of three letters or more alone when it
    /// is capitalised (a first name in "merci de rappeler Julie").
    pub(crate) fn new<'a>(key: (u64, u64), people: impl Iterator<Item = &'a str>) -> Self {
        let mut a = Anonymiser {
            key,
            by_first_word: HashMap::new(),
        };
        for name in people {
            let pseudonym = a.pseudonym(name);
            let words: Vec<&str> = name.split_whitespace().collect();
            let mut forms = vec![(words.join(" "), false)];
            if words.len() == 2 {
                forms.push((format!("{} {}", words[1], words[0]), false));
            }
            if words.len() > 1 {
                let single = words.iter().filter(|w| w.chars().count() >= 3);
                forms.extend(single.map(|w| (w.to_string(), true)));
            }
            for (form, capitalised_only) in forms {
                let lower = form.to_lowercase();
                let Some(first) = lower.split(' ').next().map(str::to_string) else {
                    continue;
                };
                let list = a.by_first_word.entry(first).or_default();
                if !list.iter().any(|f| f.lower == lower) {
                    list.push(NameForm {
                        lower,
                        pseudonym: pseudonym.clone(),
                        capitalised_only,
                    });
                    list.sort_by_key(|f| std::cmp::Reverse(f.lower.len()));
                }
            }
        }
        a
    }

    /// The pseudonym of `name`: "Personne " and five letters and digits, the same for the
    /// same name (case and spacing ignored) and key.
    pub(crate) fn pseudonym(&self, name: &str) -> String {
        let norm: String = name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let mut h = SipHasher13::new_with_keys(self.key.0, self.key.1);
        h.write(norm.as_bytes());
        let mut v = h.finish128().as_u128();
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut code = String::with_capacity(5);
        for _ in 0..5 {
            code.push(ALPHABET[(v % 32) as usize] as char);
            v /= 32;
        }
        format!("Personne {code}")
    }

    /// `text` with known names replaced and contact data and secrets masked.
    pub(crate) fn scrub(&self, text: &str) -> String {
        mask_secrets(&mask_contacts(&self.replace_names(text)))
    }

    fn replace_names(&self, text: &str) -> String {
        if self.by_first_word.is_empty() {
            return text.to_string();
        }
        let lower = text.to_lowercase();
        if lower.len() != text.len() {
            // Lowercasing changed byte offsets (rare letters): fall back to one search per
            // known form.
            return self.replace_names_slowly(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut i = 0;
        while i < text.len() {
            let at_word = text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if at_word && text[i..].chars().next().is_some_and(char::is_alphanumeric) {
                let word_end = lower[i..]
                    .find(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
                    .map_or(lower.len(), |e| i + e);
                if let Some(forms) = self.by_first_word.get(&lower[i..word_end]) {
                    let capitalised = text[i..].chars().next().is_some_and(char::is_uppercase);
                    let found = forms.iter().find(|f| {
                        (capitalised || !f.capitalised_only)
                            && lower[i..].starts_with(f.lower.as_str())
                            && lower[i + f.lower.len()..]
                                .chars()
                                .next()
                                .is_none_or(|c| !c.is_alphanumeric())
                    });
                    if let Some(f) = found {
                        out.push_str(&text[copied..i]);
                        out.push_str(&f.pseudonym);
                        i += f.lower.len();
                        copied = i;
                        continue;
                    }
                }
                i = word_end.max(i + 1);
                while !text.is_char_boundary(i) {
                    i += 1;
                }
                continue;
            }
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
        out.push_str(&text[copied..]);
        out
    }

    fn replace_names_slowly(&self, text: &str) -> String {
        let mut out = text.to_string();
        for forms in self.by_first_word.values() {
            for NameForm {
                lower: form,
                pseudonym,
                ..
            } in forms
            {
                let mut search_from = 0;
                while let Some(at) = out[search_from..].to_lowercase().find(form.as_str()) {
                    let start = search_from + at;
                    let end = start + form.len();
                    if !out.is_char_boundary(start) || !out.is_char_boundary(end) {
                        break;
                    }
                    out.replace_range(start..end, pseudonym);
                    search_from = start + pseudonym.len();
                }
            }
        }
        out
    }
}

/// What the scanners found in a text, for the warning given without `--anonymise`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sightings {
    /// E-mail addresses.
    pub emails: usize,
    /// Phone numbers.
    pub phones: usize,
    /// Values after a password or token word, and token-like strings.
    pub secrets: usize,
}

/// Counts personal data and secrets in `text`.
pub(crate) fn sightings(text: &str) -> Sightings {
    let mut s = Sightings::default();
    scan_contacts(text, &mut |kind, _| match kind {
        Contact::Email => s.emails += 1,
        Contact::Phone => s.phones += 1,
    });
    s.secrets = secret_spans(text).len();
    s
}

#[derive(Clone, Copy)]
enum Contact {
    Email,
    Phone,
}

/// `text` with e-mail addresses and phone numbers replaced by masks.
pub(crate) fn mask_contacts(text: &str) -> String {
    let mut spans = Vec::new();
    scan_contacts(text, &mut |kind, range| spans.push((range, kind)));
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (range, kind) in spans {
        out.push_str(&text[copied..range.start]);
        out.push_str(match kind {
            Contact::Email => EMAIL_MASK,
            Contact::Phone => PHONE_MASK,
        });
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    out
}

fn scan_contacts(text: &str, found: &mut dyn FnMut(Contact, std::ops::Range<usize>)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'@'
            && let Some(range) = email_at(bytes, i)
        {
            found(Contact::Email, range.clone());
            i = range.end;
            continue;
        }
        let starts_number = (bytes[i] == b'+' || bytes[i].is_ascii_digit())
            && (i == 0
                || !(bytes[i - 1].is_ascii_alphanumeric()
                    || matches!(bytes[i - 1], b'+' | b'.' | b'-' | b'/' | b':')));
        if starts_number && let Some(end) = phone_at(bytes, i) {
            found(Contact::Phone, i..end);
            i = end;
            continue;
        }
        i += 1;
    }
}

/// The address around the `@` at `at`: a local part before it, a domain with a dot after.
fn email_at(bytes: &[u8], at: usize) -> Option<std::ops::Range<usize>> {
    let local = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let domain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-');
    let mut start = at;
    while start > 0 && local(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = at + 1;
    while end < bytes.len() && domain(bytes[end]) {
        end += 1;
    }
    while end > at + 1 && bytes[end - 1] == b'.' {
        end -= 1;
    }
    let host = std::str::from_utf8(&bytes[at + 1..end]).ok()?;
    let tld_ok = host.rsplit_once('.').is_some_and(|(h, tld)| {
        !h.is_empty() && tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())
    });
    (start < at && tld_ok).then_some(start..end)
}

/// A phone number starting at `start`: French (`06 12 34 56 78`, `06.12.34.56.78`,
/// `0612345678`) or international (`+33 6 12 34 56 78`, `+33 (0)6…`, `+1 415 555 0100`),
/// with single spaces, dots, dashes or brackets between groups.
fn phone_at(bytes: &[u8], start: usize) -> Option<usize> {
    let international = bytes[start] == b'+';
    let mut i = start + usize::from(international);
    let mut digits = 0;
    let mut end = i;
    // Separators in a row: one, or two around a bracket ("+33 (0)1").
    let mut separators = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            digits += 1;
            i += 1;
            end = i;
            separators = 0;
        } else if matches!(b, b' ' | b'.' | b'-' | b'(' | b')') && digits > 0 {
            let bracket = matches!(b, b'(' | b')') || bytes.get(i.wrapping_sub(1)) == Some(&b')');
            if separators >= 1 && !bracket {
                break;
            }
            separators += 1;
            i += 1;
        } else {
            break;
        }
    }
    if end < bytes.len() && (bytes[end].is_ascii_alphabetic() || bytes[end] == b'@') {
        return None;
    }
    let french = !international
        && bytes[start] == b'0'
        && digits == 10
        && bytes
            .get(start + 1)
            .is_some_and(|b| (b'1'..=b'9').contains(b));
    let world = international && (8..=15).contains(&digits);
    (french || world).then_some(end)
}

/// `text` with secrets masked: values after a password or token word, and long
/// token-like strings.
pub(crate) fn mask_secrets(text: &str) -> String {
    let spans = secret_spans(text);
    if spans.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for range in spans {
        out.push_str(&text[copied..range.start]);
        out.push_str(SECRET_MASK);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    out
}

fn secret_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    // One pass over the text, trying the words only where one of them could start: a
    // search per word cost more than the rest of the conversion.
    let mut starts = [false; 256];
    for word in SECRET_WORDS {
        starts[usize::from(word.as_bytes()[0])] = true;
    }
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    let mut previous_is_alphanumeric = false;
    for (start, &b) in bytes.iter().enumerate() {
        let candidate = starts[usize::from(b)] && !previous_is_alphanumeric;
        if b.is_ascii() {
            previous_is_alphanumeric = b.is_ascii_alphanumeric();
        } else if lower.is_char_boundary(start) {
            previous_is_alphanumeric = lower[start..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        }
        if !candidate {
            continue;
        }
        for word in SECRET_WORDS {
            if bytes[start..].starts_with(word.as_bytes())
                && let Some(value) = value_after(text, start + word.len())
            {
                spans.push(value);
            }
        }
    }
    spans.extend(token_like(text));
    spans.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for r in spans {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// The value in "mot de passe : Xy12!", "password=abc", "token est abc": after a `:` or `=`
/// (or " est " / " is "), up to the next space.
fn value_after(text: &str, after: usize) -> Option<std::ops::Range<usize>> {
    let rest = &text[after..];
    let trimmed = rest.trim_start_matches([' ', '\u{a0}', '\u{202f}', '\\']);
    let (skip, value) = if let Some(v) = trimmed.strip_prefix([':', '=']) {
        (rest.len() - v.len(), v)
    } else if let Some(v) = trimmed
        .strip_prefix("est ")
        .or_else(|| trimmed.strip_prefix("is "))
    {
        (rest.len() - v.len(), v)
    } else {
        return None;
    };
    let lead = value.len() - value.trim_start_matches([' ', '\u{a0}', '\u{202f}']).len();
    let start = after + skip + lead;
    let end = text[start..]
        .find(|c: char| c.is_whitespace())
        .map_or(text.len(), |e| start + e);
    let value = text[start..end].trim_end_matches(['.', ',', ';', ')']);
    (!value.is_empty()).then(|| start..start + value.len())
}

fn token_like(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let token_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+');
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, token_char(c)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let word = &text[s..i];
                let lower = word.bytes().any(|b| b.is_ascii_lowercase());
                let upper = word.bytes().any(|b| b.is_ascii_uppercase());
                let digit = word.bytes().filter(u8::is_ascii_digit).count();
                if word.len() >= 24 && lower && upper && digit >= 2 {
                    spans.push(s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anonymiser() -> Anonymiser {
        Anonymiser::new((1, 2), ["Julie Martin", "Karim Haddad"].into_iter())
    }

    #[test]
    fn pseudonyms_are_stable_per_key_and_replace_names_in_text() {
        let a = anonymiser();
        let julie = a.pseudonym("Julie Martin");
        assert_eq!(julie, a.pseudonym("  julie   MARTIN "));
        assert_ne!(julie, a.pseudonym("Karim Haddad"));
        assert_ne!(
            julie,
            Anonymiser::new((3, 4), std::iter::empty()).pseudonym("Julie Martin")
        );
        assert!(julie.starts_with("Personne ") && julie.len() == "Personne ".len() + 5);
        let karim = a.pseudonym("Karim Haddad");
        assert_eq!(
            a.scrub("Julie Martin et MARTIN Julie ont appelé Karim ; la martingale reste."),
            format!("{julie} et {julie} ont appelé {karim} ; la martingale reste.")
        );
    }

    #[test]
    fn contacts_are_masked_in_french_and_international_forms() {
        for phone in [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "0612345678",
            "+33 6 12 34 56 78",
            "+33 (0)1 23 45 67 89",
            "+44 20 7946 0958",
            "01-45-67-89-10",
        ] {
            assert_eq!(
                mask_contacts(&format!("Tél. {phone}.")),
                format!("Tél. {PHONE_MASK}."),
                "{phone}"
            );
        }
        assert_eq!(
            mask_contacts("Écrire à julie.martin@ateliers-morel.fr."),
            format!("Écrire à {EMAIL_MASK}.")
        );
        // Dates, addresses, versions and ticket numbers are not phone numbers.
        for kept in [
            "le 2025-03-04 14:02",
            "IP 192.168.10.25",
            "version 10.0.18",
            "ticket 4012",
            "0612 pièces",
        ] {
            assert_eq!(mask_contacts(kept), kept);
        }
    }

    #[test]
    fn secrets_are_masked() {
        assert_eq!(
            mask_secrets("Son mot de passe : Hiver2025! et le token=glpat-AbC123dEf456GhI789jKl."),
            format!("Son mot de passe : {SECRET_MASK} et le token={SECRET_MASK}.")
        );
        assert_eq!(
            mask_secrets("Le mot de passe a expiré."),
            "Le mot de passe a expiré."
        );
        assert_eq!(
            mask_secrets("clé AKIAabcdEFGH1234ijklMNOP5678"),
            format!("clé {SECRET_MASK}")
        );
        assert_eq!(sightings("mdp=abc, 06 12 34 56 78, a@b.fr").secrets, 1);
    }
}
