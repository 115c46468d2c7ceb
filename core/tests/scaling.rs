//! Inputs that once took quadratic or cubic time, each run at a size and at ten times that
//! size: the larger must take less than thirty times as long (linear and n log n work take
//! ten to fifteen; the old quadratic work took a hundred, the cubic a thousand). Ratios, not
//! times, so that the tests hold on any machine; the best of a few runs, so that a busy
//! neighbour does not decide them.

use exposure::cpe::{Cpe, Relation};
use exposure::kb::{Format, KnowledgeBase};
use exposure::range::{parse_range, Vers};
use exposure::version::Scheme;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The tests of this file run one at a time: timed side by side, they would time each other.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn time(input: &str, work: &impl Fn(&str)) -> Duration {
    let started = Instant::now();
    work(input);
    started.elapsed()
}

/// Asserts that `work` on `input(10 * n)` takes less than 30 times as long as on `input(n)`,
/// each the best of five runs, the two sizes taken in turn (so that both meet the same load).
fn assert_scales(what: &str, n: usize, input: impl Fn(usize) -> String, work: impl Fn(&str)) {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let (small, large) = (input(n), input(10 * n));
    work(&small); // warm up: allocations, page faults
    let (mut small_time, mut large_time) = (Duration::MAX, Duration::MAX);
    for _ in 0..5 {
        small_time = small_time.min(time(&small, &work));
        large_time = large_time.min(time(&large, &work));
    }
    let ratio = large_time.as_secs_f64() / small_time.as_secs_f64().max(1e-9);
    eprintln!(
        "{what}: {n} -> {small_time:?}, {} -> {large_time:?} ({ratio:.1}x)",
        10 * n
    );
    assert!(
        ratio < 30.0,
        "{what}: 10x the input took {ratio:.1}x the time ({small_time:?} -> {large_time:?})"
    );
}

/// A native range syntax: its scheme, the separator of its constraints, and how it writes
/// `!=` the `i`-th version.
type Spelling = (Scheme, &'static str, fn(usize) -> String);

/// `sep`-separated `!=` constraints on `n` distinct versions, written by `each`.
fn unequal(n: usize, sep: &str, each: impl Fn(usize) -> String) -> String {
    (0..n).map(each).collect::<Vec<_>>().join(sep)
}

#[test]
fn vers_ranges_with_thousands_of_exclusions_build_in_n_log_n() {
    assert_scales(
        "vers !=",
        1000,
        |n| format!("vers:pypi/{}", unequal(n, "|", |i| format!("!=1.{i}"))),
        |text| {
            let range = Vers::parse(text).unwrap().to_range().unwrap();
            assert!(range.intervals().len() > 1000);
        },
    );
}

#[test]
fn vers_simplification_is_n_log_n() {
    assert_scales(
        "vers simplify",
        2000,
        |n| format!("vers:pypi/{}", unequal(n, "|", |i| format!("<1.{i}"))),
        |text| assert_eq!(Vers::parse(text).unwrap().simplify().constraints().len(), 1),
    );
}

#[test]
fn native_ranges_with_thousands_of_exclusions_build_in_n_log_n() {
    let cases: [Spelling; 3] = [
        (Scheme::Pypi, ",", |i| format!("!=1.{i}")),
        (Scheme::Gem, ", ", |i| format!("!= 1.{i}")),
        (Scheme::Composer, " ", |i| format!("!=1.{i}")),
    ];
    for (scheme, sep, each) in cases {
        assert_scales(
            &format!("{scheme} !="),
            500,
            |n| unequal(n, sep, each),
            |text| assert!(parse_range(scheme, text).unwrap().intervals().len() > 500),
        );
    }
}

#[test]
fn cpe_names_with_a_leading_star_compare_in_linear_time() {
    // `*.a` against `.a.a.a…`: the middle occurs at every other place, and every place has
    // quoting before and after it.
    let source: Cpe = "cpe:2.3:a:vendor:*.a:*:*:*:*:*:*:*:*".parse().unwrap();
    assert_scales(
        "cpe *",
        20_000,
        |n| format!("cpe:2.3:a:vendor:{}:1.0:*:*:*:*:*:*:*", ".a".repeat(n)),
        |text| {
            let target: Cpe = text.parse().unwrap();
            assert_eq!(source.compare(&target), Relation::Superset);
        },
    );
}

/// Loads `text` as an OSV YAML document: (records loaded, records skipped).
fn load_osv_yaml(text: &str) -> (usize, usize) {
    let report = KnowledgeBase::new().load_text_as(Format::OsvYaml, text, "deep.yaml");
    (report.records_loaded, report.records_skipped)
}

#[test]
fn yaml_flow_collections_nested_too_deep_are_refused_in_linear_time() {
    // libyaml's time grows with the depth for every token: 50,000 levels in 100 KB took 14.5 s.
    assert_scales(
        "yaml {a: nested",
        20_000,
        |n| format!("id: x\na: {}1{}\n", "{a: ".repeat(n), "}".repeat(n)),
        |text| assert_eq!(load_osv_yaml(text), (0, 1)),
    );
}

#[test]
fn yaml_documents_nested_as_deep_as_read_take_linear_time() {
    // 100 levels, as deep as a document is read, over and over.
    let nested = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    assert_scales(
        "yaml 100 levels, repeated",
        20,
        |n| format!("id: x\na: [{}]\n", vec![nested.as_str(); n].join(", ")),
        |text| assert_eq!(load_osv_yaml(text), (1, 0)),
    );
}
