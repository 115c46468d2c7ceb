//! Helpers shared by the store's integration tests.
#![allow(dead_code, unreachable_pub)]

use exposure_store::{AssessmentMeta, Timestamp};

/// Metadata of an assessment of `label` recorded at `seconds` after the epoch.
pub fn meta(label: &str, seconds: i64) -> AssessmentMeta {
    AssessmentMeta {
        recorded_at: Timestamp::from_unix_seconds(seconds),
        as_of: None,
        label: label.to_owned(),
        score: 42.5,
        level: "medium".to_owned(),
        devices: 10,
        findings: 120,
        format: "exposure-record/1".to_owned(),
    }
}

/// `len` bytes that name `seed` everywhere (a damaged or swapped payload shows).
pub fn payload(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}
