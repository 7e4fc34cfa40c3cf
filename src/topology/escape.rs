//! Escaping of user text for XML (SVG) and HTML, and of CSV fields.

/// Escapes `&`, `<`, `>`, `"` and `'` so the text is safe in element content and in
/// attribute values of XML and HTML alike.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// One CSV field for a `;`-separated file: quoted when it holds a separator, a quote or a
/// line break, with quotes doubled (RFC 4180).
pub fn csv_field(text: &str) -> String {
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            xml("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
    }

    #[test]
    fn quotes_csv_fields_only_when_needed() {
        assert_eq!(csv_field("SRV-GLPI01"), "SRV-GLPI01");
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("dit \"non\""), "\"dit \"\"non\"\"\"");
        assert_eq!(csv_field("deux\nlignes"), "\"deux\nlignes\"");
    }
}
