//! The theme's static files (CSS, JavaScript, the diagrams' font), with the site's theme
//! folder and its own static/ laid over them file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

use crate::site::Site;
use crate::source_layout::{STATIC_DIR, theme_static};
use crate::theme;

/// Every file that goes under `static/` in the output, by path below it: the default
/// theme's (when the site uses it), the diagrams' font and licence, then the site's theme
/// folder and its own static/, each overriding what came before.
/// A file that exists but cannot be read is an error, not a file left out.
pub(crate) fn static_files(site: &Site) -> Result<BTreeMap<String, Vec<u8>>, Diagnostic> {
    let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    if site.config.theme == theme::DEFAULT_THEME {
        for (name, bytes) in theme::STATIC_BYTES {
            statics.insert(name.to_string(), bytes.to_vec());
        }
    }
    // The diagrams' font, so browsers measure text as guichet did (licence alongside).
    statics.insert(
        "fonts/DejaVuSans.ttf".to_string(),
        crate::diagram::font::FONT_BYTES.to_vec(),
    );
    statics.insert(
        "fonts/DejaVuSans-LICENSE.txt".to_string(),
        crate::diagram::font::FONT_LICENSE.as_bytes().to_vec(),
    );
    for dir in [theme_static(&site.config.theme), PathBuf::from(STATIC_DIR)] {
        read_static_overrides(&site.root, &dir, "", &mut statics)?;
    }
    // The theme's styles of a translated site stay out of a site in one language (also when
    // the theme folder is on disk, as in guichet's own repository).
    if !site.translation.is_multilingual() {
        for (name, _) in theme::STATIC_BYTES {
            if name.starts_with(TRANSLATION_STATICS) {
                statics.remove(*name);
            }
        }
    }
    Ok(statics)
}

/// The folder of the theme's static files that only a translated site uses.
const TRANSLATION_STATICS: &str = "translation/";

/// Every `.js` file of the default theme's static/ folder, loaded by base.html.
pub(super) fn theme_scripts() -> Vec<&'static str> {
    theme::STATIC_BYTES
        .iter()
        .map(|(name, _)| *name)
        .filter(|n| n.ends_with(".js") && !n.contains('/') && !n.contains("worker"))
        .collect()
}

/// Every stylesheet of the theme besides style.css.
pub(super) fn theme_styles() -> Vec<&'static str> {
    theme::STATIC_BYTES
        .iter()
        .map(|(name, _)| *name)
        .filter(|n| n.ends_with(".css") && *n != "style.css" && !n.contains('/'))
        .collect()
}

/// Reads the files below `root/dir` into `into`, by path below `dir`; a missing folder
/// adds nothing.
fn read_static_overrides(
    root: &Path,
    dir: &Path,
    prefix: &str,
    into: &mut BTreeMap<String, Vec<u8>>,
) -> Result<(), Diagnostic> {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Ok(());
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let shown = dir.join(&name);
        let path = root.join(&shown);
        if path.is_dir() {
            read_static_overrides(root, &shown, &rel, into)?;
        } else {
            let bytes = std::fs::read(&path).map_err(|e| {
                Diagnostic::file_error(&shown, format!("cannot read the static file: {e}"))
            })?;
            into.insert(rel, bytes);
        }
    }
    Ok(())
}
