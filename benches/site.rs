//! Site pipeline benchmark: generates procedure-like sites of 1,000 and 10,000 pages (French
//! and English, headings, numbered steps, code blocks), builds each with the release binary and
//! reports the first build's time, the best rebuild's time and pages per second, and the peak
//! memory of the build processes; then the same for a knowledge base of 10,000
//! resolved-ticket write-ups (issue 4's target); then ../shared/bench/gen_md.py's corpus of one
//! section of 10,000 pages, built by guichet and Hugo in alternation (ratio of the medians),
//! guichet rebuilding after a one-page edit (with its build cache) and without its cache.
//! With `--large`, it then builds knowledge bases of 10,000 and 100,000 pages, procedures
//! and ticket write-ups half and half (a large company's, with its ticket history): first
//! build, rebuild, peak memory, the 100,000-page times over the 10,000-page ones, and what
//! the browser's search reads for a first query on the 100,000-page site.
//!
//! Run with `cargo bench --bench site` (builds the release binary first);
//! `cargo bench --bench site -- --write DIR PAGES [tickets|mixed]` only writes a corpus;
//! `cargo bench --bench site -- --one-section` only runs the side-by-side with Hugo;
//! `cargo bench --bench site -- --large-only` only runs the 10,000 and 100,000-page
//! knowledge bases (several minutes).

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use flate2::Compression;
use flate2::write::GzEncoder;

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
    if args.iter().any(|a| a == "--one-section") {
        one_section_against_hugo(&binary);
        return;
    }
    if args.iter().any(|a| a == "--large-only") {
        large_knowledge_bases(&binary);
        return;
    }
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
    one_section_against_hugo(&binary);
    if args.iter().any(|a| a == "--large") {
        large_knowledge_bases(&binary);
    } else {
        println!("(`cargo bench --bench site -- --large` also builds 100,000 pages)");
    }
}

/// Rebuilds timed after the first build of each large knowledge base.
const LARGE_REBUILDS: usize = 2;

/// Queries typed into the search box of the 100,000-page knowledge base: common words,
/// a phrase, a misspelt word, a rare word.
const FIRST_QUERIES: [&str; 4] = [
    "imprimante",
    "redémarrer le serveur",
    "mesagerie",
    "clavier partagé",
];

/// Knowledge bases of 10,000 and 100,000 pages (procedures and tickets, half and half):
/// first build, best rebuild and peak memory of each, the ratio of their times, and the
/// bytes a first query reads from the larger one's search index.
fn large_knowledge_bases(binary: &Path) {
    let mut times = Vec::new();
    for pages in [10_000, 100_000] {
        let dir = std::env::temp_dir().join(format!("guichet-bench-site-mixed-{pages}"));
        let _ = fs::remove_dir_all(&dir);
        corpus::write_mixed_site(&dir, pages);
        let (first, mut peak_kb) = timed_build(binary, &dir);
        let first_kb = peak_kb;
        let mut best = f64::MAX;
        for _ in 0..LARGE_REBUILDS {
            let (secs, kb) = timed_build(binary, &dir);
            best = best.min(secs);
            peak_kb = peak_kb.max(kb);
        }
        println!(
            "site {pages:>6} procedures and tickets: first build {:>6.0} ms (peak {:.1} MB), \
             rebuild {:>6.0} ms (best of {LARGE_REBUILDS}), peak memory {:.1} MB",
            first * 1000.0,
            first_kb as f64 / 1024.0,
            best * 1000.0,
            peak_kb as f64 / 1024.0
        );
        times.push((first, best));
        if pages == 100_000 {
            first_query_bytes(&dir.join("site"));
        }
        let _ = fs::remove_dir_all(&dir);
    }
    if let [(first_10k, rebuild_10k), (first_100k, rebuild_100k)] = times[..] {
        println!(
            "  100,000 pages over 10,000: first build {:.1} ×, rebuild {:.1} ×",
            first_100k / first_10k,
            rebuild_100k / rebuild_10k
        );
    }
}

