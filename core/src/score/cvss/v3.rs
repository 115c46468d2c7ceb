//! CVSS v3.0 and v3.1.

use super::{CvssError, CvssErrorKind, Severity};
use std::fmt;

/// Which minor version of CVSS v3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum V3Version {
    /// CVSS v3.0.
    #[serde(rename = "3.0")]
    V30,
    /// CVSS v3.1.
    #[serde(rename = "3.1")]
    V31,
}

/// Metric names in canonical order, with the values each allows.
const METRICS: [(&str, &[&str]); 22] = [
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "R"]),
    ("S", &["U", "C"]),
    ("C", &["H", "L", "N"]),
    ("I", &["H", "L", "N"]),
    ("A", &["H", "L", "N"]),
    ("E", &["X", "H", "F", "P", "U"]),
    ("RL", &["X", "U", "W", "T", "O"]),
    ("RC", &["X", "C", "R", "U"]),
    ("CR", &["X", "H", "M", "L"]),
    ("IR", &["X", "H", "M", "L"]),
    ("AR", &["X", "H", "M", "L"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "R"]),
    ("MS", &["X", "U", "C"]),
    ("MC", &["X", "H", "L", "N"]),
    ("MI", &["X", "H", "L", "N"]),
    ("MA", &["X", "H", "L", "N"]),
];
const BASE_METRICS: usize = 8;

/// A parsed CVSS v3.0 or v3.1 vector.
///
/// ```
/// use exposure::score::cvss::{CvssV3, Severity};
/// let v: CvssV3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H".parse()?;
/// assert_eq!(v.base_score(), 7.5);
/// assert_eq!(v.base_severity(), Severity::High);
/// let scope_changed: CvssV3 = "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N".parse()?;
/// assert_eq!(scope_changed.base_score(), 6.1);
/// # Ok::<(), exposure::score::cvss::CvssError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CvssV3 {
    version: V3Version,
    /// The value letter of each metric in [`METRICS`] order; `None` when not given.
    values: [Option<u8>; 22],
}

