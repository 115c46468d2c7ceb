//! An inventory record batch read into a fleet: one row per software item, the rows of one
//! device anywhere in the batch.

use super::BatchError;
use crate::inventory::fleet::{named_software, ItemSource};
use crate::inventory::{Device, DeviceValue, Fleet, SharedSoftware, Software};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, ArrayRef, GenericListArray, LargeStringArray, OffsetSizeTrait, RecordBatch, StringArray,
    StringViewArray,
};
use arrow_schema::{DataType, Field, Schema};
use std::collections::HashMap;
use std::sync::Arc;

/// The columns of an inventory batch, in their usual order: `device_id` is required, the
/// others may be left out. `groups` is a list of strings; every other column holds strings
/// (`Utf8`, `LargeUtf8`, `Utf8View`, or dictionary-encoded).
///
/// ```
/// assert_eq!(exposure::arrow::INVENTORY_COLUMNS[0], "device_id");
/// ```
pub const INVENTORY_COLUMNS: [&str; 8] = [
    "device_id",
    "groups",
    "value",
    "ecosystem",
    "name",
    "version",
    "purl",
    "cpe",
];

/// The software columns, as a fleet document names an item's fields.
const ITEM_COLUMNS: [&str; 5] = ["ecosystem", "name", "version", "purl", "cpe"];

/// Reads an inventory batch into a fleet. Each row is a software item of the device
/// `device_id` (trimmed), read as a fleet document reads an item: a `purl` (with a `version`
/// beside it when the purl has none), a `cpe` (with an optional `name` and `version`), or an
/// `ecosystem`, `name` and `version`; a row whose item columns are all null adds no software
/// (a device without software). A device's rows may be anywhere; devices are in order of
/// their first row. `value` (low, normal or high; normal when null) and `groups` (a list of
/// non-empty strings) are the device's: rows of one device that state them must agree.
///
/// Fails closed: a missing `device_id` column, an unknown column, a column of the wrong type,
/// a null or empty device id, a bad value word, a purl or CPE name that does not parse, an
/// item lacking a field — each is a [`BatchError`] naming the column and row, never a row
/// left out.
///
/// ```
/// use exposure::arrow::{fleet_of_batch, inventory_batch};
/// let batch = inventory_batch(&[("a", Some("pkg:pypi/requests@2.19.0")), ("b", None), ("a", Some("pkg:npm/lodash@4.17.20"))])?;
/// let fleet = fleet_of_batch(&batch)?;
/// let ids: Vec<&str> = fleet.devices.iter().map(|d| d.id.as_str()).collect();
/// assert_eq!(ids, ["a", "b"]);
/// assert_eq!((fleet.devices[0].software.len(), fleet.devices[1].software.len()), (2, 0));
/// # Ok::<(), exposure::arrow::BatchError>(())
/// ```
pub fn fleet_of_batch(batch: &RecordBatch) -> Result<Fleet, BatchError> {
    fleet_of_batches([batch])
}

/// The batches of one inventory (a table's, a stream's) read into one fleet, as if they were
/// one batch ([`fleet_of_batch`]): a device's rows may be in several batches, and a row is
/// numbered across them (the first row of the second batch follows the last of the first).
///
/// ```
/// use exposure::arrow::{fleet_of_batches, inventory_batch, BatchError};
/// let one = inventory_batch(&[("a", Some("pkg:npm/lodash@4.17.20"))])?;
/// let two = inventory_batch(&[("b", None), ("a", Some("pkg:npm/lodash"))])?;
/// let e = fleet_of_batches([&one, &two]).unwrap_err();
/// assert!(matches!(e, BatchError::Invalid { column: "purl", row: 2, .. }));
/// let fleet = fleet_of_batches([&one, &one, &two.slice(0, 1)])?;
/// assert_eq!((fleet.devices.len(), fleet.devices[0].software.len()), (2, 2));
/// # Ok::<(), BatchError>(())
/// ```
pub fn fleet_of_batches<'b>(
    batches: impl IntoIterator<Item = &'b RecordBatch>,
) -> Result<Fleet, BatchError> {
    let mut reader = Reader::default();
    let mut first = 0;
    for batch in batches {
        let columns = Columns::of(batch)?;
        for row in 0..batch.num_rows() {
            reader.row(
                &columns,
                Place {
                    row,
                    at: first + row,
                },
            )?;
        }
        first += batch.num_rows();
    }
    Ok(reader.fleet)
}

/// A row: its index in its batch, and its number across the batches (in errors).
#[derive(Clone, Copy)]
struct Place {
    row: usize,
    at: usize,
}

