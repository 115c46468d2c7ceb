//! Line-oriented batch modes: one output line per input line, in order; a line that cannot be
//! handled yields `error<TAB>message` and processing continues.
//!
//! Built for millions of lines: input is read in large blocks and split at newlines in
//! place, a block of complete lines is checked as UTF-8 once (lines are then borrowed from
//! it, never copied or checked again), answers are appended to one output buffer (no
//! allocation per line), and a large block is shared out among the cores in contiguous
//! runs of lines whose answers are written back in input order.
//!
//! Answers are written out before every read that could wait for the writer: a program that
//! writes one line and reads its answer (a co-process) never waits on an answer still in our
//! buffer, and a batch of many lines costs one write per block read, not one per line.

use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};

use exposure_map::Mapping;

mod pool;

use pool::{prefaulted, Helpers, Pool, Source};

/// How much of an error message an error line quotes (a message names its input, which
/// may be huge).
const MESSAGE_LIMIT: usize = 512;

/// The size of one read (a line longer than this grows the buffer to hold it).
const READ_SIZE: usize = 1 << 20;

/// Answers kept before they are written while more input is already waiting.
const WRITE_SIZE: usize = 1 << 18;

/// Below this many bytes of complete lines a block is answered on the calling thread: the
/// work of a smaller one does not pay for waking another.
const PARALLEL_MIN: usize = 1 << 15;

/// Answers the lines of a batch: each line as text, and, for a mode that has one, a path
/// that answers the lines it can straight from the block's bytes. Called from several
/// threads at once for a large block, hence `Sync`.
///
/// Any function `Fn(Line, &mut Vec<u8>) -> Result<(), String>` is a handler with no
/// byte path; [`InPlace`] adds one.
pub(crate) trait Handler: Sync {
    /// Whether [`Handler::answer_in_place`] answers lines (else every line is checked as
    /// UTF-8 with its block and goes to [`Handler::answer`]).
    const IN_PLACE: bool = false;

    /// Answers one line into the output buffer (without its newline), or says why it
    /// cannot. On `Err` anything it appended is discarded.
    fn answer(&self, line: Line<'_>, out: &mut Vec<u8>) -> Result<(), String>;

    /// Answers the line at the start of `bytes` (the rest of a block, not checked as UTF-8)
    /// from its bytes alone when it can: appends the answer line (with its newline, often
    /// written with the answer) and returns the line's length with its `\n`. `None` appends
    /// nothing and leaves the line to [`Handler::answer`], which alone words errors; the
    /// answer must be the one it would give.
    #[inline]
    fn answer_in_place(&self, _bytes: &[u8], _out: &mut Vec<u8>) -> Option<usize> {
        None
    }
}

impl<F: Fn(Line<'_>, &mut Vec<u8>) -> Result<(), String> + Sync> Handler for F {
    #[inline]
    fn answer(&self, line: Line<'_>, out: &mut Vec<u8>) -> Result<(), String> {
        self(line, out)
    }
}

/// A handler with a byte path: `in_place` answers the lines it can from their bytes (see
/// [`Handler::answer_in_place`]), `answer` every other line as text.
pub(crate) struct InPlace<F, P> {
    pub(crate) answer: F,
    pub(crate) in_place: P,
}

impl<F, P> Handler for InPlace<F, P>
where
    F: Fn(Line<'_>, &mut Vec<u8>) -> Result<(), String> + Sync,
    P: Fn(&[u8], &mut Vec<u8>) -> Option<usize> + Sync,
{
    const IN_PLACE: bool = true;

    #[inline]
    fn answer(&self, line: Line<'_>, out: &mut Vec<u8>) -> Result<(), String> {
        (self.answer)(line, out)
    }

    #[inline]
    fn answer_in_place(&self, bytes: &[u8], out: &mut Vec<u8>) -> Option<usize> {
        (self.in_place)(bytes, out)
    }
}

/// A handler from a function that returns its answer as a `String` (for modes whose answers
/// are built anyway, like `cpe guess`).
pub(crate) fn text_answers(answer: impl Fn(&str) -> Result<String, String> + Sync) -> impl Handler {
    move |line: Line<'_>, out: &mut Vec<u8>| {
        out.extend_from_slice(answer(line.text())?.as_bytes());
        Ok(())
    }
}

/// One input line (without its `\n` or `\r\n`), with its one TAB when it has exactly one:
/// the TAB is found in the same scan of the block that finds the line's end, so that a
/// pair is split without reading the line again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    text: &'a str,
    /// The offset of the line's only TAB; `None` when it has none or several.
    tab: Option<usize>,
}

