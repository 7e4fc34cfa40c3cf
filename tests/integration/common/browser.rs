//! Driving headless Chromium over a built site: a static HTTP server on loopback, and one
//! browser run per page that returns the DOM once the page has settled.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::TempSite;

/// Serves `site` on 127.0.0.1 until the test process ends; returns the base URL.
pub fn serve(site: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let site = site.clone();
            std::thread::spawn(move || respond(stream, &site));
        }
    });
    format!("http://{address}/")
}

fn respond(mut stream: TcpStream, site: &Path) {
    let mut line = String::new();
    if BufReader::new(&stream).read_line(&mut line).is_err() {
        return;
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut file = site.join(path.trim_start_matches('/'));
    if path.split('/').any(|s| s == "..") {
        file = site.join("missing");
    }
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, body) = match std::fs::read(&file) {
        Ok(body) => ("200 OK", body),
        Err(_) => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    let _ = stream.write_all(&body);
}

/// How the browser shows a page.
#[derive(Debug, Clone, Copy)]
pub struct View {
    /// The window's width in CSS pixels (headless Chromium's narrowest is 500).
    pub width: u32,
    /// `prefers-color-scheme: dark`.
    pub dark: bool,
}

/// Opens `url` in headless Chromium as `view` says, with a profile of its own, and returns
/// the DOM once the page has settled.
pub fn dump_dom(browser: &Path, url: &str, view: View) -> String {
    let profile = TempSite::new(&[]);
    std::fs::create_dir_all(&profile.root).unwrap();
    let mut command = Command::new(browser);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--allow-file-access-from-files",
        "--virtual-time-budget=15000",
        "--timeout=30000",
    ]);
    command.arg(format!("--window-size={},900", view.width));
    if view.dark {
        command.arg("--force-dark-mode");
    }
    let output = command
        .arg(format!("--user-data-dir={}", profile.root.display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).to_string()
}

/// The JSON a test driver wrote into `<pre id="test-output">`.
pub fn driver_result(dom: &str) -> serde_json::Value {
    let start = dom
        .find("<pre id=\"test-output\">")
        .unwrap_or_else(|| panic!("no driver output in:\n{dom}"));
    let rest = &dom[start + "<pre id=\"test-output\">".len()..];
    let json = &rest[..rest.find("</pre>").unwrap()];
    let json = json
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(value.get("error").is_none(), "driver error: {value}");
    value
}

/// Builds the site at `source` into `out`, then copies the test driver `driver` (a file of
/// tests/fixtures/) into its static folder and loads it from each page of `pages`; returns `out`.
pub fn built_with_driver(source: &Path, out: PathBuf, driver: &str, pages: &[&str]) -> PathBuf {
    let mut options = guichet::build::BuildOptions::new(source);
    options.out = Some(out.clone());
    guichet::build::build(&options)
        .map_err(|d| d.to_string())
        .unwrap();
    std::fs::copy(
        super::repo(&format!("tests/fixtures/{driver}")),
        out.join("static").join(driver),
    )
    .unwrap();
    for page in pages {
        let file = out.join(page);
        let depth = page.matches('/').count();
        let html = std::fs::read_to_string(&file).unwrap().replacen(
            "</head>",
            &format!(
                "<script src=\"{}static/{driver}\" defer></script>\n</head>",
                "../".repeat(depth)
            ),
            1,
        );
        std::fs::write(&file, html).unwrap();
    }
    out
}
