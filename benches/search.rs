//! Search benchmark on a generated 10,000-page French/English knowledge base:
//! index build time (target < 1 s), index size, bytes a browser fetches for a first query
//! including search.js and search.css (target < 150 KB gzipped), and query time.
//!
//! `cargo bench --bench search` (add `-- --pages N` for another size, `-- --build-only RUNS` to
//! time only the index build, for a profiler). With Node installed the
//! browser engine (search.js) is run to list the files a first query fetches; with
//! GUICHET_BENCH_PAGEFIND=1, `python3 -m pagefind` and chromium, Pagefind is measured on the
//! same pages too.

#[path = "search_corpus.rs"]
mod corpus;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::write::GzEncoder;
use guichet::search::{SearchDoc, build_index, query};

/// The allocator of the guichet binary, so that query times are those of `guichet search`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const QUERIES: [&str; 10] = [
    "imprimante hors ligne",
    "imprimnate hors ligne",
    "serveru bloqué",
    "mdp",
    "redemarrer spouleur",
    "0x80070005",
    "mot de passe",
    "config_db.php",
    "printer offline",
    "l'imprimante",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pages = args
        .iter()
        .position(|a| a == "--pages")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let docs = corpus::generate(pages);
    if let Some(runs) = args
        .iter()
        .position(|a| a == "--build-only")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse::<usize>().ok())
    {
        // For profilers: only the index build, `runs` times, nothing written.
        for _ in 0..runs {
            let start = Instant::now();
            let files = build_index(&docs);
            println!(
                "index build: {:.0} ms, {} files",
                ms(start.elapsed()),
                files.len()
            );
        }
        return;
    }
    if let Some(runs) = args
        .iter()
        .position(|a| a == "--queries-only")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse::<usize>().ok())
    {
        // For profilers: the index written once, then each query `runs` times.
        profile_queries(&build_index(&docs), runs);
        return;
    }
    let words: usize = docs
        .iter()
        .flat_map(|d| d.blocks.iter())
        .map(|b| b.text.split_whitespace().count() + b.code.split_whitespace().count())
        .sum();
    println!("corpus: {pages} pages, {words} words of text and code");

    let mut timings = Vec::new();
    let mut cpu = Vec::new();
    let mut files = Vec::new();
    for _ in 0..3 {
        let cpu_start = cpu_time();
        let start = Instant::now();
        files = build_index(&docs);
        timings.push(start.elapsed());
        cpu.push(cpu_time().zip(cpu_start).map(|(end, start)| end - start));
    }
    timings.sort();
    let cpu: Vec<String> = cpu
        .iter()
        .map(|c| c.map_or("?".to_string(), |d| format!("{:.0}", ms(d))))
        .collect();
    println!(
        "index build: wall best {:.0} ms, median {:.0} ms (3 runs, {} threads); CPU time per run {} ms; load average {}",
        ms(timings[0]),
        ms(timings[1]),
        rayon::current_num_threads(),
        cpu.join(" / "),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split(' ')
            .next()
            .unwrap_or("?")
    );

    let site = std::env::temp_dir().join(format!("guichet-bench-search-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&site);
    let mut raw = 0;
    let mut gzipped = 0;
    for (path, bytes) in &files {
        let target = site.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, bytes).unwrap();
        raw += bytes.len();
        gzipped += gzip_len(bytes);
    }
    let fallback: usize = files
        .iter()
        .filter(|(p, _)| p.contains("fallback-"))
        .map(|(_, b)| b.len())
        .sum();
    let fallback_gz: usize = files
        .iter()
        .filter(|(p, _)| p.contains("fallback-"))
        .map(|(_, b)| gzip_len(b))
        .sum();
    let chunks = files.iter().filter(|(p, _)| p.contains("/t/")).count();
    let metas: Vec<(String, usize)> = files
        .iter()
        .filter(|(p, _)| p.ends_with("meta.json"))
        .map(|(p, b)| (p.clone(), gzip_len(b)))
        .collect();
    println!(
        "index size: {} files, {:.1} MB raw, {:.1} MB gzipped (each file gzipped); {chunks} term chunks; \
         file:// fallback scripts {:.1} MB raw, {:.1} MB gzipped",
        files.len(),
        mb(raw),
        mb(gzipped),
        mb(fallback),
        mb(fallback_gz)
    );
    for (path, gz) in &metas {
        println!("  {path}: {:.1} KB gzipped", kb(*gz));
    }

    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/guichet/static");
    let script_gz = gzip_len(&std::fs::read(theme.join("search.js")).unwrap());
    let css_gz = gzip_len(&std::fs::read(theme.join("search.css")).unwrap());
    println!(
        "scripts: search.js {:.1} KB + search.css {:.1} KB gzipped",
        kb(script_gz),
        kb(css_gz)
    );

    println!(
        "queries (Rust query() from the files on disk, median of 5; first-query bytes from search.js run by Node):"
    );
    for q in QUERIES {
        let mut times = Vec::new();
        let mut count = 0;
        for _ in 0..5 {
            let start = Instant::now();
            count = query(&site, q, 10, None).map(|h| h.len()).unwrap_or(0);
            times.push(start.elapsed());
        }
        times.sort();
        let first = first_query_bytes(&site, q).map(|(bytes, n, node_ms)| {
            format!("first query fetches {n} index files, {:.1} KB gzipped with scripts; Node engine {node_ms:.0} ms", kb(bytes + script_gz + css_gz))
        });
        let typing = keystroke_times(&site, q).map_or(String::new(), |(median, p95, max)| {
            format!(
                "; typing it: {median:.1} ms median, {p95:.1} ms p95, {max:.1} ms max per keystroke"
            )
        });
        println!(
            "  {q:<24} {count:>2} hits, Rust {:.1} ms; {}{typing}",
            ms(times[2]),
            first.unwrap_or_else(|| "node not found: first-query bytes not measured".to_string())
        );
    }

    if std::env::var("GUICHET_BENCH_PAGEFIND").as_deref() == Ok("1") {
        pagefind(&docs, timings[0], &site);
    }
    if std::env::var("GUICHET_BENCH_KEEP").as_deref() == Ok("1") {
        println!("index kept in {}", site.display());
    } else {
        let _ = std::fs::remove_dir_all(&site);
    }
}

