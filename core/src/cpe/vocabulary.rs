//! NVD's vocabulary of application names: the vendor:product pairs that NVD's CPE dictionary
//! and the CPE names of its CVE configurations actually use, with the words of each product
//! (from its name and, for dictionary entries, its titles) weighted by how rare they are, and
//! the versions NVD writes for it. The [`Normalizer`](super::Normalizer) scores installed
//! programs' names against it.

use super::{Attribute, Cpe, Dictionary, Part};
use std::collections::{HashMap, HashSet};

/// At most this many distinct title wordings are kept per product (titles repeat a few
/// patterns: `Adobe Flash Player #` 245 times).
const MAX_TITLES: usize = 12;
/// At most this many versions are kept per product (enough to tell its version convention).
const MAX_VERSIONS: usize = 4096;

/// One vendor's product, as NVD names it.
#[allow(clippy::struct_field_names)] // `product` is the CPE attribute's name
#[derive(Debug, Clone, Default)]
pub(crate) struct Product {
    /// The CPE vendor (WFN literal text unquoted: `notepad-plus-plus`).
    pub vendor: Box<str>,
    /// The CPE product (`notepad++`, `.net_framework`).
    pub product: Box<str>,
    /// The product's words (`flash_player` → `flash`, `player`).
    pub words: Vec<Box<str>>,
    /// The vendor's words.
    pub vendor_words: Vec<Box<str>>,
    /// Distinct title wordings, version-like words dropped (`Adobe Acrobat Reader X (#)` →
    /// `adobe acrobat reader x`).
    pub titles: Vec<Vec<Box<str>>>,
    /// Versions NVD writes for it (the version attribute of its names), lower case.
    pub versions: HashSet<Box<str>>,
    /// Updates NVD writes for it (`update_31`, `update131`, `sp1`), lower case.
    pub updates: HashSet<Box<str>>,
    /// How many names carry it (dictionary items and configuration criteria).
    pub names: u32,
    /// Words its titles put before its own words (the vendor as titles spell it).
    pub lead_words: HashSet<Box<str>>,
}

/// One product of a vocabulary as a snapshot stores it ([`Vocabulary::product_rows`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct ProductRow {
    vendor: String,
    product: String,
    names: u32,
    versions: Vec<String>,
    updates: Vec<String>,
}

/// NVD's application names, indexed for the normaliser.
///
/// ```
/// use exposure::cpe::{Cpe, Vocabulary};
/// let mut vocabulary = Vocabulary::new();
/// vocabulary.add(&"cpe:2.3:a:adobe:flash_player:11.1.102.62:*:*:*:*:*:*:*".parse::<Cpe>()?, Some("Adobe Flash Player 11.1.102.62"));
/// vocabulary.add(&"cpe:2.3:o:microsoft:windows_xp:-:sp3:*:*:*:*:*:*".parse::<Cpe>()?, None);
/// assert!(vocabulary.has_product("adobe", "flash_player"));
/// assert!(!vocabulary.has_vendor("microsoft"), "operating systems are not applications");
/// assert_eq!(vocabulary.len(), 1);
/// # Ok::<(), exposure::cpe::CpeError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    products: Vec<Product>,
    index: HashMap<(Box<str>, Box<str>), usize>,
    by_vendor: HashMap<Box<str>, Vec<usize>>,
    by_word: HashMap<Box<str>, Vec<usize>>,
    vendors_by_word: HashMap<Box<str>, Vec<Box<str>>>,
    /// Words dictionary titles put before a vendor's product names (`apache software
    /// foundation` for `apache`), with how many of its products' titles do.
    vendor_title_words: HashMap<Box<str>, HashMap<Box<str>, u32>>,
    vendors_by_title_word: HashMap<Box<str>, Vec<Box<str>>>,
}

