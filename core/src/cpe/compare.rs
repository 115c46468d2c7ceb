//! Name matching per NISTIR 7696: each attribute of a source name is compared with the same
//! attribute of a target name (Table 6-2), and the name relation follows from the eleven
//! answers (§6.2).

use super::value::{has_wildcards, Value};
use super::Cpe;

/// How a source value or name relates to a target one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// The source stands for exactly what the target stands for.
    Equal,
    /// The source stands for more than the target (it matches it).
    Superset,
    /// The source stands for less than the target.
    Subset,
    /// Nothing in common.
    Disjoint,
    /// None of the above can be said: a target with wildcards, or attributes that disagree
    /// on the direction.
    Undefined,
}

impl Relation {
    /// The upper-case name NISTIR 7696 uses (`SUPERSET`).
    pub fn name(self) -> &'static str {
        match self {
            Relation::Equal => "EQUAL",
            Relation::Superset => "SUPERSET",
            Relation::Subset => "SUBSET",
            Relation::Disjoint => "DISJOINT",
            Relation::Undefined => "UNDEFINED",
        }
    }
}

/// NISTIR 7696's `compare(source, target)` for one attribute (Table 6-2).
///
/// ```
/// use exposure::cpe::{compare_values, Relation, Value};
/// let text = |s: &str| Value::Text(s.into());
/// assert_eq!(compare_values(&text("9\\.*"), &text("9\\.3\\.2")), Relation::Superset);
/// assert_eq!(compare_values(&Value::Any, &Value::Na), Relation::Superset);
/// assert_eq!(compare_values(&text("palmos"), &Value::Na), Relation::Disjoint);
/// assert_eq!(compare_values(&text("1\\.0"), &text("1\\.*")), Relation::Undefined);
/// ```
pub fn compare_values(source: &Value, target: &Value) -> Relation {
    if target.wfn_bytes().is_some_and(has_wildcards) {
        return Relation::Undefined;
    }
    if source == target {
        return Relation::Equal;
    }
    match (source, target) {
        (Value::Any, _) => Relation::Superset,
        (_, Value::Any) => Relation::Subset,
        (Value::Na, _) | (_, Value::Na) => Relation::Disjoint,
        (Value::Text(s), Value::Text(t)) => compare_strings(s.as_bytes(), t.as_bytes()),
    }
}

/// Whether the character at `idx` is unquoted: an even number of `\` right before it.
fn is_even_wildcards(s: &[u8], idx: usize) -> bool {
    s[..idx].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0
}

/// The quoting `\` counted in each part of `target` as NISTIR 7696's `count_escapes` counts
/// them (a `\` quotes the character after it, which is skipped), for every position at once:
/// `before[p]` in `target[..p]`, `from[p]` in `target[p..]`.
struct Escapes {
    before: Vec<usize>,
    from: Vec<usize>,
}

impl Escapes {
    fn of(target: &[u8]) -> Self {
        let n = target.len();
        // Counting from the start visits the same positions whatever the end: one pass.
        let mut before = vec![0; n + 1];
        let (mut count, mut skip) = (0, false);
        for (i, &b) in target.iter().enumerate() {
            before[i] = count;
            if std::mem::take(&mut skip) {
                continue;
            }
            if b == b'\\' {
                count += 1;
                skip = true;
            }
        }
        before[n] = count;
        // Counting from `p` on: a `\` at `p` counts and skips `p + 1`.
        let mut from = vec![0; n + 2];
        for p in (0..n).rev() {
            from[p] = if target[p] == b'\\' {
                1 + from[p + 2]
            } else {
                from[p + 1]
            };
        }
        Escapes { before, from }
    }
}

