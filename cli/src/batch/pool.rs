//! The threads a batch's blocks are answered on.
//!
//! The helper threads are started once, before the first read when the input is known to be
//! large, so that waking them overlaps the read (on a virtual machine an idle core can take a
//! millisecond to wake: as long as the whole of a 100,000-line batch takes). A block is cut
//! into chunks of whole lines that the calling thread and the helpers claim in turn, so that
//! a helper that wakes late takes fewer chunks and never holds the block up; each chunk's
//! answers are kept apart and joined in input order.

use std::any::Any;
use std::io::{IoSlice, Write};
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::RwLockWriteGuard;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard};
use std::thread::Scope;

use exposure_map::Mapping;

use super::{answer_lines, Handler, PARALLEL_MIN};

/// A block is shared out in chunks of whole lines of about this many bytes (some 2,000
/// lines of versions: a tenth of a millisecond's work).
const CHUNK: usize = 1 << 15;

/// Where a block's lines are: in the read buffer, or in the mapped input file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Buffer,
    Mapped,
}

/// The input read so far and the chunks of the block being answered.
pub(super) struct Block {
    /// The read buffer.
    pub(super) bytes: Vec<u8>,
    /// Where the block being answered is.
    source: Source,
    /// The chunks of the block being answered, in input order.
    chunks: Vec<Range<usize>>,
    /// The next chunk to claim.
    next: AtomicUsize,
    /// Each chunk's answers, kept from block to block (a fresh buffer would be faulted in
    /// again each time).
    answers: Vec<Mutex<Vec<u8>>>,
}

/// What the calling thread and its helpers share.
pub(super) struct Pool {
    /// Written only between blocks, by the calling thread, when no chunk is being answered.
    block: RwLock<Block>,
    /// The input file, mapped, from the offset the batch starts at (see [`Pool::mapped`]).
    mapped: Option<(Mapping, usize)>,
    /// Blocks published so far, and whether the batch is over: helpers wait on `wake`.
    signal: Mutex<Signal>,
    wake: Condvar,
    /// Chunks of the current block answered: the calling thread waits on `finished`.
    answered: Mutex<usize>,
    finished: Condvar,
    /// The first panic of a handler on a helper thread, raised again on the calling one.
    panic: Mutex<Option<Box<dyn Any + Send>>>,
}

#[derive(Default)]
struct Signal {
    blocks: u64,
    over: bool,
}

impl Pool {
    /// A pool whose read buffer starts at `buffer` bytes, and whose input is first the
    /// `mapped` file from an offset, when there is one.
    pub(super) fn new(buffer: usize, mapped: Option<(Mapping, usize)>) -> Self {
        Self {
            mapped,
            block: RwLock::new(Block {
                bytes: prefaulted(buffer),
                source: Source::Buffer,
                chunks: Vec::new(),
                next: AtomicUsize::new(0),
                answers: Vec::new(),
            }),
            signal: Mutex::new(Signal::default()),
            wake: Condvar::new(),
            answered: Mutex::new(0),
            finished: Condvar::new(),
            panic: Mutex::new(None),
        }
    }

    /// The mapped input's bytes from the batch's offset (empty without a mapping).
    ///
    /// They are only ever read here, to find lines' ends, and copied (a chunk at a time,
    /// into a buffer of the answering thread's own) before a line is answered: bytes that
    /// another program changes while they are mapped (see `exposure_map`) make lines other
    /// than the file had, never a line checked as UTF-8 and then changed.
    pub(super) fn mapped(&self) -> &[u8] {
        self.mapped
            .as_ref()
            .and_then(|(mapping, offset)| mapping.as_ref().get(*offset..))
            .unwrap_or_default()
    }

