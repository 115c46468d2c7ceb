//! The one mapping from a core error to the status C receives, and to the byte offset its
//! error object carries: [`status_of`] and [`offset_of`], used by
//! [`Failure::from_error`](crate::error::Failure::from_error). Each area's kinds are matched
//! in one place; a kind the core gains later (its enums are `#[non_exhaustive]`) maps to its
//! area's `..._OTHER` status until it has a number of its own.

use crate::exposure_status as S;
use exposure::cpe::{ConfigurationError, CpeErrorKind};
use exposure::history::RecordError;
use exposure::inventory::{DistroError, InventoryError, SoftwareError};
use exposure::kb::{KbError, SnapshotError};
use exposure::range::{RangeError, RangeSyntaxErrorKind, VersErrorKind};
use exposure::remediation::RemediationError;
use exposure::score::cvss::CvssErrorKind;
use exposure::version::VersionErrorKind;
use exposure::Error;

/// The status of a core error.
pub(crate) fn status_of(e: &Error) -> S {
    match e {
        Error::Version(e) => version(e.kind()),
        Error::Compare(_) => S::VersionSchemeMismatch,
        Error::UnknownScheme(_) => S::UnknownScheme,
        Error::RangeSyntax(e) => match e.kind() {
            RangeSyntaxErrorKind::Syntax(_) => S::RangeSyntax,
            RangeSyntaxErrorKind::Vers(kind) => vers(kind),
            RangeSyntaxErrorKind::Version(_) => S::RangeVersion,
            RangeSyntaxErrorKind::Compare(_) => S::VersionSchemeMismatch,
            _ => S::RangeOther,
        },
        Error::Vers(e) => vers(e.kind()),
        Error::Range(e) => match e {
            RangeError::BadEventVersion { .. } => S::RangeVersion,
            RangeError::NoIntroduced => S::RangeNoIntroduced,
            _ => S::RangeOther,
        },
        Error::Cpe(e) => cpe(e.kind()),
        Error::Configuration(_) => S::ConfigurationInvalid,
        Error::Dictionary(_) => S::CpeDictionary,
        Error::Alias(_) => S::CpeAlias,
        Error::Cvss(e) => match e.kind() {
            CvssErrorKind::UnknownVersion { .. } => S::CvssVersion,
            CvssErrorKind::MalformedPart { .. } => S::CvssMalformed,
            CvssErrorKind::UnknownMetric { .. } => S::CvssUnknownMetric,
            CvssErrorKind::InvalidValue { .. } => S::CvssInvalidValue,
            CvssErrorKind::DuplicateMetric { .. } => S::CvssDuplicateMetric,
            CvssErrorKind::MissingMetric { .. } => S::CvssMissingMetric,
            _ => S::CvssOther,
        },
        Error::Kb(e) => match e {
            KbError::Input { .. } => S::KbIo,
            KbError::Snapshot { source, .. } => snapshot(source),
            _ => S::KbOther,
        },
        Error::Snapshot(e) => snapshot(e),
        Error::Inventory(e) => match e {
            InventoryError::Input { .. } => S::InventoryIo,
            InventoryError::NotJson { .. } => S::InventoryNotJson,
            InventoryError::UnknownFormat { .. } => S::InventoryUnknownFormat,
            InventoryError::Malformed { .. } => S::InventoryMalformed,
            _ => S::InventoryOther,
        },
        Error::Purl(_) => S::InventoryPurl,
        Error::Software(e) => match e {
            SoftwareError::Purl(_) => S::InventoryPurl,
            SoftwareError::Cpe(e) => cpe(e.kind()),
            SoftwareError::NoVersion(_) | SoftwareError::CpeWithoutVersion(_) => {
                S::InventorySoftware
            }
            _ => S::InventoryOther,
        },
        Error::Distro(e) => match e {
            DistroError::Input { .. } => S::InventoryIo,
            DistroError::UnknownName(_) | DistroError::NotAnOsRelease(_) => S::InventoryDistro,
            _ => S::InventoryOther,
        },
        Error::Registry(_) => S::InventoryRegistry,
        Error::Input(_) => S::Io,
        Error::MissingInputs => S::MissingInputs,
        Error::Parameters(_) => S::InvalidParameters,
        Error::Exceptions(_) => S::InvalidExceptions,
        Error::Record(e) => record_status(e),
        Error::Remediation(e) => remediation_status(e),
        Error::KnowledgeIncomplete { .. } => S::KbIncomplete,
        Error::InventoryIncomplete { .. } => S::InventoryIncomplete,
        _ => S::Other,
    }
}

