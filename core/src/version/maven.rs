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

use super::atom::Atom;

/// One node of a parsed version, flattened.
///
/// Maven's item tree is always a chain: a list holds numbers and qualifiers and at most one
/// sub-list, as its last item (`-` and letter/digit switches open a list that takes every
/// item after them). So the tree is stored flat: the nodes of the outer list, then [`Open`]
/// and the nodes of its sub-list, and so on; most versions fit inline without allocating.
///
/// [`Open`]: Node::Open
///
/// A qualifier is a word atom, lower case, after Maven's aliases; a known one is spelled as
/// the single byte of its rank among [`QUALIFIERS`] (0 to 6), so that comparing the bytes
/// orders known qualifiers by rank and before every unknown one (whose text starts with a
/// printable character), which is Maven's `comparableQualifier` order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Node {
    /// A number or a qualifier.
    Item(Atom),
    /// The start of the sub-list, which runs to the end.
    Open,
}

type Nodes = smallvec::SmallVec<[Node; 4]>;

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
#[allow(clippy::cast_possible_truncation)] // 7 qualifiers
const UNKNOWN_RANK: u8 = QUALIFIERS.len() as u8;
const RELEASE_RANK: u8 = 5;

/// The one-byte spellings of the known qualifiers' ranks.
const RANK_WORDS: [&str; 7] = [
    "\u{0}", "\u{1}", "\u{2}", "\u{3}", "\u{4}", "\u{5}", "\u{6}",
];

/// The rank of a qualifier atom: its own for a known one, [`UNKNOWN_RANK`] otherwise.
fn rank(qualifier: &Atom) -> u8 {
    match qualifier.word_bytes() {
        [r] if *r < UNKNOWN_RANK => *r,
        _ => UNKNOWN_RANK,
    }
}

/// One item of a list, as Maven's `Item` sees it.
#[derive(Clone, Copy)]
enum Item<'a> {
    Number(&'a Atom),
    Text(&'a Atom),
    /// A sub-list: its nodes.
    List(&'a [Node]),
}

/// Takes the next item off the front of a list's nodes.
fn next_item<'a>(list: &mut &'a [Node]) -> Option<Item<'a>> {
    let (first, rest) = list.split_first()?;
    let item = match first {
        Node::Item(atom) if atom.is_number() => Item::Number(atom),
        Node::Item(atom) => Item::Text(atom),
        Node::Open => {
            *list = &[];
            return Some(Item::List(rest));
        }
    };
    *list = rest;
    Some(item)
}

/// An item that is no list (a number or a qualifier) against nothing: Java's
/// `item.compareTo(null)`, asked when the other list ran out.
fn atom_against_nothing(atom: &Atom) -> Ordering {
    if atom.is_number() {
        if atom.is_zero() {
            Ordering::Equal
        } else {
            Ordering::Greater
        }
    } else {
        rank(atom).cmp(&RELEASE_RANK)
    }
}

impl Item<'_> {
    /// `self.compareTo(other)`; `None` is Java's `null` (the other list ran out). Two numbers
    /// and two lists are compared by [`compare_lists`] itself.
    ///
    /// Out of line, as the two functions were while they recursed: `version_floor` measures
    /// the shape that keeps two numbers in the loop and the rest here at 9.0 ns mixed, 8.4
    /// plain (9.2 and 8.5 before; everything inlined in the loop, 9.5 and 8.9).
    #[inline(never)]
    fn compare(self, other: Option<Item<'_>>) -> Ordering {
        match (self, other) {
            (Item::Number(n) | Item::Text(n), None) => atom_against_nothing(n),
            (Item::Number(a), Some(Item::Number(b))) => a.cmp(b),
            (Item::Number(_), Some(Item::Text(..) | Item::List(_))) => Ordering::Greater,
            (Item::Text(_), Some(Item::Number(_) | Item::List(_))) => Ordering::Less,
            // Maven's `comparableQualifier` order: known ones by rank, unknown ones by text
            // (see `Node` for the spelling that makes this a comparison of bytes).
            (Item::Text(a), Some(Item::Text(b))) => a.word_bytes().cmp(b.word_bytes()),
            // MNG-6964 (in 3.8.7): a list against nothing compares every item, not only the
            // first, and so every item of its sub-list: the nodes after it, flat.
            (Item::List(nodes), None) => nodes
                .iter()
                .filter_map(|node| match node {
                    Node::Item(atom) => Some(atom_against_nothing(atom)),
                    Node::Open => None,
                })
                .find(|order| order.is_ne())
                .unwrap_or(Ordering::Equal),
            (Item::List(_), Some(Item::Number(_))) => Ordering::Less,
            (Item::List(_), Some(Item::Text(_))) => Ordering::Greater,
            // Never asked: `compare_lists` goes on into two lists itself, in its loop.
            (Item::List(_), Some(Item::List(_))) => Ordering::Equal,
        }
    }
}

