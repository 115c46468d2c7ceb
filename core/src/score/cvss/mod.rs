//! CVSS vectors and scores.
//!
//! This module parses CVSS v2, v3.0 and v3.1 vectors strictly and computes their base,
//! temporal and environmental scores and severities exactly as the specifications do (v2's
//! half-up rounding, 3.x's round-up, 3.1's modified impact formula), and CVSS v4.0 vectors
//! with the specification's macrovector lookup and severity-distance interpolation.
//! [`Cvss`] reads any of them.

mod v2;
mod v3;
mod v4;

pub use v2::CvssV2;
pub use v3::{CvssV3, V3Version};
pub use v4::{CvssV4, Nomenclature};

/// A CVSS vector of any supported version.
///
/// ```
/// use exposure::score::cvss::{Cvss, Severity};
/// let v3: Cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P".parse()?;
/// assert_eq!((v3.score(), v3.severity()), (9.3, Severity::Critical)); // 9.8 × 0.94, rounded up
/// let v2: Cvss = "AV:N/AC:L/Au:N/C:P/I:P/A:P".parse()?;
/// assert_eq!((v2.score(), v2.severity()), (7.5, Severity::High));
/// # Ok::<(), exposure::score::cvss::CvssError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cvss {
    /// CVSS v2.
    V2(CvssV2),
    /// CVSS v3.0 or v3.1.
    V3(CvssV3),
    /// CVSS v4.0.
    V4(CvssV4),
}

