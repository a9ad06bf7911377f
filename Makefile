# Cetate: `make run` serves the demo city on http://127.0.0.1:$(PORT); `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
N ?= 100000
export PORT

.PHONY: run test lint bench install messages clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	CETATE_DEMO=true $(PY) manage.py load_demo_city
	CETATE_DEMO=true $(PY) manage.py load_demo_knowledge
	CETATE_DEMO=true $(PY) manage.py load_demo_cases
	CETATE_DEMO=true $(PY) manage.py demo_users
	CETATE_DEMO=true $(PY) manage.py serve

# `make test LINT=` runs the tests only (CI lints in one of its two runs).
LINT ?= lint
test: install $(LINT)
	$(PY) -m pytest

lint: install
	$(PY) -m ruff format --check .
	$(PY) -m ruff check .
	$(PY) -m mypy .

bench: install
	$(PY) manage.py bench --cases $(N)

messages: install
	cd cetate && ../$(PY) ../manage.py makemessages -l ro -l en --no-obsolete
	cd cetate && ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) var
