//! NVD applicability statements: which sets of CPE names a CVE applies to, read from a CVE's
//! `configurations` in NVD JSON 1.1 (`nodes[].cpe_match`, `children`) or NVD API 2.0
//! (`configurations[].nodes[].cpeMatch`), and evaluated against the CPE names of a device.
//!
//! A configuration is true for a device when its tree of AND/OR nodes (with `negate`) is;
//! a criterion is true when one of the device's names matches it: the criterion's name is a
//! superset of the device's (NISTIR 7696), and when it carries version bounds
//! (`versionStartIncluding` … `versionEndExcluding`) the device's version lies within them,
//! compared in the product's scheme (OpenSSL's letter releases for `openssl:openssl`, vendor
//! versions otherwise). A CVE applies when a true configuration holds at least one matched
//! criterion marked `vulnerable`; the others (`vulnerable: false`) are the platform it must
//! run on or with. Every match is returned as evidence.

use super::{Attribute, Cpe, CpeError, Value};
use crate::range::{NvdBounds, Range, RangeSyntaxError};
use crate::version::{Scheme, Version};
use serde_json::Value as Json;

/// How a node combines its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// Every part must hold.
    And,
    /// One part must hold.
    Or,
}

/// One `cpe_match` / `cpeMatch` entry.
#[derive(Debug, Clone)]
pub struct Criterion {
    /// Whether matching it makes a device vulnerable (else it names a platform).
    pub vulnerable: bool,
    /// The criterion's name as the feed wrote it.
    pub text: String,
    /// The name, parsed.
    pub cpe: Cpe,
    /// The version bounds, when there are any (boxed: most criteria have none).
    pub bounds: Option<Box<Bounds>>,
    /// NVD's `matchCriteriaId`, when given.
    pub id: Option<String>,
    /// The name with its version ANY, and the range the bounds make, when there are bounds.
    versioned: Option<(Cpe, Range)>,
}

impl Criterion {
    /// A criterion from its parts: whether it makes a device vulnerable, its name as written,
    /// its version bounds (`None` for no bound; `exact` unused) and NVD's id; `path` names it
    /// in an error. The one constructor, for statements read from NVD JSON and from
    /// snapshots alike.
    pub(crate) fn from_parts(
        vulnerable: bool,
        text: &str,
        bounds: NvdBounds<'_>,
        id: Option<String>,
        path: &str,
    ) -> Result<Self, ConfigurationError> {
        let cpe = Cpe::parse(text).map_err(|source| ConfigurationError::Name {
            path: path.to_owned(),
            source,
        })?;
        let has_bounds = bounds.start_including.is_some()
            || bounds.start_excluding.is_some()
            || bounds.end_including.is_some()
            || bounds.end_excluding.is_some();
        let (versioned, bounds_text) = if has_bounds {
            let range =
                bounds
                    .to_range(scheme_for(&cpe))
                    .map_err(|source| ConfigurationError::Bounds {
                        path: path.to_owned(),
                        source,
                    })?;
            let owned = |v: Option<&str>| v.map(str::to_owned);
            (
                Some((cpe.with(Attribute::Version, Value::Any), range)),
                Some(Box::new(Bounds {
                    start_including: owned(bounds.start_including),
                    start_excluding: owned(bounds.start_excluding),
                    end_including: owned(bounds.end_including),
                    end_excluding: owned(bounds.end_excluding),
                })),
            )
        } else {
            (None, None)
        };
        Ok(Criterion {
            vulnerable,
            text: text.to_owned(),
            cpe,
            bounds: bounds_text,
            id,
            versioned,
        })
    }

    /// The device name among `device` that satisfies this criterion, if any.
    pub fn matching<'d>(&self, device: &'d [Cpe]) -> Option<&'d Cpe> {
        device.iter().find(|name| self.matches(name))
    }

    /// Whether one device name satisfies this criterion.
    pub fn matches(&self, name: &Cpe) -> bool {
        match &self.versioned {
            None => self.cpe.matches(name),
            Some((unversioned, range)) => {
                unversioned.matches(name)
                    && name
                        .get(Attribute::Version)
                        .literal()
                        .and_then(|v| Version::parse(range.scheme(), &v).ok())
                        .is_some_and(|v| range.contains(&v))
            }
        }
    }
}

