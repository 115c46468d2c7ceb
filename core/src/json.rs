//! Reading fields out of parsed JSON with the path of every field, so that errors can say
//! exactly which field of which record was wrong. Two readers, one error: [`Obj`] walks a
//! document field by field (borrowing, so records are never copied), and [`read`] reads a
//! record into a `serde` struct of its shape in one go.

use serde::Deserialize;
use serde_json::{Map, Value};
use std::fmt::Write;

/// A field was missing or had the wrong type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub(crate) path: String,
    pub(crate) message: String,
}

/// Parses a document; text that is not JSON is an error about the whole document.
pub(crate) fn parse(text: &str) -> Result<Value, FieldError> {
    serde_json::from_str(text).map_err(|e| FieldError {
        path: String::new(),
        message: format!("not JSON: {e}"),
    })
}

/// Reads `value`, found at `path`, as `T` (a `serde` struct of the shape the format
/// documents, `Option` for every field it may leave out). A field of the wrong type is an error
/// naming its full path, such as `vulnerabilities[3].cwes[0]`; a null field reads as absent.
pub(crate) fn read<'de, T: Deserialize<'de>>(
    value: &'de Value,
    path: &str,
) -> Result<T, FieldError> {
    // Most records read: the plain deserializer first, the path-tracking one (slower) only
    // to name the field of a record that does not.
    if let Ok(read) = T::deserialize(value) {
        return Ok(read);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut at = path.to_owned();
        for segment in e.path() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => {
                    // Writing to a String cannot fail.
                    let _ = write!(at, "[{index}]");
                }
                serde_path_to_error::Segment::Map { key }
                | serde_path_to_error::Segment::Enum { variant: key } => at = join(&at, key),
                serde_path_to_error::Segment::Unknown => at = join(&at, "?"),
            }
        }
        FieldError {
            path: at,
            message: e.into_inner().to_string(),
        }
    })
}

/// The string at `key` when `value` is an object that has one there: how a record is named
/// by its id even when the rest of it cannot be read.
pub(crate) fn id_of<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    Obj::new(value, String::new())
        .ok()?
        .opt_str(key)
        .ok()
        .flatten()
}

pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The path of field `key` of the object at `path`.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A JSON object with the path it was found at.
#[derive(Clone)]
pub(crate) struct Obj<'a> {
    pub(crate) map: &'a Map<String, Value>,
    pub(crate) path: String,
}

impl<'a> Obj<'a> {
    pub(crate) fn new(value: &'a Value, path: String) -> Result<Self, FieldError> {
        match value {
            Value::Object(map) => Ok(Self { map, path }),
            other => Err(FieldError {
                path,
                message: format!("expected an object, found {}", type_name(other)),
            }),
        }
    }

