//! Attribute values: ANY, NA, or a value string in the WFN's own quoting, built from the
//! characters each binding decodes.

use super::CpeErrorKind;

/// The value of one attribute of a [`Cpe`](super::Cpe).
///
/// A string value is kept as the WFN writes it (NISTIR 7695 §5.3.2): lower case, letters,
/// digits and `_` as they are, every other character quoted with `\`, and the wildcards `*`
/// (alone, at the start or end) and `?` (runs at the start or end) unquoted.
///
/// ```
/// use exposure::cpe::{Attribute, Cpe, Value};
/// let cpe: Cpe = "cpe:2.3:a:microsoft:internet_explorer:8.*:-:*:*:*:*:*:*".parse()?;
/// assert_eq!(cpe.get(Attribute::Version), &Value::Text("8\\.*".into()));
/// assert_eq!(cpe.get(Attribute::Update), &Value::Na);
/// assert_eq!(cpe.get(Attribute::Edition), &Value::Any);
/// assert_eq!(cpe.get(Attribute::Version).literal(), None); // it has a wildcard
/// assert_eq!(cpe.get(Attribute::Product).literal().as_deref(), Some("internet_explorer"));
/// # Ok::<(), exposure::cpe::CpeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    /// Any value (`*` in a formatted string, empty in a URI).
    Any,
    /// Not applicable (`-`).
    Na,
    /// A value string in WFN form.
    Text(Box<str>),
}

impl Value {
    /// The WFN form of a string value (`8\.0\.6001`), `None` for ANY and NA.
    pub fn as_wfn(&self) -> Option<&str> {
        match self {
            Value::Text(text) => Some(text),
            Value::Any | Value::Na => None,
        }
    }

    /// Whether the value is a string with an unquoted `*` or `?`.
    pub fn has_wildcards(&self) -> bool {
        self.as_wfn().is_some_and(has_wildcards)
    }

    /// The text the value stands for, quoting removed (`8\.0\.6001` → `8.0.6001`); `None`
    /// for ANY, NA and values with wildcards, which stand for no single text.
    pub fn literal(&self) -> Option<String> {
        let text = self.as_wfn()?;
        if has_wildcards(text) {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                out.extend(chars.next());
            } else {
                out.push(c);
            }
        }
        Some(out)
    }
}

/// Whether a WFN string has an unquoted `*` or `?`.
pub(crate) fn has_wildcards(wfn: &str) -> bool {
    let bytes = wfn.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'*' | b'?' => return true,
            _ => i += 1,
        }
    }
    false
}

/// One character of a value as a binding decoded it, with where it started in the input.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Char {
    /// A character standing for itself.
    Literal(u8),
    /// An unquoted `*` or `?`.
    Wild(u8),
}

/// The value of a built string: a lone unquoted `*` (WFN text `"*"`, URI `%02`) is ANY, which
/// every binding writes as ANY; anything else is a string.
pub(crate) fn text_value(wfn: Box<str>) -> Value {
    if &*wfn == "*" {
        Value::Any
    } else {
        Value::Text(wfn)
    }
}

/// Punctuation a WFN and a formatted string quote (NISTIR 7695 `punc`), and `\`, `*`, `?`.
pub(crate) fn is_punctuation(b: u8) -> bool {
    b.is_ascii_graphic() && !b.is_ascii_alphanumeric() && !matches!(b, b'_' | b'.' | b'-')
}

/// Builds the WFN form of a value from its decoded characters, checking NISTIR 7695's rules:
/// printable ASCII only; `*` only as the first or last character; `?` only in a run at the
/// start or the end. `offsets[i]` is where `chars[i]` starts in the input, and `start` where
/// the value does, for errors.
pub(crate) fn build(
    chars: &[Char],
    offsets: &[usize],
    start: usize,
) -> Result<Box<str>, (usize, CpeErrorKind)> {
    let Some(last) = chars.len().checked_sub(1) else {
        return Err((start, CpeErrorKind::Empty));
    };
    let wild = |c: &Char, w: u8| matches!(c, Char::Wild(x) if *x == w);
    let mut out = String::with_capacity(chars.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        let at = offsets.get(i).copied().unwrap_or(0);
        match *c {
            Char::Wild(b'*') => {
                if i != 0 && i != last {
                    return Err((at, CpeErrorKind::EmbeddedAsterisk));
                }
                out.push('*');
            }
            Char::Wild(_) => {
                let leading = chars[..i].iter().all(|c| wild(c, b'?'));
                let trailing = chars[i + 1..].iter().all(|c| wild(c, b'?'));
                if !leading && !trailing {
                    return Err((at, CpeErrorKind::EmbeddedQuestionMark));
                }
                out.push('?');
            }
            Char::Literal(b) => {
                if !(0x21..=0x7e).contains(&b) {
                    return Err((at, CpeErrorKind::Character(char::from(b))));
                }
                let b = b.to_ascii_lowercase();
                if !b.is_ascii_alphanumeric() && b != b'_' {
                    out.push('\\');
                }
                out.push(char::from(b));
            }
        }
    }
    Ok(out.into_boxed_str())
}

/// Decodes the characters of a WFN string (the text form and the formatted string share
/// this quoting): `\x` is `x`, unquoted `*` and `?` are wildcards; `unquoted_ok` says which
/// other characters may stand unquoted and `quotable` which may follow a `\`.
pub(crate) fn decode_quoted(
    text: &str,
    base: usize,
    unquoted_ok: impl Fn(u8) -> bool,
    quotable: impl Fn(u8) -> bool,
) -> Result<(Vec<Char>, Vec<usize>), (usize, CpeErrorKind)> {
    let bytes = text.as_bytes();
    let (mut chars, mut offsets) = (
        Vec::with_capacity(bytes.len()),
        Vec::with_capacity(bytes.len()),
    );
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        offsets.push(base + i);
        match b {
            b'\\' => {
                let Some(&next) = bytes.get(i + 1) else {
                    return Err((base + i, CpeErrorKind::DanglingQuote));
                };
                if !quotable(next) {
                    let found = text[i + 1..].chars().next().unwrap_or('?');
                    return Err((base + i + 1, CpeErrorKind::Quoted(found)));
                }
                chars.push(Char::Literal(next));
                i += 2;
                continue;
            }
            b'*' | b'?' => chars.push(Char::Wild(b)),
            _ if b.is_ascii_alphanumeric() || b == b'_' || (unquoted_ok(b) && b.is_ascii()) => {
                chars.push(Char::Literal(b));
            }
            _ => {
                let found = text[i..].chars().next().unwrap_or('?');
                return Err((base + i, CpeErrorKind::Character(found)));
            }
        }
        i += 1;
    }
    Ok((chars, offsets))
}