/// A criterion's version bounds, as NVD states them (`versionStartIncluding` …
/// `versionEndExcluding`); at least one is given.
///
/// ```
/// use exposure::cpe::Bounds;
/// let bounds = Bounds { start_including: Some("2.4.0".into()), end_excluding: Some("2.4.49".into()), ..Bounds::default() };
/// assert_eq!(bounds.to_string(), ">=2.4.0, <2.4.49");
/// assert_eq!(bounds.fix(), Some("2.4.49"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Bounds {
    /// `versionStartIncluding`.
    pub start_including: Option<String>,
    /// `versionStartExcluding`.
    pub start_excluding: Option<String>,
    /// `versionEndIncluding`.
    pub end_including: Option<String>,
    /// `versionEndExcluding`.
    pub end_excluding: Option<String>,
}

impl Bounds {
    /// The bounds with their NVD keys and comparison operators, in a fixed order.
    fn parts(&self) -> [(&'static str, &'static str, Option<&str>); 4] {
        [
            (
                "versionStartIncluding",
                ">=",
                self.start_including.as_deref(),
            ),
            (
                "versionStartExcluding",
                ">",
                self.start_excluding.as_deref(),
            ),
            ("versionEndIncluding", "<=", self.end_including.as_deref()),
            ("versionEndExcluding", "<", self.end_excluding.as_deref()),
        ]
    }

    /// The version that fixes what the bounds describe: the excluded upper end, when there
    /// is one.
    pub fn fix(&self) -> Option<&str> {
        self.end_excluding.as_deref().map(str::trim)
    }
}

impl std::fmt::Display for Bounds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for (_, op, value) in self.parts() {
            if let Some(v) = value {
                if !first {
                    f.write_str(", ")?;
                }
                write!(f, "{op}{v}")?;
                first = false;
            }
        }
        Ok(())
    }
}

/// How deep NVD JSON 1.1 nodes may nest through `children`: a top-level node is at depth 1.
/// NVD's feeds nest two levels (an AND of ORs); deeper statements are refused
/// ([`ConfigurationError::TooDeep`]), so that every walk over a statement (reading,
/// evaluating, writing it back, dropping it) stays within a few kilobytes of stack.
pub const MAX_NODE_DEPTH: usize = 8;

/// A node: criteria and child nodes combined by an operator, possibly negated.
#[derive(Debug, Clone)]
pub struct Node {
    /// How the parts combine.
    pub operator: Operator,
    /// Whether the result is inverted.
    pub negate: bool,
    /// The node's own criteria.
    pub criteria: Vec<Criterion>,
    /// Child nodes (NVD JSON 1.1). Statements read from JSON nest at most
    /// [`MAX_NODE_DEPTH`] levels.
    pub children: Vec<Node>,
}

/// One configuration: nodes combined by an operator (AND for "running on/with").
#[derive(Debug, Clone)]
pub struct Configuration {
    /// How the nodes combine.
    pub operator: Operator,
    /// Whether the result is inverted.
    pub negate: bool,
    /// The nodes.
    pub nodes: Vec<Node>,
}

/// A criterion a device satisfied, with the name that satisfied it.
#[derive(Debug, Clone, Copy)]
pub struct Matched<'a> {
    /// The criterion.
    pub criterion: &'a Criterion,
    /// The device's name.
    pub name: &'a Cpe,
}

