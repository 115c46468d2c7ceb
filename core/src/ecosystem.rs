//! Package ecosystems: their OSV names, their purl types, how they spell package names and
//! which version [`Scheme`] orders their versions.
//!
//! Traps: PyPI names are case-insensitive and treat runs of `-`, `_` and `.` alike (PEP 503);
//! crates.io treats `-` and `_` alike; Go module paths are case-sensitive; a Maven package is
//! `group:artifact`; an OSV ecosystem with a release suffix (`Debian:12`) is a different match
//! key from the bare one.

use crate::purl::Purl;
use crate::version::Scheme;
use std::fmt;

/// A package ecosystem, named as OSV names it.
///
/// ```
/// use exposure::ecosystem::Ecosystem;
/// let pypi = Ecosystem::from_osv("PyPI");
/// assert_eq!(pypi, Ecosystem::PyPi);
/// assert_eq!(pypi.normalize_name("Foo_Bar.baz"), "foo-bar-baz");
/// assert_eq!(Ecosystem::from_osv("Debian:12").to_string(), "Debian:12");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Ecosystem {
    /// The npm registry.
    Npm,
    /// The Python Package Index.
    PyPi,
    /// Go modules.
    Go,
    /// Rust crates.
    CratesIo,
    /// Maven Central and compatible repositories.
    Maven,
    /// NuGet.
    NuGet,
    /// RubyGems.
    RubyGems,
    /// PHP Composer packages.
    Packagist,
    /// Erlang/Elixir Hex packages.
    Hex,
    /// Dart and Flutter packages.
    Pub,
    /// Any other OSV ecosystem, kept verbatim (including release suffixes like `Debian:12`).
    Other(String),
}

pub(crate) const NAMED: [(Ecosystem, &str); 10] = [
    (Ecosystem::Npm, "npm"),
    (Ecosystem::PyPi, "PyPI"),
    (Ecosystem::Go, "Go"),
    (Ecosystem::CratesIo, "crates.io"),
    (Ecosystem::Maven, "Maven"),
    (Ecosystem::NuGet, "NuGet"),
    (Ecosystem::RubyGems, "RubyGems"),
    (Ecosystem::Packagist, "Packagist"),
    (Ecosystem::Hex, "Hex"),
    (Ecosystem::Pub, "Pub"),
];

impl Ecosystem {
    /// The ecosystem of an OSV `affected[].package.ecosystem` value.
    pub fn from_osv(name: &str) -> Ecosystem {
        let name = name.trim();
        NAMED
            .iter()
            .find(|(_, n)| *n == name)
            .map_or_else(|| Ecosystem::Other(name.to_owned()), |(e, _)| e.clone())
    }

    /// The OSV name of the ecosystem.
    pub fn osv_name(&self) -> &str {
        match self {
            Ecosystem::Other(name) => name,
            known => NAMED
                .iter()
                .find(|(e, _)| e == known)
                .map_or("", |(_, n)| n),
        }
    }

    /// Whether this is the value [`Ecosystem::from_osv`] gives for its own name: an `Other`
    /// holding a known ecosystem's name, or text with spaces around it, is not (and names no
    /// knowledge base's entries).
    pub(crate) fn is_canonical(&self) -> bool {
        match self {
            Ecosystem::Other(name) => {
                name.trim() == name && !NAMED.iter().any(|(_, known)| known == name)
            }
            _ => true,
        }
    }

    /// The ecosystem of a purl type, if it is one this engine matches by package.
    ///
    /// ```
    /// use exposure::ecosystem::Ecosystem;
    /// assert_eq!(Ecosystem::from_purl_type("golang"), Some(Ecosystem::Go));
    /// assert_eq!(Ecosystem::from_purl_type("github"), None);
    /// ```
    pub fn from_purl_type(ty: &str) -> Option<Ecosystem> {
        Some(match ty {
            "npm" => Ecosystem::Npm,
            "pypi" => Ecosystem::PyPi,
            "golang" => Ecosystem::Go,
            "cargo" => Ecosystem::CratesIo,
            "maven" => Ecosystem::Maven,
            "nuget" => Ecosystem::NuGet,
            "gem" => Ecosystem::RubyGems,
            "composer" => Ecosystem::Packagist,
            "hex" => Ecosystem::Hex,
            "pub" => Ecosystem::Pub,
            _ => return None,
        })
    }

    /// Whether advisories name this ecosystem's software by package (OSV, GHSA, distro
    /// trackers): the package ecosystems and the distributions. Software elsewhere (vendor
    /// programs, `Windows`, `purl:generic`) is matched by CPE instead, and package software
    /// never is: upstream CPE ranges do not know distro backports or package names.
    ///
    /// ```
    /// use exposure::ecosystem::Ecosystem;
    /// assert!(Ecosystem::Npm.has_package_advisories());
    /// assert!(Ecosystem::from_osv("Debian:12").has_package_advisories());
    /// assert!(!Ecosystem::from_osv("Windows").has_package_advisories());
    /// ```
    pub fn has_package_advisories(&self) -> bool {
        match self {
            Ecosystem::Other(name) => {
                self.scheme().is_some()
                    || matches!(
                        name.split(':').next(),
                        Some("Debian" | "Ubuntu" | "Alpine" | "Red Hat")
                    )
            }
            _ => true,
        }
    }

