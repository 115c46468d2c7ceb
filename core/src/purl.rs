//! Package URLs (`pkg:type/namespace/name@version?qualifiers#subpath`), per the purl
//! specification: percent-decoding, lower-case type, and the per-type name rules that matter
//! for matching.

use std::collections::BTreeMap;
use std::fmt;

/// A parsed package URL.
///
/// ```
/// use exposure::purl::Purl;
/// let p: Purl = "pkg:npm/%40angular/core@12.0.0?foo=bar".parse()?;
/// assert_eq!(p.ty, "npm");
/// assert_eq!(p.namespace.as_deref(), Some("@angular"));
/// assert_eq!(p.name, "core");
/// assert_eq!(p.version.as_deref(), Some("12.0.0"));
/// assert_eq!(p.qualifiers.get("foo").map(String::as_str), Some("bar"));
/// # Ok::<(), exposure::purl::PurlError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Purl {
    /// The package type (`npm`, `pypi`, `golang`, `maven`, …), lower case.
    pub ty: String,
    /// The namespace (npm scope, Maven group, Go module path prefix), decoded.
    pub namespace: Option<String>,
    /// The name, decoded.
    pub name: String,
    /// The version, decoded.
    pub version: Option<String>,
    /// Qualifiers with lower-case keys.
    pub qualifiers: BTreeMap<String, String>,
    /// The subpath, decoded.
    pub subpath: Option<String>,
}

/// What was wrong with a package URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PurlErrorKind {
    /// It does not start with `pkg:`.
    #[error("does not start with \"pkg:\"")]
    MissingScheme,
    /// The type is missing or has characters outside `[a-zA-Z0-9.+-]`.
    #[error(
        "type {found:?} is empty or has characters other than letters, digits, '.', '+' and '-'"
    )]
    BadType {
        /// The type as written.
        found: String,
    },
    /// The name is missing.
    #[error("no name")]
    MissingName,
    /// A `%` escape is not followed by two hex digits, or escapes decode to invalid UTF-8.
    #[error("bad percent-encoding {found:?}")]
    BadEncoding {
        /// The escape as written (at most three characters from its `%`).
        found: String,
    },
    /// A qualifier is not `key=value` with a key of `[a-zA-Z0-9._-]`.
    #[error("bad qualifier {qualifier:?} (expected key=value, the key of letters, digits, '.', '_' and '-')")]
    BadQualifier {
        /// The qualifier as written.
        qualifier: String,
    },
}

/// A package URL that could not be parsed, with the input and the byte offset of the problem.
///
/// ```
/// use exposure::purl::{Purl, PurlErrorKind};
/// let err = "pkg:npm/lodash@4.17.%2".parse::<Purl>().unwrap_err();
/// assert_eq!(err.kind(), &PurlErrorKind::BadEncoding { found: "%2".into() });
/// assert_eq!((err.input(), err.offset()), ("pkg:npm/lodash@4.17.%2", 20));
/// assert!(err.to_string().ends_with("bad percent-encoding \"%2\" at byte 20"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurlError(Box<PurlErrorInner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct PurlErrorInner {
    kind: PurlErrorKind,
    input: String,
    offset: usize,
}

impl PurlError {
    fn new(input: &str, offset: usize, kind: PurlErrorKind) -> Self {
        Self(Box::new(PurlErrorInner {
            kind,
            input: input.to_owned(),
            offset: offset.min(input.len()),
        }))
    }

    /// What was wrong.
    pub fn kind(&self) -> &PurlErrorKind {
        &self.0.kind
    }

    /// The rejected text, verbatim.
    pub fn input(&self) -> &str {
        &self.0.input
    }

    /// Byte offset into [`input`](Self::input) where the problem is; at most its length.
    pub fn offset(&self) -> usize {
        self.0.offset
    }
}

impl fmt::Display for PurlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid package URL {:?}: {} at byte {}",
            self.0.input, self.0.kind, self.0.offset
        )
    }
}

impl std::error::Error for PurlError {}