impl CvssV3 {
    /// The value given for a metric by its abbreviation (`"AV"`, `"E"`, `"CR"`, …); `None` for
    /// a metric the vector does not give (or an unknown name).
    ///
    /// ```
    /// use exposure::score::cvss::CvssV3;
    /// let v: CvssV3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F".parse()?;
    /// assert_eq!((v.metric("AV"), v.metric("E"), v.metric("CR")), (Some("N"), Some("F"), None));
    /// # Ok::<(), exposure::score::cvss::CvssError>(())
    /// ```
    pub fn metric(&self, name: &str) -> Option<&'static str> {
        let index = METRICS.iter().position(|(m, _)| *m == name)?;
        let letter = self.values[index]?;
        METRICS[index]
            .1
            .iter()
            .find(|v| v.as_bytes() == [letter])
            .copied()
    }

    /// The minor version.
    pub fn version(&self) -> V3Version {
        self.version
    }

    fn value(&self, metric: usize) -> u8 {
        // Base metrics are mandatory, so parsing guarantees them.
        self.values[metric].unwrap_or(b'X')
    }

    /// The attack vector letter (`N`, `A`, `L`, `P`).
    pub fn attack_vector(&self) -> char {
        char::from(self.value(0))
    }

    /// The privileges-required letter (`N`, `L`, `H`).
    pub fn privileges_required(&self) -> char {
        char::from(self.value(2))
    }

    /// The user-interaction letter (`N`, `R`).
    pub fn user_interaction(&self) -> char {
        char::from(self.value(3))
    }

    fn scope_changed(&self) -> bool {
        self.value(4) == b'C'
    }

    /// The impact sub-score.
    pub fn impact_subscore(&self) -> f64 {
        let cia = |m| -> f64 {
            match self.value(m) {
                b'H' => 0.56,
                b'L' => 0.22,
                _ => 0.0,
            }
        };
        let iss = 1.0 - (1.0 - cia(5)) * (1.0 - cia(6)) * (1.0 - cia(7));
        if self.scope_changed() {
            7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
        } else {
            6.42 * iss
        }
    }

    /// The exploitability sub-score.
    pub fn exploitability_subscore(&self) -> f64 {
        let av = match self.value(0) {
            b'N' => 0.85,
            b'A' => 0.62,
            b'L' => 0.55,
            _ => 0.2,
        };
        let ac = if self.value(1) == b'L' { 0.77 } else { 0.44 };
        let pr = match (self.value(2), self.scope_changed()) {
            (b'N', _) => 0.85,
            (b'L', false) => 0.62,
            (b'L', true) => 0.68,
            (_, false) => 0.27,
            (_, true) => 0.5,
        };
        let ui = if self.value(3) == b'N' { 0.85 } else { 0.62 };
        8.22 * av * ac * pr * ui
    }

    /// The base score, rounded as the vector's version specifies: looked up in a table of
    /// every base vector's score, computed at compile time from the specification's formulas.
    pub fn base_score(&self) -> f64 {
        f64::from(BASE_TENTHS[base_index(|metric| self.value(metric))]) / 10.0
    }

    /// The base score in tenths of a vector that is exactly `CVSS:3.0/` or `CVSS:3.1/` and
    /// the eight base metrics in the specification's order (no white space, nothing after),
    /// read without building the vector: `None` for any other text, which
    /// [`CvssV3::from_str`](std::str::FromStr) then reads (or rejects) in full.
    ///
    /// ```
    /// use exposure::score::cvss::CvssV3;
    /// assert_eq!(CvssV3::base_tenths_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), Some(98));
    /// assert_eq!(CvssV3::base_tenths_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P"), None);
    /// assert_eq!(CvssV3::base_tenths_of("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), None);
    /// ```
    #[inline]
    pub fn base_tenths_of(text: &str) -> Option<u8> {
        let body = text
            .strip_prefix("CVSS:3.1/")
            .or_else(|| text.strip_prefix("CVSS:3.0/"))?
            .as_bytes();
        if body.len() != BASE.len() || !BASE_TEMPLATE.matches(body) {
            return None;
        }
        let mut letters = [0u8; BASE_METRICS];
        for (metric, &at) in BASE_LETTER_AT.iter().enumerate() {
            letters[metric] = body[at];
            if !allows(metric, body[at]) {
                return None;
            }
        }
        Some(BASE_TENTHS[base_index(|metric| letters[metric])])
    }

    /// The base score from the specification's formulas, at run time: the reference that
    /// [`BASE_TENTHS`] is checked against.
    #[cfg(test)]
    fn computed_base_score(&self) -> f64 {
        let impact = self.impact_subscore();
        if impact <= 0.0 {
            return 0.0;
        }
        let sum = impact + self.exploitability_subscore();
        let raw = if self.scope_changed() {
            (1.08 * sum).min(10.0)
        } else {
            sum.min(10.0)
        };
        round_up_31(raw)
    }

    /// The base severity rating.
    pub fn base_severity(&self) -> Severity {
        Severity::of_score(self.base_score())
    }

    /// Whether any temporal metric (E, RL, RC) is given a value (`X` is "not defined").
    pub fn has_temporal(&self) -> bool {
        self.values[8..11]
            .iter()
            .any(|v| v.is_some_and(|v| v != b'X'))
    }

    /// Whether any environmental metric (CR … MA) is given a value (`X` is "not defined").
    /// With none, 3.1's environmental score can still differ from the base score (its
    /// modified impact formula differs for a changed scope), which is why the most specific
    /// score is chosen by this.
    pub fn has_environmental(&self) -> bool {
        self.values[11..]
            .iter()
            .any(|v| v.is_some_and(|v| v != b'X'))
    }

    /// E × RL × RC (each `X` or absent counting as 1).
    fn temporal_factor(&self) -> f64 {
        let e = match self.value(8) {
            b'F' => 0.97,
            b'P' => 0.94,
            b'U' => 0.91,
            _ => 1.0,
        };
        let rl = match self.value(9) {
            b'W' => 0.97,
            b'T' => 0.96,
            b'O' => 0.95,
            _ => 1.0,
        };
        let rc = match self.value(10) {
            b'R' => 0.96,
            b'U' => 0.92,
            _ => 1.0,
        };
        e * rl * rc
    }

    /// The temporal score: the base score times E, RL and RC, rounded up (defined for every
    /// vector; equal to the base score when no temporal metric is given).
    pub fn temporal_score(&self) -> f64 {
        round_up_31(self.base_score() * self.temporal_factor())
    }

    /// A modified base metric's letter: its own value, or the base metric's when `X`/absent.
    fn modified(&self, metric: usize) -> u8 {
        match self.values[metric] {
            Some(v) if v != b'X' => v,
            _ => self.value(metric - 14),
        }
    }

    /// The modified impact sub-score (v3.1's formula for a changed scope has
    /// `(MISS × 0.9731 − 0.02)^13`; v3.0's is the base formula).
    pub fn modified_impact_subscore(&self) -> f64 {
        let requirement = |metric| -> f64 {
            match self.value(metric) {
                b'H' => 1.5,
                b'L' => 0.5,
                _ => 1.0,
            }
        };
        let cia = |v: u8| -> f64 {
            match v {
                b'H' => 0.56,
                b'L' => 0.22,
                _ => 0.0,
            }
        };
        let miss = (1.0
            - (1.0 - cia(self.modified(19)) * requirement(11))
                * (1.0 - cia(self.modified(20)) * requirement(12))
                * (1.0 - cia(self.modified(21)) * requirement(13)))
        .min(0.915);
        if self.modified(18) == b'C' {
            match self.version {
                V3Version::V31 => 7.52 * (miss - 0.029) - 3.25 * (miss * 0.9731 - 0.02).powi(13),
                V3Version::V30 => 7.52 * (miss - 0.029) - 3.25 * (miss - 0.02).powi(15),
            }
        } else {
            6.42 * miss
        }
    }

    /// The modified exploitability sub-score.
    pub fn modified_exploitability_subscore(&self) -> f64 {
        let changed = self.modified(18) == b'C';
        let av = match self.modified(14) {
            b'N' => 0.85,
            b'A' => 0.62,
            b'L' => 0.55,
            _ => 0.2,
        };
        let ac = if self.modified(15) == b'L' {
            0.77
        } else {
            0.44
        };
        let pr = match (self.modified(16), changed) {
            (b'N', _) => 0.85,
            (b'L', false) => 0.62,
            (b'L', true) => 0.68,
            (_, false) => 0.27,
            (_, true) => 0.5,
        };
        let ui = if self.modified(17) == b'N' {
            0.85
        } else {
            0.62
        };
        8.22 * av * ac * pr * ui
    }

    /// The environmental score (defined for every vector; equal to the temporal score when
    /// no environmental metric is given).
    pub fn environmental_score(&self) -> f64 {
        let impact = self.modified_impact_subscore();
        if impact <= 0.0 {
            return 0.0;
        }
        let sum = impact + self.modified_exploitability_subscore();
        let raw = if self.modified(18) == b'C' {
            (1.08 * sum).min(10.0)
        } else {
            sum.min(10.0)
        };
        round_up_31(round_up_31(raw) * self.temporal_factor())
    }

    /// The most specific score the vector supports: environmental when an environmental
    /// metric is given, else temporal when a temporal one is, else base.
    pub fn score(&self) -> f64 {
        if self.has_environmental() {
            self.environmental_score()
        } else if self.has_temporal() {
            self.temporal_score()
        } else {
            self.base_score()
        }
    }
}

