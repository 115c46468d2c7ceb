//! Work split over threads: contiguous shares of a slice, one per thread, results in order.
//! The one place matching decides how many threads run and reports progress from them.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Progress of work over `total` items, reported to a callback as items are done.
pub(crate) struct Progress<'a> {
    done: AtomicUsize,
    total: usize,
    report: &'a (dyn Fn(usize, usize) + Sync),
}

impl<'a> Progress<'a> {
    pub(crate) fn new(total: usize, report: &'a (dyn Fn(usize, usize) + Sync)) -> Self {
        Self {
            done: AtomicUsize::new(0),
            total,
            report,
        }
    }

    /// Counts the `at`-th item (0-based) of a share of `len` items as done, reporting every
    /// [`Progress::EVERY`] items and at the share's end.
    pub(crate) fn item_done(&self, at: usize, len: usize) {
        let n = at + 1;
        let step = if n % Self::EVERY == 0 {
            Self::EVERY
        } else if n == len {
            n % Self::EVERY
        } else {
            return;
        };
        let now = self.done.fetch_add(step, Ordering::Relaxed) + step;
        (self.report)(now, self.total);
    }

    /// How many items make one report.
    pub(crate) const EVERY: usize = 64;
}

/// Runs `work` on contiguous shares of `items`, on at most `threads` threads and with at
/// least `min_share` items per thread (smaller inputs run on the calling thread); the results
/// come back in item order, whatever the number of threads. A panic in one share is resumed
/// on the calling thread: a share's results are never silently lost.
pub(crate) fn in_shares<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    min_share: usize,
    work: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    let threads = threads.clamp(1, items.len().div_ceil(min_share.max(1)).max(1));
    if threads == 1 {
        return vec![work(items)];
    }
    let share = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let work = &work;
        let handles: Vec<_> = items
            .chunks(share)
            .map(|chunk| scope.spawn(move || work(chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Runs `a` and `b` at once, `a` on a thread of its own (one after the other where the
/// machine has one core), and returns both results. A panic in `a` is resumed on the calling
/// thread. An assessment reads its knowledge and its inventories so: they do not depend on
/// each other.
pub(crate) fn both<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    if std::thread::available_parallelism().map_or(1, usize::from) < 2 {
        let a = a();
        return (a, b());
    }
    std::thread::scope(|scope| {
        let a = scope.spawn(a);
        let b = b();
        let a = a
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_return_their_results() {
        let (a, b) = both(|| (0..1000).sum::<u32>(), || "b");
        assert_eq!((a, b), (499_500, "b"));
    }

    #[test]
    fn shares_keep_order_and_count_every_item() {
        let items: Vec<usize> = (0..1000).collect();
        let last = AtomicUsize::new(0);
        let report = |done: usize, total: usize| {
            assert_eq!(total, 1000);
            last.fetch_max(done, Ordering::Relaxed);
        };
        let progress = Progress::new(items.len(), &report);
        for threads in [1, 2, 3, 8] {
            last.store(0, Ordering::Relaxed);
            let progress = Progress::new(items.len(), &report);
            let sums: Vec<Vec<usize>> = in_shares(&items, threads, 64, |share| {
                for at in 0..share.len() {
                    progress.item_done(at, share.len());
                }
                share.to_vec()
            });
            assert_eq!(sums.concat(), items, "{threads} threads");
            assert_eq!(last.load(Ordering::Relaxed), 1000, "{threads} threads");
        }
        progress.item_done(0, 1);
        // Small inputs stay on one thread.
        assert_eq!(in_shares(&items[..10], 8, 64, <[usize]>::len), [10]);
    }
}
