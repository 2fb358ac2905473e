"""Tests that drive a real browser: Debian's chromium through playwright's Python package
(no browser download). They run in their own suite, `make test-chromium` (mk/chromium.mk),
which installs chromium first; the ordinary runs leave them out, so they never skip silently
where a browser is missing."""

import os

from tests.api.conftest import alex, app, client, new_user, sam, settings  # noqa: F401

collect_ignore_glob = [] if os.environ.get("FAIRSTEAD_BROWSER") else ["test_*.py"]
CHROMIUM = os.environ.get("FAIRSTEAD_CHROMIUM", "/usr/bin/chromium")