/// A matched criterion as evidence: `{"criteria", "vulnerable", "bounds", "name"}` (the
/// criterion as NVD wrote it, whether it makes a device vulnerable, its version bounds or
/// null, and the device's name that satisfied it).
///
/// ```
/// use exposure::cpe::{Applicability, Cpe};
/// let statement = Applicability::from_nvd_json(&serde_json::json!([{ "nodes": [{ "operator": "OR",
///     "cpeMatch": [{ "vulnerable": true, "versionEndExcluding": "1.3.2",
///                    "criteria": "cpe:2.3:a:webmproject:libwebp:*:*:*:*:*:*:*:*" }] }] }]))?;
/// let device: Vec<Cpe> = vec!["cpe:2.3:a:webmproject:libwebp:1.3.1:*:*:*:*:*:*:*".parse().unwrap()];
/// let matched = statement.evaluate(&device).unwrap();
/// assert_eq!(serde_json::to_value(&matched[0]).unwrap()["bounds"], "<1.3.2");
/// # Ok::<(), exposure::cpe::ConfigurationError>(())
/// ```
impl serde::Serialize for Matched<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("criteria", &self.criterion.text)?;
        map.serialize_entry("vulnerable", &self.criterion.vulnerable)?;
        map.serialize_entry(
            "bounds",
            &self.criterion.bounds.as_ref().map(ToString::to_string),
        )?;
        map.serialize_entry("name", &self.name.to_fs())?;
        map.end()
    }
}

/// Why a configuration could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigurationError {
    /// The JSON does not have the shape of NVD configurations.
    #[error("{path}: {message}")]
    Shape {
        /// JSON path of the problem.
        path: String,
        /// What was expected.
        message: String,
    },
    /// A criterion's name is not a CPE name.
    #[error("{path}: {source}")]
    Name {
        /// JSON path of the criterion.
        path: String,
        /// The parse error.
        source: CpeError,
    },
    /// A criterion's version bounds cannot be read in the product's scheme.
    #[error("{path}: {source}")]
    Bounds {
        /// JSON path of the criterion.
        path: String,
        /// The parse error.
        source: RangeSyntaxError,
    },
    /// JSON 1.1 nodes nest through `children` deeper than [`MAX_NODE_DEPTH`] levels.
    #[error("{path}: children nest deeper than {limit} levels")]
    TooDeep {
        /// JSON path of the first node too deep.
        path: String,
        /// The deepest nesting read ([`MAX_NODE_DEPTH`]).
        limit: usize,
    },
    /// The text is not JSON.
    #[error("configurations are not JSON: {message}")]
    NotJson {
        /// The JSON parser's message, with line and column.
        message: String,
        /// The byte offset in the text of the line and column the message names, if any.
        offset: Option<usize>,
    },
}

/// A CVE's applicability statement: its configurations, any of which may apply.
///
/// ```
/// use exposure::cpe::{Applicability, Cpe};
/// // NVD API 2.0: libwebp before 1.3.2 (CVE-2023-4863).
/// let configurations = serde_json::json!([{ "nodes": [{ "operator": "OR", "negate": false,
///     "cpeMatch": [{ "vulnerable": true, "versionEndExcluding": "1.3.2",
///                    "criteria": "cpe:2.3:a:webmproject:libwebp:*:*:*:*:*:*:*:*" }] }] }]);
/// let statement = Applicability::from_nvd_json(&configurations)?;
/// let device: Vec<Cpe> = vec!["cpe:2.3:a:webmproject:libwebp:1.3.1:*:*:*:*:*:*:*".parse().unwrap()];
/// let matched = statement.evaluate(&device).expect("vulnerable");
/// assert_eq!(matched[0].criterion.bounds.as_ref().unwrap().to_string(), "<1.3.2");
/// let patched: Vec<Cpe> = vec!["cpe:/a:webmproject:libwebp:1.3.2".parse().unwrap()];
/// assert!(statement.evaluate(&patched).is_none());
/// # Ok::<(), exposure::cpe::ConfigurationError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Applicability {
    /// The configurations; the CVE applies when one of them does.
    pub configurations: Vec<Configuration>,
}

impl Applicability {
    /// Reads the `configurations` of an NVD CVE from JSON text (see
    /// [`Applicability::from_nvd_json`]).
    ///
    /// ```
    /// use exposure::cpe::{Applicability, ConfigurationError};
    /// let err = Applicability::from_nvd_json_text("[{").unwrap_err();
    /// assert!(matches!(err, ConfigurationError::NotJson { .. }));
    /// assert!(Applicability::from_nvd_json_text(r#"{"nodes": []}"#)?.configurations.is_empty());
    /// # Ok::<(), ConfigurationError>(())
    /// ```
    pub fn from_nvd_json_text(text: &str) -> Result<Self, ConfigurationError> {
        let value: Json = serde_json::from_str(text).map_err(|e| ConfigurationError::NotJson {
            message: e.to_string(),
            offset: crate::json_error_offset(text, &e),
        })?;
        Self::from_nvd_json(&value)
    }

