//! C ABI for the exposure engine. Thin: arguments are checked and converted, core does the
//! work, errors map to numbered status codes. Conventions: `ffi/README.md`.

#![allow(unsafe_code)]
#![allow(non_camel_case_types)]
// These are the C ABI: `unsafe` on them is invisible to C callers, whose pointer contract is
// documented on each function instead (rustls-ffi does the same).
#![allow(clippy::not_unsafe_ptr_arg_deref)]

mod arrow;
mod cpe;
mod cvss;
mod engine;
mod enums;
mod error;
mod guard;
mod handle;
mod history;
mod inputs;
mod range;
mod status;
mod strings;
mod update;
mod version;

pub use arrow::*;
pub use cpe::*;
pub use cvss::*;
pub use engine::*;
pub use error::*;
pub use history::*;
pub use inputs::*;
pub use range::*;
pub use strings::*;
pub use update::*;
pub use version::*;

use exposure_status as S;

/// Result of every fallible exposure function. Values are ABI: never renumber, never reuse.
/// Blocks: 1–999 general, 1000s versions, 2000s ranges, 3000s CPE (3100 NVD configurations
/// and CPE data), 4000s CVSS, 5000s knowledge base, 6000s inventory, 7000s assessment
/// records, views and remediation activities, 8000s knowledge-base updates. Each block's `..._OTHER`
/// (N999) reports an error kind the library added after this header was written; table:
/// `ffi/README.md`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum exposure_status {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArgument = 1,
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 2,
    /// A caller buffer was too small.
    BufferTooSmall = 3,
    /// The library panicked; the call had no effect that can be relied on.
    Panic = 4,
    /// Output could not be serialised.
    Serialization = 5,
    /// An integer argument that stands for an enum (`uint32_t`) is not one of its values, and
    /// no more precise status names that enum.
    InvalidArgument = 6,
    /// A file could not be read, decompressed or decoded as text.
    Io = 7,
    /// An assessment was asked for without knowledge or without inventories.
    MissingInputs = 8,
    /// A model parameter set was refused: not JSON, an unknown field, or a value out of
    /// range (`exposure_engine_set_parameters_json`).
    InvalidParameters = 9,
    /// No device of the assessment has the id asked for (`exposure_engine_explain_json`).
    UnknownDevice = 10,
    /// An exception set was refused: not JSON or YAML, not `exposure-exceptions/1`, or an
    /// exception with an unknown justification or scope kind, a duplicate or empty id, a bad
    /// date or an expiry before its creation (`exposure_engine_set_exceptions_text`); the
    /// error's message names the exception and the field.
    InvalidExceptions = 11,
    /// A day that is not a real `YYYY-MM-DD` date (`exposure_engine_assess_json_as_of`,
    /// `exposure_engine_record`, `exposure_timeline_json`).
    InvalidDate = 12,
    /// Another error: a kind added to the library after this header was written.
    Other = 999,
    /// The version is empty.
    VersionEmpty = 1000,
    /// A character the scheme does not allow there.
    VersionUnexpectedChar = 1001,
    /// The version ends where the scheme needs more.
    VersionUnexpectedEnd = 1002,
    /// A number does not fit in 64 bits.
    VersionNumberTooLarge = 1003,
    /// A leading zero the scheme forbids.
    VersionLeadingZero = 1004,
    /// Any other violation of the scheme's grammar.
    VersionInvalid = 1005,
    /// Two versions (or a version and a range) of different schemes.
    VersionSchemeMismatch = 1006,
    /// The scheme name or number is unknown.
    UnknownScheme = 1007,
    /// Another version error: a kind added to the library after this header was written.
    VersionOther = 1999,
    /// The range's native syntax is malformed.
    RangeSyntax = 2000,
    /// The `vers:` string (or a list of vers comparators) is malformed.
    RangeVers = 2001,
    /// A version inside the range (native syntax or `vers:`) does not parse.
    RangeVersion = 2002,
    /// OSV range events without an `introduced` event.
    RangeNoIntroduced = 2003,
    /// Another range error: a kind added to the library after this header was written.
    RangeOther = 2999,
    /// Not a CPE name: no `cpe:2.3:`, `cpe:/` or `wfn:[` prefix.
    CpePrefix = 3000,
    /// A CPE name with the wrong number of components.
    CpeComponentCount = 3001,
    /// A CPE value breaks the binding's grammar (empty, a wildcard inside, a character not
    /// allowed or not quoted, bad percent-encoding).
    CpeValue = 3002,
    /// The part is not `a`, `o`, `h`, ANY or NA.
    CpePart = 3003,
    /// The language is not a tag of the form CPE allows.
    CpeLanguage = 3004,
    /// Malformed WFN text.
    CpeWfnSyntax = 3005,
    /// An unknown `exposure_cpe_binding` number.
    CpeBinding = 3006,
    /// NVD configurations that are not JSON, not of NVD's shape, or nested deeper than 8
    /// levels.
    ConfigurationInvalid = 3100,
    /// NVD's CPE dictionary could not be read.
    CpeDictionary = 3101,
    /// A row of a CPE alias table could not be read.
    CpeAlias = 3102,
    /// Another CPE or configuration error: a kind added to the library after this header was
    /// written.
    CpeOther = 3999,
    /// Not a CVSS v2, v3.0, v3.1 or v4.0 vector.
    CvssVersion = 4000,
    /// A vector part that is not `metric:value`.
    CvssMalformed = 4001,
    /// A metric the version does not define.
    CvssUnknownMetric = 4002,
    /// A value the metric does not allow.
    CvssInvalidValue = 4003,
    /// A metric given twice.
    CvssDuplicateMetric = 4004,
    /// A mandatory base metric is missing.
    CvssMissingMetric = 4005,
    /// Another CVSS error: a kind added to the library after this header was written.
    CvssOther = 4999,
    /// A knowledge-base path could not be read or decoded (or holds more than the input size
    /// limit, 1 GiB decompressed), or a snapshot could not be written.
    KbIo = 5000,
    /// A snapshot is of another format version, truncated or corrupted.
    KbSnapshot = 5001,
    /// A knowledge-base input yields nothing (no advisory, KEV, EPSS or VEX data) or lost more
    /// than 10 % of its records: refused, as an assessment against it would understate the
    /// exposure. What loaded is in the engine; the load report is written when asked for.
    KbIncomplete = 5002,
    /// Another knowledge-base error: a kind added to the library after this header was written.
    KbOther = 5999,
    /// An inventory path could not be read (or holds more than the input size limit, 1 GiB
    /// decompressed).
    InventoryIo = 6000,
    /// The inventory is not JSON.
    InventoryNotJson = 6001,
    /// The inventory is neither CycloneDX, SPDX nor a fleet document.
    InventoryUnknownFormat = 6002,
    /// The inventory's top level is malformed.
    InventoryMalformed = 6003,
    /// A package URL does not parse.
    InventoryPurl = 6004,
    /// A software item cannot be matched: a package URL or CPE name without a version.
    InventorySoftware = 6005,
    /// A distribution release is unknown, or a file is not an os-release file.
    InventoryDistro = 6006,
    /// A Windows registry export of installed programs could not be read.
    InventoryRegistry = 6007,
    /// An inventory yields no device or lost more than 10 % of its records: refused.
    InventoryIncomplete = 6008,
    /// Another inventory error: a kind added to the library after this header was written.
    InventoryOther = 6999,
    /// An assessment record that does not read: neither JSON nor a binary record (no
    /// `EXPOSURE-REC` header), content that does not decode, or an index outside its table.
    RecordInvalid = 7000,
    /// An assessment record of another format (`exposure-record/N`) or binary frame version
    /// than this library reads.
    RecordFormat = 7001,
    /// A binary assessment record shorter or longer than its header says.
    RecordTruncated = 7002,
    /// A binary assessment record whose payload does not match its checksum.
    RecordCorrupted = 7003,
    /// An assessment too large for a record (more than 2^32 items of a table).
    RecordTooLarge = 7004,
    /// An assessment that does not hold the fleet it assessed, so no record can be made of it.
    RecordNoFleet = 7005,
    /// A view name that is not `software`, `weaknesses`, `devices` or `recommendations`
    /// (`exposure_record_view_json`).
    UnknownView = 7100,
    /// Remediation options or an activity that do not read: not JSON, an unknown or missing
    /// field, a bad date or priority, or an empty id.
    RemediationInvalid = 7200,
    /// The record has no recommendation of that id; the message names the nearest ones.
    UnknownRecommendation = 7201,
    /// A remediation activity due before the day it is created.
    RemediationDueBeforeCreation = 7202,
    /// The targets (devices, groups) select none of the devices the recommendation covers.
    RemediationNoTargetedDevice = 7203,
    /// A remediation export could not be written.
    RemediationExport = 7204,
    /// Another record, view or remediation error: a kind added to the library after this
    /// header was written.
    HistoryOther = 7999,
    /// A knowledge-base update's configuration is not usable (unknown key or source, a bad
    /// URL or duration).
    UpdateConfig = 8000,
    /// A request of an update failed after its retries (HTTP status, time-out, connection).
    UpdateFetch = 8001,
    /// A feed's server answered with something that is not the feed (invalid JSON, a CSV
    /// without its header, a zip that does not open).
    UpdateInvalidResponse = 8002,
    /// The update's mirror (`<snapshot>.mirror`) could not be read or written.
    UpdateMirror = 8003,
    /// A source's mirrored records load incompletely (more than 10 % skipped).
    UpdateIncomplete = 8004,
    /// The updated snapshot could not be written (the old one is kept).
    UpdateSnapshot = 8005,
    /// Another update error: a kind added to the library after this header was written.
    UpdateOther = 8999,
}

