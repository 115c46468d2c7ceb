//! Alpine Linux package versions, ordered as `apk version -t` (apk-tools 2.x) orders them.
//!
//! Grammar: `digits(.digits)*[letter](_suffix[digits])*[~hash][-r digits]`, suffixes
//! `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p`. Traps: `_rc`
//! sorts *before* the release (unlike Debian), a number component starting with `0` compares
//! as a fraction (`1.01 < 1.1`, as apk does), and `-r` revisions compare numerically. A run
//! of 18 digits or more makes a version invalid, as in apk-tools since 2.12.10 (its
//! `get_token` rejects such a run rather than let the number overflow), so numbers never
//! saturate: [`VersionErrorKind::NumberTooLarge`].

use super::{Scheme, VersionError, VersionErrorKind};
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Token {
    Invalid = -1,
    DigitOrZero = 0,
    Digit = 1,
    Letter = 2,
    Suffix = 3,
    SuffixNo = 4,
    RevisionNo = 5,
    Hash = 6,
    End = 7,
}

const PRE_SUFFIXES: [&str; 4] = ["alpha", "beta", "pre", "rc"];
const POST_SUFFIXES: [&str; 5] = ["cvs", "svn", "git", "hg", "p"];

/// A cursor over a version, yielding (token kind, value) pairs as apk-tools does.
struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
    kind: Token,
    /// Where the version stopped being valid, once it has.
    bad_at: Option<usize>,
    /// Whether it stopped there at a run of [`MAX_DIGITS`] digits or more.
    too_long: bool,
}

/// apk-tools (2.12.10 and later) rejects a run of this many digits or more in any number
/// (`if (i >= 18) goto invalid;` in `get_token`): every shorter run fits in an `i64`.
const MAX_DIGITS: usize = 18;

impl Cursor<'_> {
    fn new(s: &[u8]) -> Cursor<'_> {
        Cursor {
            s,
            pos: 0,
            kind: Token::Digit,
            bad_at: None,
            too_long: false,
        }
    }

    fn at(&self, k: usize) -> Option<u8> {
        self.s.get(self.pos + k).copied()
    }

    /// Decides the kind of the next token from the separator at the cursor.
    fn next_kind(&mut self) {
        let prev = self.kind;
        let at = self.pos;
        let mut n = Token::Invalid;
        match self.at(0) {
            None => n = Token::End,
            Some(c)
                if matches!(prev, Token::Digit | Token::DigitOrZero) && c.is_ascii_lowercase() =>
            {
                n = Token::Letter;
            }
            Some(c) if prev == Token::Letter && c.is_ascii_digit() => n = Token::Digit,
            Some(c) if prev == Token::Suffix && c.is_ascii_digit() => n = Token::SuffixNo,
            Some(c) => {
                match c {
                    b'.' => n = Token::DigitOrZero,
                    b'_' => n = Token::Suffix,
                    b'~' => n = Token::Hash,
                    b'-' if self.at(1) == Some(b'r') => {
                        n = Token::RevisionNo;
                        self.pos += 1;
                    }
                    _ => {}
                }
                self.pos += 1;
            }
        }
        if n < prev
            && !((n == Token::DigitOrZero && prev == Token::Digit)
                || (n == Token::Suffix && prev == Token::SuffixNo)
                || (n == Token::Digit && prev == Token::Letter))
        {
            n = Token::Invalid;
        }
        if n == Token::Invalid {
            self.bad_at.get_or_insert(at);
        }
        self.kind = n;
    }

    /// Reads the token at the cursor and returns its value; advances the kind.
    fn token(&mut self) -> i64 {
        let mut value: i64 = 0;
        let mut next = Token::Invalid;
        if self.pos >= self.s.len() {
            self.kind = Token::End;
            return 0;
        }
        match self.kind {
            Token::DigitOrZero | Token::Digit | Token::SuffixNo | Token::RevisionNo => {
                if self.kind == Token::DigitOrZero && self.at(0) == Some(b'0') {
                    // Leading zeros (apk 2.14): every zero but the last counts as a negative
                    // token, so the component compares as a fraction (`1.01 < 1.1`); the last
                    // zero and the digits after it are read as the next token.
                    let mut extra = 0;
                    while self.at(extra + 1) == Some(b'0') {
                        extra += 1;
                    }
                    self.pos += extra;
                    #[allow(clippy::cast_possible_wrap)]
                    let zeros = extra as i64;
                    value = -zeros;
                    next = Token::Digit;
                } else {
                    let start = self.pos;
                    let digits = self.s[start..]
                        .iter()
                        .take_while(|d| d.is_ascii_digit())
                        .count();
                    if digits >= MAX_DIGITS {
                        // apk: the token is invalid, its value -1, the cursor stays.
                        self.bad_at.get_or_insert(start);
                        self.too_long = true;
                        self.kind = Token::Invalid;
                        return -1;
                    }
                    for &d in &self.s[start..start + digits] {
                        value = value * 10 + i64::from(d - b'0');
                    }
                    self.pos += digits;
                }
            }
            Token::Letter => {
                value = i64::from(self.at(0).unwrap_or(0));
                self.pos += 1;
            }
            Token::Suffix => {
                let rest = &self.s[self.pos..];
                if let Some((i, word)) = PRE_SUFFIXES
                    .iter()
                    .enumerate()
                    .find(|(_, w)| rest.starts_with(w.as_bytes()))
                {
                    #[allow(clippy::cast_possible_wrap)]
                    let rank = i as i64 - PRE_SUFFIXES.len() as i64;
                    value = rank;
                    self.pos += word.len();
                } else if let Some((i, word)) = POST_SUFFIXES
                    .iter()
                    .enumerate()
                    .find(|(_, w)| rest.starts_with(w.as_bytes()))
                {
                    #[allow(clippy::cast_possible_wrap)]
                    let rank = i as i64;
                    value = rank;
                    self.pos += word.len();
                } else {
                    self.bad_at.get_or_insert(self.pos);
                    self.kind = Token::Invalid;
                    return -1;
                }
            }
            Token::Hash => {
                // A commit hash: hex digits, compared as text is not meaningful; apk skips it.
                while self.at(0).is_some_and(|c| c.is_ascii_hexdigit()) {
                    self.pos += 1;
                }
                self.kind = if self.pos == self.s.len() {
                    Token::End
                } else {
                    Token::Hash
                };
                if self.kind == Token::Hash {
                    self.next_kind();
                    if self.kind != Token::RevisionNo {
                        self.kind = Token::Invalid;
                    }
                }
                return 0;
            }
            Token::Invalid | Token::End => {
                self.kind = Token::Invalid;
                return -1;
            }
        }
        if self.pos >= self.s.len() {
            self.kind = Token::End;
        } else if next != Token::Invalid {
            self.kind = next;
        } else {
            self.next_kind();
        }
        value
    }
}

