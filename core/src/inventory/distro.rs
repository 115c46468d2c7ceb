//! Which distribution release a device runs, and the OSV ecosystem its packages belong to
//! (`Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.19`): read from `/etc/os-release` or from a
//! purl's `distro` qualifier. Distro advisories are per release, so the release is part of
//! the match key; without one, a distro package is matched by nothing rather than by the
//! wrong release.

use std::collections::BTreeMap;

/// A distribution release.
///
/// ```
/// use exposure::inventory::Distro;
/// let d = Distro::from_os_release("ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n").unwrap();
/// assert_eq!(d.osv_ecosystem(), "Debian:12");
/// assert_eq!(Distro::from_purl_qualifier("deb", "ubuntu-22.04").unwrap().osv_ecosystem(), "Ubuntu:22.04:LTS");
/// assert_eq!(Distro::from_purl_qualifier("apk", "alpine-3.19.1").unwrap().osv_ecosystem(), "Alpine:v3.19");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Distro {
    /// The distribution family.
    pub family: Family,
    /// The release as OSV names it: `12`, `22.04`, `v3.19`.
    pub release: String,
}

/// Why a distribution release could not be named.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DistroError {
    /// Not a release this engine knows by that name.
    #[error("unknown distro {0:?} (debian-12, bookworm, ubuntu-22.04, alpine-3.19)")]
    UnknownName(String),
    /// The os-release file could not be read.
    #[error("cannot read {path}: {source}")]
    Input {
        /// The file.
        path: std::path::PathBuf,
        /// What failed.
        source: crate::files::InputError,
    },
    /// The os-release file names no Debian, Ubuntu or Alpine release.
    #[error("{0}: not a Debian, Ubuntu or Alpine os-release (ID and VERSION_ID)")]
    NotAnOsRelease(std::path::PathBuf),
}

/// Distribution families whose advisories the engine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Family {
    /// Debian (dpkg).
    Debian,
    /// Ubuntu (dpkg).
    Ubuntu,
    /// Alpine (apk).
    Alpine,
}

/// The Ubuntu release a package version names: `…ubuntu0.22.04.1` (a security update built
/// for one release) or `…~22.04` (a backport to it).
fn ubuntu_release_in(version: &str) -> Option<String> {
    let tail = version
        .split_once("ubuntu0.")
        .map(|(_, t)| t)
        .or_else(|| version.rsplit_once('~').map(|(_, t)| t))?;
    let mut parts = tail.split('.');
    let (year, month) = (parts.next()?, parts.next()?);
    let month: String = month.chars().take_while(char::is_ascii_digit).collect();
    let plausible = year.len() == 2
        && year.chars().all(|c| c.is_ascii_digit())
        && (month == "04" || month == "10");
    plausible.then(|| format!("{year}.{month}"))
}

/// Debian's release code names, for `distro=bookworm` and os-release files without a number.
const DEBIAN_CODENAMES: [(&str, &str); 9] = [
    ("wheezy", "7"),
    ("jessie", "8"),
    ("stretch", "9"),
    ("buster", "10"),
    ("bullseye", "11"),
    ("bookworm", "12"),
    ("trixie", "13"),
    ("forky", "14"),
    ("duke", "15"),
];

/// Ubuntu releases by the version of their `base-files` package (its part before `ubuntu`).
const UBUNTU_BASE_FILES: [(&str, &str); 9] = [
    ("9.4", "16.04"),
    ("10.1", "18.04"),
    ("11", "20.04"),
    ("11.1", "21.04"),
    ("12", "22.04"),
    ("12.3", "23.04"),
    ("13", "24.04"),
    ("13.3", "24.10"),
    ("13.6", "25.04"),
];