/// search.js in Node typing `q` one character at a time, chunks already fetched:
/// (median, 95th percentile, max) milliseconds per keystroke.
fn keystroke_times(site: &Path, q: &str) -> Option<(f64, f64, f64)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/query-site.js");
    let output = Command::new("node")
        .arg(script)
        .arg(site)
        .arg("*")
        .arg("--keystrokes")
        .arg(q)
        .output()
        .ok()?;
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    Some((
        value["median"].as_f64()?,
        value["p95"].as_f64()?,
        value["max"].as_f64()?,
    ))
}

/// Runs search.js in Node over the site and sums the gzipped size of every file it read.
/// Writes `files` to a scratch site and runs every query `runs` times, printing the mean.
fn profile_queries(files: &[(String, Vec<u8>)], runs: usize) {
    let site = std::env::temp_dir().join(format!("guichet-bench-queries-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&site);
    for (path, bytes) in files {
        let target = site.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, bytes).unwrap();
    }
    for q in QUERIES {
        let start = Instant::now();
        let cpu_start = cpu_time();
        for _ in 0..runs {
            query(&site, q, 10, None).unwrap();
        }
        let cpu = cpu_time()
            .zip(cpu_start)
            .map_or(f64::NAN, |(end, start)| ms(end - start) / runs as f64);
        // CPU time is what a loaded machine does not inflate (one thread, 10 ms ticks).
        println!(
            "  {q:<24} wall {:.2} ms, CPU {cpu:.2} ms",
            ms(start.elapsed()) / runs as f64
        );
    }
    let _ = std::fs::remove_dir_all(&site);
}

fn first_query_bytes(site: &Path, q: &str) -> Option<(usize, usize, f64)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/query-site.js");
    let output = Command::new("node")
        .env("GUICHET_TRACE_FILES", "1")
        .env("GUICHET_LIMIT", "10")
        .arg(script)
        .arg(site)
        .arg("*")
        .arg(q)
        .output()
        .ok()?;
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    let files: Vec<&str> = value["files"]
        .as_array()?
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    let bytes = files
        .iter()
        .map(|f| gzip_len(&std::fs::read(site.join(f)).unwrap_or_default()))
        .sum();
    Some((bytes, files.len(), value["ms"].as_f64().unwrap_or(0.0)))
}

