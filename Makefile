# Two commands on a fresh machine (Python 3.12+ and make):
#   make run    set everything up and run the product on SQLite with a worker and demo data
#   make test   set everything up and run the whole test suite
PYTHON ?= $(shell command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

unexport PYTHONDONTWRITEBYTECODE  # pytest re-compiles ~440 plugin modules per process otherwise

.PHONY: run test coverage lint typecheck lock format check-deploy prod-smoke clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Python 3.12+ is required (found %s)" % sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Installs come from the hashed lock files (every package pinned, every download checked);
# `make lock` regenerates them after a pin in pyproject.toml changes (`make lint` checks they agree).
$(VENV)/.installed-run: pyproject.toml requirements/run.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements/run.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements/test.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements/test.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python scripts/run.py

# Measures line coverage into .coverage on the way (`make coverage` reports it per file).
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n auto --cov --cov-report= $(PYTEST_ARGS)

# The per-file coverage of the last `make test`, held to scripts/coverage_floor.json.
coverage: $(VENV)/.installed-test
	$(BIN)/python scripts/coverage_floor.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_lock.py
	$(BIN)/python manage.py makemigrations --check --dry-run

typecheck: $(VENV)/.installed-test
	$(BIN)/python scripts/mypy_budget.py

PIP_COMPILE = $(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links
lock: | $(BIN)/python
	$(BIN)/pip install -q pip-tools==7.6.2
	$(PIP_COMPILE) -o requirements/run.lock pyproject.toml
	$(PIP_COMPILE) --extra test -o requirements/test.lock pyproject.toml

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix src tests bench scripts
	$(BIN)/ruff format src tests bench scripts

check-deploy: $(VENV)/.installed-run
	DJANGO_SETTINGS_MODULE=matchday.config.settings.production DJANGO_SECRET_KEY=$$(openssl rand -hex 32) \
	  DJANGO_ALLOWED_HOSTS=matchday.example.org MATCHDAY_SITE_URL=https://matchday.example.org \
	  EMAIL_HOST=smtp.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

# Boot the product as an operator deploys it (production settings, collectstatic, migrate on a
# fresh PostgreSQL database, gunicorn + db_worker) and use it as each demo persona over HTTP.
# Needs DATABASE_URL=postgres://…/<a database it may drop and create>.
prod-smoke: $(VENV)/.installed-run
	$(BIN)/python scripts/prod_smoke.py

clean:
	rm -rf $(VENV) var staticfiles
