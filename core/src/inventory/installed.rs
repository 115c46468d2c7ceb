//! Installed-program lists (Windows' Uninstall keys and the like): a registry export, or CSV
//! or JSON rows with `DisplayName`, `Publisher` and `DisplayVersion`. Each program becomes
//! software of ecosystem `Windows` whose CPE name is guessed by the
//! [`Normalizer`] from publisher, name and version; a program no rule
//! recognises keeps no CPE (unknown stays unknown) and is counted in the report.

use super::windows::InstalledProgram;
use super::{CpeClaim, LoadedFleet, Software};
use crate::cpe::{Normalizer, ProgramKind};
use crate::ecosystem::Ecosystem;
use crate::load_report::{Consequence, LoadReport, Problem};

/// Whether text is a CSV list of installed programs: its header names `DisplayName`.
pub(crate) fn is_csv_list(text: &str) -> bool {
    let header = text.lines().next().unwrap_or_default();
    !header.trim_start().starts_with(['{', '[']) && header.contains("DisplayName")
}

/// Whether text is a JSON list of installed programs: an array whose first object has a
/// `DisplayName`.
pub(crate) fn is_json_list(text: &str) -> bool {
    let head = text.trim_start();
    head.starts_with('[') && crate::files::head(head, 4096).contains("\"DisplayName\"")
}

/// Programs from a CSV or JSON list. Column and key names are matched without regard to
/// case; a row without a `DisplayName` is a problem and is left out.
///
/// ```
/// use exposure::inventory::installed::parse_list;
/// let mut report = Default::default();
/// let programs = parse_list("DisplayName,Publisher,DisplayVersion\n\"Mozilla Firefox (x64 en-US)\",Mozilla,121.0\n", "sw.csv", &mut report);
/// assert_eq!((programs[0].name.as_str(), programs[0].version.as_str()), ("Mozilla Firefox (x64 en-US)", "121.0"));
/// ```
pub fn parse_list(text: &str, origin: &str, report: &mut LoadReport) -> Vec<InstalledProgram> {
    let rows: Vec<(String, [String; 3])> = if is_json_list(text) {
        match serde_json::from_str::<Vec<serde_json::Value>>(text) {
            Ok(rows) => rows
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    let get = |key: &str| {
                        row.as_object()
                            .and_then(|o| {
                                o.iter()
                                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                                    .and_then(|(_, v)| v.as_str())
                            })
                            .unwrap_or_default()
                            .trim()
                            .to_owned()
                    };
                    (
                        format!("[{i}]"),
                        [get("DisplayName"), get("Publisher"), get("DisplayVersion")],
                    )
                })
                .collect(),
            Err(e) => {
                report.problem(Problem::skipped_input(origin, format!("not JSON: {e}")));
                return Vec::new();
            }
        }
    } else {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = reader.headers().cloned().unwrap_or_default();
        let column = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let columns = [
            column("DisplayName"),
            column("Publisher"),
            column("DisplayVersion"),
        ];
        reader
            .records()
            .enumerate()
            .map(|(i, row)| {
                let row = row.unwrap_or_default();
                let get = |c: Option<usize>| {
                    c.and_then(|c| row.get(c))
                        .unwrap_or_default()
                        .trim()
                        .to_owned()
                };
                (
                    format!("line {}", i + 2),
                    [get(columns[0]), get(columns[1]), get(columns[2])],
                )
            })
            .collect()
    };
    let mut programs = Vec::new();
    // Good rows are counted when they become software (in `load_device`), bad ones here.
    for (record, [name, publisher, version]) in rows {
        if name.is_empty() {
            report.records_read += 1;
            report.records_skipped += 1;
            report.problem(Problem::new(
                origin,
                Some(&record),
                "DisplayName",
                "is missing",
                Consequence::Skipped,
            ));
            continue;
        }
        programs.push(InstalledProgram {
            key: record,
            name,
            publisher,
            version,
        });
    }
    programs
}