/// The status of an assessment record that could not be made, read or written (also the
/// mapping of [`exposure::Error::Record`]).
pub(crate) fn record_status(e: &RecordError) -> S {
    match e {
        RecordError::NotARecord | RecordError::Invalid(_) | RecordError::Json { .. } => {
            S::RecordInvalid
        }
        RecordError::Format { .. } | RecordError::WrongVersion { .. } => S::RecordFormat,
        RecordError::Truncated { .. } => S::RecordTruncated,
        RecordError::Corrupted { .. } => S::RecordCorrupted,
        RecordError::TooLarge(_) => S::RecordTooLarge,
        RecordError::NoFleet => S::RecordNoFleet,
        _ => S::HistoryOther,
    }
}

/// The status of a remediation activity that could not be created or exported (also the
/// mapping of [`exposure::Error::Remediation`]).
pub(crate) fn remediation_status(e: &RemediationError) -> S {
    match e {
        RemediationError::EmptyId => S::RemediationInvalid,
        RemediationError::UnknownRecommendation { .. } => S::UnknownRecommendation,
        RemediationError::DueBeforeCreation { .. } => S::RemediationDueBeforeCreation,
        RemediationError::NoTargetedDevice { .. } => S::RemediationNoTargetedDevice,
        RemediationError::Export(_) => S::RemediationExport,
        _ => S::HistoryOther,
    }
}

/// The byte offset in the parsed input that a core error names, if it names one.
pub(crate) fn offset_of(e: &Error) -> Option<usize> {
    match e {
        Error::Version(e) => Some(e.offset()),
        Error::RangeSyntax(e) => e.offset(),
        Error::Vers(e) => Some(e.offset()),
        Error::Cpe(e) | Error::Software(SoftwareError::Cpe(e)) => Some(e.offset()),
        Error::Cvss(e) => e.offset(),
        Error::Purl(e) | Error::Software(SoftwareError::Purl(e)) => Some(e.offset()),
        // JSON (and YAML) text that does not read: the place the message names.
        Error::Inventory(InventoryError::NotJson { offset, .. })
        | Error::Configuration(ConfigurationError::NotJson { offset, .. })
        | Error::Record(RecordError::Json { offset, .. }) => *offset,
        Error::Parameters(e) => e.offset(),
        Error::Exceptions(e) => e.offset(),
        _ => None,
    }
}

fn version(kind: &VersionErrorKind) -> S {
    match kind {
        VersionErrorKind::Empty => S::VersionEmpty,
        VersionErrorKind::UnexpectedChar { .. } => S::VersionUnexpectedChar,
        VersionErrorKind::UnexpectedEnd => S::VersionUnexpectedEnd,
        VersionErrorKind::NumberTooLarge => S::VersionNumberTooLarge,
        VersionErrorKind::LeadingZero => S::VersionLeadingZero,
        VersionErrorKind::Invalid(_) => S::VersionInvalid,
        _ => S::VersionOther,
    }
}

/// A `vers:` string's kinds: a bad version in it is a bad version in a range.
fn vers(kind: &VersErrorKind) -> S {
    match kind {
        VersErrorKind::Version { .. } => S::RangeVersion,
        VersErrorKind::Syntax(_)
        | VersErrorKind::UnknownScheme { .. }
        | VersErrorKind::NonCanonical(_) => S::RangeVers,
        _ => S::RangeOther,
    }
}

fn cpe(kind: &CpeErrorKind) -> S {
    match kind {
        CpeErrorKind::Prefix => S::CpePrefix,
        CpeErrorKind::ComponentCount { .. } => S::CpeComponentCount,
        CpeErrorKind::Part => S::CpePart,
        CpeErrorKind::Language => S::CpeLanguage,
        CpeErrorKind::WfnSyntax(_) | CpeErrorKind::WfnAttribute(_) => S::CpeWfnSyntax,
        CpeErrorKind::Empty
        | CpeErrorKind::EmbeddedAsterisk
        | CpeErrorKind::EmbeddedQuestionMark
        | CpeErrorKind::Character(_)
        | CpeErrorKind::Quoted(_)
        | CpeErrorKind::DanglingQuote
        | CpeErrorKind::PercentEncoding(_) => S::CpeValue,
        _ => S::CpeOther,
    }
}

