//! What devices run: a [`Fleet`] of [`Device`]s, each with its installed [`Software`].
//!
//! Loaders, told apart by content ([`load_text`], [`load_path`]): CycloneDX 1.2–1.6 and SPDX
//! 2.x JSON SBOMs (one device per document), the JSON fleet format (see the README, "Fleet
//! format"), dpkg status databases, apk installed databases, `rpm -qa` output, Windows
//! registry exports of the Uninstall keys, lists of installed programs and lockfiles
//! ([`lockfiles`]; told by file name, or by content where it is unambiguous). A directory
//! tree is one device ([`rootfs::load_dir`]). Bad entries are reported in a [`LoadReport`]
//! with their location and left out; the rest is kept.

pub mod apk;
mod cyclonedx;
mod distro;
pub mod dpkg;
pub(crate) mod fleet;
mod ids;
pub mod installed;
pub mod lockfiles;
pub mod rootfs;
pub mod rpm;
mod spdx;
pub mod windows;

pub use distro::{Distro, DistroError, Family};
pub use fleet::DeviceLines;
pub use ids::IdSet;

#[cfg(test)]
mod tests;

use crate::ecosystem::Ecosystem;
use crate::files;
use crate::load_report::LoadReport;
use crate::parsed::Parsed;
use crate::purl::Purl;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

/// How much a device matters to the organisation (Defender's device value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceValue {
    /// Low-value device (weight 0.75).
    Low,
    /// The default.
    #[default]
    Normal,
    /// High-value device (weight: number of devices / 10).
    High,
}

impl DeviceValue {
    /// The lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            DeviceValue::Low => "low",
            DeviceValue::Normal => "normal",
            DeviceValue::High => "high",
        }
    }

    /// Parses `low`, `normal` or `high` (any case).
    ///
    /// ```
    /// use exposure::inventory::DeviceValue;
    /// assert_eq!(DeviceValue::from_name("High"), Some(DeviceValue::High));
    /// assert_eq!(DeviceValue::from_name("urgent"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        [DeviceValue::Low, DeviceValue::Normal, DeviceValue::High]
            .into_iter()
            .find(|v| v.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// One installed software item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Software {
    /// The ecosystem the package comes from.
    pub ecosystem: Ecosystem,
    /// The package name, in the ecosystem's spelling.
    pub name: String,
    /// The installed version, as reported.
    pub version: String,
    /// The package URL, when the inventory gave one (parsed once, shown as written).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<Parsed<Purl>>,
    /// For a distro source package, the binary packages installed from it (`libssl3`,
    /// `openssl`); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    /// A CPE name for it, given by the inventory or guessed from its name; vendor software is
    /// matched against NVD by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpe: Option<CpeClaim>,
    /// When the item last ran, when the inventory says (application runtime context:
    /// installed but never run, or last used long ago).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_used: Option<LastUsed>,
    /// For an installed program (a Windows Uninstall entry), what the entry is: an
    /// application, or an update, driver, language pack or component, which is never named
    /// ([`Normalizer::name_program`](crate::cpe::Normalizer::name_program)); `None` for
    /// packages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<crate::cpe::ProgramKind>,
}

/// When an installed item last ran, as the fleet format's `last_used` states it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LastUsed {
    /// Installed but never run (`"never"`).
    Never,
    /// Last run on this day (`YYYY-MM-DD`, a real calendar date).
    On(crate::date::Date),
}

impl LastUsed {
    /// Parses `never` or a `YYYY-MM-DD` date that exists (leap years included).
    ///
    /// ```
    /// use exposure::inventory::LastUsed;
    /// assert_eq!(LastUsed::parse("never"), Ok(LastUsed::Never));
    /// assert_eq!(LastUsed::parse("2024-02-29"), Ok(LastUsed::On("2024-02-29".parse().unwrap())));
    /// assert!(LastUsed::parse("2023-02-29").is_err());
    /// assert!(LastUsed::parse("31/01/2026").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text == "never" {
            return Ok(LastUsed::Never);
        }
        text.parse()
            .map(LastUsed::On)
            .map_err(|_| format!("{text:?} is neither \"never\" nor a date YYYY-MM-DD"))
    }

    /// The days from this last use to `as_of` (`None` for [`LastUsed::Never`]; never
    /// negative: a use after `as_of` counts as recent).
    ///
    /// ```
    /// use exposure::{date::Date, inventory::LastUsed};
    /// let as_of: Date = "2026-12-04".parse()?;
    /// assert_eq!(LastUsed::parse("2026-11-04").unwrap().days_before(as_of), Some(30));
    /// assert_eq!(LastUsed::Never.days_before(as_of), None);
    /// # Ok::<(), exposure::date::DateError>(())
    /// ```
    pub fn days_before(&self, as_of: crate::date::Date) -> Option<u32> {
        match self {
            LastUsed::Never => None,
            LastUsed::On(day) => {
                Some(u32::try_from(day.days_until(as_of).max(0)).unwrap_or(u32::MAX))
            }
        }
    }
}

