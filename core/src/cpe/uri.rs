//! The CPE 2.2 URI binding (NISTIR 7695 §6.1): `cpe:/part:vendor:product:version:update:
//! edition:language`, percent-encoding, `%01` (`?`) and `%02` (`*`), and the edition
//! packed with `~` when the 2.3-only attributes have values.

use super::value::{plain_wfn, Builder, Value};
use super::{Attribute, Cpe, CpeError, CpeErrorKind};
use std::fmt::Write as _;

const PREFIX: &str = "cpe:/";

/// Characters a URI percent-encodes (NISTIR 7695 §6.1.2.3, `pct_encode`); `-` and `.` are
/// written as they are.
const ENCODED: &[u8] = b"!\"#$%&'()*+,/:;<=>?@[\\]^`{|}~";

/// `unbind_uri`: up to seven components, missing ones ANY; an edition starting with `~` is
/// unpacked into edition, sw_edition, target_sw, target_hw and other.
pub(super) fn parse(input: &str) -> Result<Cpe, CpeError> {
    if input.len() < PREFIX.len()
        || !input.as_bytes()[..PREFIX.len()].eq_ignore_ascii_case(PREFIX.as_bytes())
    {
        return Err(CpeError::new(input, 0, None, CpeErrorKind::Prefix));
    }
    let mut components: smallvec::SmallVec<[(usize, usize); 8]> = smallvec::SmallVec::new();
    let mut start = PREFIX.len();
    for (i, b) in input.bytes().enumerate().skip(PREFIX.len()) {
        if b == b':' {
            components.push((start, i));
            start = i + 1;
        }
    }
    components.push((start, input.len()));
    if components.len() > 7 {
        return Err(CpeError::new(
            input,
            components[7].0,
            None,
            CpeErrorKind::ComponentCount {
                found: components.len(),
                expected: 7,
            },
        ));
    }
    let mut values: Box<[Value; 11]> = Box::new(std::array::from_fn(|_| Value::Any));
    let order = [0, 1, 2, 3, 4, 5, 6];
    for (&slot, &(start, end)) in order.iter().zip(&components) {
        let text = &input[start..end];
        if slot == 5 && text.starts_with('~') {
            let fields: Vec<(usize, usize)> = {
                let mut out = Vec::with_capacity(5);
                let mut from = start + 1;
                for (i, b) in text.bytes().enumerate().skip(1) {
                    if b == b'~' {
                        out.push((from, start + i));
                        from = start + i + 1;
                    }
                }
                out.push((from, end));
                out
            };
            if fields.len() != 5 {
                return Err(CpeError::new(
                    input,
                    start,
                    Some(Attribute::Edition),
                    CpeErrorKind::ComponentCount {
                        found: fields.len(),
                        expected: 5,
                    },
                ));
            }
            let targets = [
                Attribute::Edition,
                Attribute::SwEdition,
                Attribute::TargetSw,
                Attribute::TargetHw,
                Attribute::Other,
            ];
            for (attribute, (from, to)) in targets.into_iter().zip(fields) {
                values[attribute as usize] = decode(input, from, to, attribute)?;
            }
        } else {
            values[slot] = decode(input, start, end, Attribute::ALL[slot])?;
        }
    }
    Cpe::from_values(values).map_err(|(attribute, kind)| {
        // Part and language, the attributes checked here, are components 0 and 6.
        let slot = if attribute == Attribute::Language {
            6
        } else {
            0
        };
        let at = components.get(slot).map_or(PREFIX.len(), |c| c.0);
        CpeError::new(input, at, Some(attribute), kind)
    })
}