impl Cvss {
    /// The value given for a metric by its abbreviation, in the vector's own version
    /// (`"AV"`, `"PR"`, `"Au"`, `"E"`, …); `None` when the vector does not give it.
    ///
    /// ```
    /// use exposure::score::cvss::Cvss;
    /// let v: Cvss = "AV:N/AC:L/Au:N/C:P/I:P/A:P".parse()?;
    /// assert_eq!((v.metric("Au"), v.metric("PR")), (Some("N"), None));
    /// # Ok::<(), exposure::score::cvss::CvssError>(())
    /// ```
    pub fn metric(&self, name: &str) -> Option<&'static str> {
        match self {
            Cvss::V2(v) => v.metric(name),
            Cvss::V3(v) => v.metric(name),
            Cvss::V4(v) => v.metric(name),
        }
    }

    /// The vector with the environmental security requirements `CR`, `IR` and `AR` set to
    /// `level` (`"L"`, `"M"` or `"H"`) — how a device's value enters a score — unless the
    /// vector already states any of them (the record's own judgement wins): then `None`.
    ///
    /// ```
    /// use exposure::score::cvss::Cvss;
    /// let v: Cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N".parse()?;
    /// let high = v.with_requirements("H").unwrap();
    /// assert_eq!(high.to_string(), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N/CR:H/IR:H/AR:H");
    /// assert!(high.score() > v.score());
    /// assert!(high.with_requirements("L").is_none());
    /// # Ok::<(), exposure::score::cvss::CvssError>(())
    /// ```
    pub fn with_requirements(&self, level: &str) -> Option<Cvss> {
        if ["CR", "IR", "AR"].iter().any(|m| self.metric(m).is_some()) {
            return None;
        }
        format!("{self}/CR:{level}/IR:{level}/AR:{level}")
            .parse()
            .ok()
    }

    /// The most specific score the vector supports: environmental when an environmental
    /// metric is given, else temporal when a temporal one is, else base.
    pub fn score(&self) -> f64 {
        match self {
            Cvss::V2(v) => v.score(),
            Cvss::V3(v) => v.score(),
            Cvss::V4(v) => v.score(),
        }
    }

    /// The severity of [`Cvss::score`]: v2's LOW/MEDIUM/HIGH, v3's NONE … CRITICAL.
    pub fn severity(&self) -> Severity {
        self.rating().1
    }

    /// [`Cvss::score`] and [`Cvss::severity`] together, the vector scored once.
    ///
    /// ```
    /// use exposure::score::cvss::{Cvss, Severity};
    /// let v2: Cvss = "AV:N/AC:L/Au:N/C:C/I:C/A:C".parse()?;
    /// assert_eq!(v2.rating(), (10.0, Severity::High)); // v2 has no CRITICAL
    /// let v4: Cvss = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N".parse()?;
    /// assert_eq!(v4.rating(), (9.3, Severity::Critical));
    /// # Ok::<(), exposure::score::cvss::CvssError>(())
    /// ```
    pub fn rating(&self) -> (f64, Severity) {
        let score = self.score();
        let severity = match self {
            Cvss::V2(v) => v.severity(score),
            Cvss::V3(_) | Cvss::V4(_) => Severity::of_score(score),
        };
        (score, severity)
    }

    /// [`Cvss::rating`] of a vector given as text: a v3 base vector written in the
    /// specification's order is scored straight from its letters
    /// ([`CvssV3::base_tenths_of`]), any other text parsed first. For batch scoring.
    ///
    /// ```
    /// use exposure::score::cvss::{Cvss, Severity};
    /// let text = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    /// assert_eq!(Cvss::rate(text)?, (9.8, Severity::Critical));
    /// assert_eq!(Cvss::rate(text)?, text.parse::<Cvss>()?.rating());
    /// assert!(Cvss::rate("CVSS:3.1/AV:N").is_err());
    /// # Ok::<(), exposure::score::cvss::CvssError>(())
    /// ```
    pub fn rate(text: &str) -> Result<(f64, Severity), CvssError> {
        if let Some(tenths) = CvssV3::base_tenths_of(text) {
            let score = f64::from(tenths) / 10.0;
            return Ok((score, Severity::of_score(score)));
        }
        Ok(text.parse::<Cvss>()?.rating())
    }

    /// The base score (v4 has one score, which this is).
    pub fn base_score(&self) -> f64 {
        match self {
            Cvss::V2(v) => v.base_score(),
            Cvss::V3(v) => v.base_score(),
            Cvss::V4(v) => v.score(),
        }
    }

    /// The temporal score of a v2 or v3 vector (the base score when no temporal metric is
    /// given); `None` for v4, which has no separate temporal score (its threat metrics are in
    /// its one score).
    ///
    /// ```
    /// use exposure::score::cvss::Cvss;
    /// let v3: Cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U".parse()?;
    /// assert_eq!(v3.temporal_score(), Some(9.0));
    /// let v4: Cvss = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N".parse()?;
    /// assert_eq!((v4.temporal_score(), v4.environmental_score()), (None, None));
    /// # Ok::<(), exposure::score::cvss::CvssError>(())
    /// ```
    pub fn temporal_score(&self) -> Option<f64> {
        match self {
            Cvss::V2(v) => Some(v.temporal_score()),
            Cvss::V3(v) => Some(v.temporal_score()),
            Cvss::V4(_) => None,
        }
    }

    /// The environmental score of a v2 or v3 vector; `None` for v4 (see
    /// [`Cvss::temporal_score`]).
    pub fn environmental_score(&self) -> Option<f64> {
        match self {
            Cvss::V2(v) => Some(v.environmental_score()),
            Cvss::V3(v) => Some(v.environmental_score()),
            Cvss::V4(_) => None,
        }
    }

    /// The base impact sub-score (v2, v3) to one decimal, rounded to nearest as NVD publishes
    /// it (`impactScore`); `None` for v4, which has no sub-scores.
    ///
    /// ```
    /// use exposure::score::cvss::Cvss;
    /// let log4shell: Cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H".parse()?;
    /// assert_eq!(log4shell.impact_subscore(), Some(6.0));
    /// assert_eq!(log4shell.exploitability_subscore(), Some(3.9));
    /// # Ok::<(), exposure::score::cvss::CvssError>(())
    /// ```
    pub fn impact_subscore(&self) -> Option<f64> {
        match self {
            Cvss::V2(v) => Some(round_to_tenth(v.impact_subscore())),
            Cvss::V3(v) => Some(round_to_tenth(v.impact_subscore())),
            Cvss::V4(_) => None,
        }
    }

    /// The base exploitability sub-score (v2, v3) to one decimal, rounded to nearest as NVD
    /// publishes it (`exploitabilityScore`); `None` for v4.
    pub fn exploitability_subscore(&self) -> Option<f64> {
        match self {
            Cvss::V2(v) => Some(round_to_tenth(v.exploitability_subscore())),
            Cvss::V3(v) => Some(round_to_tenth(v.exploitability_subscore())),
            Cvss::V4(_) => None,
        }
    }

    /// v4's nomenclature (`CVSS-B`, `CVSS-BT`, `CVSS-BE`, `CVSS-BTE`: which metric groups
    /// the score includes); `None` before v4.
    ///
    /// ```
    /// use exposure::score::cvss::Cvss;
    /// let v4: Cvss = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U".parse()?;
    /// assert_eq!(v4.nomenclature().map(|n| n.name()), Some("CVSS-BT"));
    /// # Ok::<(), exposure::score::cvss::CvssError>(())
    /// ```
    pub fn nomenclature(&self) -> Option<Nomenclature> {
        match self {
            Cvss::V4(v) => Some(v.nomenclature()),
            Cvss::V2(_) | Cvss::V3(_) => None,
        }
    }

    /// `"2.0"`, `"3.0"`, `"3.1"` or `"4.0"`.
    pub fn version(&self) -> &'static str {
        self.version_id().name()
    }

    /// The specification version of the vector.
    ///
    /// ```
    /// use exposure::score::cvss::{Cvss, CvssVersion};
    /// let v: Cvss = "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".parse()?;
    /// assert_eq!(v.version_id(), CvssVersion::V30);
    /// # Ok::<(), exposure::score::cvss::CvssError>(())
    /// ```
    pub fn version_id(&self) -> CvssVersion {
        match self {
            Cvss::V2(_) => CvssVersion::V2,
            Cvss::V3(v) => match v.version() {
                V3Version::V30 => CvssVersion::V30,
                V3Version::V31 => CvssVersion::V31,
            },
            Cvss::V4(_) => CvssVersion::V40,
        }
    }
}

