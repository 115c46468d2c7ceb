//! Likelihood priors fitted from data: what the exposure model takes as a finding's
//! likelihood when no EPSS score is known for its vulnerability.
//!
//! # Method
//!
//! A prior is the **mean EPSS score of the CVEs of one exploitability class**, over the CVEs
//! that both the NVD feeds and an EPSS snapshot cover (rejected CVEs left out). The shipped
//! table ([`PriorTable::embedded`], `core/data/likelihood-priors.tsv`) was fitted by
//! [`PriorTable::fit`] from the shared NVD JSON 1.1 feeds and API 2.0 samples and the EPSS
//! snapshot of 2021-08-31; `core/examples/fit_priors.rs` regenerates it and
//! `core/tests/priors.rs` refits it and compares.
//!
//! - **Which vector.** A record is classified by NVD's own (`nvd@nist.gov`) CVSS v3.x vector,
//!   else any v3.x vector, else a v4.0 one, else a v2 one.
//! - **Classes** ([`class_of`]): `AV:x/PR:y/UI:z` from v3.x, and from v4.0 with its two kinds
//!   of user interaction, passive (`UI:P`) and active (`UI:A`), both read as v3's "required"
//!   (`UI:R`); a v2 vector has no user interaction and its authentication is not
//!   privileges, so it gets its own family `v2:AV:x/Au:y`, kept with v2's letters. A record
//!   without any vector is in the class `none`.
//! - **CWE.** A class is refined by the record's first CWE id (`AV:N/PR:N/UI:R/CWE-79`)
//!   only when that lowers the error on held-out CVEs clearly: [`PriorTable::fit`] fits
//!   each scheme (`all`; `AV`; `AV/PR/UI`; `AV/PR/UI` and CWE) on the CVEs whose id hashes
//!   (FNV-1a, 64 bits) to an even number and scores it on the others, by mean absolute
//!   error, mean squared error and log-loss against each CVE's EPSS score; CWE classes are
//!   kept when they lower both the log-loss and the squared error by at least
//!   [`CWE_GAIN_REQUIRED`] (relative). On the shared data they do: 3.4 % and 7.5 % (the
//!   figures are in the table's header, with those of the hand-picked priors the model used
//!   before, about ten times too high, and of other minimum class sizes).
//! - **Back-off.** Classes with fewer than [`MIN_CLASS_SIZE`] CVEs are left out of the
//!   table. A lookup ([`PriorTable::prior`]) takes the first class the table has among: the
//!   class refined by each of the finding's CWE ids in order, the class, its attack vector
//!   alone (`AV:x`, which pools v2, v3.x and v4.0 records), and `all`, the mean over every
//!   CVE covered. A finding without a vector asks for `none`, then `all`.
//!
//! The table is versioned text: a format line (`# exposure-priors/1`), comment lines (the
//! sources and their record counts, the EPSS date, the command that regenerates it, the
//! held-out figures), the column line, then one line per class in byte order: its name, its
//! number of CVEs, and the mean and median EPSS, written in Rust's shortest form that reads
//! back to the same `f64`, so that [`PriorTable::to_tsv`] and [`PriorTable::parse`] round
//! trip and the same data gives the same bytes.

use crate::kb::{Advisory, KbError, KnowledgeBase};
use crate::score::cvss::Cvss;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

/// The format line's version of the table text.
pub const FORMAT: &str = "exposure-priors/1";

/// The column line.
pub const COLUMNS: &str = "class\tn\tmean_epss\tmedian_epss";

/// Classes with fewer CVEs than this are left out of a fitted table, so that lookups back
/// off to a coarser class. On the shared data's held-out half 30 scores best of 10, 20, 30,
/// 50 and 100 (the table's header lists the log-loss of each).
pub const MIN_CLASS_SIZE: usize = 30;

/// The relative drop in held-out log-loss and squared error that CWE classes must bring,
/// against classes by attack vector, privileges and user interaction, to be kept (2 %).
pub const CWE_GAIN_REQUIRED: f64 = 0.02;

/// The class of a record without any CVSS vector.
pub const NO_VECTOR: &str = "none";

/// The class of every CVE covered: the last resort of every lookup.
pub const OVERALL: &str = "all";

/// The embedded table's text.
const EMBEDDED: &str = include_str!("../../data/likelihood-priors.tsv");

/// What a table says of one class.
///
/// ```
/// use exposure::score::priors::PriorTable;
/// let all = PriorTable::embedded().class("all").unwrap();
/// assert!(all.n > 10_000 && all.median <= all.mean);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClassStats {
    /// The number of CVEs in the class.
    pub n: usize,
    /// Their mean EPSS score: the prior.
    pub mean: f64,
    /// Their median EPSS score (shown for reading the table; lookups use the mean).
    pub median: f64,
}

/// A fitted likelihood prior table.
///
/// ```
/// use exposure::score::priors::PriorTable;
/// let table = PriorTable::embedded();
/// assert_eq!(table.version(), "exposure-priors/1");
/// let log4shell = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H".parse()?;
/// let prior = table.prior(Some(&log4shell), &["CWE-917".to_owned()]);
/// assert!(prior.class.starts_with("AV:N") && prior.class_size >= 30);
/// # Ok::<(), exposure::score::cvss::CvssError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PriorTable {
    version: String,
    /// The comment lines between the format and column lines, without their `#`.
    comments: Vec<String>,
    classes: BTreeMap<String, ClassStats>,
}

/// The prior for one finding, with the class that gave it.
///
/// ```
/// use exposure::score::priors::PriorTable;
/// let prior = PriorTable::embedded().prior(None, &[]);
/// assert_eq!(prior.class, "all");
/// assert!(prior.probability > 0.0 && prior.probability < 1.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prior {
    /// The class's mean EPSS score.
    pub probability: f64,
    /// The class used (`AV:N/PR:N/UI:N/CWE-79`, `AV:N/PR:N/UI:N`, `AV:N`, `none`, `all`).
    pub class: String,
    /// The number of CVEs the class's mean was taken over.
    pub class_size: usize,
}

