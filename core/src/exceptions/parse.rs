//! Reading a set file (JSON or YAML) into an [`ExceptionSet`], every error typed and located.

use super::{Exception, ExceptionSet, Justification, Product, Scope, FORMAT};
use crate::date::Date;
use crate::ecosystem::Ecosystem;
use serde_json::{Map, Value};

/// How deep a YAML set file's flow collections may nest (see `kb::yaml_depth`): a set nests
/// four levels.
const YAML_FLOW_DEPTH: u32 = 64;

/// The fields an exception may have.
const FIELDS: [&str; 8] = [
    "id",
    "scope",
    "groups",
    "justification",
    "requester",
    "reason",
    "created",
    "expires",
];

/// Why an exception set was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExceptionErrorKind {
    /// The text is neither JSON nor YAML.
    #[error("not JSON or YAML: {0}")]
    Syntax(String),
    /// A YAML document nests flow collections deeper than the limit.
    #[error("YAML flow collections nest deeper than {limit} levels (at byte {at})")]
    TooDeep {
        /// The limit.
        limit: u32,
        /// Where.
        at: usize,
    },
    /// The `format` field is missing or another.
    #[error("format is {found}, expected {FORMAT:?}")]
    Format {
        /// What the file says (`missing` when absent).
        found: String,
    },
    /// A field has the wrong type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// The type expected.
        expected: &'static str,
        /// The type found.
        found: &'static str,
    },
    /// A required field is missing.
    #[error("missing")]
    Missing,
    /// A field the format does not define.
    #[error("unknown field")]
    UnknownField,
    /// A text that must say something is empty.
    #[error("is empty")]
    Empty,
    /// The exception's id is empty.
    #[error("empty id")]
    EmptyId,
    /// Another exception of the set has this id.
    #[error("duplicate id {id:?} (first at exceptions[{first}])")]
    DuplicateId {
        /// The id.
        id: String,
        /// The index of the first exception with it.
        first: usize,
    },
    /// The justification is not one of the five.
    #[error("unknown justification {0:?} (expected third_party_control, alternate_mitigation, risk_accepted, planned_remediation or no_patch_available)")]
    UnknownJustification(String),
    /// The scope is not one of recommendation, vulnerability (or cve), software.
    #[error("unknown scope kind {0:?} (expected one of recommendation, vulnerability, software)")]
    UnknownScope(String),
    /// A software scope names neither `{ecosystem, name}` nor `{cpe: "vendor:product"}`.
    #[error("{0}")]
    BadProduct(String),
    /// A date is not a real `YYYY-MM-DD` day.
    #[error("{0:?} is not a date YYYY-MM-DD")]
    BadDate(String),
    /// The expiry day is before the creation day.
    #[error("expires {expires} before it is created ({created})")]
    ExpiresBeforeCreated {
        /// The creation day.
        created: Date,
        /// The expiry day.
        expires: Date,
    },
}

/// An exception set that could not be read: the kind, the input, which exception (index and
/// id, when known) and the field path.
///
/// ```
/// use exposure::exceptions::{ExceptionErrorKind, ExceptionSet};
/// let e = ExceptionSet::from_text(r#"{"format": "exposure-exceptions/1", "exceptions": [
///   {"id": "a", "scope": {"vulnerability": "CVE-1"}, "justification": "because",
///    "requester": "r", "reason": "x", "created": "2026-01-01"}]}"#, "ex.json").unwrap_err();
/// assert!(matches!(e.kind(), ExceptionErrorKind::UnknownJustification(j) if j == "because"));
/// assert_eq!((e.index(), e.id()), (Some(0), Some("a")));
/// assert_eq!(e.path(), "exceptions[0].justification");
/// assert!(e.to_string().starts_with("ex.json: exception \"a\" (exceptions[0].justification): unknown justification"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionError(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: ExceptionErrorKind,
    origin: String,
    index: Option<usize>,
    id: Option<String>,
    path: String,
    offset: Option<usize>,
}

impl ExceptionError {
    fn new(kind: ExceptionErrorKind, path: impl Into<String>) -> Self {
        ExceptionError(Box::new(Inner {
            kind,
            origin: String::new(),
            index: None,
            id: None,
            path: path.into(),
            offset: None,
        }))
    }

    /// A document that is not JSON or YAML, broken at byte `offset` (when the parser says).
    fn syntax(message: String, offset: Option<usize>) -> Self {
        let mut e = ExceptionError::new(ExceptionErrorKind::Syntax(message), "");
        e.0.offset = offset;
        e
    }

