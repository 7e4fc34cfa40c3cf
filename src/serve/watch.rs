//! Watching the site's sources with notify, and grouping the events of one save into one
//! rebuild.
//!
//! Only the inputs of a build are watched (guichet.yaml and the source folders), never the
//! root recursively: the root of a real site also holds site/, target/ and .git/, whose churn
//! would cost watches (or poll scans) and trigger rebuilds for nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

/// The folders of a site root that feed the build, watched recursively when present: the
/// source layout's, so the watcher never misses a folder the build reads nor watches one it
/// does not.
pub(crate) const WATCHED_DIRS: &[&str] = &crate::source_layout::SOURCE_DIRS;

/// How often `--poll` scans (and hashes) the sources.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// A batch is cut after this long even if events keep coming, so a long copy still rebuilds.
const MAX_BATCH: Duration = Duration::from_secs(1);

/// What [`SourceWatcher::next_batch`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Batch {
    /// These sources changed (relative to the root).
    Changed(Vec<PathBuf>),
    /// Nothing changed for the idle time asked for.
    Idle,
    /// The server is stopping.
    Stop,
}

/// Watches one site's sources.
pub(crate) struct SourceWatcher {
    watcher: Box<dyn Watcher + Send>,
    events: Receiver<notify::Result<Event>>,
    root: PathBuf,
    watched: BTreeSet<String>,
}

impl SourceWatcher {
    /// Starts watching `root` (guichet.yaml and [`WATCHED_DIRS`]); `poll` uses notify's
    /// PollWatcher, for network drives and containers where native events do not arrive.
    pub fn new(root: &Path, poll: bool) -> notify::Result<SourceWatcher> {
        let root = root.canonicalize().map_err(notify::Error::io)?;
        let (tx, events) = mpsc::channel();
        let mut watcher: Box<dyn Watcher + Send> = if poll {
            // PollWatcher compares modification times in whole seconds: without the content
            // hash, a second save within the same second would never be seen.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Box::new(PollWatcher::new(tx, config)?)
        } else {
            Box::new(RecommendedWatcher::new(tx, notify::Config::default())?)
        };
        // The root itself, not recursively: catches guichet.yaml and source folders created
        // after the server started.
        watcher.watch(&root, RecursiveMode::NonRecursive)?;
        let mut this = SourceWatcher {
            watcher,
            events,
            root,
            watched: BTreeSet::new(),
        };
        for dir in WATCHED_DIRS {
            this.watch_dir(dir)?;
        }
        Ok(this)
    }

    fn watch_dir(&mut self, name: &str) -> notify::Result<()> {
        let path = self.root.join(name);
        if path.is_dir() && !self.watched.contains(name) {
            self.watcher.watch(&path, RecursiveMode::Recursive)?;
            self.watched.insert(name.to_string());
        }
        Ok(())
    }

    /// Waits for a change to the sources and returns every source path touched until
    /// `quiet` passes without a new event (an editor's save is several events). When `idle` is
    /// given and nothing changes for that long, returns [`Batch::Idle`]. Returns
    /// [`Batch::Stop`] once `stop` is set or the watcher is gone.
    pub(crate) fn next_batch(
        &mut self,
        quiet: Duration,
        idle: Option<Duration>,
        stop: &AtomicBool,
    ) -> Batch {
        let mut paths = BTreeSet::new();
        let waiting = Instant::now();
        loop {
            if stop.load(Ordering::SeqCst) {
                return Batch::Stop;
            }
            if idle.is_some_and(|idle| waiting.elapsed() >= idle) {
                return Batch::Idle;
            }
            match self.events.recv_timeout(Duration::from_millis(50)) {
                Ok(event) => self.collect(event, &mut paths),
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return Batch::Stop,
            }
            if !paths.is_empty() {
                break;
            }
        }
        let started = Instant::now();
        while started.elapsed() < MAX_BATCH {
            match self.events.recv_timeout(quiet) {
                Ok(event) => self.collect(event, &mut paths),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Batch::Stop,
            }
        }
        Batch::Changed(paths.into_iter().collect())
    }

    fn collect(&mut self, event: notify::Result<Event>, into: &mut BTreeSet<PathBuf>) {
        let Ok(event) = event else {
            return;
        };
        // Reads (including the build's own) are not changes; a closed-after-write is.
        if let EventKind::Access(kind) = event.kind
            && kind != AccessKind::Close(AccessMode::Write)
        {
            return;
        }
        for path in event.paths {
            let Some(rel) = self.relevant(&path) else {
                continue;
            };
            if let Some(dir) = top_level_dir(&rel)
                && rel.components().count() == 1
            {
                // A source folder appeared: watch it from now on.
                let _ = self.watch_dir(&dir);
            }
            into.insert(rel);
        }
    }

    /// The path relative to the root when it is an input of the build.
    fn relevant(&self, path: &Path) -> Option<PathBuf> {
        let rel = path.strip_prefix(&self.root).ok()?;
        is_source(rel).then(|| rel.to_path_buf())
    }
}

fn top_level_dir(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    WATCHED_DIRS.contains(&first).then(|| first.to_string())
}

/// True for guichet.yaml and files under a source folder, except hidden files and editor
/// leftovers (`.file.swp`, `file~`, `#file#`).
pub(crate) fn is_source(rel: &Path) -> bool {
    let names: Vec<&str> = rel
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    if names.iter().any(|n| {
        n.starts_with('.') || n.starts_with('#') || n.ends_with('~') || n.ends_with(".swp")
    }) {
        return false;
    }
    match names.as_slice() {
        [] => false,
        [only] => *only == crate::source_layout::CONFIG_FILE || WATCHED_DIRS.contains(only),
        [first, ..] => WATCHED_DIRS.contains(first),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_leftovers() {
        assert!(is_source(Path::new("guichet.yaml")));
        assert!(is_source(Path::new("content/a/b.md")));
        assert!(is_source(Path::new("themes/guichet/static/style.css")));
        assert!(is_source(Path::new("workflows")));
        assert!(!is_source(Path::new("site/index.html")));
        assert!(!is_source(Path::new("target/debug/guichet")));
        assert!(!is_source(Path::new("content/.b.md.swp")));
        assert!(!is_source(Path::new("content/b.md~")));
        assert!(!is_source(Path::new("content/#b.md#")));
        assert!(!is_source(Path::new("README.md")));
    }
}
