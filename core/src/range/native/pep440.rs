//! PEP 440 specifier sets, with `packaging`'s semantics for `contains(v, prereleases=True)`
//! where PEP 440 and `packaging` agree, and PEP 440's where they differ.
//!
//! `<=`/`>=`/`==` compare public versions (a candidate's local label is ignored unless the
//! specifier has one); `==V.*` and `!=V.*` match by release prefix; `~=V.N` is
//! `>=V.N, ==V.*` (release numbers, so `~=2.011.7` is `~=2.11.7`). The exclusive
//! comparisons follow PEP 440's words, "of the specified version":
//!
//! - `<V` holds no pre-release of V itself unless V is one: `<1.0` excludes `1.0a1` and
//!   `1.0.dev0`; `<1.0.post1` holds `1.0` and `1.0.post0` and excludes `1.0.post1.dev0`.
//! - `>V` holds no local version of V and, unless V is a post-release, no post-release of V:
//!   `>1.0` excludes `1.0+local` and `1.0.post1`; `>1.0a1` excludes `1.0a1+local` and
//!   `1.0a1.post0` and holds `1.0a2`; `>1.0.post1` excludes `1.0.post1+local`.
//! - `===V` is case-insensitive string equality with no normalisation of V: it holds the
//!   versions whose normalised spelling is V (`===1.0` holds `1.0` and `v1.0`, not `1.0.0`
//!   nor `1.0+local`); a V that is no version's normalised spelling (`===foobar`,
//!   `===1.0alpha1`) holds no version.
//!
//! Where `packaging` 24.2 differs (recorded in README.md and as named rules in
//! tests/oracles/differential.py): its `<V` also excludes the pre-releases of V's *base
//! release* (`<1.0.post1` excludes `1.0a1` and `1.0.post0.dev0`), its `>V` also excludes
//! every post-release (unless V is one) and every local version of V's base release (`>1.0a1`
//! excludes `1.0a2+local` and `1.0.post1`). Those sets are not finitely many intervals.
//!
//! A candidate that is not a PEP 440 version (`foobar`) is an error, as in `packaging`
//! (`InvalidVersion`): a range is a set of versions, so `===foobar` holds none, although
//! PEP 440 lets such a specifier match the string `foobar`. The interval algebra treats a
//! `===V` point as V's equality class (its complement excludes `1.0.0` as well).
//!
//! Bounds are real versions where one exists (`<1.0` is `<1.0.dev0`, `<=1.0` is
//! `<1.0.post0.dev0` so that `1.0+local` is in, `>1.0a1` is `>=1.0a2.dev0`), so the canonical
//! `vers:` text is exact. Only `>V` with a final V needs a bound no version spells (above
//! every post and local release of V); it displays as `>V`, which as `vers:` would also admit
//! those post/local releases.

use super::{interval, syntax, version, Fail};
use crate::range::{Interval, Range};
use crate::version::{Marker, Pep440Version, Scheme, Version};

fn bound(text: &str, value: Pep440Version) -> Version {
    Version::pep440_bound(text, value)
}

/// A real version as a bound (it displays as itself).
fn real(value: &Pep440Version) -> Version {
    Version::pep440_bound(&value.to_string(), value.clone())
}

fn pypi_range(intervals: Vec<Interval>) -> Result<Range, Fail> {
    Ok(Range::from_intervals(Scheme::Pypi, intervals)?)
}