/// The text of the fleet format: `never` or the date.
impl std::fmt::Display for LastUsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LastUsed::Never => f.write_str("never"),
            LastUsed::On(day) => day.fmt(f),
        }
    }
}

impl Serialize for LastUsed {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A CPE name for a software item and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CpeClaim {
    /// The name (a CPE 2.3 formatted string or 2.2 URI as written), parsed once.
    pub name: Parsed<crate::cpe::Cpe>,
    /// How sure the name is, in percent: 100 when the inventory gave it, the normaliser's
    /// confidence when it was guessed.
    pub confidence: u8,
    /// Where it came from: `inventory`, or the normalisation rule that fired.
    pub rule: String,
    /// For a guessed name, how its version was written as NVD writes it
    /// (`version:display`, `version:java-update`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_rule: Option<String>,
}

impl CpeClaim {
    /// A CPE name the inventory stated.
    ///
    /// ```
    /// use exposure::inventory::CpeClaim;
    /// let claim = CpeClaim::stated("cpe:/a:mozilla:firefox:121.0")?;
    /// assert_eq!((claim.name.text(), claim.confidence), ("cpe:/a:mozilla:firefox:121.0", 100));
    /// assert!(CpeClaim::stated("firefox").is_err());
    /// # Ok::<(), exposure::cpe::CpeError>(())
    /// ```
    pub fn stated(name: &str) -> Result<Self, crate::cpe::CpeError> {
        Ok(CpeClaim {
            name: Parsed::new(name)?,
            confidence: 100,
            rule: "inventory".to_owned(),
            version_rule: None,
        })
    }

