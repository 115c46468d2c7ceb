//! Versions as NVD writes them: an installed program's DisplayVersion (or the version its
//! name carries) turned into the version and update attributes of the product's CPE names.
//!
//! Most products need nothing: `10.0.2 (x86 en-US)` is `10.0.2`. Some families write versions
//! their own way, named per product in the alias table (`version` rows):
//! - `java-update`: `Java 8 Update 281` (DisplayVersion `8.0.2810.9`) is `1.8.0` update
//!   `update281` (or `update_281`, whichever NVD's names of the product use);
//! - `name-year`: `Microsoft SQL Server 2005` (DisplayVersion `10.53.6000.34`) is `2005`, a
//!   service pack in the name the update (`sp1`);
//! - `name-release`: the release the name carries: `Windows Internet Explorer 8`
//!   (DisplayVersion `20090308.140743`) is `8`, `.NET Framework 3.5 SP1` is `3.5` update `sp1`,
//!   `.NET Framework 4 Client Profile` is `4.0` when NVD writes `4.0`.
//!
//! Otherwise, when NVD's names of the product never have as many parts as the DisplayVersion
//! (`opera_browser` is written `11.52`, the DisplayVersion is `11.52.1100`), the longest
//! leading part NVD writes is taken.

use super::program::{is_date_stamp, ProgramName};
use super::vocabulary::Product;

/// A product family's version convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VersionStyle {
    JavaUpdate,
    NameYear,
    NameRelease,
}

impl VersionStyle {
    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "java-update" => Some(VersionStyle::JavaUpdate),
            "name-year" => Some(VersionStyle::NameYear),
            "name-release" => Some(VersionStyle::NameRelease),
            _ => None,
        }
    }
}

/// The version (and update) NVD writes, and the rule that gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NvdVersion {
    pub version: String,
    pub update: Option<String>,
    pub rule: &'static str,
}

/// The DisplayVersion without a parenthesised or spaced tail (`2.0.0.23 (en-US)` →
/// `2.0.0.23`, `5.16.10 (26186)` → `5.16.10`), a package revision (`16.1-1` → `16.1`) or a
/// fourth part of five digits or more, a build number (`12.3.5.22544099` → `12.3.5`); `None`
/// when it is empty or a build date stamp.
pub(crate) fn clean_display(display: &str) -> Option<String> {
    let head = display.trim().split(['(', ' ']).next().unwrap_or_default();
    let head = head.trim().trim_start_matches(['v', 'V']);
    if head.is_empty() || is_date_stamp(head) {
        return None;
    }
    let head = match head.rsplit_once('-') {
        Some((up, rev)) if !rev.is_empty() && rev.chars().all(|c| c.is_ascii_digit()) => up,
        _ => head,
    };
    let parts: Vec<&str> = head.split('.').collect();
    let head = if parts.len() == 4 && parts[3].len() >= 5 {
        parts[..3].join(".")
    } else {
        head.to_owned()
    };
    Some(head.to_lowercase())
}

/// The leading dotted number of a version word (`2.6.8-i001` → `2.6.8`).
fn numeric_head(word: &str) -> &str {
    let end = word
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(word.len());
    word[..end].trim_end_matches('.')
}

/// A service pack the name states (`SP1`, `Service Pack 2`), as NVD writes it (`sp1`).
fn service_pack(words: &[String]) -> Option<String> {
    for (i, w) in words.iter().enumerate() {
        if let Some(n) = w.strip_prefix("sp") {
            if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) {
                return Some(format!("sp{n}"));
            }
        }
        if w == "service" && words.get(i + 1).map(String::as_str) == Some("pack") {
            if let Some(n) = words
                .get(i + 2)
                .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
            {
                return Some(format!("sp{n}"));
            }
        }
    }
    None
}