impl<'a> Line<'a> {
    /// A line read on its own (its TAB looked for here).
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            tab: only_tab(text.as_bytes()),
        }
    }

    /// The line's text.
    pub(crate) fn text(self) -> &'a str {
        self.text
    }

    /// Splits `A<TAB>B`.
    #[inline]
    pub(crate) fn pair(self) -> Result<(&'a str, &'a str), String> {
        match self.tab {
            // Both halves are cut at an ASCII byte: whole characters.
            Some(tab) => Ok((&self.text[..tab], &self.text[tab + 1..])),
            None => Err("expected two fields separated by one TAB".to_owned()),
        }
    }
}

/// Runs `handle` over every line of `input` (UTF-8, `\n` or `\r\n` separated; a last line
/// without a newline counts) and writes one line per input line to `output`, on up to
/// `threads` threads.
///
/// `file` is `input` as a regular file (stdin redirected from one), when it is one. A
/// large one (32 KiB or more from stdin's offset) is mapped rather than read: its complete
/// lines are answered from the mapping (each chunk copied out before it is answered, see
/// `Pool::mapped`), its offset is moved past them, and whatever follows (a last line
/// without its newline, lines written to the file since) is then read from `input` as a
/// pipe's would be. That spares the zeroed read buffer and the copy of every byte through
/// `read` (half a millisecond of a 100,000-line batch's four: benches/README.md, "Batch
/// modes"). The helper threads are then started before the first line, so that they are
/// awake for it. As for every program that maps
/// files, a file that another program truncates while it is mapped ends the process with
/// SIGBUS (a log rotated by copy and truncate, say): such a file is read, not mapped,
/// through a pipe (`cat FILE | exposure …`).
#[allow(clippy::needless_pass_by_value)] // the batch's own handler, built for it and dropped with it
pub(crate) fn run(
    mut input: impl Read,
    mut output: impl Write,
    threads: usize,
    file: Option<&std::fs::File>,
    handle: impl Handler,
) -> std::io::Result<()> {
    // Stdin's offset in the file and the file's length, read once; what is left of it.
    let place =
        file.and_then(|mut file| Some((file.stream_position().ok()?, file.metadata().ok()?.len())));
    let size = place.map(|(offset, len)| len.saturating_sub(offset));
    let large = size.is_some_and(|size| size >= PARALLEL_MIN as u64);
    let mapped = file
        .zip(place)
        .filter(|_| large)
        .and_then(|(file, (offset, len))| map_from_offset(file, offset, len));
    // Mapped, only what may follow its lines is read.
    let buffer = if mapped.is_some() {
        TAIL_SIZE
    } else {
        buffer_size(size)
    };
    let pool = Pool::new(buffer, mapped);
    std::thread::scope(|scope| {
        let mut helpers = Helpers::new(scope, &pool, &handle, threads);
        if large {
            helpers.start();
        }
        // For a large input read in blocks, mapped at once like the read buffer (not a fault
        // per page); a mapped input's shared blocks are written from their chunks' answers.
        let mut answers = if large && pool.mapped().is_empty() {
            prefaulted(WRITE_SIZE + 4096)
        } else {
            Vec::with_capacity(WRITE_SIZE + 4096)
        };
        answers.clear();
        if let Some(file) = file.filter(|_| !pool.mapped().is_empty()) {
            let answered = answer_mapped(&pool, &mut helpers, &mut answers, &mut output)?;
            // What follows the mapped lines is read: a last line without its newline, lines
            // added since.
            let mut file = file;
            file.seek(SeekFrom::Current(
                i64::try_from(answered).unwrap_or(i64::MAX),
            ))?;
        }
        let (mut start, mut end) = (0, 0);
        loop {
            // Every complete line in the buffer is answered; reading may now wait for the
            // writer, who may be waiting for the answers so far.
            output.write_all(&answers)?;
            output.flush()?;
            answers.clear();
            let mut block = pool.buffer();
            let buffer = &mut block.bytes;
            if start > 0 {
                buffer.copy_within(start..end, 0);
                (end, start) = (end - start, 0);
            }
            if end == buffer.len() {
                buffer.resize(buffer.len() * 2, 0); // one line longer than the buffer
            }
            let read = match input.read(&mut buffer[end..]) {
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if read == 0 {
                drop(block);
                if end > start {
                    helpers.answer(Source::Buffer, start..end, &mut answers);
                }
                output.write_all(&answers)?;
                return output.flush();
            }
            end += read;
            // Answer the complete lines read so far, writing as the answers pile up.
            let Some(last_newline) = memchr::memrchr(b'\n', &buffer[start..end]) else {
                continue;
            };
            drop(block);
            let block_end = start + last_newline + 1;
            helpers.answer(Source::Buffer, start..block_end, &mut answers);
            start = block_end;
            if answers.len() >= WRITE_SIZE {
                output.write_all(&answers)?;
                answers.clear();
            }
        }
    })
}

/// The read buffer's first size after a mapped input's lines.
const TAIL_SIZE: usize = 1 << 16;

/// How much of a mapped input is answered before its answers are written. Each block
/// wakes the helpers once, and a wake-up can take them a millisecond on a busy virtual
/// machine, so blocks are large: a file of 100,000 version lines (1.7 MB) is one block, its
/// answers (about a seventh of it) held until written.
const MAPPED_BLOCK: usize = 8 * READ_SIZE;

/// Answers the complete lines of the pool's mapped input, [`MAPPED_BLOCK`] bytes of whole
/// lines at a time, writing each block's answers; how many bytes they took.
fn answer_mapped<'scope, 'env: 'scope, 'h: 'scope, H: Handler>(
    pool: &'env Pool,
    helpers: &mut Helpers<'scope, 'env, 'h, H>,
    answers: &mut Vec<u8>,
    output: &mut impl Write,
) -> std::io::Result<usize> {
    let bytes = pool.mapped();
    let complete = memchr::memrchr(b'\n', bytes).map_or(0, |at| at + 1);
    let mut start = 0;
    while start < complete {
        let end = if complete - start <= MAPPED_BLOCK {
            complete
        } else {
            let cut = start + MAPPED_BLOCK;
            memchr::memchr(b'\n', &bytes[cut..complete]).map_or(complete, |at| cut + at + 1)
        };
        helpers.answer_and_write(Source::Mapped, start..end, answers, output)?;
        start = end;
    }
    Ok(complete)
}

