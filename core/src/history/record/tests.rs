use super::{AssessmentRecord, ExploitMaturity, RecordError, RECORD_FORMAT};
use crate::inventory::{Device, Fleet, Software};
use crate::Engine;
use std::sync::Arc;

fn demo_record() -> (AssessmentRecord, crate::Assessment) {
    let engine = Engine::demo();
    let fleet = crate::demo::fleet();
    let assessment = engine.assess(&fleet);
    let record = AssessmentRecord::of(&assessment, &fleet, engine.kb()).expect("record");
    (record, assessment)
}

#[test]
fn a_record_keeps_what_the_assessment_said() {
    let (record, assessment) = demo_record();
    assert_eq!(record.format, RECORD_FORMAT);
    assert_eq!(
        record.score.to_bits(),
        assessment.organisation.score.to_bits()
    );
    assert_eq!(record.devices.len(), assessment.devices.len());
    assert_eq!(record.findings.len(), assessment.findings.len());
    assert_eq!(
        record.recommendations.len(),
        assessment.recommendations.len()
    );
    for (f, scored) in record.findings.iter().zip(&assessment.findings) {
        assert_eq!(record.advisory_of(f).id, *scored.finding.advisory_id);
        assert_eq!(record.device_of(f).id, *scored.finding.device_id);
        assert_eq!(record.software_of(f).name, scored.finding.software.name);
        assert_eq!(f.contribution.to_bits(), scored.contribution().to_bits());
    }
    for (r, rec) in record
        .recommendations
        .iter()
        .zip(&assessment.recommendations)
    {
        assert_eq!(r.id, rec.id());
        assert_eq!(r.findings.len(), rec.findings);
        let devices: Vec<&str> = r
            .devices
            .iter()
            .map(|&d| record.devices[d as usize].id.as_str())
            .collect();
        assert_eq!(devices, rec.devices);
    }
    // Devices list every installed item, interned: the demo's items are fewer than its
    // installations.
    let installed: usize = record.devices.iter().map(|d| d.software.len()).sum();
    assert!(record.software.len() <= installed);
    // The demo's KEV entry travels with its advisory.
    assert!(record.advisories.iter().any(|a| a.kev.is_some()));
}

#[test]
fn both_forms_round_trip_and_the_binary_is_smaller() {
    let (record, _) = demo_record();
    let json = record.to_json().expect("json");
    let binary = record.to_binary();
    // Every float comes back to the bit (JSON too: serde_json's exact float parsing).
    assert!(AssessmentRecord::from_json(&json) == Ok(record.clone()));
    assert!(AssessmentRecord::from_binary(&binary) == Ok(record));
    assert!(
        binary.len() * 2 < json.len(),
        "{} vs {}",
        binary.len(),
        json.len()
    );
}

#[test]
fn damaged_records_are_named_errors() {
    let (record, _) = demo_record();
    let binary = record.to_binary();
    assert_eq!(
        AssessmentRecord::from_binary(&binary[..binary.len() - 3]),
        Err(RecordError::Truncated {
            expected: (binary.len() - 28) as u64,
            found: (binary.len() - 31) as u64
        })
    );
    let mut flipped = binary.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    assert!(matches!(
        AssessmentRecord::from_binary(&flipped),
        Err(RecordError::Corrupted { .. })
    ));
    // A newer format is named, in both forms.
    let mut newer = record.clone();
    newer.format = "exposure-record/2".to_owned();
    assert_eq!(
        AssessmentRecord::from_binary(&newer.to_binary()),
        Err(RecordError::Format {
            found: "exposure-record/2".to_owned()
        })
    );
    let json = newer.to_json().expect("json");
    assert!(matches!(
        AssessmentRecord::from_json(&json),
        Err(RecordError::Format { .. })
    ));
    // An index outside its table is refused, not followed.
    let mut broken = record;
    broken.findings[0].advisory = u32::MAX;
    let e = AssessmentRecord::from_binary(&broken.to_binary()).unwrap_err();
    assert!(
        matches!(e, RecordError::Invalid(ref m) if m.contains("advisory index")),
        "{e}"
    );
    // Random payloads under a right frame never panic nor allocate without bound.
    for seed in 0..200_u32 {
        let payload: Vec<u8> = (0..(seed % 97))
            .map(|i| (i.wrapping_mul(2_654_435_761_u32.wrapping_add(seed)) >> 13).to_le_bytes()[0])
            .collect();
        let framed = crate::frame::write(super::MAGIC, super::BINARY_VERSION, &payload);
        assert!(AssessmentRecord::from_binary(&framed).is_err());
    }
}

#[test]
fn shared_and_equal_items_are_one_row() {
    let minimist = || Software {
        ecosystem: crate::ecosystem::Ecosystem::Npm,
        name: "minimist".into(),
        version: "1.2.5".into(),
        purl: None,
        packages: Vec::new(),
        cpe: None,
        last_used: None,
        kind: None,
    };
    let item = Arc::new(minimist());
    let twin = Arc::new(minimist());
    let mut a = Device::with_software("a", "a", Vec::new());
    a.software = vec![Arc::clone(&item)];
    let mut b = Device::with_software("b", "b", Vec::new());
    b.software = vec![item, twin];
    let fleet = Fleet {
        devices: vec![a, b],
    };
    let engine = Engine::demo();
    let assessment = engine.assess(&fleet);
    let record = AssessmentRecord::of(&assessment, &fleet, engine.kb()).expect("record");
    assert_eq!(record.software.len(), 1);
    assert_eq!(record.devices[1].software, [0, 0]);
    assert!(record.findings.iter().all(|f| f.software == 0));
}

#[test]
fn exploit_maturity_follows_each_version() {
    let of = |v: &str| ExploitMaturity::of(&v.parse().expect("vector"));
    assert_eq!(
        of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A"),
        ExploitMaturity::Attacked
    );
    assert_eq!(
        of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P"),
        ExploitMaturity::ProofOfConcept
    );
    assert_eq!(
        of("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:H/RL:OF/RC:C"),
        ExploitMaturity::Attacked
    );
    assert_eq!(
        of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        ExploitMaturity::Unreported
    );
    assert!(ExploitMaturity::ProofOfConcept < ExploitMaturity::Functional);
}
