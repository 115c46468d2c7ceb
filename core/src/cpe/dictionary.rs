//! The NVD CPE dictionary (the official `cpe-list` XML, CPE 2.3 extension): every name with
//! its title, indexed by vendor and product, with deprecations followed to their successors.

use super::{Attribute, Cpe, CpeError};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::BufRead;

/// One dictionary entry.
#[derive(Debug, Clone)]
pub struct Item {
    /// The name (from `cpe-23:cpe23-item`, or the 2.2 `cpe-item` name when that is absent).
    pub name: Cpe,
    /// The English title, when there is one (`Mozilla Firefox 3.6`).
    pub title: Option<String>,
    /// Whether the name is deprecated.
    pub deprecated: bool,
    /// The names that replace it (`deprecated-by`), as the dictionary lists them.
    pub deprecated_by: Vec<Cpe>,
}

/// Why a dictionary could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DictionaryError {
    /// The XML is malformed.
    #[error("XML error at byte {offset}: {message}")]
    Xml {
        /// Byte offset in the document.
        offset: u64,
        /// The parser's message.
        message: String,
    },
    /// A name in the dictionary is not a CPE name.
    #[error("cpe-item {index} (byte {offset}): {source}")]
    Name {
        /// Index of the item in the document.
        index: usize,
        /// Byte offset in the document.
        offset: u64,
        /// The parse error.
        source: CpeError,
    },
    /// The document holds no `cpe-item`.
    #[error("no cpe-item in the document: not a CPE dictionary")]
    Empty,
    /// The file could not be read or decompressed.
    #[error("cannot read {path}: {source}")]
    Input {
        /// The file.
        path: std::path::PathBuf,
        /// What failed.
        source: crate::files::InputError,
    },
    /// The file's content is not a dictionary.
    #[error("{path}: {source}")]
    InFile {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong with its content.
        source: Box<DictionaryError>,
    },
}

/// The dictionary, indexed.
///
/// ```
/// use exposure::cpe::{Cpe, Dictionary};
/// let xml = r#"<cpe-list xmlns:cpe-23="http://scap.nist.gov/schema/cpe-extension/2.3">
///   <cpe-item name="cpe:/a:acmailer:acmailer:3.8" deprecated="true">
///     <title xml:lang="en-US">acmailer 3.8</title>
///     <cpe-23:cpe23-item name="cpe:2.3:a:acmailer:acmailer:3.8:*:*:*:*:*:*:*">
///       <cpe-23:deprecation date="2015-07-23T10:21:25.543-04:00">
///         <cpe-23:deprecated-by name="cpe:2.3:a:seeds:acmailer:3.8.0:*:*:*:*:*:*:*" type="NAME_CORRECTION"/>
///       </cpe-23:deprecation>
///     </cpe-23:cpe23-item>
///   </cpe-item>
///   <cpe-item name="cpe:/a:seeds:acmailer:3.8.0">
///     <title xml:lang="en-US">Seeds acmailer 3.8.0</title>
///     <cpe-23:cpe23-item name="cpe:2.3:a:seeds:acmailer:3.8.0:*:*:*:*:*:*:*"/>
///   </cpe-item>
/// </cpe-list>"#;
/// let dictionary = Dictionary::from_xml(xml.as_bytes())?;
/// assert_eq!(dictionary.len(), 2);
/// assert!(dictionary.has_product("seeds", "acmailer"));
/// let old: Cpe = "cpe:/a:acmailer:acmailer:3.8".parse().unwrap();
/// assert_eq!(dictionary.current(&old)[0].to_fs(), "cpe:2.3:a:seeds:acmailer:3.8.0:*:*:*:*:*:*:*");
/// # Ok::<(), exposure::cpe::DictionaryError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    items: Vec<Item>,
    by_name: HashMap<Cpe, usize>,
    by_product: HashMap<(Box<str>, Box<str>), Vec<usize>>,
    products_of_vendor: HashMap<Box<str>, Vec<Box<str>>>,
    vocabulary: std::sync::OnceLock<super::Vocabulary>,
}

