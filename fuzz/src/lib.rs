//! The bodies of the fuzz targets, as plain functions: libFuzzer calls them from
//! `fuzz_targets/`, and `tests/replay.rs` replays every seed and every minimized crash
//! through them on stable Rust, so `cargo test` guards against regressions.

use exposure::kb::KnowledgeBase;
use exposure::version::{Scheme, Version};

/// Inputs larger than this are not interesting and slow the fuzzer down.
pub const MAX_INPUT: usize = 64 * 1024;

/// Loading any bytes as an OSV document never panics and accounts for every record.
pub fn osv_document(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut kb = KnowledgeBase::new();
    let report = kb.load_osv_str(text, "fuzz");
    assert_eq!(report.records_read, report.records_loaded + report.records_skipped, "{report}");
    assert!(report.problem_count >= report.records_skipped, "every skipped record has a problem");
    assert!(kb.len() <= report.records_loaded);
}

/// First byte picks the scheme, the rest is the version text. Parsing never panics, a parsed
/// version equals itself and re-parses from its display to an equal version.
pub fn version_parse(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let scheme = Scheme::ALL[usize::from(selector) % Scheme::ALL.len()];
    match Version::parse(scheme, text) {
        Ok(version) => {
            assert_eq!(version.try_cmp(&version), Ok(std::cmp::Ordering::Equal));
            let again = Version::parse(scheme, &version.to_string()).expect("display re-parses");
            assert_eq!(again, version);
        }
        Err(e) => assert!(e.offset() <= text.len(), "offset {} beyond input of {}", e.offset(), text.len()),
    }
}

/// Loading any bytes as an inventory never panics and accounts for every device or component.
pub fn inventory_document(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(loaded) = exposure::inventory::load_str(text, "fuzz") {
        let r = &loaded.report;
        assert_eq!(r.records_read, r.records_loaded + r.records_skipped, "{r}");
        // Assessing whatever loaded never panics either.
        let _ = exposure::Engine::demo().assess(&loaded.fleet);
    }
}
