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

/// Why a package URL was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PurlError {
    /// It does not start with `pkg:`.
    #[error("package URL {0:?} does not start with \"pkg:\"")]
    MissingScheme(String),
    /// The type is missing or has characters outside `[a-zA-Z0-9.+-]`.
    #[error("package URL {0:?} has no valid type")]
    BadType(String),
    /// The name is missing.
    #[error("package URL {0:?} has no name")]
    MissingName(String),
    /// A `%` escape is not followed by two hex digits, or decodes to invalid UTF-8.
    #[error("package URL {0:?} has a bad percent-encoding")]
    BadEncoding(String),
    /// A qualifier is not `key=value` with a valid key.
    #[error("package URL {0:?} has a bad qualifier {1:?}")]
    BadQualifier(String, String),
}

fn decode(input: &str, whole: &str) -> Result<String, PurlError> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = input
                .get(i + 1..i + 3)
                .ok_or_else(|| PurlError::BadEncoding(whole.into()))?;
            out.push(
                u8::from_str_radix(hex, 16).map_err(|_| PurlError::BadEncoding(whole.into()))?,
            );
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| PurlError::BadEncoding(whole.into()))
}

impl std::str::FromStr for Purl {
    type Err = PurlError;

    fn from_str(whole: &str) -> Result<Self, Self::Err> {
        let text = whole.trim();
        let rest = text
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("pkg:"))
            .map(|_| &text[4..])
            .ok_or_else(|| PurlError::MissingScheme(whole.into()))?;
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
        let (ty, path) = rest
            .split_once('/')
            .ok_or_else(|| PurlError::MissingName(whole.into()))?;
        if ty.is_empty()
            || !ty
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
        {
            return Err(PurlError::BadType(whole.into()));
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
            None => return Err(PurlError::MissingName(whole.into())),
        };
        if name.is_empty() {
            return Err(PurlError::MissingName(whole.into()));
        }
        let mut qualifiers = BTreeMap::new();
        for pair in qualifier_text
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter(|p| !p.is_empty())
        {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| PurlError::BadQualifier(whole.into(), pair.into()))?;
            if key.is_empty()
                || !key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            {
                return Err(PurlError::BadQualifier(whole.into(), pair.into()));
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
    fn rejects_broken_urls() {
        assert!(matches!(
            "npm/x@1".parse::<Purl>(),
            Err(PurlError::MissingScheme(_))
        ));
        assert!(matches!(
            "pkg:npm".parse::<Purl>(),
            Err(PurlError::MissingName(_))
        ));
        assert!(matches!(
            "pkg:npm/x%zz@1".parse::<Purl>(),
            Err(PurlError::BadEncoding(_))
        ));
        assert!(matches!(
            "pkg:np m/x@1".parse::<Purl>(),
            Err(PurlError::BadType(_))
        ));
        assert!(matches!(
            "pkg:npm/x@1?novalue".parse::<Purl>(),
            Err(PurlError::BadQualifier(..))
        ));
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
