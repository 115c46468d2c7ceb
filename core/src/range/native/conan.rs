//! Conan 2 version ranges, as conan's `VersionRange` (conan 2.34,
//! `conan/internal/model/version_range.py`) reads them.
//!
//! `[>=1.0 <2.0 || ~3.1, include_prerelease]`: alternatives split at `||`, the conditions of
//! one alternative at white space, options after the first `,`. A condition is `>V >=V <V
//! <=V =V`, a bare `V` (`=V`), `~V`, `^V`, a pattern `P*` or `*`; an empty alternative is
//! `*`. Conan's desugaring, kept exactly:
//! - `>=V` and `<V` take `V-` when `V` has no `-` and no `+` (`<2.0` leaves out `2.0-rc`,
//!   `>=1.0` lets in `1.0-rc`); `>`, `<=` and `=` take `V` as written.
//! - `~V` is `>=V- <U-` (`V` as written when it has a `-`; `~1+b` is `>=1+b-`, whose build
//!   `b-` is above `b`), `U` the second item plus one
//!   (the first when `V` has one item): `~1.2.3` is `>=1.2.3- <1.3-`, `~1` is `>=1- <2-`.
//! - `^V` is `>=V- <U-`, `U` the first non-zero item plus one: `^0.2.1` is `>=0.2.1- <0.3-`.
//! - `P*` matches the versions whose *text* starts with `P`: `1.2.*` takes `1.2.0` and
//!   `1.2.7-rc` but not `1.2` or `1.20`; `cci.*` takes `cci.20230101`; `*` is every version.
//! - A pre-release is left out unless the range says `include_prerelease` (or the caller
//!   decides, as conan's `core.version_ranges:resolve_prereleases`): [`ConanRange`] keeps
//!   that rule. The canonical [`Range`](crate::range::Range) of [`parse_range`] reads the
//!   range as the engine reads every range, a pre-release inside when its order puts it
//!   there (conan's `resolve_prereleases=True`), and a pattern as the interval around the
//!   versions it matches: `P.*` as `>=P- <Q-` with `Q` the last item of `P` plus one (a
//!   word plus `0`: `cci.*` is `>=cci- <cci0-`), `P-*` as `>=P- <P`, another `P*` as
//!   `>=P- <Q-` with `Q` the item before the last plus one (or no upper end). It differs
//!   from the text on versions whose spelling is not their shortest (`1.2.0` is `1.2`) and
//!   on text items between numbers (`1.2a`, inside `1.2.*`'s interval).
//!
//! Options: `include_prerelease` anywhere in an option turns pre-releases on and ends the
//! options; another option starting with a letter is ignored, as conan ignores it after a
//! warning; anything else (`1.0, 2.0`, a trailing `,`) is an error. As a conanfile writes
//! it, the whole range may stand in `[` `]`. Errors, each at its byte: an empty range or
//! condition, a lone operator or one-character version (conan: `"1"` is no range), `~=`,
//! `^=`, `==`, `*=`, a pattern with fewer than two characters before `*`, a caret with no
//! non-zero item, a tilde or caret whose item to bump is a word, a bad version.

use super::{interval, syntax, version, Fail};
use crate::range::{Interval, Range};
use crate::version::{item_is_zero, item_plus_one, Scheme, Version};

/// How pre-releases are decided, as conan's `core.version_ranges:resolve_prereleases`.
///
/// ```
/// use exposure::range::{ConanPrereleases, ConanRange};
/// use exposure::version::{Scheme, Version};
/// let rc = Version::parse(Scheme::Conan, "1.5-rc1")?;
/// let range = ConanRange::parse("[>=1.0 <2.0]")?;
/// assert!(!range.contains(&rc, ConanPrereleases::AsWritten));
/// assert!(range.contains(&rc, ConanPrereleases::Always));
/// let with = ConanRange::parse(">=1.0 <2.0, include_prerelease")?;
/// assert!(with.contains(&rc, ConanPrereleases::AsWritten));
/// assert!(!with.contains(&rc, ConanPrereleases::Never));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ConanPrereleases {
    /// Conan's default (`None`): pre-releases only where the range says
    /// `include_prerelease`.
    #[default]
    AsWritten,
    /// `True`: a pre-release is inside when its order puts it there, whatever the range says
    /// (the engine's reading, that of [`parse_range`](crate::range::parse_range)).
    Always,
    /// `False`: never a pre-release.
    Never,
}

