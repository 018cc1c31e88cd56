# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEV_PASSWORD ?= demo-portal-2026
TRANSLATIONS := portal/translations
export FLASK_APP := wsgi.py

CHROMIUM := /usr/bin/chromium
# Certificates embed DejaVu Sans from Debian's package, not from a font file in the repository.
DEJAVU := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
WRK := /usr/bin/wrk

.PHONY: run test test-browser lint lock format translations i18n-extract clean-db bench bench-seed two-servers

# Every package, its dependencies and the build backend come from the lock, checked against
# its hashes; the portal itself is then installed on top without resolving anything.
$(VENV)/.installed: requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# After changing a dependency (or the build backend) in pyproject.toml: `make lock`, then commit
# both lock files. It asks the package index; installing from the locks needs nothing else.
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes
BUILD_REQUIRES = $(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'

lock: $(VENV)/.installed
	$(BUILD_REQUIRES) | $(UV_COMPILE) pyproject.toml - --output-file requirements.lock
	$(BUILD_REQUIRES) | $(UV_COMPILE) pyproject.toml - --extra dev --constraint requirements.lock --output-file requirements-dev.lock

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d $(TRANSLATIONS)

run: $(VENV)/.installed translations $(DEJAVU)
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --password '$(DEV_PASSWORD)'
	@echo "Demo password: $(DEV_PASSWORD)   Mail is written to instance/mail/ (flask outbox send)."
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Bandit at medium severity and above; each `# nosec` names its test and says why.
# lint-imports checks the import contracts of pyproject.toml (ARCHITECTURE.md).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive portal --severity-level medium
	$(BIN)/lint-imports --no-cache --no-logo

$(DEJAVU):
	apt-get update -qq && apt-get install -y -qq fonts-dejavu-core

# The browser tests drive Debian's Chromium (Playwright cannot download browsers here).
$(CHROMIUM):
	apt-get update -qq && apt-get install -y -qq chromium

# The slowest tests are listed at the end, so each run shows where the suite's time goes.
test: $(VENV)/.installed translations lint $(CHROMIUM) $(DEJAVU)
	$(BIN)/pytest --durations=30 --durations-min=2

# The browser tests alone (tests/browser: the journey of two delegations, axe-core, phones);
# screenshots of the journey are written to artifacts/screenshots/.
test-browser: $(VENV)/.installed translations $(CHROMIUM)
	$(BIN)/pytest tests/browser

# Every page of bench/pages.py, as a member and as a coordinator, next to a bare Flask route
# served the same way, on a throw-away PostgreSQL database seeded by
# `flask --app bench.app bench-seed` (bench/run.py; shared/PERFORMANCE.md). BENCH_SCALE=1 is
# ten years of a large ministry (20,000 meetings, 100,000 action items...; 0.05 to try it).
# Tables: bench/results/results.md and results.json (outputs, not committed).
BENCH_SCALE ?= 1

$(WRK):
	apt-get update -qq && apt-get install -y -qq wrk

bench: $(VENV)/.installed translations $(WRK)
	PORTAL_DEMO_PASSWORD='$(DEV_PASSWORD)' $(BIN)/python bench/run.py --scale $(BENCH_SCALE) $(BENCH_ARGS)
	$(BIN)/python bench/notifications.py
	PORTAL_DEMO_PASSWORD='$(DEV_PASSWORD)' $(BIN)/python bench/documents.py

# Seed the (migrated, empty) database of DATABASE_URL with the benchmark's ministry, e.g. to
# profile a page by hand: flask bench-seed is registered by bench/app.py (bench/cli.py says why).
bench-seed: $(VENV)/.installed
	$(BIN)/flask --app bench.app db upgrade
	$(BIN)/flask --app bench.app bench-seed --scale $(BENCH_SCALE) --password '$(DEV_PASSWORD)'

# The deployment of deploy/ on loopback (bench/two_servers.py): its own PostgreSQL cluster
# (initdb + pg_ctl in a temporary directory), two gunicorn app servers behind Debian's nginx
# running deploy/nginx/portal.conf, two outbox workers, Redis on 127.0.0.1:6379 (database 9,
# keys of the run only); checks freshness, sessions, limits and the second factor across
# servers, the outbox, a PostgreSQL crash under load and a pg_dump restore. Not part of
# `make test`: it needs nginx, PostgreSQL's server binaries and Redis, and takes minutes.
NGINX := /usr/sbin/nginx

$(NGINX):
	apt-get update -qq && apt-get install -y -qq nginx

two-servers: $(VENV)/.installed translations $(NGINX)
	$(BIN)/python bench/two_servers.py $(TWO_SERVERS_ARGS)

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# After changing user-visible text: refresh the catalogue, translate, then `make translations`.
i18n-extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching

clean-db:
	rm -f instance/portal.sqlite3
