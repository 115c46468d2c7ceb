//! Per-scheme version parse and compare, range contains, and the `semver` and `pep440_rs`
//! crates side by side. Results and commands: `benches/README.md`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use exposure::range::parse_range;
use exposure::version::{Scheme, Version};
use exposure_benches::{MIXED_VERSIONS, PLAIN_VERSIONS};
use std::hint::black_box;

fn parse_and_compare(c: &mut Criterion) {
    bench_versions(c, "version", MIXED_VERSIONS);
    bench_versions(c, "version-plain", PLAIN_VERSIONS);
}

fn bench_versions(c: &mut Criterion, name: &str, sets: &[(Scheme, [&str; 4])]) {
    let mut group = c.benchmark_group(name);
    for (scheme, samples) in sets {
        group.throughput(Throughput::Elements(samples.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse", scheme), samples, |b, samples| {
            b.iter(|| {
                samples
                    .iter()
                    .filter(|s| Version::parse(*scheme, black_box(s)).is_ok())
                    .count()
            });
        });
        let parsed: Vec<Version> = samples
            .iter()
            .map(|s| Version::parse(*scheme, s).expect("sample parses"))
            .collect();
        group.throughput(Throughput::Elements(16));
        group.bench_with_input(BenchmarkId::new("compare", scheme), &parsed, |b, parsed| {
            b.iter(|| {
                let mut less = 0usize;
                for x in parsed {
                    for y in parsed {
                        less += usize::from(
                            black_box(x)
                                .try_cmp(black_box(y))
                                .is_ok_and(std::cmp::Ordering::is_lt),
                        );
                    }
                }
                less
            });
        });
    }
    group.finish();
}

fn peers(c: &mut Criterion) {
    let mut group = c.benchmark_group("peer");
    let semvers = ["1.2.3", "4.17.21", "1.0.0-rc.1", "2.0.0+build.5"];
    group.throughput(Throughput::Elements(4));
    group.bench_function("parse/semver-crate", |b| {
        b.iter(|| {
            semvers
                .iter()
                .filter(|s| semver::Version::parse(black_box(s)).is_ok())
                .count()
        });
    });
    group.bench_function("parse/exposure-semver", |b| {
        b.iter(|| {
            semvers
                .iter()
                .filter(|s| Version::parse(Scheme::Semver, black_box(s)).is_ok())
                .count()
        });
    });
    let peps = ["2.31.0", "1.26.18", "2.0.0rc1", "1!2.0.post1.dev3"];
    group.bench_function("parse/pep440_rs-crate", |b| {
        b.iter(|| {
            peps.iter()
                .filter(|s| black_box(s).parse::<pep440_rs::Version>().is_ok())
                .count()
        });
    });
    group.bench_function("parse/exposure-pypi", |b| {
        b.iter(|| {
            peps.iter()
                .filter(|s| Version::parse(Scheme::Pypi, black_box(s)).is_ok())
                .count()
        });
    });
    let sv: Vec<semver::Version> = semvers
        .iter()
        .map(|s| semver::Version::parse(s).expect("valid"))
        .collect();
    let ev: Vec<Version> = semvers
        .iter()
        .map(|s| Version::parse(Scheme::Semver, s).expect("valid"))
        .collect();
    let pv: Vec<pep440_rs::Version> = peps.iter().map(|s| s.parse().expect("valid")).collect();
    let ep: Vec<Version> = peps
        .iter()
        .map(|s| Version::parse(Scheme::Pypi, s).expect("valid"))
        .collect();
    group.throughput(Throughput::Elements(16));
    group.bench_function("compare/semver-crate", |b| {
        b.iter(|| pairs_less(&sv, |x, y| x < y));
    });
    group.bench_function("compare/exposure-semver", |b| {
        b.iter(|| {
            pairs_less(&ev, |x, y| {
                x.try_cmp(y).is_ok_and(std::cmp::Ordering::is_lt)
            })
        });
    });
    group.bench_function("compare/pep440_rs-crate", |b| {
        b.iter(|| pairs_less(&pv, |x, y| x < y));
    });
    group.bench_function("compare/exposure-pypi", |b| {
        b.iter(|| {
            pairs_less(&ep, |x, y| {
                x.try_cmp(y).is_ok_and(std::cmp::Ordering::is_lt)
            })
        });
    });
    group.finish();
}

fn pairs_less<T>(items: &[T], less: impl Fn(&T, &T) -> bool) -> usize {
    let mut n = 0;
    for x in items {
        for y in items {
            n += usize::from(less(black_box(x), black_box(y)));
        }
    }
    n
}

fn contains(c: &mut Criterion) {
    let mut group = c.benchmark_group("contains");
    let cases: &[(Scheme, &str, [&str; 4])] = &[
        (
            Scheme::Npm,
            "^1.2.3 || >=3.0.0 <3.5.0",
            ["1.9.0", "2.0.0", "3.1.0", "0.9.0"],
        ),
        (
            Scheme::Pypi,
            ">=2.3.0,<2.31.0,!=2.28.0",
            ["2.28.1", "2.31.0", "1.0", "2.28.0"],
        ),
        (
            Scheme::Maven,
            "[2.0-beta9,2.15.0),[2.16.0,2.17.0)",
            ["2.14.1", "2.15.0", "2.16.5", "1.2.17"],
        ),
        (
            Scheme::Deb,
            "vers:deb/>=1:2.36|<1:2.36.1-8+deb12u1",
            ["1:2.36.1-8", "1:2.36.1-8+deb12u1", "1:2.35-1", "1:2.37-1"],
        ),
    ];
    for (scheme, range_text, versions) in cases {
        let range = parse_range(*scheme, range_text).expect("range parses");
        let parsed: Vec<Version> = versions
            .iter()
            .map(|v| Version::parse(*scheme, v).expect("version parses"))
            .collect();
        group.throughput(Throughput::Elements(parsed.len() as u64));
        group.bench_with_input(BenchmarkId::new("range", scheme), &parsed, |b, parsed| {
            b.iter(|| {
                parsed
                    .iter()
                    .filter(|v| range.contains(black_box(v)))
                    .count()
            });
        });
    }
    group.finish();
}

criterion_group!(benches, parse_and_compare, peers, contains);
criterion_main!(benches);