/// The versions one specifier allows, as intervals. `spec` is a slice of `input`.
fn specifier(input: &str, spec: &str) -> Result<Vec<Interval>, Fail> {
    let spec = spec.trim();
    let at = crate::span::offset_in(input, spec).unwrap_or(0);
    let (op, rest) = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"]
        .iter()
        .find_map(|op| spec.strip_prefix(op).map(|rest| (*op, rest.trim())))
        .ok_or_else(|| syntax(at, "a specifier starts with ~= == != <= >= < > or ==="))?;
    if op == "===" {
        return arbitrary(rest, at);
    }
    if rest.starts_with(['<', '>', '=', '!', '~']) {
        return Err(syntax(at, format!("unexpected operator after {op}")));
    }
    let (text, wildcard) = match rest.strip_suffix(".*") {
        Some(prefix) if matches!(op, "==" | "!=") => (prefix, true),
        Some(_) => {
            return Err(syntax(
                at,
                format!("`.*` is allowed only with == and !=, not {op}"),
            ));
        }
        None => (rest, false),
    };
    let version = version(Scheme::Pypi, input, text, at)?;
    let v = version
        .as_pep440()
        .ok_or_else(|| syntax(at, "not a PEP 440 version"))?
        .clone();
    if v.has_local() && !matches!(op, "==" | "!=") {
        return Err(syntax(
            at,
            format!("a local version is not allowed with {op}"),
        ));
    }
    // `==V.*`: [first of release V, first of the next release at V's last component).
    let prefix_range = || {
        let next = v.bump(v.release().len() - 1);
        vec![interval(
            Some((real(&v.first_of_release()), true)),
            Some((real(&next.first_of_release()), false)),
        )]
    };
    // `==V`: V and (when V has no local label) every local variant of V.
    let equal = || {
        if v.has_local() {
            vec![interval(
                Some((version.clone(), true)),
                Some((version.clone(), true)),
            )]
        } else {
            vec![interval(
                Some((version.clone(), true)),
                Some((real(&v.after_locals()), false)),
            )]
        }
    };
    Ok(match (op, wildcard) {
        ("==", true) => prefix_range(),
        ("!=", true) => pypi_range(prefix_range())?
            .complement()
            .intervals()
            .to_vec(),
        ("==", _) => equal(),
        ("!=", _) => pypi_range(equal())?.complement().intervals().to_vec(),
        (">=", _) => vec![interval(Some((version.clone(), true)), None)],
        // Public versions up to V: V's local variants are in.
        ("<=", _) => vec![interval(None, Some((real(&v.after_locals()), false)))],
        // Below V and below V's own pre-releases (unless V is itself a pre-release).
        ("<", _) => vec![interval(
            None,
            Some((real(&v.below_own_prereleases()), false)),
        )],
        // Above V, V's own local versions and (unless V is a post-release) V's own posts.
        (">", _) => {
            let lower = if v.is_prerelease() || v.is_postrelease() {
                let next = v
                    .above_own_posts_and_locals()
                    .ok_or_else(|| syntax(at, "a number in the version is too large for >"))?;
                (real(&next), true)
            } else {
                (bound(text, v.marked(Marker::MaxOfRelease)), false)
            };
            vec![interval(Some(lower), None)]
        }
        ("~=", _) => {
            if v.release().len() < 2 {
                return Err(syntax(at, "~= needs at least two release components"));
            }
            let prefix = v.bump(v.release().len() - 2);
            vec![interval(
                Some((version.clone(), true)),
                Some((real(&prefix.first_of_release()), false)),
            )]
        }
        _ => return Err(syntax(at, format!("unknown operator {op}"))),
    })
}

/// `===V`: the versions whose normalised spelling is V, compared without case. `rest` is
/// V (trimmed); as in `packaging`, it is any text without white space,
/// `;` or `)`, the empty text included.
fn arbitrary(rest: &str, at: usize) -> Result<Vec<Interval>, Fail> {
    if rest.contains(|c: char| c.is_whitespace() || c == ';' || c == ')') {
        return Err(syntax(
            at,
            "=== takes one word without white space, `;` or `)`",
        ));
    }
    let Ok(v) = Pep440Version::parse(rest) else {
        return Ok(Vec::new());
    };
    if v.to_string() != rest.to_ascii_lowercase() {
        // No version is spelled so once normalised (`===1.0alpha1`, `===V1.0`).
        return Ok(Vec::new());
    }
    let point = Version::pep440_bound(&v.to_string(), v.marked(Marker::Spelled));
    Ok(vec![interval(
        Some((point.clone(), true)),
        Some((point, true)),
    )])
}

pub(super) fn parse(input: &str) -> Result<Range, Fail> {
    if input.trim().is_empty() {
        return Ok(Range::all(Scheme::Pypi));
    }
    let allowed = input
        .split(',')
        .map(|spec| pypi_range(specifier(input, spec)?))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Range::intersection_of(Scheme::Pypi, &allowed)?)
}

#[cfg(test)]
mod tests {
    use crate::range::parse_range;
    use crate::version::{Scheme, Version};
    use proptest::prelude::*;