impl ConanPrereleases {
    /// The mode named `as-written`, `always` or `never`.
    ///
    /// ```
    /// use exposure::range::ConanPrereleases;
    /// assert_eq!(ConanPrereleases::from_name("never"), Some(ConanPrereleases::Never));
    /// assert_eq!(ConanPrereleases::from_name("None"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "as-written" => Some(Self::AsWritten),
            "always" => Some(Self::Always),
            "never" => Some(Self::Never),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
}

#[derive(Debug, Clone)]
enum Condition {
    /// A comparison with a version (after conan's `-` is appended).
    Compare(Op, Version),
    /// `P*`: the version's text starts with `P`, written at byte `at` of the input.
    Prefix { prefix: String, at: usize },
}

/// A Conan 2 version range, with conan's own reading of pre-releases and of `*` patterns
/// (the version's text); [`to_range`](Self::to_range) gives the canonical [`Range`].
///
/// ```
/// use exposure::range::{ConanPrereleases, ConanRange};
/// use exposure::version::{Scheme, Version};
/// let v = |s| Version::parse(Scheme::Conan, s).unwrap();
/// let range = ConanRange::parse("~1.2 || cci.*")?;
/// assert!(range.contains(&v("1.2.9"), ConanPrereleases::AsWritten));
/// assert!(!range.contains(&v("1.3"), ConanPrereleases::AsWritten));
/// assert!(range.contains(&v("cci.20230101"), ConanPrereleases::AsWritten));
/// assert!(!range.contains(&v("1.2.9-rc"), ConanPrereleases::AsWritten));
/// assert!(range.contains(&v("1.2.9-rc"), ConanPrereleases::Always));
/// assert_eq!(range.to_range()?.to_string(), "vers:conan/>=1.2-|<1.3-|>=cci-|<cci0-");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct ConanRange {
    /// Alternatives, each a list of conditions that must all hold.
    sets: Vec<Vec<Condition>>,
    include_prerelease: bool,
    /// The text parsed, for errors of [`to_range`](Self::to_range).
    input: String,
}

impl ConanRange {
    /// Parses a Conan range, bare or in `[` `]`.
    pub fn parse(text: &str) -> Result<Self, super::RangeSyntaxError> {
        parse(text).map_err(|fail| fail.into_error(Scheme::Conan, text))
    }

    /// Whether the range says `include_prerelease` (conan's default for pre-releases then
    /// lets them in).
    ///
    /// ```
    /// use exposure::range::ConanRange;
    /// assert!(ConanRange::parse("[>1 <2, include_prerelease]")?.includes_prereleases());
    /// assert!(!ConanRange::parse(">1 <2, loose=False")?.includes_prereleases());
    /// # Ok::<(), exposure::range::RangeSyntaxError>(())
    /// ```
    pub fn includes_prereleases(&self) -> bool {
        self.include_prerelease
    }

    /// Whether `version` is in the range, as conan's `VersionRange.contains` answers with
    /// `resolve_prerelease` set by `prereleases`. A version of another scheme never is.
    pub fn contains(&self, version: &Version, prereleases: ConanPrereleases) -> bool {
        let Some(conan) = version.as_conan() else {
            return false;
        };
        if conan.is_prerelease() {
            let allowed = match prereleases {
                ConanPrereleases::AsWritten => self.include_prerelease,
                ConanPrereleases::Always => true,
                ConanPrereleases::Never => false,
            };
            if !allowed {
                return false;
            }
        }
        self.sets.iter().any(|set| {
            set.iter().all(|condition| match condition {
                Condition::Prefix { prefix, .. } => version.as_str().starts_with(prefix.as_str()),
                Condition::Compare(op, bound) => match op {
                    Op::Gt => version > bound,
                    Op::Ge => version >= bound,
                    Op::Lt => version < bound,
                    Op::Le => version <= bound,
                    Op::Eq => version == bound,
                },
            })
        })
    }

