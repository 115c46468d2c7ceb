//! A self-contained HTML report of an assessment: one file with no external resource (no
//! script, stylesheet, font or image is fetched; the charts are inline SVG drawn here), so it
//! opens offline and can be attached to a ticket or a build.
//!
//! Sections: the organisation's score and level with the totals; **exposure distribution**
//! (devices per level, three bars); **top recommendations** (bars of their exact score drop);
//! **top software** (bars of the score drop if the product's findings were gone); **score over
//! history** (one point per record, when there are two or more); the top findings and devices.
//! The figures are the dashboard's ([`crate::views::dashboard::Dashboard`]) of the history
//! whose newest record is this assessment's; the findings and totals are the assessment's.
//! Every text taken from data is escaped ([`escape`]).

use super::{advisory_url, top_findings};
use crate::assessment::Assessment;
use crate::history::{AssessmentRecord, RecordError};
use crate::views::dashboard::Dashboard;
use crate::views::Filter;
use std::fmt::Write;

/// The report of `assessment` with the score over `earlier` records (oldest first, without
/// this assessment's, which is made here and comes last), lists cut at `top`.
///
/// ```
/// use exposure::assess::AssessInputs;
/// let a = AssessInputs { demo: true, ..AssessInputs::default() }.assess()?;
/// let html = exposure::report::html::report(&a, &[], 5)?;
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains("update golang.org/x/net (Go) to 0.17.0"));
/// assert!(!html.contains("<script"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`RecordError::NoFleet`] when the assessment does not hold its fleet (an assessment made
/// through [`crate::assess`] does; one made by [`crate::Engine::assess`] can be given it in
/// [`Assessment::fleet`]), and the errors of making its record.
pub fn report(
    assessment: &Assessment,
    earlier: &[AssessmentRecord],
    top: usize,
) -> Result<String, RecordError> {
    // The figures read the record's devices, software and findings; publication dates and
    // weaknesses (what a knowledge base would add) are not shown.
    let record = assessment.record(&crate::kb::KnowledgeBase::new())?;
    let mut history = earlier.to_vec();
    history.push(record);
    let dashboard = Dashboard::of(&history, &Filter::all(), top);
    Ok(render(assessment, &dashboard, top))
}