    /// The CPE name the normaliser guessed: its confidence (0–1 as percent), rule and
    /// version rule.
    pub(crate) fn guessed(candidate: &crate::cpe::Candidate) -> Self {
        CpeClaim {
            name: Parsed::from_parts(&candidate.cpe.to_fs(), candidate.cpe.clone()),
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            confidence: (candidate.confidence * 100.0).round().clamp(0.0, 100.0) as u8,
            rule: candidate.rule.to_owned(),
            version_rule: (!candidate.version_rule.is_empty())
                .then(|| candidate.version_rule.to_owned()),
        }
    }
}

/// Why a purl cannot describe installed software.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SoftwareError {
    /// The purl itself is malformed.
    #[error(transparent)]
    Purl(#[from] crate::purl::PurlError),
    /// The purl has no version, so nothing can be matched.
    #[error("package URL {0:?} has no version")]
    NoVersion(String),
    /// The CPE name is malformed.
    #[error(transparent)]
    Cpe(#[from] crate::cpe::CpeError),
    /// Neither the CPE name nor the entry gives a version.
    #[error("CPE name {0:?} has no version and none is given")]
    CpeWithoutVersion(String),
}

impl Software {
    /// Installed software from a package URL with a version.
    ///
    /// ```
    /// use exposure::{ecosystem::Ecosystem, inventory::Software};
    /// let s = Software::from_purl("pkg:golang/golang.org/x/net@v0.0.0-20210405180319-a5a99cb37ef4")?;
    /// assert_eq!((s.ecosystem, s.name.as_str()), (Ecosystem::Go, "golang.org/x/net"));
    /// # Ok::<(), exposure::inventory::SoftwareError>(())
    /// ```
    pub fn from_purl(text: &str) -> Result<Self, SoftwareError> {
        Self::from_purl_or_version(text, None)
    }

    /// Like [`from_purl`](Self::from_purl), with `version` used when the purl has none.
    ///
    /// ```
    /// use exposure::inventory::Software;
    /// assert_eq!(Software::from_purl_or_version("pkg:npm/lodash", Some("4.17.15"))?.version, "4.17.15");
    /// assert!(Software::from_purl_or_version("pkg:npm/lodash", None).is_err());
    /// # Ok::<(), exposure::inventory::SoftwareError>(())
    /// ```
    pub fn from_purl_or_version(text: &str, version: Option<&str>) -> Result<Self, SoftwareError> {
        let purl: Purl = text.parse()?;
        let version = purl
            .version
            .as_deref()
            .or(version)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| SoftwareError::NoVersion(text.to_owned()))?
            .to_owned();
        let ecosystem = ecosystem_of_purl(&purl);
        // A distro binary package names its source in `upstream` (`openssl`, or
        // `gcc-12@12.2.0-14` when the versions differ); distro advisories name sources.
        if let (Ecosystem::Other(_), Some(upstream)) = (&ecosystem, purl.qualifiers.get("upstream"))
        {
            if matches!(purl.ty.as_str(), "deb" | "apk" | "rpm") {
                let (source, source_version) = upstream
                    .split_once('@')
                    .map_or((upstream.as_str(), version.as_str()), |(s, v)| (s, v));
                return Ok(Software {
                    ecosystem,
                    name: source.to_owned(),
                    version: source_version.to_owned(),
                    purl: Some(Parsed::from_parts(text.trim(), purl.clone())),
                    packages: vec![purl.name.clone()],
                    cpe: None,
                    last_used: None,
                    kind: None,
                });
            }
        }
        // A distro purl's namespace is the vendor (`pkg:deb/debian/curl`), not part of the
        // package name the distro's advisories use.
        let name = if matches!(purl.ty.as_str(), "deb" | "rpm" | "apk" | "alpm") {
            purl.name.clone()
        } else {
            ecosystem.package_name(&purl)
        };
        Ok(Software {
            name,
            ecosystem,
            version,
            purl: Some(Parsed::from_parts(text.trim(), purl)),
            packages: Vec::new(),
            cpe: None,
            last_used: None,
            kind: None,
        })
    }
}

impl Software {
    /// Vendor software known by its CPE name (ecosystem `cpe`): the name is `name` or the
    /// CPE's vendor and product, the version is `version` or the CPE's version.
    ///
    /// ```
    /// use exposure::inventory::Software;
    /// let s = Software::from_cpe("cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*", None, None)?;
    /// assert_eq!((s.name.as_str(), s.version.as_str()), ("mozilla firefox", "121.0"));
    /// assert_eq!(s.cpe.unwrap().confidence, 100);
    /// # Ok::<(), exposure::inventory::SoftwareError>(())
    /// ```
    pub fn from_cpe(
        text: &str,
        name: Option<&str>,
        version: Option<&str>,
    ) -> Result<Self, SoftwareError> {
        use crate::cpe::{Attribute, Cpe};
        let cpe: Cpe = text.trim().parse()?;
        let literal = |a| cpe.get(a).literal().filter(|v: &String| !v.is_empty());
        let version = version
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .or_else(|| literal(Attribute::Version))
            .ok_or_else(|| SoftwareError::CpeWithoutVersion(text.trim().to_owned()))?;
        let name = name.map(str::trim).filter(|n| !n.is_empty()).map_or_else(
            || {
                [literal(Attribute::Vendor), literal(Attribute::Product)]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ")
            },
            str::to_owned,
        );
        Ok(Software {
            ecosystem: Ecosystem::Other("cpe".to_owned()),
            name,
            version,
            purl: None,
            packages: Vec::new(),
            cpe: Some(CpeClaim {
                name: Parsed::from_parts(text.trim(), cpe),
                confidence: 100,
                rule: "inventory".to_owned(),
                version_rule: None,
            }),
            last_used: None,
            kind: None,
        })
    }

