//! A view's rows as a record batch, typed by the view's columns ([`crate::columns`]): one
//! builder per column type, none per column.

use super::BatchError;
use crate::columns::{Column, ColumnType};
use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
    StringDictionaryBuilder,
};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, RecordBatch};
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
/// `view` names the view in an error. Each row is serialised straight into the columns'
/// builders (one per column type): no intermediate value is made.
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
    let mut table = Table {
        columns,
        builders: columns
            .iter()
            .map(|c| Builder::new(c.kind, rows.len()))
            .collect(),
        filled: vec![false; columns.len()],
    };
    for row in rows {
        table.filled.fill(false);
        row.serialize(RowSerializer(&mut table))
            .map_err(|e| output(e.0))?;
        // A field the row does not have is null.
        for (builder, filled) in table.builders.iter_mut().zip(&table.filled) {
            if !filled {
                builder.null();
            }
        }
    }
    let arrays = table.builders.into_iter().map(Builder::finish).collect();
    RecordBatch::try_new(Arc::new(schema_of(columns)), arrays).map_err(|e| output(e.to_string()))
}

/// The builder of a column, by its type.
enum Builder {
    Text(StringBuilder),
    Category(StringDictionaryBuilder<Int32Type>),
    Float(Float64Builder),
    Count(Int64Builder),
    Bool(BooleanBuilder),
    Date(Date32Builder),
    TextList(ListBuilder<StringBuilder>),
}

impl Builder {
    fn new(kind: ColumnType, rows: usize) -> Self {
        match kind {
            ColumnType::Text => Builder::Text(StringBuilder::with_capacity(rows, rows * 8)),
            ColumnType::Category => Builder::Category(StringDictionaryBuilder::new()),
            ColumnType::Float => Builder::Float(Float64Builder::with_capacity(rows)),
            ColumnType::Count => Builder::Count(Int64Builder::with_capacity(rows)),
            ColumnType::Bool => Builder::Bool(BooleanBuilder::with_capacity(rows)),
            ColumnType::Date => Builder::Date(Date32Builder::with_capacity(rows)),
            ColumnType::TextList => Builder::TextList(ListBuilder::new(StringBuilder::new())),
        }
    }

    fn null(&mut self) {
        match self {
            Builder::Text(b) => b.append_null(),
            Builder::Category(b) => b.append_null(),
            Builder::Float(b) => b.append_null(),
            Builder::Count(b) => b.append_null(),
            Builder::Bool(b) => b.append_null(),
            Builder::Date(b) => b.append_null(),
            Builder::TextList(b) => b.append_null(),
        }
    }

    fn finish(self) -> ArrayRef {
        match self {
            Builder::Text(mut b) => Arc::new(b.finish()),
            Builder::Category(mut b) => Arc::new(b.finish()),
            Builder::Float(mut b) => Arc::new(b.finish()),
            Builder::Count(mut b) => Arc::new(b.finish()),
            Builder::Bool(mut b) => Arc::new(b.finish()),
            Builder::Date(mut b) => Arc::new(b.finish()),
            Builder::TextList(mut b) => Arc::new(b.finish()),
        }
    }

    /// Appends a text: to a text, category or date column (a day `YYYY-MM-DD`).
    fn text(&mut self, text: &str) -> Result<(), Unfit> {
        match self {
            Builder::Text(b) => b.append_value(text),
            Builder::Category(b) => drop(b.append(text)),
            Builder::Date(b) => {
                let day = text
                    .parse::<crate::date::Date>()
                    .ok()
                    .and_then(|d| i32::try_from(d.days_since_epoch()).ok())
                    .ok_or_else(|| Unfit(format!("{text:?} is not a day")))?;
                b.append_value(day);
            }
            _ => return Err(Unfit(format!("the text {text:?}"))),
        }
        Ok(())
    }

