# Two commands on a fresh machine: `make site` and `make test`. Everything they need is
# installed by them. Run `make help` for the rest.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
CHROMIUM := /usr/bin/chromium

.PHONY: help site test check lint type serve bench clean install

help:  ## List the targets.
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(TESTSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP) $@

$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

install: $(STAMP)  ## Create .venv and install the portal.

# Python compiles the builder's modules once and keeps them, unless PYTHONDONTWRITEBYTECODE
# is set (it is on some machines): then `portal` would compile them again on every run.
COMPILE := $(BIN)/python -m compileall -q builder

site: $(STAMP)  ## Build site/ (open the printed site/index.html).
	$(COMPILE)
	$(BIN)/portal build

test: $(TESTSTAMP) $(CHROMIUM)  ## Run the whole test suite, browser tests included.
	$(BIN)/python -m pytest

lint: $(TESTSTAMP)  ## ruff check and format check.
	$(BIN)/ruff check builder tests benchmarks
	$(BIN)/ruff format --check builder tests benchmarks

type: $(TESTSTAMP)  ## mypy (strict) on builder/.
	$(BIN)/mypy

check: lint type test  ## lint, type and test.
	$(BIN)/portal check

bench: $(TESTSTAMP) $(CHROMIUM)  ## Measure build, site, maps and search; write benchmarks/results.md.
	$(COMPILE)
	$(BIN)/python benchmarks/run.py

serve: $(STAMP)  ## Serve the site on 127.0.0.1:8000 and rebuild on change.
	$(BIN)/portal serve

clean:  ## Remove build outputs (not .venv).
	rm -rf build site .pytest_cache .mypy_cache .ruff_cache
