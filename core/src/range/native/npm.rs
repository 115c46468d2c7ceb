//! node-semver ranges with `includePrerelease: true`, desugared exactly as node-semver does
//! (`replaceCaret`, `replaceTilde`, `replaceXRange`, `hyphenReplace`).

use super::{interval, next, syntax, version, Fail};
use crate::range::{Interval, Range};
use crate::span::offset_in;
use crate::version::{Scheme, Version};
use std::borrow::Cow;

/// A partial version: `None` parts are wildcards or missing.
#[derive(Debug, Clone, Default)]
struct Partial {
    major: Option<u64>,
    minor: Option<u64>,
    patch: Option<u64>,
    /// Pre-release and build text after the patch (`-beta.1+b`), only with a numeric patch.
    rest: String,
}

impl Partial {
    fn any_x(&self) -> bool {
        self.major.is_none() || self.minor.is_none() || self.patch.is_none()
    }
}

/// A partial version from `text`, the version part of the comparator at byte `at`.
fn parse_partial(text: &str, at: usize) -> Result<Partial, Fail> {
    let body = text.trim_start_matches(['v', '=']);
    let err = |m: &str| syntax(at, m);
    if body.is_empty() {
        return Err(err("missing version"));
    }
    let (core, rest) = match body.find(['-', '+']) {
        Some(i) => (&body[..i], &body[i..]),
        None => (body, ""),
    };
    let mut parts = core.split('.');
    let mut field = |name: &str| -> Result<Option<u64>, Fail> {
        match parts.next() {
            None => Ok(None),
            Some("x" | "X" | "*") => Ok(None),
            Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                if n.len() > 1 && n.starts_with('0') {
                    return Err(err(&format!("leading zero in {name}")));
                }
                n.parse()
                    .map(Some)
                    .map_err(|_| err(&format!("{name} too large")))
            }
            Some(_) => Err(err(&format!("bad {name}"))),
        }
    };
    let (major, minor, patch) = (field("major")?, field("minor")?, field("patch")?);
    if parts.next().is_some() {
        return Err(err("more than three version parts"));
    }
    if !rest.is_empty() && patch.is_none() {
        return Err(err("pre-release or build on a partial version"));
    }
    Ok(Partial {
        major,
        minor,
        patch,
        rest: rest.to_owned(),
    })
}

/// A desugared comparator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
}

struct Builder<'a> {
    scheme: Scheme,
    /// The whole range, and where the comparator being desugared starts in it.
    input: &'a str,
    at: usize,
    comparators: Vec<(Op, Version)>,
    /// A comparator that matches nothing (`<0.0.0-0`).
    nothing: bool,
}