/// Maven's `ListItem.compareTo`, in a loop: a list's sub-list is its last item, so where two
/// lists both go on into one, the comparison goes on with the two sub-lists. No recursion: a
/// version opens a sub-list at every letter/digit switch, tens of thousands in a long one.
#[inline(never)]
fn compare_lists(mut a: &[Node], mut b: &[Node]) -> Ordering {
    loop {
        let order = match (next_item(&mut a), next_item(&mut b)) {
            (Some(Item::Number(l)), Some(Item::Number(r))) => l.cmp(r),
            (Some(Item::List(l)), Some(Item::List(r))) => {
                (a, b) = (l, r);
                continue;
            }
            (Some(l), r) => l.compare(r),
            (None, Some(r)) => r.compare(None).reverse(),
            (None, None) => return Ordering::Equal,
        };
        if order != Ordering::Equal {
            return order;
        }
    }
}

fn is_null(node: &Node) -> bool {
    match node {
        Node::Item(atom) if atom.is_number() => atom.is_zero(),
        Node::Item(qualifier) => rank(qualifier) == RELEASE_RANK,
        Node::Open => false,
    }
}

/// A qualifier node; `followed_by_digit` makes `a`, `b`, `m` mean alpha, beta, milestone.
#[allow(clippy::inline_always)] // returned through memory otherwise (see `version::atom`)
#[inline(always)]
fn text(value: &str, followed_by_digit: bool) -> Node {
    let lower = Atom::lower_word(value);
    let alias = match (followed_by_digit, lower.word_bytes()) {
        (true, b"a") => "alpha",
        (true, b"b") => "beta",
        (true, b"m") => "milestone",
        (_, b"ga" | b"final" | b"release") => "",
        (_, b"cr") => "rc",
        (_, word) => {
            return Node::Item(match QUALIFIERS.iter().position(|k| k.as_bytes() == word) {
                Some(rank) => Atom::word(RANK_WORDS[rank]),
                None => lower,
            });
        }
    };
    let rank = QUALIFIERS.iter().position(|k| *k == alias).unwrap_or(0);
    Node::Item(Atom::word(RANK_WORDS[rank]))
}

#[allow(clippy::inline_always)] // as `text`
#[inline(always)]
fn parse_item(is_digit: bool, buf: &str) -> Node {
    if is_digit {
        Node::Item(Atom::number(buf))
    } else {
        text(buf, false)
    }
}

/// Maven's `ListItem.normalize` for every list, innermost first: walking backwards, drop
/// null items (0, "", empty lists), step over a non-null sub-list, stop at the first other
/// item. `opens` are the positions of the [`Node::Open`] markers, outermost first.
fn normalize(nodes: &mut Nodes, opens: &[usize]) {
    for level in (0..=opens.len()).rev() {
        let start = if level == 0 { 0 } else { opens[level - 1] + 1 };
        // This list's sub-list, already normalised, is null when nothing follows its marker.
        let mut end = match opens.get(level) {
            Some(&open) if open + 1 == nodes.len() => {
                nodes.pop();
                open
            }
            Some(&open) => open,
            None => nodes.len(),
        };
        while end > start && is_null(&nodes[end - 1]) {
            nodes.remove(end - 1);
            end -= 1;
        }
    }
}

/// The items of the commonest Maven version, dot-separated numbers of up to 18 digits
/// (`2.17.1`), trailing zeros dropped as normalisation drops them; `None` for any other shape,
/// which [`parse_nodes`] handles.
fn dotted_numbers(version: &[u8]) -> Option<Nodes> {
    let mut nodes = Nodes::new();
    let (mut value, mut digits) = (0u64, 0usize);
    for &b in version {
        let digit = b.wrapping_sub(b'0');
        if digit < 10 {
            value = value * 10 + u64::from(digit);
            digits += 1;
            if digits > 18 {
                return None;
            }
        } else if b == b'.' && digits > 0 {
            nodes.push(Node::Item(Atom::Number(value)));
            (value, digits) = (0, 0);
        } else {
            return None;
        }
    }
    if digits == 0 {
        return None;
    }
    nodes.push(Node::Item(Atom::Number(value)));
    while nodes.last() == Some(&Node::Item(Atom::Number(0))) {
        nodes.pop();
    }
    Some(nodes)
}

