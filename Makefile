# The two commands of the README: `make run` and `make test`. Everything else is their plumbing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test lint typecheck pytest setup screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changes.
$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

setup: $(VENV)/.runtime-installed
	$(FLASK) setup

## make run: install, migrate and seed, then serve on 127.0.0.1:8000 with the scheduler embedded.
run: setup
	$(FLASK) serve

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

pytest: $(VENV)/.dev-installed
	$(BIN)/pytest

## make test: lint, type-check and the tests (SQLite and PostgreSQL, in-process store and Redis).
test: lint typecheck pytest

## make screenshots: refresh the screenshots in docs/ from the browser tests (needs Thai fonts: fonts-thai-tlwg).
screenshots: $(VENV)/.dev-installed
	BOT_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser -k "sqlite"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
