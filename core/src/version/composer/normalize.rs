//! Composer's `VersionParser::normalize` (composer/semver 3.x), producing the parts PHP's
//! `version_compare` sees in the normalised string, without building that string.
//!
//! What it does, in Composer's order: strip an `@stability` flag; reject branches (`dev-*`,
//! `master`, `trunk`, `default`), which Composer never orders; strip `+build` metadata;
//! then match the classical form `v?N(.N){0,3}` padded to four numbers (`2` → `2.0.0.0`),
//! else the date form (`2023-01-01`), each followed by Composer's modifier (`-alpha1`, `-RC`,
//! `.patch2`, `-stable`, `-dev`); else a numeric branch (`1.x-dev`, whose `x` is 9999999).
//! Stability words are expanded (`a` → `alpha`, `b` → `beta`, `p`/`pl` → `patch`, `rc` →
//! `RC`); `-stable` (lower case) is dropped. What Composer rejects is an error, with the
//! reason ([`diagnose`]); advisories, which carry such versions (`3.1.0.post1`), ask for it
//! to be read leniently instead (see [`read_leniently`]).

use super::{special_rank, Part, Parts};
use crate::version::parsing::Run;

/// Why a version has no place in the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Rejected {
    /// A branch name: Composer never orders branches against versions.
    Branch,
    /// Not even a number first.
    Invalid,
    /// A number first, but not a shape `VersionParser::normalize` takes (`1.0.0.0.0`,
    /// `1..0`, `3.1.0.post1`): an error in the composer scheme; advisories, which carry such
    /// versions, read them leniently (see [`read_leniently`]). Where the problem starts and what it
    /// is.
    Unnormalizable(usize, String),
}

/// The stability words of Composer's `modifierRegex`, in its alternation order.
const STABILITIES: [&str; 9] = [
    "stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p",
];

/// A matched modifier: the stability word as written, the digits after it, and `-dev`.
struct Modifier<'a> {
    stability: Option<&'a str>,
    digits: &'a str,
    dev: bool,
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// `(?:[.-]?\d+)*+`: possessive, so the longest run, never given back.
fn digit_groups(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    loop {
        let start = if matches!(bytes.get(at), Some(b'.' | b'-')) {
            at + 1
        } else {
            at
        };
        let digits = bytes[start.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            return at;
        }
        at = start + digits;
    }
}

/// `[._-]?(?:(stability)((?:[.-]?\d+)*+)?)?([.-]?dev)?$`, ignoring case, tried in PCRE's
/// order (greedy optional parts first, stability words in alternation order).
fn modifier(text: &str) -> Option<Modifier<'_>> {
    if text.is_empty() {
        return Some(Modifier {
            stability: None,
            digits: "",
            dev: false,
        });
    }
    let separators: &[usize] = if matches!(text.as_bytes().first(), Some(b'.' | b'_' | b'-')) {
        &[1, 0]
    } else {
        &[0]
    };
    for &skip in separators {
        let rest = &text[skip..];
        let stabilities = STABILITIES
            .iter()
            .filter(|word| starts_with_ignore_case(rest, word))
            .map(|word| Some(&rest[..word.len()]))
            .chain(std::iter::once(None));
        for stability in stabilities {
            let after_word = &rest[stability.map_or(0, str::len)..];
            let digits_len = if stability.is_some() {
                digit_groups(after_word)
            } else {
                0
            };
            let after_digits = &after_word[digits_len..];
            let dev_forms: [Option<&str>; 2] = [
                after_digits
                    .strip_prefix(['.', '-'])
                    .filter(|tail| tail.eq_ignore_ascii_case("dev")),
                after_digits.eq_ignore_ascii_case("dev").then_some(""),
            ];
            if dev_forms.iter().any(Option::is_some) || after_digits.is_empty() {
                return Some(Modifier {
                    stability,
                    digits: &after_word[..digits_len],
                    dev: !after_digits.is_empty(),
                });
            }
        }
    }
    None
}