/// A file up to this size is mapped with all its pages at once; a larger one a page fault
/// at a time as it is read (its pages are not all read, or held, before the first line).
const POPULATE_MAX: u64 = 1 << 26;

/// `file` (of `len` bytes) mapped, with stdin's `offset` in it (where the batch starts);
/// `None` when it cannot be (it is then read).
fn map_from_offset(file: &std::fs::File, offset: u64, len: u64) -> Option<(Mapping, usize)> {
    let offset = usize::try_from(offset).ok()?;
    let mapping = if len <= POPULATE_MAX {
        Mapping::populated(file)
    } else {
        Mapping::of(file)
    };
    #[cfg(test)]
    tests::MAPPED.with(|mapped| mapped.set(mapped.get() + 1));
    Some((mapping.ok()?, offset))
}

/// The read buffer's first size: a file on stdin smaller than [`READ_SIZE`] whole and one
/// byte more (the read that finds its end), else [`READ_SIZE`]; a longer line grows it.
/// A few lines in a small file then cost no megabyte of pages mapped for nothing (a
/// quarter of such a run's page faults).
fn buffer_size(size: Option<u64>) -> usize {
    size.and_then(|size| usize::try_from(size).ok())
        .map_or(READ_SIZE, |size| size.saturating_add(1).min(READ_SIZE))
}

