//! Bounded inputs: a decompression bomb (gzip, a zip member, a tar member) or a huge sparse
//! file stops at the configured limit, or at its head, quickly and without allocating more
//! than the limit, with an error naming the limit and the input.
//!
//! Memory is measured by a counting allocator: the peak of live heap bytes while loading,
//! above what was live before. The tests take one lock so that none allocates while another
//! measures.

// A global allocator is an `unsafe impl` by definition; it only forwards to the system's.
#![allow(unsafe_code)]

use exposure::files::{InputError, Limits};
use exposure::inventory::{self, InventoryError, LoadOptions};
use exposure::kb::{KbError, KnowledgeBase};
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to `System` with the caller's own arguments.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One measurement at a time.
static MEASURING: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    MEASURING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The limit of these tests: 1 MiB.
const LIMIT: Limits = Limits {
    input_bytes: 1 << 20,
};

/// What a bomb decompresses to: 200 MiB.
const BOMB: u64 = 200 << 20;

/// Runs `load`, returning its result, how long it took and the most heap it held at once
/// beyond what was live before.
fn measured<T>(load: impl FnOnce() -> T) -> (T, Duration, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let started = Instant::now();
    let out = load();
    let took = started.elapsed();
    (
        out,
        took,
        PEAK.load(Ordering::Relaxed).saturating_sub(before),
    )
}

/// Quickly and within a few times the limit, whatever the bomb: a buffer an input is read
/// into grows by doubling up to the limit (so up to twice it), a zip archive and its member
/// are both in memory, and the decoders' windows and buffers add some hundreds of kilobytes.
fn assert_bounded(what: &str, took: Duration, peak: usize) {
    assert!(took < Duration::from_secs(5), "{what}: {took:?}");
    assert!(
        peak < 6 << 20,
        "{what}: {peak} bytes at most, under 6 MiB expected"
    );
    eprintln!("{what}: {took:?}, at most {peak} bytes");
}

/// A fresh directory under the system's temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exposure-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("temporary directory");
    dir
}

/// A gzip file of `prefix` then `BOMB` bytes of spaces (text, so that only the limit stops
/// it): one gzip member of 1 MiB of spaces, written 200 times (gzip readers read every
/// member), some 200 KB on disk.
fn gzip_bomb(path: &Path, prefix: &[u8]) {
    let mut file = std::fs::File::create(path).expect("create");
    let mut head = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    head.write_all(prefix).expect("compress");
    file.write_all(&head.finish().expect("compress"))
        .expect("write");
    let mut member = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    member.write_all(&vec![b' '; 1 << 20]).expect("compress");
    let member = member.finish().expect("compress");
    for _ in 0..BOMB >> 20 {
        file.write_all(&member).expect("write");
    }
}

/// The input error a knowledge-base load failed with.
fn kb_input<T>(outcome: &Result<T, KbError>) -> Option<&InputError> {
    match outcome {
        Err(KbError::Input { source, .. }) => Some(source),
        _ => None,
    }
}

/// The input error an inventory load failed with.
fn inventory_input<T>(outcome: &Result<T, InventoryError>) -> Option<&InputError> {
    match outcome {
        Err(InventoryError::Input { source, .. }) => Some(source),
        _ => None,
    }
}

fn too_large(e: &InputError) -> Option<(&str, u64)> {
    match e {
        InputError::TooLarge { input, limit } => Some((input, *limit)),
        _ => None,
    }
}

