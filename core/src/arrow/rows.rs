//! A view's rows as a record batch, typed by the view's columns ([`crate::columns`]): one
//! builder per column type, none per column.

use super::BatchError;
use crate::columns::{Column, ColumnType};
use arrow_array::builder::{ListBuilder, StringBuilder, StringDictionaryBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use serde_json::Value;
use std::sync::Arc;

/// The Arrow schema of a view's columns (see the table in [`crate::arrow`]).
///
/// ```
/// use arrow_schema::DataType;
/// let schema = exposure::arrow::schema_of(&exposure::assessment::DeviceExposure::SCHEMA);
/// assert_eq!(schema.field_with_name("findings").unwrap().data_type(), &DataType::Int64);
/// assert!(!schema.field_with_name("device_id").unwrap().is_nullable());
/// ```
pub fn schema_of(columns: &[Column]) -> Schema {
    Schema::new(
        columns
            .iter()
            .map(|c| Field::new(c.name, data_type(c.kind), c.nullable))
            .collect::<Vec<_>>(),
    )
}

/// The Arrow type of a column type.
fn data_type(kind: ColumnType) -> DataType {
    match kind {
        ColumnType::Text => DataType::Utf8,
        ColumnType::Category => {
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
        }
        ColumnType::Float => DataType::Float64,
        ColumnType::Count => DataType::Int64,
        ColumnType::Bool => DataType::Boolean,
        ColumnType::Date => DataType::Date32,
        ColumnType::TextList => DataType::new_list(DataType::Utf8, true),
    }
}

/// `rows` (serialisable structs with the fields `columns` names, such as
/// [`FindingRow`](crate::assessment::FindingRow)) as a record batch of [`schema_of`]`(columns)`;
/// `view` names the view in an error.
///
/// ```
/// use exposure::assessment::DeviceExposure;
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let batch = exposure::arrow::rows_to_batch(&a.devices, &DeviceExposure::SCHEMA, "devices")?;
/// assert_eq!(batch.num_rows(), a.devices.len());
/// # Ok::<(), exposure::arrow::BatchError>(())
/// ```
pub fn rows_to_batch<T: serde::Serialize>(
    rows: &[T],
    columns: &[Column],
    view: &'static str,
) -> Result<RecordBatch, BatchError> {
    let output = |message: String| BatchError::Output { view, message };
    let rows = rows
        .iter()
        .map(|row| match serde_json::to_value(row) {
            Ok(Value::Object(fields)) => Ok(fields),
            Ok(other) => Err(output(format!("a row is not an object but {other}"))),
            Err(e) => Err(output(e.to_string())),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let arrays = columns
        .iter()
        .map(|column| {
            let values = rows
                .iter()
                .map(|row| row.get(column.name).unwrap_or(&Value::Null));
            array(column.kind, values).map_err(|found| {
                output(format!(
                    "column {:?} holds {found}, not a {}",
                    column.name,
                    column.kind.name()
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    RecordBatch::try_new(Arc::new(schema_of(columns)), arrays).map_err(|e| output(e.to_string()))
}

/// The array of a column of `kind`, or the value not of its type.
fn array<'v>(
    kind: ColumnType,
    values: impl Iterator<Item = &'v Value>,
) -> Result<ArrayRef, String> {
    Ok(match kind {
        ColumnType::Text => Arc::new(texts(values)?.into_iter().collect::<StringArray>()),
        ColumnType::Category => category(values)?,
        ColumnType::Float => Arc::new(floats(values)?),
        ColumnType::Count => Arc::new(counts(values)?),
        ColumnType::Bool => Arc::new(booleans(values)?),
        ColumnType::Date => Arc::new(dates(values)?),
        ColumnType::TextList => text_lists(values)?,
    })
}

/// Each value read by `read`, null read as `None`.
fn each<'v, T>(
    values: impl Iterator<Item = &'v Value>,
    read: impl Fn(&'v Value) -> Option<T>,
) -> Result<Vec<Option<T>>, String> {
    values
        .map(|value| match value {
            Value::Null => Ok(None),
            other => read(other).map(Some).ok_or_else(|| other.to_string()),
        })
        .collect()
}

fn texts<'v>(values: impl Iterator<Item = &'v Value>) -> Result<Vec<Option<&'v str>>, String> {
    each(values, Value::as_str)
}

fn category<'v>(values: impl Iterator<Item = &'v Value>) -> Result<ArrayRef, String> {
    let mut builder = StringDictionaryBuilder::<Int32Type>::new();
    for text in texts(values)? {
        builder.append_option(text);
    }
    Ok(Arc::new(builder.finish()))
}

fn floats<'v>(values: impl Iterator<Item = &'v Value>) -> Result<Float64Array, String> {
    Ok(each(values, Value::as_f64)?.into_iter().collect())
}

fn counts<'v>(values: impl Iterator<Item = &'v Value>) -> Result<Int64Array, String> {
    Ok(each(values, Value::as_i64)?.into_iter().collect())
}

fn booleans<'v>(values: impl Iterator<Item = &'v Value>) -> Result<BooleanArray, String> {
    Ok(each(values, Value::as_bool)?.into_iter().collect())
}

fn dates<'v>(values: impl Iterator<Item = &'v Value>) -> Result<Date32Array, String> {
    let day = |value: &Value| {
        let date = value.as_str()?.parse::<crate::date::Date>().ok()?;
        i32::try_from(date.days_since_epoch()).ok()
    };
    Ok(each(values, day)?.into_iter().collect())
}

fn text_lists<'v>(values: impl Iterator<Item = &'v Value>) -> Result<ArrayRef, String> {
    let mut builder = ListBuilder::new(StringBuilder::new());
    for list in each(values, Value::as_array)? {
        match list {
            None => builder.append_null(),
            Some(items) => {
                let items = each(items.iter(), Value::as_str)?;
                builder.append_value(items);
            }
        }
    }
    Ok(Arc::new(builder.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::FindingRow;
    use arrow_array::cast::AsArray;
    use arrow_array::Array;

    #[test]
    fn the_findings_of_the_demo_as_a_batch() {
        let a = crate::Engine::demo().assess_as_of(
            &crate::demo::fleet(),
            Some("2026-12-04".parse().unwrap()),
            &|_, _| {},
        );
        let rows = a.finding_rows();
        let batch = rows_to_batch(&rows, &FindingRow::SCHEMA, "findings").unwrap();
        assert_eq!(batch.num_rows(), rows.len());
        assert_eq!(batch.num_columns(), FindingRow::SCHEMA.len());
        let kev = batch.column_by_name("kev_date_added").unwrap();
        let kev = kev.as_primitive::<arrow_array::types::Date32Type>();
        let (i, row) = rows
            .iter()
            .enumerate()
            .find(|(_, r)| r.kev_date_added.is_some())
            .unwrap();
        assert_eq!(
            i64::from(kev.value(i)),
            row.kev_date_added.unwrap().days_since_epoch()
        );
        assert_eq!(
            kev.null_count(),
            rows.iter().filter(|r| r.kev_date_added.is_none()).count()
        );
        let ecosystem = batch.column_by_name("ecosystem").unwrap();
        let ecosystem = ecosystem.as_dictionary::<Int32Type>();
        let names = ecosystem.values().as_string::<i32>();
        let first = names.value(ecosystem.keys().value(0).try_into().unwrap());
        assert_eq!(first, rows[0].ecosystem);
    }

    #[test]
    fn a_value_not_of_its_column_type_is_an_error() {
        #[derive(serde::Serialize)]
        struct Row {
            n: i64,
        }
        let columns = [Column::new("n", ColumnType::Count)];
        assert!(rows_to_batch(&[Row { n: 3 }], &columns, "v").is_ok());
        let e =
            rows_to_batch(&[Row { n: 3 }], &[Column::new("n", ColumnType::Bool)], "v").unwrap_err();
        assert!(matches!(e, BatchError::Output { view: "v", .. }), "{e}");
        let missing = rows_to_batch(&[Row { n: 3 }], &[Column::new("m", ColumnType::Text)], "v");
        assert!(missing.is_err(), "a null in a column that is not nullable");
    }
}
