//! The plain-form shortcut (`plain`) against the parser it stands in front of.

use super::*;
use proptest::prelude::*;
use std::cmp::Ordering;

const FAMILY: [Scheme; 5] = [
    Scheme::Semver,
    Scheme::Npm,
    Scheme::Cargo,
    Scheme::Golang,
    Scheme::Hex,
];

#[test]
fn plain_texts_are_read_in_one_pass() {
    let cases = [
        (Scheme::Semver, "1.2.3", (1, 2, 3, "", "")),
        (Scheme::Npm, "v1.2.3", (1, 2, 3, "", "")),
        (Scheme::Npm, "=v 10.20.30-rc.1", (10, 20, 30, "rc.1", "")),
        (
            Scheme::Golang,
            "v0.0.0-2021-a5a9",
            (0, 0, 0, "2021-a5a9", ""),
        ),
        (
            Scheme::Cargo,
            "1.0.0-0a.1+001.x-y",
            (1, 0, 0, "0a.1", "001.x-y"),
        ),
        (
            Scheme::Hex,
            "9999999999999999999.0.0",
            (9_999_999_999_999_999_999, 0, 0, "", ""),
        ),
    ];
    for (scheme, text, (major, minor, patch, pre, build)) in cases {
        let expected = Parts {
            major,
            minor,
            patch,
            pre,
            build,
        };
        assert_eq!(
            plain::parts(scheme, text).as_ref(),
            Some(&expected),
            "{text}"
        );
        assert_eq!(Parts::parse_fully(scheme, text), Ok(expected), "{text}");
    }
}

#[test]
fn everything_else_is_left_to_the_parser() {
    let cases = [
        // Valid, but not plain: the parser reads them.
        (Scheme::Npm, " 1.2.3 ", true),
        (Scheme::Golang, "v1", true),
        (Scheme::Golang, "v1.2", true),
        (Scheme::Semver, "18446744073709551615.0.0", true),
        // Invalid: the parser says why.
        (Scheme::Semver, "v1.2.3", false),
        (Scheme::Npm, "01.2.3", false),
        (Scheme::Npm, "1.2.3-01", false),
        (Scheme::Npm, "1.2.3-a..b", false),
        (Scheme::Npm, "1.2.3+", false),
        (Scheme::Npm, "1.2.3-é", false),
        (Scheme::Npm, "1.2", false),
        (Scheme::Npm, "1.2.3.4", false),
        (Scheme::Semver, "18446744073709551616.0.0", false),
        (Scheme::Npm, "", false),
    ];
    for (scheme, text, valid) in cases {
        assert_eq!(plain::parts(scheme, text), None, "{text}");
        assert_eq!(Parts::parse_fully(scheme, text).is_ok(), valid, "{text}");
    }
}

/// Texts near the SemVer grammar: its separators, prefixes and words, numbers with leading
/// zeros and around the 19/20-digit edge, white space and a non-ASCII letter.
fn semverish_text() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        4 => "[0-9]{1,3}",
        1 => "0[0-9]{1,2}",
        1 => "[1-9][0-9]{17,20}",
        4 => Just(".".to_owned()),
        2 => Just("-".to_owned()),
        1 => Just("+".to_owned()),
        1 => prop::sample::select(vec!["v", "=", " ", "\t", "é", "_", "alpha", "rc", "x-y", "A"])
            .prop_map(str::to_owned),
    ];
    prop::collection::vec(atom, 1..10).prop_map(|parts| parts.concat())
}

/// Well-formed versions with what may surround them, so that most are plain.
fn semver_text() -> impl Strategy<Value = String> {
    // Mostly short numbers, some around the 19/20-digit edge of the shortcut and of u64.
    let number = prop_oneof![
        6 => "0|[1-9][0-9]{0,2}",
        // Around the end of the 16-byte window the numbers are compared in.
        1 => "[1-9][0-9]{3,7}",
        1 => "[1-9][0-9]{17,20}",
        1 => Just("18446744073709551615".to_owned()),
        1 => Just("18446744073709551616".to_owned()),
    ];
    versions_of(number.boxed(), "[0-9]{1,3}|[0-9A-Za-z-]{1,5}".boxed())
}