/// Why a prior table's text was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PriorTableErrorKind {
    /// The first line is not the format line this version reads.
    #[error("expected the format line `# {FORMAT}`, found {found:?}")]
    BadFormat {
        /// The line found.
        found: String,
    },
    /// The first line that is no comment is not the column line.
    #[error("expected the column line {COLUMNS:?}, found {found:?}")]
    BadColumns {
        /// The line found.
        found: String,
    },
    /// The text ends before the column line.
    #[error("the table ends before its column line")]
    NoColumns,
    /// A class line without exactly four tab-separated fields.
    #[error("expected 4 tab-separated fields, found {found}")]
    FieldCount {
        /// How many there are.
        found: usize,
    },
    /// A class name that is empty or holds whitespace.
    #[error("class name {found:?} is empty or holds whitespace")]
    BadClass {
        /// The name.
        found: String,
    },
    /// A class listed twice or out of byte order.
    #[error(
        "class {class:?} comes after {previous:?}: classes are listed once each, in byte order"
    )]
    OutOfOrder {
        /// The class.
        class: String,
        /// The class on the line before.
        previous: String,
    },
    /// An `n` that is not a whole number.
    #[error("n {found:?} is not a count")]
    BadCount {
        /// The text.
        found: String,
    },
    /// A mean or median that is not a probability.
    #[error("{column} {found:?} is not a probability in 0-1")]
    BadProbability {
        /// `mean_epss` or `median_epss`.
        column: &'static str,
        /// The text.
        found: String,
    },
    /// An empty line, or a comment after the column line.
    #[error("expected a class line, found {found:?}")]
    Stray {
        /// The line.
        found: String,
    },
    /// No `all` class, which every lookup backs off to.
    #[error("no `all` class: a table needs the overall mean to back off to")]
    NoOverall,
}

/// A prior table that could not be parsed, with the line (from 1) where it broke.
///
/// ```
/// use exposure::score::priors::{PriorTable, PriorTableErrorKind};
/// let e = PriorTable::parse("# exposure-priors/1\nclass\tn\tmean_epss\tmedian_epss\nall\t3\t1.5\t0\n")
///     .unwrap_err();
/// assert_eq!(e.line(), 3);
/// assert!(matches!(e.kind(), PriorTableErrorKind::BadProbability { column: "mean_epss", .. }));
/// assert_eq!(e.to_string(), "prior table line 3: mean_epss \"1.5\" is not a probability in 0-1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("prior table line {line}: {kind}")]
pub struct PriorTableError {
    line: usize,
    kind: PriorTableErrorKind,
}

impl PriorTableError {
    /// The line, counted from 1 (for [`PriorTableErrorKind::NoOverall`] and
    /// [`PriorTableErrorKind::NoColumns`], the line after the last).
    pub fn line(&self) -> usize {
        self.line
    }

    /// What is wrong.
    pub fn kind(&self) -> &PriorTableErrorKind {
        &self.kind
    }
}

/// The exploitability class of a vector: `AV:x/PR:y/UI:z` for CVSS v3.x and v4.0 (v4.0's
/// passive and active user interaction both read `UI:R`), `v2:AV:x/Au:y` for v2.
///
/// ```
/// use exposure::score::priors::class_of;
/// let class = |v: &str| class_of(&v.parse().unwrap());
/// assert_eq!(class("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N"), "AV:N/PR:N/UI:R");
/// assert_eq!(class("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"), "AV:L/PR:L/UI:R");
/// assert_eq!(class("AV:N/AC:L/Au:N/C:P/I:P/A:P"), "v2:AV:N/Au:N");
/// ```
pub fn class_of(cvss: &Cvss) -> String {
    match cvss {
        Cvss::V3(v) => format!(
            "AV:{}/PR:{}/UI:{}",
            v.attack_vector(),
            v.privileges_required(),
            v.user_interaction()
        ),
        Cvss::V4(v) => {
            let ui = match v.user_interaction() {
                'N' => 'N',
                _ => 'R',
            };
            format!(
                "AV:{}/PR:{}/UI:{ui}",
                v.attack_vector(),
                v.privileges_required()
            )
        }
        Cvss::V2(v) => format!("v2:AV:{}/Au:{}", v.access_vector(), v.authentication()),
    }
}

/// The attack vector alone of a class (`AV:N` for `AV:N/PR:L/UI:N` and `v2:AV:N/Au:S`).
fn attack_vector_class(class: &str) -> &str {
    let class = class.strip_prefix("v2:").unwrap_or(class);
    class.split('/').next().unwrap_or(class)
}

