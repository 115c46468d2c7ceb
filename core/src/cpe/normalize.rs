//! From the names inventories carry to ranked CPE candidates: Windows Uninstall entries
//! (`Mozilla Firefox (x64 en-US)`, `Mozilla`, `121.0`), Debian and RPM packages, SBOM
//! components. Rules are data (`core/data/cpe-aliases.tsv`, versioned); NVD's vocabulary
//! ([`Vocabulary`]: its CPE dictionary and the CPE names of the knowledge base's CVE
//! configurations), when given, is what names are scored against. Unknown stays unknown: a
//! name no rule and no vocabulary entry supports gets no candidate at all.

use super::nvd_version::VersionStyle;
use super::program::{KindPhrase, ProgramKind};
use super::{Attribute, Cpe, Dictionary, Value, Vocabulary};
use std::collections::{HashMap, HashSet};

/// The alias table shipped with the library.
pub const DEFAULT_ALIASES: &str = include_str!("../../data/cpe-aliases.tsv");

/// One guess: a CPE name (with the version when one was given), how sure, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The name.
    pub cpe: Cpe,
    /// From 0 to 1: how well the vendor evidence (an alias of the publisher, the publisher
    /// spelled as an NVD vendor, the vendor's words in the name) and the product evidence
    /// (the share of the name's words the product's name or titles explain, weighted by how
    /// rare each word is in NVD's vocabulary) support the name; see
    /// [`Normalizer::name_program`]. A package rule gives 0.9.
    pub confidence: f32,
    /// The rule that fired (`alias:vendor+alias:product`, `vocabulary:vendor+vocabulary:title`,
    /// `alias:package`, …).
    pub rule: &'static str,
    /// How the version was written as NVD writes it (`version:display`,
    /// `version:java-update`, `version:name-year`, …); empty for packages.
    pub version_rule: &'static str,
    /// The package URL, where the ecosystem is known (an SBOM component's own `purl`).
    pub purl: Option<String>,
}

/// What the table says a word or name stands for.
#[derive(Debug, Clone, Default)]
pub(super) struct Rules {
    pub(super) suffixes: HashSet<String>,
    pub(super) noise: HashSet<String>,
    pub(super) vendors: HashMap<String, String>,
    pub(super) products: HashMap<(String, String), String>,
    pub(super) packages: HashMap<String, (String, String)>,
    pub(super) kinds: Vec<KindPhrase>,
    pub(super) styles: HashMap<(String, String), VersionStyle>,
}

/// A row of the alias table that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("alias table line {line}: {message}")]
pub struct AliasError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub message: String,
}

/// One row of the alias table, as a test of the table against a dictionary reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasRow {
    /// `vendor`, `product` or `package`.
    pub kind: &'static str,
    /// The CPE vendor it names.
    pub vendor: String,
    /// The CPE product it names (none for `vendor` rows).
    pub product: Option<String>,
    /// Whether the table says NVD's 2015 dictionary holds it (`2015`) or not (`new`).
    pub in_2015: bool,
    /// 1-based line number.
    pub line: usize,
}

/// Turns inventory names into CPE candidates.
///
/// ```
/// use exposure::cpe::Normalizer;
/// let normalizer = Normalizer::with_default_rules();
/// let best = &normalizer.guess_installed("Mozilla", "Mozilla Firefox (x64 en-US)", "121.0")[0];
/// assert_eq!(best.cpe.to_fs(), "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*");
/// assert_eq!(best.rule, "alias:vendor+alias:product");
/// // A package, upstream version only.
/// let best = &normalizer.guess_package("libssl3", "3.0.11-1~deb12u2")[0];
/// assert_eq!(best.cpe.to_fs(), "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*");
/// // Unknown stays unknown.
/// assert!(normalizer.guess_installed("Acme Widgets Ltd.", "Widget Studio", "2.0").is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Normalizer<'d> {
    pub(super) rules: std::sync::Arc<Rules>,
    pub(super) vocabulary: Option<&'d Vocabulary>,
}

