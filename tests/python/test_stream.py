"""`exposure stream` writes findings and device rows that pyarrow reads: the demo fleet
streamed two devices at a time as Parquet and as an Arrow IPC stream gives the rows it gives
as JSON Lines, typed as the Arrow batch API types them."""

import datetime
import json
import subprocess

from conftest import ROOT, cli_binary, needs

FLEET = ROOT / "core" / "data" / "demo" / "fleet.json"


def stream(*args):
    """The demo fleet, as JSON Lines on stdin, streamed in chunks of two devices."""
    lines = "\n".join(json.dumps(d) for d in json.loads(FLEET.read_text())["devices"])
    command = [cli_binary(), "stream", "--devices", "-", "--chunk", "2", "--fleet-size", "5"]
    subprocess.run([*command, *map(str, args)], input=lines.encode(), check=True, capture_output=True)


def plain(value):
    """A cell as JSON Lines write it (days as YYYY-MM-DD)."""
    return value.isoformat() if isinstance(value, datetime.date) else value


def same_rows(table, jsonl):
    expected = [json.loads(line) for line in jsonl.read_text().splitlines()]
    rows = [{k: plain(v) for k, v in row.items()} for row in table.to_pylist()]
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected):
        assert row == {name: want.get(name) for name in table.column_names}


def test_parquet_and_arrow_outputs_read_by_pyarrow(tmp_path):
    pa = needs("pyarrow")
    import pyarrow.ipc
    import pyarrow.parquet as pq

    stream("--findings", tmp_path / "f.jsonl", "--device-rows", tmp_path / "d.jsonl")
    stream("--findings", tmp_path / "f.parquet", "--device-rows", tmp_path / "d.parquet")
    stream("--findings", tmp_path / "f.arrow", "--device-rows", tmp_path / "d.arrow")

    findings = pq.read_table(tmp_path / "f.parquet")
    assert findings.schema.field("ecosystem").type == pa.dictionary(pa.int32(), pa.string())
    assert findings.schema.field("kev_date_added").type == pa.date32()
    assert findings.schema.field("risk").type == pa.float64()
    assert pq.ParquetFile(tmp_path / "f.parquet").metadata.num_row_groups == 3
    same_rows(findings, tmp_path / "f.jsonl")
    devices = pq.read_table(tmp_path / "d.parquet")
    assert devices.schema.field("groups").type == pa.list_(pa.string())
    same_rows(devices, tmp_path / "d.jsonl")

    with pyarrow.ipc.open_stream(tmp_path / "f.arrow") as reader:
        batches = list(reader)
    assert len(batches) == 3
    arrow = pa.Table.from_batches(batches)
    assert arrow.schema == findings.schema.remove_metadata()
    same_rows(arrow, tmp_path / "f.jsonl")
    same_rows(pyarrow.ipc.open_stream(tmp_path / "d.arrow").read_all(), tmp_path / "d.jsonl")
