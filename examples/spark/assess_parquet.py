"""Assess an inventory Parquet dataset with Spark: findings and device scores written as Parquet,
the organisation score and the top recommendations printed.

    python examples/spark/assess_parquet.py INVENTORY KB_SNAPSHOT OUT_DIR [--partitions N]

INVENTORY is a Parquet file or folder with one row per software item (`device_id`, `groups`,
`value`, `ecosystem`, `name`, `version`, `purl`, `cpe`; other columns are ignored), KB_SNAPSHOT a
knowledge-base snapshot (`exposure kb build`, or `Engine.save`). Writes OUT_DIR/findings and
OUT_DIR/devices. Runs in Spark local mode unless `--master` (or spark-submit) says otherwise;
on a cluster every executor needs `pip install exposure pyarrow`.
"""

import argparse
import os
import sys

from pyspark.sql import SparkSession

from exposure import spark as exposure_spark


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inventory", help="a Parquet file or folder of inventory rows")
    parser.add_argument("snapshot", help="a knowledge-base snapshot file")
    parser.add_argument("out", help="the folder the findings and devices are written to")
    parser.add_argument("--partitions", type=int, help="partitions to assess in (default: the dataset's)")
    parser.add_argument("--master", default=None, help="Spark master (default: spark-submit's, else local[*])")
    parser.add_argument("--as-of", help="the assessment's day, YYYY-MM-DD")
    parser.add_argument("--top", type=int, default=5, help="recommendations to print")
    return parser.parse_args(argv)


def run(spark, args):
    """Assesses `args.inventory` on `spark`, writes the results and prints the summary."""
    inventory = spark.read.parquet(args.inventory)
    result = exposure_spark.assess(inventory, args.snapshot, partitions=args.partitions, as_of=args.as_of)
    result.findings.write.mode("overwrite").parquet(os.path.join(args.out, "findings"))
    result.devices.write.mode("overwrite").parquet(os.path.join(args.out, "devices"))

    organisation = result.organisation()
    print(
        f"Organisation exposure score: {organisation['score']:.1f} ({organisation['level']}), "
        f"{organisation['devices']} devices, {organisation['vulnerable_devices']} vulnerable, "
        f"{organisation['findings']} findings"
    )
    for group in result.groups():
        print(f"  group {group['group']}: {group['score']:.1f} over {group['devices']} devices")
    for recommendation in result.recommendations()[: args.top]:
        print(
            f"{recommendation['rank']}. {recommendation['text']} ({recommendation['device_count']} devices, "
            f"score -{recommendation['exposure_impact']:.2f})"
        )
    print(f"findings and device scores written under {args.out}")
    result.unpersist()


def main():
    args = arguments()
    # Local mode: the Python workers run this interpreter, where exposure is installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("exposure-assess").config("spark.ui.showConsoleProgress", "false")
    if args.master or "SPARK_ENV_LOADED" not in os.environ:
        builder = builder.master(args.master or "local[*]")
    if (args.master or "local").startswith("local") and "SPARK_ENV_LOADED" not in os.environ:
        # Local mode: the driver and its executors talk on the loopback only.
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    run(spark, args)
    spark.stop()


if __name__ == "__main__":
    main()