    /// Reads the `configurations` value of an NVD CVE: an object with `nodes` (JSON 1.1)
    /// or an array of configurations (API 2.0).
    pub fn from_nvd_json(configurations: &Json) -> Result<Self, ConfigurationError> {
        match configurations {
            Json::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(configuration_v2(item, &format!("configurations[{i}]"))?);
                }
                Ok(Applicability {
                    configurations: out,
                })
            }
            Json::Object(map) => {
                let nodes = map.get("nodes").and_then(Json::as_array).ok_or_else(|| {
                    shape(
                        "configurations",
                        "expected an object with nodes (NVD JSON 1.1) or an array (API 2.0)",
                    )
                })?;
                let mut out = Vec::with_capacity(nodes.len());
                for (i, node) in nodes.iter().enumerate() {
                    out.push(Configuration {
                        operator: Operator::Or,
                        negate: false,
                        nodes: vec![node_v1(node, &format!("configurations.nodes[{i}]"), 1)?],
                    });
                }
                Ok(Applicability {
                    configurations: out,
                })
            }
            _ => Err(shape("configurations", "expected an object or an array")),
        }
    }

    /// The statement as NVD JSON that [`Applicability::from_nvd_json`] reads back to an equal
    /// statement: the JSON 1.1 shape (`{"nodes": [...]}` with `cpe_match` and `children`)
    /// when every configuration is a single plain node, as 1.1 feeds make them, else the API
    /// 2.0 array.
    ///
    /// ```
    /// use exposure::cpe::Applicability;
    /// let json = serde_json::json!([{ "operator": "AND", "nodes": [
    ///     { "operator": "OR", "cpeMatch": [{ "vulnerable": true, "versionEndExcluding": "1.3.2",
    ///       "criteria": "cpe:2.3:a:webmproject:libwebp:*:*:*:*:*:*:*:*" }] },
    ///     { "operator": "OR", "cpeMatch": [{ "vulnerable": false,
    ///       "criteria": "cpe:2.3:o:debian:debian_linux:12.0:*:*:*:*:*:*:*" }] }] }]);
    /// let statement = Applicability::from_nvd_json(&json)?;
    /// let again = Applicability::from_nvd_json(&statement.to_nvd_json())?;
    /// assert_eq!(again.to_nvd_json(), statement.to_nvd_json());
    /// # Ok::<(), exposure::cpe::ConfigurationError>(())
    /// ```
    pub fn to_nvd_json(&self) -> Json {
        fn op(o: Operator) -> &'static str {
            match o {
                Operator::And => "AND",
                Operator::Or => "OR",
            }
        }
        fn criterion(c: &Criterion, name_key: &str) -> Json {
            let mut m = serde_json::Map::new();
            m.insert("vulnerable".into(), Json::Bool(c.vulnerable));
            m.insert(name_key.into(), Json::String(c.text.clone()));
            for (key, _, value) in c.bounds.iter().flat_map(|b| b.parts()) {
                if let Some(value) = value {
                    m.insert(key.into(), Json::String(value.to_owned()));
                }
            }
            if let Some(id) = &c.id {
                m.insert("matchCriteriaId".into(), Json::String(id.clone()));
            }
            Json::Object(m)
        }
        fn node_v1(n: &Node) -> Json {
            serde_json::json!({
                "operator": op(n.operator),
                "negate": n.negate,
                "cpe_match": n.criteria.iter().map(|c| criterion(c, "cpe23Uri")).collect::<Vec<_>>(),
                "children": n.children.iter().map(node_v1).collect::<Vec<_>>(),
            })
        }
        let v1_shaped = self
            .configurations
            .iter()
            .all(|c| c.operator == Operator::Or && !c.negate && c.nodes.len() == 1);
        if v1_shaped {
            let nodes: Vec<Json> = self
                .configurations
                .iter()
                .map(|c| node_v1(&c.nodes[0]))
                .collect();
            return serde_json::json!({ "nodes": nodes });
        }
        Json::Array(
            self.configurations
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "operator": op(c.operator),
                        "negate": c.negate,
                        "nodes": c.nodes.iter().map(|n| serde_json::json!({
                            "operator": op(n.operator),
                            "negate": n.negate,
                            "cpeMatch": n.criteria.iter().map(|c| criterion(c, "criteria")).collect::<Vec<_>>(),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        )
    }

    /// Whether some criterion names a platform (`vulnerable: false`): whether the statement
    /// can be gated on one.
    pub fn has_platform_criteria(&self) -> bool {
        fn in_node(node: &Node) -> bool {
            node.criteria.iter().any(|c| !c.vulnerable) || node.children.iter().any(in_node)
        }
        self.configurations
            .iter()
            .any(|c| c.nodes.iter().any(in_node))
    }

    /// Every criterion, for indexing by vendor and product.
    pub fn criteria(&self) -> impl Iterator<Item = &Criterion> {
        fn walk<'a>(node: &'a Node, out: &mut Vec<&'a Criterion>) {
            out.extend(&node.criteria);
            for child in &node.children {
                walk(child, out);
            }
        }
        let mut out = Vec::new();
        for configuration in &self.configurations {
            for node in &configuration.nodes {
                walk(node, &mut out);
            }
        }
        out.into_iter()
    }

    /// The criteria a device satisfied in the configurations that apply to it, when one of
    /// them applies with a vulnerable criterion; `None` when the CVE does not apply.
    pub fn evaluate<'a>(&'a self, device: &'a [Cpe]) -> Option<Vec<Matched<'a>>> {
        self.evaluate_with(device, false)
            .map(|(matched, _)| matched)
    }

    /// [`Applicability::evaluate`] with every platform criterion (`vulnerable: false`) that
    /// no name of `device` satisfies taken to hold: what applies *if* the device runs on or
    /// with the platform. Returns the criteria matched and the platform criteria taken to
    /// hold (empty when the statement applies without them), in the configurations that then
    /// apply; `None` when the statement would not apply even so. Inside a negated node
    /// nothing is taken to hold.
    ///
    /// ```
    /// use exposure::cpe::{Applicability, Cpe};
    /// // Hyper-V's guest driver, only when running on Windows.
    /// let statement = Applicability::from_nvd_json(&serde_json::json!([{ "operator": "AND", "nodes": [
    ///     { "operator": "OR", "cpeMatch": [{ "vulnerable": true, "versionEndExcluding": "2.0",
    ///       "criteria": "cpe:2.3:a:example:driver:*:*:*:*:*:*:*:*" }] },
    ///     { "operator": "OR", "cpeMatch": [{ "vulnerable": false,
    ///       "criteria": "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*" }] }] }]))?;
    /// let device: Vec<Cpe> = vec!["cpe:2.3:a:example:driver:1.0:*:*:*:*:*:*:*".parse().unwrap()];
    /// assert!(statement.evaluate(&device).is_none());
    /// let (matched, assumed) = statement.evaluate_assuming_platforms(&device).unwrap();
    /// assert_eq!(matched.len(), 1);
    /// assert_eq!(assumed[0].text, "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*");
    /// # Ok::<(), exposure::cpe::ConfigurationError>(())
    /// ```
    pub fn evaluate_assuming_platforms<'a>(
        &'a self,
        device: &'a [Cpe],
    ) -> Option<(Vec<Matched<'a>>, Vec<&'a Criterion>)> {
        self.evaluate_with(device, true)
    }

    fn evaluate_with<'a>(
        &'a self,
        device: &'a [Cpe],
        assume_platforms: bool,
    ) -> Option<(Vec<Matched<'a>>, Vec<&'a Criterion>)> {
        let mut evidence = Vec::new();
        let mut assumed = Vec::new();
        for applying in self.configurations_applying(device, assume_platforms) {
            evidence.extend(applying.matched);
            assumed.extend(applying.assumed);
        }
        (!evidence.is_empty()).then_some((evidence, assumed))
    }

    /// Each configuration that applies to `device` (holds, with a vulnerable criterion
    /// matched), in order, with what it matched and, when `assume_platforms`, the platform
    /// criteria it took to hold (see [`Applicability::evaluate_assuming_platforms`]).
    pub fn configurations_applying<'a>(
        &'a self,
        device: &'a [Cpe],
        assume_platforms: bool,
    ) -> Vec<ConfigurationMatch<'a>> {
        let mut out = Vec::new();
        for configuration in &self.configurations {
            let mut found = ConfigurationMatch {
                matched: Vec::new(),
                assumed: Vec::new(),
            };
            let holds = combine(
                configuration.operator,
                configuration.negate,
                configuration
                    .nodes
                    .iter()
                    .map(|node| evaluate_node(node, device, assume_platforms, &mut found)),
            );
            if holds && found.matched.iter().any(|m| m.criterion.vulnerable) {
                out.push(found);
            }
        }
        out
    }
}