/// An entry being read.
#[derive(Default)]
struct Partial {
    uri: Option<String>,
    title: Option<String>,
    fs: Option<String>,
    deprecated: bool,
    successors: Vec<String>,
}

fn xml_error(offset: u64, e: impl std::fmt::Display) -> DictionaryError {
    DictionaryError::Xml {
        offset,
        message: e.to_string(),
    }
}

fn attribute(
    element: &BytesStart<'_>,
    name: &str,
    offset: u64,
) -> Result<Option<String>, DictionaryError> {
    match element
        .try_get_attribute(name)
        .map_err(|e| xml_error(offset, e))?
    {
        Some(a) => Ok(Some(
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| xml_error(offset, e))?
                .into_owned(),
        )),
        None => Ok(None),
    }
}

impl Dictionary {
    /// Reads NVD's dictionary XML from a file, gzipped or not.
    ///
    /// ```
    /// let e = exposure::cpe::Dictionary::from_path("/nonexistent.xml".as_ref()).unwrap_err();
    /// assert!(e.to_string().starts_with("cannot read /nonexistent.xml"));
    /// ```
    pub fn from_path(path: &std::path::Path) -> Result<Self, DictionaryError> {
        let reader = crate::files::open(path).map_err(|source| DictionaryError::Input {
            path: path.to_owned(),
            source,
        })?;
        Self::from_xml(reader).map_err(|e| DictionaryError::InFile {
            path: path.to_owned(),
            source: Box::new(e),
        })
    }