/// Versions from a few numbers and identifiers, so that two of them often share their
/// numbers and are ordered by their pre-release identifiers.
fn close_semver_text() -> impl Strategy<Value = String> {
    let ident = prop::sample::select(vec![
        "0", "1", "2", "10", "9", "a", "b", "alpha", "rc", "-", "1a",
    ]);
    versions_of("[0-2]".boxed(), ident.prop_map(str::to_owned).boxed())
}

/// `PREFIX MAJOR.MINOR.PATCH[-PRE][+BUILD] SUFFIX` from the given numbers and identifiers.
fn versions_of(
    number: BoxedStrategy<String>,
    ident: BoxedStrategy<String>,
) -> impl Strategy<Value = String> {
    (
        "|v|=|v=|= v| ",
        (number.clone(), number.clone(), number),
        prop::option::of(prop::collection::vec(ident.clone(), 1..4)),
        prop::option::of(prop::collection::vec(ident, 1..3)),
        "| |\t",
    )
        .prop_map(|(prefix, (x, y, z), pre, build, suffix)| {
            let mut text = format!("{prefix}{x}.{y}.{z}");
            if let Some(pre) = pre {
                text = format!("{text}-{}", pre.join("."));
            }
            if let Some(build) = build {
                text = format!("{text}+{}", build.join("."));
            }
            text + &suffix
        })
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![semverish_text(), semver_text(), close_semver_text()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(4000), ..ProptestConfig::default() })]

    /// The shortcut never decides what the parser would decide otherwise: whatever it reads,
    /// the parser reads alike, part for part; whatever it declines, the parser decides
    /// (accepting or rejecting, with its error).
    #[test]
    fn plain_reads_as_the_parser_reads(text in any_text()) {
        for scheme in FAMILY {
            let fully = Parts::parse_fully(scheme, &text);
            if let Some(parts) = plain::parts(scheme, &text) {
                prop_assert_eq!(Ok(&parts), fully.as_ref(), "{} {:?}", scheme, text);
            }
            prop_assert_eq!(Parts::parse(scheme, &text), fully);
        }
    }

    /// Comparing texts answers as parsing both and comparing the versions, or fails as the
    /// first parse that fails.
    #[test]
    fn compare_texts_answers_as_parsed_versions(a in any_text(), b in any_text()) {
        for scheme in FAMILY {
            let by_parse = SemanticVersion::parse(scheme, &a)
                .and_then(|x| Ok(x.cmp(&SemanticVersion::parse(scheme, &b)?)));
            prop_assert_eq!(SemanticVersion::compare_texts(scheme, &a, &b), by_parse);
        }
    }

    /// The side-by-side walk orders two texts as parsing both and comparing their parts
    /// would, and answers exactly when both texts are plain.
    #[test]
    fn plain_compares_as_the_parser_orders(a in any_text(), b in any_text()) {
        for scheme in FAMILY {
            let by_parse = match (Parts::parse_fully(scheme, &a), Parts::parse_fully(scheme, &b)) {
                (Ok(x), Ok(y)) => Some(precedence(x.order_key(), y.order_key())),
                _ => None,
            };
            let both_plain =
                plain::parts(scheme, &a).is_some() && plain::parts(scheme, &b).is_some();
            let walked = plain::compare(scheme, &a, &b);
            prop_assert_eq!(walked.is_some(), both_plain, "{} {:?} {:?}", scheme, a, b);
            if walked.is_some() {
                prop_assert_eq!(walked, by_parse, "{} {:?} {:?}", scheme, a, b);
            }
        }
    }
}

