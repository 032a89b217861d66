# WB Portal: `make run` and `make test` are all a newcomer needs (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Local development only: DEBUG on, a per-checkout secret kept out of git in .local/.
DEV_ENV = DEBUG=1 SECRET_KEY="$$(cat .local/secret_key)" SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"
# Tests run with production-like settings (DEBUG off) minus the HTTPS redirect,
# since the test client speaks plain HTTP.
TEST_ENV = DEBUG=0 SECRET_KEY=test-only-not-secret-$(shell echo wbportal-test-key-0123456789abcdefghij) \
	SECURE_SSL_REDIRECT=0 STATIC_PLAIN_STORAGE=1 ALLOWED_HOSTS=testserver,localhost,127.0.0.1 \
	SITE_URL=http://testserver

# Browser checks (tests/browser/): Debian's Chromium, Java for the Nu HTML Checker, and the
# npm dev tools in package-lock.json (axe-core, vnu-jar). `make test` installs what is missing
# when it can (root with apt-get) and otherwise stops with what to install; SKIP_BROWSER_TESTS=1
# skips those checks explicitly (pytest reports them as skipped).
CHROMIUM_PATH ?= /usr/bin/chromium
NODE_STAMP := node_modules/.npm-ci.stamp
SKIP_BROWSER_TESTS ?=
export CHROMIUM_PATH SKIP_BROWSER_TESTS

.PHONY: help install run serve bench bench-import bench-search bench-security test test-fast lint format check typecheck browser-deps system-browser-deps system-deps migrate demo superuser lock clean

help:
	@echo "make run    - install, migrate, load demo content and serve on http://$(HOST):$(PORT)/"
	@echo "make test   - install and run checks, lint and the whole test suite (browser checks"
	@echo "              included; SKIP_BROWSER_TESTS=1 skips them explicitly), in parallel"
	@echo "make test-fast - the same without the browser checks (pytest -m \"not browser\");"
	@echo "              needs no Chromium, Java or npm"
	@echo "              Both take PYTEST_ARGS (e.g. PYTEST_ARGS=tests/regions) and"
	@echo "              PYTEST_WORKERS (default auto: one per core; 0 for one process, e.g. pdb)"
	@echo "make serve  - the production stack locally: collectstatic, migrate, gunicorn (DEBUG off)"
	@echo "              (run and serve start the scheduler beside the web server)"
	@echo "make bench  - build the large dataset on PostgreSQL and load-test pages with wrk"
	@echo "make bench-search - build the large dataset on PostgreSQL and time the site search"
	@echo "make lock   - re-resolve requirements.lock from pyproject.toml"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

# Chart PNGs and share images (CairoSVG) need the Cairo library and a font: Debian's libcairo2
# and fonts-dejavu-core (the charts name DejaVu Sans first). Installed when missing if root
# with apt-get; otherwise `make` stops and says what to install.
system-deps:
	@missing=""; \
	/sbin/ldconfig -p 2>/dev/null | grep -q 'libcairo\.so\.2' || missing="$$missing libcairo2"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing the system packages chart images need:$$missing"; \
		apt-get update && apt-get install -y --no-install-recommends $$missing || exit 1; \
	else \
		echo "ERROR: chart images (PNG, share images) need Debian packages that are not installed:$$missing" >&2; \
		echo "  Install them as root:  apt-get install --no-install-recommends$$missing" >&2; \
		exit 1; \
	fi

.local/secret_key:
	@mkdir -p .local
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

migrate: install system-deps .local/secret_key
	$(DEV_ENV) $(PY) manage.py migrate --no-input

demo: migrate
	$(DEV_ENV) $(PY) manage.py load_demo

superuser: migrate
	@$(DEV_ENV) $(PY) manage.py ensure_local_superuser --url http://$(HOST):$(PORT)/admin/

# The scheduler (publish_scheduled every minute) runs beside the web server and stops with
# it (scheduler/beside.py): scheduled changes go live with nothing else running.
run: demo superuser
	@echo "Serving WB Portal on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "with the scheduler beside it; Ctrl-C stops both."
	$(DEV_ENV) $(PY) -m scheduler.beside $(PY) manage.py runserver $(HOST):$(PORT)

# Production settings over plain HTTP on this machine: DEBUG off, hashed + compressed static
# files, gunicorn. The HTTPS switches are off only because there is no certificate here.
# DATABASE_URL, REDIS_URL, WEB_CONCURRENCY and the rest pass through from the environment.
SERVE_ENV = DEBUG=0 SECRET_KEY="$$(cat .local/secret_key)" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,[::1]}" \
	SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" \
	SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 \
	TRUST_X_FORWARDED_PROTO=0 STATIC_PLAIN_STORAGE=0

