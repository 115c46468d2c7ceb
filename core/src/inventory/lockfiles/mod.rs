//! Lockfiles and manifests with fixed versions, read as scanners read them: each lists the
//! packages a project builds with, and becomes one device whose software they are.
//!
//! One module per family: [`cargo`] (`Cargo.lock`), [`npm`] (`package-lock.json` v1–v3,
//! `yarn.lock` v1 and berry, `pnpm-lock.yaml`), [`python`] (`requirements*.txt` pins,
//! `poetry.lock`, `uv.lock`, `Pipfile.lock`), [`go`] (`go.mod`, `go.sum`), [`ruby`]
//! (`Gemfile.lock`), [`composer`] (`composer.lock`) and [`maven`] (`pom.xml`). Every package
//! becomes a [`Software`] item with its package URL and ecosystem; an entry that names no
//! registry version (a git or path dependency, an unpinned requirement, a Maven version left
//! to a parent) is a located problem, never dropped silently. The project itself (the root of
//! a `package-lock.json`, a `workspace:` of yarn, uv's editable project) is not a dependency
//! and is not counted. Development dependencies are kept, as scanners report them too:
//! [`Software`] has no field for a dependency's scope, so none is recorded.
//!
//! ```
//! use exposure::inventory::lockfiles::{self, Kind};
//! assert_eq!(Kind::from_file_name("Cargo.lock"), Some(Kind::Cargo));
//! assert_eq!(Kind::from_file_name("requirements-dev.txt"), Some(Kind::Requirements));
//! let loaded = lockfiles::load(Kind::Requirements, "django==4.2.1\nrequests>=2\n", "reqs")?;
//! assert_eq!(loaded.fleet.devices[0].software[0].purl.as_ref().map(|p| p.text()), Some("pkg:pypi/django@4.2.1"));
//! assert_eq!(loaded.report.records_skipped, 1); // requests has no pinned version
//! # Ok::<(), exposure::inventory::InventoryError>(())
//! ```

pub mod cargo;
pub mod composer;
pub mod go;
pub mod maven;
pub mod npm;
pub mod python;
pub mod ruby;

#[cfg(test)]
mod tests;

use super::{InventoryError, LoadedFleet, Software};
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::purl::Purl;
use std::collections::{BTreeMap, HashSet};

/// The lockfile formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// `Cargo.lock`.
    Cargo,
    /// `package-lock.json` (or `npm-shrinkwrap.json`), lockfile versions 1–3.
    NpmLock,
    /// `yarn.lock`, classic (v1) or berry.
    Yarn,
    /// `pnpm-lock.yaml`, lockfile versions 5–9.
    Pnpm,
    /// `requirements*.txt`: only `==` (and `===`) pins give versions.
    Requirements,
    /// `poetry.lock`.
    Poetry,
    /// `uv.lock`.
    Uv,
    /// `Pipfile.lock`.
    Pipfile,
    /// `go.mod`: the required modules, replacements applied.
    GoMod,
    /// `go.sum`: the modules whose code was downloaded (not the `/go.mod`-only lines).
    GoSum,
    /// `Gemfile.lock`.
    Gemfile,
    /// `composer.lock`.
    Composer,
    /// Maven `pom.xml`: dependencies with literal versions or properties of the same file.
    Maven,
}

impl Kind {
    /// Every format, in declaration order.
    pub const ALL: [Kind; 13] = [
        Kind::Cargo,
        Kind::NpmLock,
        Kind::Yarn,
        Kind::Pnpm,
        Kind::Requirements,
        Kind::Poetry,
        Kind::Uv,
        Kind::Pipfile,
        Kind::GoMod,
        Kind::GoSum,
        Kind::Gemfile,
        Kind::Composer,
        Kind::Maven,
    ];

    /// The format a file's name says, if it names one of the lockfiles read.
    ///
    /// ```
    /// use exposure::inventory::lockfiles::Kind;
    /// assert_eq!(Kind::from_file_name("pnpm-lock.yaml"), Some(Kind::Pnpm));
    /// assert_eq!(Kind::from_file_name("requirements.in"), None);
    /// ```
    pub fn from_file_name(name: &str) -> Option<Kind> {
        Some(match name {
            "Cargo.lock" => Kind::Cargo,
            "package-lock.json" | "npm-shrinkwrap.json" => Kind::NpmLock,
            "yarn.lock" => Kind::Yarn,
            "pnpm-lock.yaml" => Kind::Pnpm,
            "poetry.lock" => Kind::Poetry,
            "uv.lock" => Kind::Uv,
            "Pipfile.lock" => Kind::Pipfile,
            "go.mod" => Kind::GoMod,
            "go.sum" => Kind::GoSum,
            "Gemfile.lock" | "gems.locked" => Kind::Gemfile,
            "composer.lock" => Kind::Composer,
            "pom.xml" => Kind::Maven,
            // pip names no case; the convention is lower case, as here.
            #[allow(clippy::case_sensitive_file_extension_comparisons)]
            _ if name.starts_with("requirements") && name.ends_with(".txt") => Kind::Requirements,
            _ => return None,
        })
    }

