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

# The demo: read the 重庆 seed, then review it (exit 1 means "found errors", expected here).
run: $(STAMP)
	$(BIN)/jixiao parse $(SEED)
	$(BIN)/jixiao check $(SEED) || test $$? -eq 1

test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

docs: $(STAMP)
	$(BIN)/python -m jixiao.cli.docgen --write

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
