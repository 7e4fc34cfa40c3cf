//! Escaping of user text for XML (SVG) and HTML, and of CSV fields.

/// Escapes `&`, `<`, `>`, `"` and `'` (and drops control characters XML forbids), so the text
/// is safe in element content and attribute values of XML and HTML alike: the shared
/// diagram escaping.
pub use crate::diagram::svg::escape as xml;

/// One CSV field for a `;`-separated file.
pub use crate::escape::csv_field;

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
