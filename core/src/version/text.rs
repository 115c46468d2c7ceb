//! Short text stored inline (most versions and their words are short), so that parsing a
//! version does not allocate for its text.

use std::fmt;

/// Text of up to `INLINE` bytes kept inline; longer text goes to the heap.
#[derive(Clone)]
pub(crate) enum Short<const INLINE: usize> {
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    /// A thin pointer (a boxed `String`, not a `Box<str>`), so that the enum is no larger
    /// than its inline form plus one byte.
    #[allow(clippy::box_collection)]
    Heap(Box<String>),
}

/// The whole text of a version (32 bytes).
pub(crate) type Text = Short<30>;

/// A word inside a version, such as a pre-release label (16 bytes).
pub(crate) type Word = Short<14>;

impl<const INLINE: usize> Short<INLINE> {
    pub(crate) fn new(text: &str) -> Self {
        if text.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            #[allow(clippy::cast_possible_truncation)] // len <= INLINE < 256
            Short::Inline {
                len: text.len() as u8,
                bytes,
            }
        } else {
            Short::Heap(Box::new(text.to_owned()))
        }
    }

    /// From bytes the caller built from ASCII only, without checking UTF-8 again (non-ASCII
    /// bytes would make `as_str` empty; `as_bytes` is unaffected).
    pub(crate) fn from_ascii(bytes: &[u8]) -> Self {
        debug_assert!(bytes.is_ascii());
        if bytes.len() <= INLINE {
            let mut inline = [0u8; INLINE];
            inline[..bytes.len()].copy_from_slice(bytes);
            #[allow(clippy::cast_possible_truncation)] // len <= INLINE < 256
            Short::Inline {
                len: bytes.len() as u8,
                bytes: inline,
            }
        } else {
            Short::Heap(Box::new(String::from_utf8_lossy(bytes).into_owned()))
        }
    }

    /// Replaces the text with ASCII bytes, in place (no new value is built and moved: a
    /// short text is written straight into the inline buffer).
    pub(crate) fn set_ascii(&mut self, bytes: &[u8]) {
        debug_assert!(bytes.is_ascii());
        match self {
            Short::Inline { len, bytes: inline } if bytes.len() <= INLINE => {
                inline[..bytes.len()].copy_from_slice(bytes);
                #[allow(clippy::cast_possible_truncation)] // len <= INLINE < 256
                {
                    *len = bytes.len() as u8;
                }
            }
            _ => *self = Self::from_ascii(bytes),
        }
    }

    /// The text in ASCII lower case.
    pub(crate) fn lower(text: &str) -> Self {
        let mut short = Self::new(text);
        match &mut short {
            Short::Inline { bytes, .. } => bytes.make_ascii_lowercase(),
            Short::Heap(text) => text.make_ascii_lowercase(),
        }
        short
    }

    /// The bytes, without re-validating UTF-8: for comparisons.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Short::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Short::Heap(text) => text.as_bytes(),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // The bytes were copied from a `&str` whole, so they are valid UTF-8.
            Short::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Short::Heap(text) => text,
        }
    }
}

impl<const INLINE: usize> fmt::Debug for Short<INLINE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<const INLINE: usize> From<&str> for Short<INLINE> {
    fn from(text: &str) -> Self {
        Short::new(text)
    }
}

impl<const INLINE: usize> std::ops::Deref for Short<INLINE> {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl<const INLINE: usize> fmt::Display for Short<INLINE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<const INLINE: usize> PartialEq for Short<INLINE> {
    fn eq(&self, other: &Self) -> bool {
        // Bytes, not `as_str`: no UTF-8 check on a hot path.
        self.as_bytes() == other.as_bytes()
    }
}

impl<const INLINE: usize> Eq for Short<INLINE> {}

impl<const INLINE: usize> std::hash::Hash for Short<INLINE> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // The same hash as the `str`'s (`str` hashes its bytes and a terminator).
        state.write(self.as_bytes());
        state.write_u8(0xff);
    }
}

impl<const INLINE: usize> Default for Short<INLINE> {
    /// The empty text, inline.
    fn default() -> Self {
        Short::Inline {
            len: 0,
            bytes: [0; INLINE],
        }
    }
}

impl<const INLINE: usize> PartialOrd for Short<INLINE> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<const INLINE: usize> Ord for Short<INLINE> {
    /// Byte order, as `str` orders.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}
