//! An assessment as text tables: the sections a report shows (devices, findings,
//! recommendations, suppressions, diagnostics), each a title, column names and rows of cells,
//! chosen and formatted once here; an interface only lays them out (the command line aligns
//! them in columns).

use crate::assessment::{Assessment, NotCounted};
use crate::recommend::ActionKind;
use std::fmt::Write;

/// One section of a report: its title, column names and rows of text cells (as many cells
/// per row as columns).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Table {
    /// The section's title (`Devices`, `Findings`, …).
    pub title: String,
    /// The column names.
    pub columns: Vec<&'static str>,
    /// The rows.
    pub rows: Vec<Vec<String>>,
    /// Lines shown after the rows (diagnostics' problems).
    pub notes: Vec<String>,
}

impl Assessment {
    /// The headline: score, level, devices, vulnerable devices, findings, model; the
    /// findings per severity and the KEV-listed ones
    /// ([`SeverityTotals::line`](crate::filter::SeverityTotals::line)); and, when any device
    /// reported configuration checks, the secure configuration score and the checks' counts.
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// assert!(a.headline().starts_with("Organisation exposure score: "));
    /// assert!(a.headline().lines().nth(1).unwrap().starts_with("Total: 11 (CRITICAL "));
    /// assert!(a.headline().lines().nth(2).unwrap().starts_with("Secure configuration score: "));
    /// ```
    pub fn headline(&self) -> String {
        let org = &self.organisation;
        let mut out = format!(
            "Organisation exposure score: {:.1} ({})  devices: {}  vulnerable: {}  findings: {}  model: {}",
            org.score,
            org.level.name(),
            org.devices,
            org.vulnerable_devices,
            org.findings,
            self.model_version
        );
        out.push('\n');
        out.push_str(&self.severity_totals().line());
        if !self.unassessed.is_empty() {
            let packages: usize = self.unassessed.iter().map(|u| u.packages).sum();
            let named: Vec<String> = self
                .unassessed
                .iter()
                .take(5)
                .map(|u| format!("{} ({} {} packages)", u.device_id, u.packages, u.family))
                .collect();
            // Writing to a String cannot fail.
            let _ = write!(
                out,
                "\nWARNING: {} devices were not fully assessed: the release of their {packages} operating-system packages is unknown (give --distro or --os-release): {}{}",
                self.unassessed.len(),
                named.join(", "),
                if self.unassessed.len() > 5 { ", …" } else { "" }
            );
        }
        if let Some(warning) = self
            .knowledge_age
            .as_ref()
            .and_then(|age| age.warning.as_deref())
        {
            let _ = write!(out, "\nWARNING: {warning}");
        }
        let config = &self.configuration;
        if config.reported() {
            let count = |f: fn(&crate::configuration::DeviceConfiguration) -> usize| {
                config.devices.iter().map(f).sum::<usize>()
            };
            let mitigated = self
                .findings
                .iter()
                .filter(|f| f.mitigated_by.is_some())
                .count();
            // Writing to a String cannot fail.
            let _ = write!(
                out,
                "\nSecure configuration score: {}  devices with checks: {}  passed: {}  failed: {}  not applicable: {}  mitigated findings: {}",
                config
                    .organisation
                    .map_or_else(|| "-".to_owned(), |s| format!("{s:.1}")),
                config.devices.len(),
                count(|d| d.passed),
                count(|d| d.failed),
                count(|d| d.not_applicable),
                mitigated,
            );
        }
        out
    }