/// Answers each line of `block` in order. The block is checked as UTF-8 once; only when
/// that fails is each line checked on its own, so that one bad line is one error line.
fn answer_lines<H: Handler>(block: &[u8], answers: &mut Vec<u8>, handle: &H) {
    if H::IN_PLACE {
        return answer_lines_in_place(block, answers, handle);
    }
    let mut start = 0;
    let Ok(text) = std::str::from_utf8(block) else {
        while start < block.len() {
            start = answer_checked_line(block, start, answers, handle);
        }
        return;
    };
    while start < block.len() {
        // A last line without its newline ends the block.
        let (end, tab) = line_at(block, start);
        // Cut at `\n` bytes: whole characters, no second UTF-8 check.
        let line = &text[start..end];
        start = end + 1;
        let line = Line {
            text: line.strip_suffix('\r').unwrap_or(line),
            tab,
        };
        answer_line(Ok(line), answers, handle);
    }
}

/// Answers each line of `block` in order, from its bytes when the handler's byte path
/// can; any other line is checked as UTF-8 on its own and answered as text.
fn answer_lines_in_place(block: &[u8], answers: &mut Vec<u8>, handle: &impl Handler) {
    let mut start = 0;
    while start < block.len() {
        if let Some(used) = handle.answer_in_place(&block[start..], answers) {
            debug_assert_eq!(block[start + used - 1], b'\n');
            debug_assert_eq!(answers.last(), Some(&b'\n'));
            start += used;
            continue;
        }
        start = answer_checked_line(block, start, answers, handle);
    }
}

/// Answers the line of `block` at `start` as text, checked as UTF-8 on its own (a line
/// that is not is one error line); where the next line starts.
fn answer_checked_line(
    block: &[u8],
    start: usize,
    answers: &mut Vec<u8>,
    handle: &impl Handler,
) -> usize {
    let (end, tab) = line_at(block, start);
    let line = &block[start..end];
    let line = std::str::from_utf8(line.strip_suffix(b"\r").unwrap_or(line))
        .map(|text| Line { text, tab })
        .map_err(|e| format!("line is not UTF-8: {e}"));
    answer_line(line, answers, handle);
    end + 1
}

#[allow(clippy::inline_always)] // in the line loop, with the handler: see `line_at`
#[inline(always)]
fn answer_line(line: Result<Line<'_>, String>, answers: &mut Vec<u8>, handle: &impl Handler) {
    let mark = answers.len();
    match line.and_then(|line| handle.answer(line, answers)) {
        Ok(()) => answers.push(b'\n'),
        Err(message) => answer_error(mark, &message, answers),
    }
}

/// Replaces what a failed answer appended from `mark` on by its error line.
#[cold]
#[inline(never)]
fn answer_error(mark: usize, message: &str, answers: &mut Vec<u8>) {
    answers.truncate(mark);
    answers.extend_from_slice(b"error\t");
    push_one_line(message, answers);
    answers.push(b'\n');
}

/// A message on one line (white space for line breaks and tabs), cut to at most
/// [`MESSAGE_LIMIT`] bytes at a character boundary, saying how long it was when cut.
fn push_one_line(message: &str, out: &mut Vec<u8>) {
    let mut end = message.len().min(MESSAGE_LIMIT);
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    out.extend(message.as_bytes()[..end].iter().map(|&b| match b {
        b'\n' | b'\r' | b'\t' => b' ',
        b => b,
    }));
    if end < message.len() {
        out.extend_from_slice(format!("… ({} bytes)", message.len()).as_bytes());
    }
}

/// Splits `A<TAB>B`.
pub(crate) fn pair(line: &str) -> Result<(&str, &str), String> {
    Line::new(line).pair()
}

/// The offset of the one TAB of `line`, or `None` when it has none or several (for a line
/// not read by [`line_at`]).
fn only_tab(line: &[u8]) -> Option<usize> {
    let tab = memchr::memchr(b'\t', line)?;
    memchr::memchr(b'\t', &line[tab + 1..])
        .is_none()
        .then_some(tab)
}

/// How far [`line_at`] looks a word at a time before it hands over to `memchr`.
const SHORT_SCAN: usize = 32;

