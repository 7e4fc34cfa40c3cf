//! Answering requests from the in-memory copy of the site: URL decoding and path safety,
//! content types, ETag and 304, folder index pages, trailing-slash redirects and the 404 page.
//!
//! Files are looked up in a map built from the output folder, never on disk, so no request
//! path can reach a file outside the site: a path that decodes to `..`, an encoded slash, a
//! backslash or a NUL byte is refused before the lookup, and anything else is just a key the
//! map does not have.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{DefaultHasher, Hasher};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// One file of the site, held in memory.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The file's bytes, shared between concurrent responses.
    pub bytes: Arc<[u8]>,
    /// A strong validator derived from the bytes, quoted as sent in the `ETag` header.
    pub etag: String,
}

impl Entry {
    /// An entry for `bytes`, with its ETag.
    pub fn new(bytes: Vec<u8>) -> Entry {
        let mut hasher = DefaultHasher::new();
        hasher.write(&bytes);
        let etag = format!("\"{:016x}-{:x}\"", hasher.finish(), bytes.len());
        Entry {
            bytes: bytes.into(),
            etag,
        }
    }
}

/// Every file of a built site, by `/`-separated path relative to the output folder.
#[derive(Debug, Clone, Default)]
pub(crate) struct SiteFiles {
    /// Path → file.
    pub files: BTreeMap<String, Entry>,
}

impl SiteFiles {
    /// Reads every regular file under `dir` but the list of its files that the build keeps
    /// at its root ([`crate::output::MANIFEST`], which holds each file's hash: it is no page
    /// of the site, and it would make a stylesheet's edit look like more). Symbolic links are
    /// skipped: the site served is exactly the files the build wrote, never what a link
    /// points at.
    pub fn load(dir: &Path) -> std::io::Result<SiteFiles> {
        let mut files = BTreeMap::new();
        read_tree(dir, "", &mut files)?;
        Ok(SiteFiles { files })
    }

    /// The file at `key`, if the site has it.
    pub(crate) fn get(&self, key: &str) -> Option<&Entry> {
        self.files.get(key)
    }

    /// The paths whose bytes differ between `self` and `newer`, including added and removed
    /// files, in sorted order.
    pub(crate) fn changed_paths(&self, newer: &SiteFiles) -> Vec<String> {
        let mut changed: Vec<String> = newer
            .files
            .iter()
            .filter(|(k, e)| self.files.get(*k).is_none_or(|old| old.etag != e.etag))
            .map(|(k, _)| k.clone())
            .collect();
        changed.extend(
            self.files
                .keys()
                .filter(|k| !newer.files.contains_key(*k))
                .cloned(),
        );
        changed.sort();
        changed
    }
}

fn read_tree(dir: &Path, prefix: &str, into: &mut BTreeMap<String, Entry>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let kind = entry.file_type()?;
        if rel == crate::output::MANIFEST {
            continue;
        }
        if kind.is_dir() {
            read_tree(&entry.path(), &rel, into)?;
        } else if kind.is_file() {
            into.insert(rel, Entry::new(fs::read(entry.path())?));
        }
    }
    Ok(())
}

/// The `Content-Type` of a file, from its extension; text types carry `charset=utf-8`.
/// Source files shown on pages (PHP, YAML, Markdown) are served as plain text so a browser
/// displays them instead of running or downloading them.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "php" | "yaml" | "yml" | "md" | "ini" | "conf" | "log" | "sh" | "sql" => {
            "text/plain; charset=utf-8"
        }
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Why a request path was refused before any lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BadPath {
    /// Not an origin-form path starting with `/`.
    NotAbsolute,
    /// A `%` not followed by two hex digits.
    BadEscape,
    /// Decoded bytes that are not UTF-8.
    NotUtf8,
    /// A `..` or `.` segment, literal or encoded.
    DotSegment,
    /// `%2f`, a backslash or a NUL byte inside a segment.
    ForbiddenByte,
    /// `//` inside the path.
    EmptySegment,
}

/// A request path split into decoded segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequestPath {
    /// The decoded segments, none empty.
    pub segments: Vec<String>,
    /// True when the path ends with `/` (or is `/`).
    pub trailing_slash: bool,
    /// The path as received, before decoding, without the query.
    pub raw: String,
    /// The query string with its `?`, or empty.
    pub query: String,
}