/// What one configuration that applies matched: the criteria the device's names satisfied,
/// and the platform criteria taken to hold.
#[derive(Debug, Clone)]
pub struct ConfigurationMatch<'a> {
    /// The criteria matched, with the names that satisfied them.
    pub matched: Vec<Matched<'a>>,
    /// The platform criteria (`vulnerable: false`) taken to hold.
    pub assumed: Vec<&'a Criterion>,
}

/// Combines results by an operator; an empty list holds for neither.
fn combine(operator: Operator, negate: bool, results: impl Iterator<Item = bool>) -> bool {
    let results: Vec<bool> = results.collect();
    let holds = !results.is_empty()
        && match operator {
            Operator::And => results.iter().all(|r| *r),
            Operator::Or => results.iter().any(|r| *r),
        };
    holds != negate
}

fn evaluate_node<'a>(
    node: &'a Node,
    device: &'a [Cpe],
    assume_platforms: bool,
    evidence: &mut ConfigurationMatch<'a>,
) -> bool {
    let mut found = ConfigurationMatch {
        matched: Vec::new(),
        assumed: Vec::new(),
    };
    let real: Vec<bool> = node
        .criteria
        .iter()
        .map(|criterion| {
            criterion.matching(device).is_some_and(|name| {
                found.matched.push(Matched { criterion, name });
                true
            })
        })
        .collect();
    // Inside a negated node, taking a platform to hold would turn the node false.
    let assume = assume_platforms && !node.negate;
    let children: Vec<bool> = node
        .children
        .iter()
        .map(|child| evaluate_node(child, device, assume, &mut found))
        .collect();
    let mut holds = combine(
        node.operator,
        node.negate,
        real.iter().copied().chain(children.iter().copied()),
    );
    // Platforms are taken to hold only where the node needs them.
    if !holds && assume {
        let taken = node
            .criteria
            .iter()
            .zip(&real)
            .map(|(criterion, &held)| held || !criterion.vulnerable);
        holds = combine(node.operator, node.negate, taken.chain(children));
        if holds {
            found.assumed.extend(
                node.criteria
                    .iter()
                    .zip(&real)
                    .filter(|(criterion, &held)| !held && !criterion.vulnerable)
                    .map(|(criterion, _)| criterion),
            );
        }
    }
    // What a negated node matched is not evidence: it held because those names are absent.
    if holds && !node.negate {
        evidence.matched.extend(found.matched);
        evidence.assumed.extend(found.assumed);
    }
    holds
}