#[cfg(test)]
impl Cursor<'_> {
    /// Whether the cursor stands on a suffix that marks a pre-release (`_alpha`, `_rc`, …):
    /// a version ending there is newer than one going on with it.
    fn pre_release_follows(&self) -> bool {
        self.kind == Token::Suffix
            && Cursor {
                s: self.s,
                pos: self.pos,
                kind: Token::Suffix,
                bad_at: None,
                too_long: false,
            }
            .token()
                < 0
    }
}

/// apk-tools' comparison of two valid versions, token by token with the cursor: the
/// reference the precomputed comparison is tested against.
#[cfg(test)]
fn apk_compare(a: &[u8], b: &[u8]) -> Ordering {
    let (mut x, mut y) = (Cursor::new(a), Cursor::new(b));
    let (mut av, mut bv) = (0, 0);
    while x.kind == y.kind && x.kind != Token::End && x.kind != Token::Invalid && av == bv {
        av = x.token();
        bv = y.token();
    }
    if av != bv {
        return av.cmp(&bv);
    }
    if x.kind == y.kind {
        return Ordering::Equal;
    }
    // The non-terminating version is greater, unless what follows is a pre-release suffix.
    if x.pre_release_follows() {
        return Ordering::Less;
    }
    if y.pre_release_follows() {
        return Ordering::Greater;
    }
    // A later token kind means the version ended earlier in the grammar: it is smaller.
    y.kind.cmp(&x.kind)
}

/// An Alpine package version.
///
/// ```
/// use exposure::version::AlpineVersion;
/// let v = |s| AlpineVersion::parse(s).unwrap();
/// assert!(v("1.2.3_rc1") < v("1.2.3"));
/// assert!(v("1.2.3") < v("1.2.3_p1"));
/// assert!(v("1.2.3-r1") < v("1.2.3-r10"));
/// assert!(v("1.2a") > v("1.2"));
/// assert!(AlpineVersion::parse("1.2.3-1").is_err());
/// ```
#[derive(Debug, Clone)]
pub struct AlpineVersion {
    /// The token kinds apk's cursor passes through, from the first to `End`, and the value
    /// read at each (none at the last): computed once so that comparing is a walk over an
    /// array. Most versions take at most six steps, which stay inline.
    steps: smallvec::SmallVec<[Step; 6]>,
}

/// One token of apk's cursor and the value read there.
#[derive(Debug, Clone, Copy)]
struct Step {
    kind: Token,
    value: i64,
}

