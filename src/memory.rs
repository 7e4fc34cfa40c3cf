//! A hook through which the program that links guichet gives freed memory back to the system
//! at the build's stage boundaries. The library knows no allocator: without a hook, the calls
//! do nothing.

use std::sync::OnceLock;

/// The registered hook, set once by [`set_release_hook`].
static RELEASE_HOOK: OnceLock<fn()> = OnceLock::new();

/// Registers `release`, called right after a stage of the build has freed a large part of
/// its memory (the rendered pages, the pages' Markdown, a language's search index), so that
/// the allocator can hand it back before the next stage allocates. Only the first
/// registration counts.
pub fn set_release_hook(release: fn()) {
    let _ = RELEASE_HOOK.set(release);
}

/// Calls the registered hook, if any.
pub(crate) fn release_freed_memory() {
    if let Some(release) = RELEASE_HOOK.get() {
        release();
    }
}
