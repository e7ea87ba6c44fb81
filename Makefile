# The two commands: `make run` and `make test` (README). They create .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast lint audit messages worker worker-urgent beat totp bench screenshots clean backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

## run: install, migrate, load the demo data and serve http://127.0.0.1:8000 (SQLite, tasks in-process)
run: $(VENV)/.run-installed
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

## test: lint, the import contract (.importlinter) and the whole pytest suite (CI=true: PostgreSQL, Redis, a real worker, Chromium)
test: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/python -m pytest

## test-fast: the edit-test loop: pytest without the browser and service tests; ARGS narrows it (ARGS="reports -x")
test-fast: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -m "not browser and not services" $(ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

## audit: known vulnerabilities in every installed package (pip-audit; needs pypi.org's JSON API)
audit: $(VENV)/.dev-installed
	$(BIN)/pip-audit --strict --progress-spinner off

## messages: refresh the English catalogue from the Dutch source strings, then compile it
messages: $(VENV)/.dev-installed
	DEBUG=1 $(BIN)/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=staticfiles
	DEBUG=1 $(BIN)/python manage.py compilemessages -l en --ignore=.venv

## bench: seed data, serve under gunicorn with a real worker (PostgreSQL + Redis if they answer), print timings
bench: $(VENV)/.dev-installed
	$(BIN)/python -m tools.bench $(BENCH_ARGS)

## screenshots: the pictures of the user guides (docs/guide/) from the demo data, in Debian's Chromium
screenshots: $(VENV)/.dev-installed
	$(BIN)/python -m tools.screenshots

## worker, worker-urgent: the Procfile's two Celery workers, as it writes them (README, "Worker and beat")
worker worker-urgent: $(VENV)/.run-installed
	PATH="$(CURDIR)/$(BIN):$$PATH" sh -c "$$(sed -n 's/^$@: //p' Procfile)"

beat: $(VENV)/.run-installed
	$(BIN)/celery -A skow_portal beat --loglevel=INFO --schedule=var/celerybeat-schedule

## backup: one encrypted archive of the database and the private files (README, "Backup and restore"); ARCHIVE=path names it
backup: $(VENV)/.run-installed
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py backup $(if $(ARCHIVE),--output "$(ARCHIVE)")

## restore: bring ARCHIVE=path back into a fresh database and empty private directories (README); RESTORE_ARGS=--replace
restore: $(VENV)/.run-installed
	@test -n "$(ARCHIVE)" || { echo "Name the archive: make restore ARCHIVE=var/backups/skow-….skowbak"; exit 2; }
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py restore "$(ARCHIVE)" $(RESTORE_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 .test-db.sqlite3 staticfiles

## totp: the current TOTP code of a demo login, e.g. `make totp EMAIL=bestuur@demo.skow.nl`
totp: $(VENV)/.run-installed
	@DEBUG=1 $(BIN)/python manage.py demo_totp $(EMAIL)
