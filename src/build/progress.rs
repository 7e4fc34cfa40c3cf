//! How far a build is, for the one-line progress `guichet build` shows on a terminal during
//! long builds. The build only counts; the caller decides whether and how to show it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The first stage, in which the build reads and validates the sources.
pub(crate) const LOADING: &str = "loading";

/// The stage a build is in and how many of its items are done, updated from the build's
/// threads and read from another.
#[derive(Debug, Default)]
pub struct BuildProgress {
    stage: Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl BuildProgress {
    /// Enters `stage`, which has `total` items (0 when not counted).
    pub(crate) fn stage(&self, stage: &'static str, total: usize) {
        *self.stage.lock().unwrap_or_else(|e| e.into_inner()) = stage;
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// True once the build has read every source and gone on to render them: an edit saved
    /// from then on is not in its result.
    pub(crate) fn sources_read(&self) -> bool {
        let stage = *self.stage.lock().unwrap_or_else(|e| e.into_inner());
        !matches!(stage, "" | LOADING)
    }

    /// One more item of the current stage is done.
    pub(crate) fn advance(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// The line to show: `rendering pages 4,512/10,002`, or the stage alone when it is not
    /// counted; `None` before the build started.
    pub fn line(&self) -> Option<String> {
        let stage = *self.stage.lock().unwrap_or_else(|e| e.into_inner());
        if stage.is_empty() {
            return None;
        }
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return Some(format!("{stage}…"));
        }
        let done = self.done.load(Ordering::Relaxed).min(total);
        Some(format!("{stage} {}/{}", thousands(done), thousands(total)))
    }
}

/// `10002` → `10,002`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_the_stage_and_its_count() {
        let progress = BuildProgress::default();
        assert_eq!(progress.line(), None);
        progress.stage("loading", 0);
        assert_eq!(progress.line().as_deref(), Some("loading…"));
        progress.stage("rendering pages", 10_002);
        for _ in 0..4_512 {
            progress.advance();
        }
        assert_eq!(
            progress.line().as_deref(),
            Some("rendering pages 4,512/10,002")
        );
        progress.stage("search index", 0);
        assert_eq!(progress.line().as_deref(), Some("search index…"));
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(100_000), "100,000");
    }
}