impl Distro {
    /// The release a dpkg host runs, detected from its installed packages (`name`,
    /// `version`), with the evidence in words: Debian's and Ubuntu's `base-files` version
    /// (`12.4+deb12u5` is Debian 12, `12ubuntu4.6` Ubuntu 22.04), else the release Ubuntu's
    /// security updates name in their versions (`2.9.13+dfsg-1ubuntu0.3`,
    /// `1.2.3-0ubuntu0.22.04.1`). `None` when the packages do not say.
    ///
    /// ```
    /// use exposure::inventory::Distro;
    /// let (d, why) = Distro::detect_from_dpkg([("base-files", "12.4+deb12u5"), ("bash", "5.2.15-2+b2")]).unwrap();
    /// assert_eq!((d.osv_ecosystem().as_str(), why.as_str()), ("Debian:12", "base-files 12.4+deb12u5"));
    /// let (d, _) = Distro::detect_from_dpkg([("base-files", "12ubuntu4.6")]).unwrap();
    /// assert_eq!(d.osv_ecosystem(), "Ubuntu:22.04:LTS");
    /// let (d, why) = Distro::detect_from_dpkg([("curl", "7.81.0-1ubuntu1.15"), ("libc6", "2.35-0ubuntu3.6"), ("vim", "2:8.2.3995-1ubuntu2.13"), ("openssl", "3.0.2-0ubuntu1.12+esm1~22.04")]).unwrap();
    /// assert_eq!(d.osv_ecosystem(), "Ubuntu:22.04:LTS");
    /// assert!(why.contains("22.04"));
    /// assert!(Distro::detect_from_dpkg([("curl", "7.88.1-10")]).is_none());
    /// ```
    pub fn detect_from_dpkg<'a>(
        packages: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Option<(Distro, String)> {
        let mut ubuntu_releases: BTreeMap<String, usize> = BTreeMap::new();
        for (name, version) in packages {
            if name == "base-files" {
                if let Some(found) = Self::from_base_files(version) {
                    return Some((found, format!("base-files {version}")));
                }
            }
            if let Some(release) = ubuntu_release_in(version) {
                *ubuntu_releases.entry(release).or_default() += 1;
            }
        }
        let (release, count) = ubuntu_releases.into_iter().max_by_key(|(_, n)| *n)?;
        let distro = Distro::from_name(&format!("ubuntu-{release}")).ok()?;
        Some((
            distro,
            format!("{count} package versions naming Ubuntu {release}"),
        ))
    }

    /// The release a `base-files` version names (Debian `12.4+deb12u5`, `11.1+deb11u9`;
    /// Ubuntu `12ubuntu4.6`).
    fn from_base_files(version: &str) -> Option<Distro> {
        if let Some((head, _)) = version.split_once("ubuntu") {
            let release = UBUNTU_BASE_FILES
                .iter()
                .find(|(prefix, _)| *prefix == head)?
                .1;
            return Distro::from_name(&format!("ubuntu-{release}")).ok();
        }
        let major: String = version.chars().take_while(char::is_ascii_digit).collect();
        let number: u32 = major.parse().ok()?;
        (7..=20)
            .contains(&number)
            .then(|| Distro::new(Family::Debian, &major))
    }

    /// The release described by an os-release file (`ID`, `ID_LIKE`, `VERSION_ID`,
    /// `VERSION_CODENAME`), when it is a family the engine knows.
    pub fn from_os_release(text: &str) -> Option<Distro> {
        let mut id = "";
        let mut id_like = "";
        let mut version_id = "";
        let mut codename = "";
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let value = value.trim().trim_matches('"').trim_matches('\'');
            match key.trim() {
                "ID" => id = value,
                "ID_LIKE" => id_like = value,
                "VERSION_ID" => version_id = value,
                "VERSION_CODENAME" => codename = value,
                _ => {}
            }
        }
        let family = family_of(id)?;
        let _ = id_like; // derivatives (ID_LIKE=debian) have their own releases: not guessed
        match family {
            Family::Debian if version_id.is_empty() => {
                let number = DEBIAN_CODENAMES
                    .iter()
                    .find(|(name, _)| *name == codename)?
                    .1;
                Some(Distro::new(family, number))
            }
            _ if version_id.is_empty() => None,
            _ => Some(Distro::new(family, version_id)),
        }
    }

    /// The release a person names: `debian-12`, `bookworm`, `ubuntu-22.04`, `alpine-3.19`
    /// (the spellings of a purl's `distro` qualifier).
    ///
    /// ```
    /// use exposure::inventory::Distro;
    /// assert_eq!(Distro::from_name("bookworm")?.osv_ecosystem(), "Debian:12");
    /// assert_eq!(Distro::from_name("alpine-3.19")?.osv_ecosystem(), "Alpine:v3.19");
    /// assert!(Distro::from_name("windows-11").is_err());
    /// # Ok::<(), exposure::inventory::DistroError>(())
    /// ```
    pub fn from_name(name: &str) -> Result<Distro, DistroError> {
        Self::from_purl_qualifier("deb", name)
            .or_else(|| Self::from_purl_qualifier("apk", name))
            .ok_or_else(|| DistroError::UnknownName(name.to_owned()))
    }

    /// The release a device's `/etc/os-release` file describes (see
    /// [`Distro::from_os_release`]).
    pub fn from_os_release_file(path: &std::path::Path) -> Result<Distro, DistroError> {
        let text = crate::files::read_text(path).map_err(|source| DistroError::Input {
            path: path.to_owned(),
            source,
        })?;
        Self::from_os_release(&text).ok_or_else(|| DistroError::NotAnOsRelease(path.to_owned()))
    }

    /// The release named by a purl's `distro` qualifier (`debian-12`, `bookworm`,
    /// `ubuntu-22.04`, `alpine-3.19.1`) for a purl of type `deb` or `apk`.
    pub fn from_purl_qualifier(purl_type: &str, distro: &str) -> Option<Distro> {
        let distro = distro.trim().to_ascii_lowercase();
        let (name, version) = distro.split_once('-').unwrap_or((&distro, ""));
        match (purl_type, name) {
            ("deb", "debian") if !version.is_empty() => Some(Distro::new(Family::Debian, version)),
            ("deb", "ubuntu") if !version.is_empty() => Some(Distro::new(Family::Ubuntu, version)),
            ("deb", codename) if version.is_empty() => DEBIAN_CODENAMES
                .iter()
                .find(|(n, _)| *n == codename)
                .map(|(_, number)| Distro::new(Family::Debian, number)),
            ("apk", "alpine") if !version.is_empty() => Some(Distro::new(Family::Alpine, version)),
            _ => None,
        }
    }

    /// A release of `family`, normalised to OSV's spelling: Debian's major number (`12.5` →
    /// `12`), Ubuntu's `YY.MM`, Alpine's `vMAJOR.MINOR`.
    pub fn new(family: Family, version: &str) -> Distro {
        let version = version.trim().trim_start_matches('v');
        let release = match family {
            Family::Debian => version.split('.').next().unwrap_or(version).to_owned(),
            Family::Ubuntu => version.split('.').take(2).collect::<Vec<_>>().join("."),
            Family::Alpine => format!(
                "v{}",
                version.split('.').take(2).collect::<Vec<_>>().join(".")
            ),
        };
        Distro { family, release }
    }

    /// The family's OSV name: `Debian`, `Ubuntu`, `Alpine`.
    pub fn family_name(&self) -> &'static str {
        match self.family {
            Family::Debian => "Debian",
            Family::Ubuntu => "Ubuntu",
            Family::Alpine => "Alpine",
        }
    }

    /// The OSV ecosystem of this release's packages. Ubuntu's long-term-support releases (April
    /// releases of even years) are `Ubuntu:YY.04:LTS`, as Canonical's OSV data names them.
    pub fn osv_ecosystem(&self) -> String {
        if self.family == Family::Ubuntu && is_ubuntu_lts(&self.release) {
            format!("Ubuntu:{}:LTS", self.release)
        } else {
            format!("{}:{}", self.family_name(), self.release)
        }
    }

    /// The purl `distro` qualifier: `debian-12`, `ubuntu-22.04`, `alpine-3.19`.
    pub fn purl_qualifier(&self) -> String {
        format!(
            "{}-{}",
            self.family_name().to_ascii_lowercase(),
            self.release.trim_start_matches('v')
        )
    }
}