    pub(crate) fn child_path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    fn wrong(&self, key: &str, expected: &str, found: &Value) -> FieldError {
        FieldError {
            path: self.child_path(key),
            message: format!("expected {expected}, found {}", type_name(found)),
        }
    }

    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<&'a str>, FieldError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong(key, "a string", other)),
        }
    }

    /// The object at a path of keys below this one (`["pkg", "secfixes"]`); `None` when a key
    /// on the way is absent or null.
    pub(crate) fn opt_obj_at(&self, keys: &[&str]) -> Result<Option<Obj<'a>>, FieldError> {
        let mut at = self.clone();
        for key in keys {
            match at.opt_obj(key)? {
                Some(next) => at = next,
                None => return Ok(None),
            }
        }
        Ok(Some(at))
    }

    /// The string at a path of keys below this object (`["cveMetadata", "cveId"]`); `None`
    /// when a key on the way is absent or null.
    pub(crate) fn opt_str_at(&self, keys: &[&str]) -> Result<Option<&'a str>, FieldError> {
        let Some((last, parents)) = keys.split_last() else {
            return Ok(None);
        };
        match self.opt_obj_at(parents)? {
            Some(parent) => parent.opt_str(last),
            None => Ok(None),
        }
    }

    /// The string at a path of keys below this object, which must be there (it may be
    /// empty): how a record's id is read.
    pub(crate) fn str_at(&self, keys: &[&str]) -> Result<&'a str, FieldError> {
        self.opt_str_at(keys)?.ok_or_else(|| FieldError {
            path: keys
                .iter()
                .fold(self.path.clone(), |path, key| join(&path, key)),
            message: "is missing".into(),
        })
    }

    pub(crate) fn req_str(&self, key: &str) -> Result<&'a str, FieldError> {
        match self.opt_str(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            Some(_) => Err(FieldError {
                path: self.child_path(key),
                message: "is empty".into(),
            }),
            None => Err(FieldError {
                path: self.child_path(key),
                message: "is missing".into(),
            }),
        }
    }

    pub(crate) fn opt_array(&self, key: &str) -> Result<&'a [Value], FieldError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(self.wrong(key, "an array", other)),
        }
    }

    /// An array field that must be there (a null one is missing).
    pub(crate) fn req_array(&self, key: &str) -> Result<&'a [Value], FieldError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Err(FieldError {
                path: self.child_path(key),
                message: "is missing".into(),
            }),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(self.wrong(key, "an array", other)),
        }
    }

    pub(crate) fn opt_obj(&self, key: &str) -> Result<Option<Obj<'a>>, FieldError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Obj {
                map,
                path: self.child_path(key),
            })),
            Some(other) => Err(self.wrong(key, "an object", other)),
        }
    }

    /// A field read as `T` with [`read`], its errors naming their path below this object;
    /// `None` when the field is absent or null.
    pub(crate) fn opt_read<T: Deserialize<'a>>(&self, key: &str) -> Result<Option<T>, FieldError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => read(value, &self.child_path(key)).map(Some),
        }
    }

    /// The elements of an array field, each an object with its own path.
    pub(crate) fn opt_objs(&self, key: &str) -> Result<Vec<Obj<'a>>, FieldError> {
        let path = self.child_path(key);
        self.opt_array(key)?
            .iter()
            .enumerate()
            .map(|(i, item)| Obj::new(item, format!("{path}[{i}]")))
            .collect()
    }

    /// The elements of an array field in order, each an object with its own path or the
    /// problem of an element that is not one: a caller skips and reports such an element
    /// alone, where [`Obj::opt_objs`] rejects the whole array.
    pub(crate) fn opt_each_obj(
        &self,
        key: &str,
    ) -> Result<Vec<Result<Obj<'a>, FieldError>>, FieldError> {
        let path = self.child_path(key);
        Ok(self
            .opt_array(key)?
            .iter()
            .enumerate()
            .map(|(i, item)| Obj::new(item, format!("{path}[{i}]")))
            .collect())
    }

    /// A list of strings; every element must be a string.
    pub(crate) fn opt_str_list(&self, key: &str) -> Result<Vec<&'a str>, FieldError> {
        let path = self.child_path(key);
        self.opt_array(key)?
            .iter()
            .enumerate()
            .map(|(i, item)| {
                item.as_str().ok_or_else(|| FieldError {
                    path: format!("{path}[{i}]"),
                    message: format!("expected a string, found {}", type_name(item)),
                })
            })
            .collect()
    }
}

/// What [`stream_array`] found in a document besides the elements it handed over.
#[derive(Debug, Default)]
pub(crate) struct TopLevel {
    /// Whether the document has one of the keys asked for.
    pub(crate) found: bool,
    /// The type of that field when it is neither an array nor null (`"a string"`).
    pub(crate) not_an_array: Option<&'static str>,
    /// The document's other fields, when they were asked to be kept.
    pub(crate) others: Map<String, Value>,
}

/// Reads a document whose top level is an object, handing each element of the array under
/// one of `keys` to `each` (its index and the element read as `T`: a [`Value`], or a
/// borrowed [`serde_json::value::RawValue`]) as the parser reaches it, so that only one
/// element is in memory at a time however long the array; the other fields are kept when
/// `keep_others` is set, skipped otherwise. An NVD feed and a fleet document are read so.
pub(crate) fn stream_array<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
    keys: &[&str],
    keep_others: bool,
    each: &mut dyn FnMut(usize, T),
) -> Result<TopLevel, D::Error> {
    deserializer.deserialize_map(Document {
        keys,
        keep_others,
        each,
    })
}

/// The top-level object of [`stream_array`].
struct Document<'a, T> {
    keys: &'a [&'a str],
    keep_others: bool,
    each: &'a mut dyn FnMut(usize, T),
}

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Document<'_, T> {
    type Value = TopLevel;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "an object with {}", self.keys.join(" or "))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        let mut top = TopLevel::default();
        while let Some(key) = map.next_key::<String>()? {
            if self.keys.contains(&key.as_str()) {
                top.found = true;
                let not_an_array = map.next_value_seed(Elements {
                    each: &mut *self.each,
                })?;
                top.not_an_array = top.not_an_array.or(not_an_array);
            } else if self.keep_others {
                let value = map.next_value::<Value>()?;
                top.others.insert(key, value);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(top)
    }
}

/// The streamed array: its elements to `each`; anything but an array or null is named by its
/// type (and skipped).
struct Elements<'a, T> {
    each: &'a mut dyn FnMut(usize, T),
}

impl<'de, T: Deserialize<'de>> serde::de::DeserializeSeed<'de> for Elements<'_, T> {
    type Value = Option<&'static str>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Elements<'_, T> {
    type Value = Option<&'static str>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut index = 0;
        while let Some(item) = seq.next_element::<T>()? {
            (self.each)(index, item);
            index += 1;
        }
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Some("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Some("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Some("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Some("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Some("a string"))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Some("an object"))
    }
}