/// Every status with its constant's name in the header, in the header's order. A test checks
/// it against the header, so a status added without its name here fails.
const STATUS_NAMES: [(exposure_status, &std::ffi::CStr); 80] = [
    (S::Ok, c"EXPOSURE_STATUS_OK"),
    (S::NullArgument, c"EXPOSURE_STATUS_NULL_ARGUMENT"),
    (S::InvalidUtf8, c"EXPOSURE_STATUS_INVALID_UTF8"),
    (S::BufferTooSmall, c"EXPOSURE_STATUS_BUFFER_TOO_SMALL"),
    (S::Panic, c"EXPOSURE_STATUS_PANIC"),
    (S::Serialization, c"EXPOSURE_STATUS_SERIALIZATION"),
    (S::InvalidArgument, c"EXPOSURE_STATUS_INVALID_ARGUMENT"),
    (S::Io, c"EXPOSURE_STATUS_IO"),
    (S::MissingInputs, c"EXPOSURE_STATUS_MISSING_INPUTS"),
    (S::InvalidParameters, c"EXPOSURE_STATUS_INVALID_PARAMETERS"),
    (S::UnknownDevice, c"EXPOSURE_STATUS_UNKNOWN_DEVICE"),
    (S::InvalidExceptions, c"EXPOSURE_STATUS_INVALID_EXCEPTIONS"),
    (S::InvalidDate, c"EXPOSURE_STATUS_INVALID_DATE"),
    (S::Other, c"EXPOSURE_STATUS_OTHER"),
    (S::VersionEmpty, c"EXPOSURE_STATUS_VERSION_EMPTY"),
    (
        S::VersionUnexpectedChar,
        c"EXPOSURE_STATUS_VERSION_UNEXPECTED_CHAR",
    ),
    (
        S::VersionUnexpectedEnd,
        c"EXPOSURE_STATUS_VERSION_UNEXPECTED_END",
    ),
    (
        S::VersionNumberTooLarge,
        c"EXPOSURE_STATUS_VERSION_NUMBER_TOO_LARGE",
    ),
    (
        S::VersionLeadingZero,
        c"EXPOSURE_STATUS_VERSION_LEADING_ZERO",
    ),
    (S::VersionInvalid, c"EXPOSURE_STATUS_VERSION_INVALID"),
    (
        S::VersionSchemeMismatch,
        c"EXPOSURE_STATUS_VERSION_SCHEME_MISMATCH",
    ),
    (S::UnknownScheme, c"EXPOSURE_STATUS_UNKNOWN_SCHEME"),
    (S::VersionOther, c"EXPOSURE_STATUS_VERSION_OTHER"),
    (S::RangeSyntax, c"EXPOSURE_STATUS_RANGE_SYNTAX"),
    (S::RangeVers, c"EXPOSURE_STATUS_RANGE_VERS"),
    (S::RangeVersion, c"EXPOSURE_STATUS_RANGE_VERSION"),
    (S::RangeNoIntroduced, c"EXPOSURE_STATUS_RANGE_NO_INTRODUCED"),
    (S::RangeOther, c"EXPOSURE_STATUS_RANGE_OTHER"),
    (S::CpePrefix, c"EXPOSURE_STATUS_CPE_PREFIX"),
    (S::CpeComponentCount, c"EXPOSURE_STATUS_CPE_COMPONENT_COUNT"),
    (S::CpeValue, c"EXPOSURE_STATUS_CPE_VALUE"),
    (S::CpePart, c"EXPOSURE_STATUS_CPE_PART"),
    (S::CpeLanguage, c"EXPOSURE_STATUS_CPE_LANGUAGE"),
    (S::CpeWfnSyntax, c"EXPOSURE_STATUS_CPE_WFN_SYNTAX"),
    (S::CpeBinding, c"EXPOSURE_STATUS_CPE_BINDING"),
    (
        S::ConfigurationInvalid,
        c"EXPOSURE_STATUS_CONFIGURATION_INVALID",
    ),
    (S::CpeDictionary, c"EXPOSURE_STATUS_CPE_DICTIONARY"),
    (S::CpeAlias, c"EXPOSURE_STATUS_CPE_ALIAS"),
    (S::CpeOther, c"EXPOSURE_STATUS_CPE_OTHER"),
    (S::CvssVersion, c"EXPOSURE_STATUS_CVSS_VERSION"),
    (S::CvssMalformed, c"EXPOSURE_STATUS_CVSS_MALFORMED"),
    (S::CvssUnknownMetric, c"EXPOSURE_STATUS_CVSS_UNKNOWN_METRIC"),
    (S::CvssInvalidValue, c"EXPOSURE_STATUS_CVSS_INVALID_VALUE"),
    (
        S::CvssDuplicateMetric,
        c"EXPOSURE_STATUS_CVSS_DUPLICATE_METRIC",
    ),
    (S::CvssMissingMetric, c"EXPOSURE_STATUS_CVSS_MISSING_METRIC"),
    (S::CvssOther, c"EXPOSURE_STATUS_CVSS_OTHER"),
    (S::KbIo, c"EXPOSURE_STATUS_KB_IO"),
    (S::KbSnapshot, c"EXPOSURE_STATUS_KB_SNAPSHOT"),
    (S::KbIncomplete, c"EXPOSURE_STATUS_KB_INCOMPLETE"),
    (S::KbOther, c"EXPOSURE_STATUS_KB_OTHER"),
    (S::InventoryIo, c"EXPOSURE_STATUS_INVENTORY_IO"),
    (S::InventoryNotJson, c"EXPOSURE_STATUS_INVENTORY_NOT_JSON"),
    (
        S::InventoryUnknownFormat,
        c"EXPOSURE_STATUS_INVENTORY_UNKNOWN_FORMAT",
    ),
    (
        S::InventoryMalformed,
        c"EXPOSURE_STATUS_INVENTORY_MALFORMED",
    ),
    (S::InventoryPurl, c"EXPOSURE_STATUS_INVENTORY_PURL"),
    (S::InventorySoftware, c"EXPOSURE_STATUS_INVENTORY_SOFTWARE"),
    (S::InventoryDistro, c"EXPOSURE_STATUS_INVENTORY_DISTRO"),
    (S::InventoryRegistry, c"EXPOSURE_STATUS_INVENTORY_REGISTRY"),
    (
        S::InventoryIncomplete,
        c"EXPOSURE_STATUS_INVENTORY_INCOMPLETE",
    ),
    (S::InventoryOther, c"EXPOSURE_STATUS_INVENTORY_OTHER"),
    (S::RecordInvalid, c"EXPOSURE_STATUS_RECORD_INVALID"),
    (S::RecordFormat, c"EXPOSURE_STATUS_RECORD_FORMAT"),
    (S::RecordTruncated, c"EXPOSURE_STATUS_RECORD_TRUNCATED"),
    (S::RecordCorrupted, c"EXPOSURE_STATUS_RECORD_CORRUPTED"),
    (S::RecordTooLarge, c"EXPOSURE_STATUS_RECORD_TOO_LARGE"),
    (S::RecordNoFleet, c"EXPOSURE_STATUS_RECORD_NO_FLEET"),
    (S::UnknownView, c"EXPOSURE_STATUS_UNKNOWN_VIEW"),
    (
        S::RemediationInvalid,
        c"EXPOSURE_STATUS_REMEDIATION_INVALID",
    ),
    (
        S::UnknownRecommendation,
        c"EXPOSURE_STATUS_UNKNOWN_RECOMMENDATION",
    ),
    (
        S::RemediationDueBeforeCreation,
        c"EXPOSURE_STATUS_REMEDIATION_DUE_BEFORE_CREATION",
    ),
    (
        S::RemediationNoTargetedDevice,
        c"EXPOSURE_STATUS_REMEDIATION_NO_TARGETED_DEVICE",
    ),
    (S::RemediationExport, c"EXPOSURE_STATUS_REMEDIATION_EXPORT"),
    (S::HistoryOther, c"EXPOSURE_STATUS_HISTORY_OTHER"),
    (S::UpdateConfig, c"EXPOSURE_STATUS_UPDATE_CONFIG"),
    (S::UpdateFetch, c"EXPOSURE_STATUS_UPDATE_FETCH"),
    (
        S::UpdateInvalidResponse,
        c"EXPOSURE_STATUS_UPDATE_INVALID_RESPONSE",
    ),
    (S::UpdateMirror, c"EXPOSURE_STATUS_UPDATE_MIRROR"),
    (S::UpdateIncomplete, c"EXPOSURE_STATUS_UPDATE_INCOMPLETE"),
    (S::UpdateSnapshot, c"EXPOSURE_STATUS_UPDATE_SNAPSHOT"),
    (S::UpdateOther, c"EXPOSURE_STATUS_UPDATE_OTHER"),
];