    fn float(&mut self, value: f64) -> Result<(), Unfit> {
        match self {
            Builder::Float(b) => b.append_value(value),
            _ => return Err(Unfit(format!("the number {value}"))),
        }
        Ok(())
    }

    fn integer(&mut self, value: i128) -> Result<(), Unfit> {
        match self {
            Builder::Count(b) if value >= 0 => b.append_value(
                i64::try_from(value).map_err(|_| Unfit(format!("the count {value}")))?,
            ),
            // Whole numbers in a float column are floats (as JSON has them).
            #[allow(clippy::cast_precision_loss)]
            Builder::Float(b) => b.append_value(value as f64),
            _ => return Err(Unfit(format!("the integer {value}"))),
        }
        Ok(())
    }

    fn boolean(&mut self, value: bool) -> Result<(), Unfit> {
        match self {
            Builder::Bool(b) => b.append_value(value),
            _ => return Err(Unfit(format!("the boolean {value}"))),
        }
        Ok(())
    }
}

/// The columns of the batch being made.
struct Table<'c> {
    columns: &'c [Column],
    builders: Vec<Builder>,
    /// Which columns the row at hand has filled.
    filled: Vec<bool>,
}

impl Table<'_> {
    /// The builder of the field `name`, marked filled; an unknown or repeated field is an
    /// error.
    fn field(&mut self, name: &str) -> Result<&mut Builder, Unfit> {
        let i = self
            .columns
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| Unfit(format!("a row has the field {name:?}, not a column")))?;
        if std::mem::replace(&mut self.filled[i], true) {
            return Err(Unfit(format!("a row has the field {name:?} twice")));
        }
        Ok(&mut self.builders[i])
    }
}

/// Why a row does not fit the columns.
#[derive(Debug)]
struct Unfit(String);

impl std::fmt::Display for Unfit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unfit {}

impl serde::ser::Error for Unfit {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Unfit(message.to_string())
    }
}

/// The serialisers below refuse every shape a row's field cannot have.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ret, Unfit> {
            Err(Unfit(concat!("a value of an unsupported shape (", stringify!($method), ")").to_owned()))
        })*
    };
}

/// Serialises one row: a struct (or a map with text keys) of the columns' fields.
struct RowSerializer<'t, 'c>(&'t mut Table<'c>);

impl<'t, 'c> serde::Serializer for RowSerializer<'t, 'c> {
    type Ok = ();
    type Error = Unfit;
    type SerializeSeq = serde::ser::Impossible<(), Unfit>;
    type SerializeTuple = serde::ser::Impossible<(), Unfit>;
    type SerializeTupleStruct = serde::ser::Impossible<(), Unfit>;
    type SerializeTupleVariant = serde::ser::Impossible<(), Unfit>;
    type SerializeMap = RowMap<'t, 'c>;
    type SerializeStruct = Self;
    type SerializeStructVariant = serde::ser::Impossible<(), Unfit>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unfit> {
        Ok(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<RowMap<'t, 'c>, Unfit> {
        Ok(RowMap {
            table: self.0,
            key: None,
        })
    }

    refuse! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<V: serde::Serialize + ?Sized>(self, value: &V) -> Result<(), Unfit> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<V: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &V,
    ) -> Result<(), Unfit> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<V: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &V,
    ) -> Result<(), Unfit> {
        Err(Unfit("a row that is an enum".to_owned()))
    }
}

impl serde::ser::SerializeStruct for RowSerializer<'_, '_> {
    type Ok = ();
    type Error = Unfit;

    fn serialize_field<V: serde::Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), Unfit> {
        let name = key;
        value
            .serialize(CellSerializer(self.0.field(key)?))
            .map_err(|e| Unfit(format!("column {name:?} cannot hold {e}")))
    }

    fn skip_field(&mut self, _: &'static str) -> Result<(), Unfit> {
        Ok(())
    }

    fn end(self) -> Result<(), Unfit> {
        Ok(())
    }
}