/// What a plain version's accessors say.
fn fields(v: PlainVersion<'_>) -> (u64, u64, u64, &[u8]) {
    (v.major(), v.minor(), v.patch(), v.pre())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000), ..ProptestConfig::default() })]

    /// A version read in place from the start of a buffer (what a batch reads before its
    /// line is cut) is the whole text's plain reading when a separator follows it: the same
    /// parts, the same order as the parsed versions, and declined exactly when the text
    /// alone would be.
    #[test]
    fn plain_versions_read_in_place_are_the_texts_read_whole(
        a in any_text(),
        b in any_text(),
        separator in prop::sample::select(vec![b'\t', b'\n', b'\r']),
        rest in "[ -~\t]{0,8}",
    ) {
        for scheme in FAMILY {
            let mut buffer = a.as_bytes().to_vec();
            buffer.push(separator);
            buffer.extend_from_slice(rest.as_bytes());
            let read = PlainVersion::read(scheme, &buffer);
            if let Some(whole) = plain::parts(scheme, &a) {
                prop_assert_eq!(
                    read.map(|(v, len)| (fields(v), len)),
                    Some(((whole.major, whole.minor, whole.patch, whole.pre.as_bytes()), a.len())),
                    "{} {:?}", scheme, buffer
                );
            }
            // Whatever is read is a prefix that is plain on its own, up to a byte that
            // cannot continue it.
            if let Some((v, len)) = read {
                let prefix = std::str::from_utf8(&buffer[..len]).unwrap();
                let whole = plain::parts(scheme, prefix);
                prop_assert_eq!(
                    whole.map(|p| (p.major, p.minor, p.patch, p.pre.as_bytes())),
                    Some(fields(v)),
                    "{} {:?}", scheme, buffer
                );
            }
            // Only a reading of all of `a` orders as `a`: a shorter one (`0.0.0` of `0.0.0.`)
            // is a prefix the batch declines, since no separator follows it.
            let whole_a = read.filter(|(_, len)| *len == a.len());
            let whole_b = PlainVersion::read(scheme, b.as_bytes()).filter(|(_, len)| *len == b.len());
            let Some(((x, _), (y, _))) = whole_a.zip(whole_b) else {
                continue;
            };
            let parsed = SemanticVersion::compare_texts(scheme, &a, &b);
            prop_assert_eq!(Ok(x.cmp(&y)), parsed, "{} {:?} {:?}", scheme, a, b);
        }
        for scheme in [Scheme::Pypi, Scheme::Deb, Scheme::Maven] {
            prop_assert!(PlainVersion::read(scheme, a.as_bytes()).is_none());
        }
    }
}

/// Two versions written `A<TAB>B<LF>` at the start of `bytes`, read one after the other
/// by `PlainVersion::read` and ordered: the order, the length through the newline, and the
/// two texts.
fn pair_read_one_by_one(scheme: Scheme, bytes: &[u8]) -> Option<(Ordering, usize, &[u8], &[u8])> {
    let (a, a_len) = PlainVersion::read(scheme, bytes)?;
    (bytes.get(a_len) == Some(&b'\t')).then_some(())?;
    let rest = &bytes[a_len + 1..];
    let (b, b_len) = PlainVersion::read(scheme, rest)?;
    (rest.get(b_len) == Some(&b'\n')).then_some(())?;
    Some((
        a.cmp(&b),
        a_len + b_len + 2,
        &bytes[..a_len],
        &rest[..b_len],
    ))
}

/// Texts of a batch line's pairs: most without the prefix and the white space around them
/// (so that the pair's word path reads them), some as they come.
fn pair_text() -> impl Strategy<Value = String> {
    let bare = any_text().prop_map(|text| {
        text.trim_start_matches(['v', '=', ' '])
            .trim_end()
            .to_owned()
    });
    prop_oneof![3 => bare, 1 => any_text()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(3000), ..ProptestConfig::default() })]

    /// A pair of versions compared in place (numbers a word at a time when they end in
    /// their first eight bytes) answers as the two read one after the other, and as the
    /// parser orders the two texts; the word path answers only where the reading does.
    #[test]
    fn pairs_compare_as_read_one_by_one(
        a in pair_text(),
        b in pair_text(),
        between in prop::sample::select(vec![b'\t', b'\t', b'\t', b' ', b'\n']),
        after in prop::sample::select(vec![b'\n', b'\n', b'\n', b'\t', b'\r']),
        rest in "[ -~\t\n]{0,12}",
    ) {
        let mut buffer = a.as_bytes().to_vec();
        buffer.push(between);
        buffer.extend_from_slice(b.as_bytes());
        buffer.push(after);
        buffer.extend_from_slice(rest.as_bytes());
        for scheme in FAMILY {
            let expected = pair_read_one_by_one(scheme, &buffer);
            let pair = PlainVersion::compare_pair(scheme, &buffer, b'\t', b'\n');
            prop_assert_eq!(pair, expected.map(|(order, len, ..)| (order, len)), "{} {:?}", scheme, buffer);
            if let Some(short) = plain::short_pair(&buffer, b'\t', b'\n') {
                prop_assert_eq!(
                    Some(short),
                    expected.map(|(order, len, ..)| (order, len)),
                    "{} {:?}", scheme, buffer
                );
            }
            if let Some((order, _, x, y)) = expected {
                let (x, y) = (std::str::from_utf8(x).unwrap(), std::str::from_utf8(y).unwrap());
                prop_assert_eq!(Ok(order), SemanticVersion::compare_texts(scheme, x, y), "{} {:?}", scheme, buffer);
            }
        }
        for scheme in [Scheme::Pypi, Scheme::Deb, Scheme::Maven] {
            prop_assert!(PlainVersion::compare_pair(scheme, &buffer, b'\t', b'\n').is_none());
        }
    }
}