/// An error about `part`, a slice of the whole input `whole`, at byte `at` of `part`.
fn error(whole: &str, part: &str, at: usize, kind: PurlErrorKind) -> PurlError {
    let start = crate::span::offset_in(whole, part).unwrap_or(0);
    PurlError::new(whole, start + at, kind)
}

/// Percent-decodes `input`, a slice of `whole`.
fn decode(input: &str, whole: &str) -> Result<String, PurlError> {
    percent_decode(input).map_err(|at| {
        let found = input[at..].chars().take(3).collect();
        error(whole, input, at, PurlErrorKind::BadEncoding { found })
    })
}

/// Percent-decodes `text` (each `%XX` one byte) into UTF-8; on failure, the byte offset in
/// `text` of the escape (or character) where decoding broke. Shared by package URLs and
/// `vers:` strings, which encode alike.
pub(crate) fn percent_decode(text: &str) -> Result<String, usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let byte = text
                .get(i + 1..i + 3)
                .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or(i)?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|e| crate::span::before_decoding(text, e.utf8_error().valid_up_to()))
}

impl std::str::FromStr for Purl {
    type Err = PurlError;

    fn from_str(whole: &str) -> Result<Self, Self::Err> {
        let text = whole.trim();
        let rest = text
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("pkg:"))
            .map(|_| &text[4..])
            .ok_or_else(|| error(whole, text, 0, PurlErrorKind::MissingScheme))?;
        let rest = rest.trim_start_matches('/');
        let (rest, subpath) = match rest.split_once('#') {
            Some((r, s)) => (r, Some(s.trim_matches('/'))),
            None => (rest, None),
        };
        let (rest, qualifier_text) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let (rest, version) = match rest.rsplit_once('@') {
            Some((r, v)) if !r.is_empty() && !r.ends_with('/') => (r, Some(decode(v, whole)?)),
            _ => (rest, None),
        };
        // A missing name is reported where it was expected: at the end of the path.
        let no_name = || error(whole, rest, rest.len(), PurlErrorKind::MissingName);
        let (ty, path) = rest.split_once('/').ok_or_else(no_name)?;
        if ty.is_empty()
            || !ty
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
        {
            return Err(error(
                whole,
                ty,
                0,
                PurlErrorKind::BadType {
                    found: ty.to_owned(),
                },
            ));
        }
        let ty = ty.to_ascii_lowercase();
        let segments: Vec<&str> = path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let (name, namespace) = match segments.split_last() {
            Some((name, ns)) => (
                decode(name, whole)?,
                if ns.is_empty() {
                    None
                } else {
                    Some(
                        ns.iter()
                            .map(|s| decode(s, whole))
                            .collect::<Result<Vec<_>, _>>()?
                            .join("/"),
                    )
                },
            ),
            None => return Err(no_name()),
        };
        if name.is_empty() {
            return Err(no_name());
        }
        let mut qualifiers = BTreeMap::new();
        for pair in qualifier_text
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter(|p| !p.is_empty())
        {
            let bad = || {
                error(
                    whole,
                    pair,
                    0,
                    PurlErrorKind::BadQualifier {
                        qualifier: pair.to_owned(),
                    },
                )
            };
            let (key, value) = pair.split_once('=').ok_or_else(bad)?;
            if key.is_empty()
                || !key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            {
                return Err(bad());
            }
            let value = decode(value, whole)?;
            if !value.is_empty() {
                qualifiers.insert(key.to_ascii_lowercase(), value);
            }
        }
        Ok(Purl {
            ty,
            namespace,
            name,
            version,
            qualifiers,
            subpath: subpath
                .filter(|s| !s.is_empty())
                .map(|s| decode(s, whole))
                .transpose()?,
        })
    }
}

fn encode(f: &mut fmt::Formatter<'_>, text: &str, keep: &[u8]) -> fmt::Result {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b".-_~".contains(&byte) || keep.contains(&byte) {
            write!(f, "{}", char::from(byte))?;
        } else {
            write!(f, "%{byte:02X}")?;
        }
    }
    Ok(())
}