    /// Attaches the CPE name an inventory states beside a purl. A name that does not parse
    /// is returned as a problem at `field`, and the item is kept without it.
    pub(crate) fn claim_stated_cpe(
        &mut self,
        text: Option<&str>,
        field: impl FnOnce() -> String,
    ) -> Option<crate::json::FieldError> {
        match CpeClaim::stated(text?) {
            Ok(claim) => {
                self.cpe = Some(claim);
                None
            }
            Err(e) => Some(crate::json::FieldError {
                path: field(),
                message: format!("{e}: the item is matched without it"),
            }),
        }
    }
}

/// The ecosystem of a purl: a package ecosystem where the type has one, else the distro
/// release its `distro` qualifier names (`Debian:12`), else the OS package family (`Debian`,
/// `Alpine`, `Red Hat`), else `purl:<type>` so nothing is lost.
fn ecosystem_of_purl(purl: &Purl) -> Ecosystem {
    if let Some(distro) = purl
        .qualifiers
        .get("distro")
        .and_then(|d| Distro::from_purl_qualifier(&purl.ty, d))
    {
        return Ecosystem::Other(distro.osv_ecosystem());
    }
    Ecosystem::from_purl_type(&purl.ty).unwrap_or_else(|| {
        Ecosystem::Other(match purl.ty.as_str() {
            "deb" => "Debian".to_owned(),
            "apk" => "Alpine".to_owned(),
            "rpm" => "Red Hat".to_owned(),
            other => format!("purl:{other}"),
        })
    })
}

/// A device and what it runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Device {
    /// A unique id.
    pub id: String,
    /// A display name.
    pub name: String,
    /// Free-form tags (roles, locations).
    pub tags: Vec<String>,
    /// The device groups it belongs to (Defender's device groups; a device may be in
    /// several, or none): assessments report exposure per group
    /// ([`crate::assessment::GroupExposure`]) and exceptions may be limited to groups
    /// ([`crate::exceptions`]). Only the fleet format gives groups.
    pub groups: Vec<String>,
    /// How much the device matters.
    pub value: DeviceValue,
    /// Installed software. Items are shared: equal items of different devices can be one
    /// allocation (see [`Fleet::share_software`]), which is what keeps a fleet of thousands of
    /// devices small; change one with [`Arc::make_mut`](std::sync::Arc::make_mut).
    pub software: Vec<std::sync::Arc<Software>>,
    /// Whether the device is reachable from the internet.
    pub internet_facing: bool,
    /// Vulnerability ids with an active security alert on this device (an EDR saw them
    /// exploited).
    pub alerts: Vec<String>,
    /// Platform and configuration facts the device reports (CPE names of its platform,
    /// `role:web-server`, …), for records gated on what a product runs on or with.
    pub conditions: Vec<String>,
    /// The configuration checks it reports (see [`crate::configuration`]).
    pub configuration: Vec<crate::configuration::ConfigurationCheck>,
}

impl Device {
    /// The CPE names that stand for what the device runs on and with, for applicability
    /// statements' platform criteria: the CPE name of each software item, then each of its
    /// `conditions` that is a CPE name (validated when the inventory was read; one that does
    /// not parse is left out). Facts that are not CPE names (`role:web-server`) are not
    /// among them.
    ///
    /// ```
    /// use exposure::inventory::Device;
    /// let mut device = Device::with_software("d", "d", Vec::new());
    /// device.conditions = vec!["cpe:2.3:o:microsoft:windows_10:-:*:*:*:*:*:*:*".into(), "role:web-server".into()];
    /// assert_eq!(device.platform_names().len(), 1);
    /// ```
    pub fn platform_names(&self) -> Vec<crate::cpe::Cpe> {
        self.software
            .iter()
            .filter_map(|s| Some(s.cpe.as_ref()?.name.value().clone()))
            .chain(self.condition_names())
            .collect()
    }

    /// The device's `conditions` that name a platform, as CPE names: a CPE name as it is, and
    /// `platform:<name>` (free text, any case, as CVE 5 records name platforms: `Windows`,
    /// `x86`) as `cpe:2.3:o:*:<name>:*:…` (lower case, spaces as `_`), which only criteria
    /// with any vendor — CVE 5 `platforms`, never NVD's — can match.
    ///
    /// ```
    /// use exposure::inventory::Device;
    /// let mut device = Device::with_software("d", "d", Vec::new());
    /// device.conditions = vec!["platform:Windows".into(), "role:web-server".into()];
    /// let names: Vec<String> = device.condition_names().map(|c| c.to_fs()).collect();
    /// assert_eq!(names, ["cpe:2.3:o:*:windows:*:*:*:*:*:*:*:*"]);
    /// ```
    pub fn condition_names(&self) -> impl Iterator<Item = crate::cpe::Cpe> + '_ {
        self.conditions.iter().filter_map(|c| {
            if c.starts_with("cpe:") {
                return c.parse().ok();
            }
            let platform = c.strip_prefix("platform:")?.trim().to_lowercase();
            if platform.is_empty() {
                return None;
            }
            let word = crate::cpe::literal_value(&platform.replace(' ', "_"))?;
            Some(
                "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*"
                    .parse::<crate::cpe::Cpe>()
                    .ok()?
                    .with(crate::cpe::Attribute::Product, word),
            )
        })
    }

    /// A device of normal value and no tags or groups, not internet-facing, with no alerts, conditions
    /// or configuration checks, as inventories of one host describe it.
    ///
    /// ```
    /// use exposure::{ecosystem::Ecosystem, inventory::{Device, Software}};
    /// let software = Software {
    ///     ecosystem: Ecosystem::Npm, name: "lodash".into(), version: "4.17.20".into(),
    ///     purl: None, packages: Vec::new(), cpe: None, last_used: None, kind: None,
    /// };
    /// let device = Device::with_software("web-1", "web-1", vec![software]);
    /// assert_eq!(device.software[0].name, "lodash");
    /// ```
    pub fn with_software(
        id: impl Into<String>,
        name: impl Into<String>,
        software: Vec<Software>,
    ) -> Self {
        Device {
            id: id.into(),
            name: name.into(),
            tags: Vec::new(),
            groups: Vec::new(),
            value: DeviceValue::Normal,
            software: software.into_iter().map(std::sync::Arc::new).collect(),
            internet_facing: false,
            alerts: Vec::new(),
            conditions: Vec::new(),
            configuration: Vec::new(),
        }
    }
}