/// The name of a status as the header spells it (`"EXPOSURE_STATUS_NULL_ARGUMENT"` for 1),
/// for logs and messages. `status` is a `uint32_t` so that any number may be asked about; one
/// that is no `EXPOSURE_STATUS_*` gives NULL. Static: never freed, valid for the life of the
/// program; may be called from any thread.
#[no_mangle]
pub extern "C" fn exposure_status_str(status: u32) -> *const std::ffi::c_char {
    guard::guard(|| {
        STATUS_NAMES
            .iter()
            .find(|(s, _)| *s as u32 == status)
            .map_or(std::ptr::null(), |(_, name)| name.as_ptr())
    })
}

/// The library version, e.g. `"0.1.0"`. Static: never freed. (Named so as not to clash with
/// the `exposure_version` handle type.)
#[no_mangle]
pub extern "C" fn exposure_library_version() -> *const std::ffi::c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The ABI version (`EXPOSURE_ABI_VERSION` of the header the library was built with).
#[no_mangle]
pub extern "C" fn exposure_abi_version() -> u32 {
    2
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn every_status_of_the_header_has_its_name_and_no_other_number_has_one() {
        let header = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../include/exposure.h"
        ))
        .unwrap();
        let body = header.split("enum exposure_status\n").nth(1).unwrap();
        let body = body.split("};").next().unwrap();
        let mut seen = 0;
        for line in body.lines() {
            let Some((name, number)) = line
                .trim()
                .strip_suffix(',')
                .and_then(|l| l.split_once(" = "))
            else {
                continue;
            };
            let number: u32 = number.parse().unwrap();
            let named = exposure_status_str(number);
            assert!(!named.is_null(), "{name} ({number}) has no name");
            // SAFETY: a non-NULL result is a static NUL-terminated string.
            assert_eq!(unsafe { CStr::from_ptr(named) }.to_str(), Ok(name));
            seen += 1;
        }
        assert_eq!(
            seen,
            STATUS_NAMES.len(),
            "the table names a status the header lacks"
        );
        for number in [13, 998, 1008, 7006, 8006, 9000, u32::MAX] {
            assert!(exposure_status_str(number).is_null(), "{number}");
        }
    }
}
