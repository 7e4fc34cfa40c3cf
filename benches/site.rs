//! Site pipeline benchmark: generates procedure-like sites of 1,000 and 10,000 pages (French
//! and English, headings, numbered steps, code blocks), builds each with the release binary and
//! reports the first build's time, the best rebuild's time and pages per second, and the peak
//! memory of the build processes; then the same for a knowledge base of 10,000
//! resolved-ticket write-ups (issue 4's target).
//!
//! Run with `cargo bench --bench site` (builds the release binary first);
//! `cargo bench --bench site -- --write DIR PAGES [tickets]` only writes a corpus.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

#[path = "corpus.rs"]
mod corpus;

/// Builds timed after the first one.
const REBUILDS: usize = 4;

/// Writes a generated site of N pages into a folder.
type WriteCorpus = fn(&Path, usize);

#[path = "release.rs"]
mod release;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--write") {
        write_only(&args[at + 1..]);
        return;
    }
    let binary = release::release_binary();
    let corpora: [(&str, usize, WriteCorpus); 3] = [
        ("procedure pages", 1_000, corpus::write_site),
        ("procedure pages", 10_000, corpus::write_site),
        ("ticket pages", 10_000, corpus::write_ticket_site),
    ];
    for (kind, pages, write) in corpora {
        let dir = std::env::temp_dir().join(format!("guichet-bench-site-{pages}"));
        let _ = fs::remove_dir_all(&dir);
        write(&dir, pages);
        // The first build creates every folder and file; the next ones write over the
        // previous output kept as a spare, which is the usual case when editing a site.
        let (first, mut peak_kb) = timed_build(&binary, &dir);
        let mut best = f64::MAX;
        for _ in 0..REBUILDS {
            let (secs, kb) = timed_build(&binary, &dir);
            best = best.min(secs);
            peak_kb = peak_kb.max(kb);
        }
        println!(
            "site {pages:>6} {kind:<15}: first build {:>6.0} ms, rebuild {:>6.0} ms (best of {REBUILDS}), \
             {:>6.0} pages/s, peak memory {:>6.1} MB",
            first * 1000.0,
            best * 1000.0,
            pages as f64 / best,
            peak_kb as f64 / 1024.0
        );
        let _ = fs::remove_dir_all(&dir);
    }
}

/// `--write DIR PAGES [tickets]`: only writes a corpus, for profiling a build by hand.
fn write_only(args: &[String]) {
    let (Some(dir), Some(pages)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: cargo bench --bench site -- --write DIR PAGES [tickets]");
        std::process::exit(2);
    };
    let dir = Path::new(dir);
    let _ = fs::remove_dir_all(dir);
    if args.get(2).is_some_and(|kind| kind == "tickets") {
        corpus::write_ticket_site(dir, pages);
    } else {
        corpus::write_site(dir, pages);
    }
    println!("wrote {pages} pages to {}", dir.display());
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
