#!/usr/bin/env bash
# Start a local Spark Thrift server (the one pyspark ships) bound to 127.0.0.1, to try the
# `spark_thrift` dbt target on one machine the way a cluster would be used:
#
#   scripts/spark-thrift-local.sh start [--workers 2]   # --workers N: a standalone master + N workers
#   NHI_TARGET=spark_thrift NHI_SPARK_PORT=10000 NHI_RAW_ROOT=$PWD/data/raw \
#       .venv/bin/dbt build --profiles-dir profiles
#   scripts/spark-thrift-local.sh status
#   scripts/spark-thrift-local.sh stop
#
# The processes are managed by `python -m nhi_warehouse.spark_local` (logs, pids, tables and the
# metastore under $NHI_SPARK_THRIFT_HOME, default data/spark-thrift). Needs `make setup-spark` and
# Java 17. On a real cluster use the distribution's sbin/start-thriftserver.sh (docs/spark.md).
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PYTHON:-.venv/bin/python}" -m nhi_warehouse.spark_local --workers 0 \
    --home "${NHI_SPARK_THRIFT_HOME:-data/spark-thrift}" "$@"
