//! Conan package versions, ordered as Conan 2's `conans.model.version.Version` orders them.
//!
//! Traps: items split on `.`; numeric items compare as numbers, others as text; trailing zero
//! items do not count (`1.0 == 1`); `-pre` sorts before the release, `+build` after it;
//! the pre-release starts at the first `-` (`0.0.1-3-1 < 0.0.1`), the build at the last `+`.
//! An item is a number when Python's `int()` reads it (`1_0` is 10). A version starts as a
//! Conan reference's does, with `[A-Za-z0-9_]`, and holds no white space or control
//! character; anything else goes, as in Conan's `Version` (its own tests order `1.1*`, a
//! pattern's text). Deviation, on purpose: Conan compares a number with a text item as two
//! texts, which is not a total order; we use the total order described at `key` in the
//! source, which agrees with Conan on numbers, words and the common mixed shapes.

use super::atom::Atom;
use super::{Scheme, VersionError};
use std::cmp::Ordering;

/// A number, or anything else (including digits past 64 bits), ordered by [`key`].
type Item = Atom;

/// An item is a number when Python's `int()` takes it, as Conan's `_VersionItem` asks it to:
/// digits with single `_` between them (`1_0` is 10), after an optional sign (`+2` is 2,
/// reachable only behind a second `+`). A negative number (`-1`, inside a pre-release or a
/// build) keeps its text without leading zeros, which orders it before every number as
/// Conan does; `-0` is 0. Everything else is text.
#[allow(clippy::inline_always)] // returned through memory otherwise (see `version::atom`)
#[inline(always)]
fn parse_item(text: &str) -> Item {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return Atom::number(text);
    }
    python_int(text).unwrap_or_else(|| Atom::word(text))
}

/// `text` as Python's `int()` reads it (ASCII only, no white space), or `None`.
#[cold]
fn python_int(text: &str) -> Option<Item> {
    let (negative, digits) = python_digits(text)?;
    Some(if !negative || digits == "0" {
        Atom::number(&digits)
    } else {
        Atom::word(&format!("-{digits}"))
    })
}

/// Whether `text` is negative and its digits without `_` and leading zeros (`0` for zero),
/// when Python's `int()` reads it.
fn python_digits(text: &str) -> Option<(bool, String)> {
    let (negative, body) = match text.as_bytes().first()? {
        b'+' => (false, &text[1..]),
        b'-' => (true, &text[1..]),
        _ => (false, text),
    };
    let bytes = body.as_bytes();
    let well_formed = bytes.first().is_some_and(u8::is_ascii_digit)
        && bytes.last().is_some_and(u8::is_ascii_digit)
        && bytes.iter().all(|&b| b.is_ascii_digit() || b == b'_')
        && !body.contains("__");
    if !well_formed {
        return None;
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0');
    Some((
        negative,
        if digits.is_empty() { "0" } else { digits }.to_owned(),
    ))
}

/// The item `text` plus one, as Conan's `Version.upper_bound` adds one to an item, when it is
/// a number of at least zero (`1_9` gives `20`); `None` for text.
pub(crate) fn item_plus_one(text: &str) -> Option<String> {
    let (negative, digits) = python_digits(text)?;
    if negative && digits != "0" {
        return None; // not reachable from a range: a main item holds no `-`
    }
    let mut out = digits.into_bytes();
    for digit in out.iter_mut().rev() {
        if *digit == b'9' {
            *digit = b'0';
        } else {
            *digit += 1;
            return String::from_utf8(out).ok();
        }
    }
    out.insert(0, b'1');
    String::from_utf8(out).ok()
}

/// Whether the item `text` is the number zero (`0`, `00`, `0_0`), which Conan drops at the
/// end of a version and skips in a caret.
pub(crate) fn item_is_zero(text: &str) -> bool {
    python_digits(text).is_some_and(|(_, digits)| digits == "0")
}

/// The text of an item that is not a 64-bit number.
fn item_text(item: &Item) -> &str {
    match item {
        Atom::BigNumber(digits) => digits,
        // Words are whole runs of the version text, cut at ASCII bytes.
        other => std::str::from_utf8(other.word_bytes()).unwrap_or_default(),
    }
}

/// The sort key of an item. Conan compares a number and a text item as the texts of both,
/// which is not transitive (`9 > 6a`, `6a > 10`, `10 > 9`) and so cannot be a Rust `Ord`.
/// This key is a total order that agrees with Conan on numbers, on plain words and on the
/// common mixed shapes (`1a < 20`, `1 < 1k`, `5 > _`): text that starts with digits sorts by
/// that number, then after the bare number (so also `9a < 10a`, where Conan compares the
/// two texts and has `10a < 9a`); other text sorts before every number when it is empty or
/// starts below `0` in ASCII (`1.0- < 1.0-0`, as Conan has `"" < "0"`) and after every
/// number otherwise. Only text items pay for it. The differential test
/// (tests/oracles/differential.py) checks that Conan with this item order is ours.
fn key(item: &Item) -> (u8, u128, &str) {
    match item {
        Atom::Number(n) => (1, u128::from(*n), ""),
        other => {
            let text = item_text(other);
            let digits = text.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                (1, text[..digits].parse().unwrap_or(u128::MAX), text)
            } else if text.as_bytes().first().is_none_or(|&b| b < b'0') {
                (0, 0, text)
            } else {
                (2, 0, text)
            }
        }
    }
}