/// The digits of `text` split at every non-digit (as PHP's canonical form splits them).
fn numbers(text: &str, parts: &mut Parts) {
    for run in text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|r| !r.is_empty())
    {
        parts.push(Part::number(run));
    }
}

/// Appends the parts of a matched modifier (nothing for `-stable`).
fn push_modifier(modifier: &Modifier<'_>, parts: &mut Parts) {
    if let Some(word) = modifier.stability {
        // Composer compares the captured word with `stable` case-sensitively.
        if word == "stable" {
            return;
        }
        let is = |forms: &[&str]| forms.iter().any(|f| f.eq_ignore_ascii_case(word));
        let expanded: &[u8] = if is(&["a", "alpha"]) {
            b"alpha"
        } else if is(&["b", "beta"]) {
            b"beta"
        } else if is(&["p", "pl", "patch"]) {
            b"patch"
        } else if is(&["rc"]) {
            b"RC"
        } else {
            b"stable"
        };
        parts.push(Part::Word(special_rank(expanded)));
        numbers(modifier.digits, parts);
    }
    if modifier.dev {
        parts.push(Part::Word(special_rank(b"dev")));
    }
}

/// The commonest version, one to four dot-separated numbers of up to 18 digits (the first of
/// up to 5), after an optional `v`, padded to four parts as [`classical`] pads them; `None`
/// for any other shape.
#[allow(clippy::inline_always)] // returned through memory otherwise (see `version::atom`)
#[inline(always)]
pub(super) fn dotted_numbers(bytes: &[u8]) -> Option<Parts> {
    let bytes = match bytes {
        [b'v' | b'V', rest @ ..] => rest,
        _ => bytes,
    };
    let mut parts = Parts::new();
    let (mut value, mut digits) = (0u64, 0usize);
    for &b in bytes {
        let digit = b.wrapping_sub(b'0');
        if digit < 10 {
            value = value * 10 + u64::from(digit);
            digits += 1;
            if digits > 18 || (parts.is_empty() && digits > 5) {
                return None;
            }
        } else if b == b'.' && digits > 0 && parts.len() < 3 {
            parts.push(Part::Number(value));
            (value, digits) = (0, 0);
        } else {
            return None;
        }
    }
    if digits == 0 {
        return None;
    }
    parts.push(Part::Number(value));
    while parts.len() < 4 {
        parts.push(Part::Number(0));
    }
    Some(parts)
}

/// `^v?(\d{1,5})(\.\d++)?(\.\d++)?(\.\d++)?` + modifier: the four numbers, padded.
fn classical(text: &str, parts: &mut Parts) -> bool {
    let body = text.strip_prefix(['v', 'V']).unwrap_or(text);
    let bytes = body.as_bytes();
    let major = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if major == 0 || major > 5 {
        return false;
    }
    let mut at = major;
    let mut spans = [(0, major); 4];
    let mut count = 1;
    while count < 4 && bytes.get(at) == Some(&b'.') {
        let digits = bytes[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            break;
        }
        spans[count] = (at + 1, at + 1 + digits);
        count += 1;
        at += 1 + digits;
    }
    let Some(modifier) = modifier(&body[at..]) else {
        return false;
    };
    for &(start, end) in &spans[..count] {
        parts.push(Part::number(&body[start..end]));
    }
    for _ in count..4 {
        parts.push(Part::Number(0));
    }
    push_modifier(&modifier, parts);
    true
}

