//! Replays every seed (`seeds/<target>/`) and every minimized crash (`regressions/<target>/`,
//! each with a note in `regressions/README.md`) through the fuzz target bodies.

use std::path::Path;

/// Replays the inputs of `target`; fewer than `minimum` (the seeds and regressions it has
/// now) fails, so that a renamed or emptied folder cannot pass by replaying nothing.
fn replay(target: &str, body: fn(&[u8]), minimum: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for folder in ["seeds", "regressions"] {
        let dir = root.join(folder).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.is_file() && path.file_name().is_some_and(|n| n != ".keep") {
                body(&std::fs::read(&path).expect("read input"));
                count += 1;
            }
        }
    }
    assert!(
        count >= minimum,
        "{target}: {count} inputs replayed, at least {minimum} expected"
    );
}

#[test]
fn osv_document_inputs() {
    replay("osv_document", exposure_fuzz::osv_document, 2); // 2 seeds
}

#[test]
fn version_parse_inputs() {
    replay("version_parse", exposure_fuzz::version_parse, 7); // 5 seeds, 2 regressions
}

#[test]
fn device_lines_inputs() {
    replay("device_lines", exposure_fuzz::device_lines, 3); // 3 seeds
}

#[test]
fn inventory_document_inputs() {
    replay("inventory_document", exposure_fuzz::inventory_document, 3); // 3 seeds
}

#[test]
fn lockfile_inputs() {
    replay("lockfile", exposure_fuzz::lockfile, 8); // 8 seeds
}

#[test]
fn range_parse_inputs() {
    replay("range_parse", exposure_fuzz::range_parse, 17); // 9 seeds, 8 regressions
}

#[test]
fn cpe_parse_inputs() {
    replay("cpe_parse", exposure_fuzz::cpe_parse, 38); // 36 seeds, 2 regressions
}

#[test]
fn cvss_parse_inputs() {
    replay("cvss_parse", exposure_fuzz::cvss_parse, 29); // 29 seeds
}

#[test]
fn kb_reader_inputs() {
    replay("kb_reader", exposure_fuzz::kb_reader, 8); // 8 seeds
}

#[test]
fn snapshot_payload_inputs() {
    replay("snapshot_payload", exposure_fuzz::snapshot_payload, 4); // 2 seeds, 2 regressions
}

#[test]
fn aggregate_bytes_inputs() {
    replay("aggregate_bytes", exposure_fuzz::aggregate_bytes, 2); // 2 seeds
}

#[test]
fn batch_lines_inputs() {
    replay("batch_lines", exposure_fuzz::batch_lines, 2); // 2 seeds
}

#[test]
fn prior_table_inputs() {
    replay("prior_table", exposure_fuzz::prior_table, 5); // 4 seeds, 1 regression
}

#[test]
fn eol_table_inputs() {
    replay("eol_table", exposure_fuzz::eol_table, 3); // 3 seeds
}

#[test]
fn exception_set_inputs() {
    replay("exception_set", exposure_fuzz::exception_set, 3); // 3 seeds
}

#[test]
fn program_naming_inputs() {
    replay("program_naming", exposure_fuzz::program_naming, 2); // 2 seeds
}
