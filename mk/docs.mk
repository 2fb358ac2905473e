# /docs and /redoc in headless Chromium, offline: Debian's chromium (apt-get when missing)
# driven by Playwright's Python package with executable_path (no browser download).
# Screenshots: build/docs-screenshots/{docs,docs-full,redoc}.png
CHROMIUM ?= /usr/bin/chromium

.PHONY: test-docs

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

$(VENV)/.browser-installed: pyproject.toml $(VENV)/.dev-installed
	$(BIN)/python -m pip install --quiet -e ".[dev,postgres,browser]"
	touch $@

test-docs: $(VENV)/.browser-installed | $(CHROMIUM)
	FAIRSTEAD_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest tests/docs

TEST_SUITES += test-docs