    /// Reads a dictionary document (the official XML, uncompressed; give a gzip decoder for
    /// the `.xml.gz` NVD distributes).
    pub fn from_xml(reader: impl BufRead) -> Result<Self, DictionaryError> {
        let mut xml = quick_xml::Reader::from_reader(reader);
        let mut buf = Vec::new();
        let mut dictionary = Dictionary::default();
        // The item being read: its 2.2 name, title, 2.3 name and successors.
        let mut current: Option<Partial> = None;
        let mut in_title = false;
        // The title's text so far (text, CDATA and references arrive as separate events).
        let mut title = String::new();
        loop {
            let offset = xml.buffer_position();
            let event = xml
                .read_event_into(&mut buf)
                .map_err(|e| xml_error(offset, e))?;
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    match e.local_name().as_ref() {
                        b"cpe-item" => {
                            let deprecated =
                                attribute(e, "deprecated", offset)?.as_deref() == Some("true");
                            current = Some(Partial {
                                uri: attribute(e, "name", offset)?,
                                deprecated,
                                ..Partial::default()
                            });
                        }
                        b"title" if !empty => {
                            let lang = attribute(e, "xml:lang", offset)?;
                            title.clear();
                            in_title = current.as_ref().is_some_and(|c| c.title.is_none())
                                && lang
                                    .as_deref()
                                    .is_none_or(|l| l.eq_ignore_ascii_case("en-US"));
                        }
                        b"cpe23-item" => {
                            if let Some(item) = current.as_mut() {
                                item.fs = attribute(e, "name", offset)?;
                            }
                        }
                        b"deprecated-by" => {
                            if let (Some(item), Some(name)) =
                                (current.as_mut(), attribute(e, "name", offset)?)
                            {
                                item.successors.push(name);
                            }
                        }
                        _ => {}
                    }
                }
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) if in_title => {
                    crate::xml::push_text(&event, &mut title).map_err(|e| xml_error(offset, e))?;
                }
                Event::End(ref e) => match e.local_name().as_ref() {
                    b"title" => {
                        if in_title {
                            if let Some(item) = current.as_mut() {
                                item.title = Some(std::mem::take(&mut title).trim().to_owned());
                            }
                        }
                        in_title = false;
                    }
                    b"cpe-item" => {
                        if let Some(Partial {
                            uri,
                            title,
                            fs,
                            deprecated,
                            successors,
                        }) = current.take()
                        {
                            let index = dictionary.items.len();
                            let parse = |text: &str| {
                                Cpe::parse(text).map_err(|source| DictionaryError::Name {
                                    index,
                                    offset,
                                    source,
                                })
                            };
                            let Some(text) = fs.or(uri) else {
                                return Err(xml_error(offset, "cpe-item without a name"));
                            };
                            let name = parse(&text)?;
                            let deprecated_by = successors
                                .iter()
                                .map(|s| parse(s))
                                .collect::<Result<_, _>>()?;
                            dictionary.insert(Item {
                                name,
                                title,
                                deprecated,
                                deprecated_by,
                            });
                        }
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        if dictionary.items.is_empty() {
            return Err(DictionaryError::Empty);
        }
        Ok(dictionary)
    }

    fn insert(&mut self, item: Item) {
        let index = self.items.len();
        let text = |a: Attribute| item.name.get(a).as_wfn().map(Box::<str>::from);
        if let (Some(vendor), Some(product)) = (text(Attribute::Vendor), text(Attribute::Product)) {
            let entry = self
                .by_product
                .entry((vendor.clone(), product.clone()))
                .or_default();
            if entry.is_empty() {
                self.products_of_vendor
                    .entry(vendor)
                    .or_default()
                    .push(product);
            }
            entry.push(index);
        }
        self.by_name.insert(item.name.clone(), index);
        self.items.push(item);
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the dictionary is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every entry, in document order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The entry of a name, when the dictionary has it.
    pub fn get(&self, name: &Cpe) -> Option<&Item> {
        self.by_name.get(name).map(|&i| &self.items[i])
    }

    /// Whether the dictionary names products of this vendor (WFN form, `mozilla`).
    pub fn has_vendor(&self, vendor: &str) -> bool {
        self.products_of_vendor.contains_key(vendor)
    }

    /// Whether the dictionary names this vendor's product (WFN form).
    pub fn has_product(&self, vendor: &str, product: &str) -> bool {
        self.by_product
            .contains_key(&(vendor.into(), product.into()))
    }

    /// The products of a vendor (WFN form).
    pub fn products(&self, vendor: &str) -> impl Iterator<Item = &str> {
        self.products_of_vendor
            .get(vendor)
            .into_iter()
            .flatten()
            .map(|p| &**p)
    }

    /// The entries of a vendor's product.
    pub fn items_of(&self, vendor: &str, product: &str) -> impl Iterator<Item = &Item> {
        self.by_product
            .get(&(vendor.into(), product.into()))
            .into_iter()
            .flatten()
            .map(|&i| &self.items[i])
    }

    /// Its application names and titles as a [`Vocabulary`](super::Vocabulary), built on
    /// first use and kept.
    ///
    /// ```
    /// let xml = r#"<cpe-list><cpe-item name="cpe:/a:mozilla:firefox:3.6"><title xml:lang="en-US">Mozilla Firefox 3.6</title></cpe-item></cpe-list>"#;
    /// let dictionary = exposure::cpe::Dictionary::from_xml(xml.as_bytes())?;
    /// assert!(dictionary.vocabulary().has_product("mozilla", "firefox"));
    /// # Ok::<(), exposure::cpe::DictionaryError>(())
    /// ```
    pub fn vocabulary(&self) -> &super::Vocabulary {
        self.vocabulary
            .get_or_init(|| super::Vocabulary::from_dictionary(self))
    }

    /// Number of distinct vendors.
    pub fn vendor_count(&self) -> usize {
        self.products_of_vendor.len()
    }

    /// The current names for `name`: itself when it is not deprecated (or unknown), else its
    /// successors, followed through further deprecations (cycles are cut).
    pub fn current(&self, name: &Cpe) -> Vec<Cpe> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![name.clone()];
        while let Some(next) = stack.pop() {
            if !seen.insert(next.clone()) {
                continue;
            }
            match self.get(&next) {
                Some(item) if item.deprecated && !item.deprecated_by.is_empty() => {
                    stack.extend(item.deprecated_by.iter().rev().cloned());
                }
                _ => out.push(next),
            }
        }
        out
    }
}
