//! Live reload: a Server-Sent Events endpoint, the script injected into served HTML, and the
//! error overlay.
//!
//! Each browser tab holds one EventSource on [`EVENTS_PATH`]. After a successful rebuild the
//! server sends `reload` (or `css` when only stylesheets changed) and `ok`; after a failed one
//! it sends `errors` with the terminal text of the diagnostics. A tab that connects receives
//! `hello` with the generation of the site being served, so a tab that missed events (hidden,
//! or the server restarted) reloads itself when its page is out of date.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::Serialize;

/// The URL of the event stream; outside any site path, so no page can shadow it.
pub(crate) const EVENTS_PATH: &str = "/__guichet/events";

/// At most this many tabs hold a stream at once; more are answered 503 and retry later.
/// Hidden tabs close their stream, so this bounds threads, not usable tabs.
pub(crate) const MAX_CLIENTS: usize = 64;

/// How often an idle stream sends a comment, so a vanished client is noticed and its thread
/// ends.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// One message on the event stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// The generation of the site now served, sent when a tab connects.
    Hello(String),
    /// Pages changed: reload; data is the new generation.
    Reload(String),
    /// Only stylesheets changed: swap them in place; data is the new generation.
    Css(String),
    /// The last build failed: show the overlay with this payload (JSON).
    Errors(String),
    /// The build succeeded: hide the overlay.
    Ok,
}

impl Event {
    /// The event in the `text/event-stream` wire format.
    pub(crate) fn to_wire(&self) -> String {
        let (name, data) = match self {
            Event::Hello(g) => ("hello", g.as_str()),
            Event::Reload(g) => ("reload", g.as_str()),
            Event::Css(g) => ("css", g.as_str()),
            Event::Errors(json) => ("errors", json.as_str()),
            Event::Ok => ("ok", ""),
        };
        let mut wire = format!("event: {name}\n");
        for line in data.split('\n') {
            wire.push_str("data: ");
            wire.push_str(line);
            wire.push('\n');
        }
        wire.push('\n');
        wire
    }
}

/// The overlay's content: the diagnostics exactly as the terminal prints them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OverlayPayload {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// The terminal rendering (headline, source line with caret, help) of every diagnostic.
    pub text: String,
    /// True when an earlier build succeeded and its site is still served.
    pub site_served: bool,
}

impl OverlayPayload {
    /// The payload for a failed build's diagnostics; `site_served` says whether an earlier
    /// build's site is still served.
    pub fn new(diagnostics: &crate::diagnostics::Diagnostics, site_served: bool) -> OverlayPayload {
        let errors = diagnostics.0.iter().filter(|d| d.is_error()).count();
        OverlayPayload {
            errors,
            warnings: diagnostics.0.len() - errors,
            text: diagnostics.to_string(),
            site_served,
        }
    }

    /// The payload as the JSON sent in an `errors` event.
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }
}

/// The connected tabs.
#[derive(Default)]
pub(crate) struct Clients {
    senders: Mutex<Vec<Sender<Event>>>,
    count: Arc<AtomicUsize>,
}

impl Clients {
    /// Sends `event` to every connected tab, forgetting those that went away.
    pub(crate) fn broadcast(&self, event: &Event) {
        self.senders().retain(|s| s.send(event.clone()).is_ok());
    }