/// The line that starts at `start` in `bytes`: the offset of its `\n` (or the end of
/// `bytes` when it has none) and, relative to `start`, the offset of its one TAB (`None`
/// when it has none or several).
///
/// Batch lines are short (16 bytes for a pair of versions), and `memchr`'s vector search
/// costs more to start than to run on them: the first [`SHORT_SCAN`] bytes are read a word
/// at a time, each word matched for the newline and the TAB at once; a longer line is left
/// to `memchr`.
#[allow(clippy::inline_always)] // in the line loop: a call cost a fifth of the scan (callgrind)
#[inline(always)]
fn line_at(bytes: &[u8], start: usize) -> (usize, Option<usize>) {
    let rest = &bytes[start..];
    let mut tabs = Tabs::default();
    let mut at = 0;
    while at + 8 <= rest.len() {
        let word = word_of(&rest[at..at + 8]);
        let newline = matches(word, b'\n');
        let tab = matches(word, b'\t');
        if newline != 0 {
            // Only the TABs before the newline (the bits below its lowest).
            tabs.add(at, tab & ((newline & newline.wrapping_neg()) - 1));
            return (start + at + lowest(newline), tabs.only());
        }
        tabs.add(at, tab);
        at += 8;
        if at == SHORT_SCAN {
            let end = memchr::memchr(b'\n', &rest[at..]).map_or(rest.len(), |found| at + found);
            if let Some(found) = memchr::memchr(b'\t', &rest[at..end]) {
                tabs.add_one(at + found);
                if memchr::memchr(b'\t', &rest[at + found + 1..end]).is_some() {
                    tabs.several = true;
                }
            }
            return (start + end, tabs.only());
        }
    }
    // Fewer than eight bytes left in the block: its last line.
    for (i, &b) in rest[at..].iter().enumerate() {
        match b {
            b'\n' => return (start + at + i, tabs.only()),
            b'\t' => tabs.add_one(at + i),
            _ => {}
        }
    }
    (bytes.len(), tabs.only())
}

/// The TABs of a line, as its words are read: the first one's offset, and whether there
/// are several.
#[derive(Default)]
struct Tabs {
    first: Option<usize>,
    several: bool,
}

impl Tabs {
    /// The TABs that `mask` (from [`matches`]) marks in the word at offset `at`.
    #[inline]
    fn add(&mut self, at: usize, mask: u64) {
        if mask != 0 {
            if self.first.is_some() || mask & (mask - 1) != 0 {
                self.several = true;
            } else {
                self.first = Some(at + lowest(mask));
            }
        }
    }

    /// A TAB at offset `at`.
    #[inline]
    fn add_one(&mut self, at: usize) {
        if self.first.is_some() {
            self.several = true;
        } else {
            self.first = Some(at);
        }
    }

    /// The offset of the only TAB.
    #[inline]
    fn only(self) -> Option<usize> {
        if self.several {
            None
        } else {
            self.first
        }
    }
}

/// Eight bytes as a little-endian word.
#[inline]
fn word_of(bytes: &[u8]) -> u64 {
    u64::from_le_bytes(bytes.try_into().expect("eight bytes"))
}

/// The high bit of every byte of `word` equal to `needle`, exactly.
#[inline]
fn matches(word: u64, needle: u8) -> u64 {
    const LOWS: u64 = u64::from_ne_bytes([0x7f; 8]);
    let x = word ^ (u64::from_ne_bytes([1; 8]) * u64::from(needle));
    // Per byte: the high bit set when any bit is, with no carry into the next byte.
    !(((x & LOWS) + LOWS) | x | LOWS)
}

/// The offset of the lowest byte whose high bit `mask` sets.
#[inline]
fn lowest(mask: u64) -> usize {
    mask.trailing_zeros() as usize / 8
}

/// `input` as a file when it is a regular file (stdin redirected from one), for [`run`];
/// `None` for a pipe, a terminal or a socket. The file shares `input`'s offset.
#[cfg(unix)]
pub(crate) fn regular_file(input: &impl std::os::fd::AsFd) -> Option<std::fs::File> {
    let file = std::fs::File::from(input.as_fd().try_clone_to_owned().ok()?);
    file.metadata().ok()?.is_file().then_some(file)
}

