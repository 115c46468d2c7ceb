//! Plain-text tables of an assessment, for people at a terminal.

use exposure::Assessment;
use std::fmt::Write;

/// Lays out rows as left-aligned columns separated by two spaces.
fn columns(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut line = |cells: Vec<String>| {
        let mut text = String::from("  ");
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                let _ = write!(text, "{cell:<w$}  ");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(header.iter().map(|h| (*h).to_owned()).collect());
    for row in rows {
        line(row.clone());
    }
}

/// Renders the organisation score, devices, findings, recommendations and diagnostics.
pub(crate) fn render(a: &Assessment) -> String {
    let mut out = String::new();
    let org = &a.organisation;
    let _ = writeln!(
        out,
        "Organisation exposure score: {:.1} ({})  devices: {}  vulnerable: {}  findings: {}  model: {}\n",
        org.score,
        org.level.name(),
        org.devices,
        org.vulnerable_devices,
        org.findings,
        a.model_version
    );
    out.push_str("Devices\n");
    let rows: Vec<Vec<String>> = a
        .devices
        .iter()
        .map(|d| {
            vec![
                d.device_id.clone(),
                d.value.name().to_owned(),
                format!("{:.2}", d.weight),
                d.software.to_string(),
                d.findings.to_string(),
                format!("{:.1}", d.score),
                d.level.name().to_owned(),
            ]
        })
        .collect();
    columns(
        &mut out,
        &[
            "device", "value", "weight", "software", "findings", "score", "level",
        ],
        &rows,
    );
    out.push_str("\nFindings\n");
    let rows: Vec<Vec<String>> = a
        .findings
        .iter()
        .map(|f| {
            let finding = &f.finding;
            vec![
                finding.device_id.to_string(),
                format!("{} {}", finding.software.name, finding.software.version),
                finding.advisory_id.to_string(),
                finding
                    .aliases
                    .iter()
                    .find(|x| x.starts_with("CVE-"))
                    .cloned()
                    .unwrap_or_default(),
                f.cvss
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), |c| format!("{:.1}", c.base_score)),
                format!("{:.3}", f.risk.risk),
                finding.fix.as_deref().unwrap_or("-").to_owned(),
                finding.evidence.matched.to_string(),
            ]
        })
        .collect();
    columns(
        &mut out,
        &[
            "device", "software", "advisory", "cve", "cvss", "risk", "fix", "matched",
        ],
        &rows,
    );
    out.push_str("\nRecommendations\n");
    let rows: Vec<Vec<String>> = a
        .recommendations
        .iter()
        .map(|r| {
            vec![
                r.rank.to_string(),
                format!("{:.2}", r.exposure_impact),
                r.devices.len().to_string(),
                r.findings.to_string(),
                r.text.clone(),
            ]
        })
        .collect();
    columns(
        &mut out,
        &["#", "impact", "devices", "findings", "action"],
        &rows,
    );
    if !a.suppressed.is_empty() {
        out.push_str("\nSuppressed by VEX (not in the scores)\n");
        let rows: Vec<Vec<String>> = a
            .suppressed
            .iter()
            .map(|s| {
                let st = &s.statement;
                vec![
                    s.finding.device_id.to_string(),
                    format!("{} {}", s.finding.software.name, s.finding.software.version),
                    s.finding.advisory_id.to_string(),
                    st.status.name().to_owned(),
                    st.justification.clone().unwrap_or_default(),
                    st.source.clone(),
                ]
            })
            .collect();
        columns(
            &mut out,
            &[
                "device",
                "software",
                "advisory",
                "status",
                "justification",
                "statement",
            ],
            &rows,
        );
    }
    let d = &a.diagnostics;
    let _ = writeln!(
        out,
        "\nDiagnostics: {} software items, {} named by advisories, {} ranges not evaluable, {} versions not parsable",
        d.software_items, d.software_with_advisories, d.unevaluated_ranges, d.unparsable_versions
    );
    for problem in &d.problems {
        let _ = writeln!(out, "  {problem}");
    }
    out
}
