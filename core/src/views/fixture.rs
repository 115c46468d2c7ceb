//! Small hand-built records for the tests of views and remediation.

use crate::assessment::{KnowledgeSummary, NotCounted};
use crate::ecosystem::Ecosystem;
use crate::history::{
    AdvisoryRecord, AssessmentRecord, DeviceRecord, ExploitMaturity, FindingRecord, KevRecord,
    RecommendationRecord, SoftwareRecord, RECORD_FORMAT,
};
use crate::inventory::DeviceValue;
use crate::matching::{FixState, Matcher};
use crate::recommend::ActionKind;
use crate::score::exposure::{device_score, organisation_score, ExposureLevel};

/// A device: id, groups, weight, software indexes.
pub(crate) struct D<'a>(pub &'a str, pub &'a [&'a str], pub f64, pub &'a [u32]);

/// A finding: device, software, advisory, contribution, counted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct F(pub u32, pub u32, pub u32, pub f64, pub bool);

pub(crate) fn software(name: &str, version: &str) -> SoftwareRecord {
    SoftwareRecord {
        ecosystem: Ecosystem::Npm,
        name: name.to_owned(),
        version: version.to_owned(),
        purl: Some(format!("pkg:npm/{name}@{version}")),
        cpe: None,
        product: name.to_owned(),
        support_ends: None,
    }
}

pub(crate) fn advisory(id: &str) -> AdvisoryRecord {
    AdvisoryRecord {
        id: id.to_owned(),
        aliases: vec![format!("CVE-{id}")],
        summary: None,
        published: Some("2024-01-01".to_owned()),
        cwes: vec![],
        severity: None,
        cvss_vector: None,
        cvss_score: Some(7.5),
        epss: None,
        epss_percentile: None,
        kev: None,
        exploit_maturity: ExploitMaturity::Unreported,
    }
}

/// A record of `devices`, `software`, `advisories` and `findings`, scores computed from the
/// contributions; one update recommendation per product (by software name), covering every
/// finding on it.
pub(crate) fn record(
    devices: &[D<'_>],
    software: Vec<SoftwareRecord>,
    advisories: Vec<AdvisoryRecord>,
    findings: &[F],
) -> AssessmentRecord {
    let findings: Vec<FindingRecord> = findings
        .iter()
        .map(|f| FindingRecord {
            device: f.0,
            software: f.1,
            advisory: f.2,
            matcher: Matcher::OsvPackage,
            fix_state: FixState::Fixed,
            fix: Some("9.9.9".to_owned()),
            fixed_versions: vec!["9.9.9".to_owned()],
            impact: 1.0,
            likelihood: f.3,
            risk: f.3,
            contribution: if f.4 { f.3 } else { 0.0 },
            not_counted: (!f.4).then_some(NotCounted::Mitigated),
        })
        .collect();
    let devices: Vec<DeviceRecord> = devices
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let score = device_score(
                findings
                    .iter()
                    .filter(|f| f.device as usize == i)
                    .map(|f| f.contribution),
            );
            DeviceRecord {
                id: d.0.to_owned(),
                name: d.0.to_owned(),
                groups: d.1.iter().map(|g| (*g).to_owned()).collect(),
                tags: d.1.iter().map(|g| (*g).to_owned()).collect(),
                value: DeviceValue::Normal,
                weight: d.2,
                internet_facing: false,
                score,
                level: ExposureLevel::of_score(score),
                secure_score: None,
                software: d.3.to_vec(),
            }
        })
        .collect();
    let score = organisation_score(devices.iter().map(|d| (d.score, d.weight)));
    let mut products: Vec<&str> = findings
        .iter()
        .map(|f| software[f.software as usize].product.as_str())
        .collect();
    products.sort_unstable();
    products.dedup();
    let mut recommendations: Vec<RecommendationRecord> = products
        .iter()
        .map(|p| {
            let covered: Vec<u32> = (0..findings.len())
                .filter(|&i| software[findings[i].software as usize].product == *p)
                .map(|i| u32::try_from(i).expect("small"))
                .collect();
            let mut on: Vec<u32> = covered
                .iter()
                .map(|&f| findings[f as usize].device)
                .collect();
            on.sort_unstable();
            on.dedup();
            RecommendationRecord {
                id: format!("update:npm:{p}"),
                rank: 0,
                action: ActionKind::Update,
                ecosystem: Ecosystem::Npm,
                software: (*p).to_owned(),
                text: format!("update {p} (npm) to 9.9.9"),
                target_version: Some("9.9.9".to_owned()),
                exposure_impact: 0.0,
                exposure_left: 0.0,
                configuration_impact: 0.0,
                known_exploited: 0,
                findings: covered,
                devices: on,
                excepted_by: vec![],
            }
        })
        .collect();
    for (i, r) in recommendations.iter_mut().enumerate() {
        r.rank = u32::try_from(i + 1).expect("small");
    }
    AssessmentRecord {
        format: RECORD_FORMAT.to_owned(),
        as_of: "2026-12-01".parse().ok(),
        model_version: "test".to_owned(),
        priors_version: "test".to_owned(),
        knowledge: KnowledgeSummary::default(),
        score,
        level: ExposureLevel::of_score(score),
        secure_score: None,
        devices,
        software,
        advisories,
        findings,
        recommendations,
        suppressed: vec![],
        excepted_recommendations: vec![],
        exceptions: vec![],
    }
}

