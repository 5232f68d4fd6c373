# The one entry point. `make run` starts the demo; `make test` runs everything CI runs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test test-sqlite test-postgres test-browser lint fmt check bench soak deps deps-dev system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Stamp files: reinstall only when a lock file changes.
$(VENV)/.deps-run: requirements.lock | $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	@touch $@

$(VENV)/.deps-dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.lock
	@touch $@ $(VENV)/.deps-run

deps: $(VENV)/.deps-run
deps-dev: $(VENV)/.deps-dev

## Start web (:8000), worker and Zoom sandbox (:8001) with demo data; Ctrl-C stops all.
run: deps
	$(BIN)/python scripts/devstack.py

## Everything CI runs: lint, then the whole suite on SQLite and then on PostgreSQL.
test: deps-dev system-deps
	scripts/test-all

system-deps:
	scripts/ensure-system-deps

test-sqlite: deps-dev
	$(BIN)/pytest $(ARGS)

test-postgres: deps-dev
	scripts/with-postgres $(BIN)/pytest $(ARGS)

test-browser: deps-dev system-deps
	$(BIN)/pytest -m browser $(ARGS)

lint: deps-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: deps-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: deps-dev
	DEBUG=1 $(BIN)/python manage.py check
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

## Benchmarks (not part of `make test`): every figure into bench/results/latest.{json,txt}.
## ARGS="--only 1 3 --runs 5" picks figures and runs; "--quick" checks the bench itself.
bench: deps-dev
	TEST_POSTGRES_URL=$${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
		scripts/with-postgres $(BIN)/python -m bench $(ARGS)

## The fault soak alone (minutes); longer with ARGS="--bookings 20000".
soak: deps-dev
	TEST_POSTGRES_URL=$${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
		scripts/with-postgres $(BIN)/python -m bench.soak $(ARGS)

clean:
	rm -rf $(VENV) staticfiles test-artifacts