/// Every index where `needle` occurs in `haystack`, overlapping ones too, in order: `0..=len`
/// for an empty needle, else Knuth-Morris-Pratt, O(len) in all.
fn occurrences<'a>(haystack: &'a [u8], needle: &'a [u8]) -> Box<dyn Iterator<Item = usize> + 'a> {
    if needle.is_empty() {
        return Box::new(0..=haystack.len());
    }
    // fail[i]: the length of the longest proper prefix of needle[..=i] that ends there too.
    let mut fail = vec![0; needle.len()];
    let mut k = 0;
    for i in 1..needle.len() {
        while k > 0 && needle[i] != needle[k] {
            k = fail[k - 1];
        }
        if needle[i] == needle[k] {
            k += 1;
        }
        fail[i] = k;
    }
    let mut matched = 0;
    Box::new(haystack.iter().enumerate().filter_map(move |(i, &b)| {
        while matched > 0 && (matched == needle.len() || b != needle[matched]) {
            matched = fail[matched - 1];
        }
        if b == needle[matched] {
            matched += 1;
        }
        (matched == needle.len()).then(|| i + 1 - needle.len())
    }))
}

/// A source value's wildcards at its ends, as the pseudo-code reads them: `(middle, begins,
/// ends)`, `begins` and `ends` -1 for `*` (any number of characters), else the count of `?`
/// (exactly that many).
fn wildcard_ends(source: &[u8]) -> (&[u8], isize, isize) {
    let mut start = 0;
    let mut end = source.len();
    let mut begins: isize = 0;
    let mut ends: isize = 0;
    if source.first() == Some(&b'*') {
        start = 1;
        begins = -1;
    } else {
        while start < source.len() && source[start] == b'?' {
            start += 1;
            begins += 1;
        }
    }
    if end > 0 && source[end - 1] == b'*' && is_even_wildcards(source, end - 1) {
        end -= 1;
        ends = -1;
    } else {
        while end > 0 && source[end - 1] == b'?' && is_even_wildcards(source, end - 1) {
            end -= 1;
            ends += 1;
        }
    }
    // The pseudo-code's substr(source, start, end) is empty when the two runs overlap.
    let body = if start < end {
        &source[start..end]
    } else {
        &[][..]
    };
    (body, begins, ends)
}

/// NISTIR 7696's `compare_strings`: a source with wildcards at its ends against a target
/// without any, both in WFN quoting, as the specification's pseudo-code goes (including its
/// treatment of a source that is only `?`), with one correction noted inside.
///
/// The pseudo-code tries each place the source's middle occurs in the target, and counts the
/// target's escapes before and after it each time; with a leading `*` that is quadratic (a
/// 120 KB value took seconds). The places are found in one pass (Knuth-Morris-Pratt) and
/// the escape counts for every position in another, so each place costs O(1).
#[allow(clippy::cast_possible_wrap)] // lengths of values in memory
fn compare_strings(source: &[u8], target: &[u8]) -> Relation {
    let (body, begins, ends) = wildcard_ends(source);
    if target.is_empty() {
        return Relation::Disjoint;
    }
    let escapes = Escapes::of(target);
    let length = target.len() as isize;
    for found in occurrences(target, body) {
        let index = found as isize;
        if index > 0 && begins != -1 && begins < index - escapes.before[found] as isize {
            break;
        }
        // NISTIR 7696's pseudo-code counts escapes from `index + 1`, which counts the body's
        // own escapes twice and lets `1\.0\.?` match `1\.0\.12`; the characters left over
        // are those after the body, so we count the escapes there (as the `cpe` package does).
        let after = escapes.from[found + body.len()] as isize;
        let leftover = length - index - after - body.len() as isize;
        if leftover > 0 && ends != -1 && leftover > ends {
            continue;
        }
        return Relation::Superset;
    }
    Relation::Disjoint
}

