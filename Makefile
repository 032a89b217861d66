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
DEV_ENV = DEBUG=1 SECRET_KEY="$$(cat .local/secret_key)"
# Tests run with production-like settings (DEBUG off) minus the HTTPS redirect,
# since the test client speaks plain HTTP.
TEST_ENV = DEBUG=0 SECRET_KEY=test-only-not-secret-$(shell echo wbportal-test-key-0123456789abcdefghij) \
	SECURE_SSL_REDIRECT=0 STATIC_PLAIN_STORAGE=1 ALLOWED_HOSTS=testserver,localhost,127.0.0.1

.PHONY: help install run serve bench bench-import test lint format check migrate demo superuser lock clean

help:
	@echo "make run    - install, migrate, load demo content and serve on http://$(HOST):$(PORT)/"
	@echo "make serve  - the production stack locally: collectstatic, migrate, gunicorn (DEBUG off)"
	@echo "make bench  - build the large dataset on PostgreSQL and load-test pages with wrk"
	@echo "make test   - install and run checks, lint and the whole test suite"
	@echo "make lock   - re-resolve requirements.lock from pyproject.toml"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

.local/secret_key:
	@mkdir -p .local
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

migrate: install .local/secret_key
	$(DEV_ENV) $(PY) manage.py migrate --no-input

demo: migrate
	$(DEV_ENV) $(PY) manage.py load_demo

superuser: migrate
	@$(DEV_ENV) $(PY) manage.py ensure_local_superuser --url http://$(HOST):$(PORT)/admin/

run: demo superuser
	@echo "Serving WB Portal on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# Production settings over plain HTTP on this machine: DEBUG off, hashed + compressed static
# files, gunicorn. The HTTPS switches are off only because there is no certificate here.
# DATABASE_URL, REDIS_URL, WEB_CONCURRENCY and the rest pass through from the environment.
SERVE_ENV = DEBUG=0 SECRET_KEY="$$(cat .local/secret_key)" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,[::1]}" \
	SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 \
	TRUST_X_FORWARDED_PROTO=0 STATIC_PLAIN_STORAGE=0

serve: install .local/secret_key
	$(SERVE_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(SERVE_ENV) $(PY) manage.py migrate --no-input
	@echo "Serving WB Portal (production settings, plain HTTP) on http://$(HOST):$(PORT)/"
	$(SERVE_ENV) PORT=$(PORT) GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c wbportal/gunicorn.conf.py

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

check: install
	$(TEST_ENV) $(PY) manage.py check --fail-level WARNING
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: check
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: install
	$(BIN)/pip-compile --quiet --generate-hashes --extra dev --strip-extras \
		--no-emit-index-url --no-emit-find-links --allow-unsafe -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Import benchmark (see bench/bench_import.py): ratios against bulk_create and the
# row-by-row django-import-export import, peak memory. Not part of `make test`.
bench-import: install
	$(PY) bench/bench_import.py
