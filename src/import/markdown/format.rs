//! The tools `guichet import markdown` reads, and how a folder tells which one wrote it.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// A documentation tool whose folder can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// MkDocs: `mkdocs.yml` (with `nav:`) beside `docs/`.
    Mkdocs,
    /// Docusaurus: `docs/` with `_category_.json|yml` and `sidebar_position`.
    Docusaurus,
    /// Hugo: `content/` with `_index.md`, front matter in YAML or TOML.
    Hugo,
    /// Zola: `content/` with `_index.md`, `+++` TOML front matter.
    Zola,
    /// An Obsidian vault: `.obsidian/`, `[[wikilinks]]`, `> [!note]` callouts.
    Obsidian,
    /// Grav: `user/pages/` with numbered folders holding one Markdown file each.
    Grav,
}

/// Every format, in the order `--from` lists them.
pub const ALL: [Format; 6] = [
    Format::Mkdocs,
    Format::Docusaurus,
    Format::Hugo,
    Format::Zola,
    Format::Obsidian,
    Format::Grav,
];

impl Format {
    /// The name `--from` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Mkdocs => "mkdocs",
            Format::Docusaurus => "docusaurus",
            Format::Hugo => "hugo",
            Format::Zola => "zola",
            Format::Obsidian => "obsidian",
            Format::Grav => "grav",
        }
    }

    /// Tells the format from the files at the top of `src`; `None` when nothing says.
    /// The most specific marks come first: a Docusaurus site also holds a `docs/` folder, a
    /// Zola site a `content/` folder like Hugo's.
    pub fn sniff(src: &Path) -> Option<Format> {
        let has = |name: &str| src.join(name).exists();
        if has("mkdocs.yml") || has("mkdocs.yaml") {
            Some(Format::Mkdocs)
        } else if has("docusaurus.config.js")
            || has("docusaurus.config.ts")
            || has("docusaurus.config.mjs")
            || has("sidebars.js")
            || has("sidebars.ts")
        {
            Some(Format::Docusaurus)
        } else if has(".obsidian") {
            Some(Format::Obsidian)
        } else if has("user/pages") || (has("pages") && has("config/system.yaml")) {
            Some(Format::Grav)
        } else if has("config.toml") && has("content") && is_zola_config(&src.join("config.toml")) {
            Some(Format::Zola)
        } else if [
            "hugo.toml",
            "hugo.yaml",
            "hugo.json",
            "config.toml",
            "config.yaml",
        ]
        .iter()
        .any(|c| has(c))
            && has("content")
        {
            Some(Format::Hugo)
        } else {
            None
        }
    }
}

/// Zola's config.toml names `base_url`; Hugo's writes `baseURL`.
fn is_zola_config(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .is_ok_and(|t| t.lines().any(|l| l.trim_start().starts_with("base_url")))
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ALL.iter()
            .copied()
            .find(|f| f.name() == s.to_ascii_lowercase())
            .ok_or_else(|| {
                let names: Vec<&str> = ALL.iter().map(|f| f.name()).collect();
                format!("unknown format `{s}`: expected one of {}", names.join(", "))
            })
    }
}