    /// The version scheme that orders this ecosystem's versions, where the engine knows it.
    /// `None` means versions can only be matched by exact listing, never by order.
    pub fn scheme(&self) -> Option<Scheme> {
        match self {
            Ecosystem::Npm => Some(Scheme::Npm),
            Ecosystem::PyPi => Some(Scheme::Pypi),
            Ecosystem::Go => Some(Scheme::Golang),
            Ecosystem::CratesIo => Some(Scheme::Cargo),
            Ecosystem::Maven => Some(Scheme::Maven),
            Ecosystem::NuGet => Some(Scheme::Nuget),
            Ecosystem::RubyGems => Some(Scheme::Gem),
            Ecosystem::Packagist => Some(Scheme::Composer),
            Ecosystem::Hex => Some(Scheme::Hex),
            Ecosystem::Pub => None,
            Ecosystem::Other(name) => {
                // Distribution ecosystems carry a release suffix (`Debian:12`, `Alpine:v3.19`).
                let family = name.split(':').next().unwrap_or(name);
                match family {
                    "Debian" | "Ubuntu" => Some(Scheme::Deb),
                    "Alpine" | "Wolfi" | "Chainguard" => Some(Scheme::Alpine),
                    "Red Hat" | "Rocky Linux" | "AlmaLinux" | "SUSE" | "openSUSE" | "Mageia"
                    | "openEuler" => Some(Scheme::Rpm),
                    "ConanCenter" => Some(Scheme::Conan),
                    _ => None,
                }
            }
        }
    }

    /// The name under which a package is indexed, so that spellings the ecosystem treats as
    /// one package meet.
    pub fn normalize_name(&self, name: &str) -> String {
        let name = name.trim();
        match self {
            Ecosystem::PyPi => {
                let mut out = String::with_capacity(name.len());
                let mut in_separator = false;
                for c in name.chars() {
                    if matches!(c, '-' | '_' | '.') {
                        if !in_separator {
                            out.push('-');
                        }
                        in_separator = true;
                    } else {
                        out.push(c.to_ascii_lowercase());
                        in_separator = false;
                    }
                }
                out
            }
            Ecosystem::CratesIo => name.to_ascii_lowercase().replace('_', "-"),
            Ecosystem::NuGet | Ecosystem::Packagist => name.to_ascii_lowercase(),
            _ => name.to_owned(),
        }
    }

    /// The ecosystem's own spelling of the package a purl names (`group:artifact` for Maven,
    /// the full module path for Go, `@scope/name` for npm).
    ///
    /// ```
    /// use exposure::{ecosystem::Ecosystem, purl::Purl};
    /// let purl: Purl = "pkg:maven/org.yaml/snakeyaml@1.26".parse()?;
    /// assert_eq!(Ecosystem::Maven.package_name(&purl), "org.yaml:snakeyaml");
    /// # Ok::<(), exposure::purl::PurlError>(())
    /// ```
    pub fn package_name(&self, purl: &Purl) -> String {
        match (&purl.namespace, self) {
            (None, _) => purl.name.clone(),
            (Some(ns), Ecosystem::Maven) => format!("{ns}:{}", purl.name),
            (Some(ns), _) => format!("{ns}/{}", purl.name),
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.osv_name())
    }
}

impl serde::Serialize for Ecosystem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.osv_name())
    }
}

impl<'de> serde::Deserialize<'de> for Ecosystem {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(Ecosystem::from_osv(&name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osv_names_round_trip() {
        for (eco, name) in NAMED {
            assert_eq!(Ecosystem::from_osv(name), eco);
            assert_eq!(eco.osv_name(), name);
        }
        assert_eq!(
            Ecosystem::from_osv("Alpine:v3.19"),
            Ecosystem::Other("Alpine:v3.19".into())
        );
    }

    #[test]
    fn names_normalise_per_ecosystem() {
        assert_eq!(Ecosystem::PyPi.normalize_name("Jinja2"), "jinja2");
        assert_eq!(
            Ecosystem::PyPi.normalize_name("zope.interface"),
            "zope-interface"
        );
        assert_eq!(Ecosystem::PyPi.normalize_name("a_-_b"), "a-b");
        assert_eq!(
            Ecosystem::CratesIo.normalize_name("serde_json"),
            "serde-json"
        );
        assert_eq!(
            Ecosystem::Go.normalize_name("github.com/BurntSushi/toml"),
            "github.com/BurntSushi/toml"
        );
    }
}
