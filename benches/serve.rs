//! Live-reload latency of `guichet serve`: from the moment a one-page edit is saved to the
//! moment the reload event reaches a connected tab, and to the moment the new page is served.
//! Runs on a copy of the demo site (the repository root) and on a generated 10,000-page site.
//!
//! Then, on ../shared/bench/gen_md.py's one section of 10,000 pages, body edits saved every
//! second and every 0.3 s while serve's full builds run, and title edits.
//!
//! Run with `cargo bench --bench serve` (`GUICHET_BENCH_ONLY_CADENCE=1` runs only the last
//! part).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use std::{fs, thread};

use guichet::build::{BuildOptions, build};
use guichet::serve::{ServeEvent, ServeOptions, Server};

// Only the procedure pages are used here; the ticket corpus is the site bench's.
#[allow(dead_code)]
#[path = "corpus.rs"]
mod corpus;

const PATIENCE: Duration = Duration::from_secs(120);

fn main() {
    if std::env::var_os("GUICHET_BENCH_ONLY_CADENCE").is_some() {
        one_section_cadences();
        return;
    }
    let demo =
        std::env::temp_dir().join(format!("guichet-bench-serve-demo-{}", std::process::id()));
    let _ = fs::remove_dir_all(&demo);
    copy_demo(Path::new(env!("CARGO_MANIFEST_DIR")), &demo);
    let page = first_page(&demo.join("content/utilisateurs"));
    measure("demo site", &demo, &page, 10);
    let _ = fs::remove_dir_all(&demo);

    let big = std::env::temp_dir().join(format!("guichet-bench-serve-10k-{}", std::process::id()));
    let _ = fs::remove_dir_all(&big);
    corpus::write_site(&big, 10_000);
    let page = big.join("content/section-03/sous-section-03/page-03150.md");
    measure("10,000 pages", &big, &page, 5);
    let _ = fs::remove_dir_all(&big);

    one_section_cadences();
}

/// Saves every second and every 0.3 s on the one-section 10,000-page corpus, while serve's
/// full builds run beside the edits, then front-matter edits.
fn one_section_cadences() {
    let dir = std::env::temp_dir().join(format!("guichet-bench-serve-1s-{}", std::process::id()));
    if !corpus::write_one_section_corpus(&dir) {
        return;
    }
    let root = dir.join("guichet");
    let page = root.join("content/procedures/p-05000.md");
    let mut options = ServeOptions::new(&root);
    options.port = 0;
    let (tx, rx) = std::sync::mpsc::channel();
    let server = Server::start(options, move |e| {
        if let ServeEvent::Rerendered { elapsed, .. } = e {
            let _ = tx.send(ms(elapsed));
        }
    })
    .expect("server starts");
    let addr = server.addr();
    let url = page_url(&root, &page);
    let original = fs::read_to_string(&page).expect("page");
    for (label, every) in [("every 1 s", 1000), ("every 0.3 s", 300)] {
        let mut served = Vec::new();
        let start = Instant::now();
        for run in 0..20u64 {
            let due = start + Duration::from_millis(every * run);
            thread::sleep(due.saturating_duration_since(Instant::now()));
            let marker = format!("Marqueur {label} {run}.");
            let saved = Instant::now();
            save(&page, &format!("{original}\n{marker}\n"));
            served.push(wait_for_text(addr, &url, &marker, saved));
        }
        println!(
            "one section of 10,000 pages, body edit saved {label}: save → page served {}",
            percentiles(&mut served)
        );
    }
    // Front matter: a longer title (the page keeps its place in the section), shown by the
    // page, its neighbours, the sidebars around it and the section's listing.
    let mut served = Vec::new();
    let title_line = original
        .lines()
        .find(|l| l.starts_with("title: \""))
        .expect("a title")
        .to_string();
    for run in 0..6 {
        thread::sleep(Duration::from_millis(1000));
        let title = format!("révision {run}");
        let text = original.replacen(
            &title_line,
            &format!("{} {title}\"", title_line.trim_end_matches('"')),
            1,
        );
        let saved = Instant::now();
        save(&page, &text);
        served.push(wait_for_text(addr, &url, &title, saved));
    }
    let mut alone: Vec<f64> = rx.try_iter().collect();
    println!(
        "one section of 10,000 pages, title edit: save → page served {}\n  updates inside serve (pages rendered alone) {}",
        percentiles(&mut served),
        stats(&mut alone)
    );
    // A title that moves the page from the middle of the section to one end and back: the
    // sidebars around its old and new places change, not those of the pages in between.
    let mut moved = Vec::new();
    for run in 0..6 {
        thread::sleep(Duration::from_millis(1000));
        let end = if run % 2 == 0 { "Zzz" } else { "Aaa" };
        let title = format!("{end} déplacée {run}");
        let text = original.replacen(&title_line, &format!("title: \"{title}\""), 1);
        let saved = Instant::now();
        save(&page, &text);
        moved.push(wait_for_text(addr, &url, &title, saved));
    }
    let mut alone: Vec<f64> = rx.try_iter().collect();
    println!(
        "one section of 10,000 pages, title edit moving the page across the section: save → page served {}\n  updates inside serve (pages rendered alone) {}",
        percentiles(&mut moved),
        stats(&mut alone)
    );
    save(&page, &original);
    server.shutdown();
    let _ = fs::remove_dir_all(&dir);
}

/// Milliseconds from `saved` until the page at `url` shows `text`.
fn wait_for_text(addr: SocketAddr, url: &str, text: &str, saved: Instant) -> f64 {
    loop {
        if get(addr, url).contains(text) {
            return ms(saved.elapsed());
        }
        assert!(saved.elapsed() < PATIENCE, "{url} never showed the edit");
        thread::sleep(Duration::from_millis(1));
    }
}

