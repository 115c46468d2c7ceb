//! The typed columns of an assessment's flat views ([`FindingRow`](crate::assessment::FindingRow),
//! [`DeviceExposure`](crate::assessment::DeviceExposure),
//! [`GroupExposure`](crate::assessment::GroupExposure)): each view's column names in order,
//! with the type of their values and whether a value may be missing, so that every data-frame
//! interface (pandas, Arrow, polars) types them alike — categoricals, booleans, floats,
//! nullable counts, dates — instead of guessing from the values.
//!
//! ```
//! use exposure::assessment::FindingRow;
//! use exposure::columns::ColumnType;
//! let risk = FindingRow::SCHEMA.iter().find(|c| c.name == "risk").unwrap();
//! assert_eq!((risk.kind, risk.nullable), (ColumnType::Float, false));
//! assert_eq!(ColumnType::Category.name(), "category");
//! ```

use serde::Serialize;

/// The type of a column's values, as rows serialise them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    /// Free text: ids, names, versions (a JSON string).
    Text,
    /// A word from a small set: ecosystem, level, fix state, matcher (a JSON string), for a
    /// categorical column.
    Category,
    /// A floating-point number.
    Float,
    /// A whole number, never negative.
    Count,
    /// True or false.
    Bool,
    /// A day, `YYYY-MM-DD` (a JSON string).
    Date,
    /// A list of texts: a device's groups (a JSON array of strings).
    TextList,
}

impl ColumnType {
    /// The type's name, as serialised: `text`, `category`, `float`, `count`, `bool`, `date`,
    /// `text_list`.
    ///
    /// ```
    /// assert_eq!(exposure::columns::ColumnType::Date.name(), "date");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Category => "category",
            ColumnType::Float => "float",
            ColumnType::Count => "count",
            ColumnType::Bool => "bool",
            ColumnType::Date => "date",
            ColumnType::TextList => "text_list",
        }
    }
}

/// One column of a view: the field name, its type, and whether a row may lack a value (JSON
/// `null`).
///
/// ```
/// use exposure::columns::{Column, ColumnType};
/// let c = Column::optional("epss", ColumnType::Float);
/// assert!(c.nullable);
/// assert!(!Column::new("risk", ColumnType::Float).nullable);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Column {
    /// The field name.
    pub name: &'static str,
    /// The type of its values.
    pub kind: ColumnType,
    /// Whether a value may be missing.
    pub nullable: bool,
}

impl Column {
    /// A column every row has a value in.
    pub const fn new(name: &'static str, kind: ColumnType) -> Self {
        Self {
            name,
            kind,
            nullable: false,
        }
    }

    /// A column whose value a row may lack.
    pub const fn optional(name: &'static str, kind: ColumnType) -> Self {
        Self {
            name,
            kind,
            nullable: true,
        }
    }

    /// Whether `value` (a serialised row's field) is of this column's type: `null` only in a
    /// nullable column, a string for text, categories and dates (a date `YYYY-MM-DD`), a
    /// number for floats, a non-negative integer for counts, a boolean for booleans.
    ///
    /// ```
    /// use exposure::columns::{Column, ColumnType};
    /// let day = Column::optional("kev_date_added", ColumnType::Date);
    /// assert!(day.admits(&serde_json::json!("2023-10-10")));
    /// assert!(day.admits(&serde_json::Value::Null));
    /// assert!(!day.admits(&serde_json::json!("10/10/2023")));
    /// assert!(!Column::new("findings", ColumnType::Count).admits(&serde_json::json!(-1)));
    /// ```
    pub fn admits(&self, value: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (self.kind, value) {
            (_, Value::Null) => self.nullable,
            (ColumnType::Text | ColumnType::Category, Value::String(_)) => true,
            (ColumnType::Date, Value::String(day)) => day.parse::<crate::date::Date>().is_ok(),
            (ColumnType::Float, Value::Number(_)) => true,
            (ColumnType::Count, Value::Number(n)) => n.is_u64(),
            (ColumnType::Bool, Value::Bool(_)) => true,
            (ColumnType::TextList, Value::Array(items)) => items.iter().all(Value::is_string),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Column;
    use crate::assessment::{DeviceExposure, FindingRow, GroupExposure};

    /// Every row of `rows` has exactly the schema's fields, each of its column's type.
    fn conforms<T: serde::Serialize>(rows: &[T], schema: &[Column]) {
        assert!(!rows.is_empty());
        let mut names: Vec<&str> = schema.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), schema.len(), "a column is named twice");
        for row in rows {
            let value = serde_json::to_value(row).unwrap();
            let object = value.as_object().unwrap();
            let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, names);
            for column in schema {
                let field = &object[column.name];
                assert!(column.admits(field), "{column:?} does not admit {field}");
            }
        }
    }

    #[test]
    fn the_views_of_the_demo_conform_to_their_schemas() {
        let a = crate::assess::AssessInputs {
            demo: true,
            as_of: Some("2026-12-04".parse().unwrap()),
            ..Default::default()
        }
        .assess()
        .unwrap();
        let rows = a.finding_rows();
        conforms(&rows, &FindingRow::SCHEMA);
        conforms(&a.devices, &DeviceExposure::SCHEMA);
        conforms(&a.groups, &GroupExposure::SCHEMA);
        // The nullable columns are exercised both ways by the demo.
        let kev = rows.iter().filter(|r| r.kev_date_added.is_some()).count();
        assert!(kev > 0 && kev < rows.len());
        assert!(rows.iter().any(|r| r.severity.is_some()));
    }
}