    fn contains(range: &str, version: &str) -> bool {
        parse_range(Scheme::Pypi, range)
            .unwrap_or_else(|e| panic!("{range}: {e}"))
            .contains_text(version)
            .unwrap_or_else(|e| panic!("{version}: {e}"))
    }

    fn check(cases: &[(&str, &str, bool)]) {
        for &(range, version, expected) in cases {
            assert_eq!(contains(range, version), expected, "{version} in {range}");
        }
    }

    #[test]
    fn less_than_excludes_only_the_pre_releases_of_the_version_itself() {
        check(&[
            ("<1.0", "1.0a1", false),
            ("<1.0", "1.0.dev0", false),
            ("<1.0", "0.9.post1", true),
            ("<1.0", "0.9+local", true),
            ("<1.0rc1", "1.0a1", true),
            ("<1.0.post1", "1.0", true),
            ("<1.0.post1", "1.0+local", true),
            ("<1.0.post1", "1.0.post0", true),
            ("<1.0.post1", "1.0.post0+local", true),
            ("<1.0.post1", "1.0.post1.dev0", false),
            ("<1.0.post1", "1.0.post1", false),
            ("<1.0.post1", "1.0a1", true), // packaging 24.2: false (base-release rule)
            ("<1.0.post1.dev2", "1.0.post1.dev1", true),
        ]);
    }

    #[test]
    fn greater_than_excludes_the_versions_own_posts_and_locals() {
        check(&[
            (">1.0", "1.0+local", false),
            (">1.0", "1.0.post1", false),
            (">1.0", "1.0.1.dev0", true),
            (">1.0a1", "1.0a1+local", false),
            (">1.0a1", "1.0a1.post0", false),
            (">1.0a1", "1.0a1.post3.dev1+x", false),
            (">1.0a1", "1.0a2.dev0", true),
            (">1.0a1", "1.0a2", true),
            (">1.0a1", "1.0", true),
            (">1.0a1", "1.0.post1", true),   // packaging 24.2: false
            (">1.0a1", "1.0a2+local", true), // packaging 24.2: false
            (">1.0.post1", "1.0.post1+local", false),
            (">1.0.post1", "1.0.post2.dev0", true),
            (">1.0.post1", "1.0.post2", true),
            (">1.0.dev1", "1.0.dev1+local", false),
            (">1.0.dev1", "1.0.dev2", true),
            (">1.0.dev1", "1.0a1", true),
            (">1.0a1.post1", "1.0a1.post1+x", false),
            (">1.0a1.post1", "1.0a1.post2", true),
            (">1.0rc18446744073709551615", "1.0", true),
            (">1.0a18446744073709551615", "1.0b0.dev0", true),
        ]);
    }