    /// The lines of `range` of `source`, as they are answered: the read buffer's in place,
    /// the mapped file's copied into `copy` first.
    fn lines<'a>(
        &'a self,
        block: &'a Block,
        source: Source,
        range: Range<usize>,
        copy: &'a mut Vec<u8>,
    ) -> &'a [u8] {
        match source {
            Source::Buffer => &block.bytes[range],
            Source::Mapped => {
                copy.clear();
                copy.extend_from_slice(&self.mapped()[range]);
                copy
            }
        }
    }

    /// The read buffer, to fill between blocks.
    pub(super) fn buffer(&self) -> RwLockWriteGuard<'_, Block> {
        self.block.write().unwrap_or_else(PoisonError::into_inner)
    }

    fn read(&self) -> RwLockReadGuard<'_, Block> {
        self.block.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Claims and answers chunks of `block` until none is left (`copy`: this thread's
    /// buffer for chunks of the mapped input).
    fn claim(&self, block: &Block, handle: &impl Handler, copy: &mut Vec<u8>) {
        loop {
            let i = block.next.fetch_add(1, Ordering::Relaxed);
            let Some(chunk) = block.chunks.get(i) else {
                return;
            };
            // Answered into a buffer of this thread's own: the chunks' slots share cache
            // lines, and a length written at every answer would bounce between the cores.
            let mut out = std::mem::take(&mut *lock(&block.answers[i]));
            out.clear();
            // Room for short answers (a version order is a tenth of its line) without
            // growing the buffer answer by answer.
            out.reserve(chunk.len() / 4);
            let lines = self.lines(block, block.source, chunk.clone(), copy);
            let answered =
                panic::catch_unwind(AssertUnwindSafe(|| answer_lines(lines, &mut out, handle)));
            if let Err(panic) = answered {
                lock(&self.panic).get_or_insert(panic);
            }
            *lock(&block.answers[i]) = out;
            let mut answered = lock(&self.answered);
            *answered += 1;
            if *answered == block.chunks.len() {
                self.finished.notify_all();
            }
        }
    }

    /// A helper thread: answers chunks of every block published until the batch is over,
    /// where `placement` put it for the first.
    fn help(&self, handle: &impl Handler, mut placement: Placement) {
        let mut seen = 0;
        let mut copy = Vec::new();
        loop {
            {
                let mut signal = lock(&self.signal);
                while signal.blocks == seen && !signal.over {
                    signal = self
                        .wake
                        .wait(signal)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                if signal.over {
                    return;
                }
                seen = signal.blocks;
            }
            self.claim(&self.read(), handle, &mut copy);
            placement.release();
        }
    }
}

/// The helper threads of a batch, started when first needed and told to stop when this is
/// dropped (on every way out of the batch, errors and panics included, so that the scope
/// that joins them never waits for ever).
pub(super) struct Helpers<'scope, 'env, 'h, H: Handler> {
    scope: &'scope Scope<'scope, 'env>,
    pool: &'env Pool,
    handle: &'h H,
    /// Helper threads wanted (one fewer than the threads).
    wanted: usize,
    started: bool,
    /// The calling thread's buffer for chunks of the mapped input.
    copy: Vec<u8>,
}

impl<'scope, 'env: 'scope, 'h: 'scope, H: Handler> Helpers<'scope, 'env, 'h, H> {
    /// `threads - 1` helpers for `pool`, not yet started.
    pub(super) fn new(
        scope: &'scope Scope<'scope, 'env>,
        pool: &'env Pool,
        handle: &'h H,
        threads: usize,
    ) -> Self {
        Self {
            scope,
            pool,
            handle,
            wanted: threads.saturating_sub(1),
            started: false,
            copy: Vec::new(),
        }
    }

    /// Answers the lines of `range` of `source` (each ending in `\n` but perhaps the
    /// last), appending to `answers`: on this thread alone when the block is small or there
    /// are no helpers, else shared with them.
    pub(super) fn answer(&mut self, source: Source, range: Range<usize>, answers: &mut Vec<u8>) {
        if !self.shares(&range) {
            return self.answer_here(source, range, answers);
        }
        let block = self.share(source, range);
        for chunk in &block.answers[..block.chunks.len()] {
            answers.extend_from_slice(&lock(chunk));
        }
    }

