//! Sorting by version order without trusting it blindly.
//!
//! Every scheme's order is meant to be total, and property tests check it, but some native
//! orders we follow are not total on odd input (pacman's `vercmp`, Maven's
//! `ComparableVersion`). Since Rust 1.81 `slice::sort_by` may panic when a comparator is not a
//! total order; the engine must never panic on input, so code that sorts versions uses this
//! merge sort, which accepts any comparator, always terminates, and makes O(n log n)
//! comparisons (lists of constraints, events and intervals can be as long as an input is).

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`, whatever `compare` answers, in O(n log n) comparisons.
///
/// ```
/// let mut v = vec![3, 1, 2];
/// exposure::order::sort_by_tolerant(&mut v, |a, b| a.cmp(b));
/// assert_eq!(v, [1, 2, 3]);
/// ```
pub fn sort_by_tolerant<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    /// Runs this long are sorted by insertion first (most lists sorted are this short).
    const RUN: usize = 16;
    let n = items.len();
    if n < 2 {
        return;
    }
    // The positions of the items, sorted; the items move once, at the end.
    let mut order: Vec<usize> = (0..n).collect();
    for run in order.chunks_mut(RUN) {
        for i in 1..run.len() {
            let mut j = i;
            while j > 0 && compare(&items[run[j - 1]], &items[run[j]]) == Ordering::Greater {
                run.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    // Bottom-up merges of neighbouring runs; the right run's head goes first only when it is
    // less, so equal items keep their order.
    let mut merged = vec![0; n];
    let mut width = RUN;
    while width < n {
        for start in (0..n).step_by(2 * width) {
            let middle = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut left, mut right) = (start, middle);
            for slot in &mut merged[start..end] {
                let take_right = right < end
                    && (left == middle
                        || compare(&items[order[right]], &items[order[left]]) == Ordering::Less);
                if take_right {
                    *slot = order[right];
                    right += 1;
                } else {
                    *slot = order[left];
                    left += 1;
                }
            }
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    // Position k takes the item at `order[k]`: each cycle of the permutation, by swaps.
    let mut placed = vec![false; n];
    for start in 0..n {
        let mut at = start;
        while !placed[at] {
            placed[at] = true;
            let from = order[at];
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_inconsistent_comparator_does_not_panic() {
        let mut v: Vec<u32> = (0..200).rev().collect();
        // Not a total order: "less" depends on parity only.
        sort_by_tolerant(&mut v, |a, b| (a % 2).cmp(&(b % 3)));
        assert_eq!(v.len(), 200);
    }

    #[test]
    fn sorting_takes_n_log_n_comparisons() {
        let mut v: Vec<u32> = (0..10_000).map(|i| (i * 7_919) % 10_007).collect();
        let mut comparisons = 0;
        sort_by_tolerant(&mut v, |a, b| {
            comparisons += 1;
            a.cmp(b)
        });
        assert!(v.windows(2).all(|w| w[0] <= w[1]));
        // n log2 n is 133,000 here; insertion sort took 25 million.
        assert!(comparisons < 200_000, "{comparisons} comparisons");
    }

    proptest! {
        /// The same order as the standard library's stable sort, ties kept in input order.
        #[test]
        fn sorts_stably(v in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            sort_by_tolerant(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v;
            std.sort_by_key(|item| item.0);
            prop_assert_eq!(ours, std);
        }
    }
}
