//! Commands whose work is more than one call into the library: they check their arguments,
//! read and write the user's files and chain the library's public stages.

pub(crate) mod import;
pub(crate) mod import_markdown;
pub(crate) mod render;