    /// [`Helpers::answer`] with the answers written to `output`: when the block is shared
    /// out, by one vectored write of every chunk's answers, in input order, without
    /// copying them together first; else through `answers`, left empty.
    pub(super) fn answer_and_write(
        &mut self,
        source: Source,
        range: Range<usize>,
        answers: &mut Vec<u8>,
        output: &mut impl Write,
    ) -> std::io::Result<()> {
        if !self.shares(&range) {
            self.answer_here(source, range, answers);
            output.write_all(answers)?;
            answers.clear();
            return Ok(());
        }
        let block = self.share(source, range);
        let chunks: Vec<MutexGuard<'_, Vec<u8>>> = block.answers[..block.chunks.len()]
            .iter()
            .map(lock)
            .collect();
        let mut slices: Vec<IoSlice<'_>> = chunks.iter().map(|chunk| IoSlice::new(chunk)).collect();
        write_all_vectored(output, &mut slices)
    }

    /// Whether a block of `range` is shared out with the helpers (else answered on this
    /// thread alone: small, or no helpers).
    fn shares(&self, range: &Range<usize>) -> bool {
        self.wanted > 0 && range.len() >= PARALLEL_MIN
    }

    /// Answers the lines of `range` of `source` on this thread, appending to `answers`.
    fn answer_here(&mut self, source: Source, range: Range<usize>, answers: &mut Vec<u8>) {
        let (pool, handle) = (self.pool, self.handle);
        let block = pool.read();
        if source == Source::Buffer {
            return answer_lines(&block.bytes[range], answers, handle);
        }
        // The mapped file's lines a chunk at a time, so that the copy stays small.
        let mut chunks = Vec::new();
        cut(pool.mapped(), range, CHUNK, &mut chunks);
        for chunk in chunks {
            answer_lines(
                pool.lines(&block, source, chunk, &mut self.copy),
                answers,
                handle,
            );
        }
    }

    /// Shares the lines of `range` of `source` out in chunks among this thread and the
    /// helpers, and returns the block once every chunk is answered (its answers in
    /// `Block::answers`, in input order).
    fn share(&mut self, source: Source, range: Range<usize>) -> RwLockReadGuard<'env, Block> {
        let (pool, handle) = (self.pool, self.handle);
        self.start();
        {
            let mut block = pool.buffer();
            let block = &mut *block;
            block.source = source;
            let bytes = match source {
                Source::Buffer => &block.bytes,
                Source::Mapped => pool.mapped(),
            };
            cut(bytes, range, CHUNK, &mut block.chunks);
            *block.next.get_mut() = 0;
            let wanted = block.answers.len().max(block.chunks.len());
            block.answers.resize_with(wanted, Default::default);
            *lock(&pool.answered) = 0;
        }
        lock(&pool.signal).blocks += 1;
        pool.wake.notify_all();
        let block = pool.read();
        pool.claim(&block, handle, &mut self.copy);
        let mut answered = lock(&pool.answered);
        while *answered < block.chunks.len() {
            answered = pool
                .finished
                .wait(answered)
                .unwrap_or_else(PoisonError::into_inner);
        }
        drop(answered);
        if let Some(panic) = lock(&pool.panic).take() {
            panic::resume_unwind(panic);
        }
        block
    }

    /// Starts the helpers unless they are running, each kept off the core this thread runs
    /// on until it has answered its first block (see [`Placement`]).
    pub(super) fn start(&mut self) {
        if self.started {
            return;
        }
        self.started = true;
        let caller = current_cpu();
        for _ in 0..self.wanted {
            let (pool, handle) = (self.pool, self.handle);
            self.scope
                .spawn(move || pool.help(handle, Placement::off(caller)));
        }
    }
}

impl<H: Handler> Drop for Helpers<'_, '_, '_, H> {
    fn drop(&mut self) {
        lock(&self.pool.signal).over = true;
        self.pool.wake.notify_all();
    }
}

/// The core the calling thread runs on, where the system says.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // one `sched_getcpu`, argued below
fn current_cpu() -> Option<usize> {
    // SAFETY: `sched_getcpu` takes no argument and touches no memory of ours; it returns the
    // calling thread's core, or -1 when it cannot say (refused by a sandbox, say).
    let cpu = unsafe { libc::sched_getcpu() };
    usize::try_from(cpu).ok()
}

