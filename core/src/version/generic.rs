//! Versions without an ecosystem: vendor and NVD strings such as `10.0.19041.1234`,
//! `2.4.49-rc1`, `7u80`, `2019 SP1`, and the `vers` helper schemes `intdot`,
//! `lexicographic` and `datetime`.

use super::atom::Atom;
use super::parsing::Run;
use super::{Scheme, VersionError, VersionErrorKind};
use smallvec::SmallVec;
use std::cmp::Ordering;

/// Words that mark a pre-release in vendor versions: a version that continues with one of
/// them sorts *before* the version without it (`2.4.49-rc1 < 2.4.49`).
const PRE_RELEASE_WORDS: [&str; 13] = [
    "dev",
    "snapshot",
    "alpha",
    "a",
    "beta",
    "b",
    "milestone",
    "m",
    "pre",
    "preview",
    "rc",
    "cr",
    "ea",
];

/// A number, or letters in lower case.
type Token = Atom;

/// Whether a token is one of [`PRE_RELEASE_WORDS`] (only words are looked at, and only when
/// an order needs it).
fn is_pre_release(token: &Token) -> bool {
    !token.is_number()
        && PRE_RELEASE_WORDS
            .iter()
            .any(|w| w.as_bytes() == token.word_bytes())
}

/// A vendor version: runs of digits and of letters, any other character separates.
///
/// Order: numbers numerically, words case-insensitively, a number after a word at the same
/// place; where one version ends, the other is greater unless it goes on with a pre-release
/// word (`rc`, `beta`, `alpha`, `dev`, …) or only zeros (`1.0 == 1.0.0`).
///
/// ```
/// use exposure::version::GenericVersion;
/// let v = |s| GenericVersion::parse(s).unwrap();
/// assert!(v("10.0.19041.1234") < v("10.0.19041.1237"));
/// assert!(v("2.4.49-rc1") < v("2.4.49"));
/// assert!(v("7u80") > v("7u8"));
/// assert_eq!(v("1.0"), v("1.0.0"));
/// assert!(v("2019") < v("2019 SP1"));
/// ```
#[derive(Debug, Clone)]
pub struct GenericVersion {
    tokens: SmallVec<[Token; 4]>,
}

impl GenericVersion {
    /// Parses a vendor version; it must contain at least one digit or letter and no control
    /// characters.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let lead = input.len() - input.trim_start().len();
        let text = input.trim();
        if let Some((at, found)) = text.char_indices().find(|(_, c)| c.is_control()) {
            return Err(VersionError::new(
                Scheme::Generic,
                input,
                lead + at,
                VersionErrorKind::UnexpectedChar { found },
            ));
        }
        let mut tokens = SmallVec::new();
        for run in super::parsing::runs(text) {
            match run {
                Run::Digits(run) => tokens.push(Atom::number(run)),
                Run::Letters(run) => tokens.push(Atom::lower_word(run)),
                Run::Other(_) => {}
            }
        }
        if tokens.is_empty() {
            return Err(VersionError::new(
                Scheme::Generic,
                input,
                lead,
                VersionErrorKind::Empty,
            ));
        }
        Ok(Self { tokens })
    }

    /// Tokens without trailing zero numbers, which do not count.
    fn significant(&self) -> &[Token] {
        let end = self
            .tokens
            .iter()
            .rposition(|t| !t.is_zero())
            .map_or(0, |i| i + 1);
        &self.tokens[..end]
    }
}

impl Ord for GenericVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.significant(), other.significant());
        for (x, y) in a.iter().zip(b) {
            let order = match (x.is_number(), y.is_number()) {
                (true, true) => x.cmp(y),
                (false, false) => match (is_pre_release(x), is_pre_release(y)) {
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    _ => x.cmp(y),
                },
                (true, false) => {
                    if is_pre_release(y) {
                        Ordering::Greater
                    } else {
                        Ordering::Less
                    }
                }
                (false, true) => {
                    if is_pre_release(x) {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    }
                }
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        match a.len().cmp(&b.len()) {
            Ordering::Equal => Ordering::Equal,
            Ordering::Greater => {
                if is_pre_release(&a[b.len()]) {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            Ordering::Less => {
                if is_pre_release(&b[a.len()]) {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
        }
    }
}

impl std::hash::Hash for GenericVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.significant().hash(state);
    }
}

/// `vers:intdot`: integers separated by dots, compared numerically part by part; missing
/// parts are zero (`1.0 == 1.0.0`).
///
/// ```
/// use exposure::version::IntdotVersion;
/// assert!(IntdotVersion::parse("1.10").unwrap() > IntdotVersion::parse("1.9").unwrap());
/// assert!(IntdotVersion::parse("1.a").is_err());
/// ```
#[derive(Debug, Clone)]
pub struct IntdotVersion {
    parts: SmallVec<[u64; 4]>,
}

impl IntdotVersion {
    /// Parses `N(.N)*`.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let lead = input.len() - input.trim_start().len();
        let text = input.trim();
        if text.is_empty() {
            return Err(VersionError::new(
                Scheme::Intdot,
                input,
                0,
                VersionErrorKind::Empty,
            ));
        }
        let mut parts = SmallVec::new();
        let mut at = lead;
        for part in super::parsing::split_at_byte(text, b'.') {
            if let Some((i, found)) = part.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
                return Err(VersionError::new(
                    Scheme::Intdot,
                    input,
                    at + i,
                    VersionErrorKind::UnexpectedChar { found },
                ));
            }
            if part.is_empty() {
                return Err(VersionError::new(
                    Scheme::Intdot,
                    input,
                    at,
                    VersionErrorKind::UnexpectedEnd,
                ));
            }
            parts.push(part.parse().map_err(|_| {
                VersionError::new(Scheme::Intdot, input, at, VersionErrorKind::NumberTooLarge)
            })?);
            at += part.len() + 1;
        }
        while parts.len() > 1 && parts.last() == Some(&0) {
            parts.pop();
        }
        Ok(Self { parts })
    }
}

