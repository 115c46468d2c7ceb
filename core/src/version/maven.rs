//! Maven versions, ordered as `org.apache.maven.artifact.versioning.ComparableVersion` of
//! Maven 3.8.7 (the `maven-artifact` jar of Debian's `maven` package) orders them.
//!
//! Traps: qualifiers order `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final =
//! release < sp`, unknown qualifiers after all of them in text order; `a1`, `b1`, `m1` mean
//! alpha/beta/milestone 1 only when a digit follows; trailing zeros and release qualifiers are
//! dropped (`1.0.0 = 1 = 1-ga`); `-` opens a sub-list (`1-1 < 1.1`); a switch between letters
//! and digits is an implicit `-`, and a qualifier after `.` opens a sub-list like `-` does
//! (`10.SNAPSHOT` is `10-SNAPSHOT`). Maven 3.9 orders some edge cases differently
//! (`1-ga-1 == 1-1` there, `1-1 > 1-ga-1` in 3.8.7); this follows 3.8.7.

use super::{Scheme, VersionError};
use std::cmp::Ordering;

use super::num::Num;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Item {
    /// A number.
    Number(Num),
    /// A qualifier, lower case, after Maven's aliases, ranked once.
    Text(Qualifier),
    /// A sub-list started by `-` or by a letter/digit switch.
    List(Vec<Item>),
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_INDEX: usize = 5;

/// Maven's `comparableQualifier`: the qualifier's index, or "7-<qualifier>" for unknown ones;
/// compared as the strings Maven builds.
fn qualifier_key(q: &str) -> (usize, &str) {
    QUALIFIERS
        .iter()
        .position(|k| *k == q)
        .map_or((QUALIFIERS.len(), q), |i| (i, ""))
}

/// A qualifier with its rank among [`QUALIFIERS`] (unknown ones rank after all of them).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Qualifier {
    rank: usize,
    text: Box<str>,
}

impl Qualifier {
    fn new(text: &str) -> Self {
        Qualifier {
            rank: qualifier_key(text).0,
            text: text.into(),
        }
    }

    /// Maven's `comparableQualifier` order: known ones by rank, unknown ones by text; the
    /// text is looked at only when both are unknown.
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank.cmp(&other.rank).then_with(|| {
            if self.rank == QUALIFIERS.len() {
                self.text.cmp(&other.text)
            } else {
                Ordering::Equal
            }
        })
    }
}

impl Item {
    fn is_null(&self) -> bool {
        match self {
            Item::Number(n) => n.is_zero(),
            Item::Text(q) => q.rank == RELEASE_INDEX,
            Item::List(l) => l.is_empty(),
        }
    }

