# Everything a newcomer needs, on a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint format bench-cluster bench-map serve clean

$(VENV)/.runtime: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.runtime
	$(BIN)/journeybot demo --out demo-out

test: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench-cluster: $(VENV)/.runtime
	$(BIN)/python bench/cluster_quality.py --cmd "$(BIN)/journeybot cluster" --split test
	$(BIN)/python bench/cluster_quality.py --cmd "$(BIN)/journeybot cluster" --split val
	$(BIN)/python bench/cluster_quality.py --cmd "$(BIN)/journeybot cluster" --split test --domain
	$(BIN)/python bench/cluster_quality.py --cmd "$(BIN)/journeybot cluster" --split val --domain

bench-map: $(VENV)/.runtime
	$(BIN)/python bench/map_quality.py

serve: $(VENV)/.runtime
	$(BIN)/journeybot serve --http

clean:
	rm -rf $(VENV) demo-out *.egg-info