#[test]
fn a_gzip_bomb_stops_at_the_limit() {
    let _one = one_at_a_time();
    let dir = temp_dir("gzip-bomb");
    let osv = dir.join("bomb.json.gz");
    gzip_bomb(&osv, b"{\"id\": \"GO-1\", \"details\": \"");
    let mut kb = KnowledgeBase::new();
    kb.set_limits(LIMIT);
    let (outcome, took, peak) = measured(|| kb.load_path(&osv));
    let Err(KbError::Input { path, source }) = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(path, osv);
    assert_eq!(
        too_large(&source),
        Some((&*osv.display().to_string(), 1 << 20))
    );
    assert!(
        source.to_string().contains("more than 1048576 bytes"),
        "{source}"
    );
    assert_bounded("OSV", took, peak);

    // A streamed NVD feed stops there too, and what it read before is not kept.
    let nvd = dir.join("nvd.json.gz");
    gzip_bomb(
        &nvd,
        br#"{"CVE_data_type": "CVE", "CVE_Items": [{"cve": {"CVE_data_meta": {"ID": "CVE-2017-0001"}}}"#,
    );
    let (outcome, took, peak) = measured(|| kb.load_path(&nvd));
    assert!(
        kb_input(&outcome).and_then(too_large).is_some(),
        "{outcome:?}"
    );
    assert_bounded("NVD", took, peak);
    assert!(kb.is_empty());

    // As an inventory, and through the files module.
    let options = LoadOptions {
        limits: LIMIT,
        ..LoadOptions::default()
    };
    let fleet = dir.join("fleet.json.gz");
    gzip_bomb(&fleet, b"{\"devices\": [");
    let (outcome, took, peak) = measured(|| inventory::load_path(&fleet, &options));
    assert!(
        inventory_input(&outcome).and_then(too_large).is_some(),
        "{outcome:?}"
    );
    assert_bounded("inventory", took, peak);
    let (outcome, took, peak) = measured(|| LIMIT.read_text(&fleet));
    assert!(outcome.as_ref().is_err_and(|e| too_large(e).is_some()));
    assert_bounded("files", took, peak);

    // Zeros are binary: rejected from the head, before the limit.
    let zeros = dir.join("zeros.json.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![0; 1 << 20]).expect("compress");
    std::fs::write(&zeros, gz.finish().expect("compress")).expect("write");
    let (outcome, took, peak) = measured(|| kb.load_path(&zeros));
    assert!(
        matches!(kb_input(&outcome), Some(InputError::Binary { offset: 0 })),
        "{outcome:?}"
    );
    assert_bounded("zeros", took, peak);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_zip_member_bomb_stops_at_the_limit_and_the_rest_is_read() {
    let _one = one_at_a_time();
    let dir = temp_dir("zip-bomb");
    let path = dir.join("osv.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    zip.start_file("bomb.json", options).expect("member");
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..BOMB >> 20 {
        zip.write_all(&spaces).expect("write");
    }
    zip.start_file("GO-1.json", options).expect("member");
    zip.write_all(br#"{"id": "GO-1"}"#).expect("write");
    zip.finish().expect("finish");
    assert!(std::fs::metadata(&path).expect("zip").len() < LIMIT.input_bytes);

    let mut kb = KnowledgeBase::new();
    kb.set_limits(LIMIT);
    let (report, took, peak) = measured(|| kb.load_path(&path).expect("the archive reads"));
    assert_bounded("zip member", took, peak);
    assert_eq!(kb.len(), 1, "the other member is read");
    let problem = &report.problems[0];
    assert_eq!(problem.location, format!("{}!bomb.json", path.display()));
    assert!(
        problem
            .message
            .contains("bomb.json holds more than 1048576 bytes"),
        "{problem}"
    );
    std::fs::remove_dir_all(dir).ok();
}

/// A tar is read whole before its members are walked, so a member bomb passes the limit of
/// the archive, which is named.
#[test]
fn a_tar_member_bomb_stops_at_the_limit() {
    let _one = one_at_a_time();
    let dir = temp_dir("tar-bomb");
    let path = dir.join("osv.tar.gz");
    let gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).expect("create"),
        flate2::Compression::fast(),
    );
    let mut tar = tar::Builder::new(gz);
    let mut header = tar::Header::new_gnu();
    header.set_size(BOMB);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(
        &mut header,
        "bomb.json",
        std::io::Read::take(std::io::repeat(b' '), BOMB),
    )
    .expect("member");
    tar.into_inner()
        .and_then(flate2::write::GzEncoder::finish)
        .expect("finish");

    let mut kb = KnowledgeBase::new();
    kb.set_limits(LIMIT);
    let (outcome, took, peak) = measured(|| kb.load_path(&path));
    assert_eq!(
        kb_input(&outcome).and_then(too_large),
        Some((&*path.display().to_string(), 1 << 20)),
        "{outcome:?}"
    );
    assert_bounded("tar member", took, peak);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_sparse_file_is_rejected_from_its_head() {
    let _one = one_at_a_time();
    let dir = temp_dir("sparse");
    // The default limit, 1 GiB; and 1 GiB of zeros that take no disk.
    let options = LoadOptions::default();
    let zeros = dir.join("inventory.json");
    std::fs::File::create(&zeros)
        .and_then(|f| f.set_len(1 << 30))
        .expect("sparse file");
    let (outcome, took, peak) = measured(|| inventory::load_path(&zeros, &options));
    assert!(
        matches!(
            inventory_input(&outcome),
            Some(InputError::Binary { offset: 0 })
        ),
        "{outcome:?}"
    );
    assert_bounded("zeros", took, peak);
    // Text that begins no inventory format, then zeros.
    let text = dir.join("notes.txt");
    let mut file = std::fs::File::create(&text).expect("create");
    file.write_all(&b"meeting notes, not an inventory\n".repeat(200))
        .expect("write");
    file.set_len(1 << 30).expect("sparse file");
    let (outcome, took, peak) = measured(|| inventory::load_path(&text, &options));
    let Err(InventoryError::NotJson { message, .. }) = &outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        message.starts_with("it begins none of the inventory formats"),
        "{message}"
    );
    assert_bounded("text", took, peak);
    // The same zeros in a knowledge-base directory: a problem, the rest is read.
    std::fs::write(dir.join("GO-1.json"), r#"{"id": "GO-1"}"#).expect("write");
    let mut kb = KnowledgeBase::new();
    let (report, took, peak) = measured(|| kb.load_path(&dir).expect("the directory reads"));
    assert_bounded("knowledge", took, peak);
    assert_eq!(kb.len(), 1);
    assert_eq!(report.problem_count, 1, "{:?}", report.problems);
    let problem = &report.problems[0];
    assert_eq!(problem.location, zeros.display().to_string());
    assert!(
        problem
            .message
            .ends_with("binary data, not text: a NUL byte at offset 0"),
        "{problem}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn documents_in_memory_are_bounded_too() {
    let fleet = r#"{"devices": [{"id": "a", "software": [{"purl": "pkg:npm/lodash@4.17.20"}]}]}"#;
    let options = LoadOptions {
        limits: Limits { input_bytes: 16 },
        ..LoadOptions::default()
    };
    let err = inventory::load_text(fleet, "fleet", &options).expect_err("too large");
    assert_eq!(
        err.to_string(),
        "cannot read fleet: fleet holds more than 16 bytes once decompressed, the input size limit"
    );
    assert!(inventory::load_text(fleet, "fleet", &LoadOptions::default()).is_ok());
}
