//! Attribute values: ANY, NA, or a value string in the WFN's own quoting, built from the
//! characters each binding decodes.

use super::CpeErrorKind;
use crate::version::text::Short;

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
    Text(ValueText),
}

/// The text of a string value, in WFN form. Up to 22 bytes (most CPE values) live inline,
/// so parsing a name does not allocate per value; a [`Value`] stays 24 bytes.
///
/// ```
/// use exposure::cpe::ValueText;
/// let text = ValueText::from("internet_explorer");
/// assert_eq!(&*text, "internet_explorer");
/// assert_eq!(text.len(), 17);
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct ValueText(Short<22>);

impl ValueText {
    /// The bytes (ASCII), without re-checking UTF-8: for matching.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// From ASCII bytes a binding built.
    pub(crate) fn from_ascii(bytes: &[u8]) -> Self {
        ValueText(Short::from_ascii(bytes))
    }

    /// Replaces the text with ASCII bytes, in place.
    pub(crate) fn set_ascii(&mut self, bytes: &[u8]) {
        self.0.set_ascii(bytes);
    }
}

impl From<&str> for ValueText {
    fn from(text: &str) -> Self {
        ValueText(Short::new(text))
    }
}

impl From<String> for ValueText {
    fn from(text: String) -> Self {
        ValueText(Short::new(&text))
    }
}

impl std::ops::Deref for ValueText {
    type Target = str;

    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl std::fmt::Debug for ValueText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl std::fmt::Display for ValueText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl PartialOrd for ValueText {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ValueText {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl std::fmt::Display for Value {
    /// `ANY`, `NA`, or a string value in WFN quoting (`8\.0`).
    ///
    /// ```
    /// use exposure::cpe::{Attribute, Cpe};
    /// let ie: Cpe = "cpe:2.3:a:microsoft:ie:8.0:*:*:*:*:*:*:-".parse()?;
    /// assert_eq!(ie.get(Attribute::Version).to_string(), "8\\.0");
    /// assert_eq!(ie.get(Attribute::Update).to_string(), "ANY");
    /// assert_eq!(ie.get(Attribute::Other).to_string(), "NA");
    /// # Ok::<(), exposure::cpe::CpeError>(())
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Any => f.write_str("ANY"),
            Value::Na => f.write_str("NA"),
            Value::Text(text) => write!(f, "{text}"),
        }
    }
}

impl Value {
    /// The WFN form of a string value (`8\.0\.6001`), `None` for ANY and NA.
    pub fn as_wfn(&self) -> Option<&str> {
        match self {
            Value::Text(text) => Some(text),
            Value::Any | Value::Na => None,
        }
    }

