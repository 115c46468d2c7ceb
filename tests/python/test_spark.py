"""exposure.spark in Spark local mode: a generated fleet of 3,000 devices (about 60,000 rows)
read from Parquet and assessed in 16 partitions gives the findings, device scores,
organisation, groups and recommendations of the single-process `Engine.assess_arrow` of the
whole table. Needs pyspark and a Java runtime; scripts/test installs both, and in CI their
absence fails the test instead of skipping it."""

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import exposure
from conftest import assert_close, assert_finished_is_the_single_process, demo_inventory, in_ci, needs

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEVICES, ITEMS, PARTITIONS = 3000, 20, 16
AS_OF = "2026-12-05"


def java():
    """Spark's JVM: SKIPPED where there is none, except in CI, where it fails."""
    if shutil.which("java") or os.environ.get("JAVA_HOME"):
        return
    if in_ci():
        pytest.fail("java is not installed; scripts/test installs Debian's openjdk-17-jre-headless", pytrace=False)
    pytest.skip("SKIPPED: no java (apt-get install openjdk-17-jre-headless)")


@pytest.fixture(scope="module")
def spark():
    needs("pyspark")
    needs("pyarrow")
    java()
    from pyspark.sql import SparkSession

    # The executors' Python workers run this interpreter (where exposure is installed).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("exposure-test")
        .config("spark.driver.host", "127.0.0.1")  # local mode talks to itself on the loopback only
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(PARTITIONS))
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """The generated inventory as a table and as a Parquet file, and the demo knowledge base
    as a snapshot file."""
    needs("pyarrow")
    import pyarrow.parquet as pq

    folder = tmp_path_factory.mktemp("spark")
    table = demo_inventory().fleet_table(devices=DEVICES, items=ITEMS, seed=18)
    pq.write_table(table, folder / "inventory.parquet", row_group_size=4096)
    snapshot = folder / "demo.snapshot"
    exposure.Engine.demo().save(snapshot)
    return table, folder / "inventory.parquet", snapshot


@pytest.fixture(scope="module")
def single(fleet):
    """The single-process assessment of the whole table."""
    table, _, snapshot = fleet
    engine = exposure.Engine()
    engine.load(snapshot)
    return engine.assess_arrow(table, as_of=AS_OF)


@pytest.fixture(scope="module")
def assessed(spark, fleet):
    from exposure import spark as exposure_spark

    _, parquet, snapshot = fleet
    df = spark.read.parquet(str(parquet))
    result = exposure_spark.assess(df, snapshot, partitions=PARTITIONS, as_of=AS_OF)
    yield result
    result.unpersist()


def rows(frame, like):
    """A Spark DataFrame's rows, sorted, typed as `like` (a pyarrow batch of the single
    process) is once made Spark's: dictionary columns as their values."""
    pa = needs("pyarrow")
    from pyspark.sql.pandas.types import to_arrow_schema

    schema = to_arrow_schema(frame.schema)
    ours = frame.toArrow().cast(schema).to_pylist()
    theirs = pa.Table.from_batches([like]).cast(schema).to_pylist()
    key = lambda row: json.dumps(row, sort_keys=True, default=str)  # noqa: E731
    return sorted(ours, key=key), sorted(theirs, key=key)


def test_the_findings_are_the_single_process_findings(assessed, single):
    ours, theirs = rows(assessed.findings, single.findings)
    assert len(ours) == single.findings.num_rows > DEVICES
    assert ours == theirs


def test_the_device_scores_and_weights_are_the_single_process_ones(assessed, single):
    ours, theirs = rows(assessed.devices, single.devices)
    assert len(ours) == DEVICES
    assert {row["value"] for row in ours} == {"low", "normal", "high"}
    assert ours == theirs  # the weights too: those of the whole fleet


def test_the_fleet_wide_results_are_the_single_process_ones(assessed, single):
    expected = single.assessment.to_dict()
    finished = assessed.finished()
    assert finished["chunks"] == PARTITIONS  # every partition assessed...
    assert assessed.organisation()["devices"] == DEVICES
    assert assessed.organisation()["findings"] == single.findings.num_rows
    assert [g["group"] for g in assessed.groups()] == sorted(g["group"] for g in expected["groups"])
    assert len(assessed.recommendations()) > 3
    assert_finished_is_the_single_process(finished, single.assessment)
    assert assessed.recommendations() == finished["recommendations"]
    assert (assessed.software(), assessed.weaknesses()) == (finished["software"], finished["weaknesses"])
    assert assessed.software() and assessed.weaknesses()
    # Each device group's views (compared with the single process's record above).
    assert finished["group_views"]
    for views in finished["group_views"]:
        group = views["group"]
        assert assessed.software(group) == views["software"]
        assert assessed.weaknesses(group) == views["weaknesses"]
        assert assessed.recommendation_rows(group) == views["recommendations"]
        assert assessed.top_devices(group) == views["top_devices"]
        assert assessed.dashboard(group)["devices"] == sum(
            views["distribution"].values()
        )
    assert assessed.software("no such group") == []
    # The dashboards (compared with the single process's above).
    assert assessed.recommendation_rows() == finished["recommendation_rows"]
    assert len(assessed.top_devices()) == 20
    dashboard = assessed.dashboard()
    assert dashboard["devices"] == DEVICES and dashboard["group"] is None
    assert len(dashboard["trend"]) == 1 and dashboard["trend"][0]["score"] == dashboard["score"]
    with pytest.raises(KeyError, match="no such group"):
        assessed.dashboard("no such group")


