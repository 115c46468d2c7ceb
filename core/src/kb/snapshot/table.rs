//! A sorted key table searched in place: how a snapshot stores an index (ids and aliases,
//! package keys, CPE products) so that opening it builds nothing, and a lookup is a binary
//! search over the snapshot's bytes.
//!
//! Layout (all numbers `u32` little endian):
//!
//! | bytes | what |
//! |---|---|
//! | 4 | `n`, the number of keys |
//! | 4 | `width`, the numbers in one posting (1: an advisory; 2: an advisory and an entry) |
//! | 8 × (n + 1) | for each key, where its bytes and its postings start; the last pair ends them |
//! | … | the keys' bytes, in strictly increasing byte order |
//! | 4 × width × postings | the postings, each key's in a run |
//!
//! A key of several parts (an ecosystem and a name, a vendor and a product) joins them with
//! `0xFF`, a byte no UTF-8 text holds, so that no two part lists give the same key.
//! [`Table::check`] validates a table once, at open: its sizes, every start in order and in
//! bounds, the keys strictly increasing, every posting's advisory below the count, so that a
//! lookup afterwards cannot fail, and a forged table that passed the checksum still finds
//! exactly what its rows say.

use std::ops::Range;

/// The byte that joins the parts of a key.
const JOIN: u8 = 0xFF;

/// A table's key of `parts`, joined.
pub(super) fn key(parts: &[&str]) -> Vec<u8> {
    let mut key = Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            key.push(JOIN);
        }
        key.extend_from_slice(part.as_bytes());
    }
    key
}

/// The parts of a key written by [`key`] (text, as [`Table::check`] ensured).
pub(super) fn parts(key: &[u8]) -> impl Iterator<Item = String> + '_ {
    key.split(|&b| b == JOIN)
        .map(|part| String::from_utf8_lossy(part).into_owned())
}

/// Writes a table of `rows` (key, postings of `width` numbers each, flattened); the rows are
/// sorted here, and keys must be distinct.
pub(super) fn write(mut rows: Vec<(Vec<u8>, Vec<u32>)>, width: u32) -> Vec<u8> {
    rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let keys: usize = rows.iter().map(|(k, _)| k.len()).sum();
    let numbers: usize = rows.iter().map(|(_, p)| p.len()).sum();
    let mut out = Vec::with_capacity(8 + 8 * (rows.len() + 1) + keys + 4 * numbers);
    let push = |out: &mut Vec<u8>, n: usize| {
        out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
    };
    push(&mut out, rows.len());
    push(&mut out, width as usize);
    let (mut key_at, mut posting_at) = (0, 0);
    for (key, postings) in &rows {
        push(&mut out, key_at);
        push(&mut out, posting_at);
        key_at += key.len();
        posting_at += postings.len() / width.max(1) as usize;
    }
    push(&mut out, key_at);
    push(&mut out, posting_at);
    for (key, _) in &rows {
        out.extend_from_slice(key);
    }
    for (_, postings) in &rows {
        for &n in postings {
            out.extend_from_slice(&n.to_le_bytes());
        }
    }
    out
}

/// A table checked by [`Table::check`], as ranges of the bytes it was checked in.
#[derive(Debug, Clone, Default)]
pub(super) struct Table {
    len: usize,
    width: usize,
    starts: Range<usize>,
    keys: Range<usize>,
    postings: Range<usize>,
}

fn number(bytes: &[u8], at: usize) -> Option<usize> {
    u32_at(bytes, at).map(|n| n as usize)
}

/// The little-endian `u32` at `at` of `bytes`, if they hold it.
pub(super) fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let four = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(four.try_into().ok()?))
}

/// The little-endian `u64` at `at` of `bytes`, if they hold it.
pub(super) fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    let eight = bytes.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(eight.try_into().ok()?))
}

