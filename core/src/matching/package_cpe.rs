//! NVD's CPE configurations for language packages, for the vulnerabilities no package
//! advisory covers (NVD-only CVEs such as CVE-2017-18214 in npm's `moment`).
//!
//! A package's coordinates name a CPE product only loosely, so this matcher is strict where
//! naive CPE matching is not: the vendor must be one the coordinates support (the package
//! itself, `<name>_project`, `<name>js` for npm, the npm scope, the maker of a Maven group or
//! the owner of a Go module path — never any vendor with a product of that name, which is how
//! `javax.mail:mail` meets Apple Mail); the criterion's target software must be ANY or the
//! ecosystem's platform (`node.js` for npm); only criteria with a version or version bounds
//! count; and an advisory that has package data for a language ecosystem is left to the
//! package matcher, whose answer (found or not) stands.
//!
//! A statement that applies to the package only on a platform ("running on Windows") is
//! matched with its platform taken to hold and the hit is gated: each device that has the
//! package decides, with its own platform names, whether the condition is met or not reported
//! (see [the matching module](super)).

use super::memo::Memo;
use super::package::{Gate, ItemHit, ItemMatches};
use super::{Confidence, Matcher};
use crate::cpe::{Attribute, Cpe, Value};
use crate::ecosystem::Ecosystem;
use crate::inventory::Software;
use crate::kb::{Advisory, AdvisoryIndex, KnowledgeBase, Statement};

/// The CPE names for the package built from one vendor and product: one per spelling of
/// the ecosystem's platform as `target_sw` (a criterion aimed at `node.js` matches only a name
/// that says so; one aimed at any platform matches them all).
struct PackageName {
    names: Vec<Cpe>,
}

impl PackageName {
    fn new(cpe: Cpe, ecosystem: &Ecosystem) -> Self {
        let names = platforms(ecosystem)
            .iter()
            .filter_map(|t| {
                Some(
                    cpe.clone()
                        .with(Attribute::TargetSw, crate::cpe::literal_value(t)?),
                )
            })
            .collect::<Vec<_>>();
        PackageName {
            names: if names.is_empty() { vec![cpe] } else { names },
        }
    }
}

/// The `target_sw` values that mean the ecosystem's platform.
fn platforms(ecosystem: &Ecosystem) -> &'static [&'static str] {
    match ecosystem {
        Ecosystem::Npm => &["node.js", "nodejs", "node", "npm", "javascript"],
        Ecosystem::PyPi => &["python", "pypi"],
        Ecosystem::Go => &["go", "golang"],
        Ecosystem::CratesIo => &["rust"],
        Ecosystem::Maven => &["java", "maven"],
        Ecosystem::NuGet => &[".net", "asp.net", "nuget"],
        Ecosystem::RubyGems => &["ruby", "rails", "ruby_on_rails"],
        Ecosystem::Packagist => &["php", "composer"],
        Ecosystem::Hex => &["elixir", "erlang"],
        Ecosystem::Pub => &["dart", "flutter"],
        Ecosystem::Other(_) => &[],
    }
}

/// Whether this matcher applies to the item: a language package (distro packages are
/// matched by their distribution's data only, vendor software by its own CPE name).
pub(super) fn applies(software: &Software) -> bool {
    !matches!(software.ecosystem, Ecosystem::Other(_)) && !software.version.trim().is_empty()
}