/// A small inventory batch of `device_id` and `purl` columns, one row per pair (a `None` purl:
/// a device without software) — for examples and tests; build any other with arrow-array.
///
/// ```
/// let batch = exposure::arrow::inventory_batch(&[("d", Some("pkg:npm/lodash@4.17.20"))])?;
/// assert_eq!((batch.num_rows(), batch.num_columns()), (1, 2));
/// # Ok::<(), exposure::arrow::BatchError>(())
/// ```
pub fn inventory_batch(rows: &[(&str, Option<&str>)]) -> Result<RecordBatch, BatchError> {
    let ids: StringArray = rows.iter().map(|(id, _)| Some(*id)).collect();
    let purls: StringArray = rows.iter().map(|(_, purl)| *purl).collect();
    let schema = Schema::new(vec![
        Field::new("device_id", DataType::Utf8, false),
        Field::new("purl", DataType::Utf8, true),
    ]);
    RecordBatch::try_new(Arc::new(schema), vec![Arc::new(ids), Arc::new(purls)]).map_err(|e| {
        BatchError::Output {
            view: "inventory",
            message: e.to_string(),
        }
    })
}

/// A string column of any of Arrow's string layouts.
enum Texts<'b> {
    Utf8(&'b StringArray),
    Large(&'b LargeStringArray),
    View(&'b StringViewArray),
    /// Dictionary-encoded: each row's index into the values (nulls read from the keys).
    Dictionary {
        keys: &'b dyn Array,
        indices: Vec<usize>,
        values: Box<Texts<'b>>,
    },
}

const STRINGS: &str = "Utf8, LargeUtf8, Utf8View or a dictionary of them";

impl<'b> Texts<'b> {
    fn of(column: &'static str, array: &'b ArrayRef) -> Result<Self, BatchError> {
        let wrong = || BatchError::WrongType {
            column,
            found: array.data_type().to_string(),
            expected: STRINGS,
        };
        Ok(match array.data_type() {
            DataType::Utf8 => Texts::Utf8(array.as_string::<i32>()),
            DataType::LargeUtf8 => Texts::Large(array.as_string::<i64>()),
            DataType::Utf8View => Texts::View(array.as_string_view()),
            DataType::Dictionary(key, _) => {
                let dictionary = match key.as_ref() {
                    DataType::Int8 => {
                        array.as_dictionary::<Int8Type>() as &dyn arrow_array::AnyDictionaryArray
                    }
                    DataType::Int16 => array.as_dictionary::<Int16Type>(),
                    DataType::Int32 => array.as_dictionary::<Int32Type>(),
                    DataType::Int64 => array.as_dictionary::<Int64Type>(),
                    DataType::UInt8 => array.as_dictionary::<UInt8Type>(),
                    DataType::UInt16 => array.as_dictionary::<UInt16Type>(),
                    DataType::UInt32 => array.as_dictionary::<UInt32Type>(),
                    DataType::UInt64 => array.as_dictionary::<UInt64Type>(),
                    _ => return Err(wrong()),
                };
                let values = Texts::of(column, dictionary.values()).map_err(|_| wrong())?;
                Texts::Dictionary {
                    keys: dictionary.keys(),
                    indices: dictionary.normalized_keys(),
                    values: Box::new(values),
                }
            }
            _ => return Err(wrong()),
        })
    }

    /// The text of `row`, `None` when null.
    fn get(&self, row: usize) -> Option<&'b str> {
        match self {
            Texts::Utf8(a) => a.is_valid(row).then(|| a.value(row)),
            Texts::Large(a) => a.is_valid(row).then(|| a.value(row)),
            Texts::View(a) => a.is_valid(row).then(|| a.value(row)),
            Texts::Dictionary {
                keys,
                indices,
                values,
            } => {
                if keys.is_null(row) {
                    return None;
                }
                values.get(*indices.get(row)?)
            }
        }
    }
}

/// A list-of-strings column (`groups`).
struct TextLists<'b> {
    /// Each row's range of elements, `None` when null.
    ranges: Vec<Option<(usize, usize)>>,
    elements: Texts<'b>,
}

