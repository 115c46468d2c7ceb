//! RubyGems versions, ordered as `Gem::Version#<=>` orders them.
//!
//! Traps: a letter makes a pre-release (`1.0.a < 1.0`, `1.0.0.rc1 < 1.0.0`), `-` means
//! `.pre.` (`1.0-1 < 1.0`), digits and letters split into segments (`1.0rc1` is `1.0.rc.1`),
//! trailing zeros of the release and of the pre-release part do not count (`1.0 == 1`).

use super::atom::Atom;
use super::parsing::Run;
use super::{Scheme, VersionError, VersionErrorKind};
use std::cmp::Ordering;

/// A segment: a number or a word.
type Segment = Atom;

/// Most gem versions have at most four segments: those stay inline.
type Segments = smallvec::SmallVec<[Segment; 4]>;

/// A RubyGems version.
///
/// ```
/// use exposure::version::GemVersion;
/// let v = |s| GemVersion::parse(s).unwrap();
/// assert!(v("1.0.0.rc1") < v("1.0.0"));
/// assert!(v("1.0-1") < v("1.0"));
/// assert_eq!(v("1.0"), v("1"));
/// assert!(v("1.0.a") < v("1.0.b"));
/// assert!(GemVersion::parse("1..0").is_err());
/// ```
#[derive(Debug, Clone)]
pub struct GemVersion {
    /// Canonical segments: trailing zeros dropped from the release and the pre-release part.
    segments: Segments,
    /// A range bound below every version whose release (numeric prefix) equals this one's:
    /// `~> 1.4` admits `v` only when `v.release < 2`, so `2.a` is outside.
    min_of_release: bool,
}

impl GemVersion {
    /// Parses a version matching RubyGems' `ANCHORED_VERSION_PATTERN`.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let err = |at: usize, kind| VersionError::new(Scheme::Gem, input, at, kind);
        let trimmed = super::parsing::Trimmed::new(Scheme::Gem, input)?;
        let (lead, text) = (trimmed.lead, trimmed.text);
        let bytes = text.as_bytes();
        // [0-9]+ (\.[0-9a-zA-Z]+)* (-[0-9A-Za-z-]+ (\.[0-9A-Za-z-]+)*)?
        let mut i = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        if i == 0 {
            let found = text.chars().next().unwrap_or(' ');
            return Err(err(lead, VersionErrorKind::UnexpectedChar { found }));
        }
        while i < bytes.len() && bytes[i] == b'.' {
            let n = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if n == 0 {
                return Err(err(lead + i + 1, VersionErrorKind::UnexpectedEnd));
            }
            i += 1 + n;
        }
        if i < bytes.len() && bytes[i] == b'-' {
            loop {
                let n = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
                    .count();
                if n == 0 {
                    return Err(err(lead + i + 1, VersionErrorKind::UnexpectedEnd));
                }
                i += 1 + n;
                if i >= bytes.len() || bytes[i] != b'.' {
                    break;
                }
            }
        }
        if i < bytes.len() {
            let found = text[i..].chars().next().unwrap_or(' ');
            return Err(err(lead + i, VersionErrorKind::UnexpectedChar { found }));
        }
        // Segments are runs of digits or of letters; `-` means `.pre.`, i.e. a `pre` segment.
        let mut segments = Segments::new();
        for run in super::parsing::runs(text) {
            match run {
                Run::Other(b'-') => segments.push(Atom::word("pre")),
                Run::Other(_) => {}
                Run::Digits(run) => segments.push(Atom::number(run)),
                Run::Letters(run) => segments.push(Atom::word(run)),
            }
        }
        // canonical_segments: drop trailing zeros of the numeric part and of the string part.
        let split = segments
            .iter()
            .position(|s| !s.is_number())
            .unwrap_or(segments.len());
        let mut pre_end = segments.len();
        while pre_end > split && segments[pre_end - 1].is_zero() {
            pre_end -= 1;
        }
        let mut release_end = split;
        while release_end > 0 && segments[release_end - 1].is_zero() {
            release_end -= 1;
        }
        segments.truncate(pre_end);
        segments.drain(release_end..split);
        Ok(Self {
            segments,
            min_of_release: false,
        })
    }

    /// The numeric release prefix, without trailing zeros.
    fn release_numbers(&self) -> &[Segment] {
        let end = self
            .segments
            .iter()
            .position(|s| !s.is_number())
            .unwrap_or(self.segments.len());
        let mut release = &self.segments[..end];
        while release.last().is_some_and(Segment::is_zero) {
            release = &release[..release.len() - 1];
        }
        release
    }

    /// The bound below every version of this version's release (for `~>`).
    pub(crate) fn min_of_release(&self) -> Self {
        Self {
            segments: self.release_numbers().iter().cloned().collect(),
            min_of_release: true,
        }
    }

    /// Whether this is a pre-release (it has a letter).
    pub fn is_prerelease(&self) -> bool {
        self.segments.iter().any(|s| !s.is_number())
    }
}

fn compare_numbers(a: &[Segment], b: &[Segment]) -> Ordering {
    let zero = Atom::Number(0);
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i).unwrap_or(&zero), b.get(i).unwrap_or(&zero));
        if !x.is_number() || !y.is_number() {
            return Ordering::Equal;
        }
        let order = x.cmp(y);
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.min_of_release || other.min_of_release {
            return compare_numbers(self.release_numbers(), other.release_numbers())
                .then_with(|| other.min_of_release.cmp(&self.min_of_release));
        }
        let zero = Atom::Number(0);
        for i in 0..self.segments.len().max(other.segments.len()) {
            let l = self.segments.get(i).unwrap_or(&zero);
            let r = other.segments.get(i).unwrap_or(&zero);
            // A word (pre-release) before a number, as Gem::Version does.
            let order = match (l.is_number(), r.is_number()) {
                (false, true) => Ordering::Less,
                (true, false) => Ordering::Greater,
                _ => l.cmp(r),
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        Ordering::Equal
    }
}

impl std::hash::Hash for GemVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (&self.segments, self.min_of_release).hash(state);
    }
}

super::parsing::order_from_ord!(GemVersion);
