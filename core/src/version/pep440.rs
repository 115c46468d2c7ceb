//! PEP 440 versions, ordered as Python's `packaging.version.Version` orders them.

use super::{Scheme, VersionError, VersionErrorKind};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// Release numbers, inline up to four (nearly every real version), on the heap beyond.
#[derive(Debug, Clone)]
enum Release {
    Inline { len: u8, parts: [u64; 4] },
    Heap(Vec<u64>),
}

impl Release {
    fn from_first(first: u64) -> Self {
        Release::Inline {
            len: 1,
            parts: [first, 0, 0, 0],
        }
    }

    fn push(&mut self, n: u64) {
        match self {
            Release::Inline { len, parts } if usize::from(*len) < parts.len() => {
                parts[usize::from(*len)] = n;
                *len += 1;
            }
            Release::Inline { len, parts } => {
                let mut heap = parts[..usize::from(*len)].to_vec();
                heap.push(n);
                *self = Release::Heap(heap);
            }
            Release::Heap(v) => v.push(n),
        }
    }
}

impl From<Vec<u64>> for Release {
    fn from(v: Vec<u64>) -> Self {
        if v.len() <= 4 && !v.is_empty() {
            let mut parts = [0u64; 4];
            parts[..v.len()].copy_from_slice(&v);
            #[allow(clippy::cast_possible_truncation)] // at most 4
            Release::Inline {
                len: v.len() as u8,
                parts,
            }
        } else {
            Release::Heap(v)
        }
    }
}

impl std::ops::Deref for Release {
    type Target = [u64];

    fn deref(&self) -> &[u64] {
        match self {
            Release::Inline { len, parts } => &parts[..usize::from(*len)],
            Release::Heap(v) => v,
        }
    }
}

/// The kind of a PEP 440 pre-release, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PreKind {
    /// `a`, `alpha`.
    Alpha,
    /// `b`, `beta`.
    Beta,
    /// `rc`, `c`, `pre`, `preview`.
    Rc,
}

impl PreKind {
    fn from_word(word: &str) -> Option<Self> {
        const WORDS: [(&str, PreKind); 7] = [
            ("a", PreKind::Alpha),
            ("alpha", PreKind::Alpha),
            ("b", PreKind::Beta),
            ("beta", PreKind::Beta),
            ("c", PreKind::Rc),
            ("rc", PreKind::Rc),
            ("pre", PreKind::Rc),
        ];
        if word.eq_ignore_ascii_case("preview") {
            return Some(PreKind::Rc);
        }
        WORDS
            .iter()
            .find(|(w, _)| w.eq_ignore_ascii_case(word))
            .map(|(_, kind)| *kind)
    }

    fn as_str(self) -> &'static str {
        match self {
            PreKind::Alpha => "a",
            PreKind::Beta => "b",
            PreKind::Rc => "rc",
        }
    }
}

/// One segment of a local version label: numbers sort after text, and numerically.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum LocalSegment {
    Text(Box<str>),
    Number(u64),
}

