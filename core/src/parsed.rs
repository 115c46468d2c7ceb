//! Values parsed once, where they are read, and kept with the text they were read from.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

/// A value parsed from input text, with that text: matching uses the value (parsed once, at
/// load), outputs show the text as the input wrote it.
///
/// ```
/// use exposure::parsed::Parsed;
/// use exposure::purl::Purl;
/// let purl: Parsed<Purl> = Parsed::new(" pkg:npm/lodash@4.17.20 ")?;
/// assert_eq!(purl.name, "lodash");                 // the value, through Deref
/// assert_eq!(purl.text(), "pkg:npm/lodash@4.17.20"); // the text, trimmed
/// assert_eq!(serde_json::to_string(&purl).unwrap(), r#""pkg:npm/lodash@4.17.20""#);
/// assert!(Parsed::<Purl>::new("npm/lodash").is_err());
/// # Ok::<(), exposure::purl::PurlError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Parsed<T> {
    text: Box<str>,
    value: T,
}

impl<T: FromStr> Parsed<T> {
    /// Parses `text` (trimmed).
    pub fn new(text: &str) -> Result<Self, T::Err> {
        let text = text.trim();
        Ok(Self {
            value: text.parse()?,
            text: text.into(),
        })
    }
}

impl<T> Parsed<T> {
    /// A value with the text it stands for (the caller vouches that they agree).
    pub fn from_parts(text: &str, value: T) -> Self {
        Self {
            text: text.into(),
            value,
        }
    }

    /// The text as read (trimmed).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parsed value.
    pub fn value(&self) -> &T {
        &self.value
    }
}

impl<T> Deref for Parsed<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> fmt::Debug for Parsed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text, f)
    }
}

impl<T> fmt::Display for Parsed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<T> serde::Serialize for Parsed<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}