    /// The canonical range: pre-releases inside where their order puts them, each pattern
    /// as the interval around what it matches (see the module documentation).
    pub fn to_range(&self) -> Result<Range, super::RangeSyntaxError> {
        self.canonical()
            .map_err(|fail| fail.into_error(Scheme::Conan, &self.input))
    }

    fn canonical(&self) -> Result<Range, Fail> {
        let mut alternatives = Vec::with_capacity(self.sets.len());
        for set in &self.sets {
            let mut parts = Vec::with_capacity(set.len());
            for condition in set {
                let one = match condition {
                    Condition::Compare(op, v) => {
                        let (lower, upper) = match op {
                            Op::Gt => (Some((v.clone(), false)), None),
                            Op::Ge => (Some((v.clone(), true)), None),
                            Op::Lt => (None, Some((v.clone(), false))),
                            Op::Le => (None, Some((v.clone(), true))),
                            Op::Eq => (Some((v.clone(), true)), Some((v.clone(), true))),
                        };
                        interval(lower, upper)
                    }
                    Condition::Prefix { prefix, at } => pattern_interval(&self.input, prefix, *at)?,
                };
                parts.push(Range::from_intervals(Scheme::Conan, vec![one])?);
            }
            alternatives.push(Range::intersection_of(Scheme::Conan, &parts)?);
        }
        let mut all = Range::none(Scheme::Conan);
        for alternative in &alternatives {
            all = all.union(alternative)?;
        }
        Ok(all)
    }
}

impl std::fmt::Display for ConanRange {
    /// The range in conan's syntax, with each condition as desugared (`~1.2` shows as
    /// `>=1.2- <1.3-`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, set) in self.sets.iter().enumerate() {
            if i > 0 {
                f.write_str(" || ")?;
            }
            for (j, condition) in set.iter().enumerate() {
                if j > 0 {
                    f.write_str(" ")?;
                }
                match condition {
                    Condition::Prefix { prefix, .. } => write!(f, "{prefix}*")?,
                    Condition::Compare(op, v) => {
                        let op = match op {
                            Op::Gt => ">",
                            Op::Ge => ">=",
                            Op::Lt => "<",
                            Op::Le => "<=",
                            Op::Eq => "=",
                        };
                        write!(f, "{op}{v}")?;
                    }
                }
            }
        }
        if self.include_prerelease {
            f.write_str(", include_prerelease")?;
        }
        Ok(())
    }
}

/// A version of the range: `text` is a slice of `input` or a bound derived from the
/// condition at `at`.
fn conan_version(input: &str, text: &str, at: usize) -> Result<Version, Fail> {
    version(Scheme::Conan, input, text, at)
}

/// The interval around the versions whose text starts with `prefix`, written at byte `at`
/// of `input`.
fn pattern_interval(input: &str, prefix: &str, at: usize) -> Result<Interval, Fail> {
    let v = |text: &str| conan_version(input, text, at);
    let main_end = prefix.find(['-', '+']).unwrap_or(prefix.len());
    let (main, rest) = prefix.split_at(main_end);
    let plus_one = |items: &str| -> Result<Option<String>, Fail> {
        // The last item of `items` plus one (a word plus `0`), the items before it kept.
        let (head, last) = items.rsplit_once('.').map_or(("", items), |(h, l)| (h, l));
        let bumped = item_plus_one(last).unwrap_or_else(|| format!("{last}0"));
        Ok(Some(if head.is_empty() {
            bumped
        } else {
            format!("{head}.{bumped}")
        }))
    };
    let (lower, upper) = if rest.starts_with('-') {
        // Pre-releases of one release (`1.2.3-*`, `1.2.3-rc*`).
        (format!("{main}-"), Some((main.to_owned(), false)))
    } else if let Some(items) = main.strip_suffix('.').filter(|_| rest.is_empty()) {
        // `1.2.*`: every version below the next `1.3`.
        let upper = plus_one(items)?.map(|u| (format!("{u}-"), false));
        (format!("{items}-"), upper)
    } else {
        // `1.2*` or `1.2+b*`: the last item may grow (`1.20`), the one before may not.
        let upper = match main.rsplit_once('.') {
            Some((head, _)) => plus_one(head)?.map(|u| (format!("{u}-"), false)),
            None => None,
        };
        (format!("{main}-"), upper)
    };
    let lower = v(&lower)?;
    let upper = upper.map(|(t, inc)| v(&t).map(|x| (x, inc))).transpose()?;
    Ok(interval(Some((lower, true)), upper))
}