impl fmt::Display for Purl {
    /// The canonical string form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pkg:{}/", self.ty)?;
        if let Some(ns) = &self.namespace {
            for segment in ns.split('/') {
                encode(f, segment, b"")?;
                f.write_str("/")?;
            }
        }
        encode(f, &self.name, b"")?;
        if let Some(version) = &self.version {
            f.write_str("@")?;
            encode(f, version, b"+")?;
        }
        for (i, (key, value)) in self.qualifiers.iter().enumerate() {
            write!(f, "{}{key}=", if i == 0 { '?' } else { '&' })?;
            encode(f, value, b"/")?;
        }
        if let Some(subpath) = &self.subpath {
            f.write_str("#")?;
            encode(f, subpath, b"/")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golang_and_maven_and_scoped_npm() {
        let go: Purl = "pkg:golang/golang.org/x/net@v0.0.0-20210405180319-a5a99cb37ef4"
            .parse()
            .unwrap();
        assert_eq!(go.namespace.as_deref(), Some("golang.org/x"));
        assert_eq!(go.name, "net");
        let mvn: Purl = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"
            .parse()
            .unwrap();
        assert_eq!(
            (mvn.namespace.as_deref(), mvn.name.as_str()),
            (Some("org.apache.logging.log4j"), "log4j-core")
        );
        let npm: Purl = "pkg:npm/%40babel/core@7.0.0".parse().unwrap();
        assert_eq!(npm.to_string(), "pkg:npm/%40babel/core@7.0.0");
    }

    #[test]
    fn rejects_broken_urls_with_kind_input_and_offset() {
        use PurlErrorKind as K;
        let err = |text: &str| {
            let e = text.parse::<Purl>().unwrap_err();
            assert_eq!(e.input(), text);
            (e.kind().clone(), e.offset())
        };
        assert_eq!(err("npm/x@1"), (K::MissingScheme, 0));
        assert_eq!(err("  npm/x@1"), (K::MissingScheme, 2));
        assert_eq!(err("pkg:npm"), (K::MissingName, 7));
        assert_eq!(err("pkg:npm/"), (K::MissingName, 8));
        assert_eq!(err(" pkg:npm//?a=b"), (K::MissingName, 10));
        assert_eq!(
            err("pkg:npm/x%zz@1"),
            (
                K::BadEncoding {
                    found: "%zz".into()
                },
                9
            )
        );
        assert_eq!(
            err("pkg:npm/x@1#a/%é"),
            (
                K::BadEncoding {
                    found: "%é".into()
                },
                14
            )
        );
        // %C3 starts a two-byte sequence that `(` does not continue.
        assert_eq!(
            err("pkg:npm/x@1?k=ab%C3("),
            (
                K::BadEncoding {
                    found: "%C3".into()
                },
                16
            )
        );
        assert_eq!(
            err("pkg:np m/x@1"),
            (
                K::BadType {
                    found: "np m".into()
                },
                4
            )
        );
        assert_eq!(
            err("pkg:/npm/x@1?a=b&novalue"),
            (
                K::BadQualifier {
                    qualifier: "novalue".into()
                },
                17
            )
        );
        assert_eq!(
            "pkg:npm/x@1?a=b&=c".parse::<Purl>().unwrap_err().to_string(),
            "invalid package URL \"pkg:npm/x@1?a=b&=c\": bad qualifier \"=c\" (expected key=value, \
             the key of letters, digits, '.', '_' and '-') at byte 16"
        );
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "pkg:pypi/django@1.11.1",
            "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie",
            "pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c#api",
        ] {
            let parsed: Purl = text.parse().unwrap();
            assert_eq!(parsed.to_string(), text);
            assert_eq!(parsed.to_string().parse::<Purl>().unwrap(), parsed);
        }
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every error keeps the input and points at a character boundary within it.
        #[test]
        fn offsets_are_char_boundaries_of_the_input(
            text in r"\s?(pkg:)?[a-z é%/@?#=&.0-9A-F]{0,24}",
        ) {
            if let Err(e) = text.parse::<Purl>() {
                prop_assert_eq!(e.input(), text.as_str());
                prop_assert!(e.offset() <= text.len(), "{e}");
                prop_assert!(text.is_char_boundary(e.offset()), "{e}");
            }
        }
    }
}