impl Ord for IntdotVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts)
    }
}

impl PartialOrd for IntdotVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for IntdotVersion {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}

impl Eq for IntdotVersion {}

impl std::hash::Hash for IntdotVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parts.hash(state);
    }
}

/// `vers:datetime`: an RFC 3339 timestamp, ordered as an instant (offsets applied).
///
/// ```
/// use exposure::version::DatetimeVersion;
/// let v = |s| DatetimeVersion::parse(s).unwrap();
/// assert_eq!(v("2024-01-01T00:00:00Z"), v("2023-12-31T19:00:00-05:00"));
/// assert_eq!(v("2024-01-01T00:00:00Z"), v("2024-01-01T00:00:00.000Z"));
/// assert!(v("2024-01-01T00:00:00+02:00") < v("2023-12-31T23:00:00Z"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DatetimeVersion {
    /// Seconds since 1970-01-01T00:00:00Z and nanoseconds.
    instant: (i64, u32),
}

impl DatetimeVersion {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let lead = input.len() - input.trim_start().len();
        let text = input.trim();
        let bad = |at: usize, what: &str| {
            VersionError::new(
                Scheme::Datetime,
                input,
                lead + at.min(text.len()),
                VersionErrorKind::Invalid(what.into()),
            )
        };
        let b = text.as_bytes();
        let num = |from: usize, len: usize| -> Result<i64, VersionError> {
            let part = text
                .get(from..from + len)
                .ok_or_else(|| bad(from, "too short"))?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad(from, "expected digits"));
            }
            part.parse().map_err(|_| bad(from, "expected digits"))
        };
        if text.is_empty() {
            return Err(VersionError::new(
                Scheme::Datetime,
                input,
                0,
                VersionErrorKind::Empty,
            ));
        }
        let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
        if b.get(4) != Some(&b'-')
            || b.get(7) != Some(&b'-')
            || !matches!(b.get(10), Some(b'T' | b't' | b' '))
        {
            return Err(bad(4, "expected YYYY-MM-DDTHH:MM:SS"));
        }
        let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
        if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
            return Err(bad(13, "expected HH:MM:SS"));
        }
        if !(1..=12).contains(&month)
            || !(1..=31).contains(&day)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return Err(bad(0, "field out of range"));
        }
        let mut i = 19;
        let mut nanos: u32 = 0;
        if b.get(i) == Some(&b'.') {
            let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return Err(bad(i, "empty fraction"));
            }
            let frac = &text[i + 1..i + 1 + digits.min(9)];
            nanos = format!("{frac:0<9}")
                .parse()
                .map_err(|_| bad(i, "bad fraction"))?;
            i += 1 + digits;
        }
        let offset = match b.get(i) {
            Some(b'Z' | b'z') if i + 1 == b.len() => 0,
            Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
                let minutes = num(i + 1, 2)? * 60 + num(i + 4, 2)?;
                if *sign == b'+' {
                    minutes
                } else {
                    -minutes
                }
            }
            _ => return Err(bad(i, "expected Z or a ±HH:MM offset")),
        };
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset * 60;
        Ok(Self {
            instant: (seconds, nanos),
        })
    }
}

/// `vers:lexicographic`: any text, ordered by Unicode code points (byte order of UTF-8).
///
/// ```
/// use exposure::version::LexicographicVersion;
/// let v = |s| LexicographicVersion::parse(s).unwrap();
/// assert!(v("A") < v("a") && v("a") < v("aa"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LexicographicVersion {
    text: Box<str>,
}

impl LexicographicVersion {
    /// Accepts any non-empty text (not trimmed: white space is part of the value).
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        if input.is_empty() {
            return Err(VersionError::new(
                Scheme::Lexicographic,
                input,
                0,
                VersionErrorKind::Empty,
            ));
        }
        Ok(Self { text: input.into() })
    }
}

super::parsing::order_from_ord!(GenericVersion);
