//! The mergeable aggregate of a partitioned assessment (core's `exposure::stream::Aggregate`)
//! across Python: a partition's aggregate as bytes (`ArrowAssessment.aggregate()`), and the
//! parts merged and finished on one engine (`Engine.finish_aggregates`) into the fleet-wide
//! results, the core's `Finished` as a dict. A Spark executor makes the bytes, the driver
//! finishes them (`exposure.spark`).

use crate::errors::aggregate_error;
use exposure::stream::{Aggregate, AggregateError, Finished};
use pyo3::prelude::*;
use std::borrow::Cow;

/// The bytes of each part of `parts` (an iterable of bytes or bytearray), read under the GIL.
pub(crate) fn parts_of(parts: &Bound<'_, PyAny>) -> PyResult<Vec<Vec<u8>>> {
    parts
        .try_iter()?
        .map(|part| Ok(part?.extract::<Cow<'_, [u8]>>()?.into_owned()))
        .collect()
}

/// The aggregates in `parts` merged into one for `engine`'s knowledge (no part: an empty
/// aggregate), or the error with the index of the part that caused it.
pub(crate) fn merged(
    engine: &exposure::Engine,
    parts: &[Vec<u8>],
) -> Result<Aggregate, (Option<usize>, AggregateError)> {
    let mut total = Aggregate::new(engine);
    for (index, bytes) in parts.iter().enumerate() {
        Aggregate::from_bytes(bytes)
            .and_then(|part| total.merge(&part))
            .map_err(|e| (Some(index), e))?;
    }
    Ok(total)
}

/// The fleet-wide results of `parts` (see [`merged`]), finished on `engine`.
pub(crate) fn finished(
    engine: &exposure::Engine,
    parts: &[Vec<u8>],
) -> Result<Finished, (Option<usize>, AggregateError)> {
    merged(engine, parts)?.finish(engine).map_err(|e| (None, e))
}

/// A merge or finish error as `AggregateError` naming the part.
pub(crate) fn into_pyerr((part, e): (Option<usize>, AggregateError)) -> PyErr {
    aggregate_error(&e, part)
}