impl AlpineVersion {
    /// Parses and validates an apk version.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let trimmed = super::parsing::Trimmed::new(Scheme::Alpine, input)?;
        let (lead, text) = (trimmed.lead, trimmed.text);
        // One pass of apk's cursor both validates and records the token stream.
        let mut cursor = Cursor::new(text.as_bytes());
        let mut last = 0;
        let mut steps = smallvec::SmallVec::new();
        loop {
            let kind = cursor.kind;
            if matches!(kind, Token::End | Token::Invalid) {
                steps.push(Step { kind, value: 0 });
                break;
            }
            last = cursor.pos;
            let value = cursor.token();
            steps.push(Step { kind, value });
        }
        if cursor.kind == Token::Invalid || !text.as_bytes()[0].is_ascii_digit() {
            let at = if text.as_bytes()[0].is_ascii_digit() {
                cursor.bad_at.unwrap_or(last)
            } else {
                0
            };
            let kind = if cursor.too_long && cursor.bad_at == Some(at) {
                VersionErrorKind::NumberTooLarge
            } else {
                VersionErrorKind::Invalid("not a valid apk version".into())
            };
            return Err(VersionError::new(Scheme::Alpine, input, lead + at, kind));
        }
        Ok(Self { steps })
    }
}

impl Ord for AlpineVersion {
    /// apk-tools' comparison, replayed over the precomputed token streams.
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&self.steps, &other.steps);
        let (mut i, mut av, mut bv) = (0, 0, 0);
        while a[i].kind == b[i].kind
            && !matches!(a[i].kind, Token::End | Token::Invalid)
            && av == bv
        {
            av = a[i].value;
            bv = b[i].value;
            i += 1;
        }
        if av != bv {
            return av.cmp(&bv);
        }
        let (at, bt) = (a[i].kind, b[i].kind);
        if at == bt {
            return Ordering::Equal;
        }
        // The non-terminating version is greater, unless what follows is a pre-release suffix.
        if at == Token::Suffix && a[i].value < 0 {
            return Ordering::Less;
        }
        if bt == Token::Suffix && b[i].value < 0 {
            return Ordering::Greater;
        }
        bt.cmp(&at)
    }
}

impl std::hash::Hash for AlpineVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Equal apk versions can differ in spelling (leading zeros, a commit hash): hash only
        // the value of the leading number, which equal versions share (comparing walks it
        // first).
        self.steps[0].value.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precomputed_tokens_compare_as_the_cursor_does() {
        let versions = [
            "1",
            "1.0",
            "1.00",
            "1.01",
            "1.1",
            "1.2a",
            "1.2",
            "1.2.3_rc1",
            "1.2.3",
            "1.2.3_p1",
            "1.2.3-r1",
            "1.2.3-r10",
            "2.0_alpha_pre2",
            "2.0_alpha",
            "2.0_alpha1",
            "6.0_pre1",
            "6.0",
            "1.0_git20230101-r2",
            "0.9.8z",
            "10_cvs",
            "1.0-r0",
            "7-r0",
            "7",
        ];
        for a in versions {
            for b in versions {
                let (x, y) = (
                    AlpineVersion::parse(a).unwrap(),
                    AlpineVersion::parse(b).unwrap(),
                );
                assert_eq!(
                    x.cmp(&y),
                    apk_compare(a.as_bytes(), b.as_bytes()),
                    "{a} vs {b}"
                );
            }
        }
    }

    /// Numbers beyond the integer range used to saturate (`9223372036854775808` equalled
    /// `9223372036854775807`). apk-tools 2.12.10 and later reject a run of 18 digits or more
    /// (`get_token`: `if (i >= 18) goto invalid;`), and so do we, as a number too large.
    #[test]
    fn digit_runs_of_eighteen_or_more_are_rejected_as_apk_rejects_them() {
        let largest = "99999999999999999"; // 17 digits
        let v = |s: &str| AlpineVersion::parse(s);
        assert!(v(largest).is_ok());
        assert!(v(&format!("1.{largest}")).unwrap() > v("1.99999999999999998").unwrap());
        assert!(v(&format!("1.0_rc{largest}-r{largest}")).is_ok());
        for (text, at) in [
            ("9223372036854775808", 0),
            ("9223372036854775807", 0),
            ("100000000000000000", 0),
            ("1.100000000000000000", 2),
            ("1.0123456789012345678", 2),
            ("1.2_p100000000000000000", 5),
            ("1.2-r100000000000000000", 5),
        ] {
            let e = v(text).unwrap_err();
            assert_eq!(e.kind(), &VersionErrorKind::NumberTooLarge, "{text}");
            assert_eq!(e.offset(), at, "{text}");
        }
        // Leading zeros count as a fraction, not as digits of the number.
        assert!(v("1.00000000000000000000001").is_ok());
        assert!(v("1.2-x").is_err_and(|e| matches!(e.kind(), VersionErrorKind::Invalid(_))));
    }
}

super::parsing::order_from_ord!(AlpineVersion);
