//! CVSS: parse and score vectors of each version. Results and commands: `benches/README.md`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use exposure::score::cvss::Cvss;
use exposure_benches::{CVSS31_VECTORS, CVSS_OTHER_VECTORS};
use std::hint::black_box;

fn parse_and_score(c: &mut Criterion) {
    let mut group = c.benchmark_group("cvss");
    let sets: [(&str, &[&str]); 3] = [
        ("v3.1", &CVSS31_VECTORS),
        ("v2", &CVSS_OTHER_VECTORS[..2]),
        ("v4.0", &CVSS_OTHER_VECTORS[2..]),
    ];
    for (name, vectors) in sets {
        group.throughput(Throughput::Elements(vectors.len() as u64));
        group.bench_function(format!("parse-and-score/{name}"), |b| {
            b.iter(|| {
                vectors
                    .iter()
                    .filter_map(|v| black_box(v).parse::<Cvss>().ok())
                    .map(|c| c.score())
                    .sum::<f64>()
            });
        });
    }
    group.finish();
}

criterion_group!(benches, parse_and_score);
criterion_main!(benches);
