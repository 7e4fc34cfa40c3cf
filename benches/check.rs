//! `guichet check` benchmark: the release binary checks the demo site and a generated
//! 10,000-page procedure site (the `site` bench's corpus), best of 3 runs each, once with the
//! Hunspell dictionaries and once without them (spelling skipped), so the difference is what
//! spelling costs. Needs Debian's hunspell-fr and hunspell-en-us.
//!
//! Run with `cargo bench --bench check` (builds the release binary first).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

// Only the procedure pages are used here.
#[allow(dead_code)]
#[path = "corpus.rs"]
mod corpus;

const RUNS: usize = 3;

#[path = "release.rs"]
mod release;

fn main() {
    let binary = release::release_binary();
    let corpus_dir = std::env::temp_dir().join("guichet-bench-check-10000");
    let _ = std::fs::remove_dir_all(&corpus_dir);
    corpus::write_site(&corpus_dir, 10_000);
    let sites: [(&str, PathBuf); 2] = [
        ("demo (44 pages)", PathBuf::from(env!("CARGO_MANIFEST_DIR"))),
        ("corpus (10,000 pages)", corpus_dir.clone()),
    ];
    for (name, root) in sites {
        let with = best_of(&binary, &root, "/usr/share/hunspell");
        let without = best_of(&binary, &root, "/nonexistent-dictionaries");
        println!(
            "check {name:<22}: {:>6.0} ms with spelling, {:>6.0} ms without, spelling {:>6.0} ms (best of {RUNS})",
            with * 1000.0,
            without * 1000.0,
            (with - without).max(0.0) * 1000.0
        );
    }
    let _ = std::fs::remove_dir_all(&corpus_dir);
}

/// The shortest wall time of `RUNS` checks of `root`.
fn best_of(binary: &Path, root: &Path, dictionaries: &str) -> f64 {
    (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            // Exit code 1 only means findings (the corpus has some): the time is what counts.
            Command::new(binary)
                .args(["check", "--dictionaries", dictionaries, "--root"])
                .arg(root)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("binary starts");
            started.elapsed().as_secs_f64()
        })
        .fold(f64::MAX, f64::min)
}