/// Lower case; characters other than letters, digits, `+`, `-`, `.` become spaces; dots are
/// trimmed from word ends.
pub(super) fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '+' | '-' | '.') {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .map(|w| w.trim_matches('.').to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

/// A CPE string value for literal text (letters, digits and `_` as they are, the rest
/// quoted); `None` for empty text.
pub(crate) fn literal(text: &str) -> Option<Value> {
    if text.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if c.is_ascii_graphic() {
            out.push('\\');
            out.push(c);
        } else {
            return None;
        }
    }
    Some(Value::Text(out.as_str().into()))
}

/// The upstream version of a Debian or RPM version: no epoch, no revision, no `+dfsg`-style
/// repack suffix, no `~` pre-release tail of a backport (`1:2.36.1-8+deb12u1` → `2.36.1`).
fn upstream(version: &str) -> &str {
    let version = version.trim();
    let version = version.split_once(':').map_or(version, |(_, rest)| rest);
    let version = version.rsplit_once('-').map_or(version, |(up, _)| up);
    version.split(['+', '~']).next().unwrap_or(version)
}

impl Normalizer<'_> {
    /// The normaliser with the shipped alias table and no dictionary.
    pub fn with_default_rules() -> Normalizer<'static> {
        // The shipped table is read once per process (a test holds it valid) and shared.
        static DEFAULT: std::sync::OnceLock<Normalizer<'static>> = std::sync::OnceLock::new();
        DEFAULT
            .get_or_init(|| Normalizer::from_aliases(DEFAULT_ALIASES).unwrap_or_default())
            .clone()
    }

    /// A normaliser with another alias table (same format as [`DEFAULT_ALIASES`]).
    pub fn from_aliases(table: &str) -> Result<Normalizer<'static>, AliasError> {
        let mut rules = Rules::default();
        for row in rows(table)? {
            let (line, fields) = row;
            match fields.as_slice() {
                ["suffix", word] => drop(rules.suffixes.insert((*word).to_owned())),
                ["noise", word] => drop(rules.noise.insert((*word).to_owned())),
                ["vendor", publisher, vendor, _] => {
                    rules
                        .vendors
                        .insert(words(publisher).join(" "), (*vendor).to_owned());
                }
                ["product", vendor, name, product, _] => {
                    rules.products.insert(
                        ((*vendor).to_owned(), words(name).join(" ")),
                        (*product).to_owned(),
                    );
                }
                ["package", name, vendor, product, _] => {
                    rules.packages.insert(
                        (*name).to_owned(),
                        ((*vendor).to_owned(), (*product).to_owned()),
                    );
                }
                ["kind", kind, phrase] => {
                    let kind: ProgramKind = kind
                        .parse()
                        .map_err(|message| AliasError { line, message })?;
                    rules.kinds.push(KindPhrase::new(kind, phrase));
                }
                ["version", vendor, product, style] => {
                    let style = VersionStyle::parse(style).ok_or_else(|| AliasError {
                        line,
                        message: format!("unknown version style {style:?}"),
                    })?;
                    rules
                        .styles
                        .insert(((*vendor).to_owned(), (*product).to_owned()), style);
                }
                _ => {
                    return Err(AliasError {
                        line,
                        message: format!("unknown row {fields:?}"),
                    })
                }
            }
        }
        Ok(Normalizer {
            rules: std::sync::Arc::new(rules),
            vocabulary: None,
        })
    }

    /// The same rules, scored against a dictionary's vocabulary
    /// ([`Dictionary::vocabulary`]).
    #[must_use]
    pub fn with_dictionary<'e>(&self, dictionary: &'e Dictionary) -> Normalizer<'e> {
        self.with_vocabulary(dictionary.vocabulary())
    }

    /// The same rules, scored against a vocabulary (a dictionary's, a knowledge base's, or
    /// both merged).
    ///
    /// ```
    /// use exposure::cpe::{Cpe, Normalizer, Vocabulary};
    /// let mut vocabulary = Vocabulary::new();
    /// vocabulary.add(&"cpe:2.3:a:winscp:winscp:4.0.7:*:*:*:*:*:*:*".parse::<Cpe>()?, Some("WinSCP 4.0.7"));
    /// let normalizer = Normalizer::with_default_rules();
    /// assert!(normalizer.guess_installed("Martin Prikryl", "WinSCP 4.0.7", "4.0.7").is_empty());
    /// let best = &normalizer.with_vocabulary(&vocabulary).guess_installed("Martin Prikryl", "WinSCP 4.0.7", "4.0.7")[0];
    /// assert_eq!(best.cpe.to_fs(), "cpe:2.3:a:winscp:winscp:4.0.7:*:*:*:*:*:*:*");
    /// # Ok::<(), exposure::cpe::CpeError>(())
    /// ```
    #[must_use]
    pub fn with_vocabulary<'e>(&self, vocabulary: &'e Vocabulary) -> Normalizer<'e> {
        Normalizer {
            rules: self.rules.clone(),
            vocabulary: Some(vocabulary),
        }
    }

    /// The vocabulary names are scored against, when one was given.
    pub fn vocabulary(&self) -> Option<&Vocabulary> {
        self.vocabulary
    }

    /// Candidates for a Windows-style installed program: publisher, display name, version
    /// (the candidates of [`Normalizer::name_program`]).
    pub fn guess_installed(&self, publisher: &str, name: &str, version: &str) -> Vec<Candidate> {
        self.name_program(publisher, name, version).candidates
    }

    /// Candidates for a Debian or RPM package and its version (the CPE takes the upstream
    /// version: `1:2.36.1-8+deb12u1` → `2.36.1`).
    pub fn guess_package(&self, package: &str, version: &str) -> Vec<Candidate> {
        let name = package.trim().to_lowercase();
        let version = upstream(version);
        let mut out = Vec::new();
        if let Some((vendor, product)) = self.rules.packages.get(&name) {
            out.extend(build(vendor, product, version).map(|cpe| Candidate {
                cpe,
                confidence: 0.9,
                rule: "alias:package",
                version_rule: "",
                purl: None,
            }));
        } else if let Some(vocabulary) = self.vocabulary {
            // A package named as its upstream project: vendor and product both the name.
            if vocabulary.has_product(&name, &name) {
                out.extend(build(&name, &name, version).map(|cpe| Candidate {
                    cpe,
                    confidence: 0.6,
                    rule: "vocabulary:package=vendor=product",
                    version_rule: "",
                    purl: None,
                }));
            }
        }
        out
    }
}