/// `decode`: empty is ANY, `-` is NA; letters, digits, `_`, `.`, `-` and `~` stand for
/// themselves; `%01` is `?` (runs at the ends), `%02` is `*` (at an end); other
/// percent-encodings are the characters `pct_encode` writes (and `%2d`, `%2e`, which we
/// write for a value that is a lone `-` or `.`).
fn decode(input: &str, start: usize, end: usize, attribute: Attribute) -> Result<Value, CpeError> {
    let text = &input[start..end];
    match text {
        "" => return Ok(Value::Any),
        "-" => return Ok(Value::Na),
        _ => {}
    }
    let err = |at: usize, kind| CpeError::new(input, at, Some(attribute), kind);
    let bytes = text.as_bytes();
    // The common case: no percent-encoding, only letters, digits, `_`, `.`, `-` and `~`;
    // written directly, `.`, `-` and `~` quoted.
    if bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~'))
    {
        let quote = |b: u8| !b.is_ascii_alphanumeric() && b != b'_';
        let mut value = Value::Any;
        plain_wfn(bytes, quote, &mut value);
        return Ok(value);
    }
    let mut builder = Builder::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let at = start + i;
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') {
            builder.literal(b, at).map_err(|(at, kind)| err(at, kind))?;
            i += 1;
            continue;
        }
        if b != b'%' {
            let found = text[i..].chars().next().unwrap_or('?');
            return Err(err(at, CpeErrorKind::Character(found)));
        }
        let code = bytes
            .get(i + 1..i + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        let pushed = match code {
            Some(0x01) => builder.wild(b'?', at),
            Some(0x02) => builder.wild(b'*', at),
            Some(c) if ENCODED.contains(&c) || c == b'-' || c == b'.' => builder.literal(c, at),
            _ => {
                let shown = text.get(i..(i + 3).min(text.len())).unwrap_or("%");
                return Err(err(at, CpeErrorKind::PercentEncoding(shown.to_owned())));
            }
        };
        pushed.map_err(|(at, kind)| err(at, kind))?;
        i += 3;
    }
    builder.finish(start).map_err(|(at, kind)| err(at, kind))
}

/// `bind_value_for_uri`: ANY is empty, NA is `-`; letters, digits and `_` as they are, `.`
/// and `-` too, wildcards as `%01`/`%02`, everything else percent-encoded. A value that is a
/// lone `-` or `.` is written `%2d`/`%2e` (NISTIR's algorithm would write `-`, which reads
/// back as NA).
fn bind_value(value: &Value, out: &mut String) {
    match value {
        Value::Any => {}
        Value::Na => out.push('-'),
        Value::Text(text) if &**text == "\\-" => out.push_str("%2d"),
        Value::Text(text) if &**text == "\\." => out.push_str("%2e"),
        Value::Text(text) => {
            let mut chars = text.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        let next = chars.next().unwrap_or('\\');
                        if matches!(next, '-' | '.') {
                            out.push(next);
                        } else {
                            let _ = write!(out, "%{:02x}", u32::from(next));
                        }
                    }
                    '?' => out.push_str("%01"),
                    '*' => out.push_str("%02"),
                    other => out.push(other),
                }
            }
        }
    }
}

/// `bind_to_uri`, trailing empty components dropped.
pub(super) fn bind(cpe: &Cpe) -> String {
    let v = |a: Attribute| cpe.get(a);
    let mut components: Vec<String> = Vec::with_capacity(7);
    for attribute in [
        Attribute::Part,
        Attribute::Vendor,
        Attribute::Product,
        Attribute::Version,
        Attribute::Update,
    ] {
        let mut s = String::new();
        bind_value(v(attribute), &mut s);
        components.push(s);
    }
    let extended = [
        Attribute::SwEdition,
        Attribute::TargetSw,
        Attribute::TargetHw,
        Attribute::Other,
    ];
    let mut edition = String::new();
    if extended.iter().all(|a| *v(*a) == Value::Any) {
        bind_value(v(Attribute::Edition), &mut edition);
    } else {
        for attribute in std::iter::once(Attribute::Edition).chain(extended) {
            edition.push('~');
            bind_value(v(attribute), &mut edition);
        }
    }
    components.push(edition);
    let mut language = String::new();
    bind_value(v(Attribute::Language), &mut language);
    components.push(language);
    while components.last().is_some_and(String::is_empty) {
        components.pop();
    }
    let mut out = String::from(PREFIX);
    out.push_str(&components.join(":"));
    out
}