/// CVSS v3.1 Appendix A: round up to one decimal, robust to floating-point error.
///
/// Used for 3.0 too. 3.0 specifies a plain round up, which FIRST's 3.0 calculator took as
/// `ceil(x × 10) / 10` on floats and so answered 6.2 for a value that is 6.1 up to
/// floating-point error; we take both as the mathematical round-up of the exact value, which
/// Appendix A computes robustly (the `cvss` package does it in decimal arithmetic): 3.0 and
/// 3.1 differ only in their formulas.
fn round_up_31(x: f64) -> f64 {
    let scaled = super::round_to_integer(x * 100_000.0);
    #[allow(clippy::cast_precision_loss)]
    if scaled % 10_000 == 0 {
        scaled as f64 / 100_000.0
    } else {
        (scaled / 10_000 + 1) as f64 / 10.0
    }
}

/// The index of a metric name in [`METRICS`]. Slice patterns of bytes compile to a few
/// inline comparisons (matching `&str` patterns called `memcmp` for each).
fn metric_index(metric: &[u8]) -> Option<usize> {
    Some(match metric {
        [b'A', b'V'] => 0,
        [b'A', b'C'] => 1,
        [b'P', b'R'] => 2,
        [b'U', b'I'] => 3,
        [b'S'] => 4,
        [b'C'] => 5,
        [b'I'] => 6,
        [b'A'] => 7,
        [b'E'] => 8,
        [b'R', b'L'] => 9,
        [b'R', b'C'] => 10,
        [b'C', b'R'] => 11,
        [b'I', b'R'] => 12,
        [b'A', b'R'] => 13,
        [b'M', b'A', b'V'] => 14,
        [b'M', b'A', b'C'] => 15,
        [b'M', b'P', b'R'] => 16,
        [b'M', b'U', b'I'] => 17,
        [b'M', b'S'] => 18,
        [b'M', b'C'] => 19,
        [b'M', b'I'] => 20,
        [b'M', b'A'] => 21,
        _ => return None,
    })
}

