# Bangfu: two commands for a fresh clone. `make run` starts the bot (or the local console
# when no token is set); `make test` runs lint, types and the whole test suite.
SHELL := /bin/bash
# The newest Python 3.11+ that actually runs (a pyenv shim for a version that is not
# selected is on PATH but fails, so each candidate is asked for its version).
PYTHON_CANDIDATES := python3.14 python3.13 python3.12 python3.11 python3
PYTHON ?= $(shell for p in $(PYTHON_CANDIDATES); do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	    >/dev/null 2>&1 && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
E2E_STAMP := tests/e2e/node_modules/.installed

.PHONY: setup run test lint unit e2e bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "需要 Python 3.11 或更新版本 / Python 3.11+ is required" >&2; exit 1; }
	@echo "==> 创建虚拟环境并安装依赖 / creating .venv and installing pinned dependencies ($(PYTHON))"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

$(E2E_STAMP): tests/e2e/package.json tests/e2e/package-lock.json
	@echo "==> 安装 Bot API 模拟器 / installing the Bot API emulator (npm ci)"
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	@touch $(E2E_STAMP)

run: setup
	$(BIN)/bangfu run

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest --ignore=tests/e2e

e2e: setup $(E2E_STAMP)
	$(BIN)/pytest tests/e2e

# The storage tests start their own PostgreSQL on 127.0.0.1 (tests/pg_server.py); under
# `make test` a missing PostgreSQL is a failure, not a skip.
test: setup $(E2E_STAMP) lint
	BANGFU_REQUIRE_POSTGRES=1 $(BIN)/pytest

bench: setup
	$(BIN)/python benchmarks/ask.py
	$(BIN)/python benchmarks/updates.py

clean:
	rm -rf $(VENV) tests/e2e/node_modules .pytest_cache .mypy_cache .ruff_cache