/// A set of devices.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Fleet {
    /// The devices, in input order.
    pub devices: Vec<Device>,
}

/// A device that came with an id the fleet already had, kept apart under a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    /// The id it came with.
    pub from: String,
    /// The id it is assessed under.
    pub to: String,
}

/// The device ids met so far, each once: a device that comes with an id met before is given
/// the first free `id#n` (n from 2), as [`Fleet::extend`] and a streamed assessment
/// ([`crate::stream`]) keep devices apart.
///
/// ```
/// use exposure::inventory::{load_text, DeviceIds, LoadOptions, Renamed};
/// let fleet = load_text(r#"{"devices": [{"id": "a", "software": []}]}"#, "fleet", &LoadOptions::default())?.fleet;
/// let mut ids = DeviceIds::default();
/// assert_eq!(ids.admit(&mut fleet.devices[0].clone()), None);
/// let mut again = fleet.devices[0].clone();
/// assert_eq!(ids.admit(&mut again), Some(Renamed { from: "a".into(), to: "a#2".into() }));
/// assert_eq!((again.id.as_str(), ids.len()), ("a#2", 2));
/// # Ok::<(), exposure::inventory::InventoryError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct DeviceIds {
    ids: IdSet,
}

impl DeviceIds {
    /// Notes the device's id, renaming the device first when the id was met before.
    pub fn admit(&mut self, device: &mut Device) -> Option<Renamed> {
        if self.ids.insert(&device.id) {
            return None;
        }
        // Of these ids.len() + 1 candidates, at least one is free.
        let to = (2..=self.ids.len() + 2)
            .map(|n| format!("{}#{n}", device.id))
            .find(|id| !self.ids.contains(id))
            .unwrap_or_default();
        self.ids.insert(&to);
        let from = std::mem::replace(&mut device.id, to.clone());
        Some(Renamed { from, to })
    }

    /// How many ids were met (renamed ones counted under their new id).
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no id was met yet.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

impl Fleet {
    /// Adds the devices of another fleet. A device whose id the fleet has already (two
    /// inventories naming the same host or product, such as an SBOM and an OBOM of one
    /// application) is kept apart, never merged into the earlier one: it takes the first
    /// free id of `id#2`, `id#3`, …, and the renames are returned for the caller to report.
    ///
    /// ```
    /// use exposure::inventory::{Device, Fleet, Renamed};
    /// let device = |id: &str| Device::with_software(id, id, Vec::new());
    /// let mut fleet = Fleet { devices: vec![device("app"), device("app#2")] };
    /// let renamed = fleet.extend(Fleet { devices: vec![device("app"), device("db")] });
    /// assert_eq!(renamed, [Renamed { from: "app".into(), to: "app#3".into() }]);
    /// let ids: Vec<&str> = fleet.devices.iter().map(|d| d.id.as_str()).collect();
    /// assert_eq!(ids, ["app", "app#2", "app#3", "db"]);
    /// ```
    pub fn extend(&mut self, other: Fleet) -> Vec<Renamed> {
        let mut ids = DeviceIds::default();
        for device in &mut self.devices {
            ids.admit(device);
        }
        let mut renamed = Vec::new();
        for mut device in other.devices {
            renamed.extend(ids.admit(&mut device));
            self.devices.push(device);
        }
        renamed
    }

