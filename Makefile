# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEED := src/jixiao/data/seed_changshou_2022.txt

.PHONY: run test browser lint typecheck unit bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job: review the 重庆 seed in the terminal, load it as demo data into the database
# (./data/jixiao.sqlite3 unless JIXIAO_DATABASE_URL says otherwise), then serve the API on :8000.
run: $(STAMP)
	$(BIN)/jixiao check $(SEED) || test $$? -eq 1
	$(BIN)/jixiao demo
	$(BIN)/jixiao serve --host 127.0.0.1 --port 8000

test: $(STAMP) browser lint typecheck unit

# Browser tests drive Debian's chromium (playwright cannot download browsers here); CJK fonts for
# readable screenshots. Installed with apt only when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	  SUDO=$$(test "$$(id -u)" -eq 0 || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk; }

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench.run $(BENCH_ARGS)

docs: $(STAMP)
	$(BIN)/python -m jixiao.cli.docgen --write

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