/// The core the calling thread runs on: not known here.
#[cfg(not(target_os = "linux"))]
#[allow(clippy::unnecessary_wraps)] // the Linux one's signature
fn current_cpu() -> Option<usize> {
    None
}

/// Where a helper runs: off the core of the thread that shares the blocks out until it has
/// answered its first block, then wherever the system puts it.
///
/// Linux tends to start a new thread, and wake a sleeping one, on the core of the thread
/// that started or woke it, and to move it to an idle core only at a later balancing tick
/// (milliseconds): until then the helper and the calling thread take turns on one core,
/// and a batch of 100,000 lines (a millisecond and a half of work) gets no help. Measured
/// on a 2-core virtual machine: without this, the helper answered none of the chunks in
/// about half of the runs (benches/README.md, "Batch modes"). Given back its cores after
/// that, a helper of a long batch can again run where the calling thread waits, should the
/// other cores be busy with other programs.
pub(super) struct Placement {
    /// The cores the helper had, while it is kept off one of them.
    #[cfg(target_os = "linux")]
    had: Option<rustix::thread::CpuSet>,
}

impl Placement {
    /// Keeps the calling thread (a helper) off core `cpu` when it may run on another; as
    /// the system placed it when `cpu` is not known, or is its only core.
    fn off(cpu: Option<usize>) -> Self {
        #[cfg(target_os = "linux")]
        {
            use rustix::thread::{sched_getaffinity, sched_setaffinity, CpuSet};
            let had = cpu
                .zip(sched_getaffinity(None).ok())
                .and_then(|(cpu, cpus)| {
                    let keep_off = cpu < CpuSet::MAX_CPU && cpus.is_set(cpu) && cpus.count() > 1;
                    let mut others = cpus;
                    keep_off.then(|| others.unset(cpu))?;
                    // On failure the helper stays where the system put it.
                    sched_setaffinity(None, &others).ok().map(|()| cpus)
                });
            Self { had }
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = cpu;
            Self {}
        }
    }

    /// Gives the helper back every core it had (once; then nothing).
    fn release(&mut self) {
        #[cfg(target_os = "linux")]
        if let Some(cpus) = self.had.take() {
            let _ = rustix::thread::sched_setaffinity(None, &cpus);
        }
    }
}

