//! Per-scheme version parse and compare, range contains, and the `semver` and `pep440_rs`
//! crates side by side. Results and commands: `benches/README.md`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use exposure::range::parse_range;
use exposure::version::{Scheme, Version};
use std::hint::black_box;

/// Realistic versions per scheme, as feeds and inventories carry them.
const SAMPLES: &[(Scheme, [&str; 4])] = &[
    (
        Scheme::Semver,
        ["1.2.3", "4.17.21", "1.0.0-rc.1", "2.0.0+build.5"],
    ),
    (Scheme::Npm, ["1.2.3", "4.17.21", "1.0.0-rc.1", "v2.0.0"]),
    (
        Scheme::Golang,
        [
            "v1.2.3",
            "v0.0.0-20210405180319-a5a99cb37ef4",
            "0.17.0",
            "v3.2.0+incompatible",
        ],
    ),
    (
        Scheme::Pypi,
        ["2.31.0", "1.26.18", "2.0.0rc1", "1!2.0.post1.dev3"],
    ),
    (
        Scheme::Deb,
        [
            "1:2.36.1-8+deb12u1",
            "3.0.11-1~deb12u2",
            "7.88.1-10+deb12u5",
            "2.9.14+dfsg-1.3~deb12u1",
        ],
    ),
    (
        Scheme::Rpm,
        [
            "1.1.1k-7.el8_6",
            "2:8.0.1763-19.el8_6.4",
            "7.61.1-25.el8_7.1",
            "1.0~rc1-1",
        ],
    ),
    (
        Scheme::Alpm,
        ["1:2.36.1-8", "3.0.11-1", "7.88.1-10", "2.9.14-1"],
    ),
    (
        Scheme::Alpine,
        [
            "1.2.3-r0",
            "3.0.8-r1",
            "1.36.1_git20230101-r2",
            "2.0_rc1-r0",
        ],
    ),
    (
        Scheme::Maven,
        ["2.14.1", "2.15.0", "1.0-SNAPSHOT", "5.3.18.RELEASE"],
    ),
    (
        Scheme::Nuget,
        ["13.0.1", "6.0.0-preview.7", "4.7.2.1", "2.0.0"],
    ),
    (Scheme::Gem, ["6.1.7.3", "1.13.10", "7.0.0.rc1", "2.0"]),
    (
        Scheme::Composer,
        ["5.4.3", "v2.8.1", "1.0.0-beta2", "6.0.0-RC1"],
    ),
    (Scheme::Conan, ["1.2.13", "3.0.8", "1.81.0", "1.2.11-pre"]),
    (Scheme::Openssl, ["1.0.2k", "1.1.1w", "3.0.13", "0.9.8zh"]),
    (
        Scheme::Generic,
        ["10.0.19041.1234", "121.0", "2.4.49-rc1", "7u80"],
    ),
];

/// Plain releases, the most common shape in inventories: what each scheme's release looks
/// like without pre-release words (a revision where the scheme's packages always carry one).
const PLAIN: &[(Scheme, [&str; 4])] = &[
    (Scheme::Semver, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Npm, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Golang, ["v1.2.3", "v0.17.0", "v2.31.0", "v1.10.1"]),
    (Scheme::Pypi, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (
        Scheme::Deb,
        ["1.2.3-1", "7.88.1-10", "2.36.1-8", "10.0.1-2"],
    ),
    (
        Scheme::Rpm,
        [
            "1.2.3-1.el8",
            "7.61.1-25.el8",
            "2.36.1-8.fc39",
            "10.0.1-2.el9",
        ],
    ),
    (
        Scheme::Alpm,
        ["1.2.3-1", "7.88.1-10", "2.36.1-8", "10.0.1-2"],
    ),
    (
        Scheme::Alpine,
        ["1.2.3-r0", "7.88.1-r1", "2.36.1-r8", "10.0.1-r2"],
    ),
    (Scheme::Maven, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Nuget, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Gem, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Composer, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Conan, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Openssl, ["1.1.1", "3.0.13", "3.2.1", "1.0.2"]),
    (Scheme::Generic, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
];

fn parse_and_compare(c: &mut Criterion) {
    bench_versions(c, "version", SAMPLES);
    bench_versions(c, "version-plain", PLAIN);
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