    /// The format text's content says, where it says so unambiguously: the generator's
    /// header (Cargo, Poetry, yarn), the first keys (pnpm, yarn berry, uv), the JSON keys of
    /// npm, Composer and Pipenv locks, `module` (go.mod), a Maven `<project>`, a
    /// `GEM`/`specs:` section. A `requirements.txt` or `go.sum` is told only by its name.
    ///
    /// ```
    /// use exposure::inventory::lockfiles::Kind;
    /// assert_eq!(Kind::from_text("# yarn lockfile v1\n\nlodash@^4:\n  version \"4.17.21\"\n"), Some(Kind::Yarn));
    /// assert_eq!(Kind::from_text("module example.com/app\n\ngo 1.22\n"), Some(Kind::GoMod));
    /// assert_eq!(Kind::from_text("{\"devices\": []}"), None);
    /// ```
    pub fn from_text(text: &str) -> Option<Kind> {
        let head: String = text
            .trim_start_matches('\u{feff}')
            .chars()
            .take(4096)
            .collect();
        let first = head
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("//"))
            .unwrap_or_default();
        if head.starts_with("# This file is automatically @generated by Cargo.") {
            return Some(Kind::Cargo);
        }
        if head.starts_with("# This file is automatically @generated by Poetry") {
            return Some(Kind::Poetry);
        }
        if head.starts_with("# THIS IS AN AUTOGENERATED FILE") && head.contains("yarn lockfile")
            || head.starts_with("# yarn lockfile v1")
            || head.contains("\n__metadata:\n") && head.contains("\n  cacheKey:")
        {
            return Some(Kind::Yarn);
        }
        if first.starts_with("lockfileVersion:") {
            return Some(Kind::Pnpm);
        }
        if first.starts_with("version = ") && head.contains("\nrequires-python = ") {
            return Some(Kind::Uv);
        }
        if first.starts_with("module ") && !first.contains('=') {
            return Some(Kind::GoMod);
        }
        if matches!(first, "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE")
            && head.contains("\n  specs:")
            && (head.starts_with("GEM\n") || head.contains("\nGEM\n"))
        {
            return Some(Kind::Gemfile);
        }
        if (first.starts_with("<?xml") || first.starts_with("<project"))
            && head.contains("<project")
            && head.contains("<modelVersion>")
        {
            return Some(Kind::Maven);
        }
        if first.starts_with('{') {
            return Kind::from_json_keys(&head);
        }
        None
    }

    /// npm, Composer and Pipenv locks are JSON: told apart by their first keys.
    fn from_json_keys(head: &str) -> Option<Kind> {
        // A document of the JSON formats read (an SBOM, a fleet) may mention these keys.
        if ["\"bomFormat\"", "\"spdxVersion\"", "\"devices\""]
            .iter()
            .any(|key| head.contains(key))
        {
            return None;
        }
        if head.contains("\"lockfileVersion\"") {
            Some(Kind::NpmLock)
        } else if head.contains("\"content-hash\"") && head.contains("\"packages\"") {
            Some(Kind::Composer)
        } else if head.contains("\"_meta\"") && head.contains("\"pipfile-spec\"") {
            Some(Kind::Pipfile)
        } else {
            None
        }
    }

    /// The format's usual file name.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Cargo => "Cargo.lock",
            Kind::NpmLock => "package-lock.json",
            Kind::Yarn => "yarn.lock",
            Kind::Pnpm => "pnpm-lock.yaml",
            Kind::Requirements => "requirements.txt",
            Kind::Poetry => "poetry.lock",
            Kind::Uv => "uv.lock",
            Kind::Pipfile => "Pipfile.lock",
            Kind::GoMod => "go.mod",
            Kind::GoSum => "go.sum",
            Kind::Gemfile => "Gemfile.lock",
            Kind::Composer => "composer.lock",
            Kind::Maven => "pom.xml",
        }
    }
}

/// Loads a lockfile of `kind` as one device named `origin`. A file whose structure cannot be
/// read at all (TOML, JSON, YAML or XML that does not parse, a top level of the wrong shape)
/// is [`InventoryError::Malformed`]; a bad entry is a problem in the report.
pub fn load(kind: Kind, text: &str, origin: &str) -> Result<LoadedFleet, InventoryError> {
    let mut items = Items::default();
    read_into(kind, text, origin, &mut items)?;
    let (software, report) = items.finish();
    Ok(LoadedFleet::one_device(origin, origin, software, report))
}