    /// The bytes of a string value's WFN form (no UTF-8 check: for hot paths).
    pub(crate) fn wfn_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Text(text) => Some(text.as_bytes()),
            Value::Any | Value::Na => None,
        }
    }

    /// Whether the value is a string with an unquoted `*` or `?`.
    pub fn has_wildcards(&self) -> bool {
        self.wfn_bytes().is_some_and(has_wildcards)
    }

    /// The text the value stands for, quoting removed (`8\.0\.6001` → `8.0.6001`); `None`
    /// for ANY, NA and values with wildcards, which stand for no single text.
    pub fn literal(&self) -> Option<String> {
        let text = self.as_wfn()?;
        if has_wildcards(text.as_bytes()) {
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
pub(crate) fn has_wildcards(bytes: &[u8]) -> bool {
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

/// Builds the WFN form of a value in one pass over the characters a binding decodes,
/// checking NISTIR 7695's rules as it goes: printable ASCII only; `*` only as the first or
/// last character; `?` only in a run at the start or the end. The text collects on the
/// stack and is allocated once, at its exact length.
pub(crate) struct Builder {
    out: smallvec::SmallVec<[u8; 64]>,
    /// Characters pushed so far.
    count: usize,
    /// Whether every character so far was an unquoted `?` (the leading run is open).
    leading: bool,
    /// Where a `?` that is not in the leading run began a run that must end the value.
    trailing_from: Option<usize>,
    /// Where a `*` that is not first stands; only the end of the value may follow it.
    star_at: Option<usize>,
}

impl Builder {
    pub(crate) fn new() -> Self {
        Builder {
            out: smallvec::SmallVec::new(),
            count: 0,
            leading: true,
            trailing_from: None,
            star_at: None,
        }
    }

    /// Anything after a pending `*` or a trailing run of `?` is an error.
    fn check_nothing_pending(&self) -> Result<(), (usize, CpeErrorKind)> {
        if let Some(at) = self.star_at {
            return Err((at, CpeErrorKind::EmbeddedAsterisk));
        }
        Ok(())
    }

    /// A character standing for itself, found at byte `at` of the input.
    pub(crate) fn literal(&mut self, b: u8, at: usize) -> Result<(), (usize, CpeErrorKind)> {
        self.check_nothing_pending()?;
        if let Some(from) = self.trailing_from {
            return Err((from, CpeErrorKind::EmbeddedQuestionMark));
        }
        if !(0x21..=0x7e).contains(&b) {
            return Err((at, CpeErrorKind::Character(char::from(b))));
        }
        let b = b.to_ascii_lowercase();
        if !b.is_ascii_alphanumeric() && b != b'_' {
            self.out.push(b'\\');
        }
        self.out.push(b);
        self.leading = false;
        self.count += 1;
        Ok(())
    }

    /// An unquoted `*` or `?` at byte `at` of the input.
    pub(crate) fn wild(&mut self, w: u8, at: usize) -> Result<(), (usize, CpeErrorKind)> {
        self.check_nothing_pending()?;
        if w == b'*' {
            // A run of `?` that is not leading must end the value; a `*` may not follow it.
            if let Some(from) = self.trailing_from {
                return Err((from, CpeErrorKind::EmbeddedQuestionMark));
            }
            if self.count > 0 {
                self.star_at = Some(at);
            }
            self.leading = false;
        } else if !self.leading && self.trailing_from.is_none() {
            self.trailing_from = Some(at);
        }
        self.out.push(w);
        self.count += 1;
        Ok(())
    }

    /// The value, `start` being where it began in the input (for an empty value's error).
    pub(crate) fn finish(self, start: usize) -> Result<Value, (usize, CpeErrorKind)> {
        if self.count == 0 {
            return Err((start, CpeErrorKind::Empty));
        }
        // A lone unquoted `*` (WFN text `"*"`, URI `%02`) is ANY, which every binding writes
        // as ANY; anything else is a string. Only ASCII was pushed.
        Ok(if &self.out[..] == b"*" {
            Value::Any
        } else {
            Value::Text(ValueText::from_ascii(&self.out))
        })
    }
}

/// Writes the WFN form of text made only of characters that stand for themselves (letters,
/// digits, `_` and the punctuation `quote` says), lower case, each character `quote` accepts
/// preceded by `\`. The bytes collect in a stack array with a local length (a `SmallVec`
/// keeps its length in memory, and pushing byte by byte then waits on that store each time).
///
/// The value is written into `slot` in place: built elsewhere and returned, it would come
/// back through memory written byte by byte, and the first wide read of it would stall.
pub(crate) fn plain_wfn(text: &[u8], quote: impl Fn(u8) -> bool, slot: &mut Value) {
    let mut buf = [0u8; 64];
    if text.len() * 2 > buf.len() {
        let mut out = Vec::with_capacity(text.len() * 2);
        for &b in text {
            if quote(b) {
                out.push(b'\\');
            }
            out.push(b.to_ascii_lowercase());
        }
        *slot = Value::Text(ValueText::from_ascii(&out));
        return;
    }
    let mut n = 0;
    for &b in text {
        if quote(b) {
            buf[n] = b'\\';
            n += 1;
        }
        buf[n] = b.to_ascii_lowercase();
        n += 1;
    }
    if !matches!(slot, Value::Text(_)) {
        *slot = Value::Text(ValueText::default());
    }
    if let Value::Text(text) = slot {
        text.set_ascii(&buf[..n]);
    }
}

/// Punctuation a WFN and a formatted string quote (NISTIR 7695 `punc`), and `\`, `*`, `?`.
pub(crate) fn is_punctuation(b: u8) -> bool {
    b.is_ascii_graphic() && !b.is_ascii_alphanumeric() && !matches!(b, b'_' | b'.' | b'-')
}

/// Decodes the characters of a WFN string (the text form and the formatted string share
/// this quoting) into a value: `\x` is `x`, unquoted `*` and `?` are wildcards;
/// `unquoted_ok` says which other characters may stand unquoted and `quotable` which may
/// follow a `\`. `base` is where `text` starts in the input.
pub(crate) fn decode_quoted(
    text: &str,
    base: usize,
    unquoted_ok: impl Fn(u8) -> bool,
    quotable: impl Fn(u8) -> bool,
) -> Result<Value, (usize, CpeErrorKind)> {
    let bytes = text.as_bytes();
    let mut builder = Builder::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\\' => {
                let Some(&next) = bytes.get(i + 1) else {
                    return Err((base + i, CpeErrorKind::DanglingQuote));
                };
                if !quotable(next) {
                    let found = text[i + 1..].chars().next().unwrap_or('?');
                    return Err((base + i + 1, CpeErrorKind::Quoted(found)));
                }
                builder.literal(next, base + i)?;
                i += 2;
                continue;
            }
            b'*' | b'?' => builder.wild(b, base + i)?,
            _ if b.is_ascii_alphanumeric() || b == b'_' || (unquoted_ok(b) && b.is_ascii()) => {
                builder.literal(b, base + i)?;
            }
            _ => {
                let found = text[i..].chars().next().unwrap_or('?');
                return Err((base + i, CpeErrorKind::Character(found)));
            }
        }
        i += 1;
    }
    builder.finish(base)
}
