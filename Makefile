# cookiecutter-mlops: the template, the hygiene toolkit and the JupyterHub platform.
# `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= /tmp/cookiecutter-mlops-demo
export DVC_NO_ANALYTICS := 1

.PHONY: help bootstrap demo test test-fast lint format bench bench-platform clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "} {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

# The tools come from pyproject.toml's [dependency-groups] (pip 25.1 or newer reads them).
# README.md too: it is the package's long description, which `mlops-hygiene explain` reads.
$(BIN)/.bootstrapped: pyproject.toml README.md
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e . --group test --group platform --group dev
	touch $@

# The demo needs only the `demo` group: the generated project installs its own tools.
$(BIN)/.demo: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --group demo
	touch $@

bootstrap: $(BIN)/.bootstrapped ## Create .venv with every tool the repository needs

demo: $(BIN)/.demo ## Generate a project with the defaults into $(DEMO_DIR) and run its pipeline
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/python tools/demo.py $(DEMO_DIR)

# --durations: CI's log ends with the 25 slowest setups, calls and teardowns (where the time goes).
test: bootstrap ## Run every test (fast, slow, e2e and swarm)
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/pytest --durations=25

test-fast: bootstrap ## Run only the fast tests
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/pytest -m "not slow and not e2e and not swarm"

lint: bootstrap ## The repository's own checks: pre-commit (ruff, mlops-hygiene, file checks) and mypy
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/pre-commit run --all-files
	$(BIN)/mypy

format: bootstrap ## Format the repository's own code
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

# The template's and toolkit's benchmarks (each writes its section of docs/benchmarks.md), then the hygiene ones.
BENCH_MODULES := generation first_model dvc_noop stage_imports precommit \
	$(basename $(notdir $(wildcard bench/hygiene*.py)))
# The platform's: root, a private dockerd, the images built first.
BENCH_PLATFORM_MODULES := notebook_images spawn_latency multinode no_outage

bench: bootstrap ## Run the template and toolkit benchmarks (about 25 min on 2 cores); figures in docs/benchmarks.md
	@for name in $(BENCH_MODULES); do echo "== python -m bench.$$name"; \
		PATH=$(abspath $(BIN)):$$PATH $(BIN)/python -m bench.$$name || exit 1; done

bench-platform: bootstrap ## Run the platform benchmarks: image sizes, spawn latency, three nodes, no outage (root; about 45 min)
	@for name in $(BENCH_PLATFORM_MODULES); do echo "== python -m bench.$$name"; \
		PATH=$(abspath $(BIN)):$$PATH $(BIN)/python -m bench.$$name || exit 1; done

clean: ## Remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache build src/*.egg-info
