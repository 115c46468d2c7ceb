//! Scores: CVSS for one vulnerability ([`cvss`]), the exposure model that turns findings
//! into device and organisation scores ([`exposure`]), and the likelihood priors fitted from
//! data that the model falls back on without an EPSS score ([`priors`]).

pub mod cvss;
pub mod exploitation;
pub mod exposure;
pub mod priors;
