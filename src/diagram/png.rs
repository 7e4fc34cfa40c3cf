//! PNG output through resvg, with the bundled font as the only font: the picture is the same
//! on every machine, and text that cannot find its font is an error rather than a blank.

use std::hash::Hasher;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, FontResolver, fontdb};
use siphasher::sip128::{Hasher128, SipHasher13};

use super::font::{FONT_BYTES, FONT_FAMILY, has_glyph};

/// Why a PNG could not be produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PngError {
    /// The SVG could not be parsed.
    Svg(String),
    /// A text element named no font available to the renderer.
    MissingFont,
    /// The scaled picture is empty or too large to allocate.
    Size(String),
    /// PNG encoding failed.
    Encode(String),
}

impl std::fmt::Display for PngError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PngError::Svg(e) => write!(f, "the SVG cannot be read: {e}"),
            PngError::MissingFont => {
                write!(f, "a text of the diagram has no font to be drawn with")
            }
            PngError::Size(e) => write!(f, "the picture cannot be allocated: {e}"),
            PngError::Encode(e) => write!(f, "the PNG cannot be encoded: {e}"),
        }
    }
}

/// The font database holding only the bundled font, shared by every render.
fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(FONT_BYTES.to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        db.set_serif_family(FONT_FAMILY);
        db.set_monospace_family(FONT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Keyword of the PNG text chunk that holds the picture's [`source_key`].
const SOURCE_KEYWORD: &str = "guichet-source";

/// Changes whenever the same SVG would give other pixels or bytes (renderer, font, encoder
/// settings), so that no earlier picture is reused after such a change.
const RENDERER: &str = concat!("guichet ", env!("CARGO_PKG_VERSION"), " png 1");

/// Renders `svg` to PNG at `scale` (2.0 for the site's downloads) on a white background.
/// The PNG carries the [`source_key`] of what it was made from.
pub fn to_png(svg: &str, scale: f32) -> Result<Vec<u8>, PngError> {
    render_with(svg, scale, &source_key(svg, scale), database())
}

/// What a PNG of `svg` at `scale` is made from, as 32 hex digits: the SVG, the scale and
/// the renderer. Equal keys mean byte-identical pictures.
pub(crate) fn source_key(svg: &str, scale: f32) -> String {
    let mut hasher = SipHasher13::new_with_keys(0, 0);
    hasher.write(RENDERER.as_bytes());
    hasher.write(&scale.to_le_bytes());
    hasher.write(svg.as_bytes());
    format!("{:032x}", hasher.finish128().as_u128())
}

/// The [`source_key`] stored in `png`, when `png` is a whole picture written by [`to_png`]
/// (a file cut short has no key: it ends with IEND or is not trusted).
pub fn source_key_of(png: &[u8]) -> Option<&str> {
    const IEND: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];
    if !png.ends_with(&IEND) {
        return None;
    }
    let mut rest = png.strip_prefix(b"\x89PNG\r\n\x1a\n")?;
    while let (Some(length), Some(kind)) = (rest.get(0..4), rest.get(4..8)) {
        let length = u32::from_be_bytes(length.try_into().ok()?) as usize;
        let data = rest.get(8..8 + length)?;
        // Text chunks come before the image data.
        if kind == b"IDAT" {
            return None;
        }
        if kind == b"tEXt"
            && let Some(text) = data
                .strip_prefix(SOURCE_KEYWORD.as_bytes())
                .and_then(|t| t.strip_prefix(b"\0"))
        {
            return std::str::from_utf8(text).ok();
        }
        rest = rest.get(8 + length + 4..)?;
    }
    None
}

/// [`to_png`], unless one of the `earlier` files (where an earlier build wrote this
/// picture) has the same [`source_key`]: then its bytes, which are the same. Rasterising is
/// most of the time of a small site's build, and diagrams rarely change between builds.
pub(crate) fn to_png_or_earlier(
    svg: &str,
    scale: f32,
    earlier: impl IntoIterator<Item = PathBuf>,
) -> Result<Vec<u8>, PngError> {
    let key = source_key(svg, scale);
    for path in earlier {
        if let Ok(bytes) = std::fs::read(&path)
            && source_key_of(&bytes) == Some(key.as_str())
        {
            return Ok(bytes);
        }
    }
    render_with(svg, scale, &key, database())
}

/// Renders `svg` into a PNG that carries `key`, its [`source_key`].
fn render_with(
    svg: &str,
    scale: f32,
    key: &str,
    db: Arc<fontdb::Database>,
) -> Result<Vec<u8>, PngError> {
    let missing = AtomicBool::new(false);
    let tree = parse_with(svg, &missing, db)?;
    if missing.load(Ordering::Relaxed) {
        return Err(PngError::MissingFont);
    }
    let size = tree.size();
    let width = (size.width() * scale).ceil() as u32;
    let height = (size.height() * scale).ceil() as u32;
    let mut pixmap = Pixmap::new(width, height)
        .ok_or_else(|| PngError::Size(format!("{width} × {height} px")))?;
    pixmap.fill(Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode_opaque(&pixmap, key).map_err(|e| PngError::Encode(e.to_string()))
}

/// Encodes an opaque pixmap as an RGB PNG with png's fast DEFLATE: a third of the size of
/// tiny-skia's RGBA output and several times faster to write, which matters because a build
/// writes one PNG per diagram. Rows are converted one at a time: a copy of the whole picture
/// in RGB would be 20 MB for a large logigramme at scale 2.
fn encode_opaque(pixmap: &Pixmap, key: &str) -> Result<Vec<u8>, png::EncodingError> {
    let width = pixmap.width() as usize;
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.add_text_chunk(SOURCE_KEYWORD.to_string(), key.to_string())?;
    let mut writer = encoder.write_header()?;
    let mut stream = writer.stream_writer()?;
    let mut row = Vec::with_capacity(width * 3);
    for pixels in pixmap.data().chunks_exact(width * 4) {
        row.clear();
        row.extend(pixels.chunks_exact(4).flat_map(|px| [px[0], px[1], px[2]]));
        std::io::Write::write_all(&mut stream, &row)?;
    }
    stream.finish()?;
    writer.finish()?;
    Ok(out)
}

/// Parses `svg` with the bundled font; `missing` is set when a text finds no font.
pub fn parse(svg: &str, missing: &AtomicBool) -> Result<usvg::Tree, PngError> {
    parse_with(svg, missing, database())
}

fn parse_with(
    svg: &str,
    missing: &AtomicBool,
    db: Arc<fontdb::Database>,
) -> Result<usvg::Tree, PngError> {
    let default_selector = FontResolver::default_font_selector();
    let mut opt = usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        fontdb: db,
        ..usvg::Options::default()
    };
    opt.font_resolver.select_font = Box::new(move |font, db| {
        let found = default_selector(font, db);
        if found.is_none() {
            missing.store(true, Ordering::Relaxed);
        }
        found
    });
    usvg::Tree::from_str(svg, &opt).map_err(|e| PngError::Svg(e.to_string()))
}

/// The characters of `text` the bundled font cannot draw (most emoji), sorted, without
/// repeats: they render as blanks in PNG output, so callers may warn about them.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = text
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace() && !has_glyph(*c))
        .filter(|c| !matches!(c, '\u{200B}'..='\u{200D}' | '\u{FE00}'..='\u{FE0F}'))
        .collect();
    chars.sort_unstable();
    chars.dedup();
    chars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_text_with_the_bundled_font() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="2" y="15" font-family="DejaVu Sans" font-size="12">Oui</text></svg>"#;
        let png = to_png(svg, 2.0).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }

    #[test]
    fn text_without_its_font_is_an_error() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="2" y="15" font-family="DejaVu Sans">Oui</text></svg>"#;
        let empty = Arc::new(fontdb::Database::new());
        assert_eq!(render_with(svg, 1.0, "", empty), Err(PngError::MissingFont));
    }

    #[test]
    fn a_picture_carries_the_key_of_its_source() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="10" height="10"/></svg>"#;
        let png = to_png(svg, 2.0).unwrap();
        let key = source_key(svg, 2.0);
        assert_eq!(key.len(), 32);
        assert_eq!(source_key_of(&png), Some(key.as_str()));
        assert_ne!(key, source_key(svg, 1.0));
        assert_ne!(key, source_key(&svg.replace("10", "11"), 2.0));
        // A file cut short is not trusted, whatever its first chunks say.
        assert_eq!(source_key_of(&png[..png.len() - 1]), None);
        assert_eq!(source_key_of(b"not a png"), None);
    }

    #[test]
    fn an_earlier_picture_of_the_same_source_is_taken_as_it_is() {
        let dir = std::env::temp_dir().join(format!("guichet-png-earlier-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="10" height="10"/></svg>"#;
        let other = svg.replace("10", "12");
        // The picture of another source, relabelled with the key of `svg`: bytes that
        // rendering `svg` does not give, so only reuse can return them.
        let key_of_other = source_key(&other, 2.0);
        let mut marked = to_png(&other, 2.0).unwrap();
        let at = marked
            .windows(key_of_other.len())
            .position(|w| w == key_of_other.as_bytes())
            .unwrap();
        marked[at..at + 32].copy_from_slice(source_key(svg, 2.0).as_bytes());
        std::fs::write(dir.join("a.png"), &marked).unwrap();
        let missing = dir.join("missing.png");
        let reused = to_png_or_earlier(svg, 2.0, [missing.clone(), dir.join("a.png")]).unwrap();
        assert_eq!(reused, marked);
        // Another source is rendered, not taken from the file.
        let rendered =
            to_png_or_earlier(&other.replace("12", "13"), 2.0, [dir.join("a.png")]).unwrap();
        assert_ne!(rendered, marked);
        assert_eq!(
            source_key_of(&rendered),
            Some(source_key(&other.replace("12", "13"), 2.0).as_str())
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn reports_characters_without_glyph() {
        assert_eq!(missing_glyphs("Résolu 🎉 → ok"), vec!['🎉']);
    }
}
