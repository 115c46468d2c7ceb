"""Engine.assess_arrow: an inventory as Arrow data (a pyarrow Table or RecordBatch, or any
object with the Arrow PyCapsule interface) in, findings and device scores as pyarrow record
batches out, equal to what the fleet-document route gives (`Assessment.to_arrow`)."""

import json
import pathlib

import pytest

import exposure
from conftest import needs

ROOT = pathlib.Path(__file__).resolve().parents[2]
ITEM = ("ecosystem", "name", "version", "purl", "cpe")
AS_OF = "2026-12-04"


def demo_rows():
    """The demo fleet's devices as inventory rows (id, groups, value and items: a device's
    other fields are not inventory columns), and the same as a fleet document."""
    fleet = json.loads((ROOT / "core" / "data" / "demo" / "fleet.json").read_text())
    rows, devices = [], []
    for device in fleet["devices"]:
        software = [{k: item[k] for k in ITEM if k in item} for item in device.get("software", [])]
        kept = {"id": device["id"], "software": software}
        for field in ("groups", "value"):
            if field in device:
                kept[field] = device[field]
        devices.append(kept)
        for i, item in enumerate(software or [{}]):
            row = {"device_id": device["id"], "groups": None, "value": None}
            row.update({k: item.get(k) for k in ITEM})
            if i == 0:  # the device's fields on its first row only
                row["groups"] = device.get("groups")
                row["value"] = device.get("value")
            rows.append(row)
    return rows, json.dumps({"devices": devices})


def table_of(rows):
    pa = needs("pyarrow")
    schema = pa.schema(
        [("device_id", pa.string()), ("groups", pa.list_(pa.string())), ("value", pa.string())]
        + [(k, pa.string()) for k in ITEM]
    )
    return pa.Table.from_pylist(rows, schema=schema)


@pytest.fixture(scope="module")
def engine():
    return exposure.Engine.demo()


def test_the_demo_fleet_gives_the_findings_of_the_fleet_document(engine):
    pa = needs("pyarrow")
    rows, document = demo_rows()
    expected = engine.assess_json(document, as_of=AS_OF)
    assessed = engine.assess_arrow(table_of(rows), as_of=AS_OF)
    findings, devices = assessed.findings, assessed.devices
    assert isinstance(findings, pa.RecordBatch) and isinstance(devices, pa.RecordBatch)
    assert findings.num_rows == len(expected.findings) > 0
    assert pa.Table.from_batches([findings]).equals(expected.to_arrow("findings"), check_metadata=True)
    assert pa.Table.from_batches([devices]).equals(expected.to_arrow("devices"), check_metadata=True)
    assert assessed.assessment.score == expected.score
    assert assessed.assessment.record().to_json() == expected.record().to_json()


def test_a_table_of_several_batches_and_a_record_batch(engine):
    pa = needs("pyarrow")
    rows, _ = demo_rows()
    table = table_of(rows)
    chunked = pa.Table.from_batches(table.to_batches(max_chunksize=2))
    assert chunked.column("device_id").num_chunks > 2
    whole = engine.assess_arrow(table, as_of=AS_OF)
    for data in (chunked, table.combine_chunks().to_batches()[0], chunked.to_reader()):
        assessed = engine.assess_arrow(data, as_of=AS_OF)
        assert assessed.findings.equals(whole.findings)
        assert assessed.devices.equals(whole.devices)


def test_string_layouts_and_dictionaries(engine):
    pa = needs("pyarrow")
    rows, _ = demo_rows()
    table = table_of(rows)
    other = pa.table(
        {
            "device_id": table.column("device_id").dictionary_encode(),
            "groups": table.column("groups"),
            "value": table.column("value").cast(pa.large_string()),
            **{k: table.column(k).cast(pa.string_view()) for k in ITEM},
        }
    )
    assert engine.assess_arrow(other, as_of=AS_OF).findings.equals(engine.assess_arrow(table, as_of=AS_OF).findings)


def test_the_results_are_arrow_capsules_for_any_library(engine):
    pa = needs("pyarrow")
    rows, _ = demo_rows()
    assessed = engine.assess_arrow(table_of(rows))
    batch = assessed.findings_batch
    assert isinstance(batch, exposure.ArrowBatch) and len(batch) == assessed.findings.num_rows
    assert pa.record_batch(batch).equals(assessed.findings)
    assert pa.schema(batch) == assessed.findings.schema


def test_wrong_input_raises_a_typed_error(engine):
    pa = needs("pyarrow")
    with pytest.raises(exposure.ArrowBatchError) as e:
        engine.assess_arrow(pa.table({"device_id": [1, 2]}))
    assert (e.value.kind, e.value.column, e.value.row) == ("wrong_type", "device_id", None)
    with pytest.raises(exposure.ArrowBatchError) as e:
        engine.assess_arrow(pa.table({"purl": ["pkg:npm/lodash@4.17.20"]}))
    assert (e.value.kind, e.value.column) == ("missing_column", "device_id")
    with pytest.raises(exposure.ArrowBatchError) as e:
        engine.assess_arrow(pa.table({"device_id": ["a", "b", "c"], "purl": ["pkg:npm/lodash@4.17.20", None, "pkg:npm/lodash"]}))
    assert (e.value.kind, e.value.column, e.value.row) == ("invalid", "purl", 2)
    assert "has no version" in str(e.value)
    assert isinstance(e.value, exposure.ExposureError) and isinstance(e.value, ValueError)
    with pytest.raises(exposure.ArrowBatchError) as e:
        engine.assess_arrow(pa.table({"device_id": ["a", None]}))
    assert (e.value.kind, e.value.column, e.value.row) == ("null", "device_id", 1)
    with pytest.raises(exposure.ArrowBatchError) as e:
        engine.assess_arrow(pa.table({"device_id": ["a"], "hostname": ["a"]}))
    assert (e.value.kind, e.value.column) == ("unknown_column", "hostname")
    with pytest.raises(TypeError, match="Arrow data"):
        engine.assess_arrow([{"device_id": "a"}])
    with pytest.raises(exposure.ArrowBatchError) as e:
        engine.assess_arrow(pa.array(["a"]))
    assert e.value.kind == "not_a_batch"


def test_an_engine_opened_on_damaged_records_refuses_arrow_data(tmp_path):
    """Fail closed on the Arrow path too: a snapshot whose records were damaged after it was
    written opens (its head is intact), and assessing Arrow rows that read them raises."""
    needs("pyarrow")
    snapshot = tmp_path / "kb.bin"
    exposure.Engine.demo().save(snapshot)
    data = bytearray(snapshot.read_bytes())
    head = int.from_bytes(data[16:24], "little")
    for at in range(28 + head, len(data)):
        data[at] ^= 0x5A
    snapshot.write_bytes(bytes(data))
    rows, _ = demo_rows()
    with pytest.raises(exposure.ArrowBatchError, match="the file changed") as refused:
        exposure.Engine.open(snapshot).assess_arrow(table_of(rows), as_of=AS_OF)
    assert refused.value.kind == "knowledge"