    fn at(mut self, index: usize, id: Option<&str>) -> Self {
        self.0.index = Some(index);
        self.0.id = id.map(str::to_owned);
        self
    }

    fn origin(mut self, origin: &str) -> Self {
        origin.clone_into(&mut self.0.origin);
        self
    }

    /// What was wrong.
    pub fn kind(&self) -> &ExceptionErrorKind {
        &self.0.kind
    }

    /// The input's name (path or origin).
    pub fn input(&self) -> &str {
        &self.0.origin
    }

    /// The index of the exception in the file, when the error is about one.
    pub fn index(&self) -> Option<usize> {
        self.0.index
    }

    /// The exception's id, when it has a readable one.
    pub fn id(&self) -> Option<&str> {
        self.0.id.as_deref()
    }

    /// The byte offset in the text where a document that is not JSON or YAML broke (the place
    /// its message names), or where YAML nests too deep; `None` for errors about a field.
    ///
    /// ```
    /// let e = exposure::exceptions::ExceptionSet::from_text("{broken", "x").unwrap_err();
    /// assert_eq!(e.offset(), Some(1));
    /// ```
    pub fn offset(&self) -> Option<usize> {
        match self.0.kind {
            ExceptionErrorKind::TooDeep { at, .. } => Some(at),
            _ => self.0.offset,
        }
    }

    /// The path of the field (`exceptions[2].expires`), empty for the whole document.
    pub fn path(&self) -> &str {
        &self.0.path
    }
}

impl std::fmt::Display for ExceptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.0.origin.is_empty() {
            write!(f, "{}: ", self.0.origin)?;
        }
        match (&self.0.id, self.0.index) {
            (Some(id), _) => write!(f, "exception {id:?} ")?,
            (None, Some(i)) => write!(f, "exception #{i} ")?,
            (None, None) => {}
        }
        if !self.0.path.is_empty() {
            write!(f, "({}): ", self.0.path)?;
        }
        write!(f, "{}", self.0.kind)
    }
}

impl std::error::Error for ExceptionError {}

impl ExceptionSet {
    /// Reads a set file's text: JSON (a document starting with `{`) or YAML, format
    /// [`FORMAT`]. The first error refuses the whole set (an exception file is reviewed; half
    /// of one applied would hide what the other half says).
    ///
    /// ```
    /// use exposure::exceptions::{ExceptionErrorKind, ExceptionSet};
    /// let yaml = "format: exposure-exceptions/1\nexceptions:\n  - id: EXC-1\n    scope: {vulnerability: CVE-2021-23337}\n    justification: risk_accepted\n    requester: alice\n    reason: internal tool\n    created: 2026-11-01\n    expires: 2026-10-01\n";
    /// let e = ExceptionSet::from_text(yaml, "ex.yaml").unwrap_err();
    /// assert!(matches!(e.kind(), ExceptionErrorKind::ExpiresBeforeCreated { .. }));
    /// assert_eq!(e.id(), Some("EXC-1"));
    /// ```
    pub fn from_text(text: &str, origin: &str) -> Result<ExceptionSet, ExceptionError> {
        read(text).map_err(|e| e.origin(origin))
    }

    /// Reads a set file (see [`ExceptionSet::from_text`]); the path names it in errors.
    ///
    /// ```
    /// let missing = std::path::Path::new("/nonexistent/exceptions.yaml");
    /// assert!(exposure::exceptions::ExceptionSet::from_path(missing).is_err());
    /// ```
    pub fn from_path(path: &std::path::Path) -> Result<ExceptionSet, crate::Error> {
        let text = crate::files::read_text(path)?;
        Ok(Self::from_text(&text, &path.display().to_string())?)
    }
}

