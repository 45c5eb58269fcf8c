# Bangfu: two commands for a fresh clone. `make run` starts the bot (or the local console
# when no token is set); `make test` runs lint, types and the whole test suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
E2E_STAMP := tests/e2e/node_modules/.installed

.PHONY: setup run test lint unit e2e bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@echo "==> 创建虚拟环境并安装依赖 / creating .venv and installing pinned dependencies"
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
