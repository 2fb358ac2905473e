# The fairness chart drawn by a real browser: Debian's chromium, driven by playwright's
# Python package (in the dev extra) with executable_path, so no browser is downloaded.
# `make test-chromium` installs chromium with apt-get when it is missing (as root, as CI is).
CHROMIUM ?= /usr/bin/chromium
TEST_SUITES += test-chromium

.PHONY: test-chromium chromium

chromium: $(CHROMIUM)

$(CHROMIUM):
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		chromium fonts-dejavu-core

test-chromium: $(VENV)/.dev-installed $(CHROMIUM)
	FAIRSTEAD_BROWSER=1 FAIRSTEAD_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest tests/browser