impl<'b> TextLists<'b> {
    fn of(column: &'static str, array: &'b ArrayRef) -> Result<Self, BatchError> {
        fn read<'b, O: OffsetSizeTrait>(
            column: &'static str,
            list: &'b GenericListArray<O>,
        ) -> Result<TextLists<'b>, BatchError> {
            let offsets = list.value_offsets();
            let ranges = (0..list.len())
                .map(|row| {
                    list.is_valid(row)
                        .then(|| (offsets[row].as_usize(), offsets[row + 1].as_usize()))
                })
                .collect();
            Ok(TextLists {
                ranges,
                elements: Texts::of(column, list.values())?,
            })
        }
        let wrong = || BatchError::WrongType {
            column,
            found: array.data_type().to_string(),
            expected: "List or LargeList of strings",
        };
        match array.data_type() {
            DataType::List(_) => read(column, array.as_list::<i32>()).map_err(|_| wrong()),
            DataType::LargeList(_) => read(column, array.as_list::<i64>()).map_err(|_| wrong()),
            _ => Err(wrong()),
        }
    }

    /// The elements of `row`, trimmed and each once; `None` when the row is null.
    fn get(&self, column: &'static str, place: Place) -> Result<Option<Vec<String>>, BatchError> {
        let row = place.at;
        let Some((start, end)) = self.ranges.get(place.row).copied().flatten() else {
            return Ok(None);
        };
        let mut out: Vec<String> = Vec::with_capacity(end - start);
        for i in start..end {
            let text = self
                .elements
                .get(i)
                .ok_or(BatchError::Null { column, row })?
                .trim();
            if text.is_empty() {
                return Err(BatchError::Invalid {
                    column,
                    row,
                    message: "holds an empty group".to_owned(),
                });
            }
            if !out.iter().any(|known| known == text) {
                out.push(text.to_owned());
            }
        }
        Ok(Some(out))
    }
}

/// The columns of an inventory batch, by role.
struct Columns<'b> {
    device_id: Texts<'b>,
    groups: Option<TextLists<'b>>,
    value: Option<Texts<'b>>,
    /// In the order of [`ITEM_COLUMNS`].
    items: [Option<Texts<'b>>; 5],
}

impl<'b> Columns<'b> {
    fn of(batch: &'b RecordBatch) -> Result<Self, BatchError> {
        let schema = batch.schema_ref();
        if let Some(field) = schema
            .fields()
            .iter()
            .find(|f| !INVENTORY_COLUMNS.contains(&f.name().as_str()))
        {
            return Err(BatchError::UnknownColumn {
                column: field.name().clone(),
            });
        }
        let texts = |name: &'static str| {
            batch
                .column_by_name(name)
                .map(|array| Texts::of(name, array))
                .transpose()
        };
        let mut items = [None, None, None, None, None];
        for (slot, name) in items.iter_mut().zip(ITEM_COLUMNS) {
            *slot = texts(name)?;
        }
        Ok(Columns {
            device_id: texts("device_id")?.ok_or(BatchError::MissingColumn {
                column: "device_id",
            })?,
            groups: batch
                .column_by_name("groups")
                .map(|array| TextLists::of("groups", array))
                .transpose()?,
            value: texts("value")?,
            items,
        })
    }
}

/// One row's software columns, read as a fleet document's item.
struct Row<'c, 'b> {
    columns: &'c Columns<'b>,
    place: Place,
}

impl<'b> ItemSource<'b> for Row<'_, 'b> {
    type Error = BatchError;

    fn text(&self, field: &'static str) -> Result<Option<&'b str>, BatchError> {
        Ok(ITEM_COLUMNS
            .iter()
            .position(|c| *c == field)
            .and_then(|i| self.columns.items[i].as_ref())
            .and_then(|texts| texts.get(self.place.row)))
    }

    fn states(&self, field: &'static str) -> bool {
        matches!(self.text(field), Ok(Some(_)))
    }

    fn bad(&self, field: &'static str, message: String) -> BatchError {
        let column = ITEM_COLUMNS
            .into_iter()
            .find(|c| *c == field)
            .unwrap_or("cpe");
        BatchError::Invalid {
            column,
            row: self.place.at,
            message,
        }
    }
}

/// The fleet read so far.
#[derive(Default)]
struct Reader<'b> {
    fleet: Fleet,
    /// Each device's index in the fleet, and whether a row stated its value and groups.
    devices: HashMap<&'b str, (usize, bool, bool)>,
    /// Items read already, by their columns' texts: each distinct item is parsed once.
    items: HashMap<[Option<&'b str>; 5], Arc<Software>>,
    shared: SharedSoftware,
}

impl<'b> Reader<'b> {
    fn row(&mut self, columns: &Columns<'b>, place: Place) -> Result<(), BatchError> {
        let Place {
            row: index,
            at: row,
        } = place;
        let id = columns
            .device_id
            .get(index)
            .ok_or(BatchError::Null {
                column: "device_id",
                row,
            })?
            .trim();
        if id.is_empty() {
            return Err(BatchError::Invalid {
                column: "device_id",
                row,
                message: "is empty".to_owned(),
            });
        }
        let value = match columns.value.as_ref().and_then(|v| v.get(index)) {
            None => None,
            Some(word) => {
                Some(
                    DeviceValue::from_name(word).ok_or_else(|| BatchError::Invalid {
                        column: "value",
                        row,
                        message: format!("{word:?} is not one of low, normal, high"),
                    })?,
                )
            }
        };
        let groups = match &columns.groups {
            Some(lists) => lists.get("groups", place)?,
            None => None,
        };
        let software = self.software(columns, place)?;
        let fleet = &mut self.fleet;
        let (index, has_value, has_groups) = self.devices.entry(id).or_insert_with(|| {
            fleet
                .devices
                .push(Device::with_software(id, id, Vec::new()));
            (fleet.devices.len() - 1, false, false)
        });
        let device = &mut fleet.devices[*index];
        let conflict = |column| BatchError::Conflict {
            column,
            row,
            device: id.to_owned(),
        };
        if let Some(value) = value {
            if *has_value && device.value != value {
                return Err(conflict("value"));
            }
            (device.value, *has_value) = (value, true);
        }
        if let Some(groups) = groups {
            if *has_groups && device.groups != groups {
                return Err(conflict("groups"));
            }
            (device.groups, *has_groups) = (groups, true);
        }
        device.software.extend(software);
        Ok(())
    }