def test_each_partition_is_assessed_once(spark, assessed):
    # ...once: the partitions' results are persisted whole, and the findings and devices
    # DataFrames (read by the tests above) decode them instead of assessing again.
    persisted = [
        (info.numCachedPartitions(), info.numPartitions())
        for info in spark.sparkContext._jsc.sc().getRDDStorageInfo()
        if "assess_partition" in info.name()
    ]
    assert persisted == [(PARTITIONS, PARTITIONS)]


def test_spark_aggregations_of_the_devices_give_the_organisation_score(assessed, single):
    score = assessed.organisation_score_from_devices()
    assert score == pytest.approx(assessed.organisation()["score"], rel=1e-9, abs=1e-9)
    assert score == pytest.approx(single.assessment.score, rel=1e-9, abs=1e-9)
    assert 0 < score < 100


def test_a_bad_row_fails_the_job_with_the_engine_error(spark, fleet):
    from exposure import spark as exposure_spark

    _, _, snapshot = fleet
    df = spark.createDataFrame([("a", "high"), ("b", "urgent")], "device_id string, value string")
    with pytest.raises(Exception, match="ArrowBatchError"):
        exposure_spark.assess(df, snapshot, partitions=2)
    with pytest.raises(exposure.ArrowBatchError, match="device_id") as e:
        exposure_spark.assess(spark.createDataFrame([("x",)], "name string"), snapshot)
    assert (e.value.kind, e.value.column, e.value.row) == ("missing_column", "device_id", None)


def test_empty_partitions_and_other_columns(spark, fleet):
    from exposure import spark as exposure_spark

    _, _, snapshot = fleet
    rows = [("a", "pkg:npm/lodash@4.17.20", "web-01"), ("b", "pkg:pypi/requests@2.25.1", "db-01"), ("c", None, "x")]
    df = spark.createDataFrame(rows, "device_id string, purl string, hostname string")
    result = exposure_spark.assess(df, snapshot, partitions=8, as_of=AS_OF)  # five partitions empty
    single = exposure.Engine.demo().assess_arrow(df.select("device_id", "purl").toArrow(), as_of=AS_OF)
    assert result.finished()["chunks"] <= 3
    assert result.organisation()["devices"] == 3 and result.devices.count() == 3
    assert result.findings.count() == single.findings.num_rows > 0
    assert_close(result.organisation(), single.assessment.to_dict()["organisation"], "organisation")
    result.unpersist()


def test_exposure_imports_without_pyspark_and_exposure_spark_names_it():
    blocked = "import sys; sys.modules['pyspark'] = None\n"
    check = blocked + "import exposure; print(exposure.Engine.demo().advisory_count)"
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert int(out.stdout) > 0
    fail = subprocess.run([sys.executable, "-c", blocked + "import exposure.spark"], capture_output=True, text=True)
    assert fail.returncode != 0
    assert "ImportError: exposure.spark needs pyspark" in fail.stderr
    assert "pip install pyspark" in fail.stderr


def test_the_example_writes_the_results_and_prints_the_score(spark, tmp_path, capsys):
    """examples/spark/assess_parquet.py, on the test's session, over a small inventory."""
    import importlib.util

    import pyarrow.parquet as pq

    path = ROOT / "examples" / "spark" / "assess_parquet.py"
    spec = importlib.util.spec_from_file_location("assess_parquet", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    table = demo_inventory().fleet_table(devices=300, items=10, seed=3)
    pq.write_table(table, tmp_path / "inventory.parquet")
    snapshot = tmp_path / "demo.snapshot"
    exposure.Engine.demo().save(snapshot)
    single = exposure.Engine.demo().assess_arrow(table)
    args = example.arguments([str(tmp_path / "inventory.parquet"), str(snapshot), str(tmp_path / "out"), "--partitions", "4"])
    example.run(spark, args)
    printed = capsys.readouterr().out
    assert f"Organisation exposure score: {single.assessment.score:.1f}" in printed
    assert "300 devices" in printed
    top = single.assessment.recommendations[0]
    assert f"1. {top.text} (" in printed
    assert pq.read_table(tmp_path / "out" / "findings").num_rows == single.findings.num_rows
    assert pq.read_table(tmp_path / "out" / "devices").num_rows == 300