/// Splits a request target (`/a/b%20c/?x=1`) into decoded segments, refusing anything that
/// could name a file outside the site. Decoding happens once, per segment, so `%252e` stays
/// the literal text `%2e` and `%2f` can never become a separator.
pub(crate) fn parse_path(target: &str) -> Result<RequestPath, BadPath> {
    let (without_fragment, _) = target.split_once('#').unwrap_or((target, ""));
    let (raw, query) = match without_fragment.find('?') {
        Some(i) => (&without_fragment[..i], &without_fragment[i..]),
        None => (without_fragment, ""),
    };
    let Some(rest) = raw.strip_prefix('/') else {
        return Err(BadPath::NotAbsolute);
    };
    if raw.contains('\\') {
        return Err(BadPath::ForbiddenByte);
    }
    let mut parts: Vec<&str> = rest.split('/').collect();
    let trailing_slash = parts.last() == Some(&"");
    if trailing_slash {
        parts.pop();
    }
    let mut segments = Vec::with_capacity(parts.len());
    for part in parts {
        if part.is_empty() {
            return Err(BadPath::EmptySegment);
        }
        let bytes = percent_decode(part)?;
        if bytes.iter().any(|&b| b == b'/' || b == b'\\' || b == 0) {
            return Err(BadPath::ForbiddenByte);
        }
        let segment = String::from_utf8(bytes).map_err(|_| BadPath::NotUtf8)?;
        if segment == "." || segment == ".." {
            return Err(BadPath::DotSegment);
        }
        segments.push(segment);
    }
    Ok(RequestPath {
        segments,
        trailing_slash,
        raw: raw.to_string(),
        query: query.to_string(),
    })
}

fn percent_decode(part: &str) -> Result<Vec<u8>, BadPath> {
    crate::escape::percent_decode(part).ok_or(BadPath::BadEscape)
}

/// What to answer to a GET or HEAD.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Route {
    /// A file of the site, by its key in [`SiteFiles`].
    File(String),
    /// A permanent redirect to this location (folder URL without its slash, or the base path).
    Redirect(String),
    /// No such file: the site's 404 page with status 404.
    NotFound,
    /// A path refused before lookup.
    BadRequest(BadPath),
}

/// Decides what `target` names in `files`, for a site published under `base_path`
/// (`/` or `/portfolio/`): files directly, `index.html` for folders, a redirect for a folder
/// URL without its trailing slash and for the root of a sub-path site.
pub(crate) fn route(target: &str, base_path: &str, files: &SiteFiles) -> Route {
    let path = match parse_path(target) {
        Ok(p) => p,
        Err(e) => return Route::BadRequest(e),
    };
    let base: Vec<&str> = base_path.split('/').filter(|s| !s.is_empty()).collect();
    let starts_with_base =
        path.segments.len() >= base.len() && path.segments.iter().zip(&base).all(|(a, b)| a == b);
    if !starts_with_base {
        if path.segments.is_empty() {
            return Route::Redirect(format!("{base_path}{}", path.query));
        }
        return Route::NotFound;
    }
    if !base.is_empty() && path.segments.len() == base.len() && !path.trailing_slash {
        return Route::Redirect(format!("{base_path}{}", path.query));
    }
    let key = path.segments[base.len()..].join("/");
    if path.trailing_slash || key.is_empty() {
        let index = if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        };
        return if files.get(&index).is_some() {
            Route::File(index)
        } else {
            Route::NotFound
        };
    }
    if files.get(&key).is_some() {
        return Route::File(key);
    }
    if files.get(&format!("{key}/index.html")).is_some() {
        return Route::Redirect(format!("{}/{}", path.raw, path.query));
    }
    Route::NotFound
}

/// True when an `If-None-Match` header value names `etag` (or is `*`). Weak validators match
/// too: the comparison for GET is the weak one (RFC 9110, 13.1.2).
pub(crate) fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    let bare = etag.trim_start_matches("W/");
    if_none_match
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == bare)
}