/// CPU time (user + system) used by this process so far, from /proc (Linux); the machine may
/// be shared, so wall time alone overstates the build time.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn gzip_len(bytes: &[u8]) -> usize {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return bytes.len();
    }
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn kb(bytes: usize) -> f64 {
    bytes as f64 / 1024.0
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Pagefind on the same pages: HTML written with the page text, `python3 -m pagefind` timed,
/// its output size, and the files chromium fetches for a first query with 10 results loaded.
fn pagefind(docs: &[SearchDoc], ours: Duration, our_site: &Path) {
    let site = std::env::temp_dir().join(format!("guichet-bench-pagefind-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&site);
    for doc in docs {
        let dir = site.join(&doc.url);
        std::fs::create_dir_all(&dir).unwrap();
        let body: String = doc
            .blocks
            .iter()
            .map(|b| {
                let heading = if b.anchor.is_empty() {
                    String::new()
                } else {
                    format!("<h2 id=\"{}\">{}</h2>", b.anchor, b.heading)
                };
                let code = if b.code.is_empty() {
                    String::new()
                } else {
                    format!("<pre><code>{}</code></pre>", b.code)
                };
                format!("{heading}<p>{}</p>{code}", b.text)
            })
            .collect();
        let html = format!(
            "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body><main data-pagefind-body><h1>{}</h1>{body}</main></body></html>",
            doc.language, doc.title, doc.title
        );
        std::fs::write(dir.join("index.html"), html).unwrap();
    }
    let start = Instant::now();
    let status = Command::new("python3")
        .args(["-m", "pagefind", "--site"])
        .arg(&site)
        .output();
    let elapsed = start.elapsed();
    match status {
        Ok(o) if o.status.success() => {}
        other => {
            println!("pagefind: not run ({other:?})");
            return;
        }
    }
    let (raw, gz, count) = dir_size(&site.join("pagefind"));
    println!(
        "pagefind: index {:.1} s ({:.0}x our build), {count} files, {:.1} MB raw, {:.1} MB as served",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() / ours.as_secs_f64(),
        mb(raw),
        mb(gz)
    );
    let _ = our_site;
    pagefind_first_query(&site);
    let _ = std::fs::remove_dir_all(&site);
}

fn dir_size(dir: &Path) -> (usize, usize, usize) {
    let mut raw = 0;
    let mut gz = 0;
    let mut count = 0;
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                raw += bytes.len();
                gz += gzip_len(&bytes);
                count += 1;
            }
        }
    }
    (raw, gz, count)
}

/// Loads Pagefind's own JS API in headless chromium, searches, loads 10 results, and lists
/// the resources fetched (Pagefind's index files are already gzipped on disk).
fn pagefind_first_query(site: &Path) {
    let page = "<!doctype html><html><body><pre id=out></pre><script type=module>\n\
        const pagefind = await import('/pagefind/pagefind.js');\n\
        await pagefind.init();\n\
        const q = decodeURIComponent(location.hash.slice(1));\n\
                const search = await pagefind.search(q);\n\
        const data = await Promise.all(search.results.slice(0, 10).map(r => r.data()));\n\
                const files = performance.getEntriesByType('resource').map(e => new URL(e.name).pathname);\n\
        document.getElementById('out').textContent = JSON.stringify({files, n: data.length});\n\
        </script></body></html>";
    std::fs::write(site.join("bench.html"), page).unwrap();
    let base = serve(site.to_path_buf());
    for q in ["imprimante hors ligne", "0x80070005", "printer offline"] {
        // Under --virtual-time-budget the page is sometimes dumped before Pagefind's WebAssembly
        // has answered: try a few times.
        let Some(value) = (0..4).find_map(|_| pagefind_run(&base, q)) else {
            println!("  pagefind {q:<22} no answer from chromium");
            continue;
        };
        let files: Vec<&str> = value["files"]
            .as_array()
            .map(|a| a.iter().filter_map(|f| f.as_str()).collect())
            .unwrap_or_default();
        let bytes: usize = files
            .iter()
            .map(|f| {
                gzip_len(&std::fs::read(site.join(f.trim_start_matches('/'))).unwrap_or_default())
            })
            .sum();
        println!(
            "  pagefind {q:<22} {} results loaded, {} files fetched, {:.1} KB gzipped",
            value["n"],
            files.len(),
            kb(bytes),
        );
    }
}

/// One chromium run of bench.html for `q`: the page's JSON report, when it finished.
fn pagefind_run(base: &str, q: &str) -> Option<serde_json::Value> {
    let profile =
        std::env::temp_dir().join(format!("guichet-bench-chromium-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=30000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("{base}bench.html#{}", q.replace(' ', "%20")))
        .output()
        .ok()?;
    let _ = std::fs::remove_dir_all(&profile);
    let dom = String::from_utf8_lossy(&output.stdout);
    let json = dom
        .split("<pre id=\"out\">")
        .nth(1)?
        .split("</pre>")
        .next()?;
    let value: serde_json::Value = serde_json::from_str(&json.replace("&quot;", "\"")).ok()?;
    value["n"].is_number().then_some(value)
}

/// A static file server on 127.0.0.1 for chromium (no compression; sizes are computed apart).
fn serve(site: PathBuf) -> String {
    use std::io::{BufRead, BufReader};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let site = site.clone();
            std::thread::spawn(move || {
                let mut line = String::new();
                let _ = BufReader::new(&stream).read_line(&mut line);
                let path = line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .split(['?', '#'])
                    .next()
                    .unwrap_or("/")
                    .to_string();
                let file = site.join(path.trim_start_matches('/'));
                let body = std::fs::read(&file).unwrap_or_default();
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html",
                    Some("js") => "text/javascript",
                    Some("wasm") => "application/wasm",
                    _ => "application/octet-stream",
                };
                let header = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(header.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    format!("http://{address}/")
}