impl Cpe {
    /// The relation of this (source) name to a target name (NISTIR 7696 §6.2): DISJOINT
    /// when any attribute is disjoint, EQUAL when all are equal, SUBSET or SUPERSET when all
    /// are that or equal, UNDEFINED otherwise.
    ///
    /// ```
    /// use exposure::cpe::{Cpe, Relation};
    /// let a: Cpe = "cpe:2.3:a:adobe:reader:*:*:*:*:*:*:*:*".parse()?;
    /// let b: Cpe = "cpe:2.3:a:adobe:reader:9.3.2:*:*:*:*:*:*:*".parse()?;
    /// assert_eq!(a.compare(&b), Relation::Superset);
    /// assert_eq!(b.compare(&a), Relation::Subset);
    /// assert_eq!(a.compare(&a), Relation::Equal);
    /// # Ok::<(), exposure::cpe::CpeError>(())
    /// ```
    pub fn compare(&self, target: &Cpe) -> Relation {
        let mut all_equal = true;
        let (mut all_sub, mut all_super) = (true, true);
        for (s, t) in self.values().iter().zip(target.values()) {
            match compare_values(s, t) {
                Relation::Disjoint => return Relation::Disjoint,
                Relation::Equal => {}
                Relation::Subset => {
                    all_equal = false;
                    all_super = false;
                }
                Relation::Superset => {
                    all_equal = false;
                    all_sub = false;
                }
                Relation::Undefined => {
                    all_equal = false;
                    all_sub = false;
                    all_super = false;
                }
            }
        }
        if all_equal {
            Relation::Equal
        } else if all_sub {
            Relation::Subset
        } else if all_super {
            Relation::Superset
        } else {
            Relation::Undefined
        }
    }

    /// Whether this name matches the target: it is a superset of or equal to it (NISTIR
    /// 7696's `CPE_SUPERSET` or `CPE_EQUAL`), as a rule's name matches an installed one.
    ///
    /// ```
    /// use exposure::cpe::Cpe;
    /// let rule: Cpe = "cpe:/a:microsoft:internet_explorer:8.%02".parse()?;
    /// assert!(rule.matches(&"cpe:/a:microsoft:internet_explorer:8.0.6001:beta".parse()?));
    /// assert!(!rule.matches(&"cpe:/a:microsoft:internet_explorer:9.0".parse()?));
    /// # Ok::<(), exposure::cpe::CpeError>(())
    /// ```
    pub fn matches(&self, target: &Cpe) -> bool {
        matches!(self.compare(target), Relation::Superset | Relation::Equal)
    }
}

#[cfg(test)]
mod tests {
    use super::{compare_strings, wildcard_ends, Relation};
    use proptest::prelude::*;

    /// NISTIR 7696's pseudo-code as it was transcribed before `compare_strings` found the
    /// places and counted escapes once: the oracle of the linear version (the wildcards at
    /// the source's ends are read as before, by `wildcard_ends`).
    #[allow(clippy::cast_possible_wrap, clippy::cast_sign_loss)]
    fn pseudo_code(source: &[u8], target: &[u8]) -> Relation {
        fn count_escapes(s: &[u8], start: usize, end: usize) -> usize {
            let (mut count, mut i) = (0, start);
            while i < end {
                if s[i] == b'\\' {
                    count += 1;
                    i += 1;
                }
                i += 1;
            }
            count
        }
        fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
            if from > haystack.len() {
                return None;
            }
            if needle.is_empty() {
                return Some(from);
            }
            haystack[from..]
                .windows(needle.len())
                .position(|w| w == needle)
                .map(|i| i + from)
        }
        let (body, begins, ends) = wildcard_ends(source);
        let mut index: isize = -1;
        let mut leftover = target.len() as isize;
        while leftover > 0 {
            let Some(found) = find(target, body, (index + 1) as usize) else {
                break;
            };
            index = found as isize;
            let escapes = count_escapes(target, 0, found) as isize;
            if index > 0 && begins != -1 && begins < index - escapes {
                break;
            }
            let escapes = count_escapes(target, found + body.len(), target.len()) as isize;
            leftover = target.len() as isize - index - escapes - body.len() as isize;
            if leftover > 0 && ends != -1 && leftover > ends {
                continue;
            }
            return Relation::Superset;
        }
        Relation::Disjoint
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// The same answers as the pseudo-code, on values made of few characters (so that the
        /// middle occurs often, overlapping) with quoting and wildcards anywhere.
        #[test]
        fn answers_as_the_pseudo_code(source in "[ab\\\\.?*]{0,10}", target in "[ab\\\\.]{0,14}") {
            prop_assert_eq!(
                compare_strings(source.as_bytes(), target.as_bytes()),
                pseudo_code(source.as_bytes(), target.as_bytes()),
                "{:?} against {:?}", source, target
            );
        }
    }
}
