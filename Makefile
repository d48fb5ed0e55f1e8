# microreach — daily commands. The environment lives in .venv; `make demo` and `make test` create it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core, the browser tests all in one of them (loadgroup);
# PYTEST_WORKERS=0 runs the suite in this process.
PYTEST_WORKERS ?= auto

.PHONY: demo test test-deep lint format bench load install clean-data messages prod-up prod-down

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv

# Reinstall when the lock file or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# The demo talks to the local fakes of YouTube, Instagram and TikTok (docs/connectors.md): Connect works
# with no app registered and nothing leaves the machine. MICROREACH_FAKE_NETWORKS=0 make demo turns them off.
demo: $(STAMP)
	MICROREACH_FAKE_NETWORKS=$${MICROREACH_FAKE_NETWORKS:-1} $(BIN)/microreach demo

# The production stack on this machine: gunicorn + a worker on the local PostgreSQL and Redis, DEBUG off
# (README, "Production"). Needs MICROREACH_SECRET_KEY (or ENV_FILE=deploy/.env). Ctrl-C or prod-down stops.
prod-up: $(STAMP)
	deploy/prod-up.sh

prod-down:
	deploy/prod-down.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/deptry src
	$(BIN)/python scripts/check_catalogue.py

test: lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Property tests on random seeds with many more examples (CI runs them derandomised, profile "ci").
# Narrow it with PYTEST_ARGS, e.g. `make test-deep PYTEST_ARGS=tests/core`.
test-deep: $(STAMP)
	HYPOTHESIS_PROFILE=deep $(BIN)/python -m pytest $(PYTEST_ARGS)

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# Load test (locust, 127.0.0.1 only): gunicorn + a worker on the demo data (data/load), scripted brands,
# creators and an API client; one table of req/s, p50/p95/p99 and failures. LOAD_ARGS="--users 40 --seconds 120
# --database-url postgres://…" (benchmarks/load/run_load.py --help).
load: $(STAMP)
	$(BIN)/python benchmarks/load/run_load.py $(LOAD_ARGS)

# Regenerate the French catalogue after changing user-facing strings (needs gettext), then commit the .po and .mo.
messages: $(STAMP)
	cd src/microreach/web && ../../../$(BIN)/django-admin makemessages -l fr --settings=microreach.web.settings -i "static/*"
	cd src/microreach/web && ../../../$(BIN)/django-admin compilemessages --settings=microreach.web.settings

clean-data:
	rm -rf data
