# Every target that runs code first makes sure .venv is installed, so each works on a
# fresh machine with only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
ARGS ?=
BASE_URL ?=
AUTH ?=

.PHONY: install run test test-deep test-unit test-contract test-pod test-clients lint fmt bench \
	test-container \
	spec-drift coverage-doc fixtures-check soak clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m emulator $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/openapi-spec-validator openapi/*.yaml

# The container check runs when podman or docker is installed; without one it prints a loud
# SKIPPED, and fails under CI=true.
test: lint
	$(BIN)/pytest -n 2 tests contract_tests
	$(BIN)/python scripts/container_check.py --skip-without-engine

test-deep: lint
	HYPOTHESIS_PROFILE=deep $(BIN)/pytest -n 2 tests contract_tests

test-unit: $(STAMP)
	$(BIN)/pytest tests

test-contract: $(STAMP)
	$(BIN)/pytest contract_tests

# Lints the Dockerfile, builds the image (no network), runs it on a free loopback port, runs
# contract tests against it and removes what it made; the base image stays cached.
test-container: $(STAMP)
	$(BIN)/python scripts/container_check.py

test-pod: $(STAMP)
	$(BIN)/pytest contract_tests --base-url='$(BASE_URL)' --auth='$(AUTH)' \
		--junitxml=contract-junit.xml --report=contract-report.md

test-clients: $(STAMP)
	clients/run.sh

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

spec-drift: $(STAMP)
	$(BIN)/python scripts/spec_drift.py

coverage-doc: $(STAMP)
	$(BIN)/python scripts/implementation_coverage.py

# Regenerates the fixtures into a temporary directory; fails when any byte differs.
fixtures-check: $(STAMP)
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		$(BIN)/python -m scripts.fixtures --out "$$tmp" && diff -r "$$tmp" fixtures

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# 64 concurrent clients of mixed flows for 60 s against one emulator process; prints
# requests, errors by status, latency per route family and RSS over time, and fails on a
# 5xx, a lost row or RSS growth of 10 % (ARGS="--clients 16 --seconds 20"). Not in `make test`,
# which runs a 20-second version (tests/reliability/test_soak.py).
soak: $(STAMP)
	$(BIN)/python scripts/soak.py $(ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