/// Builds Maven's item tree (`ComparableVersion.parseVersion`), flat.
fn parse_nodes(version: &str) -> Nodes {
    let mut nodes = Nodes::new();
    // Where each sub-list opens; a version rarely opens more than four.
    let mut opens: smallvec::SmallVec<[usize; 4]> = smallvec::SmallVec::new();
    // Whether the list being filled is still empty.
    let mut list_start = 0;
    let bytes = version.as_bytes();
    let mut is_digit = false;
    let mut start = 0;
    let mut open = |nodes: &mut Nodes, list_start: &mut usize| {
        opens.push(nodes.len());
        nodes.push(Node::Open);
        *list_start = nodes.len();
    };
    for i in 0..bytes.len() {
        let c = bytes[i];
        if c == b'.' || c == b'-' {
            nodes.push(if i == start {
                Node::Item(Atom::Number(0))
            } else {
                parse_item(is_digit, &version[start..i])
            });
            start = i + 1;
            if c == b'-' {
                open(&mut nodes, &mut list_start);
            }
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                // "1.0.0.X1 < 1.0.0-X2": a qualifier after `.` opens a sub-list like `-`.
                if nodes.len() > list_start {
                    open(&mut nodes, &mut list_start);
                }
                nodes.push(text(&version[start..i], true));
                start = i;
                open(&mut nodes, &mut list_start);
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                nodes.push(Node::Item(Atom::number(&version[start..i])));
                start = i;
                open(&mut nodes, &mut list_start);
            }
            is_digit = false;
        }
    }
    if bytes.len() > start {
        // The same for a trailing qualifier: `10.SNAPSHOT` is `10-SNAPSHOT`.
        if !is_digit && nodes.len() > list_start {
            open(&mut nodes, &mut list_start);
        }
        nodes.push(parse_item(is_digit, &version[start..]));
    }
    normalize(&mut nodes, &opens);
    nodes
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
    nodes: Nodes,
}

impl MavenVersion {
    /// Parses a Maven version. Any non-empty text is a Maven version; control characters and
    /// white space inside are rejected.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let trimmed = super::parsing::Trimmed::new(Scheme::Maven, input)?;
        let text = trimmed.text;
        if let Some(nodes) = dotted_numbers(text.as_bytes()) {
            return Ok(Self { nodes });
        }
        trimmed.no_space_or_control()?;
        // ComparableVersion is not transitive on versions that start with a separator
        // (Maven 3.8.7 prints `.rc0 > _`, `_ > .` and `. > .rc0`); real versions start with a
        // letter or digit, so we require one.
        trimmed.starts_with_letter_or_digit(char::is_alphanumeric)?;
        // Java's toLowerCase(Locale.ENGLISH); qualifiers are lower-cased one by one (ASCII),
        // and text with other letters is lower-cased whole first.
        let nodes = if text.is_ascii() {
            parse_nodes(text)
        } else {
            parse_nodes(&text.to_lowercase())
        };
        Ok(Self { nodes })
    }

    /// Maven's canonical form (`ComparableVersion.getCanonical()`).
    ///
    /// ```
    /// use exposure::version::MavenVersion;
    /// let canonical = |s| MavenVersion::parse(s).unwrap().canonical();
    /// // Each checked with Maven 3.8.7's ComparableVersion.
    /// assert_eq!(canonical("1.0-SNAPSHOT"), "1-snapshot");
    /// assert_eq!(canonical("1--2"), "1-2");
    /// assert_eq!(canonical("1.0-a1"), "1-alpha-1");
    /// assert_eq!(canonical("5.3.18.RELEASE"), "5.3.18");
    /// assert_eq!(canonical("1-1.foo-bar1baz-.1"), "1-1.foo-bar-1-baz-0.1");
    /// assert_eq!(canonical("1-ga.1"), "1-1");
    /// assert_eq!(canonical("1.0.ga.1"), "1.0..1");
    /// ```
    pub fn canonical(&self) -> String {
        // ListItem.toString: each list writes a separator before an item only once it has
        // written something itself, `-` before its sub-list and `.` before anything else.
        let mut out = String::new();
        let mut list_start = 0;
        for node in &self.nodes {
            if out.len() > list_start {
                out.push(if *node == Node::Open { '-' } else { '.' });
            }
            match node {
                Node::Open => list_start = out.len(),
                Node::Item(atom) if atom.is_number() => out.push_str(&atom.to_string()),
                Node::Item(qualifier) => match QUALIFIERS.get(usize::from(rank(qualifier))) {
                    Some(known) => out.push_str(known),
                    None => out.push_str(&qualifier.to_string()),
                },
            }
        }
        out
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_lists(&self.nodes, &other.nodes)
    }
}

impl std::hash::Hash for MavenVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Normalisation makes equal versions structurally equal.
        self.nodes.hash(state);
    }
}

super::parsing::order_from_ord!(MavenVersion);

#[cfg(test)]
mod tests {
    use super::{dotted_numbers, parse_nodes};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The shortcut for dotted numbers builds the items the general parser builds, and
        /// leaves every other shape to it.
        #[test]
        fn dotted_numbers_are_what_the_general_parser_makes(input in "[0-9]{0,3}(\\.0{0,2}[0-9]{0,2}){0,4}[a.-]?") {
            if let Some(nodes) = dotted_numbers(input.as_bytes()) {
                prop_assert_eq!(nodes, parse_nodes(&input), "{}", input);
            } else {
                let plain = !input.is_empty()
                    && input.split('.').all(|n| !n.is_empty() && n.len() <= 18 && n.bytes().all(|b| b.is_ascii_digit()));
                prop_assert!(!plain, "{} has the shortcut's shape", input);
            }
        }
    }
}
