# Viewfinder: `make run` brings the product up on embedded defaults; `make test` checks everything CI checks.

SHELL := /bin/bash
PYTHON ?= python3
# uv is taken from PATH, else from a small bootstrap environment in .tools (made with pip when missing; a
# venv of its own, because Debian's and Ubuntu's system Python refuse `pip install` outside one).
UV := $(shell command -v uv 2>/dev/null || echo "$(CURDIR)/.tools/bin/uv")
PYTEST_WORKERS ?= 2
export HOST ?= 127.0.0.1
export PORT ?= 8000
export DATA_DIR ?= ./data

.PHONY: run install uv web lint format test test-python migrations-check clean

run: install web
	@$(UV) run viewfinder up

uv:
	@command -v uv >/dev/null 2>&1 || [ -x .tools/bin/uv ] || { $(PYTHON) -m venv .tools && \
		.tools/bin/pip install --quiet --disable-pip-version-check "uv>=0.13,<0.14"; }

install: uv
	@$(UV) sync --frozen --quiet

web:
	@if [ -f web/package.json ]; then cd web && npm ci --no-audit --no-fund && npm run build; fi

format: install
	$(UV) run ruff format src tests migrations bench
	$(UV) run ruff check --fix src tests migrations bench

lint: install
	$(UV) run ruff format --check src tests migrations bench
	$(UV) run ruff check src tests migrations bench
	$(UV) run mypy
	$(UV) run lint-imports --no-cache
	@$(MAKE) --no-print-directory migrations-check

# The models and the migration history must agree: migrate a scratch database, then ask Alembic for a diff.
migrations-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		export DATABASE_URL="sqlite:///$$tmp/check.db" DATA_DIR="$$tmp" LOG_LEVEL=WARNING && \
		$(UV) run viewfinder migrate >/dev/null && $(UV) run alembic check

test: lint test-python

test-python: install
	$(UV) run pytest -n $(PYTEST_WORKERS) --dist loadgroup

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache web/dist