/// `CWE-` and digits.
fn is_cwe(id: &str) -> bool {
    id.strip_prefix("CWE-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

impl PriorTable {
    /// The shipped table, `core/data/likelihood-priors.tsv`, parsed the first time it is
    /// asked for.
    ///
    /// The shipped file always parses (a unit test checks it, and that it round trips).
    /// Were it edited into an invalid one, this would be a table of the one class `all`
    /// with `n` 0 (which tells it apart) and the model's former hand-picked prior for an
    /// unknown vector, 0.1.
    ///
    /// ```
    /// use exposure::score::priors::PriorTable;
    /// assert!(PriorTable::embedded().classes().count() > 5);
    /// ```
    pub fn embedded() -> &'static PriorTable {
        static TABLE: OnceLock<PriorTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            PriorTable::parse(EMBEDDED).unwrap_or_else(|e| PriorTable {
                version: FORMAT.to_owned(),
                comments: vec![format!(" the embedded table is invalid: {e}")],
                classes: BTreeMap::from([(
                    OVERALL.to_owned(),
                    ClassStats {
                        n: 0,
                        mean: 0.1,
                        median: 0.1,
                    },
                )]),
            })
        })
    }

    /// Reads a table's text (see the [module](self) for its layout). Carriage returns
    /// before a line's end are ignored (all of them: a comment never keeps one that its
    /// written text would lose).
    ///
    /// ```
    /// use exposure::score::priors::PriorTable;
    /// let text = "# exposure-priors/1\n# a comment\nclass\tn\tmean_epss\tmedian_epss\n\
    ///             AV:N\t40\t0.05\t0.02\nall\t50\t0.04\t0.01\n";
    /// let table = PriorTable::parse(text)?;
    /// assert_eq!(table.class("AV:N").map(|c| c.n), Some(40));
    /// assert_eq!(table.to_tsv(), text);
    /// # Ok::<(), exposure::score::priors::PriorTableError>(())
    /// ```
    pub fn parse(text: &str) -> Result<PriorTable, PriorTableError> {
        let mut lines = text
            .split_terminator('\n')
            .map(|l| l.trim_end_matches('\r'))
            .enumerate()
            .map(|(i, l)| (i + 1, l));
        let fail = |line, kind| Err(PriorTableError { line, kind });
        let version = match lines.next() {
            Some((_, line)) if line.strip_prefix("# ") == Some(FORMAT) => FORMAT.to_owned(),
            Some((n, line)) => {
                return fail(
                    n,
                    PriorTableErrorKind::BadFormat {
                        found: line.to_owned(),
                    },
                )
            }
            None => {
                return fail(
                    1,
                    PriorTableErrorKind::BadFormat {
                        found: String::new(),
                    },
                )
            }
        };
        let mut comments = Vec::new();
        let mut last = 1;
        loop {
            let Some((n, line)) = lines.next() else {
                return fail(last + 1, PriorTableErrorKind::NoColumns);
            };
            last = n;
            if let Some(comment) = line.strip_prefix('#') {
                comments.push(comment.to_owned());
            } else if line == COLUMNS {
                break;
            } else {
                return fail(
                    n,
                    PriorTableErrorKind::BadColumns {
                        found: line.to_owned(),
                    },
                );
            }
        }
        let mut classes: BTreeMap<String, ClassStats> = BTreeMap::new();
        for (n, line) in lines {
            last = n;
            let (class, stats) =
                parse_class_line(line).map_err(|kind| PriorTableError { line: n, kind })?;
            if let Some((previous, _)) = classes.last_key_value() {
                if previous.as_str() >= class {
                    return fail(
                        n,
                        PriorTableErrorKind::OutOfOrder {
                            class: class.to_owned(),
                            previous: previous.clone(),
                        },
                    );
                }
            }
            classes.insert(class.to_owned(), stats);
        }
        if !classes.contains_key(OVERALL) {
            return fail(last + 1, PriorTableErrorKind::NoOverall);
        }
        Ok(PriorTable {
            version,
            comments,
            classes,
        })
    }

    /// The table as text: [`PriorTable::parse`] reads it back to an equal table, and the
    /// text of a parsed table is written back byte for byte (line ends aside).
    ///
    /// ```
    /// use exposure::score::priors::PriorTable;
    /// let table = PriorTable::embedded();
    /// assert_eq!(&PriorTable::parse(&table.to_tsv())?, table);
    /// # Ok::<(), exposure::score::priors::PriorTableError>(())
    /// ```
    pub fn to_tsv(&self) -> String {
        let mut out = format!("# {}\n", self.version);
        for comment in &self.comments {
            out.push('#');
            out.push_str(comment);
            out.push('\n');
        }
        out.push_str(COLUMNS);
        out.push('\n');
        for (class, s) in &self.classes {
            // `{}` writes an f64 in the shortest form that reads back to the same value.
            let _ = writeln!(out, "{class}\t{}\t{}\t{}", s.n, s.mean, s.median);
        }
        out
    }

    /// The table's format version (`exposure-priors/1`).
    ///
    /// ```
    /// use exposure::score::priors::PriorTable;
    /// assert_eq!(PriorTable::embedded().version(), "exposure-priors/1");
    /// ```
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The comment lines of the header (sources, counts, held-out figures), without their
    /// leading `#`.
    ///
    /// ```
    /// use exposure::score::priors::PriorTable;
    /// assert!(PriorTable::embedded().comments().any(|c| c.contains("nvdcve-1.1-2017.json.gz")));
    /// ```
    pub fn comments(&self) -> impl Iterator<Item = &str> {
        self.comments.iter().map(String::as_str)
    }

    /// Every class with its figures, in byte order of the names.
    ///
    /// ```
    /// use exposure::score::priors::PriorTable;
    /// let (first, _) = PriorTable::embedded().classes().next().unwrap();
    /// assert!(first.starts_with("AV:"));
    /// ```
    pub fn classes(&self) -> impl Iterator<Item = (&str, &ClassStats)> {
        self.classes.iter().map(|(c, s)| (c.as_str(), s))
    }

    /// The figures of one class, when the table has it.
    ///
    /// ```
    /// use exposure::score::priors::PriorTable;
    /// assert!(PriorTable::embedded().class("AV:N").is_some());
    /// assert!(PriorTable::embedded().class("AV:Q").is_none());
    /// ```
    pub fn class(&self, name: &str) -> Option<&ClassStats> {
        self.classes.get(name)
    }

    /// The prior of a finding whose vulnerability has this vector (see [`class_of`]) and
    /// these CWE ids: the mean of the first class the table has among the class refined by
    /// each CWE id in order, the class, its attack vector alone, and `all`; without a vector,
    /// `none`, then `all`. Ids other than `CWE-` and digits are passed over.
    ///
    /// ```
    /// use exposure::score::priors::PriorTable;
    /// let table = PriorTable::parse("# exposure-priors/1\nclass\tn\tmean_epss\tmedian_epss\n\
    ///     AV:N\t300\t0.03\t0.01\nAV:N/PR:N/UI:N\t100\t0.05\t0.02\nAV:N/PR:N/UI:N/CWE-89\t40\t0.2\t0.1\n\
    ///     all\t900\t0.02\t0.01\n")?;
    /// let vector = |v: &str| v.parse::<exposure::score::cvss::Cvss>().unwrap();
    /// let sqli = vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    /// let prior = table.prior(Some(&sqli), &["NVD-CWE-Other".into(), "CWE-89".into()]);
    /// assert_eq!((prior.class.as_str(), prior.probability, prior.class_size), ("AV:N/PR:N/UI:N/CWE-89", 0.2, 40));
    /// assert_eq!(table.prior(Some(&sqli), &["CWE-79".into()]).class, "AV:N/PR:N/UI:N");
    /// let xss = vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N");
    /// assert_eq!(table.prior(Some(&xss), &[]).class, "AV:N");
    /// let v2 = vector("AV:N/AC:L/Au:S/C:P/I:P/A:P");
    /// assert_eq!(table.prior(Some(&v2), &[]).class, "AV:N");
    /// let local = vector("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H");
    /// assert_eq!(table.prior(Some(&local), &[]).class, "all");
    /// # Ok::<(), exposure::score::priors::PriorTableError>(())
    /// ```
    pub fn prior(&self, cvss: Option<&Cvss>, cwes: &[String]) -> Prior {
        let mut candidates = Vec::new();
        match cvss.map(class_of) {
            Some(class) => {
                for cwe in cwes.iter().filter(|c| is_cwe(c)) {
                    candidates.push(format!("{class}/{cwe}"));
                }
                let attack_vector = attack_vector_class(&class).to_owned();
                candidates.push(class);
                candidates.push(attack_vector);
            }
            None => candidates.push(NO_VECTOR.to_owned()),
        }
        candidates.push(OVERALL.to_owned());
        candidates
            .into_iter()
            .find_map(|class| {
                let s = self.classes.get(&class)?;
                Some(Prior {
                    probability: s.mean,
                    class,
                    class_size: s.n,
                })
            })
            .unwrap_or(Prior {
                // Unreachable for a parsed or fitted table, which always has `all`.
                probability: 0.0,
                class: OVERALL.to_owned(),
                class_size: 0,
            })
    }

    /// Fits a table from a knowledge base holding NVD records and EPSS scores: every CVE
    /// record that is not withdrawn (rejected) and has an EPSS score counts once, in the
    /// class of its vector (see the [module](self)); the held-out comparison decides whether
    /// CWE classes are kept, and its figures go into the header. `sources` name the inputs,
    /// one per line of the header (`nvd/json-1.1/nvdcve-1.1-2017.json.gz: 17014 records`);
    /// [`load_sources`] loads the shared data set and names them so.
    ///
    /// The same records give the same table, byte for byte: records are taken in the order
    /// of their ids, whatever the load order.
    ///
    /// ```
    /// use exposure::kb::KnowledgeBase;
    /// use exposure::score::priors::PriorTable;
    /// let mut kb = KnowledgeBase::new();
    /// kb.load_text_as(exposure::kb::Format::Nvd, r#"{"vulnerabilities": [{"cve": {"id": "CVE-2021-44228",
    ///   "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData":
    ///   {"vectorString": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H"}}]}}}]}"#, "nvd");
    /// kb.threat_mut().load_text("cve,epss\nCVE-2021-44228,0.9\n", "epss.csv");
    /// let table = PriorTable::fit(&kb, &["nvd: 1 record".to_owned()]);
    /// let all = table.class("all").unwrap();
    /// assert_eq!((all.n, all.mean), (1, 0.9));
    /// assert!(table.class("AV:N").is_none()); // fewer than 30 CVEs
    /// ```
    pub fn fit(kb: &KnowledgeBase, sources: &[String]) -> PriorTable {
        let records = covered_records(kb);
        let (train, test): (Vec<&Record>, Vec<&Record>) =
            records.iter().partition(|r| fnv1a(&r.id) % 2 == 0);
        let held_out = |scheme: Scheme, min: usize| {
            let table = tabulate(&train, scheme, min, Vec::new());
            Figures::of(&test, |r| {
                table.prior(r.vector.as_ref(), &r.cwes).probability
            })
        };
        let figures: Vec<(Scheme, Figures)> = Scheme::ALL
            .iter()
            .map(|&scheme| (scheme, held_out(scheme, MIN_CLASS_SIZE)))
            .collect();
        let figure = |wanted: Scheme| {
            figures
                .iter()
                .find(|(s, _)| *s == wanted)
                .map(|(_, f)| *f)
                .unwrap_or_default()
        };
        let (without, with) = (figure(Scheme::Exploitability), figure(Scheme::WithCwe));
        let gain = |a: f64, b: f64| if a > 0.0 { (a - b) / a } else { 0.0 };
        let (log_loss_gain, mse_gain) = (
            gain(without.log_loss, with.log_loss),
            gain(without.mse, with.mse),
        );
        let use_cwe = log_loss_gain >= CWE_GAIN_REQUIRED && mse_gain >= CWE_GAIN_REQUIRED;

        let mut comments = vec![
            " Likelihood priors of the exposure model: the mean EPSS score of the CVEs in each"
                .to_owned(),
            " exploitability class. Method: core/src/score/priors.rs (PriorTable::fit)."
                .to_owned(),
            " Regenerate: cargo run --release -p exposure --example fit_priors -- ../shared/data > core/data/likelihood-priors.tsv".to_owned(),
        ];
        comments.extend(sources.iter().map(|s| format!(" source: {s}")));
        let threat = kb.threat();
        comments.push(format!(
            " EPSS: score date {}, model {}, {} scores",
            threat.epss_score_date().unwrap_or("unknown"),
            threat.epss_model_version().unwrap_or("not stated"),
            threat.epss_len()
        ));
        let by = |kind: Basis| records.iter().filter(|r| r.basis == kind).count();
        comments.push(format!(
            " covered: {} CVEs in both NVD (not rejected) and EPSS; classified by NVD's v3.x {}, another v3.x {}, v4.0 {}, v2 {}, no vector {}",
            records.len(),
            by(Basis::NvdV3),
            by(Basis::OtherV3),
            by(Basis::V4),
            by(Basis::V2),
            by(Basis::None),
        ));
        comments.push(format!(
            " classes: AV:x/PR:y/UI:z (v3.x; v4.0 with UI:P and UI:A read as UI:R), v2:AV:x/Au:y (v2 only), none (no vector); /CWE-n refines by the first CWE; AV:x pools them; all. Minimum class size {MIN_CLASS_SIZE}: smaller classes are left out and lookups back off (class/CWE, class, AV:x, all)."
        ));
        comments.push(format!(
            " held out: fitted on the CVEs whose id's FNV-1a hash is even (n={}), scored on the rest (n={}):",
            train.len(),
            test.len()
        ));
        let row = |name: &str, f: Figures| {
            format!(
                "   {name:<14} {:>10.6} {:>10.6} {:>10.6}",
                f.mae, f.mse, f.log_loss
            )
        };
        comments.push(format!(
            "   {:<14} {:>10} {:>10} {:>10}",
            "scheme", "MAE", "MSE", "log-loss"
        ));
        comments.push(row("hand-picked", Figures::of(&test, hand_picked)));
        for (scheme, f) in &figures {
            comments.push(row(scheme.name(), *f));
        }
        comments.push(format!(
            " CWE classes: {} (against AV/PR/UI: log-loss {:+.1} %, MSE {:+.1} %; kept when both drop by at least {} %)",
            if use_cwe { "kept" } else { "left out" },
            -100.0 * log_loss_gain,
            -100.0 * mse_gain,
            100.0 * CWE_GAIN_REQUIRED
        ));
        let scheme = if use_cwe {
            Scheme::WithCwe
        } else {
            Scheme::Exploitability
        };
        let sizes: Vec<String> = [10, 20, MIN_CLASS_SIZE, 50, 100]
            .into_iter()
            .map(|min| format!("{min}: {:.6}", held_out(scheme, min).log_loss))
            .collect();
        comments.push(format!(
            " held-out log-loss of {} by minimum class size: {}",
            scheme.name(),
            sizes.join(", ")
        ));
        let all: Vec<&Record> = records.iter().collect();
        tabulate(&all, scheme, MIN_CLASS_SIZE, comments)
    }
}