/// The report of `assessment` with the figures of `dashboard` (made of a history whose newest
/// record is this assessment's), lists cut at `top`.
///
/// ```
/// use exposure::history::AssessmentRecord;
/// use exposure::views::{dashboard::Dashboard, Filter};
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let a = engine.assess(&fleet);
/// let record = AssessmentRecord::of(&a, &fleet, engine.kb())?;
/// let d = Dashboard::of(&[record.clone(), record], &Filter::all(), 5);
/// let html = exposure::report::html::render(&a, &d, 5);
/// assert_eq!(html.matches("<circle class=\"point").count(), 2);
/// # Ok::<(), exposure::history::RecordError>(())
/// ```
#[allow(clippy::cast_precision_loss)] // device counts are far below 2^52
pub fn render(assessment: &Assessment, dashboard: &Dashboard, top: usize) -> String {
    let o = &assessment.organisation;
    let totals = assessment.severity_totals();
    let mut h = String::with_capacity(32 * 1024);
    let title = format!("Exposure report: {:.1} ({})", o.score, o.level.name());
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(&title)
    );
    let _ = write!(
        h,
        "<header>\n<h1>Exposure report</h1>\n<p class=\"headline\"><span id=\"score\" class=\"score level-{level}\">{score:.1}</span> \
         <span id=\"level\" class=\"level level-{level}\">{level}</span></p>\n<p class=\"facts\">{vuln} of {devices} devices vulnerable · {findings} findings · {advisories} advisories in the knowledge base{as_of} · model {model}</p>\n",
        level = o.level.name(),
        score = o.score,
        vuln = o.vulnerable_devices,
        devices = o.devices,
        findings = o.findings,
        advisories = assessment.knowledge.advisories,
        as_of = assessment
            .as_of
            .map_or_else(String::new, |d| format!(" · as of {d}")),
        model = escape(&assessment.model_version),
    );
    if let Some(warning) = super::markdown::knowledge_warning(assessment) {
        let _ = writeln!(
            h,
            "<p class=\"warning\" id=\"knowledge-age\">Warning: {}</p>",
            escape(warning)
        );
    }
    h.push_str("<table class=\"totals\" id=\"totals\">\n<thead><tr><th>Critical</th><th>High</th><th>Medium</th><th>Low</th><th>None</th><th>Unknown</th><th>Known exploited</th><th>Not counted</th><th>Suppressed</th></tr></thead>\n<tbody><tr>");
    for (_, n) in &totals.by_severity {
        let _ = write!(h, "<td>{n}</td>");
    }
    let _ = write!(
        h,
        "<td>{}</td><td>{}</td><td>{}</td></tr></tbody>\n</table>\n</header>\n",
        totals.known_exploited, totals.not_counted, totals.suppressed
    );

    let dist = dashboard.distribution;
    section(
        &mut h,
        "distribution",
        "Exposure distribution",
        "Devices per exposure level.",
    );
    h.push_str(&bar_chart(
        "chart-distribution",
        "Devices per exposure level",
        &[
            bar("low", dist.low as f64, dist.low.to_string(), "level-low"),
            bar(
                "medium",
                dist.medium as f64,
                dist.medium.to_string(),
                "level-medium",
            ),
            bar(
                "high",
                dist.high as f64,
                dist.high.to_string(),
                "level-high",
            ),
        ],
    ));
    h.push_str("</section>\n");

    section(
        &mut h,
        "recommendations",
        "Top recommendations",
        "The exact drop of the exposure score if the action is taken.",
    );
    let recs = &dashboard.top_recommendations;
    if recs.is_empty() {
        h.push_str("<p class=\"empty\">No recommendation.</p>\n");
    } else {
        let bars: Vec<Bar> = recs
            .iter()
            .map(|r| bar(&r.text, r.impact, format!("−{:.2}", r.impact), "bar-blue"))
            .collect();
        h.push_str(&bar_chart(
            "chart-recommendations",
            "Top recommendations",
            &bars,
        ));
        h.push_str("<table>\n<thead><tr><th>#</th><th>Action</th><th>Score drop</th><th>Devices</th><th>Findings</th><th>KEV</th></tr></thead>\n<tbody>\n");
        for r in recs {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"recommendation\">{}</td><td>{:.2}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.rank,
                escape(&r.text),
                r.impact,
                r.devices,
                r.findings,
                r.known_exploited
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");

    section(
        &mut h,
        "software",
        "Top software",
        "The drop of the exposure score if the product's findings were gone.",
    );
    let software = &dashboard.top_software;
    if software.is_empty() {
        h.push_str("<p class=\"empty\">No vulnerable software.</p>\n");
    } else {
        let bars: Vec<Bar> = software
            .iter()
            .map(|s| {
                bar(
                    &format!("{} ({})", s.name, s.ecosystem),
                    s.impact,
                    format!("−{:.2}", s.impact),
                    "bar-purple",
                )
            })
            .collect();
        h.push_str(&bar_chart("chart-software", "Top software", &bars));
        h.push_str("<table>\n<thead><tr><th>Software</th><th>Versions</th><th>Devices exposed</th><th>Weaknesses</th><th>KEV</th><th>Score drop</th></tr></thead>\n<tbody>\n");
        for s in software {
            let _ = writeln!(
                h,
                "<tr><td>{} ({})</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td></tr>",
                escape(&s.name),
                escape(&s.ecosystem.to_string()),
                escape(&s.versions.join(", ")),
                s.exposed_devices,
                s.weaknesses,
                s.known_exploited,
                s.impact
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");

    if dashboard.trend.len() >= 2 {
        section(
            &mut h,
            "trend",
            "Score over history",
            "The organisation's exposure score on each recorded assessment, oldest first.",
        );
        h.push_str(&trend_chart(&dashboard.trend));
        h.push_str("</section>\n");
    }

    section(
        &mut h,
        "findings",
        "Top findings",
        "The findings that add most to their device's score.",
    );
    let findings = top_findings(assessment, top);
    if findings.is_empty() {
        h.push_str("<p class=\"empty\">No finding.</p>\n");
    } else {
        h.push_str("<table>\n<thead><tr><th>Advisory</th><th>Summary</th><th>Severity</th><th>Device</th><th>Software</th><th>Risk</th><th>Fix</th></tr></thead>\n<tbody>\n");
        for f in findings {
            let id = &*f.finding.advisory_id;
            let _ = writeln!(
                h,
                "<tr><td><a href=\"{}\">{}</a>{}</td><td class=\"summary\">{}</td><td class=\"sev-{sev}\">{sev}</td><td>{}</td><td>{} {}</td><td>{:.3}</td><td>{}</td></tr>",
                escape(&advisory_url(id)),
                escape(id),
                if f.threat.known_exploited.is_some() { " <span class=\"kev\">KEV</span>" } else { "" },
                escape(f.finding.summary.as_deref().unwrap_or("")),
                escape(&f.finding.device_id),
                escape(&f.finding.software.name),
                escape(&f.finding.software.version),
                f.contribution(),
                escape(f.finding.fix.as_deref().unwrap_or("—")),
                sev = f.severity.map_or("unknown", |s| s.lower_name()),
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");

    section(
        &mut h,
        "devices",
        "Top devices",
        "The devices with the highest scores.",
    );
    h.push_str("<table>\n<thead><tr><th>Device</th><th>Score</th><th>Level</th><th>Findings</th></tr></thead>\n<tbody>\n");
    for d in &dashboard.top_devices {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{:.1}</td><td class=\"level-{lvl}\">{lvl}</td><td>{}</td></tr>",
            escape(&d.name),
            d.score,
            d.findings,
            lvl = d.level.name()
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
    let _ = write!(
        h,
        "<footer>Made by exposure {} · {} · priors {}</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        escape(assessment.format),
        escape(&assessment.priors_version)
    );
    h
}

/// `text` safe in HTML text and attribute values: `&`, `<`, `>`, `"` and `'` as character
/// references, control characters other than tab and line breaks left out.
///
/// ```
/// use exposure::report::html::escape;
/// assert_eq!(escape("<script>alert('x')</script> & \"y\""),
///            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Opens a section with its heading and a line saying what it shows.
fn section(h: &mut String, id: &str, heading: &str, note: &str) {
    let _ = write!(
        h,
        "<section id=\"{id}\">\n<h2>{heading}</h2>\n<p class=\"note\">{note}</p>\n"
    );
}

/// One bar of a chart.
struct Bar {
    label: String,
    value: f64,
    shown: String,
    class: &'static str,
}

fn bar(label: &str, value: f64, shown: String, class: &'static str) -> Bar {
    Bar {
        label: label.to_owned(),
        value,
        shown,
        class,
    }
}

/// Width of a chart, its label column and one bar's row.
const WIDTH: f64 = 900.0;
const LABEL: f64 = 360.0;
const ROW: f64 = 28.0;

/// A horizontal bar chart: one labelled bar per row, lengths proportional to the values
/// (the largest spans the plot).
#[allow(clippy::cast_precision_loss)] // rows and counts are far below 2^52
fn bar_chart(id: &str, label: &str, bars: &[Bar]) -> String {
    let height = ROW * bars.len() as f64 + 8.0;
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let plot = WIDTH - LABEL - 90.0;
    let mut s = format!(
        "<svg id=\"{id}\" class=\"chart\" role=\"img\" aria-label=\"{}\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\n",
        escape(label)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let w = if max > 0.0 && b.value.is_finite() && b.value > 0.0 {
            (plot * b.value / max).max(1.0)
        } else {
            0.0
        };
        let text = shorten(&b.label, 48);
        let _ = writeln!(
            s,
            "<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"bar {}\" x=\"{LABEL}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\"><title>{}: {}</title></rect>\
             <text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            LABEL - 8.0,
            y + ROW * 0.62,
            escape(&text),
            b.class,
            y + 3.0,
            ROW - 8.0,
            escape(&b.label),
            escape(&b.shown),
            LABEL + w + 6.0,
            y + ROW * 0.62,
            escape(&b.shown),
        );
    }
    s.push_str("</svg>\n");
    s
}

/// The score over the history: a line through one point per record, the y axis 0–100 with
/// the level thresholds (30, 70) drawn.
#[allow(clippy::cast_precision_loss)] // a history is far shorter than 2^52 records
fn trend_chart(points: &[crate::views::dashboard::TrendPoint]) -> String {
    let (width, height, left, top, bottom) = (WIDTH, 260.0, 48.0, 12.0, 36.0);
    let plot_w = width - left - 24.0;
    let plot_h = height - top - bottom;
    let n = points.len().max(2) as f64 - 1.0;
    let x = |i: usize| left + plot_w * i as f64 / n;
    let y = |score: f64| top + plot_h * (1.0 - score.clamp(0.0, 100.0) / 100.0);
    let mut s = format!(
        "<svg id=\"chart-trend\" class=\"chart\" role=\"img\" aria-label=\"Score over history\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\n"
    );
    for mark in [0.0, 30.0, 70.0, 100.0] {
        let _ = writeln!(
            s,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/><text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{mark}</text>",
            left + plot_w,
            y(mark),
            y(mark),
            left - 6.0,
            y(mark) + 4.0
        );
    }
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.score)))
        .collect();
    let _ = writeln!(
        s,
        "<polyline class=\"trend-line\" points=\"{}\"/>",
        line.join(" ")
    );
    for (i, p) in points.iter().enumerate() {
        let day = p
            .as_of
            .map_or_else(|| format!("#{}", i + 1), |d| d.to_string());
        let _ = writeln!(
            s,
            "<circle class=\"point level-{lvl}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\"><title>{day}: {:.1} ({lvl})</title></circle><text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{day}</text>",
            x(i),
            y(p.score),
            p.score,
            x(i),
            height - 12.0,
            lvl = p.level.name(),
        );
    }
    s.push_str("</svg>\n");
    s
}

/// `text` cut to `max` characters with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The report's style sheet (inline: the file needs nothing else).
const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:960px;margin:0 auto;padding:24px}
header,section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:16px 20px;margin-bottom:16px}
h1{margin:0 0 8px;font-size:24px}h2{margin:0 0 4px;font-size:18px}
.headline{margin:4px 0}.score{font-size:44px;font-weight:700;margin-right:10px}
.level{font-size:18px;font-weight:600;text-transform:uppercase;vertical-align:super}
.facts,.note,footer{color:#5b6474;font-size:13px}
table{border-collapse:collapse;width:100%;margin-top:10px;font-size:13px}
th,td{border-bottom:1px solid #e6e9ee;padding:5px 6px;text-align:left;vertical-align:top}
th{background:#f0f2f5}
.chart{max-width:100%;height:auto;display:block;margin-top:8px}
.chart .label,.chart .value,.chart .axis{font-size:12px;fill:#1d2330}
.bar-blue{fill:#1565c0}.bar-purple{fill:#6a1b9a}
rect.level-low,circle.level-low{fill:#2e7d32}rect.level-medium,circle.level-medium{fill:#ef8f00}rect.level-high,circle.level-high{fill:#c62828}
span.level-low,td.level-low{color:#2e7d32}span.level-medium,td.level-medium{color:#b86e00}span.level-high,td.level-high{color:#c62828}
.grid{stroke:#d5d9e0;stroke-width:1}.trend-line{fill:none;stroke:#1565c0;stroke-width:3}
.kev{background:#c62828;color:#fff;border-radius:3px;padding:0 4px;font-size:11px}
.sev-critical,.sev-high{color:#c62828;font-weight:600}.sev-medium{color:#b86e00}
.empty{color:#5b6474;font-style:italic}
";