fn shape(path: &str, message: &str) -> ConfigurationError {
    ConfigurationError::Shape {
        path: path.to_owned(),
        message: message.to_owned(),
    }
}

fn operator(value: Option<&Json>, path: &str) -> Result<Operator, ConfigurationError> {
    match value.and_then(Json::as_str) {
        None | Some("OR") => Ok(Operator::Or),
        Some("AND") => Ok(Operator::And),
        Some(other) => Err(shape(
            path,
            &format!("operator {other:?} is neither AND nor OR"),
        )),
    }
}

fn flag(value: Option<&Json>) -> bool {
    value.and_then(Json::as_bool).unwrap_or(false)
}

/// An API 2.0 configuration: `{operator?, negate?, nodes: [{operator, negate, cpeMatch}]}`.
fn configuration_v2(item: &Json, path: &str) -> Result<Configuration, ConfigurationError> {
    let nodes = item
        .get("nodes")
        .and_then(Json::as_array)
        .ok_or_else(|| shape(path, "a configuration needs nodes"))?;
    let mut out = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        let node_path = format!("{path}.nodes[{i}]");
        let matches = node
            .get("cpeMatch")
            .and_then(Json::as_array)
            .ok_or_else(|| shape(&node_path, "a node needs cpeMatch"))?;
        out.push(Node {
            operator: operator(node.get("operator"), &node_path)?,
            negate: flag(node.get("negate")),
            criteria: criteria(matches, "criteria", &format!("{node_path}.cpeMatch"))?,
            children: Vec::new(),
        });
    }
    Ok(Configuration {
        operator: operator(item.get("operator"), path)?,
        negate: flag(item.get("negate")),
        nodes: out,
    })
}