/// Inserts `snippet` just before the first `</head>` of `html` (case-insensitive), or at the
/// start of the document when it has no head.
pub fn inject_before_head_end(html: &[u8], snippet: &str) -> Vec<u8> {
    let at = find_ascii_case_insensitive(html, b"</head>").unwrap_or(0);
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_ascii_case_insensitive(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// What the request handler needs from the site being served.
pub(crate) struct Served<'a> {
    /// The files of the last good build.
    pub files: &'a SiteFiles,
    /// Where the site lives in URLs: `/` or `/portfolio/`.
    pub base_path: &'a str,
    /// Put before `</head>` of every HTML response; part of HTML ETags, so a page from another
    /// generation is never answered 304.
    pub snippet: &'a str,
    /// The generation of `files`, mixed into HTML ETags.
    pub generation: &'a str,
    /// False until a build succeeded: every page is then a placeholder that shows the overlay.
    pub built: bool,
}

/// The most header bytes a request may carry (request line included): browsers send a few
/// hundred; anything far larger is refused before it is looked at.
pub(crate) const MAX_HEADER_BYTES: usize = 16 * 1024;
/// The largest body a request may announce: the server only answers GET and HEAD, which
/// carry none.
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024;

/// Refuses a request whose header or announced body is larger than the limits, with 431 or
/// 413, before anything is looked up. (tiny_http reads a request's header whole before
/// guichet sees it: the limit decides the answer, not what that one request held in memory.)
fn oversized(request: &tiny_http::Request) -> Option<Reply> {
    let header_bytes = request.url().len()
        + request
            .headers()
            .iter()
            .map(|h| h.field.as_str().as_str().len() + h.value.as_str().len() + 4)
            .sum::<usize>();
    let status = if header_bytes > MAX_HEADER_BYTES {
        431
    } else if request.body_length().is_some_and(|n| n > MAX_BODY_BYTES) {
        413
    } else {
        return None;
    };
    Some(plain(status, "request too large"))
}

/// Answers a GET or HEAD for a site file (anything but the event stream).
pub(crate) fn answer(request: tiny_http::Request, served: &Served) {
    if let Some(refusal) = oversized(&request) {
        refusal.send(request);
        return;
    }
    let method = request.method().clone();
    if !matches!(method, tiny_http::Method::Get | tiny_http::Method::Head) {
        let mut response = plain(405, "method not allowed");
        response.headers.push(header("Allow", "GET, HEAD"));
        response.send(request);
        return;
    }
    let if_none_match = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("If-None-Match"))
        .map(|h| h.value.as_str().to_string());
    let response = match route(request.url(), served.base_path, served.files) {
        Route::File(key) => match served.files.get(&key) {
            Some(entry) => file_response(&key, entry, 200, if_none_match.as_deref(), served),
            None => not_found(served),
        },
        Route::Redirect(location) => redirect(&location),
        Route::NotFound => not_found(served),
        Route::BadRequest(why) => plain(400, &format!("bad request path: {why:?}")),
    };
    response.send(request);
}

/// A response; a kept-alive connection is closed after it.
///
/// tiny_http gives each kept-alive connection a thread of its pool for as long as the browser
/// keeps it open, and when a browser opens more connections at once than the pool has idle
/// threads, a wake-up can be lost: one connection's request then waits until another
/// connection closes, and the page never finishes loading (seen with ten style sheets and
/// scripts: one in three loads of a fresh server hung). With `Connection: close` each
/// connection's task ends with its request, so a queued one is taken at once; on loopback a
/// new connection per file costs nothing that matters.
pub(crate) struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    /// Writes the response. tiny_http will not send `Connection: close` itself, so a
    /// kept-alive request is answered by hand; a request that asked to close, came with a
    /// body, or is HTTP/1.0 is answered by tiny_http, which then closes the connection.
    fn send(self, request: tiny_http::Request) {
        if closes_by_itself(&request) {
            let _ = request.respond(self.into_tiny_http());
            return;
        }
        let head_only = *request.method() == tiny_http::Method::Head;
        let reason = tiny_http::StatusCode(self.status).default_reason_phrase();
        let mut wire = format!("HTTP/1.1 {} {reason}\r\n", self.status);
        for (name, value) in &self.headers {
            wire.push_str(&format!("{name}: {value}\r\n"));
        }
        wire.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        let mut bytes = wire.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        let mut writer = request.into_writer();
        // A client that went away is not an error of the server's.
        let _ = writer.write_all(&bytes).and_then(|()| writer.flush());
    }

    /// The same response for tiny_http to write, with a `Content-Length` whatever its size
    /// (tiny_http switches to chunked encoding above 32 KiB otherwise, and a HEAD answer would
    /// then have no length).
    fn into_tiny_http(self) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
        let headers = self
            .headers
            .iter()
            .filter_map(|(n, v)| tiny_http::Header::from_bytes(n.as_bytes(), v.as_bytes()).ok())
            .collect();
        let len = self.body.len();
        tiny_http::Response::new(
            tiny_http::StatusCode(self.status),
            headers,
            std::io::Cursor::new(self.body),
            Some(len),
            None,
        )
        .with_chunked_threshold(usize::MAX)
    }
}

/// True when tiny_http closes the connection after answering `request` anyway.
fn closes_by_itself(request: &tiny_http::Request) -> bool {
    let asked = request.headers().iter().any(|h| {
        h.field.equiv("Connection") && h.value.as_str().to_ascii_lowercase().contains("close")
    });
    asked
        || request.body_length().is_some_and(|n| n > 0)
        || *request.http_version() == tiny_http::HTTPVersion(1, 0)
}

