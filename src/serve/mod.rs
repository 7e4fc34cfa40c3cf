//! `guichet serve`: builds the site, serves it from memory, rebuilds when a source changes and
//! tells the open tabs to reload.
//!
//! The loop: [`watch`] groups the events of one save into a batch; the whole site is rebuilt
//! with [`crate::build::build`] into a folder private to this server (never the user's site/);
//! the new output is read into memory and swapped in whole, and only then are the tabs told
//! through [`reload`]. A failed build keeps the last good site and shows its diagnostics in the
//! terminal (through the caller's event callback) and in an overlay. [`http`] answers requests
//! from the in-memory copy.

mod background;
pub mod http;
pub(crate) mod reload;
pub(crate) mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::build::{BuildOptions, BuildReport, BuildState, PageUpdate, rerender_page};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use background::Background;
use http::{Served, SiteFiles};
use reload::{Clients, Event, OverlayPayload};
use watch::{Batch, SourceWatcher};

/// How `serve` is asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root (the folder holding guichet.yaml).
    pub root: PathBuf,
    /// The TCP port; 0 picks a free one (tests).
    pub port: u16,
    /// The address to listen on; loopback unless the user asks otherwise.
    pub bind: IpAddr,
    /// Poll the file system instead of using native events.
    pub poll: bool,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Threads answering requests.
    pub workers: usize,
    /// How long the sources must stay quiet before a rebuild starts.
    pub debounce: Duration,
    /// Keeps the full builds' results back while held (tests; never held by `guichet serve`).
    pub build_hold: BuildHold,
}

/// Keeps back the results of the full builds that run beside the fast path: while held, a
/// finished build is not taken, so to the server it is still running and every edit seen
/// meanwhile takes the fast path. A test holds it to save an edit during a full build however
/// fast the build is, then releases it to see the build's result applied.
#[derive(Debug, Clone, Default)]
pub struct BuildHold(Arc<AtomicBool>);

impl BuildHold {
    /// Keeps the result of every full build from now on until [`BuildHold::release`]; the first
    /// build, before the server answers, is never held.
    pub fn hold(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Lets the results through: a build held back is taken at the watch loop's next poll.
    pub fn release(&self) {
        self.0.store(false, Ordering::SeqCst);
    }

    fn is_held(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// The port `serve` listens on by default.
pub const DEFAULT_PORT: u16 = 1111;

impl ServeOptions {
    /// Options for serving the site at `root` on 127.0.0.1:1111.
    pub fn new(root: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            root: root.into(),
            port: DEFAULT_PORT,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            poll: false,
            drafts: false,
            workers: 4,
            debounce: Duration::from_millis(20),
            build_hold: BuildHold::default(),
        }
    }
}

/// What happened in the server, for the caller to print.
#[derive(Debug, Clone)]
pub enum ServeEvent {
    /// Sources changed (paths relative to the root); a rebuild starts.
    Changed(Vec<PathBuf>),
    /// A full build running beside the fast path has read the sources: a page edited from
    /// now on is rendered again on its result before it is served.
    SourcesRead,
    /// A build succeeded; `changed` output files differ from the site served before.
    Built {
        /// The build's summary.
        report: BuildReport,
        /// Output files added, removed or modified.
        changed: usize,
    },
    /// One page was rendered again on its own (only its body changed), in `elapsed`.
    Rerendered {
        /// The output file updated.
        path: String,
        /// Time from the start of the update to the new site being served.
        elapsed: Duration,
    },
    /// A build failed; the previous site is still served.
    Failed(Diagnostics),
}

/// After a page was rendered alone, a full build runs once the sources have been quiet this
/// long, to refresh what shows every page's body (the search index).
const REFRESH_AFTER: Duration = Duration::from_millis(300);

/// How often the watch loop looks whether a background build is over.
const BACKGROUND_POLL: Duration = Duration::from_millis(25);

/// A running server; stops on [`Server::shutdown`] or when dropped.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
    work_dir: PathBuf,
}

/// The site being served and the connected tabs, shared by every thread.
struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    /// The overlay payload while the last build failed.
    errors: RwLock<Option<String>>,
    clients: Clients,
    stop: AtomicBool,
}

/// One complete build, in memory.
struct Snapshot {
    files: SiteFiles,
    base_path: String,
    generation: String,
    snippet: String,
    built: bool,
}

type Callback = Arc<dyn Fn(ServeEvent) + Send + Sync>;

