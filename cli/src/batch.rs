//! Line-oriented batch modes: one output line per input line, in order; a line that cannot be
//! handled yields `error<TAB>message` and processing continues.
//!
//! Answers are buffered while more complete lines are already waiting, and flushed before
//! every read that could wait for the writer: a program that writes one line and reads its
//! answer (a co-process) never waits on an answer still sitting in our buffer, and a batch
//! of many lines costs no write per line.

use std::io::{BufRead, BufReader, Read, Write};

/// How much of an error message an error line quotes (a message names its input, which
/// may be huge).
const MESSAGE_LIMIT: usize = 512;

/// Runs `handle` over every line of `input` (UTF-8, `\n` or `\r\n` separated) and writes one
/// line per input line to `output`.
pub(crate) fn run<R: Read>(
    mut input: BufReader<R>,
    mut output: impl Write,
    mut handle: impl FnMut(&str) -> Result<String, String>,
) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    loop {
        // The next line is not complete in the buffer: reading it may wait for the writer,
        // who may be waiting for the answers so far.
        if !input.buffer().contains(&b'\n') {
            output.flush()?;
        }
        bytes.clear();
        if input.read_until(b'\n', &mut bytes)? == 0 {
            break;
        }
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
        }
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        let result = match std::str::from_utf8(&bytes) {
            Ok(text) => handle(text),
            Err(e) => Err(format!("line is not UTF-8: {e}")),
        };
        match result {
            Ok(answer) => writeln!(output, "{answer}")?,
            Err(message) => writeln!(output, "error\t{}", one_line(&message))?,
        }
    }
    output.flush()
}

/// A message on one line (white space for line breaks and tabs), cut to at most
/// [`MESSAGE_LIMIT`] bytes at a character boundary, saying how long it was when cut.
fn one_line(message: &str) -> String {
    use std::fmt::Write as _;
    let mut end = message.len().min(MESSAGE_LIMIT);
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = message[..end].replace(['\n', '\r', '\t'], " ");
    if end < message.len() {
        let _ = write!(out, "… ({} bytes)", message.len());
    }
    out
}

/// Splits `A<TAB>B`.
pub(crate) fn pair(line: &str) -> Result<(&str, &str), String> {
    let mut parts = line.split('\t');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), None) => Ok((a, b)),
        _ => Err("expected two fields separated by one TAB".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_out_per_line_in_with_errors_inline() {
        let input = BufReader::new(b"a\tb\r\nbad\n\xff\nlast".as_slice());
        let mut out = Vec::new();
        run(input, &mut out, |line| {
            pair(line).map(|(a, b)| format!("{a}+{b}"))
        })
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a+b\nerror\texpected two fields separated by one TAB\nerror\tline is not UTF-8: invalid utf-8 sequence of 1 bytes from index 0\nerror\texpected two fields separated by one TAB\n"
        );
    }

    #[test]
    fn error_lines_quote_a_bounded_prefix() {
        let huge = "é".repeat(100_000);
        let line = one_line(&format!("invalid version {huge:?}"));
        assert!(line.len() <= MESSAGE_LIMIT + 32, "{}", line.len());
        assert!(line.ends_with("bytes)"), "{line}");
    }
}