impl Ord for LocalSegment {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (LocalSegment::Number(a), LocalSegment::Number(b)) => a.cmp(b),
            (LocalSegment::Number(_), LocalSegment::Text(_)) => Ordering::Greater,
            (LocalSegment::Text(_), LocalSegment::Number(_)) => Ordering::Less,
            (LocalSegment::Text(a), LocalSegment::Text(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for LocalSegment {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A PEP 440 version: `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, with every spelling
/// that PEP 440 normalises (`v` prefix, `alpha`, `-1` as post-release, `_`/`-` separators,
/// upper case).
///
/// ```
/// use exposure::version::Pep440Version;
/// let v = |s| Pep440Version::parse(s).unwrap();
/// assert!(v("1.0.dev0") < v("1.0a1"));
/// assert!(v("1.0a1") < v("1.0"));
/// assert!(v("1.0") < v("1.0.post1"));
/// assert!(v("1.0") < v("1.0+local"));
/// assert_eq!(v("1.0"), v("1.0.0"));
/// assert_eq!(v("V1.0-ALPHA_2").to_string(), "1.0a2");
/// ```
#[derive(Debug, Clone)]
pub struct Pep440Version {
    epoch: u64,
    release: Release,
    pre: Option<(PreKind, u64)>,
    post: Option<u64>,
    dev: Option<u64>,
    local: Box<[LocalSegment]>,
    marker: Marker,
}

/// A range bound that no spelled version can express, used by specifier sets: `>1.0`
/// excludes 1.0's post and local releases, and no version is the first above all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Marker {
    /// An ordinary version.
    None,
    /// Sorts after every version of the same epoch and release (posts and locals included).
    MaxOfRelease,
    /// Orders as the version itself, but a range point `[V, V]` built from it holds only
    /// the versions spelled as V is once normalised (`===1.0` holds `1.0`, not `1.0.0`).
    Spelled,
}

impl Pep440Version {
    /// Parses a PEP 440 version; surrounding white space is ignored.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        Parser {
            input: text,
            pos: 0,
        }
        .parse()
    }

    /// Whether this is a pre-release or a development release.
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    /// Whether this is a post-release.
    pub fn is_postrelease(&self) -> bool {
        self.post.is_some()
    }

    /// Whether this has a local label.
    pub fn has_local(&self) -> bool {
        !self.local.is_empty()
    }

    /// Whether this is a bound that holds only its own spelling (see [`Marker::Spelled`]).
    pub(crate) fn is_spelled(&self) -> bool {
        self.marker == Marker::Spelled
    }

    /// Whether `other` is spelled as this version once both are normalised: the same epoch,
    /// the same release numbers *and count* (`1.0` is not `1.0.0`), pre, post, dev and local.
    pub(crate) fn same_spelling(&self, other: &Self) -> bool {
        self.epoch == other.epoch
            && *self.release == *other.release
            && self.pre == other.pre
            && self.post == other.post
            && self.dev == other.dev
            && self.local == other.local
    }

    /// The exclusive upper bound of `<V`, which holds no pre-release of V itself: V when V
    /// is a pre-release; otherwise V's first development release (`1.0` gives `1.0.dev0`,
    /// `1.0.post1` gives `1.0.post1.dev0`, so `<1.0.post1` holds `1.0` and `1.0.post0`).
    pub(crate) fn below_own_prereleases(&self) -> Self {
        let mut bound = self.clone();
        bound.local = Box::new([]);
        bound.marker = Marker::None;
        if !self.is_prerelease() {
            bound.dev = Some(0);
        }
        bound
    }

    /// The inclusive lower bound of `>V` for a pre-, dev- or post-release V: the first
    /// version above V's own local versions and (unless V is a post-release) V's own
    /// post-releases (`1.0a1` gives `1.0a2.dev0`, `1.0.post1` gives `1.0.post2.dev0`,
    /// `1.0.dev1` gives `1.0.dev2`). `None` for a final release (no version follows all its
    /// post-releases: see [`Marker::MaxOfRelease`]) or when a number is at its maximum.
    pub(crate) fn above_own_posts_and_locals(&self) -> Option<Self> {
        let mut next = self.clone();
        next.local = Box::new([]);
        next.marker = Marker::None;
        match (self.pre, self.post, self.dev) {
            (_, _, Some(dev)) => next.dev = Some(dev.checked_add(1)?),
            (_, Some(post), None) => {
                next.post = Some(post.checked_add(1)?);
                next.dev = Some(0);
            }
            (Some((kind, n)), None, None) => {
                next.pre = match (n.checked_add(1), kind) {
                    (Some(n), _) => Some((kind, n)),
                    (None, PreKind::Alpha) => Some((PreKind::Beta, 0)),
                    (None, PreKind::Beta) => Some((PreKind::Rc, 0)),
                    (None, PreKind::Rc) => None,
                };
                // After `rc` at its maximum comes the final release itself.
                next.dev = next.pre.map(|_| 0);
            }
            (None, None, None) => return None,
        }
        Some(next)
    }

    /// This version's release with a bound marker (for specifier sets).
    pub(crate) fn marked(&self, marker: Marker) -> Self {
        let mut v = self.clone();
        if marker == Marker::MaxOfRelease {
            v.pre = None;
            v.post = None;
            v.dev = None;
            v.local = Box::new([]);
        }
        v.marker = marker;
        v
    }

    /// The smallest version of this version's release: `V.dev0` (`1.0` gives `1.0.dev0`).
    pub(crate) fn first_of_release(&self) -> Self {
        Pep440Version {
            epoch: self.epoch,
            release: self.release.clone(),
            pre: None,
            post: None,
            dev: Some(0),
            local: Box::new([]),
            marker: Marker::None,
        }
    }

    /// The smallest version above every local variant of this public version (`1.0` gives
    /// `1.0.post0.dev0`, `1.0.dev1` gives `1.0.dev2`, `1.0.post1` gives `1.0.post2.dev0`).
    pub(crate) fn after_locals(&self) -> Self {
        let mut next = self.clone();
        next.local = Box::new([]);
        next.marker = Marker::None;
        match (self.post, self.dev) {
            (_, Some(dev)) => next.dev = Some(dev.saturating_add(1)),
            (Some(post), None) => {
                next.post = Some(post.saturating_add(1));
                next.dev = Some(0);
            }
            (None, None) => {
                next.post = Some(0);
                next.dev = Some(0);
            }
        }
        next
    }

    /// The same version with one more release component bumped at `index` and the rest
    /// dropped (`1.4.5` bumped at 1 is `1.5`), without pre/post/dev/local.
    pub(crate) fn bump(&self, index: usize) -> Self {
        let mut release: Vec<u64> = self.release.iter().copied().take(index + 1).collect();
        release.resize(index + 1, 0);
        release[index] = release[index].saturating_add(1);
        Pep440Version {
            epoch: self.epoch,
            release: Release::from(release),
            pre: None,
            post: None,
            dev: None,
            local: Box::new([]),
            marker: Marker::None,
        }
    }

    /// The release numbers, as written (trailing zeros kept).
    pub fn release(&self) -> &[u64] {
        &self.release
    }

    /// Release numbers without trailing zeros: `1.0.0` and `1` are the same release.
    fn significant_release(&self) -> &[u64] {
        let len = self
            .release
            .iter()
            .rposition(|&n| n != 0)
            .map_or(0, |i| i + 1);
        &self.release[..len]
    }
}

/// Pre-release words, longest first so that a prefix never shadows a longer word.
const PRE_WORDS: [&str; 8] = ["preview", "alpha", "beta", "pre", "rc", "a", "b", "c"];

struct Parser<'a> {
    input: &'a str,
    pos: usize,
}