fn percentiles(values: &mut [f64]) -> String {
    values.sort_by(f64::total_cmp);
    let p95 = values[(values.len() * 95).div_ceil(100) - 1];
    format!(
        "median {:.0} ms, p95 {p95:.0} ms (min {:.0}, max {:.0}, {} saves)",
        values[values.len() / 2],
        values[0],
        values[values.len() - 1],
        values.len()
    )
}

/// The demo's sources only (not site/, target/ or .git/), so edits never touch the repository.
fn copy_demo(repo: &Path, to: &Path) {
    fs::create_dir_all(to).expect("temp dir");
    fs::copy(repo.join("guichet.yaml"), to.join("guichet.yaml")).expect("copy guichet.yaml");
    for dir in [
        "content",
        "workflows",
        "themes",
        "templates",
        "static",
        "tickets",
    ] {
        copy_tree(&repo.join(dir), &to.join(dir));
    }
}

fn copy_tree(from: &Path, to: &Path) {
    let Ok(entries) = fs::read_dir(from) else {
        return;
    };
    fs::create_dir_all(to).expect("mkdir");
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

fn first_page(dir: &Path) -> PathBuf {
    let mut pages: Vec<PathBuf> = fs::read_dir(dir)
        .expect("the demo has content/utilisateurs")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    pages.sort();
    pages.into_iter().next().expect("a page")
}

fn measure(name: &str, root: &Path, page: &Path, runs: usize) {
    let out = root.join("bench-full-build");
    let started = Instant::now();
    let full = build(&BuildOptions {
        out: Some(out.clone()),
        ..BuildOptions::new(root)
    });
    let full_ms = ms(started.elapsed());
    let _ = fs::remove_dir_all(&out);
    if let Err(d) = full {
        println!("{name}: the site does not build, nothing to measure:\n{d}");
        return;
    }
    let mut options = ServeOptions::new(root);
    options.port = 0;
    let (built_tx, built_rx) = std::sync::mpsc::channel();
    let server = Server::start(options, move |e| match e {
        ServeEvent::Built { report, .. } => {
            let _ = built_tx.send(("full build", ms(report.elapsed)));
        }
        ServeEvent::Rerendered { elapsed, .. } => {
            let _ = built_tx.send(("page alone", ms(elapsed)));
        }
        _ => {}
    })
    .expect("server starts");
    let _first_build = built_rx.recv().expect("the first build");
    let addr = server.addr();
    let url = page_url(root, page);
    let mut events = Events::open(addr);
    events.wait_for("hello");
    let original = fs::read_to_string(page).expect("page");
    let (mut to_event, mut to_page, mut builds) = (Vec::new(), Vec::new(), Vec::new());
    let mut refreshes = Vec::new();
    let mut kinds = std::collections::BTreeSet::new();
    for run in 0..runs {
        let marker = format!("Marqueur de mesure {run}.");
        let saved = Instant::now();
        save(page, &format!("{original}\n{marker}\n"));
        events.wait_for("reload");
        to_event.push(ms(saved.elapsed()));
        loop {
            if get(addr, &url).contains(&marker) {
                break;
            }
            assert!(saved.elapsed() < PATIENCE, "{url} never showed the edit");
            thread::sleep(Duration::from_millis(1));
        }
        to_page.push(ms(saved.elapsed()));
        let (how, took) = built_rx.recv().expect("an update per edit");
        builds.push(took);
        kinds.insert(how);
        // After a page rendered alone, serve refreshes the search index with a full build
        // once the edits pause; wait for it so that each edit meets an idle server.
        if how == "page alone" {
            let (_, refresh) = built_rx.recv().expect("the refresh build");
            refreshes.push(refresh);
        }
    }
    save(page, &original);
    events.wait_for("reload");
    server.shutdown();
    println!(
        "{name}: full build {full_ms:.0} ms\n  update inside serve ({}) {}\n  edit → reload event {}\n  edit → new page served {}\n  background refresh build {}",
        kinds.into_iter().collect::<Vec<_>>().join(", "),
        stats(&mut builds),
        stats(&mut to_event),
        stats(&mut to_page),
        if refreshes.is_empty() {
            "none".to_string()
        } else {
            stats(&mut refreshes)
        }
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stats(values: &mut [f64]) -> String {
    values.sort_by(f64::total_cmp);
    format!(
        "median {:.0} ms (min {:.0}, max {:.0}, {} runs)",
        values[values.len() / 2],
        values[0],
        values[values.len() - 1],
        values.len()
    )
}

/// `content/a/b.md` → `/a/b/`.
fn page_url(root: &Path, page: &Path) -> String {
    let rel = page
        .strip_prefix(root.join("content"))
        .expect("page under content/")
        .with_extension("");
    format!("/{}/", rel.to_string_lossy().replace('\\', "/"))
}

/// Saves like an editor: a hidden temporary file renamed over the page.
fn save(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    fs::write(&tmp, text).expect("write");
    fs::rename(&tmp, path).expect("rename");
}

fn get(addr: SocketAddr, target: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connects");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("sends");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).expect("reads");
    reply
}

struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connects");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        write!(
            stream,
            "GET /__guichet/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
        )
        .expect("sends");
        Events {
            reader: BufReader::new(stream),
        }
    }

    fn wait_for(&mut self, wanted: &str) {
        let expected = format!("event: {wanted}\n");
        let mut line = String::new();
        loop {
            line.clear();
            let n = self
                .reader
                .read_line(&mut line)
                .expect("the stream stays open");
            assert!(n > 0, "the stream ended while waiting for `{wanted}`");
            if line == expected {
                return;
            }
        }
    }
}