/// The `(vendor, product)` pairs the package's coordinates support, lower case.
///
/// ```text
/// npm moment                         → moment:moment, moment_project:moment, momentjs:moment
/// npm @babel/core                    → babel:core, core:core, …
/// Maven org.apache.logging.log4j:log4j-core → apache:log4j-core, log4j-core:log4j-core, …
/// Go github.com/gin-gonic/gin        → gin-gonic:gin, gin:gin, …
/// ```
fn vendor_products(software: &Software) -> Vec<(String, String)> {
    let name = software.name.trim().to_lowercase();
    let (makers, product): (Vec<String>, String) = match software.ecosystem {
        Ecosystem::Npm => match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
            Some((scope, product)) => (vec![scope.to_owned()], product.to_owned()),
            None => (Vec::new(), name.clone()),
        },
        Ecosystem::Maven => match name.split_once(':') {
            Some((group, artifact)) => (
                crate::cpe::group_maker(group).into_iter().collect(),
                artifact.to_owned(),
            ),
            None => (Vec::new(), name.clone()),
        },
        Ecosystem::Go => {
            let parts: Vec<&str> = name.split('/').collect();
            match parts.as_slice() {
                [_host, owner, repository, ..] => {
                    (vec![(*owner).to_owned()], (*repository).to_owned())
                }
                _ => (
                    Vec::new(),
                    parts.last().copied().unwrap_or_default().to_owned(),
                ),
            }
        }
        Ecosystem::PyPi | Ecosystem::CratesIo => (Vec::new(), name.replace(['-', '.'], "_")),
        _ => (Vec::new(), name.clone()),
    };
    let mut vendors = makers;
    vendors.push(product.clone());
    vendors.push(format!("{product}_project"));
    if software.ecosystem == Ecosystem::Npm {
        vendors.push(format!("{product}js"));
    }
    let mut pairs: Vec<(String, String)> = Vec::new();
    for vendor in vendors {
        let pair = (vendor, product.clone());
        if !pair.0.is_empty() && !pair.1.is_empty() && !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    pairs
}

/// Whether an advisory has package data for a language ecosystem. Then the package matcher
/// decides: for this ecosystem its silence means "not affected", and data for another one
/// says where the vulnerable code lives (NVD's `cookie_project:cookie` is the Rust crate that
/// RustSec names, not npm's `cookie`). A distribution's entries do not count: they describe
/// the distribution's package, not a registry's.
fn has_package_data(advisory: &Advisory) -> bool {
    advisory
        .affected
        .iter()
        .any(|a| !matches!(a.ecosystem, Ecosystem::Other(_)))
}

/// An advisory with a statement naming the package, as [`statements`] finds them.
type Found<'k> = (AdvisoryIndex, &'k Advisory, &'k Statement);

/// The advisories whose NVD statement names one of the package's `(vendor, product)` pairs,
/// with the CPE name built for that pair (the package's version as the CPE version).
fn statements<'k>(
    kb: &'k KnowledgeBase,
    software: &Software,
) -> Vec<(PackageName, Vec<Found<'k>>)> {
    // A CPE name the inventory stated for the package comes first, as it is.
    let stated = software
        .cpe
        .as_ref()
        .filter(|claim| claim.confidence == 100)
        .and_then(|claim| {
            let cpe = claim.name.value();
            let vendor = cpe.get(Attribute::Vendor).literal()?;
            let product = cpe.get(Attribute::Product).literal()?;
            let found: Vec<_> = kb.statements_naming(&vendor, &product).collect();
            (!found.is_empty()).then(|| {
                (
                    PackageName {
                        names: vec![cpe.clone()],
                    },
                    found,
                )
            })
        });
    stated
        .into_iter()
        .chain(
            vendor_products(software)
                .into_iter()
                .filter_map(|(vendor, product)| {
                    let found: Vec<_> = kb.statements_naming(&vendor, &product).collect();
                    if found.is_empty() {
                        return None;
                    }
                    let cpe =
                        crate::cpe::application_cpe(&vendor, &product, software.version.trim())?;
                    Some((PackageName::new(cpe, &software.ecosystem), found))
                }),
        )
        .collect()
}