impl Builder<'_> {
    fn push(&mut self, op: Op, text: &str) -> Result<(), Fail> {
        let version = version(self.scheme, self.input, text, self.at)?;
        self.comparators.push((op, version));
        Ok(())
    }

    /// `replaceXRange` (and plain full versions) for one comparator.
    fn x_range(&mut self, op: Option<Op>, p: &Partial) -> Result<(), Fail> {
        let Some(major) = p.major else {
            // `>*` and `<*` match nothing; everything else matches everything.
            if matches!(op, Some(Op::Gt | Op::Lt)) {
                self.nothing = true;
            }
            return Ok(());
        };
        if !p.any_x() {
            let full = format!(
                "{major}.{}.{}{}",
                p.minor.unwrap_or(0),
                p.patch.unwrap_or(0),
                p.rest
            );
            return self.push(op.unwrap_or(Op::Eq), &full);
        }
        let op = if op == Some(Op::Eq) { None } else { op };
        match (op, p.minor) {
            (Some(op), minor) => {
                let (mut major, mut minor_n) = (u128::from(major), u128::from(minor.unwrap_or(0)));
                let mut op = op;
                match op {
                    Op::Gt => {
                        op = Op::Ge;
                        if minor.is_none() {
                            major += 1;
                            minor_n = 0;
                        } else {
                            minor_n += 1;
                        }
                    }
                    Op::Le => {
                        op = Op::Lt;
                        if minor.is_none() {
                            major += 1;
                        } else {
                            minor_n += 1;
                        }
                    }
                    _ => {}
                }
                // includePrerelease: every partial bound takes the `-0` pre-release.
                self.push(op, &format!("{major}.{minor_n}.0-0"))
            }
            (None, minor) => self.partial(major, minor),
        }
    }

    /// The versions a partial version stands for, pre-releases included: `M` is
    /// `>=M.0.0-0 <(M+1).0.0-0`, `M.m` is `>=M.m.0-0 <M.(m+1).0-0`.
    fn partial(&mut self, major: u64, minor: Option<u64>) -> Result<(), Fail> {
        match minor {
            None => {
                self.push(Op::Ge, &format!("{major}.0.0-0"))?;
                self.push(Op::Lt, &format!("{}.0.0-0", next(major)))
            }
            Some(minor) => {
                self.push(Op::Ge, &format!("{major}.{minor}.0-0"))?;
                self.push(Op::Lt, &format!("{major}.{}.0-0", next(minor)))
            }
        }
    }

    /// `replaceTilde`.
    fn tilde(&mut self, p: &Partial) -> Result<(), Fail> {
        let Some(major) = p.major else { return Ok(()) };
        match (p.minor, p.patch) {
            // includePrerelease: a partial lower bound takes `-0` (`~2.3` is
            // `>=2.3.0-0 <2.4.0-0`, as node-semver's Range prints it).
            (minor, None) | (minor @ None, Some(_)) => self.partial(major, minor),
            (Some(minor), Some(patch)) => {
                self.push(Op::Ge, &format!("{major}.{minor}.{patch}{}", p.rest))?;
                self.push(Op::Lt, &format!("{major}.{}.0-0", next(minor)))
            }
        }
    }

    /// `replaceCaret` with includePrerelease.
    fn caret(&mut self, p: &Partial) -> Result<(), Fail> {
        let Some(major) = p.major else { return Ok(()) };
        match (p.minor, p.patch) {
            (None, _) => {
                self.push(Op::Ge, &format!("{major}.0.0-0"))?;
                self.push(Op::Lt, &format!("{}.0.0-0", next(major)))
            }
            (Some(minor), None) => {
                self.push(Op::Ge, &format!("{major}.{minor}.0-0"))?;
                if major == 0 {
                    self.push(Op::Lt, &format!("0.{}.0-0", next(minor)))
                } else {
                    self.push(Op::Lt, &format!("{}.0.0-0", next(major)))
                }
            }
            (Some(minor), Some(patch)) => {
                self.push(Op::Ge, &format!("{major}.{minor}.{patch}{}", p.rest))?;
                if major != 0 {
                    self.push(Op::Lt, &format!("{}.0.0-0", next(major)))
                } else if minor != 0 {
                    self.push(Op::Lt, &format!("0.{}.0-0", next(minor)))
                } else {
                    self.push(Op::Lt, &format!("0.0.{}-0", next(patch)))
                }
            }
        }
    }

    /// `hyphenReplace` with includePrerelease.
    fn hyphen(&mut self, from: &Partial, to: &Partial) -> Result<(), Fail> {
        if let Some(major) = from.major {
            let lower = match (from.minor, from.patch) {
                (None, _) => format!("{major}.0.0-0"),
                (Some(minor), None) => format!("{major}.{minor}.0-0"),
                (Some(minor), Some(patch)) if !from.rest.is_empty() => {
                    format!("{major}.{minor}.{patch}{}", from.rest)
                }
                (Some(minor), Some(patch)) => format!("{major}.{minor}.{patch}-0"),
            };
            self.push(Op::Ge, &lower)?;
        }
        if let Some(major) = to.major {
            match (to.minor, to.patch) {
                (None, _) => self.push(Op::Lt, &format!("{}.0.0-0", next(major)))?,
                (Some(minor), None) => {
                    self.push(Op::Lt, &format!("{major}.{}.0-0", next(minor)))?;
                }
                (Some(minor), Some(patch)) if !to.rest.is_empty() => {
                    self.push(Op::Le, &format!("{major}.{minor}.{patch}{}", to.rest))?;
                }
                (Some(minor), Some(patch)) => {
                    self.push(Op::Lt, &format!("{major}.{minor}.{}-0", next(patch)))?;
                }
            }
        }
        Ok(())
    }

    /// The interval all comparators allow together.
    fn interval(self) -> Result<Option<Interval>, Fail> {
        if self.nothing {
            return Ok(None);
        }
        let mut lower: Option<(Version, bool)> = None;
        let mut upper: Option<(Version, bool)> = None;
        // Whether `v` bounds tighter than `current` on the side where `further` is the
        // order of a tighter version (Greater for lower bounds, Less for upper ones).
        let tighter = |current: &Option<(Version, bool)>,
                       v: &Version,
                       inclusive: bool,
                       further: std::cmp::Ordering|
         -> Result<bool, Fail> {
            Ok(match current {
                None => true,
                Some((c, ci)) => match v.try_cmp(c)? {
                    std::cmp::Ordering::Equal => *ci && !inclusive,
                    order => order == further,
                },
            })
        };
        for (op, v) in self.comparators {
            let (lo, hi) = match op {
                Op::Ge => (Some(true), None),
                Op::Gt => (Some(false), None),
                Op::Le => (None, Some(true)),
                Op::Lt => (None, Some(false)),
                Op::Eq => (Some(true), Some(true)),
            };
            if let Some(inclusive) = lo {
                if tighter(&lower, &v, inclusive, std::cmp::Ordering::Greater)? {
                    lower = Some((v.clone(), inclusive));
                }
            }
            if let Some(inclusive) = hi {
                if tighter(&upper, &v, inclusive, std::cmp::Ordering::Less)? {
                    upper = Some((v, inclusive));
                }
            }
        }
        Ok(Some(interval(lower, upper)))
    }
}

