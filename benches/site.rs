//! Site pipeline benchmark: generates procedure-like sites of 1,000 and 10,000 pages (French
//! and English, headings, numbered steps, code blocks), builds each with the release binary and
//! reports pages per second and the peak memory of the build process.
//!
//! Run with `cargo bench --bench site` (builds the release binary first).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[path = "corpus.rs"]
mod corpus;

fn main() {
    let binary = release_binary();
    for &pages in &[1_000usize, 10_000] {
        let dir = std::env::temp_dir().join(format!("guichet-bench-site-{pages}"));
        let _ = fs::remove_dir_all(&dir);
        corpus::write_site(&dir, pages);
        let mut best = f64::MAX;
        let mut peak_kb = 0;
        for _ in 0..3 {
            let (secs, kb) = timed_build(&binary, &dir);
            best = best.min(secs);
            peak_kb = peak_kb.max(kb);
        }
        println!(
            "site {pages:>6} pages: {:>7.0} ms (best of 3), {:>8.0} pages/s, peak memory {:>6.1} MB",
            best * 1000.0,
            pages as f64 / best,
            peak_kb as f64 / 1024.0
        );
        let _ = fs::remove_dir_all(&dir);
    }
}

fn release_binary() -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--bin", "guichet"])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "release build failed");
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/guichet")
}

/// Runs one build; returns wall seconds and the child's peak resident memory in KiB.
// The child is reaped by `wait4`, which also gives its resource usage.
#[allow(clippy::zombie_processes)]
fn timed_build(binary: &Path, dir: &Path) -> (f64, i64) {
    let started = Instant::now();
    let child = Command::new(binary)
        .args(["build", "--root"])
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("binary starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child with valid pointers; reaps it so `child` is not waited again.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(rc, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "build failed"
    );
    (secs, usage.ru_maxrss)
}
