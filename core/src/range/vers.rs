//! The purl version range specifier: `vers:<scheme>/<constraint>|<constraint>|…`.
//!
//! [`Vers`] keeps the constraints as written (sorted, for the canonical form); [`Vers::to_range`]
//! turns them into the canonical interval model with the specification's containment rules;
//! [`Vers::simplify`] removes redundant constraints as the specification describes.

use super::{Bound, Interval, Range};
use crate::version::{CompareError, Scheme, Version, VersionError};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt::{self, Write as _};

/// A constraint's comparator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparator {
    /// `=` (written without a symbol in canonical form).
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

impl Comparator {
    /// The symbol (`=` for equality).
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Eq => "=",
            Comparator::Ne => "!=",
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
        }
    }

    fn is_lower(self) -> bool {
        matches!(self, Comparator::Gt | Comparator::Ge)
    }

    fn is_upper(self) -> bool {
        matches!(self, Comparator::Lt | Comparator::Le)
    }
}

/// One `comparator version` pair.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Constraint {
    /// The comparator.
    pub comparator: Comparator,
    /// The version.
    pub version: Version,
}

/// What a `vers:` string ranges over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersScheme {
    /// A versioning scheme.
    Scheme(Scheme),
    /// `vers:all/*`: every version of any scheme.
    All,
    /// `vers:none/*`: no version.
    None,
}

/// What was wrong with a `vers:` string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersErrorKind {
    /// Not of the form `vers:<scheme>/<constraints>`.
    #[error("{0}")]
    Syntax(&'static str),
    /// The versioning scheme is unknown.
    #[error("unknown versioning scheme {scheme:?}")]
    UnknownScheme {
        /// The scheme as written.
        scheme: String,
    },
    /// A version does not parse in the scheme.
    #[error(
        "constraint {index}: bad {} version {:?}: {}",
        .source.scheme(),
        .source.input(),
        .source.kind()
    )]
    Version {
        /// Position of the constraint among the non-empty ones.
        index: usize,
        /// Why the version (percent-decoded) was rejected, with its offset in it.
        source: VersionError,
    },
    /// The strict (canonical) form was required and the input is not canonical (an invalid
    /// percent-encoding is reported so in either form).
    #[error("not canonical: {0}")]
    NonCanonical(&'static str),
}

/// A `vers:` string that could not be parsed, with the input and the byte offset of the
/// problem in it (for a bad version: where the version starts plus the version error's own
/// offset).
///
/// ```
/// use exposure::range::{Vers, VersErrorKind};
/// let err = Vers::parse("vers:pypi/>=1.0|<2.0/x").unwrap_err();
/// assert!(matches!(err.kind(), VersErrorKind::Version { index: 1, .. }));
/// assert_eq!((err.input(), err.offset()), ("vers:pypi/>=1.0|<2.0/x", 20)); // the `/`
/// assert!(err.to_string().starts_with("invalid vers string \"vers:pypi/>=1.0|<2.0/x\": constraint 1"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersError(Box<VersErrorInner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct VersErrorInner {
    kind: VersErrorKind,
    input: String,
    offset: usize,
}

impl VersError {
    fn new(input: &str, offset: usize, kind: VersErrorKind) -> Self {
        Self(Box::new(VersErrorInner {
            kind,
            input: input.to_owned(),
            offset: offset.min(input.len()),
        }))
    }

    /// What was wrong.
    pub fn kind(&self) -> &VersErrorKind {
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

    /// The kind and the offset, for an error about a text the input was made from.
    pub(crate) fn into_parts(self) -> (VersErrorKind, usize) {
        let VersErrorInner { kind, offset, .. } = *self.0;
        (kind, offset)
    }
}

impl fmt::Display for VersError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid vers string {:?}: {} at byte {}",
            self.0.input, self.0.kind, self.0.offset
        )
    }
}

impl std::error::Error for VersError {}

/// What [`Vers::parse_with`] found wrong, at a byte offset in the text it parsed.
type Fail = (usize, VersErrorKind);