/// A device from its installed programs, each named by the normaliser
/// ([`Normalizer::name_program`]): an application gets the CPE name it guesses best (its
/// confidence, rule and version rule kept); updates, drivers, language packs and components
/// are kept with their kind and never named; the load report counts each kind. A program
/// without a version (no DisplayVersion and none in its name) is counted and left out:
/// nothing could be matched against it; so is a guessed name whose version cannot be
/// written as NVD writes it (it would match every release).
pub fn load_device(
    programs: &[InstalledProgram],
    device_id: &str,
    normalizer: &Normalizer<'_>,
    mut report: LoadReport,
) -> LoadedFleet {
    let mut software = Vec::new();
    let (mut applications, mut unrecognised) = (0usize, 0usize);
    let mut kinds = std::collections::BTreeMap::<ProgramKind, usize>::new();
    for program in programs {
        report.records_read += 1;
        let naming = normalizer.name_program(&program.publisher, &program.name, &program.version);
        let Some(version) = naming.version.clone() else {
            report.records_skipped += 1;
            report.problem(Problem::new(
                device_id,
                Some(&program.name),
                "DisplayVersion",
                "is missing and the name carries none: a program without a version cannot be matched",
                Consequence::Skipped,
            ));
            continue;
        };
        report.records_loaded += 1;
        *kinds.entry(naming.kind).or_default() += 1;
        let best = naming
            .candidates
            .first()
            .filter(|c| c.version_rule != "version:none");
        if naming.kind == ProgramKind::Application {
            applications += 1;
            unrecognised += usize::from(best.is_none());
        }
        software.push(Software {
            ecosystem: Ecosystem::Other("Windows".to_owned()),
            name: program.name.clone(),
            version,
            purl: None,
            packages: Vec::new(),
            cpe: best.map(CpeClaim::guessed),
            last_used: None,
            kind: Some(naming.kind),
        });
    }
    let others: Vec<String> = kinds
        .iter()
        .filter(|(k, _)| **k != ProgramKind::Application)
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    if !others.is_empty() {
        report.notes.push(format!(
            "{device_id}: {} of {} programs are not applications ({}): recognised, kept and \
             never named",
            software.len() - applications,
            software.len(),
            others.join(", ")
        ));
    }
    if unrecognised > 0 {
        report.problem(Problem::new(
            device_id,
            None,
            "",
            format!(
                "{unrecognised} of {applications} applications have no CPE name NVD's vocabulary \
                 or the alias table supports: they are kept but cannot be matched against NVD \
                 (assess with an NVD knowledge base or give NVD's CPE dictionary)"
            ),
            Consequence::PartlyUsed,
        ));
    }
    LoadedFleet::one_device(device_id, device_id, software, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_csv_lists_become_windows_software_with_cpe_guesses() {
        let json = r#"[{"DisplayName": "Mozilla Firefox (x64 en-US)", "Publisher": "Mozilla", "DisplayVersion": "121.0"},
                       {"displayname": "Some In-House Tool", "publisher": "Us", "displayversion": "1.0"},
                       {"Publisher": "nobody"},
                       {"DisplayName": "No Version Here"}]"#;
        let mut report = LoadReport::default();
        let programs = parse_list(json, "list.json", &mut report);
        assert_eq!(programs.len(), 3);
        let loaded = load_device(&programs, "pc-1", &Normalizer::with_default_rules(), report);
        let software = &loaded.fleet.devices[0].software;
        assert_eq!(software.len(), 2);
        let firefox = software[0].cpe.as_ref().expect("guessed");
        assert_eq!(
            firefox.name.text(),
            "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*"
        );
        assert_eq!(firefox.confidence, 100);
        assert_eq!(software[1].cpe, None, "unknown stays unknown");
        let r = &loaded.report;
        assert_eq!(
            (r.records_read, r.records_loaded, r.records_skipped),
            (4, 2, 2),
            "{r}"
        );
        let shown: Vec<String> = r.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown[0],
            "list.json: record [2]: DisplayName: is missing (skipped)"
        );
        assert!(
            shown[1].contains("No Version Here: DisplayVersion: is missing"),
            "{}",
            shown[1]
        );
        assert!(
            shown[2].contains("1 of 2 applications have no CPE name"),
            "{}",
            shown[2]
        );
    }
}
