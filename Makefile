# HowGood: `make demo` to see it, `make test` to check it. Needs only python3.11, make and git.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=

.PHONY: help venv demo serve migrate demo-data test test-suite coverage-html lint types imports check bench lock clean

help:
	@echo "make demo   set everything up, load the demo partnership and serve http://127.0.0.1:8000"
	@echo "make test   set everything up and run lint, type checks and the whole test suite"
	@echo "make bench  print the performance figures (bench/)"

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

venv: $(STAMP)

migrate: venv
	$(PY) manage.py migrate --noinput

demo-data: migrate
	$(PY) manage.py load_framework
	$(PY) manage.py load_default_questionnaires
	$(PY) manage.py load_comparators
	HOWGOOD_DEMO=1 $(PY) manage.py demo_load

demo: demo-data
	HOWGOOD_DEMO=1 $(PY) manage.py runserver 127.0.0.1:8000

serve: venv
	HOWGOOD_DEMO=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: venv
	$(BIN)/mypy

# Imports between apps flow one way (the layers are in pyproject.toml, [tool.importlinter]).
imports: venv
	$(BIN)/lint-imports --no-cache

check: venv
	$(PY) manage.py makemigrations --check --dry-run
	HOWGOOD_ENV=production SECRET_KEY=check-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') ALLOWED_HOSTS=howgood.example $(PY) manage.py check --deploy --fail-level WARNING

# The suite runs under coverage.py; then tools/enforce_coverage.py fails unless the statistics,
# every services.py and every access.py ran in full, lines and branches (pyproject.toml,
# [tool.coverage.*]). COVERAGE=0 runs the suite alone (CI's second run, on PostgreSQL).
COVERAGE ?= 1
ifeq ($(COVERAGE),0)
test-suite: venv
	$(PY) -m pytest $(PYTEST_ARGS)
else
test-suite: venv
	$(PY) -m coverage erase
	$(PY) -m coverage run -m pytest $(PYTEST_ARGS)
	$(PY) tools/enforce_coverage.py
endif

coverage-html:
	$(PY) -m coverage html
	@echo "Open htmlcov/index.html"

test: lint types imports check test-suite

bench: migrate
	$(PY) bench/run_all.py

lock:
	$(PY) -m pip freeze --exclude-editable > /tmp/howgood-freeze.txt
	@echo "Compare /tmp/howgood-freeze.txt with requirements*.txt and update the pins by hand."

clean:
	rm -rf $(VENV) staticfiles .mypy_cache .ruff_cache .coverage .coverage.* htmlcov