    /// The report's sections, in order: recommendations (what to do first), findings (in the
    /// assessment's order: sort them first, [`Assessment::sort_findings`]), devices,
    /// configuration changes (only when some device failed a configuration check),
    /// suppressions (only when some finding was suppressed), exceptions (only when the
    /// assessment was made with some) and diagnostics (its counts in the title, its problems
    /// as notes).
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let tables = a.tables();
    /// let titles: Vec<&str> = tables.iter().map(|t| t.title.as_str()).collect();
    /// assert_eq!(titles[..3], ["Recommendations", "Findings", "Devices"]);
    /// assert_eq!(tables[1].rows.len(), a.findings.len());
    /// assert!(tables.iter().all(|t| t.rows.iter().all(|r| r.len() == t.columns.len())));
    /// ```
    pub fn tables(&self) -> Vec<Table> {
        let mut out = vec![
            self.recommendation_table(),
            self.finding_table(),
            self.device_table(),
        ];
        if !self.configuration.recommendations.is_empty() {
            out.push(self.configuration_table());
        }
        if !self.suppressed.is_empty() {
            out.push(self.suppression_table());
        }
        if !self.exceptions.is_empty() {
            out.push(self.exception_table());
        }
        let d = &self.diagnostics;
        out.push(Table {
            title: format!(
                "Diagnostics: {} software items, {} named by advisories, {} ranges not evaluable, {} versions not parsable",
                d.software_items, d.software_with_advisories, d.unevaluated_ranges, d.unparsable_versions
            ),
            columns: Vec::new(),
            rows: Vec::new(),
            notes: d.problems.iter().map(ToString::to_string).collect(),
        });
        out
    }

    fn device_table(&self) -> Table {
        Table {
            title: "Devices".to_owned(),
            columns: vec![
                "device", "value", "weight", "software", "findings", "score", "level",
            ],
            rows: self
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
                .collect(),
            notes: Vec::new(),
        }
    }

    fn finding_table(&self) -> Table {
        let names: std::collections::HashMap<&str, &str> = self
            .devices
            .iter()
            .map(|d| (d.device_id.as_str(), d.name.as_str()))
            .collect();
        Table {
            title: "Findings".to_owned(),
            columns: vec![
                "device",
                "software",
                "advisory",
                "cve",
                "severity",
                "cvss",
                "kev",
                "epss",
                "risk",
                "fix state",
                "fixed in",
                "title",
            ],
            rows: self
                .findings
                .iter()
                .map(|f| {
                    let finding = &f.finding;
                    let device = &*finding.device_id;
                    vec![
                        names.get(device).copied().unwrap_or(device).to_owned(),
                        format!("{} {}", finding.software.name, finding.software.version),
                        finding.advisory_id.to_string(),
                        finding
                            .aliases
                            .iter()
                            .find(|x| x.starts_with("CVE-"))
                            .cloned()
                            .unwrap_or_default(),
                        f.severity.map_or("-", |s| s.name()).to_owned(),
                        f.cvss
                            .as_ref()
                            .map_or_else(|| "-".to_owned(), |c| format!("{:.1}", c.base_score)),
                        if f.threat.known_exploited.is_some() {
                            "KEV".to_owned()
                        } else {
                            "-".to_owned()
                        },
                        f.threat.epss.as_ref().map_or_else(
                            || "-".to_owned(),
                            |(_, e)| format!("{:.3}", e.probability),
                        ),
                        match (&f.mitigated_by, f.not_counted()) {
                            (Some(check), _) => format!("{:.3} (mitigated: {check})", f.risk.risk),
                            (None, Some(NotCounted::ConditionNotReported)) => {
                                format!("{:.3} (condition not reported)", f.risk.risk)
                            }
                            (None, _) => format!("{:.3}", f.risk.risk),
                        },
                        finding.fix_state.name().to_owned(),
                        finding.fix.as_deref().unwrap_or("-").to_owned(),
                        finding.summary.as_deref().unwrap_or("").to_owned(),
                    ]
                })
                .collect(),
            notes: Vec::new(),
        }
    }

