# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEED := src/jixiao/data/seed_changshou_2022.txt

.PHONY: run test lint typecheck unit bench docs clean

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

test: $(STAMP) lint typecheck unit

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
