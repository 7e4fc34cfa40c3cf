//! Escaping of user text for HTML, XML and CSV: one place for pages, tickets and diagrams;
//! and the decoding of `%XX` escapes in URLs.

/// The bytes of `text` with each `%XX` escape decoded; `None` when a `%` is not followed by
/// two hexadecimal digits.
pub fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Escapes `&`, `<`, `>`, `"` and `'` so the text is safe in element content and attribute
/// values of HTML and XML alike; control characters that XML 1.0 forbids become spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One field of a `;`-separated CSV file (GLPI's export format): quoted when it holds a
/// separator, a quote or a line break, with quotes doubled (RFC 4180).
pub fn csv_field(text: &str) -> String {
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{csv_field, escape};

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("Réseau > Wi-Fi"), "Réseau > Wi-Fi");
        assert_eq!(csv_field("a;b \"c\""), "\"a;b \"\"c\"\"\"");
        assert_eq!(csv_field("deux\nlignes"), "\"deux\nlignes\"");
    }

    #[test]
    fn escapes_markup_quotes_and_control_characters() {
        assert_eq!(
            escape("<a href=\"x\">l'outil & co</a>\u{7}"),
            "&lt;a href=&quot;x&quot;&gt;l&#39;outil &amp; co&lt;/a&gt; "
        );
    }
}