/// Loads what the shipped table is fitted from, below the shared data directory
/// (`../shared/data`): the EPSS snapshot `epss/vuls-data-raw-epss-2021-08-31.json.gz`, every
/// `nvd/json-1.1/*.json.gz` feed in name order and the directory `nvd/api-2.0-samples`; with
/// one line per input naming it relative to `data_dir` and its record counts, for
/// [`PriorTable::fit`].
///
/// ```no_run
/// use exposure::score::priors::{load_sources, PriorTable};
/// let (kb, sources) = load_sources(std::path::Path::new("../shared/data"))?;
/// print!("{}", PriorTable::fit(&kb, &sources).to_tsv());
/// # Ok::<(), exposure::kb::KbError>(())
/// ```
pub fn load_sources(data_dir: &Path) -> Result<(KnowledgeBase, Vec<String>), KbError> {
    let mut inputs = vec!["epss/vuls-data-raw-epss-2021-08-31.json.gz".to_owned()];
    let feeds = data_dir.join("nvd/json-1.1");
    let listing =
        std::fs::read_dir(&feeds).map_err(|e| KbError::input(&feeds.display().to_string(), e))?;
    let mut names: Vec<String> = listing
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json.gz"))
        .collect();
    names.sort();
    inputs.extend(names.into_iter().map(|name| format!("nvd/json-1.1/{name}")));
    inputs.push("nvd/api-2.0-samples".to_owned());

    let mut kb = KnowledgeBase::new();
    let mut sources = Vec::new();
    for input in inputs {
        let report = kb.load_path(&data_dir.join(&input))?;
        let mut line = format!("{input}: {} records", report.records_loaded);
        if report.files > 1 {
            let _ = write!(line, " from {} files", report.files);
        }
        if report.records_skipped > 0 {
            let _ = write!(line, ", {} skipped", report.records_skipped);
        }
        sources.push(line);
    }
    Ok((kb, sources))
}