/// A CVSS specification version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CvssVersion {
    /// CVSS v2.
    V2,
    /// CVSS v3.0.
    V30,
    /// CVSS v3.1.
    V31,
    /// CVSS v4.0.
    V40,
}

impl CvssVersion {
    /// `"2.0"`, `"3.0"`, `"3.1"` or `"4.0"`.
    pub fn name(self) -> &'static str {
        match self {
            CvssVersion::V2 => "2.0",
            CvssVersion::V30 => "3.0",
            CvssVersion::V31 => "3.1",
            CvssVersion::V40 => "4.0",
        }
    }
}

impl std::str::FromStr for Cvss {
    type Err = CvssError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        // The version parsers take the whole text, so that offsets count from its start.
        let trimmed = text.trim_start();
        if trimmed.starts_with("CVSS:3.") {
            text.parse().map(Cvss::V3)
        } else if trimmed.starts_with("CVSS:4.0/") {
            text.parse().map(Cvss::V4)
        } else if trimmed.starts_with("CVSS:") && !trimmed.starts_with("CVSS:2.0/") {
            Err(CvssError::new(
                text,
                Some(start(text)),
                CvssErrorKind::UnknownVersion {
                    expected: "CVSS:2.0/, CVSS:3.0/, CVSS:3.1/, CVSS:4.0/ or a bare v2 vector",
                },
            ))
        } else {
            text.parse().map(Cvss::V2)
        }
    }
}

impl std::fmt::Display for Cvss {
    /// The canonical vector.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cvss::V2(v) => v.fmt(f),
            Cvss::V3(v) => v.fmt(f),
            Cvss::V4(v) => v.fmt(f),
        }
    }
}

/// What was wrong with a CVSS vector.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CvssErrorKind {
    /// The vector does not start with a version prefix the parser reads.
    #[error("unknown CVSS version prefix (expected {expected})")]
    UnknownVersion {
        /// The prefixes that were expected.
        expected: &'static str,
    },
    /// A part is not `metric:value` (no colon, or empty).
    #[error("malformed part {part:?} (expected metric:value)")]
    MalformedPart {
        /// The part.
        part: String,
    },
    /// A metric this version does not define.
    #[error("unknown metric {metric:?}")]
    UnknownMetric {
        /// The metric.
        metric: String,
    },
    /// A value the metric does not allow.
    #[error("invalid value {value:?} for metric {metric}")]
    InvalidValue {
        /// The metric.
        metric: String,
        /// The rejected value.
        value: String,
    },
    /// The same metric twice.
    #[error("duplicate metric {metric}")]
    DuplicateMetric {
        /// The metric.
        metric: String,
    },
    /// A mandatory base metric is absent.
    #[error("missing mandatory metric {metric}")]
    MissingMetric {
        /// The metric.
        metric: &'static str,
    },
}