impl Normalizer<'_> {
    /// Candidates for an SBOM component (CycloneDX `group`, `name`, `version`, `purl`,
    /// `cpe`): its own CPE when it carries one (confidence 1, `sbom:cpe`); a Debian, RPM or
    /// Alpine package as [`Normalizer::guess_package`] names it; otherwise the group as the
    /// publisher (`org.bouncycastle` → `bouncycastle`, `@babel` → `babel`), or, without a
    /// group, a dictionary product named like its vendor (`jquery:jquery`); these last two
    /// are capped at confidence 0.5 (language packages are matched by their own advisories;
    /// a CPE guessed from a package name is a hint, not a finding's basis).
    ///
    /// ```
    /// use exposure::cpe::Normalizer;
    /// let n = Normalizer::with_default_rules();
    /// let best = &n.guess_component(None, "openssl", "3.0.11-1~deb12u2", Some("pkg:deb/debian/openssl@3.0.11-1~deb12u2"), None)[0];
    /// assert_eq!(best.cpe.to_fs(), "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*");
    /// assert_eq!(best.purl.as_deref(), Some("pkg:deb/debian/openssl@3.0.11-1~deb12u2"));
    /// let own = &n.guess_component(None, "x", "1", None, Some("cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*"))[0];
    /// assert_eq!((own.confidence, own.rule), (1.0, "sbom:cpe"));
    /// ```
    pub fn guess_component(
        &self,
        group: Option<&str>,
        name: &str,
        version: &str,
        purl: Option<&str>,
        cpe: Option<&str>,
    ) -> Vec<Candidate> {
        if let Some(own) = cpe.and_then(|c| Cpe::parse(c).ok()) {
            return vec![Candidate {
                cpe: own,
                confidence: 1.0,
                rule: "sbom:cpe",
                version_rule: "",
                purl: purl.map(str::to_owned),
            }];
        }
        let purl_type = purl
            .and_then(|p| p.strip_prefix("pkg:"))
            .and_then(|p| p.split('/').next())
            .unwrap_or_default();
        let with_purl = |mut candidates: Vec<Candidate>| {
            for c in &mut candidates {
                c.purl = purl.map(str::to_owned);
            }
            candidates
        };
        if matches!(purl_type, "deb" | "rpm" | "apk") {
            return with_purl(self.guess_package(name, version));
        }
        let group = group.unwrap_or_default().trim();
        let publisher = if let Some(scope) = group.strip_prefix('@') {
            scope.to_owned()
        } else {
            group_maker(group).unwrap_or_default()
        };
        // A language package's group and name say less than a Windows publisher and display
        // name (`org.postgresql:postgresql` is the JDBC driver, not the database the alias
        // table means): such guesses are capped at 0.5, below every confident answer.
        let cap = |mut candidates: Vec<Candidate>| {
            for c in &mut candidates {
                c.confidence = c.confidence.min(0.5);
            }
            candidates
        };
        if !publisher.is_empty() {
            return with_purl(cap(self.guess_installed(&publisher, name, version)));
        }
        let Some(vocabulary) = self.vocabulary else {
            return Vec::new();
        };
        let name = name.trim().to_lowercase();
        if !vocabulary.has_product(&name, &name) {
            return Vec::new();
        }
        with_purl(
            build(&name, &name, version.trim())
                .map(|cpe| Candidate {
                    cpe,
                    confidence: 0.5,
                    rule: "vocabulary:name=vendor=product",
                    version_rule: "",
                    purl: None,
                })
                .into_iter()
                .collect(),
        )
    }
}

