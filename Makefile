# Two commands do everything on a fresh Debian 12 machine:
#   make run   — a running app with demo data at http://127.0.0.1:5000
#   make test  — the whole test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
# fonts for Chinese pages and PDFs, WeasyPrint's Pango and HarfBuzz, the browser for end-to-end tests,
# the database for PostgreSQL tests
APT_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium postgresql \
	redis-server
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run serve test system venv translations extract-messages clean bench-load

system:
	@if [ "$$(id -u)" = "0" ]; then \
	  missing=""; \
	  for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  fi; \
	else \
	  echo "Not root: skipping Debian packages ($(APT_PACKAGES)); install them yourself if missing."; \
	fi

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

venv: $(VENV)/.installed

translations: venv
	$(BIN)/pybabel -q compile -d contest/translations

extract-messages: venv
	$(BIN)/pybabel -q extract -F babel.cfg --ignore-dirs '.*' -k _l -k N_ -o contest/translations/messages.pot .
	$(BIN)/pybabel -q update -i contest/translations/messages.pot -d contest/translations

instance/config.py:
	@mkdir -p instance
	@$(PYTHON) -c 'import secrets; print("SECRET_KEY = %r" % secrets.token_hex(32))' > $@
	@echo "Wrote $@ with a fresh SECRET_KEY."

# The app and, beside it, a job worker (long work and mail run there: docs/operations.md) and the local mail sink
# (without SMTP_HOST mail stays on this machine, under instance/mail/); Ctrl-C stops all three.
run: system venv translations instance/config.py
	$(BIN)/flask --app contest init-db
	$(BIN)/flask --app contest seed-demo
	@$(BIN)/flask --app contest mail-sink & sink=$$!; \
	$(BIN)/flask --app contest worker & worker=$$!; \
	trap 'kill -TERM $$worker $$sink 2>/dev/null; wait $$worker $$sink' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/flask --app contest run --host $(HOST) --port $(PORT)

# Production-style serving: gunicorn with gunicorn.conf.py on 127.0.0.1:8000 (make serve HOST=... PORT=...).
# Configure with the environment: DATABASE_URL, RATELIMIT_STORAGE_URI, STORAGE_DIR, TRUSTED_PROXIES, ... (README).
SERVE_PORT := $(if $(filter command line environment,$(origin PORT)),$(PORT),8000)
# A job worker runs beside gunicorn and stops with it (more workers, other machines: docs/operations.md).
serve: system venv translations instance/config.py
	$(BIN)/flask --app contest init-db
	@$(BIN)/flask --app contest worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	HOST=$(HOST) PORT=$(SERVE_PORT) $(BIN)/gunicorn --config gunicorn.conf.py --no-control-socket wsgi:app

# bandit first: any high-severity finding in contest/ fails the build before the tests run; then the whole
# suite on SQLite, and the whole suite again on a throwaway PostgreSQL cluster that the run starts and stops
# (but the pages' looks — axe, the English crawl — which do not depend on the database)
test: system venv translations
	$(BIN)/bandit -q -r contest -lll
	$(BIN)/python -m pytest
	CONTEST_TEST_DB=postgresql $(BIN)/python -m pytest -m 'not rendering'

# PNGs of the main pages of the demo for the README (seeded into a temporary instance, Debian's Chromium)
screenshots: system venv translations
	$(BIN)/python scripts/screenshots.py

# Load on loopback: 200 teams upload 5 MB reports within 5 minutes while 30 judges score, against
# gunicorn on a throwaway PostgreSQL; writes docs/benchmarks.md (about 8 minutes). Options: BENCH_ARGS="--teams 20
# --run-time 60 --out /tmp/b.md" (benchmarks/load/run.py --help). locust has its own virtualenv, .venv-bench.
BENCH_VENV := .venv-bench
$(BENCH_VENV)/.installed: requirements-bench.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q -r requirements-bench.txt
	touch $@

bench-load: system venv translations $(BENCH_VENV)/.installed
	$(BIN)/python benchmarks/load/run.py $(BENCH_ARGS)

# The demo against a national edition (flask seed-scale: 2,000 needs, 20,000 bids ...), each served by gunicorn
# beside a bare Flask page, on SQLite then on a throwaway PostgreSQL: per page server time, SQL statements,
# throughput as a ratio to the bare page and worker memory; the jobs' time and memory. Writes its own section
# of docs/benchmarks.md (about half an hour). Quicker: BENCH_ARGS="--size small --db sqlite"
# (benchmarks/scale/run.py --help).
.PHONY: bench-scale
bench-scale: system venv translations
	$(BIN)/python benchmarks/scale/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(BENCH_VENV) .pytest_cache .hypothesis
