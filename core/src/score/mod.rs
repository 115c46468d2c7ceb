//! Scores: CVSS for one vulnerability ([`cvss`]) and the exposure model that turns findings
//! into device and organisation scores ([`exposure`]): each finding's impact ([`impact`]) and
//! likelihood ([`likelihood`], with the priors fitted on data in [`priors`]).

pub mod cvss;
pub mod exploitation;
pub mod exposure;
pub mod impact;
pub mod likelihood;
pub mod priors;