fn compare_items(a: &Item, b: &Item) -> Ordering {
    match (a, b) {
        // The common case, without touching text.
        (Atom::Number(x), Atom::Number(y)) => x.cmp(y),
        _ => key(a).cmp(&key(b)),
    }
}

fn compare_tuples(a: &[Item], b: &[Item]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = compare_items(x, y);
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// Splits `text` at its last `at`.
fn split_last(text: &str, at: u8) -> (&str, Option<&str>) {
    match text.bytes().rposition(|b| b == at) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    }
}

/// Appends the `.`-separated items of `text`, without trailing zero items; returns where
/// they end.
fn push_items(items: &mut Items, text: &str) -> usize {
    let start = items.len();
    // A byte loop: for a handful of short items it beats `str::split`'s searcher.
    let bytes = text.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.' {
            items.push(parse_item(&text[from..i]));
            from = i + 1;
        }
    }
    items.push(parse_item(&text[from..]));
    while items.len() > start && items.last() == Some(&Atom::Number(0)) {
        items.pop();
    }
    items.len()
}

/// The items of the main part, the pre-release and the build, one after the other; most
/// versions have at most four in all, which stay inline.
type Items = smallvec::SmallVec<[Item; 4]>;

/// A Conan version.
///
/// ```
/// use exposure::version::ConanVersion;
/// let v = |s| ConanVersion::parse(s).unwrap();
/// assert!(v("1.22") > v("1.3"));
/// assert!(v("1.0-pre") < v("1.0"));
/// assert!(v("1.0") < v("1.0+build"));
/// assert_eq!(v("1.0.0"), v("1"));
/// ```
#[derive(Debug, Clone)]
pub struct ConanVersion {
    items: Items,
    /// Where the main items end.
    main_end: usize,
    /// Where the pre-release items end, when there is a pre-release.
    pre_end: Option<usize>,
    /// Whether build items follow.
    has_build: bool,
}

