# Partner Atlas. `make run` serves the app; `make test` runs every test; `make lint` checks style and types.
# Each installs what it needs.
PY      := $(shell command -v python3.11 || command -v python3)
VENV    := .venv
PYTHON  := $(VENV)/bin/python
DB      ?= data/atlas.duckdb
PORT    ?= 8501

.PHONY: run test test-fast lint bench bench-browser bench-serve serve build install install-dev clean

$(VENV)/.installed: requirements.txt
	$(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(DB): | $(VENV)/.installed
	ATLAS_DB=$(DB) $(PYTHON) -m atlas build

build: install  ## rebuild the default database from scratch
	ATLAS_DB=$(DB) $(PYTHON) -m atlas build

run: install $(DB)
	ATLAS_DB=$(DB) $(PYTHON) -m atlas upgrade
	ATLAS_DB=$(DB) $(PYTHON) -m streamlit run dashboard.py --server.address 127.0.0.1 --server.port $(PORT)

# The suite on TEST_WORKERS processes, a test file per process at a time (its module fixtures built once):
# about half the time on two cores. TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= 2
test: install-dev
	$(PYTHON) -m pytest -n $(TEST_WORKERS) --dist loadgroup

test-fast: install-dev  ## everything but the real-browser tests
	$(PYTHON) -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not e2e"

lint: install-dev  ## ruff (lint and format check) and mypy, configured in pyproject.toml
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: install-dev
	$(PYTHON) -m benchmarks.run $(BENCH_ARGS)

REPLICAS   ?= 2
SERVE_PORT ?= 8080
serve: install $(DB)  ## REPLICAS Streamlit processes behind nginx on 127.0.0.1:$(SERVE_PORT) (deploy/README.md)
	ATLAS_DB=$(DB) $(PYTHON) -m atlas upgrade
	ATLAS_DB=$(DB) $(PYTHON) tools/serve.py --replicas $(REPLICAS) --port $(SERVE_PORT)

bench-browser: install-dev  ## real Chromium against the real server at 1M engagements (BROWSER_ARGS=--smoke: tiny)
	$(PYTHON) -m benchmarks.browser $(BROWSER_ARGS)

bench-serve: install-dev  ## 20 sessions x 10 changes through nginx with 1 and 2 replicas at 1M engagements
	$(PYTHON) -m benchmarks.concurrency --replicas 1,2 --out benchmarks/work/serve.json \
		--report benchmarks/RESULTS.md $(SERVE_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache tests/artifacts benchmarks/work