    fn recommendation_table(&self) -> Table {
        Table {
            title: "Recommendations".to_owned(),
            columns: vec!["#", "impact", "devices", "findings", "exploited", "action"],
            rows: self
                .recommendations
                .iter()
                .map(|r| {
                    vec![
                        r.rank.to_string(),
                        if r.action == ActionKind::AttentionRequired {
                            format!("({:.2})", r.exposure_left)
                        } else {
                            format!("{:.2}", r.exposure_impact)
                        },
                        r.devices.len().to_string(),
                        r.findings.to_string(),
                        r.known_exploited.to_string(),
                        r.text.clone(),
                    ]
                })
                .collect(),
            notes: if self
                .recommendations
                .iter()
                .any(|r| r.action == ActionKind::AttentionRequired)
            {
                vec![
                    "(impact) in parentheses: no fix exists; the exposure its findings leave"
                        .to_owned(),
                ]
            } else {
                Vec::new()
            },
        }
    }

    fn configuration_table(&self) -> Table {
        Table {
            title: "Configuration changes".to_owned(),
            columns: vec!["#", "impact", "secure score", "devices", "check", "title"],
            rows: self
                .configuration
                .recommendations
                .iter()
                .map(|r| {
                    vec![
                        r.rank.to_string(),
                        format!("{:.2}", r.exposure_impact),
                        format!("+{:.1}", r.configuration_impact),
                        r.devices.len().to_string(),
                        r.check_id.clone(),
                        r.title.clone(),
                    ]
                })
                .collect(),
            notes: Vec::new(),
        }
    }

    fn exception_table(&self) -> Table {
        let hidden = self.excepted_recommendations.len();
        Table {
            title: format!(
                "Exceptions: {} applied, {} expired, {} not judged, {} not matched; {} findings removed, {} recommendations hidden",
                self.exceptions.iter().filter(|e| e.status == crate::exceptions::ExceptionStatus::Applied).count(),
                self.exceptions.iter().filter(|e| e.status == crate::exceptions::ExceptionStatus::Expired).count(),
                self.exceptions.iter().filter(|e| e.status == crate::exceptions::ExceptionStatus::NotJudged).count(),
                self.exceptions.iter().filter(|e| e.status == crate::exceptions::ExceptionStatus::NotMatched).count(),
                self.exceptions.iter().map(|e| e.findings_removed).sum::<usize>(),
                hidden,
            ),
            columns: vec![
                "exception",
                "justification",
                "status",
                "expires",
                "removed",
                "kept",
                "hidden recommendations",
                "devices",
            ],
            rows: self
                .exceptions
                .iter()
                .map(|e| {
                    vec![
                        e.id.clone(),
                        e.justification.name().to_owned(),
                        e.status.name().to_owned(),
                        e.expires.map_or_else(|| "-".to_owned(), |d| d.to_string()),
                        e.findings_removed.to_string(),
                        e.findings_kept.to_string(),
                        if e.recommendations_hidden.is_empty() {
                            "-".to_owned()
                        } else {
                            e.recommendations_hidden.join(" ")
                        },
                        e.devices.len().to_string(),
                    ]
                })
                .collect(),
            notes: Vec::new(),
        }
    }

    fn suppression_table(&self) -> Table {
        Table {
            title: if self.suppressed.iter().any(|s| s.exception.is_some()) {
                "Suppressed by VEX and exceptions (not in the scores)".to_owned()
            } else {
                "Suppressed by VEX (not in the scores)".to_owned()
            },
            columns: vec![
                "device",
                "software",
                "advisory",
                "status",
                "justification",
                "statement",
            ],
            rows: self
                .suppressed
                .iter()
                .map(|s| {
                    let (status, justification, by) = match (&s.statement, &s.exception) {
                        (Some(st), _) => (
                            st.status.name().to_owned(),
                            st.justification.clone().unwrap_or_default(),
                            st.source.clone(),
                        ),
                        (None, Some(e)) => (
                            "excepted".to_owned(),
                            e.justification.name().to_owned(),
                            format!("exception {}", e.id),
                        ),
                        (None, None) => (String::new(), String::new(), String::new()),
                    };
                    vec![
                        s.finding.device_id.to_string(),
                        format!("{} {}", s.finding.software.name, s.finding.software.version),
                        s.finding.advisory_id.to_string(),
                        status,
                        justification,
                        by,
                    ]
                })
                .collect(),
            notes: Vec::new(),
        }
    }
}