fn is_separator(b: u8) -> bool {
    matches!(b, b'.' | b'-' | b'_')
}

impl Parser<'_> {
    fn error(&self, kind: VersionErrorKind) -> VersionError {
        VersionError::new(Scheme::Pypi, self.input, self.pos, kind)
    }

    fn unexpected(&self) -> VersionError {
        match self.input[self.pos..].chars().next() {
            Some(found) => self.error(VersionErrorKind::UnexpectedChar { found }),
            None => self.error(VersionErrorKind::UnexpectedEnd),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.input.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn digits(&mut self) -> Option<Result<u64, VersionError>> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        if start == self.pos {
            return None;
        }
        Some(
            super::num::parse_u64(&self.input[start..self.pos]).ok_or_else(|| {
                VersionError::new(
                    Scheme::Pypi,
                    self.input,
                    start,
                    VersionErrorKind::NumberTooLarge,
                )
            }),
        )
    }

    /// `[-_.]? N?` after a pre/post/dev word: the number defaults to 0. As in PEP 440's
    /// regular expression, the separator may stand without a number (`1.0b-`).
    fn optional_number(&mut self) -> Result<u64, VersionError> {
        if self.peek().is_some_and(is_separator) {
            let after = self.input.as_bytes().get(self.pos + 1);
            // Keep a separator that introduces the next segment's word or an implicit
            // post-release number (`1.0b-1` is pre 1; `1.0-1` is handled by the caller).
            if after.is_some_and(u8::is_ascii_digit) {
                self.pos += 1;
            } else if !after.is_some_and(u8::is_ascii_alphabetic) {
                self.pos += 1;
                return Ok(0);
            } else {
                return Ok(0);
            }
        }
        self.digits().unwrap_or(Ok(0))
    }

    /// Tries `[-_.]? WORD` where WORD is one of `words` (case-insensitive, longest listed
    /// first); restores the position otherwise.
    fn tagged(&mut self, words: &[&str]) -> Option<usize> {
        let before = self.pos;
        if self.peek().is_some_and(is_separator) {
            self.pos += 1;
        }
        let rest = &self.input.as_bytes()[self.pos..];
        for (i, word) in words.iter().enumerate() {
            if rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word.as_bytes())
            {
                self.pos += word.len();
                return Some(i);
            }
        }
        self.pos = before;
        None
    }

    fn parse(mut self) -> Result<Pep440Version, VersionError> {
        self.skip_whitespace();
        if self.pos == self.input.len() {
            return Err(self.error(VersionErrorKind::Empty));
        }
        if matches!(self.peek(), Some(b'v' | b'V')) {
            self.pos += 1;
        }
        let first = self.digits().ok_or_else(|| self.unexpected())??;
        let (epoch, first) = if self.peek() == Some(b'!') {
            self.pos += 1;
            (first, self.digits().ok_or_else(|| self.unexpected())??)
        } else {
            (0, first)
        };
        let mut release = Release::from_first(first);
        while self.peek() == Some(b'.') && self.digit_after() {
            self.pos += 1;
            release.push(self.digits().ok_or_else(|| self.unexpected())??);
        }
        let pre = match self.tagged(&PRE_WORDS) {
            Some(i) => Some((
                PreKind::from_word(PRE_WORDS[i]).unwrap_or(PreKind::Rc),
                self.optional_number()?,
            )),
            None => None,
        };
        let post = self.post()?;
        let dev = match self.tagged(&["dev"]) {
            Some(_) => Some(self.optional_number()?),
            None => None,
        };
        let local = if self.peek() == Some(b'+') {
            self.pos += 1;
            self.local()?
        } else {
            Vec::new()
        };
        self.skip_whitespace();
        if self.pos != self.input.len() {
            return Err(self.unexpected());
        }
        Ok(Pep440Version {
            epoch,
            release,
            pre,
            post,
            dev,
            local: local.into_boxed_slice(),
            marker: Marker::None,
        })
    }

    /// Whether a digit follows the current byte.
    fn digit_after(&self) -> bool {
        self.input
            .as_bytes()
            .get(self.pos + 1)
            .is_some_and(u8::is_ascii_digit)
    }

    fn post(&mut self) -> Result<Option<u64>, VersionError> {
        // Implicit post-release: `1.0-1`.
        if self.peek() == Some(b'-') && self.digit_after() {
            self.pos += 1;
            return self.digits().transpose();
        }
        match self.tagged(&["post", "rev", "r"]) {
            Some(_) => Ok(Some(self.optional_number()?)),
            None => Ok(None),
        }
    }

    fn local(&mut self) -> Result<Vec<LocalSegment>, VersionError> {
        let mut segments = Vec::new();
        loop {
            let start = self.pos;
            while self.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
                self.pos += 1;
            }
            let text = &self.input[start..self.pos];
            if text.is_empty() {
                return Err(self.unexpected());
            }
            segments.push(if text.bytes().all(|b| b.is_ascii_digit()) {
                LocalSegment::Number(text.parse().map_err(|_| {
                    VersionError::new(
                        Scheme::Pypi,
                        self.input,
                        start,
                        VersionErrorKind::NumberTooLarge,
                    )
                })?)
            } else {
                LocalSegment::Text(text.to_ascii_lowercase().into())
            });
            if self.peek().is_some_and(is_separator) {
                self.pos += 1;
            } else {
                return Ok(segments);
            }
        }
    }
}