    /// The software item of `row`, `None` when its item columns are all null.
    fn software(
        &mut self,
        columns: &Columns<'b>,
        place: Place,
    ) -> Result<Option<Arc<Software>>, BatchError> {
        let key = columns
            .items
            .each_ref()
            .map(|texts| texts.as_ref().and_then(|t| t.get(place.row)));
        if key.iter().all(Option::is_none) {
            return Ok(None);
        }
        if let Some(known) = self.items.get(&key) {
            return Ok(Some(Arc::clone(known)));
        }
        let source = Row { columns, place };
        let cpe = key[4];
        let mut software = named_software(&source, cpe)?;
        if software.cpe.is_none() {
            if let Some(problem) = software.claim_stated_cpe(cpe, String::new) {
                return Err(source.bad("cpe", problem.message));
            }
        }
        let software = self.shared.canonical(Arc::new(software));
        self.items.insert(key, Arc::clone(&software));
        Ok(Some(software))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::builder::{ListBuilder, StringBuilder, StringDictionaryBuilder};

    fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
        RecordBatch::try_from_iter(columns).unwrap()
    }

    fn strings(values: &[Option<&str>]) -> ArrayRef {
        Arc::new(values.iter().copied().collect::<StringArray>())
    }

    #[test]
    fn every_string_layout_reads_alike() {
        let ids = [Some("a"), Some("b"), Some("a")];
        let purls = [
            Some("pkg:npm/lodash@4.17.20"),
            None,
            Some("pkg:npm/minimist@1.2.5"),
        ];
        let plain = fleet_of_batch(&batch(vec![
            ("device_id", strings(&ids)),
            ("purl", strings(&purls)),
        ]))
        .unwrap();
        let large: ArrayRef = Arc::new(purls.iter().copied().collect::<LargeStringArray>());
        let view: ArrayRef = Arc::new(purls.iter().copied().collect::<StringViewArray>());
        let mut dictionary = StringDictionaryBuilder::<Int8Type>::new();
        for id in ids {
            dictionary.append_option(id);
        }
        let dictionary: ArrayRef = Arc::new(dictionary.finish());
        for (id, purl) in [(strings(&ids), large), (dictionary, view)] {
            let other = fleet_of_batch(&batch(vec![("device_id", id), ("purl", purl)])).unwrap();
            assert_eq!(other, plain);
        }
        assert_eq!(plain.devices.len(), 2);
        assert_eq!(plain.devices[0].software.len(), 2);
    }

