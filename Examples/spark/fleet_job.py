"""Baseline and lacks over a vcpuid fleet export, the way a fleet of millions of hosts would run them.

    vcpuid fleet export --format ndjson > fleet.ndjson
    python3 fleet_job.py fleet.ndjson avx512f [--vendor GenuineIntel]

Reads the export (schema vcpuid-fleet-export/1: one row per host and feature, one per host and register),
then computes, as one distributed reduce each:
  - the intersection: bit_and(value) over the register rows with feature_register = true, per register
    (what `vcpuid fleet baseline --json` reports as "intersection");
  - lacks: the hosts with no feature row for FEATURE (Linux, QEMU or macro name), as `vcpuid fleet lacks`.
Prints one JSON object: {"intersection": {register: value}, "lacks": [host, ...]}.

Runs in Spark's local mode here; on a cluster, point --master (or spark-submit) at it and the path at the
export in shared storage.
"""
import argparse
import json

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", help="a vcpuid fleet export in NDJSON")
    parser.add_argument("feature", help="the feature for lacks, e.g. avx512f")
    parser.add_argument("--vendor", help="only hosts of this vendor (a baseline needs one vendor)")
    parser.add_argument("--master", default="local[2]", help="Spark master (default: local mode, 2 threads)")
    args = parser.parse_args()

    spark = (SparkSession.builder.master(args.master).appName("vcpuid-fleet")
             .config("spark.ui.enabled", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    rows = spark.read.json(args.export)
    if args.vendor:
        rows = rows.where(F.col("vendor") == args.vendor)

    registers = rows.where((F.col("kind") == "register") & F.col("feature_register"))
    intersection = {row["register"]: int(row["value"])
                    for row in registers.groupBy("register").agg(F.expr("bit_and(value)").alias("value")).collect()}

    wanted = args.feature.lower().replace("-", "_").replace(".", "_")
    def normalized(column):
        return F.regexp_replace(F.lower(F.col(column)), "[-.]", "_")
    having = (rows.where((F.col("kind") == "feature")
                         & ((normalized("feature") == wanted) | (normalized("qemu") == wanted) | (normalized("macro") == wanted)))
              .select("host").distinct())
    hosts = rows.select("host").distinct()
    lacks = sorted(row["host"] for row in hosts.join(having, "host", "left_anti").collect())

    print(json.dumps({"intersection": intersection, "lacks": lacks}, sort_keys=True))
    spark.stop()


if __name__ == "__main__":
    main()
