//! Sorting by version order without trusting it blindly.
//!
//! Every scheme's order is meant to be total, and property tests check it, but some native
//! orders we follow are not total on odd input (pacman's `vercmp`, Maven's
//! `ComparableVersion`). Since Rust 1.81 `slice::sort_by` may panic when a comparator is not a
//! total order; the engine must never panic on input, so code that sorts versions uses this
//! insertion sort, which accepts any comparator and always terminates. The lists it sorts
//! (constraints, events, fixed versions) are short.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`, whatever `compare` answers.
///
/// ```
/// let mut v = vec![3, 1, 2];
/// exposure::order::sort_by_tolerant(&mut v, |a, b| a.cmp(b));
/// assert_eq!(v, [1, 2, 3]);
/// ```
pub fn sort_by_tolerant<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && compare(&items[j - 1], &items[j]) == Ordering::Greater {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inconsistent_comparator_does_not_panic() {
        let mut v: Vec<u32> = (0..200).rev().collect();
        // Not a total order: "less" depends on parity only.
        sort_by_tolerant(&mut v, |a, b| (a % 2).cmp(&(b % 3)));
        assert_eq!(v.len(), 200);
    }
}
