"""Assess a Spark DataFrame of inventory rows: findings and device scores as DataFrames, and the
organisation's, groups' and recommendations' fleet-wide results, equal to the single-process
assessment of the same rows (`Engine.assess_arrow` of the whole table).

>>> from exposure import spark as exposure_spark                        # doctest: +SKIP
>>> result = exposure_spark.assess(inventory_df, "kb.snapshot", partitions=64)  # doctest: +SKIP
>>> result.findings.write.parquet("findings/")                          # doctest: +SKIP
>>> result.organisation()["score"]                                      # doctest: +SKIP

The inventory has the columns `Engine.assess_arrow` reads, one row per software item:
`device_id` (required), `groups` (array of strings), `value` (low, normal or high),
`ecosystem`, `name`, `version`, `purl`, `cpe`; other columns are left out. A device's `groups`
and `value` may be on each of its rows or on one (null elsewhere).

How an assessment goes through Spark (classic Spark, not Spark Connect: it needs the
SparkContext):

1. The knowledge-base snapshot (`Engine.save`, `exposure kb build`) is shipped with the job
   (`SparkContext.addFile`). Each executor's Python worker opens it once
   (`SparkFiles.get`, kept in a module-level cache by path) and reuses the engine for every
   partition it assesses.
2. The rows are repartitioned by `device_id` (hash), so a device never spans partitions, and
   each partition's Arrow batches (a device's rows may be in several) are handed to ONE
   `Engine.assess_arrow` call (`mapInArrow`).
3. That call's results leave the partition in one small schema, `(kind, payload)`: the
   findings and device scores as Arrow IPC streams (a row per at most 65,536 rows of
   results) and the partition's mergeable aggregate (`ArrowAssessment.aggregate()`). This
   DataFrame is persisted, so every partition is assessed once.
4. The driver collects the aggregates (tens of kilobytes each: exposure sums and
   recommendation patterns) and finishes them on its own engine
   (`Engine.finish_aggregates`): the organisation, the groups, the recommendations, the
   secure configuration and the software and weaknesses views of the whole fleet, those of
   the single process up to the order of floating-point additions. The findings and devices DataFrames decode the persisted IPC payloads in a
   second, cheap `mapInArrow` with their real schemas (the columns of
   `Assessment.to_arrow("findings")` and `("devices")`, dictionary columns as strings).

Device weights: a high-value device weighs `max(N/10, floor)`, N the size of the fleet, which a
partition does not know. The `weight` column of `devices` is set on the driver from the whole
fleet's N (and the engine's parameters), so it is each device's weight in the organisation
score, as in the single process; every other column is the partition's own.

pyspark is an optional dependency: `import exposure` works without it, `exposure.spark` raises
ImportError naming it. The executors need exposure and pyarrow installed (the same version as
the driver: the aggregate's byte form is versioned and another one is refused).
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any, Iterator, Optional

try:
    import pyarrow as pa
    from pyspark import SparkFiles, StorageLevel
    from pyspark.sql import DataFrame, functions as F
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema
except ImportError as missing:  # pragma: no cover - exercised without pyspark
    raise ImportError(
        "exposure.spark needs pyspark and pyarrow (pip install pyspark pyarrow); "
        f"{missing.name or missing} is not installed"
    ) from missing

import exposure

if TYPE_CHECKING:
    from pyspark.sql.types import StructType

__all__ = ["SparkAssessment", "assess", "INVENTORY_COLUMNS"]

#: The inventory columns `Engine.assess_arrow` reads; `device_id` is required.
INVENTORY_COLUMNS = ("device_id", "groups", "value", "ecosystem", "name", "version", "purl", "cpe")

#: Rows of findings or devices per Arrow IPC payload (a partition's results are cut in pieces
#: so that no binary value grows past what Spark moves comfortably).
PAYLOAD_ROWS = 65_536

_ENCODED_SCHEMA = "kind string, payload binary"

# One engine per snapshot path in each Python worker: opened by the first partition the worker
# assesses, reused by the next ones (Spark reuses its Python workers between tasks).
_ENGINES: dict[str, exposure.Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _engine(path: str) -> exposure.Engine:
    """The engine of the snapshot at `path`, opened once per process."""
    with _ENGINES_LOCK:
        engine = _ENGINES.get(path)
        if engine is None:
            # Mapped in place: the workers of one executor share the file's pages.
            engine = exposure.Engine.open(path)
            _ENGINES[path] = engine
        return engine


def _ipc(batch: pa.RecordBatch) -> bytes:
    """`batch` as an Arrow IPC stream."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def _row(kind: str, payload: bytes) -> pa.RecordBatch:
    """A `(kind, payload)` row as a batch of its own (a binary column holds at most 2 GiB a
    batch: one payload a batch keeps a large partition's results under it)."""
    return pa.record_batch([pa.array([kind], pa.string()), pa.array([payload], pa.binary())], names=["kind", "payload"])


