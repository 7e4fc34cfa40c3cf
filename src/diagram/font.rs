//! The bundled font (DejaVu Sans, Bitstream Vera licence in assets/fonts/) and text widths.
//!
//! The same font is named in every SVG, loaded into resvg for PNG output and offered to the
//! theme, so the widths measured here match what browsers and the PNG renderer draw.

use std::sync::OnceLock;

use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

/// The bytes of DejaVu Sans, embedded in the binary.
pub(crate) const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The licence of the bundled font, to ship beside it when it is copied to a site.
pub(crate) const FONT_LICENSE: &str = include_str!("../../assets/fonts/DejaVuSans-LICENSE.txt");

/// The family name written in SVG `font-family` attributes.
pub(crate) const FONT_FAMILY: &str = "DejaVu Sans";

/// The `font-family` value written in SVG: the bundled font first, then a generic fallback.
pub(crate) const FONT_FAMILY_CSS: &str = "'DejaVu Sans', Verdana, sans-serif";

/// Advances of the first code points, in ems, so the common case avoids a cmap lookup.
const TABLE_SIZE: usize = 0x250;

struct Metrics {
    /// Advance in ems for code points below `TABLE_SIZE`; `None` when the font has no glyph.
    table: Vec<Option<f32>>,
    /// The font's tables, read once, for the code points beyond the table (`None` if the
    /// bundled font cannot be read).
    font: Option<Tables>,
}

/// The cmap and the advances of the bundled font.
struct Tables {
    charmap: Charmap<'static>,
    glyphs: GlyphMetrics<'static>,
}

impl Tables {
    fn read() -> Option<Tables> {
        let font = FontRef::new(FONT_BYTES).ok()?;
        Some(Tables {
            charmap: font.charmap(),
            glyphs: font.glyph_metrics(Size::new(1.0), LocationRef::default()),
        })
    }

    /// The advance of `c` in ems, from the font's cmap and hmtx; `None` without a glyph.
    fn advance(&self, c: char) -> Option<f32> {
        self.glyphs.advance_width(self.charmap.map(c)?)
    }
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    // The font's tables are read once for every code point, instead of opening the font and
    // finding its cmap and hmtx again for each of the table's 592 code points at the start
    // of every `guichet render`, and for each character beyond the table (U+202F before `?`,
    // typographic apostrophes) each time a label is measured while wrapping.
    METRICS.get_or_init(|| {
        let font = Tables::read();
        let table = (0..TABLE_SIZE as u32)
            .map(|cp| font.as_ref()?.advance(char::from_u32(cp)?))
            .collect();
        Metrics { table, font }
    })
}

/// The advance of `c` in ems, read from the font's cmap and hmtx; `None` without a glyph.
fn lookup_advance(c: char) -> Option<f32> {
    metrics().font.as_ref()?.advance(c)
}

/// True when the bundled font has a glyph for `c`.
pub(crate) fn has_glyph(c: char) -> bool {
    if (c as usize) < TABLE_SIZE {
        return metrics().table[c as usize].is_some();
    }
    lookup_advance(c).is_some()
}

/// What is drawn in place of characters the bundled font cannot draw (emoji, CJK): the
/// Unicode replacement character, which the font has. A fallback font covering emoji and
/// CJK would weigh tens of megabytes in every binary and site; a visible mark with a warning
/// at the label's line (see `workflow::validate`) tells the author instead of leaving a
/// silent empty box.
pub(crate) const PLACEHOLDER: char = '\u{FFFD}';

/// `text` with each run of characters the font lacks (an emoji with its joiners, variation
/// selectors and skin tones counts as one run) replaced by one [`PLACEHOLDER`].
pub(crate) fn with_placeholders(text: &str) -> std::borrow::Cow<'_, str> {
    let drawable = |c: char| c.is_whitespace() || c.is_control() || has_glyph(c);
    if text.chars().all(drawable) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        if in_run && is_zero_width(c) {
            continue;
        }
        if drawable(c) && !is_zero_width(c) {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push(PLACEHOLDER);
            in_run = true;
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The advance of `c` in ems; a character the font lacks (most emoji) counts as 1 em, the
/// width a fallback font typically gives it.
pub(crate) fn advance(c: char) -> f32 {
    if (c as usize) < TABLE_SIZE {
        return metrics().table[c as usize].unwrap_or(1.0);
    }
    if is_zero_width(c) {
        return 0.0;
    }
    lookup_advance(c).unwrap_or(1.0)
}

/// Joiners and variation selectors take no room of their own.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{2060}')
}

/// The width of `text` set in the bundled font at `size` px (no kerning, which only narrows).
pub(crate) fn text_width(text: &str, size: f32) -> f32 {
    text.chars().map(advance).sum::<f32>() * size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font() {
        // DejaVu Sans: 'M' is 1767 units of 2048, space 651.
        assert!((advance('M') - 1767.0 / 2048.0).abs() < 1e-4);
        assert!((advance(' ') - 651.0 / 2048.0).abs() < 1e-4);
        assert!((text_width("MM", 10.0) - 2.0 * 1767.0 / 2048.0 * 10.0).abs() < 1e-3);
    }

    #[test]
    fn missing_glyphs_become_one_visible_placeholder_per_run() {
        assert!(has_glyph(PLACEHOLDER));
        assert_eq!(with_placeholders("Résolu → ok"), "Résolu → ok");
        assert_eq!(with_placeholders("Fête 🎉 !"), "Fête \u{FFFD} !");
        // A family emoji (joined by U+200D) and a thumb with its skin tone are one mark each.
        assert_eq!(
            with_placeholders("a 👨\u{200D}👩\u{200D}👧 b 👍🏽"),
            "a \u{FFFD} b \u{FFFD}"
        );
        assert_eq!(with_placeholders("服务台"), "\u{FFFD}");
    }

    #[test]
    fn accents_and_missing_glyphs() {
        assert!(has_glyph('é'));
        assert!(has_glyph('→'));
        assert!(!has_glyph('🎉'));
        assert_eq!(advance('🎉'), 1.0);
    }
}