/// What the browser's search (search.js, run by Node) reads for each of [`FIRST_QUERIES`]
/// typed as a first query on the built `site`: every index file it fetches, each gzipped as
/// a web server sends it, plus search.js and search.css.
fn first_query_bytes(site: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let theme = root.join("themes/guichet/static");
    let scripts: usize = ["search.js", "search.css"]
        .iter()
        .map(|name| gzip_len(&fs::read(theme.join(name)).expect("read the theme's script")))
        .sum();
    for q in FIRST_QUERIES {
        let output = Command::new("node")
            .env("GUICHET_TRACE_FILES", "1")
            .env("GUICHET_LIMIT", "10")
            .arg(root.join("tests/js/query-site.js"))
            .arg(site)
            .arg("*")
            .arg(q)
            .output();
        let Ok(output) = output else {
            println!("  node not found: first-query bytes not measured");
            return;
        };
        let value: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("query-site.js prints JSON");
        let files: Vec<&str> = value["files"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str())
            .collect();
        let sizes: Vec<usize> = files
            .iter()
            .map(|f| gzip_len(&fs::read(site.join(f)).unwrap_or_default()))
            .collect();
        let largest = files
            .iter()
            .zip(&sizes)
            .max_by_key(|(_, size)| **size)
            .map_or(String::new(), |(f, size)| {
                format!(", largest {f} {:.1} KB", *size as f64 / 1024.0)
            });
        println!(
            "  first query {q:<24} {} index files, {:.1} KB gzipped with the scripts{largest}",
            files.len(),
            (sizes.iter().sum::<usize>() + scripts) as f64 / 1024.0
        );
    }
}

/// The size of `bytes` gzipped at the default level, as a web server would send them.
fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("gzip in memory");
    encoder.finish().expect("gzip in memory").len()
}

/// Rounds of the side-by-side run (each round: a one-page edit and guichet's rebuild, one
/// Hugo build, one guichet rebuild without its cache).
const HUGO_ROUNDS: usize = 5;

