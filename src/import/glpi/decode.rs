//! Reading an export file once and decoding it once: UTF-8 with or without a BOM, or
//! Windows-1252 (what Excel and older GLPI plugins write), sniffed from the bytes.

use encoding_rs::WINDOWS_1252;

/// The encodings an export may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// Windows-1252 (a superset of Latin-1 for the printable range).
    Windows1252,
}

/// Decodes `bytes`: a UTF-8 BOM is dropped; text that is not valid UTF-8 is Windows-1252,
/// the only single-byte encoding GLPI exports are seen in (every byte sequence decodes).
/// UTF-8 text keeps the bytes' buffer: a 40 MB export is held once, not twice.
pub(crate) fn decode(mut bytes: Vec<u8>) -> (String, Encoding) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, Encoding::Utf8),
        Err(e) => {
            let (text, _, _) = WINDOWS_1252.decode(e.as_bytes());
            (text.into_owned(), Encoding::Windows1252)
        }
    }
}

/// What a file holds, from its first characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A JSON document (API responses).
    Json,
    /// Delimited text (search and history exports).
    Csv,
}

/// JSON when the text opens with `{` or `[`, delimited text otherwise.
pub(crate) fn kind(text: &str) -> Kind {
    match text.trim_start().chars().next() {
        Some('{' | '[') => Kind::Json,
        _ => Kind::Csv,
    }
}

/// The delimiter of a CSV export: GLPI's user setting (`;` by default, `,` or tab chosen by
/// some), the one of them found most often in the header line outside quotes.
pub(crate) fn delimiter(text: &str) -> u8 {
    let header = header_line(text);
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(entry) = counts.iter_mut().find(|(d, _)| *d == b) {
            entry.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(d, n)| (*n, *d == b';'))
        .map(|(d, _)| *d)
        .unwrap_or(b';')
}

/// The header line (quoted line breaks in headers do not occur in GLPI's exports).
fn header_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_and_windows_1252_decode_the_same() {
        let (a, ea) = decode(b"\xEF\xBB\xBFTitre;Cat\xC3\xA9gorie".to_vec());
        let (b, eb) = decode(b"Titre;Cat\xE9gorie".to_vec());
        assert_eq!(a, "Titre;Catégorie");
        assert_eq!(b, "Titre;Catégorie");
        assert_eq!((ea, eb), (Encoding::Utf8, Encoding::Windows1252));
        // 0x80 is the euro sign in Windows-1252, and ’ is 0x92.
        assert_eq!(decode(b"\x80 l\x92imprimante".to_vec()).0, "€ l’imprimante");
    }

    #[test]
    fn kinds_and_delimiters() {
        assert_eq!(kind("  [{\"id\":1}]"), Kind::Json);
        assert_eq!(kind("\"ID\";\"Titre\""), Kind::Csv);
        assert_eq!(delimiter("\"ID\";\"Titre; long\";\"Statut\"\r\n"), b';');
        assert_eq!(delimiter("ID,Title,Status\n"), b',');
        assert_eq!(delimiter("ID\tTitle\tStatus\n"), b'\t');
    }
}