impl crate::explain::DeviceExplanation {
    /// The device's score line: id, name, score, level, value, weight, findings, model.
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let e = a.explain_device("api-gw-01").unwrap();
    /// assert!(e.headline().starts_with("Device api-gw-01"));
    /// ```
    pub fn headline(&self) -> String {
        format!(
            "Device {} ({}): exposure score {:.1} ({})  value: {}  weight: {:.2}  findings: {}  model: {}",
            self.device_id,
            self.name,
            self.score,
            self.level.name(),
            self.value.name(),
            self.weight,
            self.findings.len(),
            self.model_version
        )
    }

    /// Its findings by marginal contribution: advisory, software, `I`, `L`, what set `L`,
    /// `r`, marginal (score points) and share; a note says what the marginals are.
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let t = a.explain_device("api-gw-01").unwrap().table();
    /// assert_eq!(t.columns, ["advisory", "software", "I", "L", "set by", "r", "marginal", "share"]);
    /// assert!(t.rows.iter().all(|r| r.len() == t.columns.len()));
    /// ```
    pub fn table(&self) -> Table {
        Table {
            title: "Findings by marginal contribution".to_owned(),
            columns: vec![
                "advisory", "software", "I", "L", "set by", "r", "marginal", "share",
            ],
            rows: self
                .findings
                .iter()
                .map(|f| {
                    vec![
                        match f.cves.first() {
                            Some(cve) if *cve != f.advisory_id => {
                                format!("{} ({cve})", f.advisory_id)
                            }
                            _ => f.advisory_id.clone(),
                        },
                        format!("{} {}", f.software, f.version),
                        format!("{:.2}", f.impact),
                        format!("{:.3}", f.likelihood),
                        f.set_by.clone(),
                        match &f.mitigated_by {
                            None => format!("{:.3}", f.risk),
                            Some(check) => format!("{:.3} (mitigated: {check})", f.risk),
                        },
                        format!("{:.2}", f.marginal),
                        format!("{:.1}%", 100.0 * f.share),
                    ]
                })
                .collect(),
            notes: vec![format!(
                "marginal: the score minus the score without the finding; the marginals sum to {:.2} of the score {:.2} (noisy-OR); share: marginal / that sum",
                self.marginal_sum, self.score
            )],
        }
    }
}

impl crate::explain::OrganisationExplanation {
    /// The organisation's score line.
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// assert!(a.explain_organisation().headline().starts_with("Organisation exposure score: "));
    /// ```
    pub fn headline(&self) -> String {
        format!(
            "Organisation exposure score: {:.1} ({})  devices: {}  total weight: {:.2}  model: {}",
            self.score,
            self.level.name(),
            self.devices.len(),
            self.total_weight,
            self.model_version
        )
    }

    /// Its devices by contribution (`w · score / Σ w`, summing to the organisation's score)
    /// and share.
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let t = a.explain_organisation().table();
    /// assert_eq!(t.rows.len(), a.devices.len());
    /// assert!(t.rows.iter().all(|r| r.len() == t.columns.len()));
    /// ```
    pub fn table(&self) -> Table {
        Table {
            title: "Devices by contribution".to_owned(),
            columns: vec![
                "device",
                "value",
                "weight",
                "score",
                "level",
                "findings",
                "contribution",
                "share",
            ],
            rows: self
                .devices
                .iter()
                .map(|d| {
                    vec![
                        d.device_id.clone(),
                        d.value.name().to_owned(),
                        format!("{:.2}", d.weight),
                        format!("{:.1}", d.score),
                        d.level.name().to_owned(),
                        d.findings.to_string(),
                        format!("{:.2}", d.contribution),
                        format!("{:.1}%", 100.0 * d.share),
                    ]
                })
                .collect(),
            notes: vec![
                "contribution: weight × score / total weight; the contributions sum to the organisation's score"
                    .to_owned(),
            ],
        }
    }
}
