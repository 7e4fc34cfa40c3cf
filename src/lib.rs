//! guichet: a static-site generator for IT service desks.
//!
//! The pipeline (see DESIGN.md): `load` files, `validate` them into a [`site::Site`] in
//! memory, `render` HTML, SVG, PNG and the search index, and `write` the output atomically.

pub mod diagnostics;
pub mod search;
pub mod yaml;
