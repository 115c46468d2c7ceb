//! The CPE 2.3 formatted string binding (NISTIR 7695 §6.2).

use super::value::{build, decode_quoted, is_punctuation, text_value, Value};
use super::{Attribute, Cpe, CpeError, CpeErrorKind};

const PREFIX: &str = "cpe:2.3:";

/// `unbind_fs`: eleven components split at unquoted `:`; `*` is ANY, `-` is NA, any other
/// component is a value in the grammar of NISTIR 7695 Figure 6-3 (its `add_quoting` would
/// also take unquoted punctuation, which the grammar forbids: we reject it).
pub(super) fn parse(input: &str) -> Result<Cpe, CpeError> {
    if input.len() < PREFIX.len()
        || !input.as_bytes()[..PREFIX.len()].eq_ignore_ascii_case(PREFIX.as_bytes())
    {
        return Err(CpeError::new(input, 0, None, CpeErrorKind::Prefix));
    }
    let components = split_unquoted(input, PREFIX.len());
    if components.len() != 11 {
        return Err(CpeError::new(
            input,
            PREFIX.len(),
            None,
            CpeErrorKind::ComponentCount {
                found: components.len(),
                expected: 11,
            },
        ));
    }
    let mut values: [Value; 11] = std::array::from_fn(|_| Value::Any);
    for (i, &(start, end)) in components.iter().enumerate() {
        let attribute = Attribute::ALL[i];
        let err =
            |(at, kind): (usize, CpeErrorKind)| CpeError::new(input, at, Some(attribute), kind);
        values[i] = match &input[start..end] {
            "*" => Value::Any,
            "-" => Value::Na,
            text => {
                // Unquoted, only letters, digits, `_`, `-` and `.` (and the wildcards); every
                // other character is quoted (NISTIR 7695 Figure 6-3).
                // Quoted, only punctuation, and `-` for a value that is a lone hyphen.
                let (chars, offsets) = decode_quoted(
                    text,
                    start,
                    |b| matches!(b, b'-' | b'.'),
                    |b| is_punctuation(b) || b == b'-',
                )
                .map_err(err)?;
                text_value(build(&chars, &offsets, start).map_err(err)?)
            }
        };
    }
    Cpe::from_values(values).map_err(|(attribute, kind)| {
        CpeError::new(
            input,
            components[attribute as usize].0,
            Some(attribute),
            kind,
        )
    })
}

/// Byte ranges of the components after `from`, split at `:` not quoted by `\`.
fn split_unquoted(input: &str, from: usize) -> Vec<(usize, usize)> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(11);
    let mut start = from;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b':' => {
                out.push((start, i));
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push((start, bytes.len().max(start)));
    out
}

/// `bind_to_fs`: ANY is `*`, NA is `-`; a string keeps its quoting except for `.`, `-` and
/// `_`, which need none here (`process_quoted_chars`). A value that is a literal `-` stays
/// `\-`, which NISTIR's algorithm would write as `-`, the binding of NA.
pub(super) fn bind(cpe: &Cpe) -> String {
    let mut out = String::with_capacity(64);
    out.push_str(PREFIX);
    for (i, value) in cpe.values().iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        match value {
            Value::Any => out.push('*'),
            Value::Na => out.push('-'),
            Value::Text(text) if &**text == "\\-" => out.push_str("\\-"),
            Value::Text(text) => {
                let mut chars = text.chars();
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        let next = chars.next().unwrap_or('\\');
                        if !matches!(next, '.' | '-' | '_') {
                            out.push('\\');
                        }
                        out.push(next);
                    } else {
                        out.push(c);
                    }
                }
            }
        }
    }
    out
}