    /// `self.compareTo(other)`; `None` is Java's `null` (the other list ran out).
    fn compare(&self, other: Option<&Item>) -> Ordering {
        match (self, other) {
            (Item::Number(n), None) => {
                if *n == Num::Small(0) {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
            (Item::Number(a), Some(Item::Number(b))) => a.cmp(b),
            (Item::Number(_), Some(Item::Text(_) | Item::List(_))) => Ordering::Greater,
            (Item::Text(q), None) => q.rank.cmp(&RELEASE_INDEX),
            (Item::Text(_), Some(Item::Number(_) | Item::List(_))) => Ordering::Less,
            (Item::Text(a), Some(Item::Text(b))) => a.cmp(b),
            // MNG-6964 (in 3.8.7): a list against nothing compares every item, not only the first.
            (Item::List(l), None) => l
                .iter()
                .map(|item| item.compare(None))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal),
            (Item::List(_), Some(Item::Number(_))) => Ordering::Less,
            (Item::List(_), Some(Item::Text(_))) => Ordering::Greater,
            (Item::List(a), Some(Item::List(b))) => compare_lists(a, b),
        }
    }
}

fn compare_lists(a: &[Item], b: &[Item]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let order = match (a.get(i), b.get(i)) {
            (None, None) => Ordering::Equal,
            (None, Some(r)) => r.compare(None).reverse(),
            (Some(l), r) => l.compare(r),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

fn number(digits: &str) -> Item {
    Item::Number(Num::from_digits(digits))
}

fn text(value: &str, followed_by_digit: bool) -> Item {
    let value = match (followed_by_digit, value) {
        (true, "a") => "alpha",
        (true, "b") => "beta",
        (true, "m") => "milestone",
        (_, "ga" | "final" | "release") => "",
        (_, "cr") => "rc",
        (_, other) => other,
    };
    Item::Text(Qualifier::new(value))
}

fn parse_item(is_digit: bool, buf: &str) -> Item {
    if is_digit {
        number(buf)
    } else {
        text(buf, false)
    }
}

/// Maven's `ListItem.normalize`: walking backwards, drop null items (0, "", empty lists),
/// step over non-null sub-lists, stop at the first other item.
fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if list[i].is_null() {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

/// Builds Maven's item tree (`ComparableVersion.parseVersion`).
fn parse_items(version: &str) -> Vec<Item> {
    // A stack of open lists; each new list is appended to its parent when closed.
    let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
    let bytes = version.as_bytes();
    let mut is_digit = false;
    let mut start = 0;
    let open = |stack: &mut Vec<Vec<Item>>| stack.push(Vec::new());
    for i in 0..bytes.len() {
        let c = bytes[i];
        let top = stack.len() - 1;
        if c == b'.' {
            let item = if i == start {
                Item::Number(Num::Small(0))
            } else {
                parse_item(is_digit, &version[start..i])
            };
            stack[top].push(item);
            start = i + 1;
        } else if c == b'-' {
            let item = if i == start {
                Item::Number(Num::Small(0))
            } else {
                parse_item(is_digit, &version[start..i])
            };
            stack[top].push(item);
            start = i + 1;
            open(&mut stack);
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                // "1.0.0.X1 < 1.0.0-X2": a qualifier after `.` opens a sub-list like `-`.
                if !stack[top].is_empty() {
                    open(&mut stack);
                }
                let top = stack.len() - 1;
                stack[top].push(text(&version[start..i], true));
                start = i;
                open(&mut stack);
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                stack[top].push(number(&version[start..i]));
                start = i;
                open(&mut stack);
            }
            is_digit = false;
        }
    }
    if bytes.len() > start {
        // The same for a trailing qualifier: `10.SNAPSHOT` is `10-SNAPSHOT`.
        if !is_digit && !stack[stack.len() - 1].is_empty() {
            open(&mut stack);
        }
        let top = stack.len() - 1;
        stack[top].push(parse_item(is_digit, &version[start..]));
    }
    // Close the lists innermost first: normalise each, then append it to its parent.
    while stack.len() > 1 {
        let mut list = stack.pop().unwrap_or_default();
        normalize(&mut list);
        if let Some(parent) = stack.last_mut() {
            parent.push(Item::List(list));
        }
    }
    let mut root = stack.pop().unwrap_or_default();
    normalize(&mut root);
    root
}

/// A Maven version.
///
/// ```
/// use exposure::version::MavenVersion;
/// let v = |s| MavenVersion::parse(s).unwrap();
/// assert!(v("1.0-alpha1") < v("1.0-beta1"));
/// assert!(v("1.0-rc1") < v("1.0-SNAPSHOT") && v("1.0-SNAPSHOT") < v("1.0"));
/// assert!(v("1.0") < v("1.0-sp1"));
/// assert_eq!(v("1.0.0"), v("1-ga"));
/// assert!(v("2.14.1") < v("2.15.0"));
/// ```
#[derive(Debug, Clone)]
pub struct MavenVersion {
    items: Vec<Item>,
}

impl MavenVersion {
    /// Parses a Maven version. Any non-empty text is a Maven version; control characters and
    /// white space inside are rejected.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let trimmed = super::input::Trimmed::new(Scheme::Maven, input)?;
        let text = trimmed.text;
        trimmed.no_space_or_control()?;
        // ComparableVersion is not transitive on versions that start with a separator
        // (Maven 3.8.7 prints `.rc0 > _`, `_ > .` and `. > .rc0`); real versions start with a
        // letter or digit, so we require one.
        trimmed.starts_with_letter_or_digit(char::is_alphanumeric)?;
        // Java's toLowerCase(Locale.ENGLISH); only ASCII letters matter for the qualifiers.
        Ok(Self {
            items: parse_items(&text.to_lowercase()),
        })
    }

    /// Maven's canonical form (`ComparableVersion.getCanonical()`).
    pub fn canonical(&self) -> String {
        fn write(items: &[Item], out: &mut String) {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Item::List(sub) => {
                        out.push('-');
                        write(sub, out);
                    }
                    other => {
                        if i > 0 {
                            out.push('.');
                        }
                        match other {
                            Item::Number(Num::Small(n)) => out.push_str(&n.to_string()),
                            Item::Number(Num::Big(_, n))
                            | Item::Text(Qualifier { text: n, .. }) => out.push_str(n),
                            Item::List(_) => {}
                        }
                    }
                }
            }
        }
        let mut out = String::new();
        write(&self.items, &mut out);
        out
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_lists(&self.items, &other.items)
    }
}

impl std::hash::Hash for MavenVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Normalisation makes equal versions structurally equal.
        self.items.hash(state);
    }
}

super::input::order_from_ord!(MavenVersion);
