//! The hash that tells whether a file's bytes changed, kept where guichet must recognise a
//! file it wrote: the stamp of an imported page, the file list of a built folder.

use std::hash::Hasher as _;

use siphasher::sip128::{Hasher128, SipHasher13};

/// A 128-bit hash of `bytes`: wide enough that two different contents of one file never
/// share it by chance, and fixed keys so that it is the same from one run to the next.
pub(crate) fn content_hash(bytes: &[u8]) -> u128 {
    let mut hasher = SipHasher13::new_with_keys(0, 0);
    hasher.write(bytes);
    hasher.finish128().as_u128()
}
