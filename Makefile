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
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

html: $(STAMP) ## Build the site into output/ (atomic: a failed build leaves output/ as it was)
	$(BUILD) --settings pelicanconf.py --output $(OUTPUT)

publish: $(STAMP) ## Build for production (publishconf.py), then record its URLs in content/published-urls.txt
	$(BUILD) --settings publishconf.py --output $(OUTPUT)
	$(RECORD_URLS) --settings publishconf.py --output $(OUTPUT)

check: $(STAMP) ## Check all content, and that no published URL disappears; run it before committing
	$(BUILD) --check --settings pelicanconf.py

serve: $(STAMP) ## Preview output/ on http://127.0.0.1:8000
	$(BIN)/python -m tools.serve --output $(OUTPUT) --bind 127.0.0.1 --port 8000

devserver: $(STAMP) ## Serve on http://127.0.0.1:8000, rebuild on every save, reload the browser
	$(BIN)/python -m tools.devserver --settings pelicanconf.py --output $(OUTPUT) --bind 127.0.0.1 --port 8000

test: $(STAMP) ## Run the test suite; installs what it needs from Debian first when missing (Chromium, Java, rsync, git, newsboat, sfeed, curl; tools/system-packages)
	@bash tools/system-packages
	$(BIN)/python -m pytest -q -n auto

.PHONY: expected
expected: $(STAMP) ## Rebuild the whole-site test's expected output (tests/fixtures/full-site/expected/); review its diff
	$(BIN)/python -m tests.regenerate_expected

lint: $(STAMP) ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Format the Python code with ruff
	$(BIN)/ruff format .

clean: ## Remove output/ and caches (keeps .venv)
	rm -rf $(OUTPUT) .output-* cache .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

# --- Editors' content tools (newpost, newauthor, newpartner, preview, hooks) ---
.PHONY: newpost newauthor newpartner preview hooks

# `--option 'value'` for a variable given on the command line: quoted for the shell and
# never expanded, so a title may hold quotes or "$100". An inherited environment
# variable (some shells set NAME) is not picked up by accident.
cli_arg = $(if $(filter command line,$(origin $(1))),--$(2) '$(subst ','\'',$(value $(1)))')
NEWCONTENT := $(BIN)/python -m tools.newcontent

newpost: $(STAMP) ## Start a draft post: TITLE="..." AUTHOR=<id> [CATEGORY="..."] [PARTNER=<id>]
	@$(NEWCONTENT) post $(call cli_arg,TITLE,title) $(call cli_arg,AUTHOR,author) $(call cli_arg,CATEGORY,category) $(call cli_arg,PARTNER,partner)

newauthor: $(STAMP) ## Add an author profile: ID=<id> NAME="Full Name"
	@$(NEWCONTENT) author $(call cli_arg,ID,id) $(call cli_arg,NAME,name)

newpartner: $(STAMP) ## Add a partner profile: ID=<id> NAME="Company" URL=https://...
	@$(NEWCONTENT) partner $(call cli_arg,ID,id) $(call cli_arg,NAME,name) $(call cli_arg,URL,url)

preview: $(STAMP) ## Build output/ with drafts and scheduled posts, marked (never for publishing)
	$(BUILD) --preview --settings pelicanconf.py --output $(OUTPUT)

.PHONY: scheduled
scheduled: $(STAMP) ## List scheduled posts and drafts, by date and author
	@$(BIN)/python tools/scheduled.py --settings pelicanconf.py

hooks: $(STAMP) ## Install the git pre-commit hook: every commit runs make check first
	@sh tools/hooks/install

# --- Redirects, published URLs, live reload and deployment ---
.PHONY: deploy-ghpages deploy-rsync deploy-s3

# Adds the built site's pages to content/published-urls.txt, the record `make check` and every
# build hold the content to: commit the file with the content. docs/deploying.md explains each target.
RECORD_URLS = PYTHONPATH=plugins $(BIN)/python -m redirects
GHPAGES_REMOTE ?= origin
GHPAGES_BRANCH ?= gh-pages
RSYNC_TARGET ?=
RSYNC_SSH ?= ssh
S3_BUCKET ?=
S3_ENDPOINT ?=
AWS ?= aws

deploy-ghpages: $(STAMP) ## Publish, then push output/ to the gh-pages branch (ghp-import)
	$(MAKE) publish
	$(BIN)/ghp-import --no-jekyll --push --force --remote $(GHPAGES_REMOTE) --branch $(GHPAGES_BRANCH) \
		--message "Publish $$(git rev-parse --short HEAD 2>/dev/null || echo site)" $(OUTPUT)

deploy-rsync: $(STAMP) ## Publish, then mirror output/ to RSYNC_TARGET=user@host:/var/www/blog/ over ssh
	@test -n "$(RSYNC_TARGET)" || { echo "Set RSYNC_TARGET, e.g. make deploy-rsync RSYNC_TARGET=user@host:/var/www/blog/" >&2; exit 2; }
	@command -v rsync >/dev/null || { echo "rsync is missing: install it (apt-get install rsync)" >&2; exit 2; }
	$(MAKE) publish
	rsync --recursive --links --times --checksum --delete --verbose --compress -e "$(RSYNC_SSH)" $(OUTPUT)/ $(RSYNC_TARGET)

deploy-s3: $(STAMP) ## Publish, then sync output/ to S3_BUCKET (S3_ENDPOINT=https://... for non-AWS hosts)
	@test -n "$(S3_BUCKET)" || { echo "Set S3_BUCKET, e.g. make deploy-s3 S3_BUCKET=blog.example.org [S3_ENDPOINT=https://...]" >&2; exit 2; }
	@command -v $(AWS) >/dev/null || { echo "The AWS CLI is missing: install it with '$(BIN)/pip install awscli' (or apt-get install awscli), then run make deploy-s3 again" >&2; exit 2; }
	$(MAKE) publish
	$(AWS) s3 sync $(OUTPUT)/ s3://$(S3_BUCKET)/ --delete $(if $(S3_ENDPOINT),--endpoint-url $(S3_ENDPOINT))

# --- Lighthouse ---
.PHONY: audit
# Lighthouse from npm into .audit/ (git-ignored), pinned: 12.2.3 runs on Debian's Node 20
# (Lighthouse 13 wants Node 22).
LIGHTHOUSE_VERSION := 12.2.3
AUDIT := .audit
LIGHTHOUSE := $(AUDIT)/node_modules/.bin/lighthouse

audit: $(STAMP) ## Lighthouse's four scores, mobile and desktop, for the home page, a post, an author page and /search/
	@command -v npm >/dev/null || { echo "npm is missing: apt-get install -y npm (Node 18 or later)" >&2; exit 2; }
	@test "$$($(LIGHTHOUSE) --version 2>/dev/null)" = "$(LIGHTHOUSE_VERSION)" || \
		npm install --prefix $(AUDIT) --no-audit --no-fund --save-exact lighthouse@$(LIGHTHOUSE_VERSION)
	CHROME_PATH=/usr/bin/chromium $(BIN)/python -m tools.audit --lighthouse $(LIGHTHOUSE) --folder $(AUDIT)

# --- Benchmarks ---
.PHONY: bench

bench: $(STAMP) ## Benchmark our build against vanilla Pelican and Hugo: [N=1000 posts] [R=3 repeats]
	$(BIN)/python -m benchmarks.run --posts $(or $(N),1000) --repeats $(or $(R),3)
