//! guichet: a static-site generator for IT service desks.
//!
//! The pipeline: `load` files, `validate` them into a [`site::Site`] in memory, `render` HTML,
//! SVG, PNG and the search index, and `write` the output atomically.

pub(crate) mod aliases;
pub mod build;
pub(crate) mod cache_file;
pub mod check;
pub mod config;
pub mod content;
pub(crate) mod data;
pub mod diagnostics;
pub mod diagram;
pub(crate) mod digest;
pub(crate) mod embed;
pub(crate) mod escape;
pub(crate) mod glpi;
pub(crate) mod highlight;
pub mod import;
pub mod init;
pub mod language;
pub mod lifecycle;
pub(crate) mod localized_text;
pub(crate) mod markdown;
pub mod memory;
pub(crate) mod output;
pub(crate) mod page;
pub(crate) mod portfolio;
pub(crate) mod render;
pub mod search;
pub mod serve;
pub(crate) mod site;
pub(crate) mod source_layout;
pub(crate) mod text_distance;
pub(crate) mod theme;
pub mod tickets;
pub mod topology;
pub(crate) mod translation;
pub mod workflow;
pub mod yaml;