/// The base metrics in the specification's order, `_` where each letter goes.
const BASE: &[u8] = b"AV:_/AC:_/PR:_/UI:_/S:_/C:_/I:_/A:_";

/// Where each base metric's letter is in [`BASE`].
const BASE_LETTER_AT: [usize; BASE_METRICS] = {
    let mut at = [0; BASE_METRICS];
    let (mut i, mut metric) = (0, 0);
    while i < BASE.len() {
        if BASE[i] == b'_' {
            at[metric] = i;
            metric += 1;
        }
        i += 1;
    }
    at
};

/// The index in [`BASE_TENTHS`] of the base vector whose `metric`-th letter is
/// `letter(metric)` (each one its metric allows).
#[inline]
fn base_index(letter: impl Fn(usize) -> u8) -> usize {
    (0..BASE_METRICS).fold(0, |index, metric| {
        let values = METRICS[metric].1.len();
        // Only valid letters come here: each has its position plus one.
        let position = LETTERS[metric]
            .get(usize::from(letter(metric)))
            .map_or(0, |&v| v.saturating_sub(1));
        index * values + usize::from(position)
    })
}

/// [`BASE`] compared eight bytes at a time.
const BASE_TEMPLATE: super::BaseTemplate = super::BaseTemplate::new(BASE);

/// Each metric's values by letter: `LETTERS[metric][letter]` is the value's index in
/// [`METRICS`] plus one, 0 for a letter the metric does not allow.
const LETTERS: [[u8; 128]; METRICS.len()] = super::value_letters(&METRICS);

/// The number of base vectors: the product of the base metrics' value counts.
const BASE_VECTORS: usize = 4 * 2 * 3 * 2 * 2 * 3 * 3 * 3;

/// The base score, in tenths, of every base vector, indexed by its values' positions in
/// [`METRICS`] (mixed radix, `AV` first), computed at compile time from the specification's
/// formulas; `base_scores_are_the_formulas` checks each against the run-time computation.
const BASE_TENTHS: [u8; BASE_VECTORS] = {
    let mut table = [0u8; BASE_VECTORS];
    let mut index = 0;
    while index < BASE_VECTORS {
        let mut positions = [0usize; BASE_METRICS];
        let mut rest = index;
        let mut metric = BASE_METRICS;
        while metric > 0 {
            metric -= 1;
            let values = METRICS[metric].1.len();
            positions[metric] = rest % values;
            rest /= values;
        }
        table[index] = base_tenths(positions);
        index += 1;
    }
    table
};

/// The base score in tenths of the base vector whose values are at `p` in [`METRICS`]:
/// CVSS v3.1 §7.1 and Appendix A's round-up, as [`CvssV3::impact_subscore`],
/// [`CvssV3::exploitability_subscore`] and [`round_up_31`] compute it.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // tenths of 0..=10
const fn base_tenths(p: [usize; BASE_METRICS]) -> u8 {
    const CIA: [f64; 3] = [0.56, 0.22, 0.0]; // H, L, N
    let changed = p[4] == 1; // S:C
    let iss = 1.0 - (1.0 - CIA[p[5]]) * (1.0 - CIA[p[6]]) * (1.0 - CIA[p[7]]);
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * pow15(iss - 0.02)
    } else {
        6.42 * iss
    };
    if impact <= 0.0 {
        return 0;
    }
    let av = [0.85, 0.62, 0.55, 0.2][p[0]]; // N, A, L, P
    let ac = [0.77, 0.44][p[1]]; // L, H
    let pr = match (p[2], changed) {
        (0, _) => 0.85,
        (1, false) => 0.62,
        (1, true) => 0.68,
        (_, false) => 0.27,
        (_, true) => 0.5,
    };
    let ui = [0.85, 0.62][p[3]]; // N, R
    let sum = impact + 8.22 * av * ac * pr * ui;
    let raw = if changed { 1.08 * sum } else { sum };
    let raw = if raw > 10.0 { 10.0 } else { raw };
    // round_up_31 on a non-negative value.
    let scaled = (raw * 100_000.0 + 0.5) as i64;
    let tenths = if scaled % 10_000 == 0 {
        scaled / 10_000
    } else {
        scaled / 10_000 + 1
    };
    tenths as u8
}

