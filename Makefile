# nhi-warehouse — the commands a newcomer needs. Python 3.11 must be on PATH (python3.11 or python3).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: setup setup-spark demo test test-spark parity lint clean

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

# The Spark tests: build a tiny extract on local Spark, compare every mart with DuckDB.
test-spark: setup-spark
	$(BIN)/python -m pytest -m spark

# Parity check on a tiny generated extract (python -m nhi_warehouse.parity --help for options).
parity: setup-spark
	$(BIN)/python -m nhi_warehouse.generator --size tiny --months 15 --quiet --out data/parity-raw
	$(BIN)/python -m nhi_warehouse.parity --raw data/parity-raw --work data/parity

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
	rm -rf target logs data/raw data/warehouse/*.duckdb data/warehouse/tmp data/spark-warehouse data/parity data/parity-raw data/published data/quality data/benchmark
