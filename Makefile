# The two commands: `make run` and `make test` (README). They create .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint messages worker beat totp clean bench

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

## test: lint and the whole pytest suite (CI=true: PostgreSQL, Redis, a real worker, Chromium)
test: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## messages: refresh the English catalogue from the Dutch source strings, then compile it
messages: $(VENV)/.dev-installed
	DEBUG=1 $(BIN)/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=staticfiles
	DEBUG=1 $(BIN)/python manage.py compilemessages -l en --ignore=.venv

worker: $(VENV)/.run-installed
	$(BIN)/celery -A skow_portal worker --loglevel=INFO

beat: $(VENV)/.run-installed
	$(BIN)/celery -A skow_portal beat --loglevel=INFO --schedule=var/celerybeat-schedule

clean:
	rm -rf $(VENV) db.sqlite3 .test-db.sqlite3 staticfiles

## totp: the current TOTP code of a demo login, e.g. `make totp EMAIL=bestuur@demo.skow.nl`
totp: $(VENV)/.run-installed
	@DEBUG=1 $(BIN)/python manage.py demo_totp $(EMAIL)

## bench: report intake under concurrent load on loopback, and the time to a delivered e-mail
## (a PostgreSQL database of its own in DATABASE_URL; REDIS_URL for a real Celery worker)
bench: $(VENV)/.run-installed
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL to a PostgreSQL database of its own, e.g. postgres://postgres@127.0.0.1:5432/skow_bench"; exit 1; }
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 $(BIN)/python manage.py bench_reports $(BENCH_ARGS)