serve: install system-deps .local/secret_key
	$(SERVE_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(SERVE_ENV) $(PY) manage.py migrate --no-input
	@echo "Serving WB Portal (production settings, plain HTTP) on http://$(HOST):$(PORT)/"
	@echo "with the scheduler beside gunicorn; Ctrl-C stops both."
	$(SERVE_ENV) PORT=$(PORT) GUNICORN_BIND=$(HOST):$(PORT) \
		$(PY) -m scheduler.beside $(BIN)/gunicorn -c wbportal/gunicorn.conf.py

# Load test on PostgreSQL + Redis (see bench/README.md). BENCH_DB is dropped and rebuilt.
BENCH_DB ?= wbportal_bench
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB)
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/13
BENCH_PORT ?= 8601

bench: install .local/secret_key
	@command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get install -y --no-install-recommends wrk || \
			{ apt-get update && apt-get install -y --no-install-recommends wrk; }; \
		else echo "make bench needs wrk: sudo apt-get install wrk" >&2; exit 1; fi; }
	$(SERVE_ENV) DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) \
		BENCH_DB=$(BENCH_DB) BENCH_PORT=$(BENCH_PORT) $(PY) bench/run.py

check: install typecheck
	$(TEST_ENV) $(PY) manage.py check --fail-level WARNING
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# pytest-xdist workers, one per core by default; each has its own test database, live server
# and browser. `--dist load` hands out runs of consecutive tests in the order pytest collected
# them, which keeps each worker's tests that share the demo content together
# (tests/shared_demo.py), so each worker loads it about once.
PYTEST_WORKERS ?= auto
PYTEST = $(TEST_ENV) $(BIN)/pytest -n $(PYTEST_WORKERS) --dist load

test: check system-deps browser-deps
	$(PYTEST) $(PYTEST_ARGS)

# Everything but the browser checks (tests/browser/, marker `browser`).
test-fast: check system-deps
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

ifeq ($(SKIP_BROWSER_TESTS),1)
browser-deps:
	@echo "SKIP_BROWSER_TESTS=1: the browser and HTML-validity checks in tests/browser/ will be SKIPPED."
else
browser-deps: system-browser-deps $(NODE_STAMP)
endif

# Chromium (+ a font), Java and Node/npm from Debian when missing; never silently without them.
system-browser-deps:
	@missing=""; \
	[ -x "$(CHROMIUM_PATH)" ] || missing="$$missing chromium fonts-dejavu-core"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing the browser tests' system packages:$$missing"; \
		apt-get update && apt-get install -y --no-install-recommends $$missing || exit 1; \
		if [ ! -x "$(CHROMIUM_PATH)" ]; then \
			echo "ERROR: Chromium is still not at $(CHROMIUM_PATH) after installing it; set CHROMIUM_PATH." >&2; exit 1; \
		fi; \
	else \
		echo "ERROR: the browser tests need Debian packages that are not installed:$$missing" >&2; \
		echo "  Install them as root:  apt-get install --no-install-recommends$$missing" >&2; \
		echo "  (or point CHROMIUM_PATH at a Chromium binary), then run make test again." >&2; \
		echo "  To run everything else without the browser checks: make test SKIP_BROWSER_TESTS=1" >&2; \
		exit 1; \
	fi

# npm ci only when the lock file changed (install scripts are not needed: vnu-jar's only
# fetches a Java runtime, which comes from Debian above).
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

lint: install
	$(BIN)/ruff check .

# mypy with django-stubs over the files named in pyproject.toml ([tool.mypy]). The plugin
# loads the settings, hence TEST_ENV; PYTHONPATH=. so that our app `statistics` is found
# before the standard library's module of that name.
typecheck: install
	$(TEST_ENV) PYTHONPATH=. $(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: install
	$(BIN)/pip-compile --quiet --generate-hashes --extra dev --strip-extras \
		--no-emit-index-url --no-emit-find-links --allow-unsafe -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache node_modules test-artifacts

# Import benchmark (see bench/bench_import.py): ratios against bulk_create and the
# row-by-row django-import-export import, peak memory. Not part of `make test`.
bench-import: install
	$(PY) bench/bench_import.py

# Site search timings on PostgreSQL (see bench/bench_search.py): BENCH_SEARCH_DB is dropped
# and rebuilt with the large dataset, then /search/ is timed uncached. Not part of `make test`.
BENCH_SEARCH_DB ?= wbportal_bench_search
bench-search: install .local/secret_key
	$(SERVE_ENV) SITE_URL=http://testserver ALLOWED_HOSTS=testserver STATIC_PLAIN_STORAGE=1 \
		DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_SEARCH_DB) \
		$(PY) bench/bench_search.py --build

# The worst Markdown text and import-profile pattern the input limits allow, timed (see
# bench/bench_security.py); exits non-zero above the 0.5 s target. Not part of `make test`.
bench-security: install
	$(PY) bench/bench_security.py
