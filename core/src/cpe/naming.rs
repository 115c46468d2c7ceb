//! Naming an installed program as NVD names it: the entry's kind first (hotfixes, drivers,
//! language packs and components are never named), then vendor candidates from the publisher,
//! product candidates from the alias table and from NVD's vocabulary, each scored, and the
//! version written as NVD writes it for that product.
//!
//! The score of a vocabulary product is `vendor evidence × product evidence`:
//! - vendor evidence: 1.0 an alias of the publisher; 0.95 the publisher spelled as an NVD
//!   vendor (`Igor Pavlov` → `igor_pavlov`); 0.9 the vendor's words in the display name or the
//!   alias of its first word; 0.8 an NVD vendor holding the publisher's first word
//!   (`git` → `git-scm`); 0.75 no publisher; 0.65 a publisher NVD does not know; 0.5 a
//!   publisher that names another NVD vendor;
//! - product evidence: the best, over the product's own words and its dictionary titles, of
//!   `√(weight of its words the name says / weight of its words) × (weight of the name's
//!   words it or its vendor explains / weight of the name's words)`, each word weighted
//!   `ln(1 + products / products holding the word)`: rare words decide, generic ones
//!   (`player`, `server`) barely count, and a word of the name no product has weighs most.
//!
//! An alias product row gives product evidence 1.0 when it spells the whole name (vendor
//! words aside), 0.9 when it spells a run of it; between equal confidences an alias row
//! wins, then the product that says more of the name. Candidates under
//! [`MIN_CONFIDENCE`] are dropped: a wrong name is worse than none.

use super::normalize::{build_with_update, Normalizer};
use super::nvd_version::nvd_version;
use super::program::{classify, ProgramKind, ProgramName};
use super::vocabulary::{name_words, Product, Vocabulary};
use super::Candidate;
use std::collections::HashSet;

/// At most this many bytes of a publisher, name or version are read.
const MAX_TEXT: usize = 256;

/// The text cut to [`MAX_TEXT`] bytes at a character boundary.
fn bounded(text: &str) -> &str {
    if text.len() <= MAX_TEXT {
        return text;
    }
    let mut end = MAX_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Candidates below this confidence are not given.
pub const MIN_CONFIDENCE: f32 = 0.6;

/// At most this many products sharing a word of the name are scored per word.
const MAX_PRODUCTS_PER_WORD: usize = 4000;

/// The normaliser's answer for one installed program.
///
/// ```
/// use exposure::cpe::{Normalizer, ProgramKind};
/// let n = Normalizer::with_default_rules();
/// let hotfix = n.name_program("Microsoft Corporation", "Security Update for Windows XP (KB2079403)", "1");
/// assert_eq!((hotfix.kind, hotfix.kind_rule), (ProgramKind::Update, "kb-number"));
/// assert!(hotfix.candidates.is_empty(), "a hotfix is never named");
/// let java = n.name_program("Oracle", "Java(TM) 6 Update 31", "6.0.310");
/// assert_eq!(java.candidates[0].cpe.to_fs(), "cpe:2.3:a:oracle:jre:1.6.0:update31:*:*:*:*:*:*");
/// assert_eq!(java.candidates[0].version_rule, "version:java-update");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ProgramNaming {
    /// What the entry is.
    pub kind: ProgramKind,
    /// The rule that told the kind (`kb-number`, `phrase:driver`, `service-pack`,
    /// `windows-component`, `default`).
    pub kind_rule: &'static str,
    /// CPE names, best first (none for anything but a known application).
    pub candidates: Vec<Candidate>,
    /// The version the program reports: its DisplayVersion without remarks, or when it has
    /// none the version its name carries (`GPL Ghostscript 8.54` → `8.54`).
    pub version: Option<String>,
}

impl ProgramNaming {
    /// The answer as JSON: `{"kind", "kind_rule", "version", "candidates": [{"cpe",
    /// "confidence", "rule", "version_rule"}]}` (the CPE names as 2.3 formatted strings), the
    /// form the C and Python interfaces and `exposure cpe guess --format json` give.
    ///
    /// ```
    /// let n = exposure::cpe::Normalizer::with_default_rules();
    /// let json = n.name_program("Mozilla", "Mozilla Firefox (x64 en-US)", "121.0").to_json();
    /// assert_eq!(json["kind"], "application");
    /// assert_eq!(json["candidates"][0]["cpe"], "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*");
    /// assert_eq!(json["candidates"][0]["version_rule"], "version:display");
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        let candidates: Vec<serde_json::Value> = self
            .candidates
            .iter()
            .map(|c| {
                serde_json::json!({
                    "cpe": c.cpe.to_fs(),
                    "confidence": c.confidence,
                    "rule": c.rule,
                    "version_rule": c.version_rule,
                })
            })
            .collect();
        serde_json::json!({
            "kind": self.kind,
            "kind_rule": self.kind_rule,
            "version": self.version,
            "candidates": candidates,
        })
    }
}

