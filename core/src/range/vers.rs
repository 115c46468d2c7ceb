//! The purl version range specifier: `vers:<scheme>/<constraint>|<constraint>|…`.
//!
//! [`Vers`] keeps the constraints as written (sorted, for the canonical form); [`Vers::to_range`]
//! turns them into the canonical interval model with the specification's containment rules;
//! [`Vers::simplify`] removes redundant constraints as the specification describes.

use super::{Bound, Interval, Range};
use crate::version::{CompareError, Scheme, Version, VersionError};
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

/// Why a `vers:` string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersError {
    /// Not of the form `vers:<scheme>/<constraints>`.
    #[error("not a vers string: {0}")]
    Syntax(&'static str),
    /// The versioning scheme is unknown.
    #[error("unknown versioning scheme {0:?}")]
    UnknownScheme(String),
    /// A version does not parse in the scheme.
    #[error("constraint {index}: {source}")]
    Version {
        /// Position of the constraint.
        index: usize,
        /// Why the version was rejected.
        source: VersionError,
    },
    /// The strict (canonical) form was required and the input is not canonical.
    #[error("non-canonical VERS: {0}")]
    NonCanonical(&'static str),
}

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

fn decode(text: &str) -> Result<String, VersError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).ok_or(VersError::NonCanonical(
                "invalid percent-encoding in version",
            ))?;
            let byte = u8::from_str_radix(hex, 16)
                .map_err(|_| VersError::NonCanonical("invalid percent-encoding in version"))?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(VersError::NonCanonical(
                    "invalid percent-encoding in version",
                ));
            }
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|_| VersError::NonCanonical("invalid percent-encoding in version"))
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
    /// use exposure::range::{Vers, VersError};
    /// assert!(Vers::parse_canonical("vers:npm/>=1.0.0|<2.0.0").is_ok());
    /// assert_eq!(Vers::parse_canonical("vers:npm/>=2.0.0|<1.0.0"),
    ///            Err(VersError::NonCanonical("constraints are not sorted by version")));
    /// ```
    pub fn parse_canonical(text: &str) -> Result<Vers, VersError> {
        Self::parse_with(text, true)
    }

    fn parse_with(text: &str, strict: bool) -> Result<Vers, VersError> {
        if strict && text.chars().any(char::is_whitespace) {
            return Err(VersError::NonCanonical("whitespace is not permitted"));
        }
        let compact: String = text.chars().filter(|c| *c != ' ' && *c != '\t').collect();
        let (uri, spec) = compact
            .split_once(':')
            .ok_or(VersError::Syntax("missing \"vers:\""))?;
        if uri != "vers" {
            return Err(if uri.eq_ignore_ascii_case("vers") {
                VersError::NonCanonical("the URI scheme must be lower-case \"vers\"")
            } else {
                VersError::Syntax("missing \"vers:\"")
            });
        }
        let (scheme_name, constraints) = spec
            .split_once('/')
            .ok_or(VersError::Syntax("missing \"/\" after the scheme"))?;
        if strict && scheme_name.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(VersError::NonCanonical(
                "the versioning scheme must be lower-case",
            ));
        }
        let scheme = match scheme_name.to_ascii_lowercase().as_str() {
            "all" => VersScheme::All,
            "none" => VersScheme::None,
            name => VersScheme::Scheme(
                Scheme::from_vers_type(name)
                    .ok_or_else(|| VersError::UnknownScheme(name.to_owned()))?,
            ),
        };
        if constraints.is_empty() {
            return Err(VersError::Syntax("no constraints"));
        }
        if constraints == "*" {
            return Ok(Vers {
                scheme,
                constraints: Vec::new(),
            });
        }
        let VersScheme::Scheme(version_scheme) = scheme else {
            return Err(VersError::Syntax("vers:all and vers:none take only \"*\""));
        };
        if strict {
            if constraints.starts_with('|') {
                return Err(VersError::NonCanonical("leading pipe is not permitted"));
            }
            if constraints.ends_with('|') {
                return Err(VersError::NonCanonical("trailing pipe is not permitted"));
            }
            if constraints.contains("||") {
                return Err(VersError::NonCanonical(
                    "consecutive pipes are not permitted",
                ));
            }
        }
        let mut parsed = Vec::new();
        for (index, part) in constraints.split('|').filter(|p| !p.is_empty()).enumerate() {
            if part == "*" {
                return Err(VersError::Syntax("\"*\" must stand alone"));
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
                return Err(VersError::NonCanonical(
                    "the = comparator is implied and not written",
                ));
            }
            if raw.is_empty() {
                return Err(VersError::Syntax("empty version"));
            }
            if strict && version_scheme == Scheme::Datetime {
                if raw.contains("%3A") || raw.contains("%3a") {
                    return Err(VersError::NonCanonical(
                        "datetime time colons must be unencoded",
                    ));
                }
                if raw.contains('t') || raw.contains('z') {
                    return Err(VersError::NonCanonical(
                        "datetime must use uppercase T and Z",
                    ));
                }
            }
            let decoded = if raw.contains('%') {
                decode(raw)?
            } else {
                raw.to_owned()
            };
            if strict {
                let mut again = String::new();
                encode(&decoded, &mut again);
                if again != raw {
                    return Err(VersError::NonCanonical(
                        "percent-encoding in version is not canonical",
                    ));
                }
            }
            let version = Version::parse(version_scheme, &decoded)
                .map_err(|source| VersError::Version { index, source })?;
            parsed.push(Constraint {
                comparator,
                version,
            });
        }
        if parsed.is_empty() {
            return Err(VersError::Syntax("no constraints"));
        }
        let sorted = parsed.windows(2).all(|w| {
            w[0].version
                .try_cmp(&w[1].version)
                .is_ok_and(Ordering::is_le)
        });
        if !sorted {
            if strict {
                return Err(VersError::NonCanonical(
                    "constraints are not sorted by version",
                ));
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
        let mut range = Range::from_intervals(scheme, pieces)?;
        for c in self
            .constraints
            .iter()
            .filter(|c| c.comparator == Comparator::Ne)
        {
            range = range.without(&c.version)?;
        }
        Ok(range)
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
        let (unequal, mut rest): (Vec<Constraint>, Vec<Constraint>) = self
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
        let mut i = 0;
        while i + 1 < rest.len() {
            let (current, next) = (rest[i].comparator, rest[i + 1].comparator);
            if lowerish(current) && matches!(next, Comparator::Eq | Comparator::Gt | Comparator::Ge)
            {
                rest.remove(i + 1);
                continue;
            }
            if upperish(current) && next.is_upper() {
                rest.remove(i);
                i = i.saturating_sub(1);
                continue;
            }
            i += 1;
        }
        let mut all: Vec<Constraint> = unequal.into_iter().chain(rest).collect();
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
