//! Hex requirements, read as Elixir 1.14's `Version.parse_requirement` and `Version.match?`
//! read them (checked against Elixir itself by `tests/oracles/differential.py`):
//!
//! - Comparisons `== != > >= < <= ~>` (a version alone is `==`), joined by ` and ` and
//!   ` or `; `and` binds tighter (`A or B and C` is `A or (B and C)`).
//! - White space: only the space character separates; `and`/`or` need one on each side
//!   (`1.0.0 or2.0.0` is a version `or2.0.0`, so invalid), and any number of them may stand
//!   anywhere else, also none (`>=1.0.0`). A TAB or any other white space is part of the
//!   version beside it, which then does not parse.
//! - `~> 2.0` is `>= 2.0.0 and < 3.0.0-0`, `~> 2.0.1` is `>= 2.0.1 and < 2.1.0-0`: no
//!   pre-release of the upper bound is inside. Only `~>` takes `MAJOR.MINOR`.
//! - `!=` and its deprecated spelling `!` (`!2.3.0`) are read as `!=`; Elixir 1.14 prints a
//!   deprecation warning for both and answers as for `!=`
//!   ([`HexRequirement::uses_deprecated_negation`] says so).
//! - Operands are Hex versions (strict SemVer 2.0.0, no `v`, no leading zeros); build
//!   metadata is ignored.
//!
//! Pre-releases. The canonical [`Range`] answers as `Version.match?(v, req, allow_pre:
//! true)`, which is order alone. Elixir's default for Hex resolution, `allow_pre: false`, is
//! [`HexRequirement::matches`] with `false`: then `>`, `>=` and `~>` hold a pre-release only
//! when their own operand is one; `==`, `!=`, `<` and `<=` are unchanged (so `< 2.0.0` holds
//! `1.0.0-rc.1` either way). That is what Elixir 1.14 does (`Version.Requirement.match_op?`),
//! and what we follow; its documentation says more broadly that "the requirement will not
//! match a pre-release version unless the operand is a pre-release version".
//!
//! Where we differ from Elixir (both named rules of `tests/oracles/differential.py`):
//! Elixir's numbers are unbounded, ours are `u64` — a larger one, or a `~>` whose upper bound
//! would be one, is a "number too large" error (`hex-numbers-past-u64`); and a version alone
//! (as everywhere in the engine) has its surrounding white space trimmed, which Elixir's
//! `Version.parse` rejects (`hex-surrounding-white-space`). Elixir 1.14 has no digit limit
//! (`Version.parse("123456789012345.0.0")` is `:ok`).

use super::{interval, syntax, version, Fail, RangeSyntaxError, RangeSyntaxErrorKind};
use crate::range::Range;
use crate::version::{CompareError, Scheme, Version, VersionError, VersionErrorKind};
use std::cmp::Ordering;

/// A comparison operator of an Elixir requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Approx,
}

/// One comparison: the operator, its operand (the lower bound for `~>`, `2.0` read as
/// `2.0.0`) and, for `~>`, the exclusive upper bound (`3.0.0-0`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Comparison {
    op: Op,
    operand: Version,
    upper: Option<Version>,
    /// Whether the operand has a pre-release (what `allow_pre: false` looks at).
    pre: bool,
}

impl Comparison {
    /// `Version.Requirement.match_op?`: the order test, and for `>`, `>=` and `~>` without
    /// `allow_pre` a pre-release candidate only when the operand is one.
    fn matches(&self, candidate: &Version, candidate_pre: bool, allow_pre: bool) -> bool {
        let Ok(order) = candidate.try_cmp(&self.operand) else {
            return false;
        };
        let pre_ok = allow_pre || self.pre || !candidate_pre;
        match self.op {
            Op::Eq => order == Ordering::Equal,
            Op::Ne => order != Ordering::Equal,
            Op::Lt => order == Ordering::Less,
            Op::Le => order != Ordering::Greater,
            Op::Gt => order == Ordering::Greater && pre_ok,
            Op::Ge => order != Ordering::Less && pre_ok,
            Op::Approx => {
                let below = self
                    .upper
                    .as_ref()
                    .is_some_and(|u| candidate.try_cmp(u) == Ok(Ordering::Less));
                order != Ordering::Less && below && pre_ok
            }
        }
    }