/// Where `\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?` can end in `bytes`, in the order PCRE
/// tries them (greedy: more repetitions, a separator, more digits first).
fn date_ends(bytes: &[u8]) -> Vec<usize> {
    fn digits_at(bytes: &[u8], at: usize, n: usize) -> bool {
        bytes.len() >= at + n && bytes[at..at + n].iter().all(u8::is_ascii_digit)
    }
    fn separator_choices(bytes: &[u8], at: usize) -> Vec<usize> {
        if matches!(bytes.get(at), Some(b'.' | b':' | b'-')) {
            vec![at + 1, at]
        } else {
            vec![at]
        }
    }
    fn repeat(bytes: &[u8], at: usize, count: usize, out: &mut Vec<usize>) {
        if count < 6 {
            for start in separator_choices(bytes, at) {
                if digits_at(bytes, start, 2) {
                    repeat(bytes, start + 2, count + 1, out);
                }
            }
        }
        if count >= 1 {
            for start in separator_choices(bytes, at) {
                for n in (1..=3).rev() {
                    if digits_at(bytes, start, n) {
                        out.push(start + n);
                    }
                }
            }
            out.push(at);
        }
    }
    let mut out = Vec::new();
    if digits_at(bytes, 0, 4) {
        repeat(bytes, 4, 0, &mut out);
    }
    out
}

/// The date form: its digit groups, then the modifier.
fn date(text: &str, parts: &mut Parts) -> bool {
    let body = text.strip_prefix(['v', 'V']).unwrap_or(text);
    for end in date_ends(body.as_bytes()) {
        if let Some(modifier) = modifier(&body[end..]) {
            numbers(&body[..end], parts);
            push_modifier(&modifier, parts);
            return true;
        }
    }
    false
}

/// `normalizeBranch` of the name before `-dev`: `v?N(.N|.x){0,3}`, `x` being 9999999.
fn numeric_branch(name: &str, parts: &mut Parts) -> bool {
    let body = name.strip_prefix(['v', 'V']).unwrap_or(name);
    let mut pieces = body.split('.');
    let Some(major) = pieces.next() else {
        return false;
    };
    if major.is_empty() || !major.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut found = vec![Part::number(major)];
    for piece in pieces {
        if found.len() == 4 {
            return false;
        }
        found.push(match piece {
            "x" | "X" | "*" => Part::Number(9_999_999),
            digits if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                Part::number(digits)
            }
            _ => return false,
        });
    }
    found.resize(4, Part::Number(9_999_999));
    parts.extend(found);
    parts.push(Part::Word(special_rank(b"dev")));
    true
}

/// Composer's `VersionParser::normalize`, as the parts of the normalised version. With
/// `lenient`, what it rejects but starts with a number is read as advisories need it (see
/// [`read_leniently`]) instead of being an error.
pub(super) fn normalize(text: &str, lenient: bool) -> Result<Parts, Rejected> {
    let mut text = text;
    // An `@stability` flag.
    if let Some(at) = text.bytes().rposition(|b| b == b'@') {
        let flag = &text[at + 1..];
        if ["stable", "RC", "beta", "alpha", "dev"]
            .iter()
            .any(|s| s.eq_ignore_ascii_case(flag))
        {
            text = &text[..at];
        }
    }
    if matches!(text, "master" | "trunk" | "default") || starts_with_ignore_case(text, "dev-") {
        return Err(Rejected::Branch);
    }
    // Build metadata: `^([^,\s+]++)\+[^\s]++$`.
    if let Some(plus) = text.bytes().position(|b| b == b'+') {
        if plus > 0 && !text[..plus].contains(',') && plus + 1 < text.len() {
            text = &text[..plus];
        }
    }
    let mut parts = Parts::new();
    if classical(text, &mut parts) {
        return Ok(parts);
    }
    parts.clear();
    if date(text, &mut parts) {
        return Ok(parts);
    }
    parts.clear();
    // `(.*?)[.-]?dev$`: a numeric branch such as `1.x-dev`.
    if text.len() >= 3 && text.as_bytes()[text.len() - 3..].eq_ignore_ascii_case(b"dev") {
        let name = &text[..text.len() - 3];
        let name = name.strip_suffix(['.', '-']).unwrap_or(name);
        if numeric_branch(name.trim(), &mut parts) {
            return Ok(parts);
        }
    }
    let body = text.strip_prefix(['v', 'V']).unwrap_or(text);
    if !body.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return Err(Rejected::Invalid);
    }
    if lenient {
        read_leniently(text, &mut parts);
        return Ok(parts);
    }
    let (at, why) = diagnose(text);
    Err(Rejected::Unnormalizable(at, why))
}

