//! Line-oriented batch modes: one output line per input line, in order; a line that cannot be
//! handled yields `error<TAB>message` and processing continues.

use std::io::{BufRead, Write};

/// Runs `handle` over every line of `input` (UTF-8, `\n` or `\r\n` separated) and writes one
/// line per input line to `output`.
pub(crate) fn run(
    input: impl BufRead,
    mut output: impl Write,
    mut handle: impl FnMut(&str) -> Result<String, String>,
) -> std::io::Result<()> {
    for line in input.split(b'\n') {
        let mut bytes = line?;
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        let result = match std::str::from_utf8(&bytes) {
            Ok(text) => handle(text),
            Err(e) => Err(format!("line is not UTF-8: {e}")),
        };
        match result {
            Ok(answer) => writeln!(output, "{answer}")?,
            // Keep the error on one line whatever the message holds.
            Err(message) => writeln!(
                output,
                "error\t{}",
                message.replace(['\n', '\r', '\t'], " ")
            )?,
        }
    }
    output.flush()
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
        let input = b"a\tb\r\nbad\n\xff\n".as_slice();
        let mut out = Vec::new();
        run(input, &mut out, |line| {
            pair(line).map(|(a, b)| format!("{a}+{b}"))
        })
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a+b\nerror\texpected two fields separated by one TAB\nerror\tline is not UTF-8: invalid utf-8 sequence of 1 bytes from index 0\n"
        );
    }
}