fn family_of(id: &str) -> Option<Family> {
    match id.to_ascii_lowercase().as_str() {
        "debian" => Some(Family::Debian),
        "ubuntu" => Some(Family::Ubuntu),
        "alpine" => Some(Family::Alpine),
        _ => None,
    }
}

fn is_ubuntu_lts(release: &str) -> bool {
    let Some((year, month)) = release.split_once('.') else {
        return false;
    };
    month == "04" && year.parse::<u32>().is_ok_and(|y| y % 2 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release_files() {
        let ubuntu = "NAME=\"Ubuntu\"\nVERSION_ID=\"23.10\"\nID=ubuntu\nID_LIKE=debian\n";
        assert_eq!(
            Distro::from_os_release(ubuntu).unwrap().osv_ecosystem(),
            "Ubuntu:23.10"
        );
        let alpine = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n";
        let distro = Distro::from_os_release(alpine).unwrap();
        assert_eq!(
            (distro.osv_ecosystem(), distro.purl_qualifier()),
            ("Alpine:v3.19".to_owned(), "alpine-3.19".to_owned())
        );
        // Debian testing has a code name but no number.
        let trixie = "ID=debian\nVERSION_CODENAME=trixie\n";
        assert_eq!(
            Distro::from_os_release(trixie).unwrap().osv_ecosystem(),
            "Debian:13"
        );
        // A derivative is not guessed to be its parent.
        assert_eq!(
            Distro::from_os_release("ID=linuxmint\nID_LIKE=ubuntu\nVERSION_ID=21.2\n"),
            None
        );
        assert_eq!(Distro::from_os_release("ID=debian\n"), None);
    }

    #[test]
    fn purl_qualifiers() {
        let q = |t, d| Distro::from_purl_qualifier(t, d).map(|d| d.osv_ecosystem());
        assert_eq!(q("deb", "debian-12.5").as_deref(), Some("Debian:12"));
        assert_eq!(q("deb", "bookworm").as_deref(), Some("Debian:12"));
        assert_eq!(
            q("deb", "ubuntu-20.04").as_deref(),
            Some("Ubuntu:20.04:LTS")
        );
        assert_eq!(q("deb", "ubuntu-21.04").as_deref(), Some("Ubuntu:21.04"));
        assert_eq!(q("apk", "alpine-3.19.1").as_deref(), Some("Alpine:v3.19"));
        assert_eq!(q("rpm", "fedora-39"), None);
        assert_eq!(q("deb", "sid"), None);
    }
}