/// A vendor the publisher (or the name) points to.
#[derive(Debug, Clone)]
struct VendorGuess {
    vendor: String,
    evidence: f64,
    source: VendorSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VendorSource {
    Alias,
    Vocabulary,
    Name,
    Word,
    Absent,
    Unknown,
    Other,
}

/// The rule text of a vendor source and a product source.
fn rule(vendor: VendorSource, product: &str) -> &'static str {
    use VendorSource::{Absent, Alias, Name, Other, Unknown, Vocabulary, Word};
    match (vendor, product) {
        (Alias, "alias") => "alias:vendor+alias:product",
        (Vocabulary, "alias") => "vocabulary:vendor+alias:product",
        (Name, "alias") => "name:vendor+alias:product",
        (_, "alias") => "word:vendor+alias:product",
        (Alias, "title") => "alias:vendor+vocabulary:title",
        (Vocabulary, "title") => "vocabulary:vendor+vocabulary:title",
        (Name, "title") => "name:vendor+vocabulary:title",
        (Word, "title") => "word:vendor+vocabulary:title",
        (Absent, "title") => "no-publisher+vocabulary:title",
        (Unknown, "title") => "unknown-publisher+vocabulary:title",
        (Other, "title") => "other-publisher+vocabulary:title",
        (Alias, _) => "alias:vendor+vocabulary:product",
        (Vocabulary, _) => "vocabulary:vendor+vocabulary:product",
        (Name, _) => "name:vendor+vocabulary:product",
        (Word, _) => "word:vendor+vocabulary:product",
        (Absent, _) => "no-publisher+vocabulary:product",
        (Unknown, _) => "unknown-publisher+vocabulary:product",
        (Other, _) => "other-publisher+vocabulary:product",
    }
}

/// One scored vendor:product.
struct Scored {
    confidence: f64,
    /// Between equal confidences: an alias row first, then the product whose words say
    /// more of the name (`visual_studio_2022` before `visual_studio`).
    from_alias: bool,
    specificity: f64,
    vendor: String,
    product: String,
    rule: &'static str,
}