    /// The tabs' channels, even when a thread panicked holding them: a channel that went
    /// away fails its next send and is dropped then, so the list is never wrong for long.
    fn senders(&self) -> MutexGuard<'_, Vec<Sender<Event>>> {
        self.senders.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Number of open streams.
    pub(crate) fn len(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Ends every stream (at shutdown): their threads see the channel close and return.
    pub(crate) fn disconnect_all(&self) {
        self.senders().clear();
    }

    /// Registers a new tab, unless [`MAX_CLIENTS`] are already connected.
    fn register(&self) -> Option<(Receiver<Event>, ClientGuard)> {
        let mut senders = self.senders();
        if self.count.load(Ordering::SeqCst) >= MAX_CLIENTS {
            return None;
        }
        let (tx, rx) = mpsc::channel();
        senders.push(tx);
        self.count.fetch_add(1, Ordering::SeqCst);
        Some((
            rx,
            ClientGuard {
                count: Arc::clone(&self.count),
            },
        ))
    }
}

/// Decrements the client count when a stream's thread ends, however it ends.
struct ClientGuard {
    count: Arc<AtomicUsize>,
}

impl Drop for ClientGuard {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Takes over a request's connection as an event stream on its own thread (so worker threads
/// stay free for pages), sending `first` events then everything broadcast until the tab goes
/// away or the server stops. Answers 503 when too many tabs are connected.
pub(crate) fn stream(request: tiny_http::Request, clients: &Clients, first: Vec<Event>) {
    let Some((rx, guard)) = clients.register() else {
        let response = tiny_http::Response::from_string("too many live-reload connections")
            .with_status_code(503)
            .with_header(retry_after());
        let _ = request.respond(response);
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("guichet-sse".into())
        .spawn(move || {
            let _guard = guard;
            let mut writer = request.into_writer();
            // tiny_http buffers chunked bodies, so the stream is written raw: a close-delimited
            // body flushed after every event.
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nConnection: close\r\nX-Accel-Buffering: no\r\n\r\nretry: 1000\n\n";
            if writer.write_all(head.as_bytes()).is_err() {
                return;
            }
            for event in first {
                if send(&mut writer, &event.to_wire()).is_err() {
                    return;
                }
            }
            if writer.flush().is_err() {
                return;
            }
            loop {
                let wire = match rx.recv_timeout(KEEPALIVE) {
                    Ok(event) => event.to_wire(),
                    Err(RecvTimeoutError::Timeout) => ": keepalive\n\n".to_string(),
                    Err(RecvTimeoutError::Disconnected) => return,
                };
                if send(&mut writer, &wire).is_err() {
                    return;
                }
            }
        });
    // When the thread cannot start, the request (moved into the closure) is dropped, which
    // closes the connection; the browser retries.
    drop(spawned);
}

fn send(writer: &mut impl Write, wire: &str) -> std::io::Result<()> {
    writer.write_all(wire.as_bytes())?;
    writer.flush()
}

fn retry_after() -> tiny_http::Header {
    tiny_http::Header::from_bytes(&b"Retry-After"[..], &b"2"[..]).expect("static header is valid")
}

/// The `<script>` put before `</head>` of every HTML response while serving; `generation` is
/// the site generation the page was taken from.
pub(crate) fn snippet(generation: &str) -> String {
    format!(
        "<script data-guichet-live-reload>window.__guichetGeneration={};{SCRIPT}</script>\n",
        serde_json::to_string(generation).unwrap_or_else(|_| "\"\"".into())
    )
}

/// The live-reload client. Closes its stream while the tab is hidden and reopens it when
/// shown; reconnects by itself after a server restart (EventSource retries, and a stream that
/// failed for good is reopened after a second).
const SCRIPT: &str = r#"(function () {
  var url = "/__guichet/events", source = null, retry = null, overlay = null;
  function generation(e) { window.__guichetGeneration = e.data; }
  function swapCss(e) {
    generation(e);
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var u = new URL(links[i].href, location.href);
      u.searchParams.set("guichet", e.data);
      links[i].href = u.toString();
    }
    hideOverlay();
  }
  function showOverlay(e) {
    if (!document.body) {
      document.addEventListener("DOMContentLoaded", function () { showOverlay(e); });
      return;
    }
    var payload = JSON.parse(e.data);
    if (!overlay) {
      // Opaque and at the top, so the diagnostics stay readable whatever the page beneath;
      // the close button uncovers the last good version of the page.
      overlay = document.createElement("div");
      overlay.id = "guichet-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;top:0;left:0;right:0;max-height:80vh;overflow:auto;" +
        "z-index:2147483647;box-sizing:border-box;padding:1rem 1.5rem;background:#1e1e1e;color:#f0f0f0;" +
        "border-bottom:4px solid #e5484d;box-shadow:0 4px 24px rgba(0,0,0,.5);" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "\u00d7";
      close.setAttribute("aria-label", "close");
      close.style.cssText = "float:right;font:inherit;font-size:20px;line-height:1;background:none;" +
        "color:inherit;border:0;cursor:pointer";
      close.onclick = hideOverlay;
      var title = document.createElement("p");
      title.style.cssText = "margin:0 0 .75rem;font-weight:bold;color:#ff8589";
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap;font:inherit;color:inherit;background:none";
      overlay.appendChild(close);
      overlay.appendChild(title);
      overlay.appendChild(pre);
    }
    overlay.childNodes[1].textContent = "guichet: the build failed (" + payload.errors +
      " error(s)); " + (payload.site_served ?
        "the last good version of the site is still served underneath." :
        "the site will show as soon as it builds.");
    overlay.lastChild.textContent = payload.text;
    if (!overlay.parentNode) { document.body.appendChild(overlay); }
  }
  function hideOverlay() { if (overlay && overlay.parentNode) { overlay.parentNode.removeChild(overlay); } }
  function connect() {
    if (source || document.hidden) { return; }
    source = new EventSource(url);
    source.addEventListener("hello", function (e) {
      if (e.data !== window.__guichetGeneration) { location.reload(); }
    });
    source.addEventListener("reload", function () { location.reload(); });
    source.addEventListener("css", swapCss);
    source.addEventListener("errors", showOverlay);
    source.addEventListener("ok", hideOverlay);
    source.onerror = function () {
      if (source && source.readyState === EventSource.CLOSED) {
        source = null;
        clearTimeout(retry);
        retry = setTimeout(connect, 1000);
      }
    };
  }
  function disconnect() {
    clearTimeout(retry);
    if (source) { source.close(); source = null; }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { disconnect(); } else { connect(); }
  });
  window.addEventListener("pagehide", disconnect);
  connect();
})();"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_in_wire_format() {
        assert_eq!(
            Event::Reload("7".into()).to_wire(),
            "event: reload\ndata: 7\n\n"
        );
        assert_eq!(Event::Ok.to_wire(), "event: ok\ndata: \n\n");
        assert_eq!(
            Event::Errors("a\nb".into()).to_wire(),
            "event: errors\ndata: a\ndata: b\n\n"
        );
    }

    #[test]
    fn snippet_carries_the_generation() {
        let s = snippet("abc-3");
        assert!(
            s.starts_with("<script data-guichet-live-reload>window.__guichetGeneration=\"abc-3\";")
        );
        assert!(s.contains("new EventSource(url)"));
        assert!(s.ends_with("</script>\n"));
    }
}
