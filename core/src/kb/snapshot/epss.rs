//! A snapshot's EPSS scores as a table searched in place (`table`): a full EPSS feed holds
//! about 300,000 scores, which decoded into a hash map at open would cost more than the rest
//! of opening. Each CVE id is a key; its posting is the probability's and the percentile's
//! bits (four `u32`, little endian; a percentile of all ones bits is none).

use super::table::{self, Table};
use crate::kb::EpssScore;
use std::ops::Range;
use std::sync::Arc;

/// The bits that stand for no percentile (a NaN no score holds: scores are within 0–1).
const NONE: u64 = u64::MAX;

/// Writes the table of `scores`.
pub(super) fn write(scores: &[(&str, EpssScore)]) -> Vec<u8> {
    let rows = scores
        .iter()
        .map(|(id, score)| {
            let percentile = score.percentile.map_or(NONE, f64::to_bits);
            let [p0, p1] = halves(score.probability.to_bits());
            let [q0, q1] = halves(percentile);
            (table::key(&[id]), vec![p0, p1, q0, q1])
        })
        .collect();
    table::write(rows, 4)
}

#[allow(clippy::cast_possible_truncation)] // the low and high halves of 64 bits
fn halves(bits: u64) -> [u32; 2] {
    [bits as u32, (bits >> 32) as u32]
}

/// A snapshot's EPSS scores, checked, read from the snapshot's head in place.
#[derive(Debug, Clone)]
pub(crate) struct EpssTable {
    head: Arc<[u8]>,
    table: Table,
}

impl EpssTable {
    /// The table at `range` of `head`, checked (keys one part each, postings four numbers).
    pub(super) fn check(head: Arc<[u8]>, range: Range<usize>) -> Result<EpssTable, String> {
        let table = Table::check(&head, range, 4, 1, usize::MAX)?;
        Ok(EpssTable { head, table })
    }

    /// The score of `cve`.
    pub(crate) fn get(&self, cve: &str) -> Option<EpssScore> {
        score(self.table.find(&self.head, cve.as_bytes()))
    }

    /// Number of scores.
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// Every score with its CVE, in CVE order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, EpssScore)> + '_ {
        self.table
            .rows(&self.head)
            .filter_map(|(key, posting)| Some((std::str::from_utf8(key).ok()?, score(posting)?)))
    }
}

/// The score of a posting's bytes (none when there is no posting).
fn score(posting: &[u8]) -> Option<EpssScore> {
    let mut numbers = table::numbers(posting);
    let mut bits = || {
        let low = u64::from(numbers.next()?);
        let high = u64::from(numbers.next()?);
        Some(high << 32 | low)
    };
    let probability = f64::from_bits(bits()?);
    let percentile = bits()?;
    Some(EpssScore {
        probability,
        percentile: (percentile != NONE).then(|| f64::from_bits(percentile)),
    })
}

#[cfg(test)]
mod tests {
    use super::{write, EpssTable};
    use crate::kb::EpssScore;
    use std::sync::Arc;

    #[test]
    fn scores_read_back_exactly_none_percentile_included() {
        let scores = [
            (
                "CVE-2021-44228",
                EpssScore {
                    probability: 0.94358,
                    percentile: Some(0.99967),
                },
            ),
            (
                "CVE-2024-0002",
                EpssScore {
                    probability: 0.0,
                    percentile: None,
                },
            ),
        ];
        let bytes = write(&scores);
        let len = bytes.len();
        let table = EpssTable::check(Arc::from(bytes), 0..len).unwrap();
        assert_eq!(table.len(), 2);
        for (id, score) in scores {
            assert_eq!(table.get(id), Some(score));
        }
        assert_eq!(table.get("CVE-2099-0001"), None);
        assert_eq!(table.entries().collect::<Vec<_>>(), scores);
    }
}