/// The maker a Maven-style group names: the label after the top-level domain of a reverse
/// DNS name (`org.apache.logging.log4j` → `apache`), or a one-label group itself (`log4j`);
/// `None` for other shapes (`javax.mail`).
pub(crate) fn group_maker(group: &str) -> Option<String> {
    let labels: Vec<&str> = group.split('.').filter(|l| !l.is_empty()).collect();
    match labels.as_slice() {
        [tld, maker, ..]
            if matches!(
                *tld,
                "org" | "com" | "net" | "io" | "dev" | "eu" | "de" | "ch"
            ) =>
        {
            Some((*maker).to_owned())
        }
        [one] => Some((*one).to_owned()),
        _ => None,
    }
}

/// `a:vendor:product:version`, when all three are valid CPE values.
pub(crate) fn build(vendor: &str, product: &str, version: &str) -> Option<Cpe> {
    build_with_update(vendor, product, version, None)
}

/// `a:vendor:product:version:update`, when the values are valid CPE values.
pub(crate) fn build_with_update(
    vendor: &str,
    product: &str,
    version: &str,
    update: Option<&str>,
) -> Option<Cpe> {
    let mut cpe = Cpe::default().with(Attribute::Part, Value::Text("a".into()));
    cpe = cpe.with(Attribute::Vendor, literal(vendor)?);
    cpe = cpe.with(Attribute::Product, literal(product)?);
    if let Some(v) = literal(version) {
        cpe = cpe.with(Attribute::Version, v);
    }
    if let Some(u) = update.and_then(literal) {
        cpe = cpe.with(Attribute::Update, u);
    }
    Some(cpe)
}