/// What a record was classified by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basis {
    NvdV3,
    OtherV3,
    V4,
    V2,
    None,
}

/// One covered CVE.
#[derive(Debug)]
struct Record {
    id: String,
    epss: f64,
    vector: Option<Cvss>,
    basis: Basis,
    /// The CWE ids, in the record's order.
    cwes: Vec<String>,
}

impl Record {
    /// The class keys this record counts in under a scheme, coarsest first.
    fn keys(&self, scheme: Scheme) -> Vec<String> {
        let mut keys = vec![OVERALL.to_owned()];
        if scheme == Scheme::Overall {
            return keys;
        }
        let Some(vector) = &self.vector else {
            keys.push(NO_VECTOR.to_owned());
            return keys;
        };
        let class = class_of(vector);
        keys.push(attack_vector_class(&class).to_owned());
        if scheme == Scheme::AttackVector {
            return keys;
        }
        if scheme == Scheme::WithCwe {
            if let Some(cwe) = self.cwes.iter().find(|c| is_cwe(c)) {
                keys.push(format!("{class}/{cwe}"));
            }
        }
        keys.push(class);
        keys
    }
}

/// The vector a record is classified by: NVD's own v3.x, else any v3.x, else v4.0, else v2.
fn record_vector(advisory: &Advisory) -> (Option<Cvss>, Basis) {
    let parsed = || {
        advisory.severity.iter().filter_map(|s| {
            let cvss = s.cvss()?.as_ref().ok()?;
            Some((s.issuer.as_deref() == Some("nvd@nist.gov"), cvss))
        })
    };
    let first = |wanted: fn(bool, &Cvss) -> bool| {
        parsed()
            .find(|(nvd, cvss)| wanted(*nvd, cvss))
            .map(|(_, c)| c.clone())
    };
    if let Some(v) = first(|nvd, c| nvd && matches!(c, Cvss::V3(_))) {
        return (Some(v), Basis::NvdV3);
    }
    if let Some(v) = first(|_, c| matches!(c, Cvss::V3(_))) {
        return (Some(v), Basis::OtherV3);
    }
    if let Some(v) = first(|_, c| matches!(c, Cvss::V4(_))) {
        return (Some(v), Basis::V4);
    }
    if let Some(v) = first(|_, c| matches!(c, Cvss::V2(_))) {
        return (Some(v), Basis::V2);
    }
    (None, Basis::None)
}