/// The pair's word path is taken by short versions, with and without pre-release and build,
/// and declines what it cannot read whole.
#[test]
fn short_pairs_are_read_a_word_at_a_time() {
    type Answer = Option<(Ordering, usize)>;
    let cases: [(&[u8], Answer); 9] = [
        (b"4.17.21\t4.2.0\nnext line", Some((Ordering::Greater, 14))),
        (b"1.2.3\t1.2.3\nmorenext line", Some((Ordering::Equal, 12))),
        (b"1.2.3-rc.1\t1.2.3\nnext line", Some((Ordering::Less, 17))),
        (
            b"1.2.3-rc.10\t1.2.3-rc.9+b\nnext line",
            Some((Ordering::Greater, 25)),
        ),
        (b"0.0.9\t0.0.10\nnext line", Some((Ordering::Less, 13))),
        (b"9.9.9\t10.0.0\nnext line", Some((Ordering::Less, 13))),
        // Too short to load B's word (the lines after it complete it in a batch), a leading
        // zero, a missing newline.
        (b"1.2.3\t1.2.3\n", None),
        (b"1.02.3\t1.2.3\nnext line", None),
        (b"1.2.3\t1.2.3 \n.......", None),
    ];
    for (bytes, expected) in cases {
        assert_eq!(
            plain::short_pair(bytes, b'\t', b'\n'),
            expected,
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
        // What the word path declines, the two readings answer (`1.2.3\t1.2.3\n`: equal).
        let by_reads =
            pair_read_one_by_one(Scheme::Npm, bytes).map(|(order, len, ..)| (order, len));
        assert_eq!(
            PlainVersion::compare_pair(Scheme::Npm, bytes, b'\t', b'\n'),
            by_reads
        );
        if expected.is_some() {
            assert_eq!(by_reads, expected);
        }
    }
    assert_eq!(
        PlainVersion::compare_pair(Scheme::Npm, b"1.2.3\t1.2.3\n", b'\t', b'\n'),
        Some((Ordering::Equal, 12))
    );
    // What the word path declines, the reading answers: a prefix, a long number.
    assert_eq!(
        PlainVersion::compare_pair(Scheme::Npm, b"v1.2.3\t1.2.3\n", b'\t', b'\n'),
        Some((Ordering::Equal, 13))
    );
    assert_eq!(
        PlainVersion::compare_pair(Scheme::Npm, b"1.2.12345678\t1.2.3\n", b'\t', b'\n'),
        Some((Ordering::Greater, 19))
    );
}

/// Every pair of versions from numbers at the edges of a digit count (0, 1, 9, 10, 99, 100),
/// with and without a pre-release, compared on the word path: answered exactly when both
/// versions' numbers end in their first eight bytes (288 of the 432 versions), and then as
/// the parser orders them.
#[test]
fn short_pairs_order_as_parsed() {
    let numbers = ["0", "1", "9", "10", "99", "100"];
    let mut versions = Vec::new();
    for x in numbers {
        for y in numbers {
            for z in numbers {
                for pre in ["", "-rc.1"] {
                    versions.push(format!("{x}.{y}.{z}{pre}"));
                }
            }
        }
    }
    let mut answered = 0;
    let mut line = Vec::new();
    for a in &versions {
        for b in &versions {
            line.clear();
            line.extend_from_slice(format!("{a}\t{b}\n........").as_bytes());
            let short = plain::short_pair(&line, b'\t', b'\n');
            let in_word = |v: &str| v.split('-').next().unwrap().len() < 8;
            assert_eq!(short.is_some(), in_word(a) && in_word(b), "{a} {b}");
            if let Some((order, len)) = short {
                answered += 1;
                assert_eq!(len, a.len() + b.len() + 2);
                assert_eq!(
                    Ok(order),
                    SemanticVersion::compare_texts(Scheme::Npm, a, b),
                    "{a} {b}"
                );
            }
        }
    }
    assert_eq!(answered, 288 * 288, "pairs on the word path");
}

/// A plain version at the start of `text`, with its length.
fn read_plain(scheme: Scheme, text: &str) -> Option<(PlainVersion<'_>, usize)> {
    PlainVersion::read(scheme, text.as_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(3000), ..ProptestConfig::default() })]

    /// Versions read from long buffers (numbers compared in their 16-byte windows, a word at
    /// a time, whatever bytes follow them) order as the same texts read on their own
    /// (compared digit by digit) and as the parser orders them.
    #[test]
    fn plain_versions_compared_in_windows_order_as_parsed(
        a in any_text(),
        b in any_text(),
        a_rest in "[ -~\t\n]{16,24}",
        b_rest in "[ -~\t\n]{16,24}",
    ) {
        let a_buffer = format!("{a}\t{a_rest}");
        let b_buffer = format!("{b}\t{b_rest}");
        for scheme in FAMILY {
            let read = |buffer| read_plain(scheme, buffer);
            let (Some((x, x_len)), Some((y, y_len))) = (read(&a_buffer), read(&b_buffer)) else {
                continue;
            };
            let (a_text, b_text) = (&a_buffer[..x_len], &b_buffer[..y_len]);
            // The parser's parts, ordered by precedence: no plain reading on the way.
            let parsed = precedence(
                Parts::parse_fully(scheme, a_text).unwrap().order_key(),
                Parts::parse_fully(scheme, b_text).unwrap().order_key(),
            );
            prop_assert_eq!(x.cmp(&y), parsed, "{} {:?} {:?}", scheme, a_buffer, b_buffer);
            // Read alone (fewer than 16 bytes: digit by digit), against either.
            let (alone_x, _) = read(a_text).unwrap();
            let (alone_y, _) = read(b_text).unwrap();
            prop_assert_eq!(alone_x.cmp(&alone_y), parsed);
            prop_assert_eq!(x.cmp(&alone_y), parsed);
            prop_assert_eq!(alone_x.cmp(&y), parsed);
        }
    }
}

