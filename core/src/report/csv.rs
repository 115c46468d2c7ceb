//! The findings as CSV: one line per finding ([`FindingRow`], the columns of
//! [`FindingRow::SCHEMA`] in that order), RFC 4180 quoting, a header line even when there is
//! no finding, absent values as empty cells.

use crate::assessment::{Assessment, FindingRow};
use std::io::Write;

/// Writes the findings of `assessment` as CSV to `out`.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let mut out = Vec::new();
/// exposure::report::csv::write_findings(&a, &mut out)?;
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with("device_id,ecosystem,software,version,advisory_id,"));
/// assert_eq!(text.lines().count(), a.findings.len() + 1);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
///
/// What writing to `out` returns.
pub fn write_findings(assessment: &Assessment, out: impl Write) -> std::io::Result<()> {
    let mut writer = ::csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    writer.write_record(FindingRow::SCHEMA.iter().map(|c| c.name))?;
    for row in assessment.finding_rows() {
        writer.serialize(row)?;
    }
    writer.flush()
}

/// The findings of `assessment` as CSV text.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let text = exposure::report::csv::findings(&a);
/// assert!(text.contains("\napi-gw-01,Go,golang.org/x/net,"));
/// ```
pub fn findings(assessment: &Assessment) -> String {
    let mut out = Vec::new();
    // Writing to a vector fails only if a row did not serialise, which plain rows never do.
    let _ = write_findings(assessment, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}