/// The record the tests compute by hand:
///
/// | device | groups | weight | findings (software, advisory, contribution) | score |
/// |---|---|---|---|---|
/// | d1 | a | 1 | lodash A1 0.5, lodash A2 0.2 | 60 |
/// | d2 | a, b | 1 | lodash A1 0.5, minimist A3 0.4 | 70 |
/// | d3 | b | 2 | minimist A3 0.4, minimist A4 (mitigated) | 40 |
///
/// Organisation 52.5, group a 65, group b 50. d1 also runs openssl (CPE, support ended
/// 2026-09-07) and d3 left-pad, neither with findings. A1 is in KEV (EPSS 0.9, functional
/// exploit).
pub(crate) fn small() -> AssessmentRecord {
    let mut software = vec![
        self::software("lodash", "4.17.15"),
        self::software("minimist", "1.2.5"),
        self::software("left-pad", "1.3.0"),
        SoftwareRecord {
            ecosystem: Ecosystem::Other("generic".to_owned()),
            name: "OpenSSL".to_owned(),
            version: "3.0.0".to_owned(),
            purl: None,
            cpe: Some("cpe:2.3:a:openssl:openssl:3.0.0:*:*:*:*:*:*:*".to_owned()),
            product: "cpe:openssl:openssl".to_owned(),
            support_ends: Some("2026-09-07".to_owned()),
        },
    ];
    software[1].support_ends = Some("2030-01-01".to_owned());
    let mut a1 = advisory("A1");
    a1.kev = Some(KevRecord {
        cve_id: "CVE-A1".to_owned(),
        date_added: "2024-02-01".to_owned(),
        due_date: "2024-02-22".to_owned(),
        known_ransomware_use: false,
    });
    a1.epss = Some(0.9);
    a1.exploit_maturity = ExploitMaturity::Functional;
    let mut a2 = advisory("A2");
    a2.epss = Some(0.1);
    let mut record = record(
        &[
            D("d1", &["a"], 1.0, &[0, 3]),
            D("d2", &["a", "b"], 1.0, &[0, 1]),
            D("d3", &["b"], 2.0, &[1, 2]),
        ],
        software,
        vec![a1, a2, advisory("A3"), advisory("A4")],
        &[
            F(0, 0, 0, 0.5, true),
            F(0, 0, 1, 0.2, true),
            F(1, 0, 0, 0.5, true),
            F(1, 1, 2, 0.4, true),
            F(2, 1, 2, 0.4, true),
            F(2, 1, 3, 0.3, false),
        ],
    );
    record.findings[5].fix_state = FixState::NotFixed;
    record.findings[5].fix = None;
    record
}