    /// Makes equal software items of all devices one shared item, and returns how many
    /// distinct items remain. A fleet repeats the same packages on many devices (10,000
    /// generated devices of 300 items hold about 3,000 distinct ones), so this divides the
    /// memory a fleet takes by the repetition; matching and findings are unchanged.
    ///
    /// ```
    /// use exposure::inventory::{load_text, LoadOptions};
    /// let mut fleet = load_text(r#"{"devices": [
    ///   {"id": "a", "software": [{"purl": "pkg:npm/lodash@4.17.20"}]},
    ///   {"id": "b", "software": [{"purl": "pkg:npm/lodash@4.17.20"}]}]}"#, "fleet", &LoadOptions::default())?.fleet;
    /// assert_eq!(fleet.share_software(), 1);
    /// let (a, b) = (&fleet.devices[0].software[0], &fleet.devices[1].software[0]);
    /// assert!(std::sync::Arc::ptr_eq(a, b));
    /// # Ok::<(), exposure::inventory::InventoryError>(())
    /// ```
    pub fn share_software(&mut self) -> usize {
        let mut shared = SharedSoftware::default();
        for device in &mut self.devices {
            shared.share(device);
        }
        shared.distinct()
    }
}

/// The distinct software items met so far, for sharing equal items between devices as they
/// are loaded (see [`Fleet::share_software`]).
#[derive(Default)]
pub(crate) struct SharedSoftware {
    items: std::collections::HashSet<std::sync::Arc<Software>>,
    /// The addresses of `items`: an item shared already is known by its address, without
    /// hashing its value (each lives as long as `items` holds it, so no other item takes it).
    addresses: std::collections::HashSet<usize>,
}

impl SharedSoftware {
    /// Replaces the device's items that equal one met before by that one.
    pub(crate) fn share(&mut self, device: &mut Device) {
        for item in &mut device.software {
            if !self.addresses.contains(&Self::address(item)) {
                *item = self.canonical(std::sync::Arc::clone(item));
            }
        }
    }

    /// The item met before that equals `item`, or `item`, now met.
    pub(crate) fn canonical(&mut self, item: std::sync::Arc<Software>) -> std::sync::Arc<Software> {
        if let Some(shared) = self.items.get(&item) {
            return std::sync::Arc::clone(shared);
        }
        self.addresses.insert(Self::address(&item));
        self.items.insert(std::sync::Arc::clone(&item));
        item
    }

    fn address(item: &std::sync::Arc<Software>) -> usize {
        std::sync::Arc::as_ptr(item) as usize
    }

    /// How many distinct items there are.
    pub(crate) fn distinct(&self) -> usize {
        self.items.len()
    }
}

/// A fleet and the account of loading it.
#[derive(Debug, Clone, Default)]
pub struct LoadedFleet {
    /// The devices that loaded.
    pub fleet: Fleet,
    /// Counts and problems; a record here is a device or a software entry.
    pub report: LoadReport,
}

impl LoadedFleet {
    /// What an inventory of one host loads into: that device (see
    /// [`Device::with_software`]) and the report.
    pub(crate) fn one_device(
        id: impl Into<String>,
        name: impl Into<String>,
        software: Vec<Software>,
        report: LoadReport,
    ) -> Self {
        LoadedFleet {
            fleet: Fleet {
                devices: vec![Device::with_software(id, name, software)],
            },
            report,
        }
    }
}

/// An inventory could not be read at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InventoryError {
    /// The file could not be read, decompressed or decoded as text.
    #[error("cannot read {path}: {source}")]
    Input {
        /// The path.
        path: PathBuf,
        /// What failed.
        source: crate::files::InputError,
    },
    /// The input is not JSON.
    #[error("{origin}: not JSON: {message}")]
    NotJson {
        /// The input's name.
        origin: String,
        /// The parser's message, with line and column.
        message: String,
        /// The byte offset in the text of the line and column the message names, if any.
        offset: Option<usize>,
    },
    /// The JSON is neither a CycloneDX BOM, an SPDX document nor a fleet document.
    #[error("{origin}: neither a CycloneDX BOM (\"bomFormat\": \"CycloneDX\"), an SPDX document (\"spdxVersion\") nor a fleet document (\"devices\": [...])")]
    UnknownFormat {
        /// The input's name.
        origin: String,
    },
    /// The document is of a known format but its top level is broken.
    #[error("{origin}: {field}: {message}")]
    Malformed {
        /// The input's name.
        origin: String,
        /// The JSON path of the field.
        field: String,
        /// What was wrong.
        message: String,
    },
}

/// How to read inventories whose text does not say everything.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions<'n> {
    /// The distribution release of devices described by a package database alone (a dpkg
    /// status file names no release); see [`Distro`].
    pub distro: Option<Distro>,
    /// The normaliser that guesses CPE names for installed programs; the default alias rules
    /// when `None`. One with NVD's CPE dictionary recognises far more programs.
    pub normalizer: Option<&'n crate::cpe::Normalizer<'n>>,
    /// How much one inventory may hold, decompressed (see [`Limits`](crate::files::Limits)):
    /// a larger one is an [`InputError::TooLarge`](crate::files::InputError::TooLarge).
    pub limits: crate::files::Limits,
}

