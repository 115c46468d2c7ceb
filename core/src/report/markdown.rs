//! A Markdown summary of an assessment for a pull-request comment: the organisation's score
//! and level, devices, findings per severity, known-exploited findings, the top
//! recommendations and the top findings. GitHub-flavoured Markdown; every text taken from
//! data is escaped ([`escape`]) so that an advisory summary cannot open a link, an image, HTML
//! or a table cell.

use super::{advisory_url, top_findings};
use crate::assessment::Assessment;
use std::fmt::Write;

/// The summary, with at most `top` recommendations and `top` findings.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let md = exposure::report::markdown::summary(&a, 3);
/// assert!(md.contains("| 1 | update golang.org/x/net (Go) to 0.17.0 |"));
/// assert!(md.contains("Known exploited (CISA KEV): **1**"));
/// ```
pub fn summary(assessment: &Assessment, top: usize) -> String {
    let o = &assessment.organisation;
    let totals = assessment.severity_totals();
    let mut md = String::new();
    let _ = writeln!(md, "## Exposure: {:.1} ({})\n", o.score, o.level.name());
    let _ = writeln!(
        md,
        "{} of {} devices vulnerable · {} findings · {} advisories in the knowledge base{}\n",
        o.vulnerable_devices,
        o.devices,
        o.findings,
        assessment.knowledge.advisories,
        assessment
            .as_of
            .map_or_else(String::new, |d| format!(" · as of {d}"))
    );
    if let Some(warning) = knowledge_warning(assessment) {
        let _ = writeln!(md, "> **Warning:** {warning}\n");
    }
    md.push_str(
        "| Critical | High | Medium | Low | None | Unknown |\n|---:|---:|---:|---:|---:|---:|\n|",
    );
    for (_, n) in &totals.by_severity {
        let _ = write!(md, " {n} |");
    }
    md.push_str("\n\n");
    let _ = writeln!(
        md,
        "Known exploited (CISA KEV): **{}**{}{}\n",
        totals.known_exploited,
        if totals.not_counted > 0 {
            format!(" · not counted in the score: {}", totals.not_counted)
        } else {
            String::new()
        },
        if totals.suppressed > 0 {
            format!(" · suppressed by VEX or exceptions: {}", totals.suppressed)
        } else {
            String::new()
        }
    );
    if !assessment.recommendations.is_empty() && top > 0 {
        md.push_str("### Top recommendations\n\n| # | Action | Score drop | Devices | Findings | KEV |\n|---:|---|---:|---:|---:|---:|\n");
        for r in assessment.recommendations.iter().take(top) {
            let _ = writeln!(
                md,
                "| {} | {} | {:.2} | {} | {} | {} |",
                r.rank,
                escape(&r.text),
                r.exposure_impact,
                r.devices.len(),
                r.findings,
                r.known_exploited
            );
        }
        md.push('\n');
    }
    let findings = top_findings(assessment, top);
    if !findings.is_empty() {
        md.push_str("### Top findings\n\n| Advisory | Severity | Device | Software | Risk | Fix |\n|---|---|---|---|---:|---|\n");
        for f in findings {
            let id = &*f.finding.advisory_id;
            let _ = writeln!(
                md,
                "| [{}]({}){} | {} | {} | {} {} | {:.3} | {} |",
                escape(id),
                advisory_url(id),
                if f.threat.known_exploited.is_some() {
                    " (KEV)"
                } else {
                    ""
                },
                f.severity.map_or("unknown", |s| s.lower_name()),
                escape(&f.finding.device_id),
                escape(&f.finding.software.name),
                escape(&f.finding.software.version),
                f.contribution(),
                f.finding
                    .fix
                    .as_deref()
                    .map_or_else(|| "—".to_owned(), escape)
            );
        }
    }
    md
}

/// `text` as literal Markdown inside a table cell: one line; the characters that make
/// emphasis, code, links (`[`, `]`: without them no link or image opens), strike-through and
/// cells backslash-escaped; `<`, `>` and `&` as entities, so no HTML passes.
///
/// ```
/// use exposure::report::markdown::escape;
/// assert_eq!(escape("a|b <script> *x*"), r"a\|b &lt;script&gt; \*x\*");
/// assert_eq!(escape("two\nlines"), "two lines");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The warning about the knowledge's age, when the assessment states one.
pub(crate) fn knowledge_warning(assessment: &Assessment) -> Option<&str> {
    assessment
        .knowledge_age
        .as_ref()
        .and_then(|age| age.warning.as_deref())
}
