//! One version text, parsed in each scheme that asks for it, once.

use super::{Scheme, Version};

/// A version as an inventory reports it, parsed lazily and at most once per scheme: an
/// installed version is checked against ranges of several schemes (an npm package against
/// `SEMVER` and `ECOSYSTEM` ranges, a Debian package against its distro's ranges), and each
/// of those asks for it in its own order.
///
/// ```
/// use exposure::version::{AnyScheme, Scheme};
/// let mut installed = AnyScheme::new(" 1.0~rc1-1 ");
/// assert_eq!(installed.text(), "1.0~rc1-1");
/// assert_eq!(installed.get(Scheme::Deb).map(|v| v.scheme()), Ok(Scheme::Deb));
/// assert!(installed.get(Scheme::Semver).unwrap_err().contains("invalid semver version"));
/// ```
pub struct AnyScheme<'a> {
    text: &'a str,
    parsed: [Option<Result<Version, String>>; Scheme::ALL.len()],
}

impl<'a> AnyScheme<'a> {
    /// The version `text`, trimmed; nothing is parsed yet.
    pub fn new(text: &'a str) -> Self {
        Self {
            text: text.trim(),
            parsed: Default::default(),
        }
    }

    /// The trimmed text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The version in `scheme`, or why it does not parse there (the error's message). It is
    /// read as advisory matching reads versions ([`Version::parse_advisory`]).
    pub fn get(&mut self, scheme: Scheme) -> Result<&Version, &str> {
        self.parsed[scheme.index()]
            .get_or_insert_with(|| {
                Version::parse_advisory(scheme, self.text).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }
}
