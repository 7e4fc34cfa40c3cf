//! The `external-links` rule (`--external`): every distinct http(s) link of the pages is
//! requested once, HEAD first and GET when HEAD is refused (many servers answer 405 or 404 to
//! HEAD), by a few threads at a time, each request with a timeout. Links that answered are
//! remembered for a week in a cache file at the site root, outside the output folder, so the
//! next run only requests the new ones and those that failed.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::scan::PageScan;
use super::{Finding, Lines, finding};
use crate::diagnostics::Severity;
use crate::site::Site;

const RULE: &str = "external-links";

/// The cache of links that answered, at the site root.
pub const LINK_CACHE_FILE: &str = ".guichet-links.json";

/// How long a link that answered is not requested again.
const CACHE_FOR: Duration = Duration::from_secs(7 * 24 * 3600);

/// Requests in flight at once.
const PARALLEL: usize = 8;

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Checks every external link; returns the broken ones and a note on the counts.
pub(crate) fn check(
    site: &Site,
    scans: &[PageScan],
    cache_file: &Path,
) -> (Vec<Finding>, Vec<String>) {
    // URL → where it is written (file index, offset).
    let mut links: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (index, scan) in scans.iter().enumerate() {
        for link in &scan.links {
            if link.dest.starts_with("http://") || link.dest.starts_with("https://") {
                links
                    .entry(link.dest.clone())
                    .or_default()
                    .push((index, link.offset));
            }
        }
    }
    let now = now_secs();
    let mut cache = read_cache(cache_file);
    cache.retain(|_, at| now.saturating_sub(*at) < CACHE_FOR.as_secs());
    let to_check: Vec<&String> = links.keys().filter(|u| !cache.contains_key(*u)).collect();
    let results = request_all(&to_check);
    let mut found = Vec::new();
    for (url, result) in to_check.iter().zip(results) {
        match result {
            Ok(()) => {
                cache.insert((*url).clone(), now);
            }
            Err(why) => {
                for &(index, offset) in &links[*url] {
                    let page = &site.pages[index];
                    let lines = Lines::new(&page.source.text);
                    found.push(
                        finding(
                            RULE,
                            Severity::Error,
                            &page.source.file,
                            &lines,
                            offset,
                            format!("broken external link `{url}`: {why}"),
                        )
                        .with_help("correct the address, or link to a page that exists"),
                    );
                }
            }
        }
    }
    let mut notes = vec![format!(
        "{} external link(s): {} requested, {} answered earlier ({LINK_CACHE_FILE})",
        links.len(),
        to_check.len(),
        links.len() - to_check.len()
    )];
    if let Err(e) = write_cache(cache_file, &cache) {
        notes.push(format!("cannot write {}: {e}", cache_file.display()));
    }
    (found, notes)
}

/// Requests every URL, `PARALLEL` at a time; each result in the order of `urls`.
fn request_all(urls: &[&String]) -> Vec<Result<(), String>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .user_agent(concat!("guichet-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let next = Mutex::new(0usize);
    let results = Mutex::new(vec![Ok(()); urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL.min(urls.len()) {
            scope.spawn(|| {
                loop {
                    let i = {
                        let Ok(mut n) = next.lock() else { return };
                        *n += 1;
                        *n - 1
                    };
                    let Some(url) = urls.get(i) else { return };
                    let result = request(&agent, url);
                    if let Ok(mut all) = results.lock() {
                        all[i] = result;
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// HEAD, then GET when HEAD does not succeed.
fn request(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    let status = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| {
        r.map(|r| r.status().as_u16()).map_err(|e| e.to_string())
    };
    match status(agent.head(url).call()) {
        Ok(code) if code < 400 => Ok(()),
        _ => match status(agent.get(url).call()) {
            Ok(code) if code < 400 => Ok(()),
            Ok(code) => Err(format!("HTTP {code}")),
            Err(e) => Err(e),
        },
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The cache, or an empty one when it is missing or unreadable (it is only a cache).
fn read_cache(path: &Path) -> BTreeMap<String, u64> {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn write_cache(path: &Path, cache: &BTreeMap<String, u64>) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(cache).map_err(std::io::Error::other)?;
    std::fs::write(path, text + "\n")
}