/// Elsewhere stdin is read in blocks, whatever it is.
#[cfg(not(unix))]
pub(crate) fn regular_file<T>(_input: &T) -> Option<std::fs::File> {
    None
}

/// The threads a batch mode answers on: every core the process may use.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    fn plus(line: Line<'_>, out: &mut Vec<u8>) -> Result<(), String> {
        let (a, b) = line.pair()?;
        out.extend_from_slice(format!("{a}+{b}").as_bytes());
        Ok(())
    }

    /// `bytes` in a new file (already unlinked), open for reading at its start.
    fn file_of(bytes: &[u8]) -> std::fs::File {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "exposure-batch-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, bytes).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        file
    }

    thread_local! {
        /// Files mapped by `run` on this thread (`map_from_offset`).
        pub(super) static MAPPED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Answers `input` from `file` (at its offset) as the batch answers stdin redirected from
    /// it, and checks that the file's offset was moved to its end, and that a large file was
    /// mapped.
    fn answers_from_file(file: &std::fs::File, threads: usize, handle: impl Handler) -> Vec<u8> {
        let mut file = file;
        let left = file.metadata().unwrap().len() - file.stream_position().unwrap();
        let mapped = MAPPED.with(std::cell::Cell::get);
        let mut out = Vec::new();
        run(file, &mut out, threads, Some(file), handle).unwrap();
        let end = file.metadata().unwrap().len();
        assert_eq!(file.stream_position().unwrap(), end, "read to its end");
        let large = left >= PARALLEL_MIN as u64;
        assert_eq!(
            MAPPED.with(std::cell::Cell::get) > mapped,
            large,
            "mapped when large"
        );
        out
    }

    /// The answers read in blocks, as from a pipe, checked equal to those from a file (a
    /// large one mapped), from its start and from a line in the middle (stdin's offset).
    fn answers(input: &[u8], threads: usize) -> String {
        let mut piped = Vec::new();
        run(input, &mut piped, threads, None, plus).unwrap();
        let from_file = answers_from_file(&file_of(input), threads, plus);
        assert!(
            piped == from_file,
            "{threads} threads: a pipe and a file differ"
        );
        let middle = memchr::memchr(b'\n', &input[input.len() / 2..])
            .map_or(input.len(), |at| input.len() / 2 + at + 1);
        let mut rest = Vec::new();
        run(&input[middle..], &mut rest, threads, None, plus).unwrap();
        let mut file = file_of(input);
        file.seek(SeekFrom::Start(middle as u64)).unwrap();
        assert!(
            rest == answers_from_file(&file, threads, plus),
            "{threads} threads: from an offset"
        );
        String::from_utf8(piped).unwrap()
    }

    #[test]
    fn one_line_out_per_line_in_with_errors_inline() {
        assert_eq!(
            answers(b"a\tb\r\nbad\n\xff\nlast", 1),
            "a+b\nerror\texpected two fields separated by one TAB\nerror\tline is not UTF-8: invalid utf-8 sequence of 1 bytes from index 0\nerror\texpected two fields separated by one TAB\n"
        );
        assert_eq!(answers(b"", 1), "");
        assert_eq!(
            answers(b"\n", 1),
            "error\texpected two fields separated by one TAB\n"
        );
    }

    /// A byte path for [`plus`]: `A<TAB>B\n` with both ASCII digits.
    fn plus_in_place(bytes: &[u8], out: &mut Vec<u8>) -> Option<usize> {
        let tab = bytes.iter().position(|b| !b.is_ascii_digit())?;
        let rest = bytes.get(tab + 1..).filter(|_| bytes[tab] == b'\t')?;
        let end = rest.iter().position(|b| !b.is_ascii_digit())?;
        if rest[end] != b'\n' {
            return None;
        }
        out.extend_from_slice(&bytes[..tab]);
        out.push(b'+');
        out.extend_from_slice(&rest[..end]);
        out.push(b'\n');
        Some(tab + end + 2)
    }

    #[test]
    fn a_byte_path_answers_as_the_text_path_around_it() {
        // Lines it answers, lines it leaves (CRLF, letters, no TAB, several, not UTF-8, a
        // last line without its newline), in blocks split anywhere.
        let mut input = Vec::new();
        for i in 0..30_000u32 {
            let line: &[u8] = match i % 11 {
                0 => b"12\t34\r\n",
                1 => b"a\t1\n",
                2 => b"\xff\t1\n",
                3 => b"1\t2\t3\n",
                4 => b"\n",
                5 => b"7\n",
                _ => b"",
            };
            if line.is_empty() {
                input.extend_from_slice(format!("{i}\t{}\n", i % 97).as_bytes());
            } else {
                input.extend_from_slice(line);
            }
        }
        input.extend_from_slice(b"5\t6");
        let handler = || InPlace {
            answer: plus,
            in_place: plus_in_place,
        };
        for threads in [1, 2, 3] {
            let (mut text, mut bytes) = (Vec::new(), Vec::new());
            run(input.as_slice(), &mut text, threads, None, plus).unwrap();
            run(input.as_slice(), &mut bytes, threads, None, handler()).unwrap();
            assert!(text == bytes, "{threads} threads");
            assert!(text.ends_with(b"5+6\n"));
            // From a file, mapped: a chunk's lines are answered from their copy.
            let mapped = answers_from_file(&file_of(&input), threads, handler());
            assert!(text == mapped, "{threads} threads, mapped");
        }
    }

    #[test]
    fn a_failed_answer_leaves_nothing_of_itself() {
        let handle = |line: Line<'_>, out: &mut Vec<u8>| {
            out.extend_from_slice(b"partial");
            if line.text() == "bad" {
                return Err("no".to_owned());
            }
            Ok(())
        };
        let mut out = Vec::new();
        run(b"ok\nbad\n".as_slice(), &mut out, 1, None, handle).unwrap();
        assert_eq!(out, b"partial\nerror\tno\n");
    }

    #[test]
    fn many_threads_answer_in_input_order() {
        // Lines of every length around the block and read sizes, some not UTF-8.
        let mut input = Vec::new();
        let mut expected = String::new();
        for i in 0..200_000u32 {
            if i % 9_973 == 0 {
                input.extend_from_slice(b"\xfe\tx\n");
                expected.push_str(
                    "error\tline is not UTF-8: invalid utf-8 sequence of 1 bytes from index 0\n",
                );
                continue;
            }
            let pad = "x".repeat((i % 37) as usize);
            input.extend_from_slice(format!("{i}\t{pad}\n").as_bytes());
            writeln!(expected, "{i}+{pad}").unwrap();
        }
        for threads in [1, 2, 3, 8] {
            assert_eq!(answers(&input, threads), expected, "{threads} threads");
        }
    }

    /// Lines enough for the helper threads to take part.
    fn many_lines() -> Vec<u8> {
        (0..20_000)
            .flat_map(|i| format!("{i}\tx\n").into_bytes())
            .collect()
    }

    #[test]
    fn a_handler_that_panics_on_a_helper_thread_panics_the_batch_without_hanging() {
        let input = many_lines();
        let handle = |line: Line<'_>, out: &mut Vec<u8>| {
            assert!(line.text() != "19999\tx", "the last line");
            plus(line, out)
        };
        let piped = std::panic::catch_unwind(|| {
            run(input.as_slice(), Vec::new(), 2, None, handle).unwrap();
        });
        assert!(piped.is_err());
        let file = file_of(&input);
        let mapped = std::panic::catch_unwind(|| {
            run(&file, Vec::new(), 2, Some(&file), handle).unwrap();
        });
        assert!(mapped.is_err());
    }

    #[test]
    fn a_failed_read_stops_the_helpers_and_is_the_batchs_error() {
        /// Lines, then an error.
        struct Failing(Vec<u8>, bool);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if std::mem::replace(&mut self.1, true) {
                    return Err(std::io::Error::other("disk gone"));
                }
                let n = self.0.len().min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                Ok(n)
            }
        }
        let input = many_lines();
        let mut out = Vec::new();
        let failed = run(Failing(input.clone(), false), &mut out, 2, None, plus);
        assert_eq!(failed.unwrap_err().to_string(), "disk gone");
        // The lines before the error were answered.
        assert_eq!(memchr::memchr_iter(b'\n', &out).count(), 20_000);
    }

    #[test]
    fn a_line_longer_than_the_buffer_is_one_line() {
        let long = "y".repeat(READ_SIZE * 2 + 17);
        let input = format!("a\tb\n{long}\t1\nc\td");
        assert_eq!(
            answers(input.as_bytes(), 2),
            format!("a+b\n{long}+1\nc+d\n")
        );
    }

    /// The line's end and its only TAB as found byte by byte.
    fn line_at_slowly(bytes: &[u8], start: usize) -> (usize, Option<usize>) {
        let end = (start..bytes.len())
            .find(|&i| bytes[i] == b'\n')
            .unwrap_or(bytes.len());
        let tabs: Vec<usize> = (start..end).filter(|&i| bytes[i] == b'\t').collect();
        (end, (tabs.len() == 1).then(|| tabs[0] - start))
    }

    #[test]
    fn line_at_finds_the_end_and_the_only_tab_anywhere() {
        // Bytes that differ from a TAB or a newline by one bit or by a borrow.
        let filler = [b'a', b'\x08', b'\x0b', b'\x89', 0x00, 0xff, b'\x0e', b'\r'];
        for len in 0..80usize {
            for tabs in [
                vec![],
                vec![0],
                vec![len / 2],
                vec![len.saturating_sub(1)],
                vec![1, len / 2 + 2],
                vec![7, 8],
                vec![31, 40],
                vec![33],
            ] {
                for newline in [None, Some(len / 3), Some(len.saturating_sub(1)), Some(len)] {
                    let mut bytes: Vec<u8> = (0..len).map(|i| filler[i % 8]).collect();
                    for &at in tabs.iter().filter(|&&at| at < len) {
                        bytes[at] = b'\t';
                    }
                    if let Some(at) = newline.filter(|&at| at < len) {
                        bytes[at] = b'\n';
                    }
                    // Lines after this one, or none.
                    for more in [&b""[..], b"x\ty\n", b"\t\t\t\t\t\t\t\t\n"] {
                        let mut block = bytes.clone();
                        block.extend_from_slice(more);
                        for start in [0, 1, 5].into_iter().filter(|&s| s <= len) {
                            assert_eq!(
                                line_at(&block, start),
                                line_at_slowly(&block, start),
                                "{block:?} from {start}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn pairs_have_exactly_one_tab() {
        for len in 0..70usize {
            for tabs in [
                vec![],
                vec![0],
                vec![len / 2],
                vec![len.saturating_sub(1)],
                vec![1, len / 2 + 2],
            ] {
                // Bytes that differ from a TAB by one bit or by a borrow.
                let mut line: Vec<u8> = (0..len)
                    .map(|i| [b'a', b'\x08', b'\x0b', b'\x89', 0x00, 0xff][i % 6])
                    .collect();
                for &at in tabs.iter().filter(|&&at| at < len) {
                    line[at] = b'\t';
                }
                let all: Vec<usize> = (0..len).filter(|&i| line[i] == b'\t').collect();
                let expected = (all.len() == 1).then(|| all[0]);
                assert_eq!(only_tab(&line), expected, "{line:?}");
            }
        }
        assert_eq!(pair("1.2.3\t1.2.4"), Ok(("1.2.3", "1.2.4")));
        assert_eq!(pair("é\tü"), Ok(("é", "ü")));
        for bad in ["1.2.3", "1\t2\t3", "\t\t"] {
            assert_eq!(
                pair(bad),
                Err("expected two fields separated by one TAB".to_owned())
            );
        }
    }

    #[test]
    fn error_lines_quote_a_bounded_prefix() {
        let huge = "é".repeat(100_000);
        let mut line = Vec::new();
        push_one_line(&format!("invalid version {huge:?}\n"), &mut line);
        let line = String::from_utf8(line).unwrap();
        assert!(line.len() <= MESSAGE_LIMIT + 32, "{}", line.len());
        assert!(line.ends_with("bytes)"), "{line}");
        assert!(!line.contains('\n'));
    }
}