/// A parsed `vers:` range specifier.
///
/// ```
/// use exposure::range::Vers;
/// use exposure::version::{Scheme, Version};
/// let vers = Vers::parse("vers:pypi/<2.0|>=1.0|!=1.5")?;
/// assert_eq!(vers.to_string(), "vers:pypi/>=1.0|!=1.5|<2.0");
/// assert!(vers.contains(&Version::parse(Scheme::Pypi, "1.4")?)?);
/// assert!(!vers.contains(&Version::parse(Scheme::Pypi, "1.5")?)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Vers {
    scheme: VersScheme,
    /// Sorted by version (stable); empty for `*`.
    constraints: Vec<Constraint>,
}

/// Percent-decodes a version; a bad escape fails at its `%`.
fn decode(text: &str) -> Result<String, Fail> {
    crate::purl::percent_decode(text).map_err(|at| {
        (
            at,
            VersErrorKind::NonCanonical("invalid percent-encoding in version"),
        )
    })
}

/// Characters a canonical version encodes: `%`, `|`, white space and controls, and a leading
/// comparator character (or a lone `*`), which would otherwise read as part of the constraint.
pub(crate) fn encode(text: &str, out: &mut String) {
    for (i, c) in text.chars().enumerate() {
        let leading_operator = i == 0 && (matches!(c, '<' | '>' | '=' | '!') || text == "*");
        if c == '%' || c == '|' || c.is_whitespace() || c.is_control() || leading_operator {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
}

/// The non-empty `|`-separated constraints, with the byte offset of each in `constraints`.
fn parts(constraints: &str) -> impl Iterator<Item = (usize, &str)> {
    constraints
        .split('|')
        .scan(0, |at, part| {
            let start = *at;
            *at += part.len() + 1;
            Some((start, part))
        })
        .filter(|(_, part)| !part.is_empty())
}

impl Vers {
    /// Parses a `vers:` string leniently, as the specification's parsing procedure does:
    /// spaces are removed, empty constraints between pipes ignored, constraints sorted.
    pub fn parse(text: &str) -> Result<Vers, VersError> {
        Self::parse_with(text, false)
    }

    /// Parses a `vers:` string that must already be canonical: no white space, no empty
    /// constraints, sorted by version, canonical percent-encoding.
    ///
    /// ```
    /// use exposure::range::{Vers, VersErrorKind};
    /// assert!(Vers::parse_canonical("vers:npm/>=1.0.0|<2.0.0").is_ok());
    /// let err = Vers::parse_canonical("vers:npm/>=2.0.0|<1.0.0").unwrap_err();
    /// assert_eq!(err.kind(), &VersErrorKind::NonCanonical("constraints are not sorted by version"));
    /// assert_eq!(err.offset(), 17); // the constraint out of order
    /// ```
    pub fn parse_canonical(text: &str) -> Result<Vers, VersError> {
        Self::parse_with(text, true)
    }

    fn parse_with(text: &str, strict: bool) -> Result<Vers, VersError> {
        if strict {
            if let Some(at) = text.find(char::is_whitespace) {
                let kind = VersErrorKind::NonCanonical("whitespace is not permitted");
                return Err(VersError::new(text, at, kind));
            }
        }
        // Spaces and tabs are removed first; a problem found in the compact text is reported
        // where it is in `text`.
        let removed = |c: char| c == ' ' || c == '\t';
        let compact: Cow<'_, str> = if text.contains(removed) {
            Cow::Owned(text.chars().filter(|c| !removed(*c)).collect())
        } else {
            Cow::Borrowed(text)
        };
        Self::parse_compact(&compact, strict).map_err(|(at, kind)| {
            VersError::new(text, crate::span::before_removal(text, removed, at), kind)
        })
    }

    fn parse_compact(text: &str, strict: bool) -> Result<Vers, Fail> {
        use VersErrorKind::{NonCanonical, Syntax};
        let (uri, spec) = text
            .split_once(':')
            .ok_or((0, Syntax("missing \"vers:\"")))?;
        if uri != "vers" {
            return Err(if uri.eq_ignore_ascii_case("vers") {
                (
                    0,
                    NonCanonical("the URI scheme must be lower-case \"vers\""),
                )
            } else {
                (0, Syntax("missing \"vers:\""))
            });
        }
        let scheme_at = uri.len() + 1;
        let (scheme_name, constraints) = spec
            .split_once('/')
            .ok_or((text.len(), Syntax("missing \"/\" after the scheme")))?;
        if strict {
            if let Some(i) = scheme_name.find(|c: char| c.is_ascii_uppercase()) {
                let kind = NonCanonical("the versioning scheme must be lower-case");
                return Err((scheme_at + i, kind));
            }
        }
        let scheme = if scheme_name.eq_ignore_ascii_case("all") {
            VersScheme::All
        } else if scheme_name.eq_ignore_ascii_case("none") {
            VersScheme::None
        } else {
            VersScheme::Scheme(Scheme::from_vers_type(scheme_name).ok_or_else(|| {
                let scheme = scheme_name.to_owned();
                (scheme_at, VersErrorKind::UnknownScheme { scheme })
            })?)
        };
        let constraints_at = scheme_at + scheme_name.len() + 1;
        if constraints.is_empty() {
            return Err((constraints_at, Syntax("no constraints")));
        }
        if constraints == "*" {
            return Ok(Vers {
                scheme,
                constraints: Vec::new(),
            });
        }
        let VersScheme::Scheme(version_scheme) = scheme else {
            let kind = Syntax("vers:all and vers:none take only \"*\"");
            return Err((constraints_at, kind));
        };
        if strict {
            if constraints.starts_with('|') {
                return Err((
                    constraints_at,
                    NonCanonical("leading pipe is not permitted"),
                ));
            }
            if constraints.ends_with('|') {
                let kind = NonCanonical("trailing pipe is not permitted");
                return Err((text.len() - 1, kind));
            }
            if let Some(i) = constraints.find("||") {
                let kind = NonCanonical("consecutive pipes are not permitted");
                return Err((constraints_at + i, kind));
            }
        }
        let mut parsed = Vec::new();
        for (index, (at, part)) in parts(constraints).enumerate() {
            let at = constraints_at + at;
            if part == "*" {
                return Err((at, Syntax("\"*\" must stand alone")));
            }
            let (comparator, raw) = [
                (">=", Comparator::Ge),
                ("<=", Comparator::Le),
                ("!=", Comparator::Ne),
                ("<", Comparator::Lt),
                (">", Comparator::Gt),
                ("=", Comparator::Eq),
            ]
            .iter()
            .find_map(|(sym, c)| part.strip_prefix(sym).map(|rest| (*c, rest)))
            .unwrap_or((Comparator::Eq, part));
            if strict && part.starts_with('=') {
                return Err((
                    at,
                    NonCanonical("the = comparator is implied and not written"),
                ));
            }
            let raw_at = at + part.len() - raw.len();
            if raw.is_empty() {
                return Err((raw_at, Syntax("empty version")));
            }
            if strict && version_scheme == Scheme::Datetime {
                if let Some(i) = raw.find("%3A").or_else(|| raw.find("%3a")) {
                    let kind = NonCanonical("datetime time colons must be unencoded");
                    return Err((raw_at + i, kind));
                }
                if let Some(i) = raw.find(['t', 'z']) {
                    let kind = NonCanonical("datetime must use uppercase T and Z");
                    return Err((raw_at + i, kind));
                }
            }
            let decoded: Cow<'_, str> = if raw.contains('%') {
                Cow::Owned(decode(raw).map_err(|(i, kind)| (raw_at + i, kind))?)
            } else {
                Cow::Borrowed(raw)
            };
            if strict {
                let mut again = String::new();
                encode(&decoded, &mut again);
                if again != raw {
                    let kind = NonCanonical("percent-encoding in version is not canonical");
                    return Err((raw_at, kind));
                }
            }
            let version = Version::parse(version_scheme, &decoded).map_err(|source| {
                let at = raw_at + crate::span::before_decoding(raw, source.offset());
                (at, VersErrorKind::Version { index, source })
            })?;
            parsed.push(Constraint {
                comparator,
                version,
            });
        }
        if parsed.is_empty() {
            return Err((constraints_at, Syntax("no constraints")));
        }
        let unsorted = parsed.windows(2).position(|w| {
            !w[0]
                .version
                .try_cmp(&w[1].version)
                .is_ok_and(Ordering::is_le)
        });
        if let Some(i) = unsorted {
            if strict {
                let at = parts(constraints).nth(i + 1).map_or(0, |(at, _)| at);
                let kind = NonCanonical("constraints are not sorted by version");
                return Err((constraints_at + at, kind));
            }
            crate::order::sort_by_tolerant(&mut parsed, |a, b| {
                a.version.try_cmp(&b.version).unwrap_or(Ordering::Equal)
            });
        }
        Ok(Vers {
            scheme,
            constraints: parsed,
        })
    }

    /// The versioning scheme (or `all`/`none`).
    pub fn scheme(&self) -> VersScheme {
        self.scheme
    }

    /// The constraints, sorted by version; empty for `*`.
    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// Whether `version` is in the range, by the specification's containment procedure.
    /// A version of another scheme is an error.
    pub fn contains(&self, version: &Version) -> Result<bool, CompareError> {
        match self.scheme {
            VersScheme::All => Ok(true),
            VersScheme::None => Ok(false),
            VersScheme::Scheme(scheme) if scheme != version.scheme() => Err(CompareError {
                left: scheme,
                right: version.scheme(),
            }),
            VersScheme::Scheme(_) => Ok(self.to_range()?.contains(version)),
        }
    }

    /// The interval form, following the specification's containment procedure exactly:
    /// `=`, `<=` and `>=` versions are in; `!=` versions are out; then `<`/`<=` first,
    /// `>`/`>=` last and each `>`…`<` pair bound open intervals.
    ///
    /// ```
    /// use exposure::range::Vers;
    /// let r = Vers::parse("vers:npm/<1.0.0|>=2.0.0|!=2.5.0|<3.0.0")?.to_range()?;
    /// assert_eq!(r.to_string(), "vers:npm/<1.0.0|>=2.0.0|!=2.5.0|<3.0.0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_range(&self) -> Result<Range, CompareError> {
        let scheme = match self.scheme {
            VersScheme::Scheme(s) => s,
            // `all`/`none` have no scheme of their own; callers use `contains` for them.
            VersScheme::All | VersScheme::None => Scheme::Generic,
        };
        if self.constraints.is_empty() {
            return Ok(if self.scheme == VersScheme::None {
                Range::none(scheme)
            } else {
                Range::all(scheme)
            });
        }
        let point = |v: &Version| Interval {
            lower: Some(Bound {
                version: v.clone(),
                inclusive: true,
            }),
            upper: Some(Bound {
                version: v.clone(),
                inclusive: true,
            }),
        };
        let open = |v: &Version| {
            Some(Bound {
                version: v.clone(),
                inclusive: false,
            })
        };
        let mut pieces: Vec<Interval> = self
            .constraints
            .iter()
            .filter(|c| {
                matches!(
                    c.comparator,
                    Comparator::Eq | Comparator::Le | Comparator::Ge
                )
            })
            .map(|c| point(&c.version))
            .collect();
        let ordered: Vec<&Constraint> = self
            .constraints
            .iter()
            .filter(|c| !matches!(c.comparator, Comparator::Eq | Comparator::Ne))
            .collect();
        if let (Some(first), Some(last)) = (ordered.first(), ordered.last()) {
            if first.comparator.is_upper() {
                pieces.push(Interval {
                    lower: None,
                    upper: open(&first.version),
                });
            }
            if last.comparator.is_lower() {
                pieces.push(Interval {
                    lower: open(&last.version),
                    upper: None,
                });
            }
            for pair in ordered.windows(2) {
                if pair[0].comparator.is_lower() && pair[1].comparator.is_upper() {
                    pieces.push(Interval {
                        lower: open(&pair[0].version),
                        upper: open(&pair[1].version),
                    });
                }
            }
        }
        // Only `!=` constraints: everything but those versions. (The specification's
        // containment procedure, read literally, would admit nothing here; its simplification
        // section keeps such a list as meaningful, and `!=1.0` is how every tool reads it.)
        if self
            .constraints
            .iter()
            .all(|c| c.comparator == Comparator::Ne)
        {
            pieces.push(Interval {
                lower: None,
                upper: None,
            });
        }
        Range::from_intervals(scheme, pieces)?.without_each(
            self.constraints
                .iter()
                .filter(|c| c.comparator == Comparator::Ne)
                .map(|c| &c.version),
        )
    }

    /// Removes redundant constraints (the specification's simplification procedure).
    ///
    /// ```
    /// use exposure::range::Vers;
    /// let v = Vers::parse("vers:pypi/>0.0.0|>=0.0.1|0.0.2|<0.0.3|0.0.4|<0.0.5|>=0.0.6")?;
    /// assert_eq!(v.simplify().to_string(), "vers:pypi/>0.0.0|<0.0.5|>=0.0.6");
    /// # Ok::<(), exposure::range::VersError>(())
    /// ```
    #[must_use]
    pub fn simplify(&self) -> Vers {
        if self.constraints.len() <= 1 {
            return self.clone();
        }
        let (unequal, rest): (Vec<Constraint>, Vec<Constraint>) = self
            .constraints
            .iter()
            .cloned()
            .partition(|c| c.comparator == Comparator::Ne);
        if rest.is_empty() {
            return self.clone();
        }
        let lowerish = |c: Comparator| c.is_lower();
        let upperish =
            |c: Comparator| matches!(c, Comparator::Eq | Comparator::Lt | Comparator::Le);
        // The specification's pairwise walk, with the constraints kept so far as a stack: a
        // lower bound drops an `=`, `>` or `>=` right after it; an upper one (or `=`) right
        // before a `<` or `<=` is dropped, and what came before it is compared again.
        let mut kept: Vec<Constraint> = Vec::with_capacity(rest.len());
        for next in rest {
            while let Some(current) = kept.last().map(|c| c.comparator) {
                if upperish(current) && next.comparator.is_upper() {
                    kept.pop();
                } else {
                    break;
                }
            }
            let redundant = kept.last().is_some_and(|current| {
                lowerish(current.comparator)
                    && matches!(
                        next.comparator,
                        Comparator::Eq | Comparator::Gt | Comparator::Ge
                    )
            });
            if !redundant {
                kept.push(next);
            }
        }
        let mut all: Vec<Constraint> = unequal.into_iter().chain(kept).collect();
        crate::order::sort_by_tolerant(&mut all, |a, b| {
            a.version.try_cmp(&b.version).unwrap_or(Ordering::Equal)
        });
        Vers {
            scheme: self.scheme,
            constraints: all,
        }
    }
}

impl fmt::Display for Vers {
    /// The canonical form: lower-case scheme, constraints sorted by version, `=` implied.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.scheme {
            VersScheme::Scheme(s) => s.name(),
            VersScheme::All => "all",
            VersScheme::None => "none",
        };
        write!(f, "vers:{name}/")?;
        if self.constraints.is_empty() {
            return f.write_str("*");
        }
        let mut out = String::new();
        for (i, c) in self.constraints.iter().enumerate() {
            if i > 0 {
                out.push('|');
            }
            if c.comparator != Comparator::Eq {
                out.push_str(c.comparator.symbol());
            }
            encode(c.version.as_str(), &mut out);
        }
        f.write_str(&out)
    }
}

impl Range {
    /// Parses a `vers:` string (leniently, see [`Vers::parse`]).
    pub fn parse_vers(text: &str) -> Result<Vers, VersError> {
        Vers::parse(text)
    }
}