/// A snapshot that cannot be read is `KB_SNAPSHOT`; one that cannot be written (or read
/// from disk) is `KB_IO`.
fn snapshot(e: &SnapshotError) -> S {
    match e {
        SnapshotError::Io(_) => S::KbIo,
        SnapshotError::NotASnapshot
        | SnapshotError::WrongVersion { .. }
        | SnapshotError::Truncated { .. }
        | SnapshotError::Corrupted { .. }
        | SnapshotError::Payload(_) => S::KbSnapshot,
        _ => S::KbOther,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use exposure::version::{Scheme, Version};

    fn status(e: impl Into<Error>) -> (S, Option<usize>) {
        let e = e.into();
        (status_of(&e), offset_of(&e))
    }

    #[test]
    fn each_area_maps_to_its_block() {
        let v = |s| Version::parse(Scheme::Deb, s);
        assert_eq!(status(v("").unwrap_err()), (S::VersionEmpty, Some(0)));
        let (a, b) = (
            v("1.0").unwrap(),
            Version::parse(Scheme::Npm, "1.0.0").unwrap(),
        );
        assert_eq!(
            status(a.try_cmp(&b).unwrap_err()),
            (S::VersionSchemeMismatch, None)
        );
        assert_eq!(
            status("cobol".parse::<Scheme>().unwrap_err()),
            (S::UnknownScheme, None)
        );
        let range = |t| exposure::range::parse_range(Scheme::Pypi, t).unwrap_err();
        assert_eq!(status(range(">=1.0,<<2")), (S::RangeSyntax, Some(6)));
        assert_eq!(status(range(">=1.0, <2.0/x")), (S::RangeVersion, Some(11)));
        assert_eq!(
            status(range("vers:pypi/>=1.0|<2.0/x")),
            (S::RangeVersion, Some(20))
        );
        assert_eq!(status(range("vers:cobol/1")), (S::RangeVers, Some(5)));
        let vers = |t| exposure::range::Vers::parse(t).unwrap_err();
        assert_eq!(status(vers("vers:npm")), (S::RangeVers, Some(8)));
        assert_eq!(status(vers("vers:npm/1.0.x")), (S::RangeVersion, Some(13)));
        assert_eq!(
            status(exposure::range::Range::from_osv_events(Scheme::Npm, &[]).unwrap_err()),
            (S::RangeNoIntroduced, None)
        );
        let cvss = |t: &str| t.parse::<exposure::score::cvss::Cvss>().unwrap_err();
        assert_eq!(
            status(cvss("CVSS:3.1/AV:N/AC:Q")),
            (S::CvssInvalidValue, Some(14))
        );
        assert_eq!(status(cvss("CVSS:3.1/AV:N")), (S::CvssMissingMetric, None));
        assert_eq!(status(cvss("CVSS:9.0/AV:N")), (S::CvssVersion, Some(0)));
        let purl = "pkg:npm/x%zz".parse::<exposure::purl::Purl>().unwrap_err();
        assert_eq!(status(purl), (S::InventoryPurl, Some(9)));
        let cpe = exposure::cpe::Cpe::parse("cpe:2.3:x").unwrap_err();
        assert_eq!(status(cpe.clone()).0, S::CpeComponentCount);
        assert_eq!(
            status(SoftwareError::Cpe(cpe)).0,
            S::CpeComponentCount,
            "a CPE name is a CPE error wherever it is read"
        );
        assert_eq!(
            status(exposure::cpe::Applicability::from_nvd_json_text("[").unwrap_err()),
            (S::ConfigurationInvalid, Some(0)),
            "JSON that does not read: the place its message names"
        );
        assert_eq!(status(Error::MissingInputs), (S::MissingInputs, None));
        let parameters = exposure::score::exposure::Parameters::from_json("{\"kev_floor\": 2}");
        assert_eq!(
            status(parameters.unwrap_err()),
            (S::InvalidParameters, None)
        );
        let exceptions = exposure::exceptions::ExceptionSet::from_text("{broken", "x");
        assert_eq!(
            status(exceptions.unwrap_err()),
            (S::InvalidExceptions, Some(1))
        );
        let incomplete = |knowledge| {
            let (input, shortfall) = (String::new(), exposure::load_report::Shortfall::Empty);
            let report = Box::default();
            if knowledge {
                Error::KnowledgeIncomplete {
                    input,
                    shortfall,
                    report,
                }
            } else {
                Error::InventoryIncomplete {
                    input,
                    shortfall,
                    report,
                }
            }
        };
        assert_eq!(status(incomplete(true)), (S::KbIncomplete, None));
        assert_eq!(status(incomplete(false)), (S::InventoryIncomplete, None));
        let io = std::io::Error::other("disk full");
        assert_eq!(status(SnapshotError::Io(io)), (S::KbIo, None));
        assert_eq!(status(SnapshotError::NotASnapshot), (S::KbSnapshot, None));
    }

    #[test]
    fn a_failure_carries_status_message_and_offset() {
        use crate::error::Failure;
        let e = "CVSS:3.1/AV:N/AC:Q".parse::<exposure::score::cvss::Cvss>();
        let failure = Failure::from_error(e.unwrap_err());
        assert_eq!(
            (failure.status(), failure.offset()),
            (S::CvssInvalidValue, 14)
        );
        assert_eq!(
            failure.message(),
            "invalid CVSS vector \"CVSS:3.1/AV:N/AC:Q\": invalid value \"Q\" for metric AC at byte 14"
        );
        let missing = Failure::from_error(Error::MissingInputs);
        assert_eq!(missing.offset(), usize::MAX, "no offset is SIZE_MAX");
    }
}
