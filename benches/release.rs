//! The release binary the command-line benchmarks time, built first (shared by several
//! benchmarks through `#[path]`, like corpus.rs).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds `guichet` in release mode and returns its path.
pub fn release_binary() -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--bin", "guichet"])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "release build failed");
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/guichet")
}
