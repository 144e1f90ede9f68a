# The portal's everyday commands. `make run` and `make test` work on a fresh machine and are safe to repeat.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/portal
PORT ?= 8000


.PHONY: setup run run-postgres postgres-roles test test-sqlite test-postgres test-browser lint messages bench profile assets postgres chromium prometheus pdf-libraries mutate

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Test-only Node packages: axe-core for the browser tests, oidc-provider for the single sign-on tests.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

## setup: the virtual environment, the database, the Welsh catalogue, the content and (DEBUG) demo accounts
setup: $(STAMP) pdf-libraries
	DEBUG=$${DEBUG:-1} $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity 0
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py setup_portal

## run: set up, then serve the portal on http://127.0.0.1:$(PORT) (8000 unless PORT=… is given) with local DEBUG on,
## and the background worker (email, periodic jobs) beside it; Ctrl-C stops both
run: setup
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	export PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://127.0.0.1:$(PORT)}; \
	export LOG_FORMAT=$${LOG_FORMAT:-text}; \
	DEBUG=1 $(PY) manage.py run_worker & worker=$$!; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

## run-postgres: `make run` on the local PostgreSQL in production's shape: database $(PG_DB), migrated by the owner
## role $(PG_DB)_owner (DATABASE_OWNER_URL), the portal and its worker signed in as $(PG_DB)_app, which owns nothing
PG_DB ?= portal
PG_HOST := 127.0.0.1:5432
run-postgres: postgres-roles
	DATABASE_URL=postgres://$(PG_DB)_app@$(PG_HOST)/$(PG_DB) \
	DATABASE_OWNER_URL=postgres://$(PG_DB)_owner@$(PG_HOST)/$(PG_DB) $(MAKE) run

# The two roles and the database, owned by the owner role (the local cluster trusts 127.0.0.1, so no passwords).
postgres-roles: postgres
	@for role in $(PG_DB)_owner $(PG_DB)_app; do \
	  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$$role'" | grep -q 1 \
	    || psql -h 127.0.0.1 -U postgres -qc "CREATE ROLE \"$$role\" LOGIN"; \
	done
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(PG_DB)'" | grep -q 1 \
	  || createdb -h 127.0.0.1 -U postgres -O $(PG_DB)_owner $(PG_DB)

## test: set up, then the whole suite on SQLite, then on PostgreSQL, then the browser tests
test: setup test-sqlite test-postgres test-browser

test-sqlite: $(STAMP) $(NODE_STAMP) prometheus
	$(PY) -m pytest -q -m "not browser"

postgres:
	@pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && exit 0; sleep 1; done; echo "PostgreSQL did not start"; exit 1

# tests/evidence/test_roles.py creates an owner role and a portal role in this cluster and tries, as the portal's
# role, every way past the evidence triggers (the test database is handed to the owner role as after a real migrate).
test-postgres: $(STAMP) $(NODE_STAMP) postgres prometheus
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q -m "not browser"

# WeasyPrint (the PDF record) needs Pango and HarfBuzz from the system, and a font with Welsh letters.
pdf-libraries:
	@ldconfig -p | grep -q libpangoft2-1.0.so.0 && ldconfig -p | grep -q libharfbuzz-subset.so.0 && fc-list | grep -qi dejavu \
	  || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null)

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# promtool (Debian's prometheus package) checks and unit-tests the alert rules in deploy/prometheus; `make fleet` runs
# a real Prometheus from the same package.
prometheus:
	@command -v promtool >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null)

test-browser: $(STAMP) $(NODE_STAMP) chromium
	$(PY) -m pytest -q -m browser -p no:cacheprovider

## mutate: mutation testing (mutmut) of the modules that hold the portal's promises, each against only the tests
## that cover it; prints each module's score and its survivors and writes them to docs/mutation-scores.md.
## MODULES="xliff cache" for some (names in tools/mutate.py). Not part of `make test`: it takes long.
mutate: $(STAMP)
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity 0
	$(PY) tools/mutate.py $(MODULES)

## lint: ruff, the formatter, mypy with django-stubs and the import layers (pyproject.toml); CI runs it before the tests
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

## messages: refresh the Welsh catalogue from the code (then translate what is new in locale/cy)
messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l cy --ignore=.venv --ignore=node_modules --no-obsolete --no-location

## assets: rebuild static/css and static/js from GOV.UK Frontend (needs Node; the results are committed)
assets:
	npm ci && npm run build

## bench: measure the portal under load on SQLite and on PostgreSQL + Redis (BENCH_DB=sqlite|postgres for one;
## sizes and durations in bench/run.py's CONFIG). Not part of `make test`.
bench: $(STAMP) postgres
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity 0
	$(PY) bench/run.py

## faults: the portal (gunicorn + worker, production settings) under ten people's load while the mail server, Redis
## and PostgreSQL each stop for 10 s: errors, recovery, records lost or duplicated (bench/faults.py; bench/faults.json).
## Starts a PostgreSQL cluster, a redis-server and an SMTP sink of its own; never touches the shared ones.
.PHONY: faults
faults: $(STAMP)
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity 0
	$(PY) bench/faults.py

## fleet: three gunicorn instances behind HAProxy, the worker and a real Prometheus, on private PostgreSQL and Redis,
## under ten people's load: an instance killed, a rolling deploy of a new release, an editor's publish read through
## the other instances, a lockout across instances, HAProxy's request ids in the logs (bench/fleet.py; bench/fleet.json;
## docs/fleet.md). Not part of `make test`.
.PHONY: fleet
fleet: $(STAMP) prometheus
	@command -v haproxy >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null)
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity 0
	$(PY) bench/fleet.py

## profile: pyinstrument profiles of the measured pages on the benchmark's database (bench/profiles/)
profile: $(STAMP)
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity 0
	$(PY) bench/profile.py