/// `>=` and `<` take `V-` when `V` has no `-` and no `+` (conan's `_Condition`).
fn with_dash(text: &str) -> String {
    if text.contains(['-', '+']) {
        text.to_owned()
    } else {
        format!("{text}-")
    }
}

/// The main items of a version text: before the last `+`, then before the first `-`.
fn main_items(text: &str) -> Vec<&str> {
    let rest = text.rsplit_once('+').map_or(text, |(r, _)| r);
    let main = rest.split_once('-').map_or(rest, |(m, _)| m);
    main.split('.').collect()
}

/// conan's `Version.upper_bound(index)`: the items before `index`, the one at `index` plus
/// one, and `-`.
fn upper_bound(text: &str, index: usize, at: usize) -> Result<String, Fail> {
    let items = main_items(text);
    let bumped = items
        .get(index)
        .and_then(|item| item_plus_one(item))
        .ok_or_else(|| {
            syntax(
                at,
                format!("cannot bump item {index} of {text:?}: it is not a number"),
            )
        })?;
    let mut out = items[..index].join(".");
    if index > 0 {
        out.push('.');
    }
    out.push_str(&bumped);
    out.push('-');
    Ok(out)
}

/// One condition of an alternative, `e` a slice of `input` with no white space.
fn condition(input: &str, e: &str) -> Result<Vec<Condition>, Fail> {
    let at = crate::span::offset_in(input, e).unwrap_or(0);
    if e == "*" {
        return Ok(vec![any(input, at)?]);
    }
    let mut chars = e.chars();
    let first = chars.next().unwrap_or_default();
    let second = chars.next();
    if second.is_none() {
        return Err(syntax(at, format!("{e:?} is no range (one character)")));
    }
    let (mut op, body, mut skip) = match first {
        '>' | '<' | '^' | '~' | '=' => (first, e, 1),
        _ if e.ends_with('*') => ('*', &e[..e.len() - 1], 0),
        _ => ('=', e, 0),
    };
    let second = body.chars().nth(1);
    if op == '>' || op == '<' {
        if second == Some('=') {
            skip = 2;
            op = if op == '>' { 'g' } else { 'l' };
        }
    } else if second == Some('=') {
        let op = if op == '*' { first } else { op };
        return Err(syntax(
            at,
            format!("`{op}=` is no Conan operator; write `{op}`"),
        ));
    } else if second.is_none() {
        return Err(syntax(
            at,
            "a pattern needs two characters before `*` (`1.*`)",
        ));
    }
    let text = &body[skip..];
    if text.is_empty() {
        return Err(syntax(at, format!("no version after {e:?}")));
    }
    // `t` is the version as written, perhaps with conan's `-` after it: a failure is where
    // it is in `text`. A bound conan computes (`~1.2`'s `1.3-`) fails at the condition.
    let text_at = crate::span::offset_in(input, text).unwrap_or(at);
    let written =
        |t: &str| super::version_with(Scheme::Conan, t, |own| text_at + own.min(text.len()));
    let derived = |t: &str| conan_version(input, t, at);
    Ok(match op {
        '~' => {
            // Unlike `>=`, a tilde appends `-` after a build too (`~1+b` is `>=1+b-`).
            let from = if text.contains('-') {
                text.to_owned()
            } else {
                format!("{text}-")
            };
            let index = usize::from(main_items(&from).len() > 1);
            let upper = upper_bound(&from, index, at)?;
            vec![
                Condition::Compare(Op::Ge, written(&from)?),
                Condition::Compare(Op::Lt, derived(&upper)?),
            ]
        }
        '^' => {
            let items = main_items(text);
            let Some(index) = items.iter().position(|item| !item_is_zero(item)) else {
                return Err(syntax(at, format!("{e:?}: a caret needs a non-zero item")));
            };
            let upper = upper_bound(text, index, at)?;
            vec![
                Condition::Compare(Op::Ge, written(&with_dash(text))?),
                Condition::Compare(Op::Lt, derived(&upper)?),
            ]
        }
        '*' => vec![Condition::Prefix {
            prefix: text.to_owned(),
            at,
        }],
        'g' => vec![Condition::Compare(Op::Ge, written(&with_dash(text))?)],
        '<' => vec![Condition::Compare(Op::Lt, written(&with_dash(text))?)],
        '>' => vec![Condition::Compare(Op::Gt, written(text)?)],
        'l' => vec![Condition::Compare(Op::Le, written(text)?)],
        _ => vec![Condition::Compare(Op::Eq, written(text)?)],
    })
}