/// A JSON 1.1 node at `depth` (1 for a top-level node): `{operator, negate?, cpe_match?,
/// children?}`. Recursive, at most [`MAX_NODE_DEPTH`] calls deep.
fn node_v1(node: &Json, path: &str, depth: usize) -> Result<Node, ConfigurationError> {
    if depth > MAX_NODE_DEPTH {
        return Err(ConfigurationError::TooDeep {
            path: path.to_owned(),
            limit: MAX_NODE_DEPTH,
        });
    }
    let empty = Vec::new();
    let matches = node
        .get("cpe_match")
        .and_then(Json::as_array)
        .unwrap_or(&empty);
    let children = node
        .get("children")
        .and_then(Json::as_array)
        .unwrap_or(&empty);
    let mut child_nodes = Vec::with_capacity(children.len());
    for (i, child) in children.iter().enumerate() {
        child_nodes.push(node_v1(child, &format!("{path}.children[{i}]"), depth + 1)?);
    }
    Ok(Node {
        operator: operator(node.get("operator"), path)?,
        negate: flag(node.get("negate")),
        criteria: criteria(matches, "cpe23Uri", &format!("{path}.cpe_match"))?,
        children: child_nodes,
    })
}

fn criteria(
    matches: &[Json],
    name_key: &str,
    path: &str,
) -> Result<Vec<Criterion>, ConfigurationError> {
    let mut out = Vec::with_capacity(matches.len());
    for (i, entry) in matches.iter().enumerate() {
        let path = format!("{path}[{i}]");
        let text = entry
            .get(name_key)
            .and_then(Json::as_str)
            .ok_or_else(|| shape(&path, &format!("a criterion needs {name_key}")))?;
        let field = |key: &str| entry.get(key).and_then(Json::as_str);
        // NVD writes `versionStartIncluding: "-"` for "from the first version" (75 criteria
        // of the 2017 feed); `-`, `*` and empty bounds are no bound.
        let bound = |key: &str| field(key).filter(|v| !matches!(v.trim(), "-" | "*" | ""));
        let bounds = NvdBounds {
            start_including: bound("versionStartIncluding"),
            start_excluding: bound("versionStartExcluding"),
            end_including: bound("versionEndIncluding"),
            end_excluding: bound("versionEndExcluding"),
            exact: None,
        };
        let vulnerable = entry
            .get("vulnerable")
            .and_then(Json::as_bool)
            .unwrap_or(true);
        let id = field("matchCriteriaId").map(str::to_owned);
        out.push(Criterion::from_parts(vulnerable, text, bounds, id, &path)?);
    }
    Ok(out)
}

/// The scheme a product's NVD versions are compared in: OpenSSL's letter releases for
/// OpenSSL itself, vendor versions for everything else.
pub fn scheme_for(cpe: &Cpe) -> Scheme {
    let is = |a: Attribute, v: &str| cpe.get(a).as_wfn() == Some(v);
    if is(Attribute::Vendor, "openssl") && is(Attribute::Product, "openssl") {
        Scheme::Openssl
    } else {
        Scheme::Generic
    }
}