/// Loads an inventory from text, told apart by content: a CycloneDX BOM or a fleet document
/// (JSON); a dpkg status database or an apk installed database (one device, named `origin`;
/// give its release in `options`); a lockfile whose content says which it is
/// ([`lockfiles::Kind::from_text`]; one device); `rpm -qa` output (one device); a Windows registry export of the Uninstall keys, or a CSV or JSON list of
/// programs with `DisplayName`, `Publisher`, `DisplayVersion` (one device, CPE names guessed
/// by the default alias rules). `origin` names the input in problems (and is the device id of a BOM without
/// one). Text larger than `options.limits` allow is an [`InventoryError::Input`].
///
/// ```
/// use exposure::inventory::{load_text, Distro, LoadOptions};
/// let options = LoadOptions { distro: Distro::from_purl_qualifier("deb", "debian-12"), ..Default::default() };
/// let loaded = load_text("Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n\
///     Source: bash (5.2.15-2)\n", "host-7", &options)?;
/// assert_eq!(loaded.fleet.devices[0].software[0].ecosystem.to_string(), "Debian:12");
/// # Ok::<(), exposure::inventory::InventoryError>(())
/// ```
pub fn load_text(
    text: &str,
    origin: &str,
    options: &LoadOptions<'_>,
) -> Result<LoadedFleet, InventoryError> {
    options
        .limits
        .check(text.len(), origin)
        .map_err(|source| InventoryError::Input {
            path: origin.into(),
            source,
        })?;
    if is_dpkg_status(text) {
        return Ok(dpkg::load_device(text, options.distro.as_ref(), origin));
    }
    if apk::recognizes(text) {
        return Ok(apk::load_device(text, options.distro.as_ref(), origin));
    }
    if let Some(kind) = lockfiles::Kind::from_text(text) {
        return lockfiles::load(kind, text, origin);
    }
    let default_rules;
    let normalizer = if let Some(n) = options.normalizer {
        n
    } else {
        default_rules = crate::cpe::Normalizer::with_default_rules();
        &default_rules
    };
    if is_registry_export(text) {
        let programs = windows::parse_uninstall_export(text.as_bytes()).map_err(|e| {
            InventoryError::Malformed {
                origin: origin.to_owned(),
                field: String::new(),
                message: e.to_string(),
            }
        })?;
        let report = LoadReport::one_file();
        return Ok(installed::load_device(
            &programs, origin, normalizer, report,
        ));
    }
    if rpm::recognizes(text) {
        return Ok(rpm::load_device(text, origin));
    }
    if installed::is_csv_list(text) || installed::is_json_list(text) {
        let mut report = LoadReport::one_file();
        let programs = installed::parse_list(text, origin, &mut report);
        return Ok(installed::load_device(
            &programs, origin, normalizer, report,
        ));
    }
    load_json(text, origin)
}

/// Whether text is a dpkg status database: its first field is `Package:`.
fn is_dpkg_status(text: &str) -> bool {
    text.trim_start().starts_with("Package:")
}

/// Whether text is a `regedit` export: its first line is the header of one.
fn is_registry_export(text: &str) -> bool {
    let header = text.trim_start().lines().next().unwrap_or_default().trim();
    header.starts_with("Windows Registry Editor") || header == "REGEDIT4"
}

/// Whether the first bytes of an inventory (decoded, see [`files::head_text`]) begin one of
/// the formats [`load_text`] reads: JSON (an object or an array), a dpkg status database, a
/// registry export, a CSV list of programs, or `rpm -qa` lines (a line cut at the end of
/// the head is left out of that test).
fn begins_an_inventory(head: &str) -> bool {
    let whole_lines = head.rsplit_once('\n').map_or(head, |(lines, _)| lines);
    head.trim_start().starts_with(['{', '['])
        || is_dpkg_status(head)
        || apk::recognizes(head)
        || lockfiles::Kind::from_text(head).is_some()
        || is_registry_export(head)
        || installed::is_csv_list(head)
        || rpm::recognizes(whole_lines)
}

/// Loads an inventory from JSON text: a CycloneDX BOM, an SPDX 2.x document or a fleet
/// document, told apart by content. `origin` names the input in problems (and is the device
/// id of a BOM without one).
fn load_json(text: &str, origin: &str) -> Result<LoadedFleet, InventoryError> {
    // One pass over the text: a fleet's devices are read as they stream by, the other fields
    // are kept for the formats that read them.
    let (document, devices) = fleet::read(text, origin).map_err(|e| {
        if e.classify() == serde_json::error::Category::Data {
            // JSON, but its top level is not an object: no format reads it.
            InventoryError::UnknownFormat {
                origin: origin.to_owned(),
            }
        } else {
            InventoryError::NotJson {
                origin: origin.to_owned(),
                message: e.to_string(),
                offset: crate::json_error_offset(text, &e),
            }
        }
    })?;
    if document
        .get("bomFormat")
        .and_then(serde_json::Value::as_str)
        == Some("CycloneDX")
    {
        cyclonedx::load(&document, origin)
    } else if document.get("spdxVersion").is_some() {
        spdx::load(&document, origin)
    } else if let Some(devices) = devices {
        devices
    } else {
        Err(InventoryError::UnknownFormat {
            origin: origin.to_owned(),
        })
    }
}

