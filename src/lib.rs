//! guichet: a static-site generator for IT service desks.
//!
//! The pipeline (see DESIGN.md): `load` files, `validate` them into a [`site::Site`] in
//! memory, `render` HTML, SVG, PNG and the search index, and `write` the output atomically.

pub mod build;
pub mod config;
pub mod content;
pub(crate) mod data;
pub mod diagnostics;
pub mod diagram;
pub(crate) mod embed;
pub mod escape;
pub mod glpi;
pub mod highlight;
pub mod init;
pub mod markdown;
pub mod output;
pub mod page;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod source_layout;
pub mod theme;
pub mod tickets;
pub mod topology;
pub mod workflow;
pub mod yaml;