/// A row serialised as a map (a struct with flattened fields).
struct RowMap<'t, 'c> {
    table: &'t mut Table<'c>,
    key: Option<String>,
}

impl serde::ser::SerializeMap for RowMap<'_, '_> {
    type Ok = ();
    type Error = Unfit;

    fn serialize_key<K: serde::Serialize + ?Sized>(&mut self, key: &K) -> Result<(), Unfit> {
        match serde_json::to_value(key) {
            Ok(Value::String(key)) => {
                self.key = Some(key);
                Ok(())
            }
            _ => Err(Unfit("a row with a key that is not a text".to_owned())),
        }
    }

    fn serialize_value<V: serde::Serialize + ?Sized>(&mut self, value: &V) -> Result<(), Unfit> {
        let key = self.key.take().unwrap_or_default();
        value
            .serialize(CellSerializer(self.table.field(&key)?))
            .map_err(|e| Unfit(format!("column {key:?} cannot hold {e}")))
    }

    fn end(self) -> Result<(), Unfit> {
        Ok(())
    }
}

/// Serialises one field's value into its column's builder.
struct CellSerializer<'b>(&'b mut Builder);

impl<'b> serde::Serializer for CellSerializer<'b> {
    type Ok = ();
    type Error = Unfit;
    type SerializeSeq = TextList<'b>;
    type SerializeTuple = serde::ser::Impossible<(), Unfit>;
    type SerializeTupleStruct = serde::ser::Impossible<(), Unfit>;
    type SerializeTupleVariant = serde::ser::Impossible<(), Unfit>;
    type SerializeMap = serde::ser::Impossible<(), Unfit>;
    type SerializeStruct = serde::ser::Impossible<(), Unfit>;
    type SerializeStructVariant = serde::ser::Impossible<(), Unfit>;

    fn serialize_bool(self, v: bool) -> Result<(), Unfit> {
        self.0.boolean(v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unfit> {
        self.0.integer(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unfit> {
        self.0.integer(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unfit> {
        self.0.integer(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unfit> {
        self.0.integer(v.into())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unfit> {
        self.0.integer(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unfit> {
        self.0.integer(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unfit> {
        self.0.integer(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unfit> {
        self.0.integer(v.into())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unfit> {
        self.0.float(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unfit> {
        self.0.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Unfit> {
        self.0.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Unfit> {
        self.0.text(v)
    }
    fn serialize_none(self) -> Result<(), Unfit> {
        self.0.null();
        Ok(())
    }
    fn serialize_unit(self) -> Result<(), Unfit> {
        self.0.null();
        Ok(())
    }
    fn serialize_some<V: serde::Serialize + ?Sized>(self, value: &V) -> Result<(), Unfit> {
        value.serialize(self)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unfit> {
        self.0.text(variant)
    }
    fn serialize_newtype_struct<V: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &V,
    ) -> Result<(), Unfit> {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<TextList<'b>, Unfit> {
        match self.0 {
            Builder::TextList(list) => Ok(TextList(list)),
            _ => Err(Unfit("a list".to_owned())),
        }
    }

    refuse! {
        serialize_bytes(&[u8]) -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_newtype_variant<V: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &V,
    ) -> Result<(), Unfit> {
        Err(Unfit("an enum with a value".to_owned()))
    }
}

/// The texts of one list cell.
struct TextList<'b>(&'b mut ListBuilder<StringBuilder>);

impl serde::ser::SerializeSeq for TextList<'_> {
    type Ok = ();
    type Error = Unfit;

    fn serialize_element<V: serde::Serialize + ?Sized>(&mut self, value: &V) -> Result<(), Unfit> {
        match serde_json::to_value(value) {
            Ok(Value::String(text)) => {
                self.0.values().append_value(text);
                Ok(())
            }
            _ => Err(Unfit("a list element that is not a text".to_owned())),
        }
    }

    fn end(self) -> Result<(), Unfit> {
        self.0.append(true);
        Ok(())
    }
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