fn file_response(
    key: &str,
    entry: &Entry,
    status: u16,
    if_none_match: Option<&str>,
    served: &Served,
) -> Reply {
    let kind = content_type(key);
    let html = kind.starts_with("text/html");
    let etag = if html {
        format!(
            "{}-{}\"",
            entry.etag.trim_end_matches('"'),
            served.generation
        )
    } else {
        entry.etag.clone()
    };
    if status == 200 && if_none_match.is_some_and(|v| etag_matches(v, &etag)) {
        return sized(
            304,
            vec![header("ETag", &etag), header("Cache-Control", "no-cache")],
            Vec::new(),
        );
    }
    let body = if html {
        inject_before_head_end(&entry.bytes, served.snippet)
    } else {
        entry.bytes.to_vec()
    };
    let mut headers = vec![
        header("Content-Type", kind),
        header("Cache-Control", "no-cache"),
        header("X-Content-Type-Options", "nosniff"),
    ];
    if status == 200 {
        headers.push(header("ETag", &etag));
    }
    sized(status, headers, body)
}

fn not_found(served: &Served) -> Reply {
    if let Some(entry) = served.files.get("404.html") {
        return file_response("404.html", entry, 404, None, served);
    }
    let (status, text) = if served.built {
        (404, "404: no such page in this site.")
    } else {
        (
            503,
            "The site has not been built yet: fix the errors shown in the terminal and in this page.",
        )
    };
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>guichet</title></head><body><p>{text}</p></body></html>"
    );
    sized(
        status,
        vec![
            header("Content-Type", "text/html; charset=utf-8"),
            header("Cache-Control", "no-cache"),
        ],
        inject_before_head_end(page.as_bytes(), served.snippet),
    )
}

fn redirect(location: &str) -> Reply {
    // The location goes out as a header line: anything but visible ASCII (a line break, a
    // control character, a space) is refused rather than written.
    if !location.bytes().all(|b| b.is_ascii_graphic()) {
        return plain(400, "bad request path");
    }
    sized(
        308,
        vec![
            header("Location", location),
            header("Content-Type", "text/plain; charset=utf-8"),
        ],
        format!("moved to {location}\n").into_bytes(),
    )
}

fn plain(status: u16, text: &str) -> Reply {
    sized(
        status,
        vec![header("Content-Type", "text/plain; charset=utf-8")],
        format!("{text}\n").into_bytes(),
    )
}