/// Every pair of versions from numbers around each edge of the window comparison (one
/// digit, two, a run of nines, a power of ten, eight digits, numbers that end the window or
/// overrun it) orders in windows, digit by digit and across the two as by their values.
#[test]
fn numbers_compared_in_windows_order_as_their_values() {
    let numbers = [
        "0",
        "1",
        "9",
        "10",
        "99",
        "100",
        "909",
        "1000000",
        "99999999",
        // A window of digits alone, and one with a single non-digit.
        "1234567890123456789",
        "12345678901234",
    ];
    let mut versions = Vec::new();
    for x in numbers {
        for y in numbers {
            for z in numbers {
                versions.push(format!("{x}.{y}.{z}"));
            }
        }
    }
    let value = |text: &str| -> Vec<u64> { text.split('.').map(|n| n.parse().unwrap()).collect() };
    let padded: Vec<String> = versions
        .iter()
        .map(|v| format!("{v}-rc\t1.2.3.4.5.6.7.8.9"))
        .collect();
    let read = |text| read_plain(Scheme::Npm, text).unwrap().0;
    let windowed = padded.iter().filter(|text| read(text).in_window()).count();
    assert!(
        windowed > versions.len() / 3 && windowed < versions.len(),
        "{windowed}"
    );
    for (a, a_padded) in versions.iter().zip(&padded) {
        for (b, b_padded) in versions.iter().zip(&padded) {
            let expected = value(a).cmp(&value(b));
            assert_eq!(read(a_padded).cmp(&read(b_padded)), expected, "{a} {b}");
            let alone = format!("{a}-rc");
            let alone = read_plain(Scheme::Npm, &alone).unwrap().0;
            assert_eq!(alone.cmp(&read(b_padded)), expected, "{a} {b}");
        }
    }
}