fn read(text: &str) -> Result<ExceptionSet, ExceptionError> {
    let document: Value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| {
            ExceptionError::syntax(e.to_string(), crate::json_error_offset(text, &e))
        })?
    } else {
        if let Some(at) = crate::kb::yaml_depth::flow_depth_exceeds(text, YAML_FLOW_DEPTH) {
            return Err(ExceptionError::new(
                ExceptionErrorKind::TooDeep {
                    limit: YAML_FLOW_DEPTH,
                    at,
                },
                "",
            ));
        }
        serde_yaml::from_str(text).map_err(|e| {
            ExceptionError::syntax(e.to_string(), crate::span::yaml_error_offset(text, &e))
        })?
    };
    let top = object(&document, "")?;
    for key in top.keys() {
        if key != "format" && key != "exceptions" {
            return Err(ExceptionError::new(ExceptionErrorKind::UnknownField, key));
        }
    }
    match top.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(Value::String(f)) => {
            return Err(ExceptionError::new(
                ExceptionErrorKind::Format {
                    found: format!("{f:?}"),
                },
                "format",
            ))
        }
        Some(other) => return Err(wrong_type("a string", other, "format")),
        None => {
            return Err(ExceptionError::new(
                ExceptionErrorKind::Format {
                    found: "missing".to_owned(),
                },
                "format",
            ))
        }
    }
    let listed = match top.get("exceptions") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(items)) => items.as_slice(),
        Some(other) => return Err(wrong_type("an array", other, "exceptions")),
    };
    let mut exceptions = Vec::with_capacity(listed.len());
    for (i, item) in listed.iter().enumerate() {
        let path = format!("exceptions[{i}]");
        let id = item.get("id").and_then(Value::as_str).map(str::trim);
        let exception =
            exception(item, &path).map_err(|e| e.at(i, id.filter(|s| !s.is_empty())))?;
        exceptions.push(exception);
    }
    ExceptionSet::new(exceptions)
}

/// Checks what a set needs beyond each exception: non-empty, unique ids; expiry not before
/// creation.
pub(super) fn check_set(exceptions: &[Exception], list: &str) -> Result<(), ExceptionError> {
    let mut first: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(exceptions.len());
    for (i, e) in exceptions.iter().enumerate() {
        let at = |kind, field: &str| {
            ExceptionError::new(kind, format!("{list}[{i}].{field}")).at(i, Some(&e.id))
        };
        if e.id.trim().is_empty() {
            return Err(ExceptionError::new(
                ExceptionErrorKind::EmptyId,
                format!("{list}[{i}].id"),
            )
            .at(i, None));
        }
        if let Some(&f) = first.get(e.id.as_str()) {
            return Err(at(
                ExceptionErrorKind::DuplicateId {
                    id: e.id.clone(),
                    first: f,
                },
                "id",
            ));
        }
        first.insert(&e.id, i);
        if let Some(expires) = e.expires.filter(|x| *x < e.created) {
            return Err(at(
                ExceptionErrorKind::ExpiresBeforeCreated {
                    created: e.created,
                    expires,
                },
                "expires",
            ));
        }
    }
    Ok(())
}

fn wrong_type(expected: &'static str, found: &Value, path: &str) -> ExceptionError {
    ExceptionError::new(
        ExceptionErrorKind::WrongType {
            expected,
            found: crate::json::type_name(found),
        },
        path,
    )
}

fn object<'v>(value: &'v Value, path: &str) -> Result<&'v Map<String, Value>, ExceptionError> {
    value
        .as_object()
        .ok_or_else(|| wrong_type("an object", value, path))
}

/// A required, non-empty, trimmed text field.
fn text(obj: &Map<String, Value>, key: &str, path: &str) -> Result<String, ExceptionError> {
    let path = format!("{path}.{key}");
    match obj.get(key) {
        None | Some(Value::Null) => Err(ExceptionError::new(ExceptionErrorKind::Missing, path)),
        Some(Value::String(s)) if s.trim().is_empty() => {
            let kind = if key == "id" {
                ExceptionErrorKind::EmptyId
            } else {
                ExceptionErrorKind::Empty
            };
            Err(ExceptionError::new(kind, path))
        }
        Some(Value::String(s)) => Ok(s.trim().to_owned()),
        Some(other) => Err(wrong_type("a string", other, &path)),
    }
}

fn date(obj: &Map<String, Value>, key: &str, path: &str) -> Result<Option<Date>, ExceptionError> {
    if obj.get(key).is_none_or(Value::is_null) {
        return Ok(None);
    }
    let text = text(obj, key, path)?;
    text.parse::<Date>().map(Some).map_err(|_| {
        ExceptionError::new(ExceptionErrorKind::BadDate(text), format!("{path}.{key}"))
    })
}

