//! A compact set of device ids: a stream meets every device once and must know whether an id
//! came before, so its memory grows with the fleet — this set keeps that growth to the ids'
//! bytes and about 14 bytes more each (one arena of bytes, an end offset per id, a hash
//! table of id numbers), where a `HashSet<String>` takes about 70 (a `String` and its
//! allocation and the table's slot of 24 bytes). Exact: ids are compared by their bytes,
//! never by a fingerprint alone.

use hashbrown::HashTable;
use std::hash::BuildHasher;

/// The bytes of id number `i` in `bytes`, which ends at `ends[i]`.
fn slice<'b>(bytes: &'b [u8], ends: &[u64], i: u32) -> &'b [u8] {
    let i = i as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] };
    // Offsets were taken from `bytes.len()`, so they fit a usize.
    #[allow(clippy::cast_possible_truncation)]
    &bytes[start as usize..ends[i] as usize]
}

/// A set of ids, compact (see the module documentation).
///
/// ```
/// use exposure::inventory::IdSet;
/// let mut ids = IdSet::default();
/// assert!(ids.insert("web-01"));
/// assert!(!ids.insert("web-01"));
/// assert!(ids.contains("web-01") && !ids.contains("web-02"));
/// assert_eq!(ids.len(), 1);
/// ```
#[derive(Clone, Default)]
pub struct IdSet {
    /// Every id's bytes, one after the other.
    bytes: Vec<u8>,
    /// Where each id ends in `bytes` (it starts where the one before ends).
    ends: Vec<u64>,
    /// Id numbers (indexes into `ends`), by the hash of their bytes.
    table: HashTable<u32>,
    /// A keyed hash: ids come from inventories, which an attacker may write.
    state: std::hash::RandomState,
}

impl std::fmt::Debug for IdSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The ids' count and size, not every id (a stream's set holds millions).
        f.debug_struct("IdSet")
            .field("ids", &self.ends.len())
            .field("bytes", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

impl IdSet {
    /// Adds `id`; `false` when it was in the set already.
    ///
    /// # Panics
    ///
    /// Past 2^32 − 1 ids (no fleet stream reaches it: 4 billion devices).
    pub fn insert(&mut self, id: &str) -> bool {
        let hash = self.state.hash_one(id.as_bytes());
        let Self {
            bytes,
            ends,
            table,
            state,
        } = self;
        if table
            .find(hash, |&i| slice(bytes, ends, i) == id.as_bytes())
            .is_some()
        {
            return false;
        }
        #[allow(clippy::expect_used)] // documented: 4 billion ids
        let number = u32::try_from(ends.len()).expect("fewer than 2^32 ids");
        bytes.extend_from_slice(id.as_bytes());
        ends.push(bytes.len() as u64);
        table.insert_unique(hash, number, |&i| state.hash_one(slice(bytes, ends, i)));
        true
    }

    /// Whether `id` is in the set.
    pub fn contains(&self, id: &str) -> bool {
        let hash = self.state.hash_one(id.as_bytes());
        self.table
            .find(hash, |&i| {
                slice(&self.bytes, &self.ends, i) == id.as_bytes()
            })
            .is_some()
    }

    /// How many ids the set holds.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The bytes the set holds on the heap (its arena, offsets and table), to report.
    ///
    /// ```
    /// let mut ids = exposure::inventory::IdSet::default();
    /// for n in 0..1000 {
    ///     ids.insert(&format!("device-{n:06}"));
    /// }
    /// assert!(ids.heap_bytes() < 1000 * 40);
    /// ```
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
            + self.ends.capacity() * std::mem::size_of::<u64>()
            + self.table.capacity() * (std::mem::size_of::<u32>() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::IdSet;
    use proptest::prelude::*;
    use std::collections::HashSet;

    proptest! {
        /// The set answers as a `HashSet<String>` does, over inserts and lookups of short
        /// ids drawn from a small alphabet (so that repeats and shared prefixes are common),
        /// the empty id included.
        #[test]
        fn answers_as_a_hash_set(ops in proptest::collection::vec(("[ab#]{0,4}", any::<bool>()), 0..300)) {
            let mut ids = IdSet::default();
            let mut model: HashSet<String> = HashSet::new();
            for (id, insert) in ops {
                if insert {
                    prop_assert_eq!(ids.insert(&id), model.insert(id.clone()));
                } else {
                    prop_assert_eq!(ids.contains(&id), model.contains(&id));
                }
                prop_assert_eq!(ids.len(), model.len());
            }
            for id in &model {
                prop_assert!(ids.contains(id));
            }
        }
    }

    #[test]
    fn a_million_ids_take_about_their_bytes_and_a_score_more() {
        let mut ids = IdSet::default();
        for n in 0..1_000_000 {
            assert!(ids.insert(&format!("device-{n:07}")));
        }
        assert!(!ids.insert("device-0999999"));
        // 14 bytes of id each, 8 of offset, the table's 5 bytes a slot at its load.
        let per_id = ids.heap_bytes() / ids.len();
        assert!(per_id <= 40, "{per_id} bytes an id");
    }
}
