"""What a starting server loads: the heavy modules wait for their first use.

A Raspberry Pi is a common home for Fairstead, so the server's memory right after start is a
measured figure (bench/start_rss.py, issue 17: at most 120 MB). These modules are each
several megabytes and serve features most requests never touch; a top-level import of one
of them anywhere on the start path would bring it back, and this test names the module.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LOADED_ON_FIRST_USE = {
    "alembic": "migrations (serve runs them in a child process)",
    "scipy": "rebalancing proposals",
    "numpy": "rebalancing proposals",
    "httpx": "webhook deliveries and connector syncs",
    "httpcore": "webhook deliveries and connector syncs",
    "ofxtools": "OFX imports",
    "apprise": "reminder notifications",
    "icalendar": "calendar feeds",
    "paho": "the MQTT bridge",
    "actual": "the Actual connector",
}

START = """
import json, sys
from api.app import create_app
from domain.settings import Settings
from integrations.hooks_runner import HookRunner

settings = Settings(database_url="sqlite:///" + sys.argv[1], deliver_in_process=True)
app = create_app(settings)
HookRunner(app.state.engine, settings)  # what the lifespan starts
print(json.dumps(sorted(sys.modules)))
"""


def test_the_server_starts_without_its_heavy_modules(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", START, str(tmp_path / "start.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded = {name.split(".")[0] for name in json.loads(done.stdout.splitlines()[-1])}
    assert "api" in loaded and "fastapi" in loaded  # the probe did start the app
    early = {name: why for name, why in LOADED_ON_FIRST_USE.items() if name in loaded}
    assert not early, f"loaded at start, though only needed for: {early}"
