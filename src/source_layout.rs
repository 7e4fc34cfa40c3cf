//! Where a site's sources sit under its root: the one description that config, the loaders,
//! the templates, the output checks and the watcher of `serve` share, so that adding a
//! source folder is one line here and every stage agrees on it.

use std::path::{Path, PathBuf};

/// The site's settings file, at the root.
pub const CONFIG_FILE: &str = "guichet.yaml";
/// Markdown pages, ticket write-ups and the files they show (images, included files).
pub const CONTENT_DIR: &str = "content";
/// Workflow files (logigrammes), one YAML file each.
pub const WORKFLOWS_DIR: &str = "workflows";
/// The site's own template overrides, over its theme's.
pub const TEMPLATES_DIR: &str = "templates";
/// Themes, each `themes/<name>/templates/` and `themes/<name>/static/`.
pub const THEMES_DIR: &str = "themes";
/// The site's own static files, copied under `static/` over its theme's.
pub const STATIC_DIR: &str = "static";

/// Every folder of the root that a build reads, in the order a user would list them: the
/// watcher watches these, and the output may not be inside any of them.
pub const SOURCE_DIRS: [&str; 5] = [
    CONTENT_DIR,
    WORKFLOWS_DIR,
    TEMPLATES_DIR,
    THEMES_DIR,
    STATIC_DIR,
];

/// `themes/<theme>/templates`, relative to the root.
pub fn theme_templates(theme: &str) -> PathBuf {
    Path::new(THEMES_DIR).join(theme).join("templates")
}

/// `themes/<theme>/static`, relative to the root.
pub fn theme_static(theme: &str) -> PathBuf {
    Path::new(THEMES_DIR).join(theme).join("static")
}