/// Lower-case words of a name: letters, digits and `+ # . -` kept, anything else a separator,
/// dots and hyphens trimmed from word ends (`.NET` → `net`, `visual_c++` → `visual`, `c++`).
///
/// ```
/// use exposure::cpe::name_words;
/// assert_eq!(name_words("Microsoft .NET Framework 4 (x64)"), ["microsoft", "net", "framework", "4", "x64"]);
/// assert_eq!(name_words("notepad++"), ["notepad++"]);
/// ```
pub fn name_words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '+' | '#' | '.' | '-') {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .map(|w| w.trim_matches(['.', '-']).to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

/// A digit first and a dot, or only digits, or a `v` and a digit: a version, not a name word.
pub(crate) fn is_version_word(word: &str) -> bool {
    let digits = word.strip_prefix('v').unwrap_or(word);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && (digits.contains('.') || digits.chars().all(|c| c.is_ascii_digit()))
}

fn boxed(words: Vec<String>) -> Vec<Box<str>> {
    words.into_iter().map(Box::from).collect()
}

impl Vocabulary {
    /// An empty vocabulary.
    pub fn new() -> Self {
        Self::default()
    }

    /// The vocabulary of a CPE dictionary: its application names with their titles.
    ///
    /// ```
    /// let xml = r#"<cpe-list><cpe-item name="cpe:/a:adobe:acrobat_reader:10.1.2"><title xml:lang="en-US">Adobe Acrobat Reader X (10.1.2)</title></cpe-item></cpe-list>"#;
    /// let dictionary = exposure::cpe::Dictionary::from_xml(xml.as_bytes())?;
    /// let vocabulary = exposure::cpe::Vocabulary::from_dictionary(&dictionary);
    /// assert!(vocabulary.has_product("adobe", "acrobat_reader"));
    /// # Ok::<(), exposure::cpe::DictionaryError>(())
    /// ```
    pub fn from_dictionary(dictionary: &Dictionary) -> Self {
        let mut vocabulary = Self::new();
        for item in dictionary.items() {
            vocabulary.add(&item.name, item.title.as_deref());
        }
        vocabulary
    }

    /// Adds an application name (other parts are ignored) and, for a dictionary entry, its
    /// title.
    pub fn add(&mut self, name: &Cpe, title: Option<&str>) {
        if name.part() != Some(Part::Application) {
            return;
        }
        let (Some(vendor), Some(product)) = (
            name.get(Attribute::Vendor).literal(),
            name.get(Attribute::Product).literal(),
        ) else {
            return;
        };
        if vendor.is_empty() || product.is_empty() {
            return;
        }
        let at = self.entry(&vendor, &product);
        let entry = &mut self.products[at];
        entry.names = entry.names.saturating_add(1);
        if let Some(version) = name.get(Attribute::Version).literal() {
            if !version.is_empty() && entry.versions.len() < MAX_VERSIONS {
                entry.versions.insert(version.into());
            }
        }
        if let Some(update) = name.get(Attribute::Update).literal() {
            if !update.is_empty() && entry.updates.len() < MAX_VERSIONS {
                entry.updates.insert(update.into());
            }
        }
        if let Some(title) = title {
            let words: Vec<Box<str>> = boxed(
                name_words(title)
                    .into_iter()
                    .filter(|w| !is_version_word(w))
                    .collect(),
            );
            self.add_title(at, words);
        }
    }

    /// Adds a title's words (version words dropped) to a product: indexed, and the words
    /// before the product's own words counted as the vendor's title words.
    fn add_title(&mut self, at: usize, words: Vec<Box<str>>) {
        let entry = &self.products[at];
        if words.is_empty() || entry.titles.len() >= MAX_TITLES || entry.titles.contains(&words) {
            return;
        }
        if let Some(first) = words.iter().position(|w| entry.words.contains(w)) {
            let lead: Vec<Box<str>> = words[..first]
                .iter()
                .filter(|w| !entry.lead_words.contains(*w))
                .cloned()
                .collect();
            let vendor = entry.vendor.clone();
            for word in lead {
                self.products[at].lead_words.insert(word.clone());
                let counts = self.vendor_title_words.entry(vendor.clone()).or_default();
                let count = counts.entry(word.clone()).or_default();
                if *count == 0 {
                    self.vendors_by_title_word
                        .entry(word)
                        .or_default()
                        .push(vendor.clone());
                }
                *count += 1;
            }
        }
        for word in &words {
            let list = self.by_word.entry(word.clone()).or_default();
            if !list.contains(&at) {
                list.push(at);
            }
        }
        self.products[at].titles.push(words);
    }

    /// Adds every name of another vocabulary.
    pub fn merge(&mut self, other: &Vocabulary) {
        for theirs in &other.products {
            let at = self.entry(&theirs.vendor, &theirs.product);
            let ours = &mut self.products[at];
            ours.names = ours.names.saturating_add(theirs.names);
            for v in &theirs.versions {
                if ours.versions.len() < MAX_VERSIONS {
                    ours.versions.insert(v.clone());
                }
            }
            for u in &theirs.updates {
                if ours.updates.len() < MAX_VERSIONS {
                    ours.updates.insert(u.clone());
                }
            }
            for title in &theirs.titles {
                self.add_title(at, title.clone());
            }
        }
    }

    /// The products as rows, in order, with their counts, versions and updates (sorted):
    /// what a knowledge base's snapshot stores, so that opening it needs no statement
    /// decoded to name programs. Titles are not kept (a knowledge base's names have none).
    pub(crate) fn product_rows(&self) -> Vec<ProductRow> {
        let sorted = |set: &HashSet<Box<str>>| {
            let mut v: Vec<String> = set.iter().map(ToString::to_string).collect();
            v.sort_unstable();
            v
        };
        self.products
            .iter()
            .map(|p| ProductRow {
                vendor: p.vendor.to_string(),
                product: p.product.to_string(),
                names: p.names,
                versions: sorted(&p.versions),
                updates: sorted(&p.updates),
            })
            .collect()
    }

    /// The vocabulary of [`Vocabulary::product_rows`] again: the same products, in the same
    /// order, indexed the same way.
    pub(crate) fn from_product_rows(rows: Vec<ProductRow>) -> Self {
        let mut vocabulary = Vocabulary::new();
        for row in rows {
            let at = vocabulary.entry(&row.vendor, &row.product);
            let entry = &mut vocabulary.products[at];
            entry.names = entry.names.saturating_add(row.names);
            entry
                .versions
                .extend(row.versions.into_iter().map(String::into_boxed_str));
            entry
                .updates
                .extend(row.updates.into_iter().map(String::into_boxed_str));
        }
        vocabulary
    }

    fn entry(&mut self, vendor: &str, product: &str) -> usize {
        if let Some(&at) = self.index.get(&(vendor.into(), product.into())) {
            return at;
        }
        let at = self.products.len();
        let words = boxed(name_words(&product.replace('_', " ")));
        let vendor_words = boxed(name_words(&vendor.replace('_', " ")));
        for word in &words {
            self.by_word.entry(word.clone()).or_default().push(at);
        }
        let vendors = self.by_vendor.entry(vendor.into()).or_default();
        if vendors.is_empty() {
            for word in &vendor_words {
                self.vendors_by_word
                    .entry(word.clone())
                    .or_default()
                    .push(vendor.into());
            }
        }
        vendors.push(at);
        self.index.insert((vendor.into(), product.into()), at);
        self.products.push(Product {
            vendor: vendor.into(),
            product: product.into(),
            words,
            vendor_words,
            ..Product::default()
        });
        at
    }

    /// Number of vendor:product pairs.
    pub fn len(&self) -> usize {
        self.products.len()
    }

    /// Whether it holds no name.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// Whether NVD names applications of this vendor (literal text: `notepad-plus-plus`).
    pub fn has_vendor(&self, vendor: &str) -> bool {
        self.by_vendor.contains_key(vendor)
    }

    /// Whether NVD names this vendor's product (literal text).
    pub fn has_product(&self, vendor: &str, product: &str) -> bool {
        self.index.contains_key(&(vendor.into(), product.into()))
    }

    /// Whether NVD writes this version for the product.
    pub fn has_version(&self, vendor: &str, product: &str, version: &str) -> bool {
        self.get(vendor, product)
            .is_some_and(|p| p.versions.contains(version))
    }

    pub(crate) fn get(&self, vendor: &str, product: &str) -> Option<&Product> {
        self.index
            .get(&(vendor.into(), product.into()))
            .map(|&i| &self.products[i])
    }

    pub(crate) fn products_of(&self, vendor: &str) -> impl Iterator<Item = &Product> {
        self.by_vendor
            .get(vendor)
            .into_iter()
            .flatten()
            .map(|&i| &self.products[i])
    }

    /// Products whose name or titles hold the word.
    pub(crate) fn with_word(&self, word: &str) -> impl Iterator<Item = &Product> {
        self.by_word
            .get(word)
            .into_iter()
            .flatten()
            .map(|&i| &self.products[i])
    }

    /// How many products hold the word (in their name or titles).
    pub(crate) fn word_frequency(&self, word: &str) -> usize {
        self.by_word.get(word).map_or(0, Vec::len)
    }

    /// Vendors with this word in their name (`git` → `git-scm`, `git_for_windows_project`).
    pub(crate) fn vendors_with_word(&self, word: &str) -> &[Box<str>] {
        self.vendors_by_word.get(word).map_or(&[], Vec::as_slice)
    }

    /// Whether the vendor's titles spell it with this word (`foundation` for `apache`).
    pub(crate) fn is_vendor_title_word(&self, vendor: &str, word: &str) -> bool {
        self.vendor_title_words
            .get(vendor)
            .is_some_and(|words| words.contains_key(word))
    }

    /// Vendors whose titles spell them with every one of these words (a publisher name:
    /// `apache software foundation` → `apache`).
    pub(crate) fn vendors_titled(&self, words: &[String]) -> Vec<&str> {
        let mut lists: Vec<&Vec<Box<str>>> = Vec::with_capacity(words.len());
        for word in words {
            match self.vendors_by_title_word.get(word.as_str()) {
                Some(list) => lists.push(list),
                None => return Vec::new(),
            }
        }
        lists.sort_by_key(|l| l.len());
        let Some((first, rest)) = lists.split_first() else {
            return Vec::new();
        };
        first
            .iter()
            .filter(|v| rest.iter().all(|l| l.contains(v)))
            .map(|v| &**v)
            .collect()
    }

    /// How telling a word is: `ln(1 + products / frequency)`; a word no product holds counts
    /// as held by half a product, so it tells most.
    pub(crate) fn weight(&self, word: &str) -> f64 {
        let count = |n: usize| f64::from(u32::try_from(n).unwrap_or(u32::MAX));
        let n = count(self.products.len().max(1));
        let df = match self.word_frequency(word) {
            0 => 0.5,
            df => count(df),
        };
        (1.0 + n / df).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_versions() {
        assert_eq!(
            name_words("Java(TM) 6 Update 31"),
            ["java", "tm", "6", "update", "31"]
        );
        assert_eq!(name_words("K-Lite Codec Pack"), ["k-lite", "codec", "pack"]);
        assert!(is_version_word("10.0.2") && is_version_word("2010") && is_version_word("v4.20a"));
        assert!(!is_version_word("x64") && !is_version_word("7-zip"));
    }

    #[test]
    fn merged_vocabularies_keep_titles_versions_and_counts() {
        let cpe = |s: &str| s.parse::<Cpe>().unwrap();
        let mut a = Vocabulary::new();
        a.add(
            &cpe("cpe:/a:opera:opera_browser:11.52"),
            Some("Opera Browser 11.52"),
        );
        let mut b = Vocabulary::new();
        b.add(&cpe("cpe:/a:opera:opera_browser:12.0"), None);
        b.add(&cpe("cpe:/a:7-zip:7-zip:9.20"), None);
        a.merge(&b);
        assert_eq!(a.len(), 2);
        let opera = a.get("opera", "opera_browser").unwrap();
        assert_eq!(opera.names, 2);
        assert!(a.has_version("opera", "opera_browser", "12.0"));
        assert_eq!(
            opera.titles,
            [vec![Box::from("opera"), Box::from("browser")]]
        );
        assert_eq!(a.vendors_with_word("7-zip"), [Box::from("7-zip")]);
        assert!(a.weight("unknown-word") > a.weight("opera"));
    }
}