fn java(display: Option<&str>, words: &[String], product: Option<&Product>) -> Option<NvdVersion> {
    let number = |w: &String| w.parse::<u32>().ok();
    let at = words.iter().position(|w| w == "update");
    let from_name = at.and_then(|i| {
        let update = words.get(i + 1).and_then(number)?;
        let major = words[..i].iter().rev().find_map(number)?;
        Some((major, update))
    });
    // DisplayVersion 6.0.310 / 8.0.2810.9: major, 0, update × 10.
    let from_display = display.and_then(|d| {
        let parts: Vec<u32> = d
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let (major, update) = (*parts.first()?, *parts.get(2)?);
        Some((major, update / 10))
    });
    // Java 9 and later are written as released: `17.0.9`.
    let display_word = display.map(str::to_owned);
    let modern = words
        .iter()
        .chain(display_word.iter())
        .map(|w| numeric_head(w))
        .find(|w| {
            w.split('.')
                .next()
                .and_then(|m| m.parse::<u32>().ok())
                .is_some_and(|m| m >= 9)
                && w.contains('.')
        });
    if from_name.is_none() {
        if let Some(release) = modern {
            let release: Vec<&str> = release.split('.').take(3).collect();
            return Some(NvdVersion {
                version: release.join("."),
                update: None,
                rule: "version:java-update",
            });
        }
    }
    let (major, update) = from_name.or(from_display)?;
    let version = format!("1.{major}.0");
    let update = Some({
        let plain = format!("update{update}");
        let underscored = format!("update_{update}");
        let known = |u: &str| product.is_some_and(|p| p.updates.contains(u));
        if known(&underscored) && !known(&plain) {
            underscored
        } else {
            plain
        }
    });
    Some(NvdVersion {
        version,
        update,
        rule: "version:java-update",
    })
}

