# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEV_PASSWORD ?= demo-portal-2026
TRANSLATIONS := portal/translations
export FLASK_APP := wsgi.py

CHROMIUM := /usr/bin/chromium
WRK := /usr/bin/wrk

.PHONY: run test lint format translations i18n-extract clean-db bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d $(TRANSLATIONS)

run: $(VENV)/.installed translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --password '$(DEV_PASSWORD)'
	@echo "Demo password: $(DEV_PASSWORD)   Mail is written to instance/mail/ (flask outbox send)."
	$(BIN)/flask run --host 127.0.0.1 --port 5000

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser tests drive Debian's Chromium (Playwright cannot download browsers here).
$(CHROMIUM):
	apt-get update -qq && apt-get install -y -qq chromium

test: $(VENV)/.installed translations lint $(CHROMIUM)
	$(BIN)/pytest

# Requests/second of the meeting page, month calendar and .ics next to a bare Flask route,
# on a throw-away PostgreSQL database (see bench/run.py and shared/PERFORMANCE.md).
$(WRK):
	apt-get update -qq && apt-get install -y -qq wrk

bench: $(VENV)/.installed translations $(WRK)
	PORTAL_DEMO_PASSWORD='$(DEV_PASSWORD)' $(BIN)/python bench/run.py
	PORTAL_DEMO_PASSWORD='$(DEV_PASSWORD)' $(BIN)/python bench/actions.py
	$(BIN)/python bench/notifications.py
	PORTAL_DEMO_PASSWORD='$(DEV_PASSWORD)' $(BIN)/python bench/documents.py

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# After changing user-visible text: refresh the catalogue, translate, then `make translations`.
i18n-extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching

clean-db:
	rm -f instance/portal.sqlite3
