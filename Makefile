# sagak — `make help` lists the targets.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | sha256sum | cut -c1-12)
HOME_DIR := $(or $(SAGAK_HOME),data)
DEMO_ARGS := --households 20000 --months 24 --end 2026-10 --seed 42

.DEFAULT_GOAL := help
SUDO    := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: help install browser run test lint format bench clean-data

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)  ## create .venv and install the pinned working set

run: $(STAMP)  ## generate the demo world (once), train a model (if none), run the nightly job
	@echo "sagak home: $(abspath $(HOME_DIR)) (set SAGAK_HOME to use another)"
	@test -d $(HOME_DIR)/inbox || $(BIN)/sagak synth $(DEMO_ARGS) --out $(HOME_DIR)
	@test -e $(HOME_DIR)/artifacts/models/champion.json || \
		{ $(BIN)/sagak ingest --as-of latest && $(BIN)/sagak train --as-of latest; }
	$(BIN)/sagak nightly --as-of latest

browser:  ## Debian's chromium and a Korean font for the browser test of `sagak web` (apt-get, only when missing)
	@{ command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi nanum; } || \
		{ $(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium fonts-nanum; }

test: $(STAMP) browser  ## run the test suite (installs chromium first if missing)
	$(BIN)/pytest -q

lint: $(STAMP)  ## ruff check and format check
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)  ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

bench: $(STAMP)  ## time and peak memory per stage, 100k and 1M households (BENCH_ARGS=--with-10m)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean-data:  ## remove runtime state under SAGAK_HOME (keeps contracts and teams.yml)
	rm -rf $(HOME_DIR)/inbox $(HOME_DIR)/truth $(HOME_DIR)/feedback $(HOME_DIR)/outreach \
	       $(HOME_DIR)/artifacts $(HOME_DIR)/warehouse.duckdb* $(HOME_DIR)/secrets \
	       $(HOME_DIR)/logs $(HOME_DIR)/sagak.lock $(HOME_DIR)/work $(HOME_DIR)/tmp