/// The CPE fallback for a language package: NVD statements naming a vendor and product its
/// coordinates support, for advisories without package data and not found already (`seen`).
pub(super) fn match_item<'k>(
    kb: &'k KnowledgeBase,
    software: &Software,
    memo: &mut Memo,
    seen: &mut Vec<&'k str>,
    matches: &mut ItemMatches,
) {
    for (name, found) in statements(kb, software) {
        matches.any = true;
        let names = name.names.as_slice();
        for (at, advisory, statement) in found {
            if advisory.withdrawn.is_some()
                || seen.contains(&advisory.id.as_str())
                || has_package_data(advisory)
            {
                continue;
            }
            // A statement that applies to the package's names alone is not gated; one that
            // applies only with its platform criteria taken to hold ("running on Windows")
            // is gated, and each device decides whether it reports the platform.
            let Some((hit, _, assumed)) =
                super::evaluate_gated(&statement.applicability, names, |m| {
                    m.criterion.vulnerable && criterion_fits(m.criterion, &software.ecosystem)
                })
            else {
                continue;
            };
            seen.push(advisory.id.as_str());
            let found = ItemHit::from_cpe(
                memo.advisory(at, advisory),
                hit.criterion,
                (
                    Matcher::for_statement(statement, Matcher::NvdCpePackage),
                    Confidence::CpeVersionRange,
                ),
                &statement.source,
                (Vec::new(), None),
                Some(hit.name.to_fs()),
            );
            matches.hits.push(if assumed.is_empty() {
                found
            } else {
                found.with_gate(Gate {
                    names: names.to_vec(),
                    criterion: hit.criterion.text.clone(),
                    requires: assumed.iter().map(|c| c.text.clone()).collect(),
                })
            });
        }
    }
}

/// Whether a matched vulnerable criterion may stand for this package: versioned (bounds or a
/// version of its own) and aimed at the ecosystem's platform or at any.
fn criterion_fits(criterion: &crate::cpe::Criterion, ecosystem: &Ecosystem) -> bool {
    let versioned = criterion.bounds.is_some()
        || criterion
            .cpe
            .get(Attribute::Version)
            .literal()
            .is_some_and(|v| !v.is_empty() && v != "-");
    let target_fits = match criterion.cpe.get(Attribute::TargetSw) {
        Value::Any => true,
        value => value
            .literal()
            .is_some_and(|t| platforms(ecosystem).contains(&t.as_str())),
    };
    versioned && target_fits
}

#[cfg(test)]
mod tests {
    use super::vendor_products;
    use crate::ecosystem::Ecosystem;
    use crate::inventory::Software;

    fn item(ecosystem: Ecosystem, name: &str) -> Software {
        Software {
            ecosystem,
            name: name.into(),
            version: "1.0".into(),
            purl: None,
            packages: Vec::new(),
            cpe: None,
            last_used: None,
            kind: None,
        }
    }

    fn pairs(ecosystem: Ecosystem, name: &str) -> Vec<String> {
        vendor_products(&item(ecosystem, name))
            .into_iter()
            .map(|(v, p)| format!("{v}:{p}"))
            .collect()
    }

    #[test]
    fn vendors_come_from_the_coordinates_only() {
        assert_eq!(
            pairs(Ecosystem::Npm, "moment"),
            ["moment:moment", "moment_project:moment", "momentjs:moment"]
        );
        assert_eq!(
            pairs(Ecosystem::Npm, "@babel/traverse"),
            [
                "babel:traverse",
                "traverse:traverse",
                "traverse_project:traverse",
                "traversejs:traverse"
            ]
        );
        assert_eq!(
            pairs(Ecosystem::Maven, "org.apache.logging.log4j:log4j-core"),
            [
                "apache:log4j-core",
                "log4j-core:log4j-core",
                "log4j-core_project:log4j-core"
            ]
        );
        // javax.mail:mail never offers apple (or any vendor but its own names) for `mail`.
        assert_eq!(
            pairs(Ecosystem::Maven, "javax.mail:mail"),
            ["mail:mail", "mail_project:mail"]
        );
        assert_eq!(
            pairs(Ecosystem::Go, "github.com/gin-gonic/gin"),
            ["gin-gonic:gin", "gin:gin", "gin_project:gin"]
        );
        assert_eq!(
            pairs(Ecosystem::PyPi, "PyYAML"),
            ["pyyaml:pyyaml", "pyyaml_project:pyyaml"]
        );
    }
}
