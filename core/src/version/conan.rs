//! Conan package versions, ordered as Conan 2's `conans.model.version.Version` orders them.
//!
//! Traps: items split on `.`; numeric items compare as numbers, others as text; trailing zero
//! items do not count (`1.0 == 1`); `-pre` sorts before the release, `+build` after it.
//! Deviation, on purpose: Conan compares a number with a text item as two texts, which is not
//! a total order; we use the total order described at `key` in the source, which agrees
//! with Conan on numbers, words and the common mixed shapes.

use super::{Scheme, VersionError};
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Item {
    Number(u128),
    /// Text with its sort key computed once (see [`key`]).
    Text {
        class: u8,
        lead: u128,
        text: Box<str>,
    },
}

impl Item {
    fn text(text: &str) -> Self {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let (class, lead) = if digits > 0 {
            (1, text[..digits].parse().unwrap_or(u128::MAX))
        } else if text.as_bytes().first().is_some_and(|&b| b < b'0') {
            (0, 0)
        } else {
            (2, 0)
        };
        Item::Text {
            class,
            lead,
            text: text.into(),
        }
    }

    fn parse(text: &str) -> Self {
        // Python's int() accepts surrounding white space, a sign and `_` separators; Conan's
        // items never carry them, so plain digits are numbers and everything else is text.
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            text.parse().map_or_else(|_| Item::text(text), Item::Number)
        } else {
            Item::text(text)
        }
    }
}

/// The sort key of an item. Conan compares a number and a text item as the texts of both,
/// which is not transitive (`9 > 6a`, `6a > 10`, `10 > 9`) and so cannot be a Rust `Ord`.
/// This key is a total order that agrees with Conan on numbers, on plain words and on the
/// common mixed shapes (`1* < 20`, `1 < 1k`, `5 > *`): text that starts with digits sorts by
/// that number, then after the bare number; other text sorts before every number when it
/// starts below `0` in ASCII and after every number otherwise.
fn key(item: &Item) -> (u8, u128, &str) {
    match item {
        Item::Number(n) => (1, *n, ""),
        Item::Text { class, lead, text } => (*class, *lead, text),
    }
}

fn compare_items(a: &Item, b: &Item) -> Ordering {
    match (a, b) {
        // The common case, without touching text.
        (Item::Number(x), Item::Number(y)) => x.cmp(y),
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

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Items(Vec<Item>);

impl Items {
    fn parse(text: &str) -> Self {
        let mut items: Vec<Item> = text.split('.').map(Item::parse).collect();
        while items.last() == Some(&Item::Number(0)) {
            items.pop();
        }
        Items(items)
    }
}

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
    pre: Option<Items>,
    build: Option<Items>,
}

impl ConanVersion {
    /// Parses `items[-pre][+build]`.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let trimmed = super::input::Trimmed::new(Scheme::Conan, input)?;
        let text = trimmed.text;
        trimmed.no_space_or_control()?;
        // Conan references name versions with letters and digits first; a leading operator
        // character (`==`, `>1`) is a range, not a version.
        trimmed.starts_with_letter_or_digit(|c| c.is_ascii_alphanumeric())?;
        let (rest, build) = text
            .rsplit_once('+')
            .map_or((text, None), |(a, b)| (a, Some(Items::parse(b))));
        let (main, pre) = rest
            .rsplit_once('-')
            .map_or((rest, None), |(a, b)| (a, Some(Items::parse(b))));
        Ok(Self {
            items: Items::parse(main),
            pre,
            build,
        })
    }
}

impl Ord for ConanVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_tuples(&self.items.0, &other.items.0)
            .then_with(|| match (&self.pre, &other.pre) {
                (Some(a), Some(b)) => compare_tuples(&a.0, &b.0),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| match (&self.build, &other.build) {
                (Some(a), Some(b)) => compare_tuples(&a.0, &b.0),
                (Some(_), None) => Ordering::Greater,
                (None, Some(_)) => Ordering::Less,
                (None, None) => Ordering::Equal,
            })
    }
}

impl std::hash::Hash for ConanVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (&self.items, &self.pre, &self.build).hash(state);
    }
}

super::input::order_from_ord!(ConanVersion);