/// The rows of an alias table: `(line, fields)`, comments and blank lines skipped.
fn rows(table: &str) -> Result<Vec<(usize, Vec<&str>)>, AliasError> {
    let mut out = Vec::new();
    for (i, line) in table.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        if fields.iter().any(|f| f.is_empty()) {
            return Err(AliasError {
                line: line_no,
                message: "empty field".to_owned(),
            });
        }
        out.push((line_no, fields));
    }
    Ok(out)
}

/// The vendor, product and package rows of an alias table, for checking it against a
/// dictionary.
pub fn alias_rows(table: &str) -> Result<Vec<AliasRow>, AliasError> {
    let mut out = Vec::new();
    for (line, fields) in rows(table)? {
        let flag = |f: &str| match f {
            "2015" => Ok(true),
            "new" => Ok(false),
            other => Err(AliasError {
                line,
                message: format!("last column must be 2015 or new, not {other:?}"),
            }),
        };
        match fields.as_slice() {
            ["vendor", _, vendor, f] => out.push(AliasRow {
                kind: "vendor",
                vendor: (*vendor).to_owned(),
                product: None,
                in_2015: flag(f)?,
                line,
            }),
            ["product", vendor, _, product, f] => out.push(AliasRow {
                kind: "product",
                vendor: (*vendor).to_owned(),
                product: Some((*product).to_owned()),
                in_2015: flag(f)?,
                line,
            }),
            ["package", _, vendor, product, f] => out.push(AliasRow {
                kind: "package",
                vendor: (*vendor).to_owned(),
                product: Some((*product).to_owned()),
                in_2015: flag(f)?,
                line,
            }),
            _ => {}
        }
    }
    Ok(out)
}

/// The WFN form of literal text (for looking names up in a dictionary).
pub fn literal_wfn(text: &str) -> Option<String> {
    literal(text).and_then(|v| v.as_wfn().map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_reads() {
        let n = Normalizer::with_default_rules();
        assert!(n.rules.suffixes.contains("inc"));
        assert_eq!(
            n.rules.vendors.get("adobe systems").map(String::as_str),
            Some("adobe")
        );
        assert!(alias_rows(DEFAULT_ALIASES).unwrap().len() > 100);
        assert!(Normalizer::from_aliases("vendor\tacme").is_err());
        assert!(Normalizer::from_aliases("vendor\tacme\t\t2015").is_err());
    }

    #[test]
    fn upstream_versions() {
        assert_eq!(upstream("1:2.36.1-8+deb12u1"), "2.36.1");
        assert_eq!(upstream("3.0.11-1~deb12u2"), "3.0.11");
        assert_eq!(upstream("2.9.14+dfsg-1.3~deb12u1"), "2.9.14");
        assert_eq!(upstream("1.1.1k-7.el8_6"), "1.1.1k");
        assert_eq!(upstream("8.0"), "8.0");
    }

    #[test]
    fn windows_names() {
        let n = Normalizer::with_default_rules();
        let best = |p: &str, name: &str, v: &str| {
            n.guess_installed(p, name, v).first().map(|c| c.cpe.to_fs())
        };
        assert_eq!(
            best("Adobe Systems, Inc.", "Adobe Shockwave Player 11", "11").as_deref(),
            Some("cpe:2.3:a:adobe:shockwave_player:11:*:*:*:*:*:*:*")
        );
        assert_eq!(
            best("Piriform", "CCleaner (remove only)", "").as_deref(),
            Some("cpe:2.3:a:piriform:ccleaner:*:*:*:*:*:*:*:*")
        );
        assert_eq!(
            best("Microsoft", "Microsoft SQL Server 2005", "10.53.6000.34").as_deref(),
            Some("cpe:2.3:a:microsoft:sql_server:2005:*:*:*:*:*:*:*")
        );
        assert_eq!(
            best("Don Ho", "Notepad++ (64-bit x64)", "8.6").as_deref(),
            Some(r"cpe:2.3:a:notepad-plus-plus:notepad\+\+:8.6:*:*:*:*:*:*:*")
        );
        assert_eq!(
            best("Компания КриптоПро", "КриптоПро CSP", "5.0.12000"),
            None
        );
    }
}