/// `x.powi(15)` as a const fn (the same product, checked by `base_scores_are_the_formulas`).
const fn pow15(x: f64) -> f64 {
    let x2 = x * x;
    let x4 = x2 * x2;
    let x8 = x4 * x4;
    x8 * x4 * x2 * x
}

/// Whether a metric allows a one-letter value.
fn allows(metric: usize, value: u8) -> bool {
    LETTERS[metric]
        .get(usize::from(value))
        .is_some_and(|&v| v != 0)
}

impl std::str::FromStr for CvssV3 {
    type Err = CvssError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let at = super::start(input);
        let text = input.trim();
        let (version, body) = if let Some(body) = text.strip_prefix("CVSS:3.1/") {
            (V3Version::V31, body)
        } else if let Some(body) = text.strip_prefix("CVSS:3.0/") {
            (V3Version::V30, body)
        } else {
            return Err(CvssError::new(
                input,
                Some(at),
                CvssErrorKind::UnknownVersion {
                    expected: "CVSS:3.0/ or CVSS:3.1/",
                },
            ));
        };
        // Offsets of errors count from the start of `input`, where `body` is at `at`.
        let at = at + "CVSS:3.1/".len();
        let mut values = [None; 22];
        // A byte loop over `metric:value` parts; metric names resolve by a `match`, which
        // compiles to a few comparisons, not a search of the table.
        let bytes = body.as_bytes();
        let mut start = 0;
        // The common case: the base metrics first, in the specification's order. Their
        // letters are read from fixed places; anything else takes the general loop.
        if BASE_TEMPLATE.matches(bytes) {
            for (metric, &i) in BASE_LETTER_AT.iter().enumerate() {
                let letter = bytes[i];
                if !allows(metric, letter) {
                    let name = METRICS[metric].0;
                    return Err(CvssError::new(
                        input,
                        Some(at + i - name.len() - 1),
                        CvssErrorKind::InvalidValue {
                            metric: name.to_owned(),
                            value: char::from(letter).to_string(),
                        },
                    ));
                }
                values[metric] = Some(letter);
            }
            start = BASE.len() + 1;
        }
        while start <= bytes.len() {
            let end = bytes[start..]
                .iter()
                .position(|&b| b == b'/')
                .map_or(bytes.len(), |i| start + i);
            let part = &bytes[start..end];
            let text = &body[start..end];
            let fail = |kind| CvssError::new(input, Some(at + start), kind);
            let Some(colon) = part.iter().position(|&b| b == b':') else {
                return Err(fail(CvssErrorKind::MalformedPart {
                    part: text.to_owned(),
                }));
            };
            let (metric, value) = (&part[..colon], &part[colon + 1..]);
            let Some(index) = metric_index(metric) else {
                return Err(fail(CvssErrorKind::UnknownMetric {
                    metric: text[..colon].to_owned(),
                }));
            };
            if !matches!(*value, [letter] if allows(index, letter)) {
                return Err(fail(CvssErrorKind::InvalidValue {
                    metric: text[..colon].to_owned(),
                    value: text[colon + 1..].to_owned(),
                }));
            }
            if values[index].is_some() {
                return Err(fail(CvssErrorKind::DuplicateMetric {
                    metric: text[..colon].to_owned(),
                }));
            }
            values[index] = Some(value[0]);
            start = end + 1;
        }
        super::missing(input, &values, &METRICS, BASE_METRICS)?;
        Ok(CvssV3 { version, values })
    }
}

