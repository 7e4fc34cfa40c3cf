//! guichet: a static-site generator for IT service desks.
//!
//! The pipeline: `load` files, `validate` them into a [`site::Site`] in memory, `render` HTML,
//! SVG, PNG and the search index, and `write` the output atomically.

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod diagram;
pub mod escape;
pub mod glpi;
pub mod highlight;
pub mod init;
pub mod language;
pub mod markdown;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
pub mod tickets;
pub mod topology;
pub mod workflow;
pub mod yaml;