/// Every CVE record of the knowledge base that is not withdrawn and has an EPSS score, in
/// order of id.
fn covered_records(kb: &KnowledgeBase) -> Vec<Record> {
    let mut records: Vec<Record> = kb
        .advisories()
        .filter(|a| a.withdrawn.is_none() && a.id.starts_with("CVE-"))
        .filter_map(|a| {
            let epss = kb.threat().epss(&a.id)?.probability;
            let (vector, basis) = record_vector(a);
            Some(Record {
                id: a.id.clone(),
                epss,
                vector,
                basis,
                cwes: a.cwes.clone(),
            })
        })
        .collect();
    records.sort_by(|a, b| a.id.cmp(&b.id));
    records
}

/// How finely records are classed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    /// `all` only.
    Overall,
    /// By attack vector.
    AttackVector,
    /// By attack vector, privileges and user interaction.
    Exploitability,
    /// And by the first CWE.
    WithCwe,
}

impl Scheme {
    const ALL: [Scheme; 4] = [
        Scheme::Overall,
        Scheme::AttackVector,
        Scheme::Exploitability,
        Scheme::WithCwe,
    ];

    fn name(self) -> &'static str {
        match self {
            Scheme::Overall => "all",
            Scheme::AttackVector => "AV",
            Scheme::Exploitability => "AV/PR/UI",
            Scheme::WithCwe => "AV/PR/UI/CWE",
        }
    }
}

/// The table of `records` (in order of id) under `scheme`: every class of at least `min`
/// CVEs, and `all`.
fn tabulate(records: &[&Record], scheme: Scheme, min: usize, comments: Vec<String>) -> PriorTable {
    let mut scores: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    scores.insert(OVERALL.to_owned(), Vec::new());
    for record in records {
        for key in record.keys(scheme) {
            scores.entry(key).or_default().push(record.epss);
        }
    }
    let classes = scores
        .into_iter()
        .filter(|(class, s)| class == OVERALL || s.len() >= min)
        .map(|(class, s)| (class, stats(s)))
        .collect();
    PriorTable {
        version: FORMAT.to_owned(),
        comments,
        classes,
    }
}

/// The count, mean (summed in the order given) and median of scores.
#[allow(clippy::cast_precision_loss)] // counts far below 2^52
fn stats(mut scores: Vec<f64>) -> ClassStats {
    let n = scores.len();
    if n == 0 {
        return ClassStats {
            n,
            mean: 0.0,
            median: 0.0,
        };
    }
    let mean = scores.iter().sum::<f64>() / n as f64;
    scores.sort_by(f64::total_cmp);
    let median = if n % 2 == 1 {
        scores[n / 2]
    } else {
        f64::midpoint(scores[n / 2 - 1], scores[n / 2])
    };
    ClassStats { n, mean, median }
}

/// Held-out errors of a table's priors against each CVE's EPSS score.
#[derive(Debug, Clone, Copy, Default)]
struct Figures {
    mae: f64,
    mse: f64,
    /// Cross-entropy of the prior against the EPSS score taken as the true probability,
    /// the prior clamped to [1e-6, 1 − 1e-6].
    log_loss: f64,
}

impl Figures {
    /// The errors of `predict`'s priors for `records`.
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    fn of(records: &[&Record], predict: impl Fn(&Record) -> f64) -> Figures {
        if records.is_empty() {
            return Figures::default();
        }
        let mut sum = Figures::default();
        for r in records {
            let q = predict(r);
            let p = r.epss;
            sum.mae += (q - p).abs();
            sum.mse += (q - p) * (q - p);
            let q = q.clamp(1e-6, 1.0 - 1e-6);
            sum.log_loss -= p * q.ln() + (1.0 - p) * (1.0 - q).ln();
        }
        let n = records.len() as f64;
        Figures {
            mae: sum.mae / n,
            mse: sum.mse / n,
            log_loss: sum.log_loss / n,
        }
    }
}

/// The likelihood priors the exposure model used before this table (`exposure-model/0.1`,
/// picked by hand, v3.x vectors only): the baseline of the held-out comparison.
fn hand_picked(record: &Record) -> f64 {
    match &record.vector {
        Some(Cvss::V3(v)) => match v.attack_vector() {
            'N' if v.privileges_required() == 'N' && v.user_interaction() == 'N' => 0.3,
            'N' => 0.15,
            'A' => 0.08,
            'L' => 0.04,
            _ => 0.01,
        },
        _ => 0.1,
    }
}

