# The Home Assistant custom integration (custom_components/fairstead, at the repository's root
# where HACS looks for it): its tests (integrations/homeassistant/tests) run in their own Python 3.13 venv (build/ha-venv, installed with uv from the pinned
# integrations/homeassistant/requirements-test.txt) against a live `fairstead serve` from .venv.
# `make ha-zip` builds build/fairstead.zip, the release asset HACS installs (hacs.json).
HA_DIR := integrations/homeassistant
HA_COMPONENT := custom_components/fairstead
HA_VENV := build/ha-venv
HA_PYTHON ?= $(or $(lastword $(sort $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13))),$(shell command -v python3.13))
TEST_SUITES += test-homeassistant

.PHONY: test-homeassistant ha-zip

$(HA_VENV)/.installed: $(HA_DIR)/requirements-test.txt
	@test -n "$(HA_PYTHON)" || { echo "Python 3.13 is needed (pyenv or python3.13 on PATH)"; exit 1; }
	rm -rf $(HA_VENV)
	$(HA_PYTHON) -m venv $(HA_VENV)
	$(HA_VENV)/bin/python -m pip install --quiet uv
	$(HA_VENV)/bin/uv pip install --quiet --python $(HA_VENV)/bin/python -r $(HA_DIR)/requirements-test.txt
	touch $@

test-homeassistant: $(VENV)/.dev-installed $(HA_VENV)/.installed
	cd $(HA_DIR) && FAIRSTEAD_PYTHON=$(CURDIR)/$(BIN)/python $(CURDIR)/$(HA_VENV)/bin/python -m pytest

# The zip holds the component's files at its root, as HACS's zip_release expects.
ha-zip:
	mkdir -p build
	rm -f build/fairstead.zip
	cd $(HA_COMPONENT) && $(PYTHON) -c 'import pathlib, sys, zipfile; \
		files = sorted(p for p in pathlib.Path(".").rglob("*") if p.is_file() and "__pycache__" not in p.parts); \
		z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED); \
		[z.write(p, p.as_posix()) for p in files]; z.close()' $(CURDIR)/build/fairstead.zip
	@echo "built build/fairstead.zip"
