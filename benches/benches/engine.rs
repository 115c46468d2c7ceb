//! Criterion benches: version parse/compare, range membership, and whole assessments.
//! Results and the commands used are in `benches/README.md`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use exposure::range::{OsvEvent, Range};
use exposure::version::{Scheme, Version};
use exposure_benches::{shared_data, PEP440_SAMPLES, SEMVER_SAMPLES};
use std::hint::black_box;

fn versions(c: &mut Criterion) {
    let mut group = c.benchmark_group("version");
    for (scheme, samples) in [
        (Scheme::Golang, SEMVER_SAMPLES),
        (Scheme::Pypi, PEP440_SAMPLES),
    ] {
        group.throughput(Throughput::Elements(samples.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse", scheme), &samples, |b, samples| {
            b.iter(|| {
                samples
                    .iter()
                    .map(|s| Version::parse(scheme, black_box(s)).is_ok())
                    .filter(|ok| *ok)
                    .count()
            });
        });
        let parsed: Vec<Version> = samples
            .iter()
            .filter_map(|s| Version::parse(scheme, s).ok())
            .collect();
        group.throughput(Throughput::Elements((parsed.len() * parsed.len()) as u64));
        group.bench_with_input(BenchmarkId::new("compare", scheme), &parsed, |b, parsed| {
            b.iter(|| {
                let mut less = 0usize;
                for x in parsed {
                    for y in parsed {
                        less += usize::from(black_box(x) < black_box(y));
                    }
                }
                less
            });
        });
    }
    group.finish();
}

fn ranges(c: &mut Criterion) {
    let events = [
        OsvEvent::Introduced("0".into()),
        OsvEvent::Fixed("1.8.3".into()),
        OsvEvent::Introduced("1.9.0".into()),
        OsvEvent::Fixed("1.9.1".into()),
        OsvEvent::Introduced("1.9.2".into()),
        OsvEvent::Fixed("1.9.3".into()),
    ];
    let range = Range::from_osv_events(Scheme::Golang, &events).expect("valid range");
    let probes: Vec<Version> = SEMVER_SAMPLES
        .iter()
        .filter_map(|s| Version::parse(Scheme::Golang, s).ok())
        .collect();
    let mut group = c.benchmark_group("range");
    group.throughput(Throughput::Elements(probes.len() as u64));
    group.bench_function("contains/golang-3-intervals", |b| {
        b.iter(|| {
            probes
                .iter()
                .filter(|v| range.contains(black_box(v)))
                .count()
        });
    });
    group.finish();
}

fn assessments(c: &mut Criterion) {
    let mut group = c.benchmark_group("assess");
    let engine = exposure::Engine::demo();
    let fleet = exposure::demo::fleet();
    group.bench_function("demo-fleet", |b| {
        b.iter(|| engine.assess(black_box(&fleet)));
    });
    if let Some(data) = shared_data() {
        let mut kb = exposure::kb::KnowledgeBase::new();
        let dir = std::env::temp_dir().join("exposure-bench-osv-go");
        if !dir.is_dir() {
            let status = std::process::Command::new("tar")
                .args(["-xzf"])
                .arg(data.join("osv-go/golang-vulndb-osv.tar.gz"))
                .arg("-C")
                .arg({
                    std::fs::create_dir_all(&dir).expect("temp dir");
                    &dir
                })
                .status()
                .expect("tar runs");
            assert!(status.success(), "tar failed");
        }
        let report = kb.load_path(&dir).expect("Go vulndb loads");
        assert_eq!(report.records_loaded, 4291);
        group.sample_size(20);
        group.bench_function("load-go-vulndb-4291-records", |b| {
            b.iter(|| {
                exposure::kb::KnowledgeBase::new()
                    .load_path(black_box(&dir))
                    .map(|r| r.records_loaded)
            });
        });
        let sbom = exposure::inventory::load_path(
            &data.join("sbom-cyclonedx/proton-bridge__proton-bridge-v1.8.0.bom.json"),
            &exposure::inventory::LoadOptions::default(),
        )
        .expect("SBOM loads")
        .fleet;
        let engine = exposure::Engine::new(kb);
        group.bench_function("proton-bridge-201-vs-go-vulndb", |b| {
            b.iter(|| engine.assess(black_box(&sbom)));
        });
    } else {
        eprintln!("SKIPPED real-data benches: shared data set not found (set EXPOSURE_SHARED_DIR)");
    }
    group.finish();
}

criterion_group!(benches, versions, ranges, assessments);
criterion_main!(benches);