impl fmt::Display for CvssV3 {
    /// The canonical vector: metrics in specification order, unset optional metrics omitted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.version {
            V3Version::V30 => "CVSS:3.0",
            V3Version::V31 => "CVSS:3.1",
        })?;
        for (i, value) in self.values.iter().enumerate() {
            if let Some(value) = value {
                write!(f, "/{}:{}", METRICS[i].0, char::from(*value))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // rounded scores are exact one-decimal values: equality is the claim
mod tests {
    use super::*;

    fn score(v: &str) -> f64 {
        v.parse::<CvssV3>()
            .unwrap_or_else(|e| panic!("{v}: {e}"))
            .base_score()
    }

    /// Every base vector, 3.0 and 3.1: the table's score is the formulas' at run time.
    #[test]
    fn base_scores_are_the_formulas() {
        use std::fmt::Write as _;
        let mut checked = 0;
        for index in 0..BASE_VECTORS {
            let mut rest = index;
            let mut letters = [0u8; BASE_METRICS];
            for metric in (0..BASE_METRICS).rev() {
                let values = METRICS[metric].1;
                letters[metric] = values[rest % values.len()].as_bytes()[0];
                rest /= values.len();
            }
            for version in ["3.0", "3.1"] {
                let mut text = format!("CVSS:{version}");
                for (metric, letter) in letters.iter().enumerate() {
                    write!(text, "/{}:{}", METRICS[metric].0, char::from(*letter)).unwrap();
                }
                let v: CvssV3 = text.parse().unwrap();
                assert_eq!(
                    v.base_score().to_bits(),
                    v.computed_base_score().to_bits(),
                    "{text}"
                );
                // The batch path, scored from the letters without a parse, agrees.
                let tenths = CvssV3::base_tenths_of(&text).expect("a base vector");
                assert_eq!(f64::from(tenths) / 10.0, v.base_score(), "{text}");
                checked += 1;
            }
        }
        assert_eq!(checked, 2 * 2592);
    }

    #[test]
    fn known_base_scores() {
        // Scores as published by NVD for these CVEs' vectors.
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0); // CVE-2021-44228
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
        assert_eq!(score("CVSS:3.1/AV:A/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N"), 4.2); // CVE-2023-45803 (NVD)
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"), 7.2); // CVE-2021-23337
        assert_eq!(score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N"), 0.0);
        assert_eq!(score("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);
    }

    #[test]
    fn strict_parsing_names_the_problem() {
        use crate::score::cvss::rejections::{
            check, duplicate, invalid, malformed, missing, unknown,
        };
        let prefix = CvssErrorKind::UnknownVersion {
            expected: "CVSS:3.0/ or CVSS:3.1/",
        };
        check::<CvssV3>(&[
            ("AV:N/AC:L", prefix.clone(), Some(0)),
            ("  CVSS:3.2/AV:N", prefix, Some(2)),
            (
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
                missing("A"),
                None,
            ),
            ("CVSS:3.1/AV:N/AV:N", duplicate("AV"), Some(14)),
            ("CVSS:3.1/AV:Q", invalid("AV", "Q"), Some(9)),
            (" CVSS:3.1/AV:N/AC:LL", invalid("AC", "LL"), Some(15)),
            // The base metrics in order take the fast path; its offsets are those of the parts.
            (
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:Q/A:H",
                invalid("I", "Q"),
                Some(37),
            ),
            (
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Q",
                invalid("E", "Q"),
                Some(45),
            ),
            ("CVSS:3.1/XX:N", unknown("XX"), Some(9)),
            ("CVSS:3.1/AV:N/AV", malformed("AV"), Some(14)),
            ("CVSS:3.1/AV:N/", malformed(""), Some(14)),
        ]);
    }

    #[test]
    fn canonical_vector_orders_metrics() {
        let v: CvssV3 = "CVSS:3.1/A:H/I:N/C:N/S:U/UI:N/PR:N/AC:L/AV:N/E:P"
            .parse()
            .unwrap();
        assert_eq!(
            v.to_string(),
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/E:P"
        );
    }

    #[test]
    fn roundup_is_robust_to_float_error() {
        assert_eq!(round_up_31(4.000_000_01), 4.0);
        assert_eq!(round_up_31(4.02), 4.1);
        assert_eq!(round_up_31(4.0), 4.0);
    }
}

#[cfg(test)]
mod index_tests {
    #[test]
    fn metric_index_matches_the_table() {
        for (i, (name, _)) in super::METRICS.iter().enumerate() {
            assert_eq!(super::metric_index(name.as_bytes()), Some(i));
        }
        assert_eq!(super::metric_index(b"X"), None);
    }
}
