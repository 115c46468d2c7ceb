//! Scores: CVSS for one vulnerability ([`cvss`]) and the exposure model that turns findings
//! into device and organisation scores ([`exposure`]).

pub mod cvss;
pub mod exploitation;
pub mod exposure;