impl Normalizer<'_> {
    /// Names a Windows-style installed program (publisher, display name, DisplayVersion): its
    /// kind, and for an application the CPE candidates NVD's vocabulary and the alias table
    /// support, best first, each with its confidence, rule and version rule. See the module
    /// documentation of `exposure::cpe` naming for the scores.
    pub fn name_program(&self, publisher: &str, name: &str, version: &str) -> ProgramNaming {
        // Registry values can be long; no real name needs more than this.
        let (publisher, name, version) = (bounded(publisher), bounded(name), bounded(version));
        let (kind, kind_rule) = classify(&self.rules.kinds, name, version);
        let noise = |w: &str| self.rules.noise.contains(w);
        let parsed = ProgramName::parse(name, version, &noise);
        let reported = version.trim();
        let mut naming = ProgramNaming {
            kind,
            kind_rule,
            candidates: Vec::new(),
            version: if reported.is_empty() {
                parsed.versions.last().cloned()
            } else {
                Some(reported.to_owned())
            },
        };
        if kind != ProgramKind::Application {
            return naming;
        }
        let all_words = name_words(name);
        // E-mail addresses and web addresses in a publisher name are not its words.
        let publisher: String = publisher
            .split_whitespace()
            .filter(|t| !t.contains('@') && !t.contains("://") && !t.starts_with("www."))
            .collect::<Vec<_>>()
            .join(" ");
        let publisher_words: Vec<String> = super::normalize::words(&publisher)
            .into_iter()
            .filter(|w| !self.rules.suffixes.contains(w))
            .collect();
        let vendors = self.vendor_guesses(&publisher_words, &parsed.required);
        let mut scored = self.alias_products(&vendors, &publisher_words, &parsed.required);
        if let Some(vocabulary) = self.vocabulary {
            scored.extend(vocabulary_products(
                vocabulary,
                &vendors,
                &publisher_words,
                &parsed,
                &all_words,
            ));
        }
        scored.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then_with(|| b.from_alias.cmp(&a.from_alias))
                .then_with(|| b.specificity.total_cmp(&a.specificity))
                .then_with(|| a.vendor.cmp(&b.vendor))
                .then_with(|| a.product.cmp(&b.product))
        });
        let mut seen = HashSet::new();
        for s in scored {
            #[allow(clippy::cast_possible_truncation)] // a confidence between 0 and 1
            let confidence = s.confidence as f32;
            if confidence < MIN_CONFIDENCE || !seen.insert((s.vendor.clone(), s.product.clone())) {
                continue;
            }
            let style = self
                .rules
                .styles
                .get(&(s.vendor.clone(), s.product.clone()))
                .copied();
            let product = self.vocabulary.and_then(|v| v.get(&s.vendor, &s.product));
            let written = nvd_version(style, version, &parsed, &all_words, product);
            let (version, update, version_rule) = match &written {
                Some(w) => (w.version.as_str(), w.update.as_deref(), w.rule),
                None => ("", None, "version:none"),
            };
            if let Some(cpe) = build_with_update(&s.vendor, &s.product, version, update) {
                naming.candidates.push(Candidate {
                    cpe,
                    confidence: (confidence * 100.0).round() / 100.0,
                    rule: s.rule,
                    version_rule,
                    purl: None,
                });
            }
        }
        // A Windows part that no product explains is a component, not an unknown program.
        let windows_part = all_words.first().map(String::as_str) == Some("windows")
            && vendors.iter().any(|g| g.vendor == "microsoft");
        if naming.candidates.is_empty() && windows_part {
            naming.kind = ProgramKind::Component;
            naming.kind_rule = "windows-component";
        }
        naming
    }

    /// Vendors the publisher names (alias, NVD spelling, a vendor holding its first word), or
    /// without a publisher the alias of the name's first word.
    fn vendor_guesses(&self, publisher: &[String], required: &[String]) -> Vec<VendorGuess> {
        let mut out: Vec<VendorGuess> = Vec::new();
        let mut push = |vendor: &str, evidence: f64, source: VendorSource| {
            if let Some(g) = out.iter_mut().find(|g| g.vendor == vendor) {
                if g.evidence < evidence {
                    (g.evidence, g.source) = (evidence, source);
                }
            } else {
                out.push(VendorGuess {
                    vendor: vendor.to_owned(),
                    evidence,
                    source,
                });
            }
        };
        if publisher.is_empty() {
            if let Some(v) = required.first().and_then(|w| self.rules.vendors.get(w)) {
                push(v, 0.9, VendorSource::Name);
            }
            return out;
        }
        if let Some(v) = self.rules.vendors.get(&publisher.join(" ")) {
            push(v, 1.0, VendorSource::Alias);
        }
        let Some(vocabulary) = self.vocabulary else {
            return out;
        };
        let domain = publisher.iter().find_map(|w| {
            let (label, tld) = w.rsplit_once('.')?;
            matches!(tld, "com" | "org" | "net" | "io").then(|| label.replace('.', "_"))
        });
        let forms = [
            Some(publisher.join("_")),
            Some(publisher.concat()),
            Some(publisher.join("-")),
            publisher.first().cloned(),
            domain,
        ];
        for form in forms.into_iter().flatten() {
            if vocabulary.has_vendor(&form) {
                push(&form, 0.95, VendorSource::Vocabulary);
            }
        }
        // The vendor NVD's titles spell as the publisher (`The Apache Software Foundation`).
        for v in vocabulary.vendors_titled(publisher).into_iter().take(8) {
            push(v, 0.9, VendorSource::Vocabulary);
        }
        if let Some(first) = publisher.first() {
            for v in vocabulary.vendors_with_word(first).iter().take(8) {
                push(v, 0.8, VendorSource::Word);
            }
        }
        out
    }

    /// Products the alias table names for a vendor: a row spelling the whole name (its
    /// vendor words dropped) or a run of its words.
    fn alias_products(
        &self,
        vendors: &[VendorGuess],
        publisher: &[String],
        required: &[String],
    ) -> Vec<Scored> {
        let mut out = Vec::new();
        for g in vendors {
            let vendor_words: Vec<String> = name_words(&g.vendor.replace('_', " "));
            let mut stripped: &[String] = required;
            for lead in [publisher, vendor_words.as_slice()] {
                let n = lead.len();
                if n > 0 && stripped.len() > n && stripped[..n] == lead[..] {
                    stripped = &stripped[n..];
                }
            }
            // The name without its vendor words (`Firefox`), or whole when the product's own
            // name holds them (`KeePass Password Safe`).
            for words in [stripped, required] {
                if let Some(found) = self.alias_run(g, words) {
                    out.push(found);
                    break;
                }
            }
        }
        out
    }
}

