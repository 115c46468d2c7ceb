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
        self.as_str() == other.as_str()
    }
}

impl<const INLINE: usize> Eq for Short<INLINE> {}

impl<const INLINE: usize> std::hash::Hash for Short<INLINE> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
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