impl Table {
    /// The table at `range` of `bytes`, checked (see the module): its postings `width`
    /// numbers wide, the first below `advisories`; each key of `parts` parts of UTF-8 text.
    pub(super) fn check(
        bytes: &[u8],
        range: Range<usize>,
        width: usize,
        parts: usize,
        advisories: usize,
    ) -> Result<Table, String> {
        let table = bytes
            .get(range.clone())
            .ok_or_else(|| "an index outside the payload".to_owned())?;
        let bad = |what: &str| format!("index table: {what}");
        let len = number(table, 0).ok_or_else(|| bad("no header"))?;
        if number(table, 4) != Some(width) {
            return Err(bad("wrong posting width"));
        }
        let starts_len = len
            .checked_add(1)
            .and_then(|n| n.checked_mul(8))
            .ok_or_else(|| bad("too many keys"))?;
        let keys_at = 8 + starts_len;
        if table.len() < keys_at {
            return Err(bad("truncated starts"));
        }
        let key_end = number(table, keys_at - 8).ok_or_else(|| bad("truncated starts"))?;
        let postings = number(table, keys_at - 4).ok_or_else(|| bad("truncated starts"))?;
        let postings_at = keys_at
            .checked_add(key_end)
            .ok_or_else(|| bad("keys too long"))?;
        let postings_len = postings
            .checked_mul(4 * width)
            .ok_or_else(|| bad("too many postings"))?;
        if table.len() != postings_at.saturating_add(postings_len) {
            return Err(bad("sizes disagree with its length"));
        }
        let base = range.start;
        let checked = Table {
            len,
            width,
            starts: base + 8..base + keys_at,
            keys: base + keys_at..base + postings_at,
            postings: base + postings_at..range.end,
        };
        let mut previous: Option<&[u8]> = None;
        let (mut key_before, mut posting_before) = (0, 0);
        for at in 0..=len {
            let (Some(key_start), Some(posting_start)) =
                (number(table, 8 + 8 * at), number(table, 12 + 8 * at))
            else {
                return Err(bad("truncated starts"));
            };
            if key_start < key_before
                || posting_start < posting_before
                || key_start > key_end
                || posting_start > postings
            {
                return Err(bad("starts out of order"));
            }
            if at > 0 {
                let key = &table[keys_at + key_before..keys_at + key_start];
                if previous.is_some_and(|p| p >= key) {
                    return Err(bad("keys not in strictly increasing order"));
                }
                if posting_start == posting_before {
                    return Err(bad("a key without postings"));
                }
                let mut pieces = 0;
                for piece in key.split(|&b| b == JOIN) {
                    pieces += 1;
                    if std::str::from_utf8(piece).is_err() {
                        return Err(bad("a key that is not text"));
                    }
                }
                if pieces != parts {
                    return Err(bad(&format!("a key of {pieces} parts, not {parts}")));
                }
                previous = Some(key);
            }
            key_before = key_start;
            posting_before = posting_start;
        }
        for posting in table[postings_at..].chunks_exact(4 * width) {
            if number(posting, 0).is_none_or(|advisory| advisory >= advisories) {
                return Err(bad(&format!(
                    "a posting names an advisory past the {advisories} there are"
                )));
            }
        }
        Ok(checked)
    }

    /// Number of keys.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The `at`-th key and its postings' bytes (`4 × width` each), in `bytes` it was checked
    /// in.
    fn row<'b>(&self, bytes: &'b [u8], at: usize) -> (&'b [u8], &'b [u8]) {
        let starts = bytes.get(self.starts.clone()).unwrap_or_default();
        let start = |n: usize| number(starts, 8 * at + n).unwrap_or(0);
        let (key, key_end, posting, posting_end) = (start(0), start(8), start(4), start(12));
        let keys = bytes.get(self.keys.clone()).unwrap_or_default();
        let postings = bytes.get(self.postings.clone()).unwrap_or_default();
        let w = 4 * self.width;
        (
            keys.get(key..key_end).unwrap_or_default(),
            postings
                .get(posting * w..posting_end * w)
                .unwrap_or_default(),
        )
    }

    /// The postings' bytes of `key` (`4 × width` each; empty when absent), by binary search.
    pub(super) fn find<'b>(&self, bytes: &'b [u8], key: &[u8]) -> &'b [u8] {
        let (mut low, mut high) = (0, self.len);
        while low < high {
            let middle = low + (high - low) / 2;
            let (here, postings) = self.row(bytes, middle);
            match here.cmp(key) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return postings,
            }
        }
        &[]
    }

    /// Every key with its postings' bytes, in key order.
    pub(super) fn rows<'s, 'b: 's>(
        &'s self,
        bytes: &'b [u8],
    ) -> impl Iterator<Item = (&'b [u8], &'b [u8])> + 's {
        (0..self.len).map(move |at| self.row(bytes, at))
    }
}

