# nhi-warehouse — the commands a newcomer needs. Python 3.11 must be on PATH (python3.11 or python3).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: setup setup-spark setup-dagster dagster demo test test-spark parity parity-cluster lint clean

# Create .venv and install every pinned dependency (pyproject.toml) plus this package.
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Optional: Spark support (docs/spark.md): dbt-spark and pyspark into the same .venv, pinned
# in requirements-spark.txt (~1 GB). Spark needs Java 17.
setup-spark: $(VENV)/.installed-spark

$(VENV)/.installed-spark: $(VENV)/.installed requirements-spark.txt
	@command -v java >/dev/null || { echo "setup-spark: Spark needs Java 17 (apt-get install openjdk-17-jre-headless)"; exit 1; }
	$(BIN)/python -m pip install --quiet -e '.[dev]' -r requirements-spark.txt
	touch $@

# Optional: Dagster orchestration (docs/orchestration.md): dagster, dagster-dbt and the UI into the
# same .venv, pinned in requirements-dagster.txt.
setup-dagster: $(VENV)/.installed-dagster

$(VENV)/.installed-dagster: $(VENV)/.installed requirements-dagster.txt
	$(BIN)/python -m pip install --quiet -e '.[dev]' -r requirements-dagster.txt
	touch $@

# The Dagster UI on http://127.0.0.1:3000 with the project's code location, schedule and sensor.
dagster: setup-dagster
	mkdir -p data/dagster && cp -n orchestration/dagster.yaml data/dagster/ 2>/dev/null || true
	DAGSTER_HOME=$(CURDIR)/data/dagster $(BIN)/dagster dev -m nhi_warehouse.orchestration.definitions -h 127.0.0.1 -p 3000

# The Spark tests: build a tiny extract on local Spark, compare every mart with DuckDB.
test-spark: setup-spark
	$(BIN)/python -m pytest -m spark

# Parity check on a tiny generated extract (python -m nhi_warehouse.parity --help for options):
# DuckDB against local Spark (session), or against a local standalone cluster (a master, two
# workers and a Thrift server, started and stopped by the check). Each records its result in
# docs/parity/ and regenerates the figures in docs/spark.md and README.md from the records.
parity: setup-spark
	$(BIN)/python -m nhi_warehouse.generator --size tiny --months 16 --quiet --out data/parity-raw
	$(BIN)/python -m nhi_warehouse.parity --raw data/parity-raw --work data/parity --record docs/parity/session.json

parity-cluster: setup-spark
	$(BIN)/python -m nhi_warehouse.generator --size tiny --months 16 --quiet --out data/parity-raw
	$(BIN)/python -m nhi_warehouse.parity --raw data/parity-raw --work data/parity-cluster --cluster \
		--record docs/parity/cluster.json

# One command: set up, write the synthetic demo extract, build the warehouse. The public demo
# pseudonymisation key is accepted because the extract's _manifest.json says it is synthetic
# (macros/id_key.sql); an extract of real people needs NHI_ID_KEY.
demo: setup
	$(BIN)/nhi demo

# Every test: Python tests (generator, warehouse build with dbt unit and data tests,
# quarantine counts, conventions), lint (ruff, sqlfluff).
test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check src tests/python
	$(BIN)/ruff format --check src tests/python
	$(BIN)/sqlfluff lint models macros analyses tests/dbt

clean:
	rm -rf target logs data/raw data/warehouse/*.duckdb data/warehouse/tmp data/spark-warehouse data/parity data/parity-cluster data/parity-raw data/spark-thrift data/published data/quality data/benchmark
