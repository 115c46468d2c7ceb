#!/usr/bin/env python3
"""exposure.spark in Spark local mode against the single process: the generated inventory of
examples/spark/demo_inventory.py (seeded) assessed by `Engine.assess_arrow` of the whole table,
and by `exposure.spark.assess` from a Parquet file in PARTITIONS partitions on local[CORES];
the results checked equal (findings and devices counts, organisation score to 1e-9).

    .venv/bin/python benches/spark_local.py [DEVICES ITEMS PARTITIONS CORES [SNAPSHOT]]

(defaults 3000 20 16 2 and the demo knowledge base; after `cd python && maturin develop
--release` and `pip install pyspark`). Prints one line per step with its wall time.
"""

import importlib.util
import os
import pathlib
import sys
import tempfile
import time

import pyarrow.parquet as pq

import exposure

ROOT = pathlib.Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("demo_inventory", ROOT / "examples" / "spark" / "demo_inventory.py")
demo_inventory = importlib.util.module_from_spec(spec)
spec.loader.exec_module(demo_inventory)

args = sys.argv[1:]
devices, items, partitions, cores = (int(a) for a in (args + ["3000", "20", "16", "2"][len(args):])[:4])
folder = pathlib.Path(tempfile.mkdtemp(prefix="exposure-spark-bench-"))
snapshot = pathlib.Path(args[4]) if len(args) > 4 else folder / "demo.snapshot"
if len(args) <= 4:
    exposure.Engine.demo().save(snapshot)
AS_OF = "2026-12-05"


def timed(label, f):
    start = time.perf_counter()
    result = f()
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s", flush=True)
    return result, seconds


table = demo_inventory.fleet_table(devices=devices, items=items, seed=18)
pq.write_table(table, folder / "inventory.parquet", row_group_size=8192)
print(f"{devices} devices, {table.num_rows} rows, {partitions} partitions on local[{cores}], snapshot {snapshot.name} "
      f"({snapshot.stat().st_size / 1e6:.1f} MB)")

engine = exposure.Engine()
timed("single process: load the snapshot", lambda: engine.load(snapshot))
single, t_single = timed("single process: assess_arrow of the whole table", lambda: engine.assess_arrow(table, as_of=AS_OF))
findings = single.findings.num_rows
print(f"  {findings} findings; {devices / t_single:,.0f} devices/s, {findings / t_single:,.0f} findings/s")
whole, t_aggregate = timed("single process: its aggregate (ArrowAssessment.aggregate())", single.aggregate)
_, t_finish = timed("single process: the aggregate finished (Engine.finish_aggregates)",
                    lambda: engine.finish_aggregates([whole]))

# What one partition's rows cost the engine alone (the devices of one partition in 16: about
# what each Spark task hands to assess_arrow).
ids = table.column("device_id")
import pyarrow.compute as pc  # noqa: E402

one = table.filter(pc.less(ids, f"dev-{devices // partitions:07d}"))
part, t_part = timed(f"single process: assess_arrow of one partition's share ({devices // partitions} devices)",
                     lambda: engine.assess_arrow(one, as_of=AS_OF))
print(f"  {devices // partitions / t_part:,.0f} devices/s, {part.findings.num_rows / t_part:,.0f} findings/s")

os.environ["PYSPARK_PYTHON"] = sys.executable
from pyspark.sql import SparkSession  # noqa: E402

from exposure import spark as exposure_spark  # noqa: E402

spark, t_start = timed("spark: session start", lambda: (
    SparkSession.builder.master(f"local[{cores}]").appName("exposure-bench")
    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
    .config("spark.sql.shuffle.partitions", str(partitions)).config("spark.driver.memory", "2g")
    .getOrCreate()))
spark.sparkContext.setLogLevel("ERROR")
df = spark.read.parquet(str(folder / "inventory.parquet"))
result, t_assess = timed("spark: assess (read, repartition, assess every partition, finish the aggregates)",
                         lambda: exposure_spark.assess(df, snapshot, partitions=partitions, as_of=AS_OF))
(spark_findings, spark_devices), t_decode = timed("spark: findings and devices decoded and counted",
                                                  lambda: (result.findings.count(), result.devices.count()))
_, t_score = timed("spark: organisation score by Spark aggregations of the devices",
                   result.organisation_score_from_devices)
assert (spark_findings, spark_devices) == (findings, devices), (spark_findings, spark_devices)
from pyspark.sql import functions as F  # noqa: E402

sizes = [r[0] for r in result._encoded.where(F.col("kind") == "aggregate").select(F.length("payload")).collect()]
print(f"  {len(sizes)} aggregates, {sum(sizes) / 1e3:,.0f} kB in all (largest {max(sizes) / 1e3:,.0f} kB); "
      f"{len(result.recommendations())} recommendations from {result.finished()['patterns']} patterns")
assert abs(result.organisation()["score"] - single.assessment.score) < 1e-9
total = t_assess + t_decode
print(f"spark total (assess + decode): {total:.2f} s, {total / t_single:.1f} x the single process "
      f"(overhead {total - t_single:.2f} s); a partition took {t_assess * cores / partitions:.2f} s of a core on average "
      f"(the assess step's wall time x {cores} cores / {partitions} partitions): {devices / (t_assess * cores):,.0f} "
      f"devices/s, {findings / (t_assess * cores):,.0f} findings/s per core")
result.unpersist()
spark.stop()
