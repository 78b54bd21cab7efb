# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEED := src/jixiao/data/seed_changshou_2022.txt

.PHONY: run test system lint typecheck layers unit bench docs clean

# setup.py compiles the modules in COMPILED_SOURCES with mypyc: an edit to one rebuilds them.
COMPILED_SOURCES := src/jixiao/io/readers/standard_table.py $(addprefix src/jixiao/rules/,context.py screen.py textnum.py engine.py _goalscan.c)
$(STAMP): pyproject.toml setup.py $(COMPILED_SOURCES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job: review the 重庆 seed in the terminal, load it as demo data into the database
# (./data/jixiao.sqlite3 unless JIXIAO_DATABASE_URL says otherwise), then serve the API on :8000 with a
# background-job worker beside it (its queue: ./data/jixiao.jobs.sqlite3), stopped when the server stops.
run: $(STAMP)
	$(BIN)/jixiao check $(SEED) || test $$? -eq 1
	$(BIN)/jixiao demo
	$(BIN)/jixiao worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/jixiao serve --host 127.0.0.1 --port 8000

test: $(STAMP) system lint typecheck layers unit

# Debian packages the project needs and pip cannot provide, installed with apt only when missing:
# chromium for the browser tests (playwright cannot download browsers here), Pango and the Noto CJK
# fonts for WeasyPrint's PDFs, poppler-utils (pdftoppm) to look at rendered PDF pages.
SYSTEM_PACKAGES := chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing with apt: $$missing"; \
	  SUDO=$$(test "$$(id -u)" -eq 0 || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# The layer table of ARCHITECTURE.md as import-linter contracts (.importlinter); the cache lives in the venv.
layers: $(STAMP)
	$(BIN)/lint-imports .importlinter --cache-dir $(VENV)/.import_linter_cache --no-logo

# Two workers (the machine's two cores) that take tests from each other when one runs dry (worksteal): no
# worker waits at the end behind a long file. Module fixtures may be built once in each worker.
unit: $(STAMP)
	$(BIN)/pytest -q -n 2 --dist worksteal --durations=30

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench.run $(BENCH_ARGS)

docs: $(STAMP)
	$(BIN)/python -m jixiao.cli.docgen --write

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