/// Writes every byte of `slices` to `output` with vectored writes (`Write::write_all` for
/// several buffers at once).
fn write_all_vectored(
    output: &mut impl Write,
    mut slices: &mut [IoSlice<'_>],
) -> std::io::Result<()> {
    IoSlice::advance_slices(&mut slices, 0);
    while !slices.is_empty() {
        match output.write_vectored(slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(written) => IoSlice::advance_slices(&mut slices, written),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Cuts `range` of `bytes` into chunks of whole lines of at least `size` bytes (the last
/// may be shorter), in order, into `chunks`.
fn cut(bytes: &[u8], range: Range<usize>, size: usize, chunks: &mut Vec<Range<usize>>) {
    chunks.clear();
    let mut start = range.start;
    while range.end - start > size {
        let Some(at) = memchr::memchr(b'\n', &bytes[start + size..range.end]) else {
            break;
        };
        let end = start + size + at + 1;
        chunks.push(start..end);
        start = end;
    }
    if start < range.end || chunks.is_empty() {
        chunks.push(start..range.end);
    }
}

/// A zeroed buffer of `len` bytes whose pages are all mapped, by one `madvise` call rather
/// than one page fault per 4 KiB as it is first written (on a virtual machine a fault costs
/// some 2.5 µs: a millisecond for the read of a 100,000-line batch).
#[allow(unsafe_code)] // one `madvise`, argued below
pub(super) fn prefaulted(len: usize) -> Vec<u8> {
    let mut buffer = vec![0; len];
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `madvise` with MADV_POPULATE_WRITE maps the pages of an address range of
        // our own allocation without changing their contents (zero, as allocated); the
        // range is rounded inwards to whole pages, so it stays inside the buffer. Its
        // failure (an older kernel, EINVAL) only leaves the pages to be faulted as written.
        unsafe {
            let page = 4096;
            let start = buffer.as_mut_ptr() as usize;
            let first = start.next_multiple_of(page);
            let last = (start + len) / page * page;
            if last > first {
                libc::madvise(
                    first as *mut libc::c_void,
                    last - first,
                    libc::MADV_POPULATE_WRITE,
                );
            }
        }
    }
    buffer
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A helper placed off a core may run on every other core it could, and on that one no
    /// more, until it is released; a thread with one core to run on keeps it.
    #[cfg(target_os = "linux")]
    #[test]
    fn helpers_are_kept_off_the_callers_core_until_released() {
        use rustix::thread::{sched_getaffinity, sched_setaffinity, CpuSet};
        let cores = |set: &CpuSet| {
            (0..CpuSet::MAX_CPU)
                .filter(|&cpu| set.is_set(cpu))
                .collect::<Vec<_>>()
        };
        let allowed = cores(&sched_getaffinity(None).unwrap());
        let caller = current_cpu().unwrap();
        let (off, released) = std::thread::spawn(move || {
            let mut placement = Placement::off(Some(caller));
            let off = cores(&sched_getaffinity(None).unwrap());
            placement.release();
            placement.release();
            (off, cores(&sched_getaffinity(None).unwrap()))
        })
        .join()
        .unwrap();
        let mut expected = allowed.clone();
        if expected.len() > 1 {
            expected.retain(|&cpu| cpu != caller);
        }
        assert_eq!(off, expected);
        assert_eq!(released, allowed);
        // The calling thread itself keeps every core.
        assert_eq!(cores(&sched_getaffinity(None).unwrap()), allowed);
        // With one core allowed, or an unknown or impossible core, a helper stays put.
        let kept = std::thread::spawn(move || {
            let mut only = CpuSet::new();
            only.set(caller);
            sched_setaffinity(None, &only).unwrap();
            let mut kept = Vec::new();
            for cpu in [Some(caller), None, Some(usize::MAX)] {
                let _placement = Placement::off(cpu);
                kept.push(cores(&sched_getaffinity(None).unwrap()));
            }
            kept
        })
        .join()
        .unwrap();
        assert_eq!(kept, vec![vec![caller]; 3]);
    }

    #[test]
    fn vectored_writes_write_every_byte_in_order_through_short_and_interrupted_writes() {
        /// Takes at most three bytes of the first non-empty buffer a call, and is
        /// interrupted every other call.
        struct Trickle(Vec<u8>, bool);
        impl Write for Trickle {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.1 = !self.1;
                if self.1 {
                    return Err(std::io::ErrorKind::Interrupted.into());
                }
                let n = buf.len().min(3);
                self.0.extend_from_slice(&buf[..n]);
                Ok(n)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let parts: [&[u8]; 5] = [b"", b"-1\n0\n", b"", b"1\n", b"error\tno\n"];
        let mut slices: Vec<IoSlice<'_>> = parts.iter().map(|part| IoSlice::new(part)).collect();
        let mut out = Trickle(Vec::new(), false);
        write_all_vectored(&mut out, &mut slices).unwrap();
        assert_eq!(out.0, parts.concat());
        // A writer that takes nothing is an error, not a loop.
        let mut slices = [IoSlice::new(b"x")];
        let refused = write_all_vectored(&mut [0u8; 0].as_mut_slice(), &mut slices);
        assert_eq!(refused.unwrap_err().kind(), std::io::ErrorKind::WriteZero);
    }

    #[test]
    fn chunks_are_whole_lines_in_order() {
        let bytes = b"xaa\nbbbb\nc\ndddddd\nee";
        for size in 1..8 {
            for range in [1..bytes.len(), 1..18, 4..9] {
                let mut chunks = Vec::new();
                cut(bytes, range.clone(), size, &mut chunks);
                assert_eq!(chunks.first().unwrap().start, range.start);
                assert_eq!(chunks.last().unwrap().end, range.end);
                for pair in chunks.windows(2) {
                    assert_eq!(pair[0].end, pair[1].start);
                    assert!(pair[0].len() > size, "{size}: {chunks:?}");
                    assert_eq!(bytes[pair[0].end - 1], b'\n', "{size}: {chunks:?}");
                }
            }
        }
    }
}