/// FNV-1a, 64 bits: a hash of an id that is the same on every platform and release.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// One class line: name, n, mean, median.
fn parse_class_line(line: &str) -> Result<(&str, ClassStats), PriorTableErrorKind> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [class, n, mean, median] = fields[..] else {
        if line.is_empty() || line.starts_with('#') {
            return Err(PriorTableErrorKind::Stray {
                found: line.to_owned(),
            });
        }
        return Err(PriorTableErrorKind::FieldCount {
            found: fields.len(),
        });
    };
    if class.is_empty() || class.chars().any(char::is_whitespace) || class.starts_with('#') {
        return Err(PriorTableErrorKind::BadClass {
            found: class.to_owned(),
        });
    }
    let n = n
        .parse::<usize>()
        .ok()
        .filter(|_| n.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| PriorTableErrorKind::BadCount {
            found: n.to_owned(),
        })?;
    let probability = |column: &'static str, text: &str| {
        text.parse::<f64>()
            .ok()
            .filter(|p| (0.0..=1.0).contains(p))
            .ok_or_else(|| PriorTableErrorKind::BadProbability {
                column,
                found: text.to_owned(),
            })
    };
    Ok((
        class,
        ClassStats {
            n,
            mean: probability("mean_epss", mean)?,
            median: probability("median_epss", median)?,
        },
    ))
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // means of one or two exact values: equality is the claim
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEAD: &str =
        "# exposure-priors/1\n# fitted for a test\nclass\tn\tmean_epss\tmedian_epss\n";

    fn table(rows: &str) -> PriorTable {
        PriorTable::parse(&format!("{HEAD}{rows}")).expect("valid table")
    }

    fn vector(text: &str) -> Cvss {
        text.parse().expect("valid vector")
    }

    fn error(text: &str) -> (usize, PriorTableErrorKind) {
        let e = PriorTable::parse(text).expect_err("invalid table");
        (e.line(), e.kind().clone())
    }

    #[test]
    fn the_embedded_table_parses_and_round_trips() {
        let table = PriorTable::embedded();
        assert_eq!(table.to_tsv(), EMBEDDED);
        assert_eq!(table.version(), FORMAT);
        assert!(table.class(OVERALL).is_some_and(|c| c.n > 10_000));
        assert!(table
            .classes()
            .all(|(c, s)| c == OVERALL || s.n >= MIN_CLASS_SIZE));
    }

    #[test]
    fn classes_of_each_cvss_version() {
        assert_eq!(
            class_of(&vector("CVSS:3.0/AV:A/AC:L/PR:H/UI:N/S:U/C:H/I:N/A:N")),
            "AV:A/PR:H/UI:N"
        );
        assert_eq!(
            class_of(&vector("CVSS:3.1/AV:P/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N")),
            "AV:P/PR:N/UI:R"
        );
        // v4.0: passive and active user interaction both read as "required".
        let v4 = |ui: &str| {
            class_of(&vector(&format!(
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:{ui}/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
            )))
        };
        assert_eq!(v4("N"), "AV:N/PR:H/UI:N");
        assert_eq!(v4("P"), "AV:N/PR:H/UI:R");
        assert_eq!(v4("A"), "AV:N/PR:H/UI:R");
        // v2 keeps its own letters, in its own family.
        assert_eq!(
            class_of(&vector("AV:L/AC:M/Au:M/C:C/I:C/A:C")),
            "v2:AV:L/Au:M"
        );
        assert_eq!(attack_vector_class("v2:AV:L/Au:M"), "AV:L");
        assert_eq!(attack_vector_class("AV:A/PR:H/UI:N/CWE-20"), "AV:A");
    }

    #[test]
    fn lookups_back_off_from_cwe_to_class_to_attack_vector_to_all() {
        let t = table(
            "AV:L\t50\t0.01\t0.005\nAV:N\t300\t0.03\t0.01\nAV:N/PR:N/UI:N\t100\t0.05\t0.02\n\
             AV:N/PR:N/UI:N/CWE-89\t40\t0.2\t0.1\nall\t900\t0.02\t0.01\nnone\t31\t0.04\t0.03\n",
        );
        let net = vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        let cwes = |ids: &[&str]| ids.iter().map(|&s| s.to_owned()).collect::<Vec<_>>();
        let used = |cvss: Option<&Cvss>, ids: &[&str]| {
            let p = t.prior(cvss, &cwes(ids));
            (p.class, p.class_size, p.probability)
        };
        assert_eq!(
            used(Some(&net), &["CWE-89"]),
            ("AV:N/PR:N/UI:N/CWE-89".into(), 40, 0.2)
        );
        // The first CWE the table has wins; malformed ids are passed over.
        assert_eq!(
            used(Some(&net), &["CWE-79", "CWE-", "CWE-89"]).0,
            "AV:N/PR:N/UI:N/CWE-89"
        );
        assert_eq!(
            used(Some(&net), &["CWE-79"]),
            ("AV:N/PR:N/UI:N".into(), 100, 0.05)
        );
        let net_ui = vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H");
        assert_eq!(used(Some(&net_ui), &["CWE-89"]), ("AV:N".into(), 300, 0.03));
        let v4_local = vector("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
        assert_eq!(used(Some(&v4_local), &[]), ("AV:L".into(), 50, 0.01));
        let v2 = vector("AV:N/AC:L/Au:N/C:P/I:P/A:P");
        assert_eq!(used(Some(&v2), &[]).0, "AV:N");
        let physical = vector("CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        assert_eq!(used(Some(&physical), &[]), ("all".into(), 900, 0.02));
        assert_eq!(used(None, &["CWE-89"]), ("none".into(), 31, 0.04));
        let without_none = table("all\t900\t0.02\t0.01\n");
        assert_eq!(without_none.prior(None, &[]).class, "all");
    }

    #[test]
    fn carriage_returns_before_a_line_end_are_all_ignored() {
        let text = "# exposure-priors/1\r\n# a comment\r\r\nclass\tn\tmean_epss\tmedian_epss\r\nall\t50\t0.04\t0.01\r\r\r\n";
        let table = PriorTable::parse(text).expect("parses");
        assert_eq!(table.comments().collect::<Vec<_>>(), [" a comment"]);
        assert_eq!(PriorTable::parse(&table.to_tsv()).as_ref(), Ok(&table));
    }

    #[test]
    fn parse_errors_name_their_line() {
        use PriorTableErrorKind as K;
        assert_eq!(
            error("# exposure-priors/2\n"),
            (
                1,
                K::BadFormat {
                    found: "# exposure-priors/2".into()
                }
            )
        );
        assert_eq!(
            error(""),
            (
                1,
                K::BadFormat {
                    found: String::new()
                }
            )
        );
        assert_eq!(error("# exposure-priors/1\n# c\n"), (3, K::NoColumns));
        assert_eq!(
            error("# exposure-priors/1\nclass\tn\tmean\n"),
            (
                2,
                K::BadColumns {
                    found: "class\tn\tmean".into()
                }
            )
        );
        assert_eq!(
            error(&format!("{HEAD}all\t1\t0.1\n")),
            (4, K::FieldCount { found: 3 })
        );
        assert_eq!(
            error(&format!("{HEAD}AV:N\t-1\t0.1\t0.1\n")),
            (4, K::BadCount { found: "-1".into() })
        );
        assert_eq!(
            error(&format!("{HEAD}AV:N\t+1\t0.1\t0.1\n")),
            (4, K::BadCount { found: "+1".into() })
        );
        assert_eq!(
            error(&format!("{HEAD}AV:N\t1\t0.1\tNaN\n")),
            (
                4,
                K::BadProbability {
                    column: "median_epss",
                    found: "NaN".into()
                }
            )
        );
        assert_eq!(
            error(&format!("{HEAD}all\t1\t0.1\t0.1\nAV:N\t1\t0.1\t0.1\n")),
            (
                5,
                K::OutOfOrder {
                    class: "AV:N".into(),
                    previous: "all".into()
                }
            )
        );
        assert_eq!(
            error(&format!("{HEAD}all\t1\t0.1\t0.1\nall\t1\t0.1\t0.1\n")).0,
            5
        );
        assert_eq!(
            error(&format!("{HEAD}AV:N\t1\t0.1\t0.1\n\nall\t1\t0.1\t0.1\n")),
            (
                5,
                K::Stray {
                    found: String::new()
                }
            )
        );
        assert_eq!(
            error(&format!("{HEAD}#late\nall\t1\t0.1\t0.1\n")),
            (
                4,
                K::Stray {
                    found: "#late".into()
                }
            )
        );
        assert_eq!(
            error(&format!("{HEAD}A V\t1\t0.1\t0.1\n")),
            (
                4,
                K::BadClass {
                    found: "A V".into()
                }
            )
        );
        assert_eq!(
            error(&format!("{HEAD}AV:N\t1\t0.1\t0.1\n")),
            (5, K::NoOverall)
        );
        let e = PriorTable::parse(&format!("{HEAD}AV:N\t1\t0.1\t0.1\n")).expect_err("no all");
        assert_eq!(
            e.to_string(),
            "prior table line 5: no `all` class: a table needs the overall mean to back off to"
        );
    }

    #[test]
    fn carriage_returns_are_read_as_line_ends() {
        let crlf = format!("{HEAD}all\t1\t0.1\t0.1\n").replace('\n', "\r\n");
        assert_eq!(
            PriorTable::parse(&crlf).expect("CRLF table"),
            table("all\t1\t0.1\t0.1\n")
        );
    }

    fn record(id: &str, epss: f64, v: Option<&str>, cwe: Option<&str>) -> Record {
        let vector = v.map(vector);
        Record {
            id: id.to_owned(),
            epss,
            basis: if vector.is_some() {
                Basis::NvdV3
            } else {
                Basis::None
            },
            vector,
            cwes: cwe.into_iter().map(str::to_owned).collect(),
        }
    }

    #[test]
    fn tabulating_keeps_classes_of_the_minimum_size_and_all() {
        let net = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
        let local = "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H";
        let mut records: Vec<Record> = (0..MIN_CLASS_SIZE)
            .map(|i| record(&format!("CVE-2017-{i:04}"), 0.1, Some(net), Some("CWE-89")))
            .collect();
        records.push(record("CVE-2017-9000", 0.4, Some(local), None));
        records.push(record("CVE-2017-9001", 0.7, None, None));
        let refs: Vec<&Record> = records.iter().collect();
        let t = tabulate(&refs, Scheme::WithCwe, MIN_CLASS_SIZE, Vec::new());
        let names: Vec<&str> = t.classes().map(|(c, _)| c).collect();
        assert_eq!(
            names,
            ["AV:N", "AV:N/PR:N/UI:N", "AV:N/PR:N/UI:N/CWE-89", "all"]
        );
        let all = t.class("all").expect("all");
        assert_eq!(all.n, MIN_CLASS_SIZE + 2);
        assert_eq!(all.median, 0.1);
        let plain = tabulate(&refs, Scheme::Exploitability, MIN_CLASS_SIZE, Vec::new());
        assert!(plain.class("AV:N/PR:N/UI:N/CWE-89").is_none());
        let overall = tabulate(&refs, Scheme::Overall, MIN_CLASS_SIZE, Vec::new());
        assert_eq!(overall.classes().count(), 1);
        assert_eq!(
            tabulate(&[], Scheme::WithCwe, MIN_CLASS_SIZE, Vec::new())
                .class("all")
                .map(|c| c.n),
            Some(0)
        );
    }

    #[test]
    fn medians_and_held_out_figures() {
        assert_eq!(stats(vec![0.4, 0.1, 0.2, 0.3]).median, 0.25);
        assert_eq!(stats(vec![0.3, 0.1, 0.2]).median, 0.2);
        let records = [
            record("CVE-1", 0.0, None, None),
            record("CVE-2", 1.0, None, None),
        ];
        let refs: Vec<&Record> = records.iter().collect();
        let t = table("all\t2\t0.5\t0.5\n");
        let f = Figures::of(&refs, |r| t.prior(r.vector.as_ref(), &r.cwes).probability);
        assert_eq!((f.mae, f.mse), (0.5, 0.25));
        assert!((f.log_loss - std::f64::consts::LN_2).abs() < 1e-12);
        // FNV-1a's published test value for "a".
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }

    fn any_table() -> impl Strategy<Value = PriorTable> {
        let class = "[A-Za-z0-9:/_.-]{1,24}";
        let stats = (any::<usize>(), 0.0..=1.0f64, 0.0..=1.0f64)
            .prop_map(|(n, mean, median)| ClassStats { n, mean, median });
        (
            proptest::collection::vec("[^\n\r]{0,40}", 0..5),
            proptest::collection::btree_map(class, stats, 0..8),
            stats_all(),
        )
            .prop_map(|(comments, mut classes, all)| {
                classes.insert(OVERALL.to_owned(), all);
                PriorTable {
                    version: FORMAT.to_owned(),
                    comments,
                    classes,
                }
            })
    }

    fn stats_all() -> impl Strategy<Value = ClassStats> {
        (any::<usize>(), 0.0..=1.0f64, 0.0..=1.0f64).prop_map(|(n, mean, median)| ClassStats {
            n,
            mean,
            median,
        })
    }

    proptest! {
        #[test]
        fn tsv_round_trips(table in any_table()) {
            let text = table.to_tsv();
            let again = PriorTable::parse(&text).expect("its own text parses");
            prop_assert_eq!(&again, &table);
            prop_assert_eq!(again.to_tsv(), text);
        }
    }
}