/// The pre-release key of `packaging`: a dev-only release sorts before every pre-release of
/// its release, a final (or post) release after all of them.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum PreKey {
    DevOnly,
    Pre(PreKind, u64),
    None,
}

impl Pep440Version {
    fn pre_key(&self) -> PreKey {
        match (self.pre, self.post, self.dev) {
            (None, None, Some(_)) => PreKey::DevOnly,
            (Some((kind, n)), _, _) => PreKey::Pre(kind, n),
            _ => PreKey::None,
        }
    }
}

fn compare_release(a: &[u64], b: &[u64]) -> Ordering {
    let len = a.len().max(b.len());
    (0..len)
        .map(|i| {
            a.get(i)
                .copied()
                .unwrap_or(0)
                .cmp(&b.get(i).copied().unwrap_or(0))
        })
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

fn release_marker_order(a: Marker, b: Marker) -> Ordering {
    let rank = |m: Marker| match m {
        Marker::MaxOfRelease => 1,
        Marker::None | Marker::Spelled => 0,
    };
    rank(a).cmp(&rank(b))
}

impl Ord for Pep440Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| compare_release(&self.release, &other.release))
            .then_with(|| release_marker_order(self.marker, other.marker))
            .then_with(|| {
                if self.marker == Marker::MaxOfRelease {
                    // Both carry the same release marker: nothing else counts.
                    return Ordering::Equal;
                }
                self.cmp_public(other)
            })
    }
}

impl Pep440Version {
    fn cmp_public(&self, other: &Self) -> Ordering {
        self.pre_key()
            .cmp(&other.pre_key())
            // No post-release sorts before any post-release.
            .then_with(|| self.post.cmp(&other.post))
            // No dev-release sorts after any dev-release.
            .then_with(|| match (self.dev, other.dev) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(&b),
            })
            // No local label sorts before any; labels compare segment by segment.
            .then_with(|| self.local.cmp(&other.local))
    }
}

impl Hash for Pep440Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (
            self.epoch,
            self.significant_release(),
            self.pre,
            self.post,
            self.dev,
            &self.local,
        )
            .hash(state);
    }
}

impl fmt::Display for Pep440Version {
    /// The normalised form, as `str(packaging.version.Version(...))` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.epoch != 0 {
            write!(f, "{}!", self.epoch)?;
        }
        for (i, n) in self.release.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{n}")?;
        }
        if let Some((kind, n)) = self.pre {
            write!(f, "{}{n}", kind.as_str())?;
        }
        if let Some(n) = self.post {
            write!(f, ".post{n}")?;
        }
        if let Some(n) = self.dev {
            write!(f, ".dev{n}")?;
        }
        for (i, segment) in self.local.iter().enumerate() {
            f.write_str(if i == 0 { "+" } else { "." })?;
            match segment {
                LocalSegment::Text(t) => f.write_str(t)?,
                LocalSegment::Number(n) => write!(f, "{n}")?,
            }
        }
        Ok(())
    }
}

super::parsing::order_from_ord!(Pep440Version);