impl Server {
    /// Builds the site, starts listening and watching. `on_event` receives every build result
    /// and change, from the server's threads. A failed first build still starts the server:
    /// its pages show the errors until they are fixed.
    pub fn start(
        options: ServeOptions,
        on_event: impl Fn(ServeEvent) + Send + Sync + 'static,
    ) -> Result<Server, Diagnostic> {
        let on_event: Callback = Arc::new(on_event);
        let work_dir = private_work_dir();
        let mut rebuilder = Rebuilder {
            options: BuildOptions {
                root: options.root.clone(),
                out: Some(work_dir.join("site")),
                drafts: options.drafts,
                strict: false,
            },
            session: session_id(),
            generation: 0,
            on_event: Arc::clone(&on_event),
            state: None,
            refresh_pending: false,
            background: None,
            hold: options.build_hold.clone(),
        };
        let shared = Arc::new(Shared {
            snapshot: RwLock::new(Arc::new(rebuilder.empty_snapshot())),
            errors: RwLock::new(None),
            clients: Clients::default(),
            stop: AtomicBool::new(false),
        });
        let watcher = SourceWatcher::new(&options.root, options.poll).map_err(|e| {
            Diagnostic::file_error(&options.root, format!("cannot watch the sources: {e}"))
        })?;
        // Listen before the first build, so a busy port is reported at once, not after it.
        let http =
            tiny_http::Server::http(SocketAddr::new(options.bind, options.port)).map_err(|e| {
                Diagnostic::file_error(
                    &options.root,
                    format!("cannot listen on {}:{}: {e}", options.bind, options.port),
                )
                .with_help("another program uses this port: pick one with --port")
            })?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| Diagnostic::file_error(&options.root, "the server has no IP address"))?;
        rebuilder.full_build(&shared, false);
        let http = Arc::new(http);
        let mut threads = Vec::new();
        for i in 0..options.workers.max(1) {
            let (http, shared) = (Arc::clone(&http), Arc::clone(&shared));
            threads.push(spawn(&format!("guichet-http-{i}"), move || {
                answer_requests(&http, &shared)
            })?);
        }
        let loop_shared = Arc::clone(&shared);
        let debounce = options.debounce;
        threads.push(spawn("guichet-watch", move || {
            rebuild_on_change(watcher, rebuilder, &loop_shared, debounce)
        })?);
        Ok(Server {
            addr,
            shared,
            threads,
            work_dir,
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of the site's home page (under its base path, if any).
    pub fn url(&self) -> String {
        let base = read(&self.shared.snapshot).base_path.clone();
        format!("http://{}{base}", self.addr)
    }

    /// Number of tabs connected to the live-reload stream.
    pub fn live_clients(&self) -> usize {
        self.shared.clients.len()
    }

    /// Stops answering, watching and streaming, waits for every thread and removes the
    /// server's private output folder.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.clients.disconnect_all();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
        let _ = std::fs::remove_dir_all(&self.work_dir);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Result<JoinHandle<()>, Diagnostic> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(f)
        .map_err(|e| Diagnostic::file_error(name, format!("cannot start a thread: {e}")))
}

/// A folder for this server's builds, in the system's temporary folder: the user's site/ is
/// left to `guichet build`, and two servers never share one.
fn private_work_dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "guichet-serve-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ))
}

/// Tells this server's generations from a previous run's, so a tab left open across a restart
/// sees a different generation and reloads.
fn session_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{:x}", nanos ^ u128::from(std::process::id()))
}

fn answer_requests(http: &tiny_http::Server, shared: &Shared) {
    while !shared.stop.load(Ordering::SeqCst) {
        match http.recv_timeout(Duration::from_millis(100)) {
            Ok(Some(request)) => handle(request, shared),
            Ok(None) => {}
            Err(_) => return,
        }
    }
}

fn handle(request: tiny_http::Request, shared: &Shared) {
    let snapshot = Arc::clone(&read(&shared.snapshot));
    let path = request.url().split(['?', '#']).next().unwrap_or("");
    if path == reload::EVENTS_PATH {
        let mut first = vec![Event::Hello(snapshot.generation.clone())];
        if let Some(payload) = read(&shared.errors).as_ref() {
            first.push(Event::Errors(payload.clone()));
        }
        reload::stream(request, &shared.clients, first);
        return;
    }
    http::answer(
        request,
        &Served {
            files: &snapshot.files,
            base_path: &snapshot.base_path,
            snippet: &snapshot.snippet,
            generation: &snapshot.generation,
            built: snapshot.built,
        },
    );
}

fn rebuild_on_change(
    mut watcher: SourceWatcher,
    mut rebuilder: Rebuilder,
    shared: &Shared,
    debounce: Duration,
) {
    loop {
        let idle = if rebuilder.background.is_some() {
            Some(BACKGROUND_POLL)
        } else {
            rebuilder.refresh_pending.then_some(REFRESH_AFTER)
        };
        match watcher.next_batch(debounce, idle, &shared.stop) {
            Batch::Changed(paths) => {
                (rebuilder.on_event)(ServeEvent::Changed(paths.clone()));
                rebuilder.rebuild(shared, &paths);
            }
            Batch::Idle if rebuilder.background.is_none() => {
                rebuilder.start_full_build(shared, true);
            }
            Batch::Idle => {}
            Batch::Stop => {
                // The build writes into the server's folder, removed once this thread ends.
                if let Some(background) = rebuilder.background.take() {
                    let _ = background.wait();
                }
                return;
            }
        }
        // Before the build is taken: a build that read the sources always says so before
        // its result.
        rebuilder.announce_sources_read();
        rebuilder.take_finished_build(shared);
    }
}

