//! Installed-program lists (Windows' Uninstall keys and the like): a registry export, or CSV
//! or JSON rows with `DisplayName`, `Publisher` and `DisplayVersion`. Each program becomes
//! software of ecosystem `Windows` whose CPE name is guessed by the
//! [`Normalizer`] from publisher, name and version; a program no rule
//! recognises keeps no CPE (unknown stays unknown) and is counted in the report.

use super::windows::InstalledProgram;
use super::{CpeClaim, LoadedFleet, Software};
use crate::cpe::Normalizer;
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

/// A device from its installed programs, each with the CPE name the normaliser guesses best
/// (its confidence and rule kept). A program without a version is counted and left out:
/// nothing could be matched against it.
pub fn load_device(
    programs: &[InstalledProgram],
    device_id: &str,
    normalizer: &Normalizer<'_>,
    mut report: LoadReport,
) -> LoadedFleet {
    let mut software = Vec::new();
    let mut unrecognised = 0usize;
    for program in programs {
        report.records_read += 1;
        if program.version.trim().is_empty() {
            report.records_skipped += 1;
            report.problem(Problem::new(
                device_id,
                Some(&program.name),
                "DisplayVersion",
                "is missing: a program without a version cannot be matched",
                Consequence::Skipped,
            ));
            continue;
        }
        report.records_loaded += 1;
        let best = normalizer
            .guess_installed(&program.publisher, &program.name, &program.version)
            .into_iter()
            .next();
        if best.is_none() {
            unrecognised += 1;
        }
        software.push(Software {
            ecosystem: Ecosystem::Other("Windows".to_owned()),
            name: program.name.clone(),
            version: program.version.trim().to_owned(),
            purl: None,
            packages: Vec::new(),
            cpe: best.map(|c| CpeClaim::guessed(c.cpe, c.confidence, c.rule)),
            last_used: None,
        });
    }
    if unrecognised > 0 {
        report.problem(Problem::new(
            device_id,
            None,
            "",
            format!(
                "{unrecognised} of {} programs have no CPE name the rules support: they are kept \
                 but cannot be matched against NVD (extend the alias table or give a dictionary)",
                software.len()
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
        assert_eq!(firefox.confidence, 95);
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
            shown[2].contains("1 of 2 programs have no CPE name"),
            "{}",
            shown[2]
        );
    }
}
