# YouTern career-advice blog. `make help` lists every target.
# Two commands set everything up on a fresh machine: `make html` and `make test`.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
BUILD := $(BIN)/python -m tools.build
PELICAN := $(BIN)/pelican
OUTPUT := output

.DEFAULT_GOAL := help
.PHONY: help html publish check serve devserver test lint format clean

help: ## List every target with one line each
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

html: $(STAMP) ## Build the site into output/ (atomic: a failed build leaves output/ as it was)
	$(BUILD) --settings pelicanconf.py --output $(OUTPUT)

publish: $(STAMP) ## Build for production (publishconf.py, absolute URLs to SITEURL)
	$(BUILD) --settings publishconf.py --output $(OUTPUT)

check: $(STAMP) ## Check all content without rendering; run it before committing
	$(BUILD) --check --settings pelicanconf.py

serve: $(STAMP) ## Preview output/ on http://127.0.0.1:8000
	$(PELICAN) --listen --bind 127.0.0.1 --port 8000 -s pelicanconf.py -o $(OUTPUT)

devserver: $(STAMP) ## Rebuild on every change and serve on http://127.0.0.1:8000
	$(PELICAN) --autoreload --listen --bind 127.0.0.1 --port 8000 -s pelicanconf.py -o $(OUTPUT)

test: $(STAMP) ## Run the test suite (builds real sites into temporary folders)
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Format the Python code with ruff
	$(BIN)/ruff format .

clean: ## Remove output/ and caches (keeps .venv)
	rm -rf $(OUTPUT) .output-* cache .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

# --- Editors' content tools (newpost, newauthor, newpartner, preview, hooks) ---

# --- Redirects, published URLs, live reload and deployment ---

# --- Benchmarks ---