/// The comparators of one alternative (`set`, a slice of `input`), with the offset of each
/// in `input`: words between white space, an operator joined to what follows it (`>= 1.2` is
/// `>=1.2`), as node-semver does.
fn words<'a>(input: &str, set: &'a str) -> Vec<(usize, Cow<'a, str>)> {
    let mut words: Vec<(usize, Cow<'a, str>)> = Vec::new();
    for word in set.split_whitespace() {
        match words.last_mut() {
            Some((_, prev)) if prev.ends_with(['<', '>', '=', '~', '^']) => {
                prev.to_mut().push_str(word);
            }
            _ => words.push((offset_in(input, word).unwrap_or(0), Cow::Borrowed(word))),
        }
    }
    words
}

pub(super) fn parse(scheme: Scheme, input: &str) -> Result<Range, Fail> {
    let mut intervals = Vec::new();
    for set in input.split("||") {
        let words = words(input, set);
        let mut builder = Builder {
            scheme,
            input,
            at: words.first().map_or(0, |(at, _)| *at),
            comparators: Vec::new(),
            nothing: false,
        };
        match &words[..] {
            [(from_at, from), (_, dash), (to_at, to)] if dash == "-" => {
                let from = parse_partial(from, *from_at)?;
                let to = parse_partial(to, *to_at)?;
                builder.hyphen(&from, &to)?;
            }
            _ => {
                for (at, word) in &words {
                    let word = word.as_ref();
                    builder.at = *at;
                    let (op, rest) = [
                        ("~>", "~"),
                        (">=", ">="),
                        ("<=", "<="),
                        (">", ">"),
                        ("<", "<"),
                        ("=", "="),
                        ("~", "~"),
                        ("^", "^"),
                    ]
                    .iter()
                    .find_map(|(prefix, op)| word.strip_prefix(prefix).map(|rest| (*op, rest)))
                    .unwrap_or(("", word));
                    let partial = parse_partial(if rest.is_empty() { "*" } else { rest }, *at)?;
                    match op {
                        "~" => builder.tilde(&partial)?,
                        "^" => builder.caret(&partial)?,
                        ">=" => builder.x_range(Some(Op::Ge), &partial)?,
                        "<=" => builder.x_range(Some(Op::Le), &partial)?,
                        ">" => builder.x_range(Some(Op::Gt), &partial)?,
                        "<" => builder.x_range(Some(Op::Lt), &partial)?,
                        "=" => builder.x_range(Some(Op::Eq), &partial)?,
                        _ => builder.x_range(None, &partial)?,
                    }
                }
            }
        }
        if let Some(i) = builder.interval()? {
            intervals.push(i);
        }
    }
    Ok(Range::from_intervals(scheme, intervals)?)
}
