# Viewfinder: `make run` brings the product up on embedded defaults; `make test` checks everything CI checks.

SHELL := /bin/bash
PYTHON ?= python3
# uv is taken from PATH, else from a small bootstrap environment in .tools (made with pip when missing; a
# venv of its own, because Debian's and Ubuntu's system Python refuse `pip install` outside one).
UV := $(shell command -v uv 2>/dev/null || echo "$(CURDIR)/.tools/bin/uv")
PYTEST_WORKERS ?= 2
# Every check starts Python again (the app for the OpenAPI document, Alembic, pytest's workers): an environment
# that forbids bytecode caches makes each one compile the whole dependency tree anew, about 4 s a start.
unexport PYTHONDONTWRITEBYTECODE
export HOST ?= 127.0.0.1
export PORT ?= 8000
export DATA_DIR ?= ./data

.PHONY: run install uv web web-install api-client api-client-check lint lint-python lint-web format test test-python test-web migrations-check clean

run: install web
	@$(UV) run viewfinder up

uv:
	@command -v uv >/dev/null 2>&1 || [ -x .tools/bin/uv ] || { $(PYTHON) -m venv .tools && \
		.tools/bin/pip install --quiet --disable-pip-version-check "uv>=0.13,<0.14"; }

install: uv
	@$(UV) sync --frozen --quiet

# The web app's packages are installed again only when its lock file changes. `npm install` keeps the lock's
# versions; `npm ci` would refuse the lock, which lacks the native builds for other platforms that this
# registry does not carry (Tailwind's oxide for macOS and Windows).
WEB_PACKAGES := web/node_modules/.installed
$(WEB_PACKAGES): web/package-lock.json web/package.json
	@cd web && npm install --no-audit --no-fund --loglevel=error && touch node_modules/.installed

web-install: $(WEB_PACKAGES)

web: web-install
	@cd web && npm run --silent build

# The web app's API client is generated from the server's OpenAPI document, never written by hand.
API_CLIENT := web/src/api/schema.gen.ts
define generate_api_client
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		DATA_DIR="$$tmp" LOG_LEVEL=WARNING $(UV) run viewfinder openapi > "$$tmp/openapi.json" && \
		web/node_modules/.bin/openapi-typescript "$$tmp/openapi.json" --output $(1) >/dev/null
endef

api-client: install web-install
	@$(call generate_api_client,$(API_CLIENT))

api-client-check: install web-install
	@out=$$(mktemp --suffix=.ts) && trap 'rm -f "$$out"' EXIT && $(call generate_api_client,"$$out") && \
		cmp -s "$$out" $(API_CLIENT) || { echo "$(API_CLIENT) is stale: run make api-client"; exit 1; }

format: install web-install
	$(UV) run ruff format src tests migrations bench
	$(UV) run ruff check --fix src tests migrations bench
	cd web && npm run --silent format

# The Python and the web app's checks share nothing, so they run side by side (each prints as a block).
lint: install web-install
	@$(MAKE) --no-print-directory -j2 --output-sync=target lint-python lint-web

lint-python:
	$(UV) run ruff format --check src tests migrations bench
	$(UV) run ruff check src tests migrations bench
	$(UV) run mypy
	$(UV) run lint-imports --no-cache
	@$(MAKE) --no-print-directory migrations-check api-client-check

lint-web:
	@cd web && npm run --silent typecheck && npm run --silent lint

# The models and the migration history must agree: migrate a scratch database, then ask Alembic for a diff.
migrations-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		export DATABASE_URL="sqlite:///$$tmp/check.db" DATA_DIR="$$tmp" LOG_LEVEL=WARNING && \
		$(UV) run viewfinder migrate >/dev/null && $(UV) run alembic check

test: lint test-web test-python

test-web: web-install
	@cd web && npm run --silent test

# The browser tests drive the built app.
test-python: install web
	$(UV) run pytest -n $(PYTEST_WORKERS) --dist loadgroup

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache web/dist web/node_modules
