//! Helpers shared by the integration tests: throw-away sites and output crawling.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A site in a fresh temporary folder, removed on drop.
pub struct TempSite {
    /// The site root.
    pub root: PathBuf,
}

impl TempSite {
    /// A site whose files are `(path, text)` pairs.
    pub fn new(files: &[(&str, &str)]) -> TempSite {
        static N: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "guichet-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&root);
        for (path, text) in files {
            let p = root.join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        TempSite { root }
    }

    /// Writes or replaces one file.
    pub fn write(&self, path: &str, text: &str) {
        let p = self.root.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// The output folder.
    pub fn out(&self) -> PathBuf {
        self.root.join("site")
    }
}

impl Drop for TempSite {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(base, &p, out);
        } else {
            out.insert(
                p.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                fs::read(&p).unwrap(),
            );
        }
    }
}

/// Internal links (`href`/`src`) of every HTML file that do not resolve to a file of the
/// output, as `page -> link` strings. `#anchors` are checked against the target's ids.
pub fn broken_links(out: &Path) -> Vec<String> {
    let files = snapshot(out);
    let mut broken = Vec::new();
    for (path, bytes) in &files {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for link in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if link.contains("://")
                || link.starts_with("mailto:")
                || link.starts_with("data:")
                || link.starts_with("tel:")
            {
                continue;
            }
            let (file_part, anchor) = link
                .split_once('#')
                .map(|(a, b)| (a.to_string(), Some(b.to_string())))
                .unwrap_or((link.clone(), None));
            let target = if file_part.is_empty() {
                path.clone()
            } else {
                resolve(path, &file_part)
            };
            let target = if target.ends_with('/') || target.is_empty() {
                format!("{target}index.html")
            } else {
                target
            };
            match files.get(&target) {
                None => broken.push(format!("{path} -> {link}")),
                Some(t) => {
                    if let Some(a) = anchor.filter(|a| !a.is_empty()) {
                        let text = String::from_utf8_lossy(t);
                        if !text.contains(&format!("id=\"{a}\"")) {
                            broken.push(format!("{path} -> {link} (anchor)"));
                        }
                    }
                }
            }
        }
    }
    broken
}

fn resolve(from: &str, link: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut s = parts.join("/");
    if link.ends_with('/') {
        s.push('/');
    }
    s
}

/// The values of `name="…"` attributes in `html`, unescaped for `&amp;`.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}