/// A CVSS vector that could not be parsed: what was wrong, the input, and the byte offset of
/// the offending `metric:value` part (none for a missing metric).
///
/// ```
/// use exposure::score::cvss::{Cvss, CvssErrorKind};
/// let err = "CVSS:3.1/AV:N/AC:Q/PR:N/UI:N/S:U/C:H/I:H/A:H".parse::<Cvss>().unwrap_err();
/// assert_eq!(err.kind(), &CvssErrorKind::InvalidValue { metric: "AC".into(), value: "Q".into() });
/// assert_eq!(err.offset(), Some(14)); // the `AC:Q` part
/// assert!(err.to_string().contains("invalid value \"Q\" for metric AC at byte 14"));
/// let missing = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H".parse::<Cvss>().unwrap_err();
/// assert_eq!(missing.offset(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CvssError(Box<CvssErrorInner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct CvssErrorInner {
    kind: CvssErrorKind,
    input: String,
    offset: Option<usize>,
}

impl CvssError {
    pub(crate) fn new(input: &str, offset: Option<usize>, kind: CvssErrorKind) -> Self {
        Self(Box::new(CvssErrorInner {
            kind,
            input: input.to_owned(),
            offset: offset.map(|at| at.min(input.len())),
        }))
    }

    /// What was wrong.
    pub fn kind(&self) -> &CvssErrorKind {
        &self.0.kind
    }

    /// The rejected vector, verbatim.
    pub fn input(&self) -> &str {
        &self.0.input
    }

    /// Byte offset into [`input`](Self::input) of the offending part (of the vector's start
    /// for an unknown version); `None` for a missing metric, which has no place.
    pub fn offset(&self) -> Option<usize> {
        self.0.offset
    }
}

impl std::fmt::Display for CvssError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid CVSS vector {:?}: {}", self.0.input, self.0.kind)?;
        if let Some(offset) = self.0.offset {
            write!(f, " at byte {offset}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CvssError {}

/// Where the text of a vector starts in `input` (after leading white space).
fn start(input: &str) -> usize {
    input.len() - input.trim_start().len()
}

/// A qualitative severity rating.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    /// 0.0.
    None,
    /// 0.1–3.9.
    Low,
    /// 4.0–6.9.
    Medium,
    /// 7.0–8.9.
    High,
    /// 9.0–10.0.
    Critical,
}

impl Severity {
    /// The v3/v4 rating of a score.
    ///
    /// ```
    /// use exposure::score::cvss::Severity;
    /// assert_eq!(Severity::of_score(7.5), Severity::High);
    /// assert_eq!(Severity::of_score(0.0), Severity::None);
    /// ```
    pub fn of_score(score: f64) -> Self {
        if score <= 0.0 {
            Severity::None
        } else if score < 4.0 {
            Severity::Low
        } else if score < 7.0 {
            Severity::Medium
        } else if score < 9.0 {
            Severity::High
        } else {
            Severity::Critical
        }
    }

    /// The rating a record's severity word names (`LOW`, `MODERATE`/`MEDIUM`,
    /// `HIGH`/`IMPORTANT`, `CRITICAL`, any case), as the model's word impacts read them.
    ///
    /// ```
    /// use exposure::score::cvss::Severity;
    /// assert_eq!(Severity::from_word("Important"), Some(Severity::High));
    /// assert_eq!(Severity::from_word("moderate"), Some(Severity::Medium));
    /// assert_eq!(Severity::from_word("unimportant"), None);
    /// ```
    pub fn from_word(word: &str) -> Option<Self> {
        match word.trim().to_ascii_uppercase().as_str() {
            "LOW" => Some(Severity::Low),
            "MODERATE" | "MEDIUM" => Some(Severity::Medium),
            "HIGH" | "IMPORTANT" => Some(Severity::High),
            "CRITICAL" => Some(Severity::Critical),
            "NONE" => Some(Severity::None),
            _ => None,
        }
    }

    /// The lower-case name, as command-line filters take it.
    ///
    /// ```
    /// assert_eq!(exposure::score::cvss::Severity::High.lower_name(), "high");
    /// ```
    pub fn lower_name(self) -> &'static str {
        match self {
            Severity::None => "none",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The upper-case name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::None => "NONE",
            Severity::Low => "LOW",
            Severity::Medium => "MEDIUM",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
        }
    }
}