/// Why `VersionParser::normalize` rejects `text`, a version that starts with a number (after
/// an optional `v`) yet has none of its shapes: the byte where the problem starts and what it
/// is, for the error message.
pub(super) fn diagnose(text: &str) -> (usize, String) {
    let skip = usize::from(text.starts_with(['v', 'V']));
    let bytes = text.as_bytes();
    // The dotted numbers `N(.N)*` at the start.
    let mut numbers = Vec::new();
    let mut at = skip;
    loop {
        let digits = bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            break;
        }
        numbers.push((at, digits));
        at += digits;
        if bytes.get(at) == Some(&b'.') && bytes.get(at + 1).is_some_and(u8::is_ascii_digit) {
            at += 1;
        } else {
            break;
        }
    }
    let rest = &text[at..];
    if numbers.first().is_some_and(|&(_, n)| n > 5) {
        return (
            skip,
            "a first number of more than five digits that is not a date (yyyy-mm-dd); Composer's VersionParser rejects it".into(),
        );
    }
    if numbers.len() > 4 {
        return (
            numbers[4].0 - 1,
            "more than four numbers (1.2.3.4 at most); Composer's VersionParser rejects it".into(),
        );
    }
    if rest.starts_with("..") {
        return (
            at,
            "an empty number between dots; Composer's VersionParser rejects it".into(),
        );
    }
    (
        at,
        format!(
            "suffix {rest:?} is not a Composer stability (-stable, -RC, -beta, -alpha, -patch, \
             optionally numbered, then optionally -dev); Composer's VersionParser rejects it"
        ),
    )
}

/// Versions Composer's parser rejects but advisories and tags carry (`3.1.0.post1`,
/// `0.0.1-test1`, `1.0-1`): the leading numbers padded to four as Composer pads them, then
/// the rest split into runs of digits and of letters as PHP's `version_compare` splits them,
/// so that they sort among normalised versions (`3.0.0b1 < 3.0.0b1.post1 < 3.0.0b2`).
/// The caller has checked that `text` starts with a number (after an optional `v`).
fn read_leniently(text: &str, parts: &mut Parts) {
    let body = text.strip_prefix(['v', 'V']).unwrap_or(text);
    let bytes = body.as_bytes();
    let mut at = 0;
    let mut count = 0;
    while count < 4 {
        let digits = bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        parts.push(Part::number(&body[at..at + digits]));
        count += 1;
        at += digits;
        if bytes.get(at) == Some(&b'.') && bytes.get(at + 1).is_some_and(u8::is_ascii_digit) {
            at += 1;
        } else {
            break;
        }
    }
    for _ in count..4 {
        parts.push(Part::Number(0));
    }
    let rest = &body[at..];
    for run in crate::version::parsing::runs(rest) {
        match run {
            Run::Digits(run) => parts.push(Part::number(run)),
            Run::Letters(run) => parts.push(Part::Word(special_rank(run.as_bytes()))),
            Run::Other(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{classical, dotted_numbers, Parts};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The shortcut for dotted numbers gives the parts the classical rule gives, and
        /// leaves every other shape to the full normalisation.
        #[test]
        fn dotted_numbers_are_what_the_classical_rule_makes(input in "[vV]?[0-9]{0,7}(\\.0{0,2}[0-9]{0,2}){0,5}[a.-]?") {
            if let Some(parts) = dotted_numbers(input.as_bytes()) {
                let mut classical_parts = Parts::new();
                prop_assert!(classical(&input, &mut classical_parts), "{}", input);
                prop_assert_eq!(parts, classical_parts, "{}", input);
            } else {
                let numbers: Vec<&str> = input.trim_start_matches(['v', 'V']).split('.').collect();
                let plain = numbers.len() <= 4
                    && numbers[0].len() <= 5
                    && numbers.iter().all(|n| !n.is_empty() && n.len() <= 18 && n.bytes().all(|b| b.is_ascii_digit()));
                prop_assert!(!plain, "{} has the shortcut's shape", input);
            }
        }
    }
}