/// `*`, or an empty alternative: conan's `>=0.0.0-`, every version.
fn any(input: &str, at: usize) -> Result<Condition, Fail> {
    Ok(Condition::Compare(
        Op::Ge,
        conan_version(input, "0.0.0-", at)?,
    ))
}

fn parse(input: &str) -> Result<ConanRange, Fail> {
    let trimmed = input.trim();
    let body = trimmed
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(trimmed);
    if body.trim().is_empty() {
        let at = crate::span::offset_in(input, body).unwrap_or(0);
        return Err(syntax(at, "empty range"));
    }
    let mut tokens = body.split(',');
    let expression = tokens.next().unwrap_or_default();
    let mut include_prerelease = false;
    for option in tokens {
        if option.contains("include_prerelease") {
            include_prerelease = true;
            break;
        }
        let name = option.trim();
        if !name.chars().next().is_some_and(char::is_alphabetic) {
            let at = crate::span::offset_in(input, option).unwrap_or(0) + option.len()
                - option.trim_start().len();
            return Err(syntax(at, format!("{name:?} is no range option")));
        }
        // Another option conan does not know: it warns and goes on.
    }
    let mut sets = Vec::new();
    for alternative in expression.split("||") {
        let mut conditions = Vec::new();
        for e in alternative.split_whitespace() {
            conditions.extend(condition(input, e)?);
        }
        if conditions.is_empty() {
            let at = crate::span::offset_in(input, alternative).unwrap_or(0);
            conditions.push(any(input, at)?);
        }
        sets.push(conditions);
    }
    Ok(ConanRange {
        sets,
        include_prerelease,
        input: input.to_owned(),
    })
}

/// The canonical range of a Conan range (see the module documentation).
pub(super) fn parse_canonical(input: &str) -> Result<Range, Fail> {
    parse(input)?.canonical()
}

