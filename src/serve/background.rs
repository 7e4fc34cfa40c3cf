//! The full builds `serve` runs on a thread of their own, beside the fast path: a body or
//! front-matter edit is rendered and served at once against the last site in memory while a
//! full build (3 to 4 s on 10,000 pages) runs, instead of waiting for it. The caller applies
//! the edits made since the build started to its result, so a build never serves a page older
//! than the one already served.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;

use super::http::SiteFiles;
use crate::build::{BuildOptions, BuildProgress, BuildReport, BuildState, build_with_state};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// What a full build gives `serve`: its summary, the site kept for incremental updates, and
/// the output read back into memory.
pub(super) type Built = Result<(BuildReport, BuildState, SiteFiles), Diagnostics>;

/// A full build running on its own thread.
pub(super) struct Background {
    handle: JoinHandle<Built>,
    /// Started to refresh what shows every page's body (the search index) after pages were
    /// rendered alone, rather than for a change that needs the whole site.
    pub(super) refresh: bool,
    /// Sources rendered alone since this build started (relative to the root): the build may
    /// have read them before the edit, so they are rendered again against its result.
    pub(super) edited: BTreeSet<PathBuf>,
    /// A change that needs the whole site arrived after the build read its sources: its
    /// result is dropped and another build starts.
    pub(super) outdated: bool,
    /// How far the build is, to tell when it has read the sources.
    progress: Arc<BuildProgress>,
    /// [`ServeEvent::SourcesRead`](super::ServeEvent::SourcesRead) was sent for this build.
    announced: bool,
}

impl Background {
    /// Starts a full build with `options` on a new thread.
    pub(super) fn start(options: BuildOptions, refresh: bool) -> Result<Background, Diagnostic> {
        let progress = Arc::new(BuildProgress::default());
        let counted = Arc::clone(&progress);
        let handle = std::thread::Builder::new()
            .name("guichet-build".into())
            .spawn(move || build_below_edits(&options, &counted))
            .map_err(|e| {
                Diagnostic::file_error("guichet-build", format!("cannot start a thread: {e}"))
            })?;
        Ok(Background {
            handle,
            refresh,
            edited: BTreeSet::new(),
            outdated: false,
            progress,
            announced: false,
        })
    }

    /// True the first time it is asked after the build has read the sources (an edit saved
    /// from then on is not in its result), false before and after.
    pub(super) fn newly_read_sources(&mut self) -> bool {
        if self.announced || !self.progress.sources_read() {
            return false;
        }
        self.announced = true;
        true
    }

    /// True once the build is over ([`Background::wait`] then returns at once).
    pub(super) fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// The build's result, waiting for it if it still runs.
    pub(super) fn wait(self) -> Built {
        self.handle.join().unwrap_or_else(|_| {
            Err(Diagnostics::from(Diagnostic::file_error(
                "guichet-build",
                "the build stopped on an internal error; save again to retry",
            )))
        })
    }
}

/// A full build into `options.out`, read back into memory; its stages are counted in
/// `progress`.
pub(super) fn full_build(options: &BuildOptions, progress: &BuildProgress) -> Built {
    let (report, state) = build_with_state(options, progress)?;
    let files = SiteFiles::load(&report.out).map_err(|e| {
        Diagnostics::from(Diagnostic::file_error(
            &report.out,
            format!("cannot read the built site: {e}"),
        ))
    })?;
    Ok((report, state, files))
}

/// [`full_build`] on a thread pool of its own whose threads run at a lower priority, so the
/// fast path of the next edit (on the global pool) keeps a core even on a two-core machine.
fn build_below_edits(options: &BuildOptions, progress: &BuildProgress) -> Built {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    match rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("guichet-build-{i}"))
        .start_handler(|_| lower_this_thread_priority())
        .build()
    {
        Ok(pool) => pool.install(|| full_build(options, progress)),
        // Without a pool of its own the build still runs, on the global one.
        Err(_) => full_build(options, progress),
    }
}

/// Lowers the calling thread's scheduling priority (Linux gives each thread its own nice
/// value). Failing leaves the thread at the normal priority: only the edits' latency under
/// load depends on it, never the output.
fn lower_this_thread_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its integer arguments; `who` 0 is the calling thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}