    /// The versions the comparison holds by order alone (`allow_pre: true`).
    fn range(&self) -> Result<Range, CompareError> {
        let v = self.operand.clone();
        let hex = Scheme::Hex;
        let point = || interval(Some((v.clone(), true)), Some((v.clone(), true)));
        Ok(match self.op {
            Op::Eq => Range::from_intervals(hex, vec![point()])?,
            Op::Ne => Range::from_intervals(hex, vec![point()])?.complement(),
            Op::Gt => Range::from_intervals(hex, vec![interval(Some((v, false)), None)])?,
            Op::Ge => Range::from_intervals(hex, vec![interval(Some((v, true)), None)])?,
            Op::Lt => Range::from_intervals(hex, vec![interval(None, Some((v, false)))])?,
            Op::Le => Range::from_intervals(hex, vec![interval(None, Some((v, true)))])?,
            Op::Approx => {
                let upper = self.upper.clone().map(|u| (u, false));
                Range::from_intervals(hex, vec![interval(Some((v, true)), upper)])?
            }
        })
    }
}

/// An Elixir/Hex version requirement (`~> 2.0 or >= 3.1.0-rc.1 and < 4.0.0`), parsed as
/// Elixir 1.14's `Version.parse_requirement` parses it, answering membership as
/// `Version.match?` with either setting of its `allow_pre` option.
///
/// [`to_range`](Self::to_range) is the canonical [`Range`] (`allow_pre: true`, a
/// pre-release is inside exactly when its order puts it there), which
/// [`parse_range`](crate::range::parse_range) gives for [`Scheme::Hex`]. With
/// `allow_pre: false` (Hex's resolver), `>`, `>=` and `~>` hold a pre-release only when
/// their operand is one, which is no set of intervals: [`matches`](Self::matches) answers it.
///
/// ```
/// use exposure::range::HexRequirement;
/// use exposure::version::{Scheme, Version};
/// let req = HexRequirement::parse("~> 2.0")?;
/// let v = |s| Version::parse(Scheme::Hex, s).unwrap();
/// assert!(req.matches(&v("2.5.0"), false));
/// assert!(req.matches(&v("2.5.0-rc.1"), true));   // by order: 2.0.0 <= it < 3.0.0-0
/// assert!(!req.matches(&v("2.5.0-rc.1"), false)); // Hex's default: no pre-release
/// assert!(!req.matches(&v("3.0.0-rc.1"), true));  // no pre-release of the upper bound
/// assert_eq!(req.to_range().unwrap().to_string(), "vers:hex/>=2.0.0|<3.0.0-0");
/// // The deprecated `!` is `!=`.
/// let not = HexRequirement::parse("!2.3.0")?;
/// assert!(not.uses_deprecated_negation() && !not.matches(&v("2.3.0"), true));
/// assert!(HexRequirement::parse("== 2.0").is_err()); // only `~>` takes MAJOR.MINOR
/// # Ok::<(), exposure::range::RangeSyntaxError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HexRequirement {
    /// Alternatives (`or`), each a conjunction (`and`) of comparisons.
    alternatives: Vec<Vec<Comparison>>,
    deprecated: bool,
}

impl HexRequirement {
    /// Parses `text` as Elixir 1.14's `Version.parse_requirement` does: what Elixir rejects
    /// is an error naming the problem and its byte offset.
    pub fn parse(text: &str) -> Result<Self, RangeSyntaxError> {
        parse_requirement(text).map_err(|fail| fail.into_error(Scheme::Hex, text))
    }