/// Loads an inventory from bytes the caller holds, of any format [`load_text`] reads: gzip is
/// undone and the text decoded as a file's would be (UTF-8, or UTF-16LE after a byte-order
/// mark, as `regedit` writes its exports), at most `options.limits` once decompressed. Bytes
/// that are not text, or hold more than the limit, are an [`InventoryError::Input`] naming
/// `origin`.
///
/// ```
/// use exposure::inventory::{load_bytes, LoadOptions};
/// let export: Vec<u8> = [0xFF, 0xFE].into_iter()
///     .chain("Windows Registry Editor Version 5.00\r\n\r\n\
///             [HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\7-Zip]\r\n\
///             \"DisplayName\"=\"7-Zip 19.00\"\r\n\"DisplayVersion\"=\"19.00\"\r\n\"Publisher\"=\"Igor Pavlov\"\r\n"
///         .encode_utf16().flat_map(u16::to_le_bytes))
///     .collect();
/// let loaded = load_bytes(export, "pc-1", &LoadOptions::default())?;
/// assert_eq!(loaded.fleet.devices[0].id, "pc-1");
/// assert_eq!(loaded.fleet.devices[0].software[0].name, "7-Zip 19.00");
/// # Ok::<(), exposure::inventory::InventoryError>(())
/// ```
pub fn load_bytes(
    bytes: Vec<u8>,
    origin: &str,
    options: &LoadOptions<'_>,
) -> Result<LoadedFleet, InventoryError> {
    let input = |source: files::InputError| InventoryError::Input {
        path: origin.into(),
        source,
    };
    let bytes = options.limits.decompress(bytes, origin).map_err(input)?;
    options.limits.check(bytes.len(), origin).map_err(input)?;
    let text = files::decode_text(bytes).map_err(input)?;
    load_text(&text, origin, options)
}

/// Loads an inventory file of any format [`load_text`] reads; gzip is undone. A lockfile is
/// told by its name ([`lockfiles::Kind::from_file_name`]: `Cargo.lock`, `requirements.txt`,
/// `go.sum`, …). Other formats are told from the first kilobytes before the rest is read: a file that begins none of the
/// formats is [`InventoryError::NotJson`], binary data (a NUL byte) an
/// [`InventoryError::Input`], both from the head; one that holds more than `options.limits`
/// allow is an [`InventoryError::Input`] once the limit is passed.
///
/// ```no_run
/// use exposure::inventory::{load_path, LoadOptions};
/// let loaded = load_path("bom.json".as_ref(), &LoadOptions::default())?;
/// println!("{} devices, {}", loaded.fleet.devices.len(), loaded.report);
/// # Ok::<(), exposure::inventory::InventoryError>(())
/// ```
pub fn load_path(path: &Path, options: &LoadOptions<'_>) -> Result<LoadedFleet, InventoryError> {
    let origin = path.display().to_string();
    let input = |source: files::InputError| InventoryError::Input {
        path: path.to_owned(),
        source,
    };
    // A lockfile is told by its name (a requirements.txt or go.sum says nothing itself).
    let lockfile = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(lockfiles::Kind::from_file_name);
    if let Some(kind) = lockfile {
        let text = options.limits.read_text(path).map_err(input)?;
        return lockfiles::load(kind, &text, &origin);
    }
    let mut reader = options.limits.open(path).map_err(input)?;
    let mut bytes = files::read_head(&mut reader).map_err(|e| input(e.into()))?;
    let head = files::head_text(&bytes).map_err(input)?;
    // A head shorter than the most it can be is the whole file: `load_text` says precisely
    // what is wrong with it.
    if bytes.len() == files::HEAD && !begins_an_inventory(&head) {
        let start: String = head.trim_start().chars().take(40).collect();
        return Err(InventoryError::NotJson {
            origin,
            message: format!(
                "it begins none of the inventory formats (JSON, dpkg status, rpm -qa, a \
                 registry export, a list of programs): {start:?}"
            ),
            offset: None,
        });
    }
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| input(e.into()))?;
    let text = files::decode_text(bytes).map_err(input)?;
    load_text(&text, &origin, options)
}