def _assess_partitions(snapshot: str, as_of: Optional[str], exceptions: Any):
    """The function `mapInArrow` runs on each partition: every batch of the partition in one
    assessment, its results as `(kind, payload)` rows."""

    def assess_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        rows = [batch for batch in batches if batch.num_rows]
        if not rows:  # an empty partition: nothing to assess, no aggregate
            return
        engine = _engine(SparkFiles.get(snapshot))
        assessed = engine.assess_arrow(pa.Table.from_batches(rows), as_of=as_of, exceptions=exceptions)
        for kind, results in (("findings", assessed.findings), ("devices", assessed.devices)):
            for start in range(0, results.num_rows, PAYLOAD_ROWS):
                yield _row(kind, _ipc(results.slice(start, PAYLOAD_ROWS)))
        yield _row("aggregate", assessed.aggregate())

    return assess_partition


def _decode(schema: pa.Schema):
    """The function `mapInArrow` runs to read the IPC payloads of one kind back as rows of
    `schema` (dictionary columns cast to their values)."""

    def decode(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for payload in batch.column("payload").to_pylist():
                yield from pa.ipc.open_stream(payload).read_all().cast(schema).to_batches()

    return decode


def _plain(field: pa.Field) -> pa.Field:
    """`field` with a dictionary type replaced by its value type (Spark has none)."""
    kind = field.type
    if pa.types.is_dictionary(kind):
        return pa.field(field.name, kind.value_type, field.nullable, field.metadata)
    return field


def _spark_schemas(engine: exposure.Engine) -> tuple[StructType, StructType]:
    """The Spark schemas of the findings and the devices (those of an empty assessment)."""
    empty = pa.table({"device_id": pa.array([], pa.string())})
    assessed = engine.assess_arrow(empty)
    return tuple(  # type: ignore[return-value]
        from_arrow_schema(pa.schema([_plain(f) for f in results.schema]))
        for results in (assessed.findings, assessed.devices)
    )


def _weights(parameters: dict[str, Any], devices: int) -> dict[str, float]:
    """The weight of a device of each value in a fleet of `devices` devices (the core's
    `Parameters::device_weight`)."""
    return {
        "low": float(parameters["low_value_weight"]),
        "normal": float(parameters["normal_value_weight"]),
        "high": max(devices / 10.0, float(parameters["high_value_weight_floor"])),
    }


class SparkAssessment:
    """An assessment made by `assess`: `findings` and `devices` as Spark DataFrames, the
    fleet-wide results finished from the partitions' aggregates (`finished()` and its parts).
    The partitions' results stay persisted until `unpersist()`."""

    def __init__(self, encoded: DataFrame, findings: DataFrame, devices: DataFrame, finished: dict[str, Any], weights: dict[str, float]):
        self._encoded = encoded
        #: The findings, one row per finding (the columns of `Assessment.to_arrow("findings")`).
        self.findings = findings
        #: The device scores, one row per device (the columns of `Assessment.to_arrow("devices")`;
        #: `weight` is the device's weight in the whole fleet).
        self.devices = devices
        self._finished = finished
        self._weights = weights

    def finished(self) -> dict[str, Any]:
        """The fleet-wide results as `Engine.finish_aggregates` gives them: `organisation`,
        `groups`, `recommendations`, `configuration`, `software`, `weaknesses`,
        `recommendation_rows`, `top_devices`, `distribution`, `group_views`, `dashboards`,
        `as_of`, `patterns`, `chunks` (the partitions assessed)."""
        return self._finished

    def organisation(self) -> dict[str, Any]:
        """The organisation's exposure: `score`, `level`, `devices`, `vulnerable_devices`,
        `findings`."""
        return self._finished["organisation"]

    def groups(self) -> list[dict[str, Any]]:
        """Each group's exposure, by name."""
        return self._finished["groups"]

    def recommendations(self) -> list[dict[str, Any]]:
        """The fleet's recommendations, ranked as the single process ranks them (updates,
        upgrades, end of support, attention required, configuration changes), each with
        `device_count` and `target_device_counts` instead of device lists."""
        return self._finished["recommendations"]

    def configuration(self) -> dict[str, Any]:
        """The secure configuration: the organisation's score (None when no check applies),
        the reporting devices, each group's."""
        return self._finished["configuration"]

    def software(self, group: Optional[str] = None) -> list[dict[str, Any]]:
        """The software view of the whole fleet, or of one device group: a row per installed
        product (the rows of `Record.software_rows(group)` of the single process's
        assessment)."""
        return self._view("software", group)

    def weaknesses(self, group: Optional[str] = None) -> list[dict[str, Any]]:
        """The weaknesses view of the whole fleet, or of one device group: a row per advisory
        (the rows of `Record.weakness_rows(group)`)."""
        return self._view("weaknesses", group)

    def recommendation_rows(self, group: Optional[str] = None) -> list[dict[str, Any]]:
        """The recommendations view of the whole fleet, or of one device group: the
        recommendations covering its devices, with their counts and impacts on its score (the
        rows of `Record.recommendation_rows(group)`)."""
        return self._view("recommendation_rows", group, "recommendations")

    def top_devices(self, group: Optional[str] = None) -> list[dict[str, Any]]:
        """The devices view's first 20 rows of the whole fleet, or of one device group: the
        highest scores, each with its recommendations (the first rows of
        `Record.device_rows(group, top=20)`)."""
        return self._view("top_devices", group)

    def dashboard(self, group: Optional[str] = None) -> dict[str, Any]:
        """The dashboard of the whole fleet, or of one device group (`exposure.dashboard`):
        score, level, trend (this assessment's point), secure score, devices per level, the
        top recommendations, software and devices (20 rows each). Raises KeyError for a
        group no device is in."""
        for dashboard in self._finished["dashboards"]:
            if dashboard["group"] == group:
                return dashboard
        raise KeyError(f"no device of the fleet is in group {group!r}")

    def _view(self, name: str, group: Optional[str], group_name: Optional[str] = None) -> list[dict[str, Any]]:
        if group is None:
            return self._finished[name]
        for views in self._finished["group_views"]:
            if views["group"] == group:
                return views[group_name or name]
        return []  # no device of the fleet is in the group

    def organisation_score_from_devices(self) -> float:
        """The organisation score computed by Spark from the `devices` DataFrame: per value
        class the sum of the scores and the count (`groupBy`), weighted on the driver for the
        whole fleet. Equal to `organisation()["score"]` up to the order of additions."""
        classes = self.devices.groupBy("value").agg(F.sum("score").alias("score"), F.count(F.lit(1)).alias("devices")).collect()
        total = weights = 0.0
        for row in classes:
            weight = self._weights[row["value"]]
            total += weight * row["score"]
            weights += weight * row["devices"]
        return total / weights if weights > 0 else 0.0

    def unpersist(self) -> None:
        """Frees the persisted results of the partitions (`findings` and `devices` are then
        computed again, assessing again, when used)."""
        self._encoded.unpersist()


def assess(
    df: DataFrame,
    snapshot: str | os.PathLike[str],
    *,
    partitions: Optional[int] = None,
    as_of: Optional[str] = None,
    exceptions: Any = None,
) -> SparkAssessment:
    """Assesses the inventory rows of `df` against the knowledge-base snapshot at `snapshot`
    (a local path on the driver, shipped to the executors): see the module documentation.
    `partitions` is the number of partitions the rows are assessed in (the DataFrame's own by
    default); `as_of` and `exceptions` are as for `Engine.assess_arrow` (`exceptions` as a
    dict or text: a path would be read on each executor). Runs the job (the aggregates are
    collected at once); `findings` and `devices` read its persisted results.

    A bad row raises the executor's `ArrowBatchError` (inside Spark's error); aggregates that
    do not merge raise `AggregateError`."""
    path = os.fspath(snapshot)
    driver = exposure.Engine.open(path)
    if "device_id" not in df.columns:
        error = exposure.ArrowBatchError("the inventory has no device_id column")
        error.kind, error.column, error.row = "missing_column", "device_id", None
        raise error
    spark = df.sparkSession
    spark.sparkContext.addFile(path)
    name = os.path.basename(path)
    rows = df.select(*[c for c in INVENTORY_COLUMNS if c in df.columns])
    rows = rows.repartition(partitions or df.rdd.getNumPartitions(), "device_id")
    encoded = rows.mapInArrow(_assess_partitions(name, as_of, exceptions), _ENCODED_SCHEMA)
    encoded = encoded.persist(StorageLevel.MEMORY_AND_DISK)
    parts = [bytes(r["payload"]) for r in encoded.where(F.col("kind") == "aggregate").select("payload").collect()]
    finished = driver.finish_aggregates(parts)
    weights = _weights(driver.parameters, finished["organisation"]["devices"])
    findings_schema, devices_schema = _spark_schemas(driver)
    findings = _decoded(encoded, "findings", findings_schema)
    devices = _decoded(encoded, "devices", devices_schema)
    weight = F.lit(None).cast("double")
    for value, w in weights.items():
        weight = F.when(F.col("value") == value, F.lit(w)).otherwise(weight)
    devices = devices.withColumn("weight", weight)
    return SparkAssessment(encoded, findings, devices, finished, weights)


def _decoded(encoded: DataFrame, kind: str, schema: StructType) -> DataFrame:
    """The rows of `kind` in the persisted results, decoded with their schema."""
    arrow_schema = to_arrow_schema(schema)
    return encoded.where(F.col("kind") == kind).mapInArrow(_decode(arrow_schema), schema)