/// Reads `metric:value` parts separated by `/` against a table of metric names and their
/// values (v2 and v4.0 keep each value as its index in the table); the first `base` metrics
/// are mandatory. Unknown, invalid, duplicate and missing metrics are errors, at the offset
/// of their part in `input`, of which `body` (the parts) is a slice starting at byte `at`.
fn read_metrics<const N: usize>(
    input: &str,
    body: &str,
    at: usize,
    metrics: &[(&'static str, &[&str]); N],
    base: usize,
) -> Result<[Option<u8>; N], CvssError> {
    let mut values = [None; N];
    read_parts(input, body, at, metrics, &mut values)?;
    missing(input, &values, metrics, base)?;
    Ok(values)
}

/// Reads `metric:value` parts into `values`, where some may already be set (a duplicate is
/// an error); the caller checks for missing metrics.
fn read_parts<const N: usize>(
    input: &str,
    body: &str,
    at: usize,
    metrics: &[(&'static str, &[&str]); N],
    values: &mut [Option<u8>; N],
) -> Result<(), CvssError> {
    let mut part_at = at;
    for part in body.split('/') {
        let fail = |kind| CvssError::new(input, Some(part_at), kind);
        let Some((metric, value)) = part.split_once(':') else {
            return Err(fail(CvssErrorKind::MalformedPart {
                part: part.to_owned(),
            }));
        };
        let Some(index) = metrics.iter().position(|(name, _)| *name == metric) else {
            return Err(fail(CvssErrorKind::UnknownMetric {
                metric: metric.to_owned(),
            }));
        };
        let Some(position) = metrics[index].1.iter().position(|v| *v == value) else {
            return Err(fail(CvssErrorKind::InvalidValue {
                metric: metric.to_owned(),
                value: value.to_owned(),
            }));
        };
        if values[index].is_some() {
            return Err(fail(CvssErrorKind::DuplicateMetric {
                metric: metric.to_owned(),
            }));
        }
        values[index] = u8::try_from(position).ok();
        part_at += part.len() + 1;
    }
    Ok(())
}

/// A missing mandatory metric (one of the first `base`) as an error, without an offset.
fn missing<T, const N: usize>(
    input: &str,
    values: &[Option<T>; N],
    metrics: &[(&'static str, &[&str]); N],
    base: usize,
) -> Result<(), CvssError> {
    match (0..base).find(|&i| values[i].is_none()) {
        Some(i) => Err(CvssError::new(
            input,
            None,
            CvssErrorKind::MissingMetric {
                metric: metrics[i].0,
            },
        )),
        None => Ok(()),
    }
}

/// Each metric's one-letter values by letter: `table[metric][letter]` is the value's index in
/// `metrics` plus one, 0 for a letter the metric does not allow (the first `N` metrics).
#[allow(clippy::cast_possible_truncation)] // a metric has at most five values
const fn value_letters<const N: usize>(metrics: &[(&str, &[&str])]) -> [[u8; 128]; N] {
    let mut table = [[0u8; 128]; N];
    let mut metric = 0;
    while metric < N {
        let values = metrics[metric].1;
        let mut i = 0;
        while i < values.len() {
            table[metric][values[i].as_bytes()[0] as usize] = i as u8 + 1;
            i += 1;
        }
        metric += 1;
    }
    table
}

/// A version's base metrics as vectors carry them, in the specification's order, `_` where
/// each value goes; compared with a vector's body eight bytes at a time under a mask that
/// leaves the values out (the fast path of the v3 and v4 parsers).
pub(super) struct BaseTemplate {
    len: usize,
    words: [u64; 7],
    masks: [u64; 7],
}

impl BaseTemplate {
    /// The template of `text` (at most 56 bytes).
    pub(super) const fn new(text: &[u8]) -> Self {
        let mut template = BaseTemplate {
            len: text.len(),
            words: [0; 7],
            masks: [0; 7],
        };
        let mut i = 0;
        while i < text.len() {
            let shift = 8 * (i % 8);
            if text[i] != b'_' {
                template.words[i / 8] |= (text[i] as u64) << shift;
                template.masks[i / 8] |= 0xff << shift;
            }
            i += 1;
        }
        template
    }

    /// Whether `body` starts with the template's bytes (any byte where it has `_`), followed
    /// by its end or a `/`.
    #[inline]
    pub(super) fn matches(&self, body: &[u8]) -> bool {
        let Some(base) = body.get(..self.len) else {
            return false;
        };
        if body.len() > self.len && body[self.len] != b'/' {
            return false;
        }
        let mut padded = [0u8; 56];
        padded[..self.len].copy_from_slice(base);
        padded
            .chunks_exact(8)
            .zip(self.words.iter().zip(&self.masks))
            .all(|(word, (&template, &mask))| {
                let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
                (word ^ template) & mask == 0
            })
    }
}

/// `x.round() as i64` without libm's `round` call in the scores' range: for `0 ≤ x < 10¹⁵`,
/// truncating `x + 0.5` is `floor(x + 0.5)`, which is `x.round()` but where the addition
/// itself rounds up, just below 0.5 (scores scaled by 10⁵ there are a hundred-thousandth of
/// a point, far from any tenth: the same score; `rounding_without_libm` checks).
fn round_to_integer(x: f64) -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    if (0.0..1e15).contains(&x) {
        (x + 0.5) as i64
    } else {
        x.round() as i64
    }
}

/// Half-up rounding to one decimal of the exact value, robust to floating-point error (the
/// v2 and v4 references round exact decimals: `6.45` is `6.5` even when the float is
/// 6.4499999…).
fn round_half_up(x: f64) -> f64 {
    let scaled = round_to_integer(x * 100_000.0);
    #[allow(clippy::cast_precision_loss)]
    let tenths = (scaled + 5_000).div_euclid(10_000) as f64;
    tenths / 10.0
}

/// Rounds to one decimal, to nearest with halves away from zero: how NVD rounds the sub-scores
/// it publishes (checked against every v2 and v3 metric of its 2017 feed in
/// `core/tests/cvss_vectors.rs`).
fn round_to_tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Test helpers: each case is a text `T` rejects, with the kind and offset of the error
/// (which must keep the text as its input); and short names for kinds.
#[cfg(test)]
mod rejections {
    use super::{CvssError, CvssErrorKind};

    pub(super) fn check<T: std::str::FromStr<Err = CvssError> + std::fmt::Debug>(
        cases: &[(&str, CvssErrorKind, Option<usize>)],
    ) {
        for (text, kind, offset) in cases {
            let e = text.parse::<T>().expect_err(text);
            assert_eq!(e.input(), *text);
            assert_eq!((e.kind(), e.offset()), (kind, *offset), "{text:?}: {e}");
        }
    }

    pub(super) fn invalid(metric: &str, value: &str) -> CvssErrorKind {
        CvssErrorKind::InvalidValue {
            metric: metric.into(),
            value: value.into(),
        }
    }

    pub(super) fn unknown(metric: &str) -> CvssErrorKind {
        CvssErrorKind::UnknownMetric {
            metric: metric.into(),
        }
    }

    pub(super) fn duplicate(metric: &str) -> CvssErrorKind {
        CvssErrorKind::DuplicateMetric {
            metric: metric.into(),
        }
    }

    pub(super) fn malformed(part: &str) -> CvssErrorKind {
        CvssErrorKind::MalformedPart { part: part.into() }
    }

    pub(super) fn missing(metric: &'static str) -> CvssErrorKind {
        CvssErrorKind::MissingMetric { metric }
    }
}

#[cfg(test)]
mod error_tests {
    use super::*;
    use proptest::prelude::*;

    /// The rounding as it was, with libm's `round`.
    fn round_half_up_with_libm(x: f64) -> f64 {
        #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
        let scaled = (x * 100_000.0).round() as i64;
        #[allow(clippy::cast_precision_loss)]
        let tenths = (scaled + 5_000).div_euclid(10_000) as f64;
        tenths / 10.0
    }

    proptest! {
        #[test]
        fn rounding_without_libm(x in -20.0f64..20.0, tenths in 0u32..=100, nudge in -3i64..=3) {
            prop_assert_eq!(round_half_up(x).to_bits(), round_half_up_with_libm(x).to_bits());
            // Halves, and the floats either side of them.
            let half = (f64::from(tenths) + 0.05).to_bits().wrapping_add_signed(nudge);
            let half = f64::from_bits(half);
            prop_assert_eq!(round_half_up(half).to_bits(), round_half_up_with_libm(half).to_bits());
        }
    }

    #[test]
    #[allow(clippy::cast_possible_truncation)]
    fn integers_without_libm() {
        for x in [
            0.0, 0.49, 0.5, 1.5, 2.5, 123_456.5, 9.99e14, 1e15, -0.5, -3.7,
        ] {
            assert_eq!(round_to_integer(x), f64::round(x) as i64, "{x}");
        }
        // The one place the two differ: the addition of 0.5 rounds up.
        assert_eq!(round_to_integer(0.499_999_999_999_999_94), 1);
    }

    #[test]
    fn rounding_without_libm_at_its_edges() {
        let edges = [
            0.0,
            -0.0,
            4.999_999_999_999_999e-6,
            5e-6,
            0.049_999,
            0.05,
            10.0,
            1e10,
        ];
        for x in edges {
            assert_eq!(
                round_half_up(x).to_bits(),
                round_half_up_with_libm(x).to_bits(),
                "{x}"
            );
        }
    }

    #[test]
    fn errors_carry_kind_input_and_offset_into_the_whole_text() {
        use super::rejections::{check, duplicate, invalid, malformed, missing, unknown};
        let any = CvssErrorKind::UnknownVersion {
            expected: "CVSS:2.0/, CVSS:3.0/, CVSS:3.1/, CVSS:4.0/ or a bare v2 vector",
        };
        check::<Cvss>(&[
            (" CVSS:5.0/AV:N", any, Some(1)),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:X",
                invalid("SA", "X"),
                Some(59),
            ),
            ("\tCVSS:4.0/AV:N/AV:N", duplicate("AV"), Some(15)),
            ("CVSS:4.0/AV:N", missing("AC"), None),
            (
                "  CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:1",
                unknown("XX"),
                Some(47),
            ),
            ("CVSS:2.0/AV:N/AC", malformed("AC"), Some(14)),
            ("   ", malformed(""), Some(3)),
        ]);
    }

    #[test]
    fn messages_name_the_input_the_problem_and_the_offset() {
        let e = "CVSS:3.1/AV:N/AC:Q".parse::<Cvss>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid CVSS vector \"CVSS:3.1/AV:N/AC:Q\": invalid value \"Q\" for metric AC at byte 14"
        );
        let e = "AV:N/AC:L/Au:N/C:P/I:P".parse::<Cvss>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid CVSS vector \"AV:N/AC:L/Au:N/C:P/I:P\": missing mandatory metric A"
        );
        assert_eq!(
            std::mem::size_of::<Result<(), CvssError>>(),
            std::mem::size_of::<usize>()
        );
    }

    const VALID: [&str; 4] = [
        "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F/RL:OF",
        "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:H",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U",
    ];

    proptest! {
        /// Valid vectors with a few characters cut out and others (multi-byte among them)
        /// put in: every error keeps the input and points at a character boundary in it.
        #[test]
        fn offsets_are_char_boundaries_of_the_input(
            vector in prop::sample::select(VALID.to_vec()),
            at in any::<prop::sample::Index>(),
            cut in 0usize..4,
            junk in "[ A-Za-z0-9:/.é€]{0,4}",
        ) {
            let at = at.index(vector.len() + 1);
            let text = format!("{}{junk}{}", &vector[..at], &vector[(at + cut).min(vector.len())..]);
            if let Err(e) = text.parse::<Cvss>() {
                prop_assert_eq!(e.input(), text.as_str());
                if let Some(offset) = e.offset() {
                    prop_assert!(offset <= text.len(), "{e}");
                    prop_assert!(text.is_char_boundary(offset), "{e}");
                    let suffix = format!(" at byte {offset}");
                    prop_assert!(e.to_string().ends_with(&suffix), "{e}");
                } else {
                    prop_assert!(matches!(e.kind(), CvssErrorKind::MissingMetric { .. }), "{e}");
                }
            }
        }
    }
}
