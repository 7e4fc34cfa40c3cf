//! Helpers for the tests of `guichet serve`: a real server on a free loopback port, requests
//! over raw TCP (so no client normalises the paths sent), its live-reload stream, sources saved
//! the way editors save them, and what `guichet build` writes for the same sources.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::TempSite;
use guichet::build::{BuildOptions, build};
use guichet::diagnostics::Diagnostics;
use guichet::serve::{BuildHold, ServeEvent, ServeOptions, Server};

/// Generous: the machine is shared, and a slow run must not fail a correct server.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Options serving `site` on a free loopback port.
pub fn options(site: &TempSite) -> ServeOptions {
    let mut options = ServeOptions::new(&site.root);
    options.port = 0;
    options
}

/// Serves `site` on a free loopback port, its events ignored. The first build is done when
/// this returns; the server stops on [`Server::shutdown`] or when dropped.
pub fn start(site: &TempSite) -> Server {
    start_with(options(site), |_| {})
}

/// Starts a server with `options`, `on_event` receiving its build events.
pub fn start_with(
    options: ServeOptions,
    on_event: impl Fn(ServeEvent) + Send + Sync + 'static,
) -> Server {
    Server::start(options, on_event).expect("server starts")
}

/// Serves `site` on a free loopback port; its build events arrive on the returned channel,
/// the first build's already taken ([`ServeEvent::SourcesRead`] notices left out).
pub fn start_with_events(site: &TempSite) -> (Server, mpsc::Receiver<ServeEvent>) {
    let (server, rx, _, _) = start_with_sources_read(site);
    (server, rx)
}

/// [`start_with_events`], with a second channel that receives a `()` each time a background
/// full build has read the sources ([`ServeEvent::SourcesRead`]), and the server's
/// [`BuildHold`] (released) to keep the background builds' results back.
pub fn start_with_sources_read(
    site: &TempSite,
) -> (
    Server,
    mpsc::Receiver<ServeEvent>,
    mpsc::Receiver<()>,
    BuildHold,
) {
    let (tx, rx) = mpsc::channel();
    let (read_tx, read_rx) = mpsc::channel();
    let hold = BuildHold::default();
    let server = start_with(
        ServeOptions {
            build_hold: hold.clone(),
            ..options(site)
        },
        move |e| {
            let _ = match e {
                ServeEvent::SourcesRead => read_tx.send(()).map_err(|_| ()),
                e => tx.send(e).map_err(|_| ()),
            };
        },
    );
    assert!(matches!(
        rx.recv_timeout(PATIENCE),
        Ok(ServeEvent::Built { .. })
    ));
    (server, rx, read_rx, hold)
}

/// A reply: status, headers (names in lower case) and body.
pub struct Reply {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The header `name` (any case), or "" when absent.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on its own connection; the target is sent byte for byte.
pub fn request(addr: SocketAddr, method: &str, target: &str, extra: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("reads the reply");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

pub fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target, &[])
}

/// The live-reload script the server puts in an HTML page (`<script …>…</script>\n`).
pub fn live_reload_script(html: &str) -> &str {
    let start = html
        .find("<script data-guichet-live-reload>")
        .expect("a live-reload script");
    let len = html[start..].find("</script>\n").unwrap() + "</script>\n".len();
    &html[start..start + len]
}

/// The live-reload stream of one tab, read event by event.
pub struct Events {
    reader: BufReader<TcpStream>,
    /// The site generation the `hello` event gave when the tab connected.
    pub generation: String,
}

impl Events {
    /// Connects like a tab and waits for the server's `hello`.
    pub fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
            .write_all(format!("GET /__guichet/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert_eq!(line, "HTTP/1.1 200 OK\r\n");
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
        }
        let mut events = Events {
            reader,
            generation: String::new(),
        };
        events.generation = events.wait_for("hello");
        events
    }

    /// The next event as (name, data); None when the stream ends or none comes in time
    /// (keep-alive comments do not count as events).
    pub fn next(&mut self) -> Option<(String, String)> {
        let (mut name, mut data) = (String::new(), Vec::new());
        let started = Instant::now();
        loop {
            if started.elapsed() > PATIENCE {
                return None;
            }
            let mut line = String::new();
            if self.reader.read_line(&mut line).ok()? == 0 {
                return None;
            }
            let line = line.trim_end_matches('\n');
            if line.is_empty() {
                if !name.is_empty() {
                    return Some((name, data.join("\n")));
                }
                continue;
            }
            if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data.push(v.to_string());
            }
        }
    }

    /// Skips events until one named `wanted` and returns its data; panics on timeout or end
    /// of stream.
    pub fn wait_for(&mut self, wanted: &str) -> String {
        let started = Instant::now();
        while started.elapsed() < PATIENCE {
            match self.next() {
                Some((name, data)) if name == wanted => return data,
                Some(_) => {}
                None => panic!("no `{wanted}` event: the stream ended or stayed silent"),
            }
        }
        panic!("no `{wanted}` event within {PATIENCE:?}");
    }
}

/// Replaces a source the way most editors save: a hidden temporary file renamed over the
/// original, so the watcher never sees a half-written file whatever the machine's load.
pub fn save(site: &TempSite, rel: &str, text: &str) {
    let path = site.root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

/// Runs `guichet build` on the sources of `site` into a fresh folder of its own, to compare
/// with what is served; returns that folder.
pub fn build_for_comparison(site: &TempSite) -> Result<PathBuf, Diagnostics> {
    let out = site.root.join("build-for-comparison");
    let _ = std::fs::remove_dir_all(&out);
    build(&BuildOptions {
        out: Some(out.clone()),
        ..BuildOptions::new(&site.root)
    })
    .map(|_| out)
}

/// The file `rel` as `guichet build` writes it for the sources of `site`.
pub fn built_file(site: &TempSite, rel: &str) -> Vec<u8> {
    let out = build_for_comparison(site).expect("builds");
    std::fs::read(out.join(rel)).unwrap()
}