/// The name's words that spell the vendor run together (`Django Project` → `djangoproject`,
/// `Revo Uninstaller` → `revouninstaller`): two to four consecutive words.
fn vendor_run<'w>(vendor: &str, words: &'w [String]) -> &'w [String] {
    let squashed: String = vendor.chars().filter(char::is_ascii_alphanumeric).collect();
    if squashed.len() < 4 {
        return &[];
    }
    for len in 2..=4.min(words.len()) {
        for start in 0..=words.len() - len {
            let run = &words[start..start + len];
            let joined: String = run
                .iter()
                .flat_map(|w| w.chars())
                .filter(char::is_ascii_alphanumeric)
                .collect();
            if joined == squashed {
                return run;
            }
        }
    }
    &[]
}

impl Normalizer<'_> {
    /// The longest run of the words an alias product row of the vendor spells.
    fn alias_run(&self, g: &VendorGuess, words: &[String]) -> Option<Scored> {
        let n = words.len().min(16);
        for len in (1..=n).rev() {
            for start in 0..=n - len {
                let key = words[start..start + len].join(" ");
                if let Some(product) = self.rules.products.get(&(g.vendor.clone(), key)) {
                    // Exact when the words outside the run spell the vendor as NVD's titles
                    // do (`Windows Internet Explorer`: `windows` is how titles spell Microsoft).
                    let exact = words[..start].iter().chain(&words[start + len..]).all(|w| {
                        self.vocabulary
                            .is_some_and(|v| v.is_vendor_title_word(&g.vendor, w))
                    });
                    return Some(Scored {
                        confidence: g.evidence * if exact { 1.0 } else { 0.9 },
                        from_alias: true,
                        specificity: f64::from(u32::try_from(len).unwrap_or(u32::MAX)),
                        vendor: g.vendor.clone(),
                        product: product.clone(),
                        rule: rule(g.source, "alias"),
                    });
                }
            }
        }
        None
    }
}

/// The name's required words, each once, with their weights, and their total: the same for
/// every product a name is scored against, so computed once per name.
struct NameWeights<'n> {
    name: &'n ProgramName,
    required: Vec<(&'n str, f64)>,
    total: f64,
}

impl<'n> NameWeights<'n> {
    fn of(vocabulary: &Vocabulary, name: &'n ProgramName) -> Self {
        let mut words: Vec<&str> = name.required.iter().map(String::as_str).collect();
        words.sort_unstable();
        words.dedup();
        let required: Vec<(&str, f64)> = words
            .into_iter()
            .map(|w| (w, vocabulary.weight(w)))
            .collect();
        let total = required.iter().map(|(_, w)| w).sum();
        NameWeights {
            name,
            required,
            total,
        }
    }

    /// Whether the name says the word (as a required or an optional word).
    fn says(&self, word: &str) -> bool {
        self.required.iter().any(|(r, _)| *r == word)
            || self.name.optional.iter().any(|o| o == word)
    }
}