/// A response with its status, headers and body (its `Content-Length` is added on sending).
fn sized(status: u16, headers: Vec<(&'static str, String)>, body: Vec<u8>) -> Reply {
    Reply {
        status,
        headers,
        body,
    }
}

fn header(name: &'static str, value: &str) -> (&'static str, String) {
    // Only called with names and values built here (content types, quoted hex ETags, checked
    // redirect locations): request text never reaches a header unchecked.
    (name, value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(keys: &[&str]) -> SiteFiles {
        SiteFiles {
            files: keys
                .iter()
                .map(|k| (k.to_string(), Entry::new(k.as_bytes().to_vec())))
                .collect(),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: std::env::var("GUICHET_PROPTEST_CASES")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(256),
            failure_persistence: None,
            ..Default::default()
        })]

        /// Whatever the request target, the server answers with a file of the site or
        /// nothing, and a parsed path never holds a segment that climbs or a separator.
        #[test]
        fn any_request_target_stays_inside_the_site(
            target in proptest::string::string_regex(
                "(/|%2[eEfF]|%5[cC]|%00|\\.|\\.\\.|\\\\|a|é|index\\.html|\\?|#|%|[\\x00-\\x7f]){0,24}"
            ).unwrap(),
            base in proptest::sample::select(vec!["/", "/portfolio/"]),
        ) {
            let s = site(&["index.html", "a/index.html", "a/b.png", "404.html"]);
            match route(&target, base, &s) {
                Route::File(key) => proptest::prop_assert!(s.files.contains_key(&key)),
                Route::Redirect(to) => proptest::prop_assert!(to.starts_with('/') && !to.starts_with("//")),
                Route::NotFound | Route::BadRequest(_) => {}
            }
            if let Ok(path) = parse_path(&target) {
                for segment in &path.segments {
                    proptest::prop_assert!(segment != "." && segment != ".." && !segment.is_empty());
                    proptest::prop_assert!(!segment.contains(['/', '\\', '\0']));
                }
            }
        }
    }

    #[test]
    fn routes_files_folders_and_redirects() {
        let s = site(&["index.html", "a/index.html", "a/b.png", "404.html"]);
        assert_eq!(route("/", "/", &s), Route::File("index.html".into()));
        assert_eq!(route("/a/", "/", &s), Route::File("a/index.html".into()));
        assert_eq!(
            route("/a/b.png?x=1", "/", &s),
            Route::File("a/b.png".into())
        );
        assert_eq!(route("/a?x=1", "/", &s), Route::Redirect("/a/?x=1".into()));
        assert_eq!(route("/a/b.png/", "/", &s), Route::NotFound);
        assert_eq!(route("/zz", "/", &s), Route::NotFound);
        assert_eq!(route("/%61/", "/", &s), Route::File("a/index.html".into()));
    }

    #[test]
    fn routes_under_a_base_path() {
        let s = site(&["index.html", "a/index.html"]);
        let base = "/portfolio/";
        assert_eq!(route("/", base, &s), Route::Redirect("/portfolio/".into()));
        assert_eq!(
            route("/portfolio", base, &s),
            Route::Redirect("/portfolio/".into())
        );
        assert_eq!(
            route("/portfolio/", base, &s),
            Route::File("index.html".into())
        );
        assert_eq!(
            route("/portfolio/a/", base, &s),
            Route::File("a/index.html".into())
        );
        assert_eq!(route("/a/", base, &s), Route::NotFound);
    }

    #[test]
    fn refuses_every_way_out() {
        let bad = |t: &str| match route(t, "/", &site(&["index.html"])) {
            Route::BadRequest(e) => Some(e),
            _ => None,
        };
        assert_eq!(bad("/../etc/passwd"), Some(BadPath::DotSegment));
        assert_eq!(
            bad("/a/%2e%2e/%2e%2e/etc/passwd"),
            Some(BadPath::DotSegment)
        );
        assert_eq!(bad("/%2E%2E/x"), Some(BadPath::DotSegment));
        assert_eq!(bad("/a%2f..%2fb"), Some(BadPath::ForbiddenByte));
        assert_eq!(bad("/a%5c..%5cb"), Some(BadPath::ForbiddenByte));
        assert_eq!(bad("/..\\etc"), Some(BadPath::ForbiddenByte));
        assert_eq!(bad("/a%00.html"), Some(BadPath::ForbiddenByte));
        assert_eq!(bad("//etc/passwd"), Some(BadPath::EmptySegment));
        assert_eq!(bad("http://x/etc/passwd"), Some(BadPath::NotAbsolute));
        assert_eq!(bad("/%zz"), Some(BadPath::BadEscape));
        assert_eq!(bad("/%+1"), Some(BadPath::BadEscape));
        assert_eq!(bad("/%ff"), Some(BadPath::NotUtf8));
        // Double encoding decodes once: `%252e%252e` is the literal name `%2e%2e`.
        assert_eq!(
            route("/%252e%252e/etc/passwd", "/", &site(&["index.html"])),
            Route::NotFound
        );
        assert_eq!(
            route("/etc/passwd", "/", &site(&["index.html"])),
            Route::NotFound
        );
    }

    #[test]
    fn content_types_carry_utf8_for_text() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("config_db.php"), "text/plain; charset=utf-8");
        assert_eq!(content_type("x.WOFF2"), "font/woff2");
        assert_eq!(content_type("logo.png"), "image/png");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn etag_comparison_and_injection() {
        assert!(etag_matches("\"a\", \"b\"", "\"b\""));
        assert!(etag_matches("W/\"b\"", "\"b\""));
        assert!(etag_matches("*", "\"b\""));
        assert!(!etag_matches("\"c\"", "\"b\""));
        assert_eq!(
            inject_before_head_end(b"<html><HEAD></Head><body>", "<s>"),
            b"<html><HEAD><s></Head><body>"
        );
    }

    #[cfg(unix)]
    #[test]
    fn loading_skips_symlinks() {
        let dir = std::env::temp_dir().join(format!("guichet-serve-http-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("site/a")).unwrap();
        fs::write(dir.join("secret.txt"), "secret").unwrap();
        fs::write(dir.join("site/a/index.html"), "page").unwrap();
        std::os::unix::fs::symlink(dir.join("secret.txt"), dir.join("site/secret.txt")).unwrap();
        std::os::unix::fs::symlink(&dir, dir.join("site/up")).unwrap();
        let files = SiteFiles::load(&dir.join("site")).unwrap();
        let keys: Vec<&String> = files.files.keys().collect();
        assert_eq!(keys, ["a/index.html"]);
        assert_eq!(route("/secret.txt", "/", &files), Route::NotFound);
        assert_eq!(route("/up/secret.txt", "/", &files), Route::NotFound);
        fs::remove_dir_all(&dir).unwrap();
    }
}
