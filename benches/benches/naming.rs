//! Naming installed programs as NVD names them: the vocabulary built from NVD's 2015 CPE
//! dictionary, and `Normalizer::name_program` over the real Windows XP export's programs (from
//! `../shared/data`; the bench is skipped without it). Results and commands:
//! `benches/README.md`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use exposure::cpe::{Dictionary, Normalizer, Vocabulary};
use std::hint::black_box;
use std::io::Read;

fn naming(c: &mut Criterion) {
    let Some(data) = exposure_benches::shared_data() else {
        eprintln!("SKIPPED: ../shared/data not found");
        return;
    };
    let dictionary = Dictionary::from_path(
        &data.join("nvd/cpe-dictionary/official-cpe-dictionary_v2.3-2015.xml.gz"),
    )
    .expect("dictionary");
    let file = std::fs::File::open(
        data.join("inventory-windows/glpi-agent-win32-uninstall-registry.tar.gz"),
    )
    .expect("export archive");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut bytes = Vec::new();
    for entry in archive.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        if entry.path().expect("path").ends_with("xp-Uninstall.reg") {
            entry.read_to_end(&mut bytes).expect("readable");
        }
    }
    let programs = exposure::inventory::windows::parse_uninstall_export(&bytes).expect("export");
    let mut group = c.benchmark_group("naming");
    group.sample_size(10);
    group.bench_function("vocabulary_from_dictionary", |b| {
        b.iter(|| Vocabulary::from_dictionary(black_box(&dictionary)).len());
    });
    let vocabulary = dictionary.vocabulary();
    let normalizer = Normalizer::with_default_rules().with_vocabulary(vocabulary);
    group.sample_size(30);
    group.throughput(Throughput::Elements(programs.len() as u64));
    group.bench_function("name_program_xp_export", |b| {
        b.iter(|| {
            programs
                .iter()
                .map(|p| {
                    normalizer
                        .name_program(&p.publisher, &p.name, &p.version)
                        .candidates
                        .len()
                })
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, naming);
criterion_main!(benches);
