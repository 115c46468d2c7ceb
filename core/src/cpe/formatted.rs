//! The CPE 2.3 formatted string binding (NISTIR 7695 §6.2).

use super::value::{decode_quoted, is_punctuation, plain_wfn, Value};
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
    let mut values: Box<[Value; 11]> = Box::new(std::array::from_fn(|_| Value::Any));
    for (i, &(start, end)) in components.iter().enumerate() {
        let attribute = Attribute::ALL[i];
        let err =
            |(at, kind): (usize, CpeErrorKind)| CpeError::new(input, at, Some(attribute), kind);
        let text = &input[start..end];
        values[i] = match text.as_bytes() {
            b"*" => continue,
            b"-" => Value::Na,
            // The common case: letters, digits, `_`, `-` and `.` only, with no wildcard and
            // no quoting; its WFN form is written directly (`8.0` → `8\.0`), in place.
            bytes
                if !bytes.is_empty()
                    && bytes
                        .iter()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')) =>
            {
                plain_wfn(bytes, |b| matches!(b, b'-' | b'.'), &mut values[i]);
                continue;
            }
            _ => {
                // Unquoted, only letters, digits, `_`, `-` and `.` (and the wildcards); every
                // other character is quoted (NISTIR 7695 Figure 6-3).
                // Quoted, only punctuation, and `-` for a value that is a lone hyphen.
                decode_quoted(
                    text,
                    start,
                    |b| matches!(b, b'-' | b'.'),
                    |b| is_punctuation(b) || b == b'-',
                )
                .map_err(err)?
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
fn split_unquoted(input: &str, from: usize) -> smallvec::SmallVec<[(usize, usize); 12]> {
    let bytes = input.as_bytes();
    let mut out = smallvec::SmallVec::new();
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
            Value::Text(text) if text.as_bytes() == b"\\-" => out.push_str("\\-"),
            Value::Text(text) => {
                // WFN text is ASCII: bytes are characters.
                let mut bytes = text.as_bytes().iter();
                while let Some(&b) = bytes.next() {
                    if b == b'\\' {
                        let next = bytes.next().copied().unwrap_or(b'\\');
                        if !matches!(next, b'.' | b'-' | b'_') {
                            out.push('\\');
                        }
                        out.push(char::from(next));
                    } else {
                        out.push(char::from(b));
                    }
                }
            }
        }
    }
    out
}