/// One section of 10,000 pages (French and English), built by guichet and by Hugo in
/// alternation in the same run. Each round appends a paragraph to one page's body (another
/// page each round) and rebuilds, as a writer's save does, so the build cache is used as it is
/// in real use; then Hugo builds; then guichet rebuilds with its cache deleted (its previous
/// output still reused). Medians of each, their ratios to Hugo's, CPU time and peak memory.
fn one_section_against_hugo(binary: &Path) {
    let dir = std::env::temp_dir().join("guichet-bench-site-one-section");
    if !corpus::write_one_section_corpus(&dir) {
        return;
    }
    let (site, hugo_site) = (dir.join("guichet"), dir.join("hugo"));
    let pages = one_section_pages(&site);
    let first = timed(guichet_build(binary, &site));
    let hugo = Command::new("hugo").arg("version").output().is_ok();
    let (mut edited, mut cold, mut theirs) = (Runs::default(), Runs::default(), Runs::default());
    for round in 0..HUGO_ROUNDS {
        let page = &pages[(round * 997 + 13) % pages.len()];
        let mut file = fs::OpenOptions::new()
            .append(true)
            .open(page)
            .expect("open a page of the corpus");
        writeln!(
            file,
            "\nParagraphe ajouté au tour {round} pour mesurer la reconstruction."
        )
        .expect("append to a page");
        edited.push(timed(guichet_build(binary, &site)));
        if hugo {
            let mut command = Command::new("hugo");
            command.args(["--quiet", "--source"]).arg(&hugo_site);
            theirs.push(timed(command));
        }
        for cache in [".site.cache", ".site.search-cache"] {
            let _ = fs::remove_file(site.join(cache));
        }
        cold.push(timed(guichet_build(binary, &site)));
    }
    println!(
        "site  10000 one section    : first build {:>6.0} ms (peak {:.1} MB), rebuild after a one-page edit median {:.0} ms ({} ms, peak {:.1} MB), \
         cold rebuild median {:.0} ms ({} ms, peak {:.1} MB)",
        first.wall * 1000.0,
        first.peak_kb as f64 / 1024.0,
        edited.median_wall() * 1000.0,
        edited.wall_range(),
        edited.peak_mb(),
        cold.median_wall() * 1000.0,
        cold.wall_range(),
        cold.peak_mb(),
    );
    if theirs.is_empty() {
        println!("  hugo is not installed: no side-by-side run");
    } else {
        println!(
            "  hugo, same rounds alternating: median {:.0} ms ({} ms, peak {:.1} MB); guichet / hugo = {:.2} after an edit, {:.2} cold",
            theirs.median_wall() * 1000.0,
            theirs.wall_range(),
            theirs.peak_mb(),
            edited.median_wall() / theirs.median_wall(),
            cold.median_wall() / theirs.median_wall()
        );
        println!(
            "  CPU time (user + sys) medians: guichet {:.0} ms after an edit, {:.0} ms cold; hugo {:.0} ms",
            edited.median_cpu() * 1000.0,
            cold.median_cpu() * 1000.0,
            theirs.median_cpu() * 1000.0
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

/// The Markdown pages of the one-section corpus (not the section's index), sorted.
fn one_section_pages(site: &Path) -> Vec<std::path::PathBuf> {
    let mut pages: Vec<std::path::PathBuf> = fs::read_dir(site.join("content/procedures"))
        .expect("the corpus has its section")
        .map(|e| e.expect("list the section").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    pages.sort();
    pages
}

/// `guichet build` of the site at `dir`.
fn guichet_build(binary: &Path, dir: &Path) -> Command {
    let mut command = Command::new(binary);
    command.args(["build", "--root"]).arg(dir);
    command
}

/// One timed run: wall seconds, CPU seconds (user + sys) and peak resident memory in KiB.
#[derive(Clone, Copy)]
struct Run {
    wall: f64,
    cpu: f64,
    peak_kb: i64,
}

/// The runs of one kind in a side-by-side run.
#[derive(Default)]
struct Runs(Vec<Run>);

impl Runs {
    fn push(&mut self, run: Run) {
        self.0.push(run);
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn sorted(&self, key: fn(&Run) -> f64) -> Vec<f64> {
        let mut values: Vec<f64> = self.0.iter().map(key).collect();
        values.sort_by(f64::total_cmp);
        values
    }

    fn median_wall(&self) -> f64 {
        let walls = self.sorted(|r| r.wall);
        walls[walls.len() / 2]
    }

    fn median_cpu(&self) -> f64 {
        let cpus = self.sorted(|r| r.cpu);
        cpus[cpus.len() / 2]
    }

    fn wall_range(&self) -> String {
        let walls = self.sorted(|r| r.wall);
        format!(
            "{:.0}–{:.0}",
            walls[0] * 1000.0,
            walls[walls.len() - 1] * 1000.0
        )
    }

    fn peak_mb(&self) -> f64 {
        self.0.iter().map(|r| r.peak_kb).max().unwrap_or(0) as f64 / 1024.0
    }
}

/// Runs `command` to its end (it must succeed), timed.
// The child is reaped by `wait4`, which also gives its resource usage.
#[allow(clippy::zombie_processes)]
fn timed(mut command: Command) -> Run {
    let started = Instant::now();
    let child = command
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the program starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child with valid pointers; reaps it so `child` is not waited again.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed().as_secs_f64();
    assert_eq!(rc, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{command:?} failed"
    );
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Run {
        wall,
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        peak_kb: usage.ru_maxrss,
    }
}

/// `--write DIR PAGES [tickets]`: only writes a corpus, for profiling a build by hand.
fn write_only(args: &[String]) {
    let (Some(dir), Some(pages)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: cargo bench --bench site -- --write DIR PAGES [tickets|mixed]");
        std::process::exit(2);
    };
    let dir = Path::new(dir);
    let _ = fs::remove_dir_all(dir);
    match args.get(2).map(String::as_str) {
        Some("tickets") => corpus::write_ticket_site(dir, pages),
        Some("mixed") => corpus::write_mixed_site(dir, pages),
        _ => corpus::write_site(dir, pages),
    }
    println!("wrote {pages} pages to {}", dir.display());
}

/// Runs one build; returns wall seconds and the child's peak resident memory in KiB.
fn timed_build(binary: &Path, dir: &Path) -> (f64, i64) {
    let run = timed(guichet_build(binary, dir));
    (run.wall, run.peak_kb)
}