    /// `Version.match?(version, requirement, allow_pre: allow_pre)`. With `true` this is
    /// [`to_range`](Self::to_range)'s membership. A version of another scheme never matches.
    pub fn matches(&self, version: &Version, allow_pre: bool) -> bool {
        let pre = version.as_semantic().is_some_and(|s| !s.pre().is_empty());
        self.alternatives
            .iter()
            .any(|all| all.iter().all(|c| c.matches(version, pre, allow_pre)))
    }

    /// The versions the requirement holds by order (`allow_pre: true`), as a [`Range`]
    /// (the same [`parse_range`](crate::range::parse_range) gives). Every version in it is
    /// a hex one, so the error, versions of different schemes, does not occur.
    pub fn to_range(&self) -> Result<Range, CompareError> {
        let mut intervals = Vec::new();
        for all in &self.alternatives {
            let ranges = all
                .iter()
                .map(Comparison::range)
                .collect::<Result<Vec<_>, _>>()?;
            intervals.extend(Range::intersection_of(Scheme::Hex, &ranges)?.intervals);
        }
        Range::from_intervals(Scheme::Hex, intervals)
    }

    /// Whether the requirement negates with `!=` or its older spelling `!`, both of which
    /// Elixir 1.14 accepts with a deprecation warning ("use ~> or >= instead").
    pub fn uses_deprecated_negation(&self) -> bool {
        self.deprecated
    }
}

/// A token of Elixir's requirement lexer, with its byte offset.
#[derive(Debug, Clone, Copy)]
enum Token<'a> {
    Op(Op, usize),
    And(usize),
    Or(usize),
    Version(&'a str, usize),
}

/// The lexer's tokens, tried in this order at every position (`Version.Parser.lexer/3`).
const TOKENS: [(&str, Option<Op>); 10] = [
    (">=", Some(Op::Ge)),
    ("<=", Some(Op::Le)),
    ("~>", Some(Op::Approx)),
    (">", Some(Op::Gt)),
    ("<", Some(Op::Lt)),
    ("==", Some(Op::Eq)),
    (" or ", None),
    (" and ", None),
    ("!=", Some(Op::Ne)),
    ("!", Some(Op::Ne)),
];

