# The fairness chart and the household page (/app) drawn by a real browser: Debian's
# chromium, driven by playwright's Python package (in the dev extra) with executable_path, so
# no browser is downloaded. `make test-chromium` installs chromium with apt-get when it is
# missing (as root, as CI is), and axe-core (the accessibility check) with npm ci from
# tests/browser/package-lock.json. Screenshots of the household page land in build/screenshots/.
CHROMIUM ?= /usr/bin/chromium
AXE := tests/browser/node_modules/axe-core/axe.min.js
TEST_SUITES += test-chromium

.PHONY: test-chromium chromium

chromium: $(CHROMIUM)

$(CHROMIUM):
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		chromium fonts-dejavu-core

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

test-chromium: $(VENV)/.dev-installed $(CHROMIUM) $(AXE)
	FAIRSTEAD_BROWSER=1 FAIRSTEAD_CHROMIUM=$(CHROMIUM) FAIRSTEAD_AXE=$(AXE) \
		$(BIN)/python -m pytest tests/browser