/// The version NVD writes for a program of this product.
pub(crate) fn nvd_version(
    style: Option<VersionStyle>,
    display: &str,
    name: &ProgramName,
    words: &[String],
    product: Option<&Product>,
) -> Option<NvdVersion> {
    let display = clean_display(display);
    let knows = |v: &str| product.is_some_and(|p| p.versions.contains(v));
    match style {
        Some(VersionStyle::JavaUpdate) => return java(display.as_deref(), words, product),
        Some(VersionStyle::NameYear) => {
            if let Some(year) = name
                .versions
                .iter()
                .find(|v| v.len() == 4 && (v.starts_with("19") || v.starts_with("20")))
            {
                return Some(NvdVersion {
                    version: year.clone(),
                    update: service_pack(words),
                    rule: "version:name-year",
                });
            }
            // The family writes its release year; a build number would be a wrong version.
            return None;
        }
        Some(VersionStyle::NameRelease) => {
            if let Some(release) = name.versions.iter().find(|v| v.len() <= 5) {
                let dotted = format!("{release}.0");
                let version = if !release.contains('.') && knows(&dotted) && !knows(release) {
                    dotted
                } else {
                    release.clone()
                };
                return Some(NvdVersion {
                    version,
                    update: service_pack(words),
                    rule: "version:name-release",
                });
            }
        }
        None => {}
    }
    // The name's version where the DisplayVersion only adds a build to it (`Python 3.12.1`,
    // DisplayVersion `3.12.1150.0`; `Opera 11.52`, `11.52.1100`).
    let named = name.versions.iter().map(|v| numeric_head(v)).find(|v| {
        v.contains('.')
            && display
                .as_deref()
                .is_some_and(|d| d.len() > v.len() && d.starts_with(v))
    });
    let (version, rule) = match (named, display) {
        (Some(v), _) => (v.to_owned(), "version:name"),
        (None, Some(d)) => (d, "version:display"),
        (None, None) => (name.versions.last()?.clone(), "version:name"),
    };
    if let Some(p) = product.filter(|p| !p.versions.is_empty() && !knows(&version)) {
        let parts = version.split('.').count();
        let widest = p
            .versions
            .iter()
            .map(|v| v.split('.').count())
            .max()
            .unwrap_or(0);
        if widest < parts {
            let pieces: Vec<&str> = version.split('.').collect();
            if let Some(prefix) = (1..parts)
                .rev()
                .map(|n| pieces[..n].join("."))
                .find(|prefix| knows(prefix))
            {
                return Some(NvdVersion {
                    version: prefix,
                    update: None,
                    rule: "version:known-prefix",
                });
            }
        }
    }
    Some(NvdVersion {
        version,
        update: None,
        rule,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpe::vocabulary::name_words;

    fn product(versions: &[&str], updates: &[&str]) -> Product {
        Product {
            versions: versions.iter().map(|v| Box::from(*v)).collect(),
            updates: updates.iter().map(|v| Box::from(*v)).collect(),
            ..Product::default()
        }
    }

    fn version(
        style: Option<VersionStyle>,
        name: &str,
        display: &str,
        p: Option<&Product>,
    ) -> (String, Option<String>) {
        let parsed = ProgramName::parse(name, display, &|w| w == "x86" || w == "x64");
        let v = nvd_version(style, display, &parsed, &name_words(name), p).unwrap();
        (v.version, v.update)
    }

    #[test]
    fn families() {
        let jre = product(&["1.6.0"], &["update_31"]);
        assert_eq!(
            version(
                Some(VersionStyle::JavaUpdate),
                "Java(TM) 6 Update 31",
                "6.0.310",
                Some(&jre)
            ),
            ("1.6.0".into(), Some("update_31".into()))
        );
        assert_eq!(
            version(
                Some(VersionStyle::JavaUpdate),
                "Java 8 Update 281 (64-bit)",
                "8.0.2810.9",
                None
            ),
            ("1.8.0".into(), Some("update281".into()))
        );
        assert_eq!(
            version(
                Some(VersionStyle::JavaUpdate),
                "Java Runtime",
                "8.0.3910.13",
                None
            ),
            ("1.8.0".into(), Some("update391".into()))
        );
        assert_eq!(
            version(
                Some(VersionStyle::NameYear),
                "Microsoft SQL Server 2005",
                "10.53.6000.34",
                None
            ),
            ("2005".into(), None)
        );
        assert_eq!(
            version(
                Some(VersionStyle::NameYear),
                "Microsoft Office 2010 Service Pack 1 (SP1)",
                "",
                None
            ),
            ("2010".into(), Some("sp1".into()))
        );
        assert_eq!(
            version(
                Some(VersionStyle::NameRelease),
                "Windows Internet Explorer 8",
                "20090308.140743",
                None
            ),
            ("8".into(), None)
        );
        let net = product(&["4.0", "3.5"], &[]);
        assert_eq!(
            version(
                Some(VersionStyle::NameRelease),
                "Microsoft .NET Framework 4 Client Profile",
                "4.0.30319",
                Some(&net)
            ),
            ("4.0".into(), None)
        );
        assert_eq!(
            version(
                Some(VersionStyle::NameRelease),
                "Microsoft .NET Framework 3.5 SP1",
                "3.5.30729",
                Some(&net)
            ),
            ("3.5".into(), Some("sp1".into()))
        );
    }

    #[test]
    fn display_versions() {
        assert_eq!(
            version(None, "Mozilla Firefox 10.0.2 (x86 en-US)", "10.0.2", None).0,
            "10.0.2"
        );
        assert_eq!(
            version(
                None,
                "Mozilla Thunderbird (2.0.0.23)",
                "2.0.0.23 (en-US)",
                None
            )
            .0,
            "2.0.0.23"
        );
        assert_eq!(version(None, "GPL Ghostscript 8.54", "", None).0, "8.54");
        let opera = product(&["11.52", "11.50"], &[]);
        assert_eq!(
            version(None, "Opera 11.52", "11.52.1100", Some(&opera)).0,
            "11.52"
        );
        let chrome = product(&["120.0.6099.109"], &[]);
        assert_eq!(
            version(None, "Google Chrome", "120.0.6099.130", Some(&chrome)).0,
            "120.0.6099.130"
        );
        assert!(clean_display("20090308.140743").is_none());
    }
}