/// `Version.Parser.lexer/3`: operators and `and`/`or` split the text, a space ends a
/// version, anything else is part of one; a version not after an operator gets an implicit
/// `==`. Returns the tokens and whether `!=` or `!` occurred.
fn lex(input: &str) -> (Vec<Token<'_>>, bool) {
    fn flush<'a>(
        tokens: &mut Vec<Token<'a>>,
        input: &'a str,
        start: &mut Option<usize>,
        end: usize,
    ) {
        if let Some(start) = start.take() {
            if !matches!(tokens.last(), Some(Token::Op(..))) {
                tokens.push(Token::Op(Op::Eq, start));
            }
            tokens.push(Token::Version(&input[start..end], start));
        }
    }
    let mut tokens = Vec::new();
    let mut deprecated = false;
    let mut buffer = None;
    let mut pos = 0;
    while let Some(rest) = input.get(pos..).filter(|r| !r.is_empty()) {
        if let Some((text, op)) = TOKENS.iter().find(|(text, _)| rest.starts_with(text)) {
            flush(&mut tokens, input, &mut buffer, pos);
            tokens.push(match (op, text.trim()) {
                (Some(op), _) => {
                    deprecated |= *op == Op::Ne;
                    Token::Op(*op, pos)
                }
                (None, "or") => Token::Or(pos + 1),
                (None, _) => Token::And(pos + 1),
            });
            pos += text.len();
        } else if rest.starts_with(' ') {
            flush(&mut tokens, input, &mut buffer, pos);
            pos += 1;
        } else {
            buffer.get_or_insert(pos);
            pos += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    flush(&mut tokens, input, &mut buffer, input.len());
    (tokens, deprecated)
}

fn parse_requirement(input: &str) -> Result<HexRequirement, Fail> {
    let (tokens, deprecated) = lex(input);
    if tokens.is_empty() {
        return Err(syntax(0, "empty requirement"));
    }
    // `Version.Parser.revert_lexed/2`: OP VERSION, then (`and`|`or`) OP VERSION, to the end.
    let mut alternatives = Vec::new();
    let mut all = Vec::new();
    let mut rest = tokens.iter().peekable();
    loop {
        let op = match rest.next() {
            Some(Token::Op(op, _)) => *op,
            Some(Token::And(at) | Token::Or(at)) => {
                return Err(syntax(*at, "`and` or `or` without a comparison before it"))
            }
            // The lexer puts an operator before every version.
            Some(Token::Version(_, at)) => return Err(syntax(*at, "a version without operator")),
            None => return Err(syntax(input.len(), "`and` or `or` at the end")),
        };
        let (text, at) = match rest.next() {
            Some(Token::Version(text, at)) => (*text, *at),
            Some(Token::Op(_, at)) => return Err(syntax(*at, "two operators in a row")),
            Some(Token::And(at) | Token::Or(at)) => {
                return Err(syntax(*at, "an operator without a version after it"))
            }
            None => {
                return Err(syntax(
                    input.len(),
                    "an operator without a version after it",
                ))
            }
        };
        all.push(comparison(input, op, text, at)?);
        match rest.next() {
            None => break,
            Some(Token::And(_)) => {}
            Some(Token::Or(_)) => alternatives.push(std::mem::take(&mut all)),
            Some(Token::Op(Op::Eq, at)) if matches!(rest.peek(), Some(Token::Version(_, v)) if v == at) => {
                return Err(syntax(
                    *at,
                    "two versions without `and` or `or` between them",
                ))
            }
            Some(Token::Op(_, at) | Token::Version(_, at)) => {
                return Err(syntax(
                    *at,
                    "a comparison after a version without `and` or `or`",
                ))
            }
        }
    }
    alternatives.push(all);
    Ok(HexRequirement {
        alternatives,
        deprecated,
    })
}

/// The comparison `op text`, `text` at byte `at` of `input` (`Version.Parser
/// .validate_requirement/2`: the version with an optional patch for `~>` only).
fn comparison(input: &str, op: Op, text: &str, at: usize) -> Result<Comparison, Fail> {
    // A version's white space is its own (our version parser would trim it; Elixir's not).
    if let Some((i, found)) = text.char_indices().find(|(_, c)| c.is_whitespace()) {
        let kind = VersionErrorKind::UnexpectedChar { found };
        let error = VersionError::new(Scheme::Hex, text, i, kind);
        return Err(Fail::new(
            RangeSyntaxErrorKind::Version(error),
            Some(at + i),
        ));
    }
    // Elixir splits at the first `+`, then at the first `-`: the numbers end at either.
    let core_end = text.find(['-', '+']).unwrap_or(text.len());
    let pre = text.as_bytes().get(core_end) == Some(&b'-');
    let short = text[..core_end].matches('.').count() == 1;
    let operand = if short {
        if op != Op::Approx {
            return Err(syntax(
                at,
                format!("only `~>` takes a version without its patch number ({text:?})"),
            ));
        }
        // `~> 2.0-dev` is `>= 2.0.0-dev`: the text with `.0` put in, errors placed in it.
        let full = format!("{}.0{}", &text[..core_end], &text[core_end..]);
        Version::parse(Scheme::Hex, &full).map_err(|e| {
            let own = if e.offset() > core_end {
                e.offset() - 2
            } else {
                e.offset()
            };
            let error = VersionError::new(Scheme::Hex, text, own, e.kind().clone());
            Fail::new(RangeSyntaxErrorKind::Version(error), Some(at + own))
        })?
    } else {
        version(Scheme::Hex, input, text, at)?
    };
    let upper = if op == Op::Approx {
        let s = operand
            .as_semantic()
            .ok_or_else(|| syntax(at, "not a hex version"))?;
        let bound = if short {
            format!("{}.0.0-0", super::next(s.major()))
        } else {
            format!("{}.{}.0-0", s.major(), super::next(s.minor()))
        };
        Some(version(Scheme::Hex, input, &bound, at)?)
    } else {
        None
    };
    Ok(Comparison {
        op,
        operand,
        upper,
        pre,
    })
}

/// The canonical range of a Hex requirement (`allow_pre: true`).
pub(super) fn parse(input: &str) -> Result<Range, Fail> {
    Ok(parse_requirement(input)?.to_range()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::range::parse_range;
    use proptest::prelude::*;

    fn v(text: &str) -> Version {
        Version::parse(Scheme::Hex, text).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Each answer was given by Elixir 1.14's `Version.match?` with `allow_pre: true` and
    /// `false`.
    #[test]
    fn matches_as_elixir() {
        let cases: &[(&str, &str, bool, bool)] = &[
            ("~> 2.0", "2.1.0", true, true),
            ("~> 2.0", "3.0.0", false, false),
            ("~> 2.0", "3.0.0-rc.1", false, false),
            ("~> 2.0", "2.5.0-rc.1", true, false),
            ("~> 2.0.0", "2.0.1", true, true),
            ("~> 2.0.0", "2.1.0", false, false),
            ("~> 2.1.2", "2.1.3-dev", true, false),
            ("~> 2.1-dev", "2.2.0-dev", true, true),
            ("~> 2.1.2-dev", "2.1.3-dev", true, true),
            (">= 2.1.0", "2.2.0-dev", true, false),
            (">= 2.1.0-dev", "2.2.3-dev", true, true),
            ("< 2.0.0", "1.0.0-rc.1", true, true),
            ("<= 2.0.0", "2.0.0-rc.1", true, true),
            ("!= 2.0.0", "2.1.0-rc.1", true, true),
            ("! 2.3.0", "2.3.0", false, false),
            ("!2.3.0", "2.4.0", true, true),
            ("2.0.0", "2.0.0+build", true, true),
            ("  2.0.0  ", "2.0.0", true, true),
            ("== 1.0.0 or == 2.0.0", "2.0.0", true, true),
            (">= 1.0.0 and < 2.0.0", "2.0.0", false, false),
            (">= 1.0.0 and < 2.0.0 or == 3.0.0", "3.0.0", true, true),
            ("== 3.0.0 or >= 1.0.0 and < 2.0.0", "1.5.0", true, true),
            (">=1.0.0 and <2.0.0", "1.5.0", true, true),
            ("> 1.0.0-rc.1", "1.0.0-rc.2", true, true),
        ];
        for &(req, version, with_pre, without_pre) in cases {
            let parsed = HexRequirement::parse(req).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                parsed.matches(&v(version), true),
                with_pre,
                "{req} {version}"
            );
            assert_eq!(
                parsed.matches(&v(version), false),
                without_pre,
                "{req} {version}"
            );
            let range = parse_range(Scheme::Hex, req).unwrap();
            assert_eq!(
                range.contains(&v(version)),
                with_pre,
                "{req} {version} range"
            );
        }
    }

    /// Each was rejected by Elixir 1.14's `Version.parse_requirement`; the error says why.
    #[test]
    fn rejects_as_elixir_with_the_problem_named() {
        let cases: &[(&str, &str, usize)] = &[
            ("", "empty requirement", 0),
            ("   ", "empty requirement", 0),
            (
                "== 2.0",
                "only `~>` takes a version without its patch number",
                3,
            ),
            ("~> 2", "unexpected end", 4),
            ("1.0.0 2.0.0", "two versions without `and` or `or`", 6),
            ("1.0.0 >= 2.0.0", "a comparison after a version", 6),
            (">= > 1.0.0", "two operators in a row", 3),
            (">=", "an operator without a version", 2),
            ("1.0.0 and", "two versions without `and` or `or`", 6),
            ("1.0.0 and ", "`and` or `or` at the end", 10),
            (" or 1.0.0", "`and` or `or` without a comparison", 1),
            ("== 1.0.0 or", "two versions without `and` or `or`", 9),
            ("1.0.0 or2.0.0", "two versions without `and` or `or`", 6),
            ("1.0.0\t", "unexpected character '\\t'", 5),
            ("v1.0.0", "unexpected character 'v'", 0),
            ("~> 01.0", "leading zero", 3),
            ("~> 1.0-", "unexpected end", 7),
            ("= 1.0.0", "unexpected character '='", 0),
            ("!== 1.0.0", "unexpected character '='", 2),
            ("== 1.0.0-01", "leading zero", 9),
            ("~> 18446744073709551616.0", "number too large", 3),
            ("~> 18446744073709551615.0", "number too large", 3),
        ];
        for &(req, message, offset) in cases {
            let err = HexRequirement::parse(req).expect_err(req);
            assert_eq!(parse_range(Scheme::Hex, req).as_ref(), Err(&err), "{req}");
            assert!(err.to_string().contains(message), "{req}: {err}");
            assert_eq!(err.offset(), Some(offset), "{req}: {err}");
        }
    }

    #[test]
    fn deprecated_negation_is_flagged() {
        assert!(HexRequirement::parse("!2.3.0")
            .unwrap()
            .uses_deprecated_negation());
        assert!(HexRequirement::parse(">= 1.0.0 and != 1.2.0")
            .unwrap()
            .uses_deprecated_negation());
        assert!(!HexRequirement::parse("~> 1.0")
            .unwrap()
            .uses_deprecated_negation());
    }

    fn hex_version() -> impl Strategy<Value = String> {
        (
            0u64..4,
            0u64..4,
            0u64..4,
            prop::option::of(prop::sample::select(vec![
                "0", "rc.1", "rc.2", "alpha", "1",
            ])),
        )
            .prop_map(|(a, b, c, pre)| match pre {
                Some(pre) => format!("{a}.{b}.{c}-{pre}"),
                None => format!("{a}.{b}.{c}"),
            })
    }

    fn hex_comparison() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec!["", "== ", "!= ", "> ", ">= ", "< ", "<= ", "~> "]),
            hex_version(),
            any::<bool>(),
        )
            .prop_map(|(op, version, short)| {
                if short && op == "~> " && !version.contains('-') {
                    format!(
                        "{op}{}",
                        version.rsplit_once('.').map_or(&*version, |(head, _)| head)
                    )
                } else {
                    format!("{op}{version}")
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The range is `allow_pre: true` membership; `allow_pre: false` holds a subset of
        /// it, differing only on pre-releases.
        #[test]
        fn range_is_allow_pre_and_strict_is_a_subset(
            comparisons in prop::collection::vec(hex_comparison(), 1..4),
            joins in prop::collection::vec(prop::sample::select(vec![" and ", " or "]), 3),
            candidate in hex_version(),
        ) {
            let mut text = comparisons[0].clone();
            for (c, j) in comparisons[1..].iter().zip(&joins) {
                text.push_str(j);
                text.push_str(c);
            }
            let req = HexRequirement::parse(&text).unwrap();
            let range = parse_range(Scheme::Hex, &text).unwrap();
            let c = v(&candidate);
            prop_assert_eq!(req.matches(&c, true), range.contains(&c));
            if req.matches(&c, false) {
                prop_assert!(req.matches(&c, true));
            }
            if !candidate.contains('-') {
                prop_assert_eq!(req.matches(&c, false), req.matches(&c, true));
            }
        }
    }
}
