//! CPE names: parse each binding, write the formatted string, compare names, evaluate an NVD
//! applicability statement. Results and commands: `benches/README.md`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use exposure::cpe::{Applicability, Cpe};
use exposure_benches::CPE_NAMES;
use std::hint::black_box;

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("cpe");
    group.throughput(Throughput::Elements(CPE_NAMES.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| {
            CPE_NAMES
                .iter()
                .filter(|n| Cpe::parse(black_box(n)).is_ok())
                .count()
        });
    });
    let parsed: Vec<Cpe> = CPE_NAMES
        .iter()
        .map(|n| n.parse().expect("parses"))
        .collect();
    group.bench_function("to_fs", |b| {
        b.iter(|| {
            parsed
                .iter()
                .map(|n| black_box(n).to_fs().len())
                .sum::<usize>()
        });
    });
    group.throughput(Throughput::Elements((parsed.len() * parsed.len()) as u64));
    group.bench_function("compare", |b| {
        b.iter(|| {
            let mut supersets = 0;
            for s in &parsed {
                for t in &parsed {
                    supersets += usize::from(black_box(s).matches(black_box(t)));
                }
            }
            supersets
        });
    });
    group.finish();
}

fn applicability(c: &mut Criterion) {
    let configurations = serde_json::json!([{ "nodes": [{ "operator": "OR", "cpeMatch": [
        { "vulnerable": true, "criteria": "cpe:2.3:a:google:chrome:*:*:*:*:*:*:*:*", "versionEndExcluding": "116.0.5845.187" },
        { "vulnerable": true, "criteria": "cpe:2.3:a:mozilla:firefox_esr:*:*:*:*:*:*:*:*", "versionStartIncluding": "115.0", "versionEndExcluding": "115.2.1" },
        { "vulnerable": true, "criteria": "cpe:2.3:a:webmproject:libwebp:*:*:*:*:*:*:*:*", "versionEndExcluding": "1.3.2" } ] }] }]);
    let statement = Applicability::from_nvd_json(&configurations).expect("loads");
    let device: Vec<Cpe> = [
        "cpe:2.3:o:microsoft:windows_10:1607:*:*:*:*:*:*:*",
        "cpe:2.3:a:mozilla:firefox_esr:115.2.0:*:*:*:*:*:*:*",
    ]
    .iter()
    .map(|n| n.parse().expect("parses"))
    .collect();
    let mut group = c.benchmark_group("applicability");
    group.throughput(Throughput::Elements(1));
    group.bench_function("evaluate-3-criteria-2-names", |b| {
        b.iter(|| statement.evaluate(black_box(&device)).is_some());
    });
    group.finish();
}

criterion_group!(benches, parse, applicability);
criterion_main!(benches);
