# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# What `make messages` extracts; tests/test_translations.py extracts the same.
MAKEMESSAGES_FLAGS := --no-obsolete --no-location --ignore tests --ignore .venv --ignore loadtest --ignore var

.PHONY: install run serve test test-strict lint format check audit soak bench backup-drill messages compile-messages migrate demo worker screenshots purge

$(VENV)/.installed: requirements.txt requirements-dev.txt build-constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --build-constraint build-constraints.txt -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

compile-messages: install
	$(PY) bin/compile_messages.py

migrate: compile-messages
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

## Install, migrate, load the demo data and serve http://127.0.0.1:8000/ on SQLite
## (the mail worker runs beside it, started again should it ever exit; mails
## land in var/mail/).
run: demo
	@echo "Serving http://$(HOST):$(PORT)/ — mails are written to var/mail/"
	@trap 'kill 0' INT TERM EXIT; \
	while true; do \
		$(PY) manage.py mail_worker; \
		echo "mail worker exited (status $$?); starting it again in 2 s" >&2; \
		sleep 2; \
	done & \
	$(PY) manage.py runserver $(HOST):$(PORT)

## Run the whole test suite (set DATABASE_URL to run it on PostgreSQL;
## PYTEST_FLAGS passes options on, e.g. PYTEST_FLAGS='-m "not e2e"').
test: compile-messages
	$(VENV)/bin/pytest $(PYTEST_FLAGS)

## The suite again, in reverse order and with Python's optimisations on
## (PYTHONOPTIMIZE=1 drops `assert` statements): no check may rest on either.
test-strict: compile-messages
	PYTHONOPTIMIZE=1 $(VENV)/bin/pytest --reverse

## Supply chain: bandit over our code, pip-audit over the installed packages
## (pass PIP_AUDIT_FLAGS=--strict to fail when a package cannot be looked up).
audit: install
	$(VENV)/bin/bandit -c pyproject.toml -r wabp_portal groups registrations bin -q
	$(VENV)/bin/pip-audit --progress-spinner off $(PIP_AUDIT_FLAGS)

## Soak: gunicorn on a scratch PostgreSQL database (wabp_soak, dropped first)
## under page views, finder look-ups and signups from locust for SOAK_SECONDS
## (60) with SOAK_USERS (20); fails on any error or any signup not stored once.
soak: compile-messages
	$(PY) -m loadtest.soak

## Benchmark: gunicorn on a scratch PostgreSQL database (wabp_bench, dropped
## first) with the small and the national synthetic data, driven by wrk
## (apt-get install wrk); prints one table and writes docs/benchmarks.md.
bench: compile-messages
	$(PY) -m loadtest.bench

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: compile-messages
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) bin/compile_messages.py --check

## Backup drill: dump, restore into a scratch database, compare row counts; DATABASE_URL must point at PostgreSQL.
backup-drill: install
	$(PY) bin/backup_drill.py $(BACKUP_DRILL_FLAGS)

## Extract the translatable strings into locale/*/LC_MESSAGES/django.po
## and give new English entries their source text
## (needs GNU gettext: apt-get install gettext).
messages: install
	$(PY) manage.py makemessages $(MAKEMESSAGES_FLAGS) --locale nl --locale en
	$(PY) bin/fill_english.py
	$(PY) bin/compile_messages.py

## Take the README's screenshots (docs/screenshots/, desktop and phone) with the
## browser tests that check those pages with axe.
screenshots: compile-messages
	@test -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" || { echo "Needs Chromium: apt-get install chromium"; exit 1; }
	SCREENSHOT_DIR=docs/screenshots $(VENV)/bin/pytest -p no:randomly -q \
		tests/e2e/test_accessibility.py tests/e2e/test_statistics_page.py