    #[test]
    fn a_row_is_read_as_a_fleet_document_item() {
        let b = batch(vec![
            ("device_id", strings(&[Some(" h "), Some("h"), Some("h")])),
            ("value", strings(&[Some("High"), None, Some("high")])),
            ("ecosystem", strings(&[Some("PyPI"), None, None])),
            ("name", strings(&[Some("requests"), None, Some("Firefox")])),
            ("version", strings(&[Some("2.19.0"), None, None])),
            (
                "cpe",
                strings(&[
                    None,
                    None,
                    Some("cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*"),
                ]),
            ),
        ]);
        let fleet = fleet_of_batch(&b).unwrap();
        let document = crate::inventory::load_text(
            r#"{"devices": [{"id": "h", "value": "high", "software": [
                {"ecosystem": "PyPI", "name": "requests", "version": "2.19.0"},
                {"name": "Firefox", "cpe": "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*"}]}]}"#,
            "inline",
            &crate::inventory::LoadOptions::default(),
        )
        .unwrap()
        .fleet;
        assert_eq!(fleet, document);
    }

    #[test]
    fn groups_are_lists_of_strings_agreed_by_every_row() {
        let mut groups = ListBuilder::new(StringBuilder::new());
        groups.append_value([Some("web"), Some(" prod "), Some("web")]);
        groups.append_null();
        groups.append_value([Some("prod"), Some("web")]);
        let groups: ArrayRef = Arc::new(groups.finish());
        let ids = strings(&[Some("a"), Some("a"), Some("a")]);
        let e = fleet_of_batch(&batch(vec![
            ("device_id", Arc::clone(&ids)),
            ("groups", groups),
        ]))
        .unwrap_err();
        assert_eq!(
            e,
            BatchError::Conflict {
                column: "groups",
                row: 2,
                device: "a".into()
            }
        );
        let mut groups = ListBuilder::new(StringBuilder::new());
        groups.append_value([Some("web"), Some(" prod "), Some("web")]);
        groups.append_null();
        groups.append_value([Some("web"), Some("prod")]);
        let fleet = fleet_of_batch(&batch(vec![
            ("device_id", ids),
            ("groups", Arc::new(groups.finish())),
        ]))
        .unwrap();
        assert_eq!(fleet.devices[0].groups, ["web", "prod"]);
    }

    #[test]
    fn bad_input_fails_closed_naming_column_and_row() {
        let ids = || strings(&[Some("a"), Some("b")]);
        let cases: Vec<(Vec<(&str, ArrayRef)>, BatchError)> = vec![
            (
                vec![("purl", strings(&[None, None]))],
                BatchError::MissingColumn {
                    column: "device_id",
                },
            ),
            (
                vec![("device_id", ids()), ("host", ids())],
                BatchError::UnknownColumn {
                    column: "host".into(),
                },
            ),
            (
                vec![(
                    "device_id",
                    Arc::new(arrow_array::Int32Array::from(vec![1, 2])) as ArrayRef,
                )],
                BatchError::WrongType {
                    column: "device_id",
                    found: "Int32".into(),
                    expected: STRINGS,
                },
            ),
            (
                vec![("device_id", strings(&[Some("a"), None]))],
                BatchError::Null {
                    column: "device_id",
                    row: 1,
                },
            ),
            (
                vec![("device_id", strings(&[Some("a"), Some(" ")]))],
                BatchError::Invalid {
                    column: "device_id",
                    row: 1,
                    message: "is empty".into(),
                },
            ),
            (
                vec![
                    ("device_id", ids()),
                    ("value", strings(&[None, Some("urgent")])),
                ],
                BatchError::Invalid {
                    column: "value",
                    row: 1,
                    message: "\"urgent\" is not one of low, normal, high".into(),
                },
            ),
            (
                vec![
                    ("device_id", ids()),
                    ("name", strings(&[None, Some("requests")])),
                ],
                BatchError::Invalid {
                    column: "ecosystem",
                    row: 1,
                    message: "is missing".into(),
                },
            ),
            (
                vec![
                    ("device_id", ids()),
                    (
                        "purl",
                        strings(&[Some("pkg:npm/lodash@1"), Some("pkg:npm/lodash@1")]),
                    ),
                    ("name", strings(&[None, Some("x")])),
                ],
                BatchError::Invalid {
                    column: "name",
                    row: 1,
                    message: "give either a purl or ecosystem, name and version, not both".into(),
                },
            ),
        ];
        for (columns, expected) in cases {
            assert_eq!(fleet_of_batch(&batch(columns)).unwrap_err(), expected);
        }
        let bad_cpe = fleet_of_batch(&batch(vec![
            ("device_id", ids()),
            ("cpe", strings(&[None, Some("cpe:2.3:x")])),
        ]));
        assert!(matches!(
            bad_cpe,
            Err(BatchError::Invalid {
                column: "cpe",
                row: 1,
                ..
            })
        ));
        let cpe_beside = fleet_of_batch(&batch(vec![
            ("device_id", ids()),
            ("purl", strings(&[None, Some("pkg:npm/lodash@4.17.20")])),
            ("cpe", strings(&[None, Some("cpe:bad")])),
        ]));
        assert!(matches!(
            cpe_beside,
            Err(BatchError::Invalid {
                column: "cpe",
                row: 1,
                ..
            })
        ));
    }
}
