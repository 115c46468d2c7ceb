//! Errors of CPE parsing: what was wrong, in which attribute, at which byte.

use super::Attribute;
use std::fmt;

/// What was wrong with a CPE name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CpeErrorKind {
    /// Not `cpe:2.3:`, `cpe:/` or `wfn:[` at the start.
    #[error("not a CPE name (expected cpe:2.3:, cpe:/ or wfn:[)")]
    Prefix,
    /// A formatted string without exactly eleven components, or a URI with more than seven.
    #[error("{found} components where {expected} are expected")]
    ComponentCount {
        /// Components found.
        found: usize,
        /// Components the binding has.
        expected: usize,
    },
    /// An empty value where the binding has no way to say ANY with nothing.
    #[error("empty value")]
    Empty,
    /// An unquoted `*` inside a value (only the first and last character may be one).
    #[error("unquoted * inside a value (allowed only at its start or end)")]
    EmbeddedAsterisk,
    /// An unquoted `?` inside a value (runs are allowed only at its start or end).
    #[error("unquoted ? inside a value (allowed only at its start or end)")]
    EmbeddedQuestionMark,
    /// A character a value cannot hold unquoted (or at all).
    #[error("character {0:?} not allowed here")]
    Character(char),
    /// A character that may not be quoted in this binding (`\.` in a formatted string,
    /// whose grammar writes `.`, `-`, `_` and letters unquoted).
    #[error("character {0:?} must not be quoted here")]
    Quoted(char),
    /// A `\` with nothing after it.
    #[error("quote character \\ at the end of a value")]
    DanglingQuote,
    /// A `%` not followed by one of the percent-encodings CPE 2.2 defines.
    #[error("bad percent-encoding {0:?}")]
    PercentEncoding(String),
    /// The part is not `a`, `o`, `h`, ANY or NA.
    #[error("part must be a, o, h, ANY (*) or NA (-)")]
    Part,
    /// The language is not an RFC 5646 tag of the form CPE allows (`en`, `en-us`, `es-419`).
    #[error("language must be a tag such as en, en-us or es-419")]
    Language,
    /// A malformed `wfn:[...]` text.
    #[error("{0}")]
    WfnSyntax(&'static str),
    /// An attribute named twice or unknown in a `wfn:[...]` text.
    #[error("unknown or repeated attribute {0:?}")]
    WfnAttribute(String),
}

/// A CPE name that could not be parsed, with where and why.
///
/// ```
/// use exposure::cpe::{Cpe, CpeErrorKind, Attribute};
/// let err = "cpe:2.3:a:hp:insight_?diagnostics:8.*:*:*:*:*:*:*:*".parse::<Cpe>().unwrap_err();
/// assert_eq!(err.kind(), &CpeErrorKind::EmbeddedQuestionMark);
/// assert_eq!(err.attribute(), Some(Attribute::Product));
/// assert_eq!(err.offset(), 21); // the `?` in `insight_?diagnostics`
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpeError(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: CpeErrorKind,
    input: String,
    attribute: Option<Attribute>,
    offset: usize,
}

impl CpeError {
    pub(crate) fn new(
        input: &str,
        offset: usize,
        attribute: Option<Attribute>,
        kind: CpeErrorKind,
    ) -> Self {
        CpeError(Box::new(Inner {
            kind,
            input: input.to_owned(),
            attribute,
            offset: offset.min(input.len()),
        }))
    }

    /// What was wrong.
    pub fn kind(&self) -> &CpeErrorKind {
        &self.0.kind
    }

    /// The text that was parsed.
    pub fn input(&self) -> &str {
        &self.0.input
    }

    /// The attribute whose value was wrong, when one was.
    pub fn attribute(&self) -> Option<Attribute> {
        self.0.attribute
    }

    /// Byte offset in the input where the problem starts.
    pub fn offset(&self) -> usize {
        self.0.offset
    }
}

impl fmt::Display for CpeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid CPE name {:?}: {}", self.0.input, self.0.kind)?;
        if let Some(attribute) = self.0.attribute {
            write!(f, " in {}", attribute.name())?;
        }
        write!(f, " at byte {}", self.0.offset)
    }
}

impl std::error::Error for CpeError {}