/// Runs builds and publishes their results.
struct Rebuilder {
    options: BuildOptions,
    session: String,
    generation: u64,
    on_event: Callback,
    /// The last successful full build's site in memory; `None` after any failure, so that
    /// only a full build can clear errors.
    state: Option<BuildState>,
    /// A page was rendered alone since the last full build.
    refresh_pending: bool,
    /// The full build running beside the fast path, if any.
    background: Option<Background>,
    /// While held, the background build's result is not taken.
    hold: BuildHold,
}

impl Rebuilder {
    fn empty_snapshot(&self) -> Snapshot {
        let generation = format!("{}-0", self.session);
        Snapshot {
            files: SiteFiles::default(),
            base_path: "/".into(),
            snippet: reload::snippet(&generation),
            generation,
            built: false,
        }
    }

    /// Updates the site after `changed` sources changed: the pages that show one page's body
    /// or front matter at once, against the site in memory, even while a full build runs;
    /// otherwise a full build, in the background.
    fn rebuild(&mut self, shared: &Shared, changed: &[PathBuf]) {
        let changed: Vec<PathBuf> = match &self.state {
            Some(state) => changed
                .iter()
                .filter(|p| state.may_affect_output(p))
                .cloned()
                .collect(),
            None => changed.to_vec(),
        };
        if changed.is_empty() {
            return;
        }
        if let ([path], Some(state)) = (changed.as_slice(), self.state.as_mut()) {
            let started = std::time::Instant::now();
            match rerender_page(state, path) {
                Ok(Some(updates)) => {
                    if let Some(background) = &mut self.background {
                        background.edited.insert(path.clone());
                    }
                    self.publish_page(shared, updates, started);
                    return;
                }
                Ok(None) => {}
                Err(diagnostics) => {
                    self.state = None;
                    // A build that read the sources before this edit would clear its errors.
                    if let Some(background) = &mut self.background {
                        background.outdated = true;
                    }
                    self.failed(shared, diagnostics);
                    return;
                }
            }
        }
        self.start_full_build(shared, false);
    }

    /// Builds the whole site, synchronously (the first build, before the server answers).
    fn full_build(&mut self, shared: &Shared, refresh: bool) {
        self.refresh_pending = false;
        self.state = None;
        let result = background::full_build(&self.options, &Default::default());
        self.apply_build(shared, result, refresh, &Default::default());
    }

    /// Starts a full build beside the fast path; a build already running is marked outdated,
    /// and its result dropped for a new build, unless it is only a `refresh` (after pages were
    /// rendered alone: nothing it missed needs more than the fast path).
    fn start_full_build(&mut self, shared: &Shared, refresh: bool) {
        self.refresh_pending = false;
        if let Some(background) = &mut self.background {
            if !refresh {
                background.outdated = true;
                background.refresh = false;
            }
            return;
        }
        match Background::start(self.options.clone(), refresh) {
            Ok(background) => self.background = Some(background),
            Err(d) => self.failed(shared, Diagnostics::from(d)),
        }
    }

    /// Tells the caller once the background build has read the sources.
    fn announce_sources_read(&mut self) {
        if self
            .background
            .as_mut()
            .is_some_and(Background::newly_read_sources)
        {
            (self.on_event)(ServeEvent::SourcesRead);
        }
    }

    /// Publishes the background build's result once it is over (and not held), or starts it
    /// again when a change it may have missed needs the whole site.
    fn take_finished_build(&mut self, shared: &Shared) {
        if self.hold.is_held()
            || !self
                .background
                .as_ref()
                .is_some_and(Background::is_finished)
        {
            return;
        }
        let Some(background) = self.background.take() else {
            return;
        };
        let (refresh, outdated) = (background.refresh, background.outdated);
        let edited = background.edited.clone();
        let result = background.wait();
        // A failure that a later edit may have fixed is not shown: the next build tells.
        if outdated || (result.is_err() && !edited.is_empty()) {
            self.start_full_build(shared, false);
            return;
        }
        self.apply_build(shared, result, refresh, &edited);
    }

