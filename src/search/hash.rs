//! The content hash in the names of the index's chunk and fragment files, shared by both
//! writers.

/// A 64-bit hash of `bytes`, 12 hex digits: stable content-addressed file names without a
/// crypto crate. Eight bytes per step (the index is tens of megabytes at 10,000 pages), each
/// step a multiply and a shift so every input bit reaches every output bit.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut mix = |word: u64| {
        hash = (hash ^ word).wrapping_mul(MULTIPLIER);
        hash ^= hash >> 29;
    };
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        mix(u64::from_le_bytes(word));
    }
    let mut last = [0u8; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    mix(u64::from_le_bytes(last));
    // Final avalanche (MurmurHash3's fmix64).
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^= hash >> 33;
    format!("{hash:016x}")[..12].to_string()
}

#[cfg(test)]
mod tests {
    use super::content_hash;

    #[test]
    fn content_hashes_differ_for_one_changed_bit_and_depend_on_length() {
        let base = content_hash(b"{\"imprimante\":[[1,8],[]]}");
        assert_eq!(base.len(), 12);
        assert_ne!(base, content_hash(b"{\"imprimante\":[[1,9],[]]}"));
        assert_ne!(content_hash(b"ab"), content_hash(b"ab\0"));
        assert_eq!(base, content_hash(b"{\"imprimante\":[[1,8],[]]}"));
    }
}
