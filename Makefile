# The two commands the README opens with: `make serve` and `make test`.
# Each sets up .venv with the project and its pinned dependencies first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup browser-deps serve build test check lint typecheck unit fast site dist bench fuzz clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	# pip 25.1+ installs dependency groups (PEP 735).
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e . --group dev
	@touch $(STAMP)

setup: $(STAMP)

serve: setup
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: setup
	$(BIN)/mkdocs build --strict

lint: setup
	$(BIN)/ruff check plugins tests benchmarks
	$(BIN)/ruff format --check plugins tests benchmarks

typecheck: setup
	$(BIN)/mypy

# Chromium (Debian) and axe-core (npm) for the browser tests; each only when missing.
browser-deps:
	bash tests/browser/install-deps.sh

unit: setup browser-deps
	$(BIN)/pytest

site: setup
	$(BIN)/mkdocs build --strict --site-dir "$$(mktemp -d)"

test: lint typecheck unit site

# The fast tier, for each change: lint, types and every test that builds no whole site,
# drives no browser and builds no wheel (the markers are in pyproject.toml).
FAST := not site and not browser and not dist and not slow

fast: setup
	$(BIN)/pytest -m "$(FAST)"

check: lint typecheck fast

# The sdist and wheel, built offline with the dev group's tools, checked as an index would.
dist: setup
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/python -m twine check --strict dist/*

# Options of benchmarks/run.py, e.g. make bench BENCH_ARGS="--sizes 1000 --no-serve".
BENCH_ARGS ?=

bench: setup
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

fuzz: setup
	HYPOTHESIS_PROFILE=long $(BIN)/pytest tests/test_fuzz.py

clean:
	rm -rf $(VENV) site dist build .pytest_cache .mypy_cache .ruff_cache tests/browser/node_modules
