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
## Other ports: make run PORT=8010 EMULATOR_PORT=8011 (the LINE emulator's, default PORT + 1).
PORT ?=
EMULATOR_PORT ?=
SERVE = BOT_SERVE_VIA=make $(FLASK) serve $(if $(PORT),--port $(PORT)) $(if $(EMULATOR_PORT),--emulator-port $(EMULATOR_PORT))
run: $(VENV)/.runtime-installed
	@$(SERVE) --check-ports
	$(FLASK) setup
	$(SERVE)

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
