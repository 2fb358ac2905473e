# /docs and /redoc in headless Chromium, offline: Debian's chromium (apt-get when missing)
# driven by Playwright's Python package with executable_path (no browser download).
# Screenshots: build/docs-screenshots/{docs,docs-full,redoc}.png
# Chromium itself comes from mk/chromium.mk.

.PHONY: test-docs

test-docs: $(VENV)/.dev-installed | $(CHROMIUM)
	FAIRSTEAD_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest tests/docs

TEST_SUITES += test-docs