fn exception(item: &Value, path: &str) -> Result<Exception, ExceptionError> {
    let obj = object(item, path)?;
    let id = text(obj, "id", path)?;
    if let Some(key) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(ExceptionError::new(
            ExceptionErrorKind::UnknownField,
            format!("{path}.{key}"),
        ));
    }
    let scope = match obj.get("scope") {
        None | Some(Value::Null) => {
            return Err(ExceptionError::new(
                ExceptionErrorKind::Missing,
                format!("{path}.scope"),
            ))
        }
        Some(value) => scope(value, &format!("{path}.scope"))?,
    };
    let groups = match obj.get("groups") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => {
            let mut groups: Vec<String> = Vec::with_capacity(items.len());
            for (i, g) in items.iter().enumerate() {
                let at = format!("{path}.groups[{i}]");
                match g {
                    Value::String(s) if s.trim().is_empty() => {
                        return Err(ExceptionError::new(ExceptionErrorKind::Empty, at))
                    }
                    Value::String(s) => {
                        if !groups.iter().any(|g| g == s.trim()) {
                            groups.push(s.trim().to_owned());
                        }
                    }
                    other => return Err(wrong_type("a string", other, &at)),
                }
            }
            groups
        }
        Some(other) => return Err(wrong_type("an array", other, &format!("{path}.groups"))),
    };
    let named = text(obj, "justification", path)?;
    let justification = Justification::from_name(&named).ok_or_else(|| {
        ExceptionError::new(
            ExceptionErrorKind::UnknownJustification(named),
            format!("{path}.justification"),
        )
    })?;
    let requester = text(obj, "requester", path)?;
    let reason = text(obj, "reason", path)?;
    let created = date(obj, "created", path)?.ok_or_else(|| {
        ExceptionError::new(ExceptionErrorKind::Missing, format!("{path}.created"))
    })?;
    let expires = date(obj, "expires", path)?;
    Ok(Exception {
        id,
        scope,
        groups,
        justification,
        requester,
        reason,
        created,
        expires,
    })
}

fn scope(value: &Value, path: &str) -> Result<Scope, ExceptionError> {
    let obj = object(value, path)?;
    let mut keys = obj.keys();
    let (Some(kind), None) = (keys.next(), keys.next()) else {
        let found = obj.keys().cloned().collect::<Vec<_>>().join(", ");
        return Err(ExceptionError::new(
            ExceptionErrorKind::UnknownScope(found),
            path,
        ));
    };
    match kind.as_str() {
        "recommendation" => Ok(Scope::Recommendation(text(obj, kind, path)?)),
        "vulnerability" | "cve" => Ok(Scope::Vulnerability(text(obj, kind, path)?)),
        "software" => product(&obj[kind], &format!("{path}.software")).map(Scope::Software),
        other => Err(ExceptionError::new(
            ExceptionErrorKind::UnknownScope(other.to_owned()),
            format!("{path}.{other}"),
        )),
    }
}

fn product(value: &Value, path: &str) -> Result<Product, ExceptionError> {
    let obj = object(value, path)?;
    let bad = |message: &str| {
        ExceptionError::new(ExceptionErrorKind::BadProduct(message.to_owned()), path)
    };
    if obj.contains_key("cpe") {
        if obj.len() != 1 {
            return Err(bad(
                "a product is {\"cpe\": \"vendor:product\"} or {\"ecosystem\", \"name\"}, not both",
            ));
        }
        let named = text(obj, "cpe", path)?.to_ascii_lowercase();
        let parts: Vec<&str> = named.split(':').collect();
        let (vendor, product) = match parts.as_slice() {
            [vendor, product] => (*vendor, *product),
            // A whole CPE name: its vendor and product.
            ["cpe", "2.3", _, vendor, product, ..] => (*vendor, *product),
            _ => {
                return Err(bad(
                    "a CPE product is \"vendor:product\" (or a CPE 2.3 name)",
                ))
            }
        };
        if vendor.is_empty() || product.is_empty() || vendor == "*" || product == "*" {
            return Err(bad("a CPE product names a literal vendor and product"));
        }
        return Ok(Product::Cpe {
            vendor: vendor.to_owned(),
            product: product.to_owned(),
        });
    }
    if let Some(key) = obj.keys().find(|k| *k != "ecosystem" && *k != "name") {
        return Err(ExceptionError::new(
            ExceptionErrorKind::UnknownField,
            format!("{path}.{key}"),
        ));
    }
    let ecosystem = text(obj, "ecosystem", path)?;
    let name = text(obj, "name", path)?;
    Ok(Product::Package {
        ecosystem: ecosystem_named(&ecosystem),
        name,
    })
}

/// The ecosystem an OSV name names, any case (`pypi` is `PyPI`).
fn ecosystem_named(name: &str) -> Ecosystem {
    let exact = Ecosystem::from_osv(name);
    if !matches!(exact, Ecosystem::Other(_)) {
        return exact;
    }
    crate::ecosystem::NAMED
        .iter()
        .find(|(_, n)| n.eq_ignore_ascii_case(name))
        .map_or(exact, |(e, _)| e.clone())
}
