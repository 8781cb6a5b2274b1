//! FNV-1a: a hash that is the same on every platform and in every release (unlike std's),
//! for ids that are saved (checklist items) and for what the browser computes too (search
//! shards, the book's storage key).

/// FNV-1a, 32 bits, over UTF-8 bytes; `search.js` computes the same.
pub(crate) fn fnv1a32(text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// FNV-1a, 64 bits, over UTF-8 bytes.
pub(crate) fn fnv1a64(text: &str) -> u64 {
    fnv1a64_bytes(text.as_bytes())
}

/// FNV-1a, 64 bits, over any bytes: also the preview's ETags (one hash in the crate).
pub(crate) fn fnv1a64_bytes(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(fnv1a32(""), 0x811c_9dc5);
        assert_eq!(fnv1a32("a"), 0xe40c_292c);
        assert_eq!(fnv1a64(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64_bytes(&[0x61]), fnv1a64("a"));
    }
}
