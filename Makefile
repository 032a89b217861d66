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

.PHONY: help install run test lint format check migrate demo superuser lock clean bench-import

help:
	@echo "make run    - install, migrate, load demo content and serve on http://$(HOST):$(PORT)/"
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
