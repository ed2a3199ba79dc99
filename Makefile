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
## (the mail worker and the import worker run beside it, started again should
## they ever exit; mails land in var/mail/).
run: demo
	@echo "Serving http://$(HOST):$(PORT)/ — mails are written to var/mail/"
	@trap 'kill 0' INT TERM EXIT; \
	while true; do \
		$(PY) manage.py mail_worker; \
		echo "mail worker exited (status $$?); starting it again in 2 s" >&2; \
		sleep 2; \
	done & \
	while true; do \
		$(PY) manage.py run_imports; \
		echo "import worker exited (status $$?); starting it again in 2 s" >&2; \
		sleep 2; \
	done & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# `make test` runs the suite in two phases. Phase 1: every test that is
# neither transactional nor a browser test, spread over PYTEST_WORKERS
# processes by pytest-xdist (each with a test database of its own). Phase 2,
# in one process: the tests marked `serial` (the transactional ones, marked by
# tests/conftest.py, whose flush would delete the roles the migrations made
# from under the ordinary tests of the same worker, and those sharing a fixed
# Redis database) and the browser tests.
PYTEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 1)
PARALLEL_TESTS := not serial and not e2e
SERIAL_TESTS := serial or e2e
# Markers that select tests in both phases, and-ed with the phase's own:
# pytest keeps only the last `-m`, so none goes in PYTEST_FLAGS.
PYTEST_MARK ?=
phase_mark = $(if $(strip $(PYTEST_MARK)),($(1)) and ($(PYTEST_MARK)),$(1))
# After a phase's pytest: print its time; exit 5 (it selected no test) is no
# failure, unless no phase selected any.
define phase_result
code=$$?; took=$$(($$(date +%s) - start)); \
printf '=== make test, %s: exit %d, %dm%02ds\n' "$(1)" $$code $$((took / 60)) $$((took % 60)); \
case $$code in 0) ;; 5) empty=$$((empty + 1)) ;; *) failed=1 ;; esac
endef

## Run the whole test suite (set DATABASE_URL to run it on PostgreSQL):
## in parallel on PYTEST_WORKERS processes (one per core; 0: this one), then
## the transactional and browser tests in one process. PYTEST_FLAGS passes
## options on to both, PYTEST_MARK selects by marker, e.g.
## `make test PYTEST_FLAGS=--reverse PYTEST_MARK='not e2e'`.
test: compile-messages
	$(if $(filter -m%,$(PYTEST_FLAGS)),@echo "make test: give markers in PYTEST_MARK='...' (each phase has its own -m)" >&2; exit 2)
	@failed=0; empty=0; start=$$(date +%s); \
	echo "=== make test, phase 1 of 2: in parallel, $(PYTEST_WORKERS) workers"; \
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_FLAGS) \
		-m "$(call phase_mark,$(PARALLEL_TESTS))"; \
	$(call phase_result,phase 1 (parallel)); \
	start=$$(date +%s); \
	echo "=== make test, phase 2 of 2: transactional and browser tests, one process"; \
	$(VENV)/bin/pytest $(PYTEST_FLAGS) -n 0 -m "$(call phase_mark,$(SERIAL_TESTS))"; \
	$(call phase_result,phase 2 (serial)); \
	if [ $$failed -ne 0 ]; then exit 1; elif [ $$empty -eq 2 ]; then exit 5; fi

## The suite again, in reverse order and with Python's optimisations on
## (PYTHONOPTIMIZE=1 drops `assert` statements): no check may rest on either.
test-strict: export PYTHONOPTIMIZE = 1
test-strict: override PYTEST_FLAGS += --reverse
test-strict: test

## Supply chain: bandit over our code, pip-audit over the installed packages
## (pass PIP_AUDIT_FLAGS=--strict to fail when a package cannot be looked up).
audit: install
	$(VENV)/bin/bandit -c pyproject.toml -r wabp_portal groups registrations devdata bin -q
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
## and give new English entries their source text; new Dutch and French
## entries are translated by hand (`make check` lists what is missing)
## (needs GNU gettext: apt-get install gettext).
messages: install
	$(PY) manage.py makemessages $(MAKEMESSAGES_FLAGS) --locale nl --locale fr --locale en
	$(PY) bin/fill_english.py
	$(PY) bin/compile_messages.py

## Take the README's screenshots (docs/screenshots/, desktop and phone) with the
## browser tests that check those pages with axe.
screenshots: compile-messages
	@test -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" || { echo "Needs Chromium: apt-get install chromium"; exit 1; }
	SCREENSHOT_DIR=docs/screenshots $(VENV)/bin/pytest -p no:randomly -q \
		tests/e2e/test_accessibility.py tests/e2e/test_statistics_page.py \
		tests/e2e/test_coordinator_phone.py tests/e2e/test_coordinator_day.py