#[cfg(test)]
mod tests {
    use super::{ConanPrereleases as P, ConanRange};
    use crate::range::{parse_range, RangeSyntaxErrorKind};
    use crate::version::{Scheme, Version};
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        Version::parse(Scheme::Conan, s).unwrap()
    }

    /// Each answer as conan 2.34 gives it: `VersionRange(r).contains(Version(v), None)`,
    /// then with `True` (the canonical range's reading).
    #[test]
    fn answers_are_conans() {
        let cases = [
            // (range, version, conan default, resolve_prerelease=True)
            ("~1.2", "1.2.9", true, true),
            ("~1.2", "1.3", false, false),
            ("~1.2", "1.3-rc", false, false),
            ("~1.2.3", "1.2.3-rc", false, true),
            ("~1", "1.9", true, true),
            ("~1", "2-a", false, false),
            ("^1.2", "1.9", true, true),
            ("^1.2", "2.0", false, false),
            ("^0.2.1", "0.2.9", true, true),
            ("^0.2.1", "0.3", false, false),
            ("^0.0.1", "0.0.1.5", true, true),
            (">1 <2", "1.5", true, true),
            (">1 <2", "1", false, false),
            (">1 <2", "1+b", true, true),
            (">1 <2", "2-rc", false, false),
            (">=1.0 <2.0", "1.0-rc", false, true),
            (">1.0 <=2.0", "2.0+b", false, false),
            ("<=2.0", "2.0-rc", false, true),
            ("=1.0", "1.0.0", true, true),
            ("1.0", "1.0+b", false, false),
            ("1.2.*", "1.2.0", true, true),
            ("1.2.*", "1.2", false, false),
            ("1.2.*", "1.20", false, false),
            ("1.2.*", "1.2.7-rc", false, true),
            ("cci.*", "cci.20230101", true, true),
            ("*", "0.0.1-rc", false, true),
            ("*", "a", true, true),
            (">1 || <0.5", "0.1", true, true),
            ("1.0 ||", "7", true, true),
            (">1 <2, include_prerelease", "1.5-rc", true, true),
            (">1 <2, foo, include_prerelease", "1.5-rc", true, true),
            (">1 <2,include_prerelease=False", "1.5-rc", true, true),
            ("[>1 <2]", "1.5", true, true),
            ("[>1   <2 || 3.0]", "3", true, true),
            (">=1.0-pre.1 <2", "1.0-pre.2", false, true),
            (">=1.0+b <2", "1.0", false, false),
            ("~1.2.3-rc", "1.2.3-rc.1", false, true),
            ("0.0.1-3-1", "0.0.1-3-1", false, true),
            ("~1+1", "1+1", false, false),
            ("~1+1", "1.5", true, true),
        ];
        for (range, version, default, always) in cases {
            let exact = ConanRange::parse(range).unwrap();
            let version = v(version);
            assert_eq!(
                exact.contains(&version, P::AsWritten),
                default,
                "{range} {version}"
            );
            assert_eq!(
                exact.contains(&version, P::Always),
                always,
                "{range} {version}"
            );
            let pre = version.as_conan().unwrap().is_prerelease();
            assert_eq!(
                exact.contains(&version, P::Never),
                always && !pre,
                "{range} {version}"
            );
            let canonical = parse_range(Scheme::Conan, range).unwrap();
            if !range.contains(".*") {
                assert_eq!(
                    canonical.contains(&version),
                    always,
                    "canonical {range} {version}"
                );
            }
        }
    }

    #[test]
    fn desugared_as_conan() {
        for (range, canonical) in [
            ("~1.2.3", "vers:conan/>=1.2.3-|<1.3-"),
            ("^0.2", "vers:conan/>=0.2-|<0.3-"),
            (">1 <=2", "vers:conan/>1|<=2"),
            ("1.2.*", "vers:conan/>=1.2-|<1.3-"),
            ("1.2.3-*", "vers:conan/>=1.2.3-|<1.2.3"),
            ("cci.*", "vers:conan/>=cci-|<cci0-"),
            ("1.9_9.*", "vers:conan/>=1.9_9-|<1.100-"),
            ("*", "vers:conan/>=0.0.0-"),
        ] {
            assert_eq!(
                parse_range(Scheme::Conan, range).unwrap().to_string(),
                canonical,
                "{range}"
            );
        }
        // A pattern matches text; its interval also holds versions spelt otherwise (`1.2`
        // is `1.2.0`) and text items between numbers (`1.2a`).
        let exact = ConanRange::parse("1.2.*").unwrap();
        let canonical = exact.to_range().unwrap();
        for (version, text, order) in [
            ("1.2.0", true, true),
            ("1.2", false, true),
            ("1.2a", false, true),
            ("1.20", false, false),
        ] {
            assert_eq!(exact.contains(&v(version), P::Always), text, "{version}");
            assert_eq!(canonical.contains(&v(version)), order, "{version}");
        }
    }

    /// What conan rejects, each at its byte.
    #[test]
    fn errors_name_their_problem_and_place() {
        for (range, at, message) in [
            ("", 0, "empty range"),
            ("[ ]", 1, "empty range"),
            ("1", 0, "one character"),
            (">1 <", 3, "one character"),
            ("~=1.0", 0, "`~=` is no Conan operator"),
            ("==1.0", 0, "`==` is no Conan operator"),
            ("1*", 0, "two characters before `*`"),
            (">=", 0, "no version"),
            ("^0.0", 0, "a caret needs a non-zero item"),
            ("~cci", 0, "it is not a number"),
            (">1, <2", 4, "is no range option"),
            ("1.0,", 4, "is no range option"),
        ] {
            let err = ConanRange::parse(range).unwrap_err();
            assert!(
                matches!(err.kind(), RangeSyntaxErrorKind::Syntax(_)),
                "{range}: {err}"
            );
            assert_eq!(err.offset(), Some(at), "{range}: {err}");
            assert!(err.to_string().contains(message), "{range}: {err}");
            assert!(parse_range(Scheme::Conan, range).is_err());
        }
        // A version must start as a reference's does: at the version, and past conan's `-`.
        for (range, at) in [(">1 <=.5", 5), (">1 <.5", 4)] {
            let err = ConanRange::parse(range).unwrap_err();
            assert!(
                matches!(err.kind(), RangeSyntaxErrorKind::Version(_)),
                "{range}"
            );
            assert_eq!(err.offset(), Some(at), "{range}");
        }
    }

    fn conan_version() -> impl Strategy<Value = String> {
        let item =
            prop::sample::select(vec!["0", "1", "2", "3", "10", "01", "a", "rc", "cci", "2a"]);
        (
            prop::collection::vec(item.clone(), 1..4),
            prop::option::of(prop::collection::vec(item.clone(), 1..3)),
            prop::option::of(item),
        )
            .prop_map(|(main, pre, build)| {
                let mut text = main.join(".");
                if let Some(pre) = pre {
                    text = format!("{text}-{}", pre.join("."));
                }
                if let Some(build) = build {
                    text = format!("{text}+{build}");
                }
                text
            })
    }

    fn conan_range() -> impl Strategy<Value = String> {
        let number = prop::sample::select(vec![
            "0", "1", "2", "3", "10", "1.2", "0.0.1", "1.0-rc", "2.1+b",
        ]);
        let op = prop::sample::select(vec![">", ">=", "<", "<=", "=", "", "~", "^", "*"]);
        let condition = (op, number).prop_map(|(op, n)| match op {
            "*" => format!("{}.*", n.split(['-', '+']).next().unwrap_or(n)),
            "^" if n.starts_with('0') => format!("^1.{n}"),
            "" if n.len() == 1 => format!("{n}.0"),
            _ => format!("{op}{n}"),
        });
        let set = prop::collection::vec(condition, 1..3).prop_map(|c| c.join(" "));
        (prop::collection::vec(set, 1..3), any::<bool>()).prop_map(|(sets, pre)| {
            sets.join(" || ") + if pre { ", include_prerelease" } else { "" }
        })
    }

    proptest! {
        /// The canonical range is conan's answer with pre-releases resolved; a pattern's
        /// interval holds every version whose text it matches. Conan's default and `Never`
        /// only ever take away pre-releases.
        #[test]
        fn the_canonical_range_is_the_exact_one_with_prereleases(range in conan_range(), version in conan_version()) {
            let exact = ConanRange::parse(&range).unwrap();
            let canonical = exact.to_range().unwrap();
            let version = v(&version);
            let always = exact.contains(&version, P::Always);
            if range.contains('*') {
                prop_assert!(!always || canonical.contains(&version));
            } else {
                prop_assert_eq!(always, canonical.contains(&version));
            }
            let pre = version.as_conan().unwrap().is_prerelease();
            let default = exact.contains(&version, P::AsWritten);
            prop_assert_eq!(default, always && (!pre || exact.includes_prereleases()));
            prop_assert_eq!(exact.contains(&version, P::Never), always && !pre);
        }
    }
}
