//! Arrow record batches through the Arrow C data interface: an inventory batch in (a struct
//! array and its schema), the findings and device scores out, each as a schema and an array
//! the caller releases.

use crate::error::Failure;
use crate::exposure_status as S;
use crate::handle::{try_out, try_ref};
use crate::{exposure_engine, exposure_error, exposure_status};
use arrow_array::ffi::{from_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::{Array, RecordBatch, RecordBatchOptions, StructArray};
use arrow_schema::{DataType, Schema};
use std::sync::Arc;

/// Assesses an inventory given as an Arrow record batch through the Arrow C data interface:
/// `schema` describes `array`, a struct array of one row per software item with the columns
/// `device_id` (required), `groups` (list of strings), `value` (low, normal or high),
/// `ecosystem`, `name`, `version`, `purl`, `cpe` (strings: utf8, large utf8, utf8 view, or a
/// dictionary of them; a row whose item columns are all null is a device without software).
///
/// The call takes ownership of `array` whatever it returns (it is moved, and released when
/// the call is done with it: `array->release` is NULL after); `schema` is only read. On
/// success `findings_schema`/`findings` receive the findings (the columns of the findings
/// view: `Assessment.to_arrow("findings")`) and `devices_schema`/`devices` the device scores,
/// each a struct array the caller releases (`x->release(x)`). A bad row returns
/// `EXPOSURE_STATUS_INVENTORY_MALFORMED` with a message naming its column and row, Arrow data
/// that does not import (a malformed array, not a struct) `EXPOSURE_STATUS_INVALID_ARGUMENT`;
/// nothing is assessed then and the outputs are left untouched.
#[no_mangle]
pub extern "C" fn exposure_engine_assess_arrow(
    engine: *const exposure_engine,
    schema: *const FFI_ArrowSchema,
    array: *mut FFI_ArrowArray,
    findings_schema: *mut FFI_ArrowSchema,
    findings: *mut FFI_ArrowArray,
    devices_schema: *mut FFI_ArrowSchema,
    devices: *mut FFI_ArrowArray,
    err: *mut *mut exposure_error,
) -> exposure_status {
    crate::guard::guard_result(err, || {
        if array.is_null() {
            return Err(Failure::null("array"));
        }
        // SAFETY: `array` is an ArrowArray the caller hands over (the C data interface's move):
        // it is moved out, and the caller's struct left released.
        let array = unsafe { FFI_ArrowArray::from_raw(array) };
        let engine = try_ref!(engine);
        // SAFETY: a non-NULL `schema` points to an ArrowSchema the caller keeps valid for the
        // call.
        let schema = unsafe { schema.as_ref() }.ok_or_else(|| Failure::null("schema"))?;
        let findings_schema = try_out!(findings_schema);
        let findings = try_out!(findings);
        let devices_schema = try_out!(devices_schema);
        let devices = try_out!(devices);
        // SAFETY: `schema` describes `array`, as the C data interface requires of the caller.
        let data = unsafe { from_ffi(array, schema) }.map_err(|e| import(&e))?;
        let batch = batch_of_struct(data)?;
        let assessed = engine
            .assess_batch(&batch)
            .map_err(|e| Failure::new(S::InventoryMalformed, e.to_string()))?;
        let (fs, fa) = export(&assessed.findings)?;
        let (ds, da) = export(&assessed.devices)?;
        findings_schema.write(fs);
        findings.write(fa);
        devices_schema.write(ds);
        devices.write(da);
        Ok(())
    })
}

fn import(e: &dyn std::fmt::Display) -> Failure {
    Failure::new(
        S::InvalidArgument,
        format!("cannot import the Arrow data: {e}"),
    )
}

/// A record batch of an imported struct array (validated in full, without nulls of its own).
fn batch_of_struct(data: arrow_data::ArrayData) -> Result<RecordBatch, Failure> {
    if !matches!(data.data_type(), DataType::Struct(_)) {
        return Err(import(&format!(
            "expected a record batch (a struct array), found an array of {}",
            data.data_type()
        )));
    }
    data.validate_full().map_err(|e| import(&e))?;
    let rows = data.len();
    let (fields, columns, nulls) = StructArray::from(data).into_parts();
    if nulls.is_some_and(|n| n.null_count() > 0) {
        return Err(import(&"the struct array has null rows"));
    }
    RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        columns,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )
    .map_err(|e| import(&e))
}

/// A batch as a C data interface schema and struct array.
fn export(batch: &RecordBatch) -> Result<(FFI_ArrowSchema, FFI_ArrowArray), Failure> {
    let schema = FFI_ArrowSchema::try_from(batch.schema().as_ref())
        .map_err(|e| Failure::new(S::Serialization, e.to_string()))?;
    let array = FFI_ArrowArray::new(&StructArray::from(batch.clone()).to_data());
    Ok((schema, array))
}