impl ConanVersion {
    /// Parses `items[-pre][+build]`.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let trimmed = super::parsing::Trimmed::new(Scheme::Conan, input)?;
        let text = trimmed.text;
        trimmed.no_space_or_control()?;
        // Conan references name versions with `[A-Za-z0-9_]` first; a leading operator
        // character (`==`, `>1`) is a range, not a version.
        trimmed.starts_with_letter_or_digit(|c| c.is_ascii_alphanumeric() || c == '_')?;
        let (rest, build) = split_last(text, b'+');
        // Conan splits the pre-release off at the first `-` ("semver allows hyphens in
        // identifiers"): `0.0.1-3-1` is 0.0.1 with pre-release `3-1`, below 0.0.1.
        let (main, pre) = match rest.split_once('-') {
            Some((main, pre)) => (main, Some(pre)),
            None => (rest, None),
        };
        let mut items = Items::new();
        let main_end = push_items(&mut items, main);
        let pre_end = pre.map(|pre| push_items(&mut items, pre));
        if let Some(build) = build {
            push_items(&mut items, build);
        }
        Ok(Self {
            items,
            main_end,
            pre_end,
            has_build: build.is_some(),
        })
    }

    /// Whether the version has a pre-release (text after a `-`, even empty: `1.0-`).
    ///
    /// ```
    /// use exposure::version::ConanVersion;
    /// assert!(ConanVersion::parse("1.0-rc.1")?.is_prerelease());
    /// assert!(!ConanVersion::parse("1.0+build-7")?.is_prerelease());
    /// # Ok::<(), exposure::version::VersionError>(())
    /// ```
    pub fn is_prerelease(&self) -> bool {
        self.pre_end.is_some()
    }

    fn main(&self) -> &[Item] {
        &self.items[..self.main_end]
    }

    fn pre(&self) -> Option<&[Item]> {
        self.pre_end.map(|end| &self.items[self.main_end..end])
    }

    fn build(&self) -> Option<&[Item]> {
        let start = self.pre_end.unwrap_or(self.main_end);
        self.has_build.then(|| &self.items[start..])
    }
}

impl Ord for ConanVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_tuples(self.main(), other.main())
            .then_with(|| match (self.pre(), other.pre()) {
                (Some(a), Some(b)) => compare_tuples(a, b),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| match (self.build(), other.build()) {
                (Some(a), Some(b)) => compare_tuples(a, b),
                (Some(_), None) => Ordering::Greater,
                (None, Some(_)) => Ordering::Less,
                (None, None) => Ordering::Equal,
            })
    }
}

impl std::hash::Hash for ConanVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.main(), self.pre(), self.build()).hash(state);
    }
}

super::parsing::order_from_ord!(ConanVersion);

#[cfg(test)]
mod tests {
    use super::ConanVersion;

    fn v(s: &str) -> ConanVersion {
        ConanVersion::parse(s).unwrap()
    }

    /// Conan 2's `Version` splits the pre-release at the first `-`, so hyphens stay in it.
    #[test]
    fn a_pre_release_keeps_its_hyphens() {
        assert!(v("0.0.1-3-1") < v("0.0.1"));
        assert!(v("0.0.1-3-1") > v("0.0.1-3"));
        assert!(v("0.0.1-3-1") < v("0.0.1-3-2"));
        assert!(v("1.0-rc-1+b-2") < v("1.0"));
        assert!(v("1.0-rc-1+b-2") > v("1.0-rc-1"));
    }

    /// Conan's `_VersionItem` takes what Python's `int()` takes for a number.
    #[test]
    fn items_are_numbers_as_python_reads_them() {
        assert_eq!(v("1_0"), v("10"));
        assert!(v("2.1_0") > v("2.9"));
        assert_eq!(v("1.+2+b"), v("1.2+b"));
        assert_eq!(v("1.0-rc.-0"), v("1.0-rc"));
        assert!(v("1.0-rc.-1") < v("1.0-rc.0.1"));
        // Not numbers: a doubled, leading or trailing underscore.
        assert!(v("1__0") < v("99") && v("1__0") > v("1"));
        assert!(v("1.0_") > v("1.0"));
    }

    /// An empty item is text below every number, as `"" < "0"` in Conan.
    #[test]
    fn an_empty_item_sorts_before_numbers() {
        assert!(v("1.0-") < v("1.0-0.1"));
        assert!(v("1.0-") < v("1.0-a"));
        assert!(v("1..2") < v("1.0.2"));
    }

    /// A version starts as a reference's does and holds no white space; Conan's `Version`
    /// takes the rest (its own tests order `1.1.*`).
    #[test]
    fn a_version_starts_as_a_reference_does() {
        assert!(v("_1.2") < v("a"));
        assert!(v("1.1.*") < v("1.20"));
        for (text, at) in [("~1", 0), ("-1", 0), ("1.0 rc", 3), (".1", 0)] {
            let e = ConanVersion::parse(text).unwrap_err();
            assert_eq!(e.offset(), at, "{text}");
        }
    }
}
