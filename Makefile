# Two commands: `make run` serves the API on SQLite, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test lint test-sqlite test-postgres fuzz openapi sdk bench clean constraints

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e ".[postgres,mqtt]"
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e ".[dev,postgres]"
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/fairstead serve

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test-sqlite: $(VENV)/.dev-installed
	$(BIN)/python -m pytest

# The API and integration suites again on PostgreSQL. Skipped (one line) when it is not
# reachable, except under CI, where an unreachable PostgreSQL fails the run.
test-postgres: $(VENV)/.dev-installed
	@$(BIN)/python -m tests.postgres_gate "$(PG_URL)"; rc=$$?; \
	if [ $$rc -eq 0 ]; then \
		FAIRSTEAD_TEST_DATABASE_URL="$(PG_URL)" $(BIN)/python -m pytest tests/api tests/integration; \
	elif [ $$rc -ne 1 ]; then exit $$rc; fi

# Suites beyond the two above live in mk/*.mk: each file adds its target to TEST_SUITES.
# `make test` runs lint, then every suite two at a time (the machine has two cores) with
# each suite's output kept together.
TEST_SUITES := test-sqlite test-postgres
-include $(sort $(wildcard mk/*.mk))

test: lint
	$(MAKE) --no-print-directory -j2 --output-sync=target $(TEST_SUITES)

# Schemathesis deeper than `make test` does: more examples per operation and the stateful
# phase. On PostgreSQL: make fuzz FAIRSTEAD_TEST_DATABASE_URL=postgresql+psycopg://...
FUZZ_EXAMPLES ?= 60
fuzz: $(VENV)/.dev-installed
	FAIRSTEAD_FUZZ_DEEP=1 FAIRSTEAD_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
		$(BIN)/python -m pytest tests/api/test_schemathesis.py

openapi: $(VENV)/.dev-installed
	$(BIN)/fairstead openapi

# A Python client generated from the committed OpenAPI document: build/sdk/fairstead_client
sdk: $(VENV)/.dev-installed
	rm -rf build/sdk
	$(BIN)/openapi-python-client generate --path openapi/openapi.json \
		--output-path build/sdk/fairstead_client --meta none --config openapi/sdk-config.yaml

# Requests/s and p50/p99 of four endpoints under load against a bare FastAPI endpoint, on
# SQLite (1 and 2 uvicorn workers) and on the PostgreSQL at PG_URL, which it empties (skipped
# with a line when unreachable); writes bench/RESULTS.md. `make bench BENCH_ARGS=--quick`.
bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench.load --pg-url "$(PG_URL)" $(BENCH_ARGS)

# constraints.txt: the runtime dependencies pinned exactly, resolved in a throwaway venv; the
# Docker image installs from it.
constraints:
	rm -rf build/constraints-venv
	$(PYTHON) -m venv build/constraints-venv
	build/constraints-venv/bin/pip install --quiet --upgrade pip
	build/constraints-venv/bin/pip install --quiet ".[postgres,mqtt,redis]"
	{ head -3 constraints.txt; build/constraints-venv/bin/pip freeze --exclude fairstead; } > constraints.new
	mv constraints.new constraints.txt
	rm -rf build/constraints-venv

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