    #[test]
    fn arbitrary_equality_compares_the_normalised_spelling_without_case() {
        check(&[
            ("===1.0", "1.0", true),
            ("===1.0", "v1.0", true),
            ("===1.0", "1.0.0", false),
            ("===1.0", "1", false),
            ("===1.0", "1.0+local", false),
            ("===1.0.0", "1.0", false),
            ("===1.0+LOCAL", "1.0+local", true),
            ("===1.0A1", "1.0a1", true),
            ("===1.0alpha1", "1.0a1", false),
            ("===V1.0", "1.0", false),
            ("===01.0", "1.0", false),
            ("===0!1.0", "1.0", false),
            ("===1!1.0", "1!1.0", true),
            ("=== 1.0", "1.0", true),
            ("===foobar", "1.0", false),
            ("===", "1.0", false),
            ("===1.0,>=0.5", "1.0", true),
            ("===1.0,>=0.5", "1.0.0", false),
            ("===1.0,!=1.0", "1.0", false),
        ]);
        // A candidate that is not a version is an error, as in packaging (InvalidVersion).
        let range = parse_range(Scheme::Pypi, "===foobar").unwrap();
        assert!(range.is_empty());
        assert!(range.contains_text("foobar").is_err());
        for bad in ["===1.0 x", "===a;b", "===a)b"] {
            assert!(parse_range(Scheme::Pypi, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn compatible_release_reads_release_numbers_not_their_spelling() {
        check(&[
            ("~=2.011.7", "2.011.7", true),
            ("~=2.011.7", "2.11.9", true),
            ("~=2.011.7", "2.12", false),
            ("~=2.011.7", "2.11.6", false),
            ("~=1.0a1", "1.0", true),
            ("~=1.0a1", "2.0", false),
        ]);
    }

    /// A generated version: its parts, and its normalised spelling.
    #[derive(Debug, Clone)]
    struct Parts {
        epoch: u64,
        release: Vec<u64>,
        pre: Option<(&'static str, u64)>,
        post: Option<u64>,
        dev: Option<u64>,
        local: Option<&'static str>,
    }

    impl Parts {
        fn text(&self) -> String {
            let epoch = if self.epoch > 0 {
                format!("{}!", self.epoch)
            } else {
                String::new()
            };
            let release: Vec<String> = self.release.iter().map(u64::to_string).collect();
            let pre = self.pre.map(|(kind, n)| format!("{kind}{n}"));
            let post = self.post.map(|n| format!(".post{n}"));
            let dev = self.dev.map(|n| format!(".dev{n}"));
            let local = self.local.map(|l| format!("+{l}"));
            [Some(epoch), Some(release.join(".")), pre, post, dev, local]
                .into_iter()
                .flatten()
                .collect()
        }

        fn public(&self) -> Parts {
            Parts {
                local: None,
                ..self.clone()
            }
        }

        fn version(&self) -> Version {
            Version::parse(Scheme::Pypi, &self.text()).unwrap()
        }

        fn same_base(&self, other: &Parts) -> bool {
            let base = |p: &Parts| Parts {
                epoch: p.epoch,
                release: p.release.clone(),
                pre: None,
                post: None,
                dev: None,
                local: None,
            };
            base(self).version() == base(other).version()
        }

        fn is_prerelease(&self) -> bool {
            self.pre.is_some() || self.dev.is_some()
        }
    }

    fn parts(local: bool) -> impl Strategy<Value = Parts> {
        (
            prop_oneof![4 => Just(0u64), 1 => Just(1u64)],
            prop::collection::vec(0u64..3, 1..4),
            prop::option::of((prop::sample::select(vec!["a", "b", "rc"]), 0u64..3)),
            prop::option::of(0u64..3),
            prop::option::of(0u64..3),
            prop::option::of(prop::sample::select(vec!["local", "1", "abc.5"])),
        )
            .prop_map(move |(epoch, release, pre, post, dev, l)| Parts {
                epoch,
                release,
                pre,
                post,
                dev,
                local: l.filter(|_| local),
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// `<V`: below V, but no pre-release of V itself unless V is one.
        #[test]
        fn less_than_rule(v in parts(false), c in parts(true)) {
            let own_prerelease = !v.is_prerelease()
                && c.is_prerelease()
                && c.same_base(&v)
                && (v.post.is_none() || (c.pre.is_none() && c.post == v.post));
            let expected = c.version() < v.version() && !own_prerelease;
            prop_assert_eq!(contains(&format!("<{}", v.text()), &c.text()), expected);
        }

        /// `>V`: above V, but no local version of V and (unless V is one, or a development
        /// release) no post-release of V.
        #[test]
        fn greater_than_rule(v in parts(false), c in parts(true)) {
            let own_local = c.local.is_some() && c.public().version() == v.version();
            let own_post = v.post.is_none()
                && v.dev.is_none()
                && c.post.is_some()
                && c.same_base(&v)
                && c.pre == v.pre;
            let expected = c.version() > v.version() && !own_local && !own_post;
            prop_assert_eq!(contains(&format!(">{}", v.text()), &c.text()), expected);
        }

        /// `===V`: the candidate's normalised spelling is V, without case; V with trailing
        /// zeros added (an equal version) is another spelling.
        #[test]
        fn arbitrary_equality_rule(
            v in parts(true),
            c in parts(true),
            upper in any::<bool>(),
            zeros in 0usize..3,
        ) {
            let spec = format!("==={}", if upper { v.text().to_uppercase() } else { v.text() });
            prop_assert_eq!(contains(&spec, &c.text()), c.text() == v.text());
            let mut padded = v.clone();
            padded.release.extend(std::iter::repeat_n(0, zeros));
            prop_assert_eq!(padded.version(), v.version());
            prop_assert_eq!(contains(&spec, &padded.text()), zeros == 0);
        }
    }
}