/// Reads a lockfile's packages into `items` (which may hold other files' already: a
/// directory read as one device).
pub(crate) fn read_into(
    kind: Kind,
    text: &str,
    origin: &str,
    items: &mut Items,
) -> Result<(), InventoryError> {
    items.report.files += 1;
    let mut file = File { origin, items };
    let outcome = match kind {
        Kind::Cargo => cargo::read(text, &mut file),
        Kind::NpmLock => npm::read_package_lock(text, &mut file),
        Kind::Yarn => npm::read_yarn(text, &mut file),
        Kind::Pnpm => npm::read_pnpm(text, &mut file),
        Kind::Requirements => {
            python::read_requirements(text, &mut file);
            Ok(())
        }
        Kind::Poetry => python::read_poetry(text, &mut file),
        Kind::Uv => python::read_uv(text, &mut file),
        Kind::Pipfile => python::read_pipfile(text, &mut file),
        Kind::GoMod => {
            go::read_go_mod(text, &mut file);
            Ok(())
        }
        Kind::GoSum => {
            go::read_go_sum(text, &mut file);
            Ok(())
        }
        Kind::Gemfile => {
            ruby::read(text, &mut file);
            Ok(())
        }
        Kind::Composer => composer::read(text, &mut file),
        Kind::Maven => maven::read(text, &mut file),
    };
    outcome.map_err(|message| InventoryError::Malformed {
        origin: origin.to_owned(),
        field: String::new(),
        message: format!("not a readable {}: {message}", kind.file_name()),
    })
}

/// The software items of one device read from lockfiles, with the account: equal packages
/// (the same purl met twice, in one file or several) are one item, the repeat counted as
/// replaced.
#[derive(Debug, Default)]
pub(crate) struct Items {
    pub(crate) software: Vec<Software>,
    pub(crate) report: LoadReport,
    seen: HashSet<String>,
}

impl Items {
    /// The items and the report.
    pub(crate) fn finish(self) -> (Vec<Software>, LoadReport) {
        (self.software, self.report)
    }
}

/// One file being read into [`Items`]: what the parsers call.
pub(crate) struct File<'a> {
    origin: &'a str,
    items: &'a mut Items,
}

impl File<'_> {
    /// A package read at `record` (a line, a key): kept as a purl of `ty`, or skipped with the
    /// reason a purl cannot be made of it.
    pub(crate) fn package(
        &mut self,
        record: &str,
        ty: &str,
        namespace: Option<&str>,
        name: &str,
        version: &str,
    ) {
        let (name, version) = (name.trim(), version.trim());
        if name.is_empty() || version.is_empty() {
            let missing = if name.is_empty() { "name" } else { "version" };
            self.skip(record, missing, format!("no {missing}"));
            return;
        }
        let purl = Purl {
            ty: ty.to_owned(),
            namespace: namespace
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
            name: name.to_owned(),
            version: Some(version.to_owned()),
            qualifiers: BTreeMap::new(),
            subpath: None,
        };
        let text = purl.to_string();
        self.items.report.records_read += 1;
        if !self.items.seen.insert(text.clone()) {
            self.items.report.records_replaced += 1;
            self.items.report.records_loaded += 1;
            return;
        }
        match Software::from_purl(&text) {
            Ok(software) => {
                self.items.report.records_loaded += 1;
                self.items.software.push(software);
            }
            Err(e) => {
                self.items.report.records_read -= 1;
                self.skip(record, "", e.to_string());
            }
        }
    }

    /// An entry read but left out (no registry version, unpinned, unreadable): one record
    /// read and skipped, with its problem.
    pub(crate) fn skip(&mut self, record: &str, field: &str, message: impl Into<String>) {
        let report = &mut self.items.report;
        report.records_read += 1;
        report.records_skipped += 1;
        report.problem(Problem::new(
            self.origin,
            Some(record),
            field,
            message,
            Consequence::Skipped,
        ));
    }

    /// A problem that leaves the entry's package (or the file) in use.
    pub(crate) fn note(&mut self, record: &str, field: &str, message: impl Into<String>) {
        self.items.report.problem(Problem::new(
            self.origin,
            Some(record),
            field,
            message,
            Consequence::PartlyUsed,
        ));
    }
}

/// `name@version` split at the last `@` that is not the first character (a scoped npm name
/// begins with one).
pub(crate) fn split_at_version(spec: &str) -> Option<(&str, &str)> {
    let at = spec.get(1..)?.rfind('@')? + 1;
    Some((&spec[..at], &spec[at + 1..]))
}

/// An npm name as purl namespace and name: `@types/node` is `(Some("@types"), "node")`.
pub(crate) fn npm_parts(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((scope, rest)) if scope.starts_with('@') => (Some(scope), rest),
        _ => (None, name),
    }
}