/// How much of the name a product's words (or one of its titles) explain; 0 when they share
/// no word. Returns the score, whether a title gave it, and the weight of the words it hit.
fn product_evidence(
    vocabulary: &Vocabulary,
    product: &Product,
    name: &NameWeights<'_>,
) -> (f64, bool, f64) {
    if name.total <= 0.0 {
        return (0.0, false, 0.0);
    }
    let weight = |w: &str| vocabulary.weight(w);
    // The required words the product's vendor explains, whatever wording is scored: its
    // words, its run-together spelling, the words its titles spell it with.
    let spelled = vendor_run(&product.vendor, &name.name.required);
    let by_vendor: Vec<bool> = name
        .required
        .iter()
        .map(|(r, _)| {
            product.vendor_words.iter().any(|v| &**v == *r)
                || spelled.iter().any(|s| s == r)
                || vocabulary.is_vendor_title_word(&product.vendor, r)
        })
        .collect();
    let mut best = (0.0, false, 0.0);
    // Its words split at hyphens too (`e-studio-455` → `e`, `studio`, `455`), since display
    // names and titles space what CPE names hyphenate.
    let split: Vec<Box<str>> = if product.words.iter().any(|w| w.contains('-')) {
        product
            .words
            .iter()
            .flat_map(|w| w.split('-').filter(|p| !p.is_empty()).map(Box::from))
            .collect()
    } else {
        Vec::new()
    };
    let own = std::iter::once((product.words.as_slice(), false));
    let hyphens = (split.len() > product.words.len()).then_some((split.as_slice(), false));
    let titles = product.titles.iter().map(|t| (t.as_slice(), true));
    for (words, is_title) in own.chain(hyphens).chain(titles) {
        let words: Vec<&str> = words
            .iter()
            .map(|w| &**w)
            .filter(|w| !is_title || !product.vendor_words.iter().any(|v| &**v == *w))
            .collect();
        let all: f64 = words.iter().map(|w| weight(w)).sum();
        let hit: f64 = words
            .iter()
            .filter(|w| name.says(w))
            .map(|w| weight(w))
            .sum();
        if hit <= 0.0 || all <= 0.0 {
            continue;
        }
        let explained: f64 = name
            .required
            .iter()
            .zip(&by_vendor)
            .filter(|((r, _), vendor)| **vendor || words.contains(r))
            .map(|((_, w), _)| w)
            .sum();
        // A display name often leaves out a product's generic words (`Opera` for
        // `opera_browser`): what it leaves out costs less than what it does not explain.
        let score = (hit / all).sqrt() * (explained / name.total);
        if score > best.0 || ((score - best.0).abs() < 1e-12 && hit > best.2) {
            best = (score, is_title, hit);
        }
    }
    best
}

/// Vocabulary products scored for the name: the publisher's vendors' products and those
/// sharing one of the name's rarest words.
fn vocabulary_products(
    vocabulary: &Vocabulary,
    vendors: &[VendorGuess],
    publisher: &[String],
    name: &ProgramName,
    all_words: &[String],
) -> Vec<Scored> {
    fn add<'v>(p: &'v Product, pool: &mut Vec<&'v Product>, seen: &mut HashSet<*const Product>) {
        if seen.insert(std::ptr::from_ref(p)) {
            pool.push(p);
        }
    }
    let mut pool: Vec<&Product> = Vec::new();
    let mut seen: HashSet<*const Product> = HashSet::new();
    for g in vendors {
        for p in vocabulary.products_of(&g.vendor) {
            add(p, &mut pool, &mut seen);
        }
    }
    let mut rare: Vec<(usize, &str)> = name
        .required
        .iter()
        .map(|w| (vocabulary.word_frequency(w), w.as_str()))
        .filter(|(f, _)| *f > 0)
        .collect();
    rare.sort_unstable();
    rare.dedup();
    for (_, word) in rare.into_iter().take(3) {
        for p in vocabulary.with_word(word).take(MAX_PRODUCTS_PER_WORD) {
            add(p, &mut pool, &mut seen);
        }
    }
    let firm_publisher = vendors
        .iter()
        .any(|g| matches!(g.source, VendorSource::Alias | VendorSource::Vocabulary));
    let weights = NameWeights::of(vocabulary, name);
    let mut out = Vec::new();
    for product in pool {
        let (evidence, from_title, specificity) = product_evidence(vocabulary, product, &weights);
        if evidence <= 0.0 {
            continue;
        }
        let (vendor_evidence, source) = match vendors.iter().find(|g| *g.vendor == *product.vendor)
        {
            Some(g) => (g.evidence, g.source),
            None if firm_publisher => (0.5, VendorSource::Other),
            None if product
                .vendor_words
                .iter()
                .all(|v| all_words.iter().any(|w| **w == **v))
                || !vendor_run(&product.vendor, all_words).is_empty() =>
            {
                (0.9, VendorSource::Name)
            }
            None if publisher.is_empty() => (0.75, VendorSource::Absent),
            None => (0.65, VendorSource::Unknown),
        };
        out.push(Scored {
            confidence: vendor_evidence * evidence,
            from_alias: false,
            specificity,
            vendor: product.vendor.to_string(),
            product: product.product.to_string(),
            rule: rule(source, if from_title { "title" } else { "product" }),
        });
    }
    out
}
