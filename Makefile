# One command per chore. `make run` and `make test` set everything up first (idempotent).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= ../shared/data
STAMP := $(VENV)/.installed
VENDOR := build/vendor
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run examples services test lint unit bench bench-conversations bench-api model behaviour-model lexicons evaluate clean

# The analysis core and the behaviour detector are compiled (setup.py): editing them must rebuild, or the
# old build would run.
$(STAMP): pyproject.toml setup.py $(wildcard src/ressenti/analysis/*.py) src/ressenti/conversation/behaviours.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup ## Seed the demo organisation and serve Ressenti on http://127.0.0.1:8000 (SQLite, nothing to install)
	$(BIN)/ressenti demo --url http://$(HOST):$(PORT)
	$(BIN)/ressenti serve --host $(HOST) --port $(PORT)

examples: setup ## Read the example messages and conversations from files and show what Ressenti finds
	@mkdir -p out
	$(BIN)/ressenti analyze --input examples/messages.jsonl --output out/readings.jsonl
	$(BIN)/ressenti analyze "Toujours pas reçu ma commande !!! 😡 Je vais résilier."
	$(BIN)/ressenti batch --input examples/conversations.jsonl --output out/reports.jsonl
	$(BIN)/ressenti report --input out/reports.jsonl --output out/report
	$(BIN)/ressenti conversation examples/conversations.jsonl --id conv-fr-002

services: ## Start PostgreSQL and Redis if they are not running; install Debian's chromium if missing
	tools/ensure_services.sh

test: setup services lint unit ## Lint, type-check, architecture contracts, then the whole test suite

lint: setup
	$(BIN)/ruff check src tests bench docs
	$(BIN)/ruff format --check src tests bench docs
	$(BIN)/mypy
	$(BIN)/lint-imports

unit: setup
	$(BIN)/pytest

bench: setup ## Messages per second (batch, one core), latency p50/p99, memory; VADER on the same corpus
	taskset -c 0 $(BIN)/python bench/bench_engine.py

bench-conversations: setup ## Conversations per second (one core), Dask 2 workers vs 1, memory as input grows
	$(BIN)/python bench/bench_conversations.py

bench-api: setup services ## 200 live conversations at 100 messages/s for 60 s on PostgreSQL + Redis, 2 API processes
	$(BIN)/python bench/bench_api.py

evaluate: setup ## Every accuracy figure of docs/accuracy.md
	$(BIN)/python bench/evaluate_all.py --data $(DATA)

lexicons: setup ## Regenerate lang/*/valence_base.tsv from the VADER lexicons (MIT) on PyPI
	mkdir -p $(VENDOR)
	$(BIN)/python -m pip download --quiet --no-deps vaderSentiment==3.3.2 -d $(VENDOR)
	$(BIN)/python -m pip download --quiet --no-deps --no-binary :all: vaderSentiment-fr==1.3.4 -d $(VENDOR)
	$(BIN)/python -m ressenti.training.lexicons --en $(VENDOR)/vaderSentiment-3.3.2-py2.py3-none-any.whl \
		--fr $(VENDOR)/vaderSentiment_fr-1.3.4.tar.gz

model: setup ## Retrain the shipped model from $(DATA) (GoEmotions and XED only)
	$(BIN)/python -m ressenti.training.train --data $(DATA)

behaviour-model: setup ## Retrain the agent-behaviour model from data/agent_behaviours (development files only)
	$(BIN)/python -m ressenti.training.behaviours --data data/agent_behaviours

clean:
	rm -rf $(VENV) build out .mypy_cache .pytest_cache .ruff_cache
