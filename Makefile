# nhi-warehouse — the commands a newcomer needs. Python 3.11 must be on PATH (python3.11 or python3).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test lint clean

# Create .venv and install every pinned dependency (pyproject.toml) plus this package.
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# One command: set up, write the synthetic demo extract, build the warehouse.
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
	rm -rf target logs data/raw data/warehouse/*.duckdb data/warehouse/tmp data/published data/quality data/benchmark
