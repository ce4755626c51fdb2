#!/usr/bin/env bash
# Start a local Spark Thrift server (the one pyspark ships) bound to 127.0.0.1, to try the
# `spark_thrift` dbt target on one machine the way a cluster would be used:
#
#   scripts/spark-thrift-local.sh start        # prints the pid; logs in $NHI_SPARK_THRIFT_HOME
#   NHI_TARGET=spark_thrift NHI_SPARK_PORT=10000 NHI_RAW_ROOT=$PWD/data/raw \
#       .venv/bin/dbt build --profiles-dir profiles
#   scripts/spark-thrift-local.sh stop
#
# Needs `make setup-spark` and Java 17. On a real cluster use the distribution's
# sbin/start-thriftserver.sh instead.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
HOME_DIR=$(realpath -m "${NHI_SPARK_THRIFT_HOME:-data/spark-thrift}")
PORT=${NHI_SPARK_PORT:-10000}
PID_FILE="$HOME_DIR/thriftserver.pid"

case "${1:-}" in
start)
    SPARK_HOME=$("$PYTHON" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
    mkdir -p "$HOME_DIR"
    if [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
        echo "already running: pid $(cat "$PID_FILE")"
        exit 0
    fi
    (
        cd "$HOME_DIR"
        nohup "$SPARK_HOME/bin/spark-submit" \
            --class org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 \
            --name nhi-thrift-local \
            --master "local[*]" \
            --driver-memory "${NHI_SPARK_DRIVER_MEMORY:-4g}" \
            --conf spark.sql.warehouse.dir="$HOME_DIR/warehouse" \
            --conf spark.driver.extraJavaOptions="-Dderby.system.home=$HOME_DIR" \
            --conf spark.ui.enabled=false \
            --conf spark.sql.constraintPropagation.enabled=false \
            --conf spark.sql.session.timeZone=UTC \
            --hiveconf hive.server2.thrift.bind.host=127.0.0.1 \
            --hiveconf hive.server2.thrift.port="$PORT" \
            spark-internal > "$HOME_DIR/thriftserver.log" 2>&1 &
        echo $! > "$PID_FILE"
    )
    echo "starting: pid $(cat "$PID_FILE"), port $PORT, log $HOME_DIR/thriftserver.log"
    for _ in $(seq 1 120); do
        if grep -q "ThriftBinaryCLIService.*Starting ThriftBinaryCLIService on port\|HiveThriftServer2 started" "$HOME_DIR/thriftserver.log" 2>/dev/null; then
            echo "ready"
            exit 0
        fi
        kill -0 "$(cat "$PID_FILE")" 2>/dev/null || { echo "the server stopped; see the log"; exit 1; }
        sleep 2
    done
    echo "not ready after 240 s; see the log"
    exit 1
    ;;
stop)
    if [[ -f "$PID_FILE" ]]; then
        kill "$(cat "$PID_FILE")" 2>/dev/null || true
        rm -f "$PID_FILE"
        echo "stopped"
    fi
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