    /// Swaps a full build's site in and tells the tabs what changed, after rendering again
    /// the pages `edited` since it started (their newest source wins over what it read); on
    /// failure keeps the old site and sends the overlay. A `refresh` reloads the tabs only
    /// if a page differs from what they were sent.
    fn apply_build(
        &mut self,
        shared: &Shared,
        result: background::Built,
        refresh: bool,
        edited: &std::collections::BTreeSet<PathBuf>,
    ) {
        match result {
            Ok((report, mut state, mut files)) => {
                for path in edited {
                    match rerender_page(&mut state, path) {
                        Ok(Some(updates)) => {
                            for update in updates {
                                files
                                    .files
                                    .insert(update.path, http::Entry::new(update.html));
                            }
                        }
                        // The edit needs more than its pages against this build.
                        Ok(None) | Err(_) => {
                            self.start_full_build(shared, false);
                            return;
                        }
                    }
                }
                if !edited.is_empty() {
                    // The search index read the sources before these edits.
                    self.refresh_pending = true;
                }
                self.state = Some(state);
                self.publish(shared, report, files, refresh);
            }
            Err(diagnostics) => {
                self.state = None;
                self.failed(shared, diagnostics);
            }
        }
    }

    fn failed(&mut self, shared: &Shared, diagnostics: Diagnostics) {
        let site_served = read(&shared.snapshot).built;
        let payload = OverlayPayload::new(&diagnostics, site_served).to_json();
        *write(&shared.errors) = Some(payload.clone());
        (self.on_event)(ServeEvent::Failed(diagnostics));
        shared.clients.broadcast(&Event::Errors(payload));
    }

    /// Serves re-rendered pages: a copy of the current map with those files replaced.
    fn publish_page(
        &mut self,
        shared: &Shared,
        updates: Vec<PageUpdate>,
        started: std::time::Instant,
    ) {
        let previous = Arc::clone(&read(&shared.snapshot));
        let mut files = previous.files.clone();
        let path = updates.first().map(|u| u.path.clone()).unwrap_or_default();
        for update in updates {
            files
                .files
                .insert(update.path, http::Entry::new(update.html));
        }
        let was_failing = write(&shared.errors).take().is_some();
        self.generation += 1;
        let generation = format!("{}-{}", self.session, self.generation);
        let snapshot = Snapshot {
            files,
            base_path: previous.base_path.clone(),
            snippet: reload::snippet(&generation),
            generation: generation.clone(),
            built: true,
        };
        *write(&shared.snapshot) = Arc::new(snapshot);
        self.refresh_pending = true;
        (self.on_event)(ServeEvent::Rerendered {
            path,
            elapsed: started.elapsed(),
        });
        if was_failing {
            shared.clients.broadcast(&Event::Ok);
        }
        shared.clients.broadcast(&Event::Reload(generation));
    }

    fn publish(&mut self, shared: &Shared, report: BuildReport, files: SiteFiles, refresh: bool) {
        let base_path = Config::load(&self.options.root)
            .map(|c| c.base_path())
            .unwrap_or_else(|_| "/".into());
        let previous = Arc::clone(&read(&shared.snapshot));
        let changed = previous.files.changed_paths(&files);
        let was_failing = write(&shared.errors).take().is_some();
        let nothing_new = previous.built && changed.is_empty() && previous.base_path == base_path;
        // After pages rendered alone, only the search index and such may differ: swap them
        // in silently unless a page does (which would be a bug of the incremental path).
        let quiet = refresh
            && previous.base_path == base_path
            && !changed
                .iter()
                .any(|p| p.ends_with(".html") || p.ends_with(".css"));
        let changed_count = changed.len();
        let only_css = previous.built
            && previous.base_path == base_path
            && changed.iter().all(|p| p.ends_with(".css"));
        if !nothing_new {
            // A quiet swap keeps the generation: the pages the tabs hold are still current.
            if !quiet {
                self.generation += 1;
            }
            let generation = format!("{}-{}", self.session, self.generation);
            let snapshot = Snapshot {
                files,
                base_path,
                snippet: reload::snippet(&generation),
                generation: generation.clone(),
                built: true,
            };
            *write(&shared.snapshot) = Arc::new(snapshot);
        }
        (self.on_event)(ServeEvent::Built {
            report,
            changed: changed_count,
        });
        if was_failing {
            shared.clients.broadcast(&Event::Ok);
        }
        if nothing_new || quiet {
            return;
        }
        let generation = format!("{}-{}", self.session, self.generation);
        shared.clients.broadcast(&if only_css {
            Event::Css(generation)
        } else {
            Event::Reload(generation)
        });
    }
}

/// Opens `url` in the user's browser (`xdg-open`, `open` or `start`); the command runs in the
/// background and its result is ignored beyond starting it.
pub fn open_in_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let mut child = command
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

/// The value behind one of the server's locks, even when a thread panicked holding it: the
/// server only ever replaces these values whole (an `Arc` of the site, the error overlay),
/// never edits them in place, so a panic cannot leave one half-written, and the server goes
/// on serving the last good site.
fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

/// [`read`], to replace the value.
fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}
