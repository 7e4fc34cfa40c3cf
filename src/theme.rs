//! The default theme, built into the binary from themes/guichet/ at compile time.
//!
//! A site that has no themes/ folder builds with it; a site's own themes/guichet/ or
//! templates/ override it file by file (see [`crate::render`] and [`crate::build`]).

include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));

/// The name of the built-in theme.
pub const DEFAULT_THEME: &str = "guichet";

/// The default theme's templates as text: (file name, source).
pub static TEMPLATES: std::sync::LazyLock<Vec<(&'static str, &'static str)>> =
    std::sync::LazyLock::new(|| {
        TEMPLATES_BYTES
            .iter()
            .filter_map(|(name, bytes)| std::str::from_utf8(bytes).ok().map(|text| (*name, text)))
            .collect()
    });