/// The numbers of a posting's bytes.
pub(super) fn numbers(postings: &[u8]) -> impl Iterator<Item = u32> + '_ {
    postings
        .chunks_exact(4)
        .map(|four| u32::from_le_bytes([four[0], four[1], four[2], four[3]]))
}

#[cfg(test)]
mod tests {
    use super::{key, numbers, parts, write, Table};

    fn sample() -> Vec<u8> {
        write(
            vec![
                (key(&["PyPI", "django"]), vec![3, 0, 1, 2]),
                (key(&["Go", "x"]), vec![0, 5]),
                (key(&["PyPI", "a"]), vec![2, 0]),
            ],
            2,
        )
    }

    #[test]
    fn a_written_table_finds_each_key_and_nothing_else() {
        let bytes = sample();
        let table = Table::check(&bytes, 0..bytes.len(), 2, 2, 4).unwrap();
        assert_eq!(table.len(), 3);
        let found = |parts: &[&str]| numbers(table.find(&bytes, &key(parts))).collect::<Vec<_>>();
        assert_eq!(found(&["PyPI", "django"]), [3, 0, 1, 2]);
        assert_eq!(found(&["Go", "x"]), [0, 5]);
        assert_eq!(found(&["PyPI", "a"]), [2, 0]);
        assert!(found(&["PyPI", "b"]).is_empty());
        assert!(found(&["PyPIdjango"]).is_empty());
        assert!(found(&[]).is_empty());
        let rows: Vec<Vec<String>> = table
            .rows(&bytes)
            .map(|(k, _)| parts(k).collect())
            .collect();
        assert_eq!(rows, [["Go", "x"], ["PyPI", "a"], ["PyPI", "django"]]);
        let empty = write(Vec::new(), 1);
        let none = Table::check(&empty, 0..empty.len(), 1, 1, 0).unwrap();
        assert!(none.find(&empty, b"x").is_empty());
    }

    #[test]
    fn a_forged_table_is_refused_at_check_never_read_out_of_bounds() {
        let bytes = sample();
        let check = |b: &[u8], advisories| Table::check(b, 0..b.len(), 2, 2, advisories);
        assert!(check(&bytes, 3).unwrap_err().contains("past the 3"));
        assert!(
            Table::check(&bytes, 0..bytes.len(), 1, 2, 4).is_err(),
            "width"
        );
        assert!(Table::check(&bytes, 0..bytes.len(), 2, 1, 4)
            .unwrap_err()
            .contains("parts"));
        assert!(check(&bytes[..bytes.len() - 1], 4).is_err(), "truncated");
        for cut in 0..bytes.len() {
            assert!(check(&bytes[..cut], 4).is_err());
        }
        // Keys out of order: swap the first two keys' bytes ("Go\xffx" and "PyPI\xffa").
        let mut swapped = bytes.clone();
        let keys_at = 8 + 8 * 4;
        swapped[keys_at..keys_at + 4].copy_from_slice(b"ZZ\xffZ");
        assert!(check(&swapped, 4).unwrap_err().contains("increasing"));
        // Every single byte changed: refused or still in bounds, never a panic.
        for at in 0..bytes.len() {
            for flip in [1u8, 0x80, 0xFF] {
                let mut damaged = bytes.clone();
                damaged[at] ^= flip;
                if let Ok(table) = check(&damaged, 4) {
                    for (k, _) in table.rows(&damaged) {
                        let _ = table.find(&damaged, k);
                    }
                }
            }
        }
        assert!(Table::check(&bytes, 0..bytes.len() + 1, 2, 2, 4).is_err());
    }
}
