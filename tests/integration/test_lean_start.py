"""The server does not load its heavy, rarely used modules at start: they load on first use,
so a household server on a Raspberry Pi carries them only when needed. Memory right after
start is a measured figure (`bench.start_rss`; issue 17: at most 120 MB), and one top-level
import of any of these on the start path would bring its module back; the test names it."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOADED_ON_FIRST_USE = {
    "alembic": "migrations and readiness (serve migrates in a child process)",
    "scipy": "chore rebalancing",
    "numpy": "chore rebalancing",
    "httpx": "webhook deliveries and connector syncs",
    "httpcore": "webhook deliveries and connector syncs",
    "ofxtools": "OFX files",
    "apprise": "reminders",
    "icalendar": "calendar feeds",
    "paho": "the MQTT bridge",
    "actual": "the Actual Budget connector",
}
PROBE = """
import json, sys
from api.app import create_app
from domain.settings import Settings
from integrations.hooks_runner import HookRunner

settings = Settings(database_url="sqlite:///" + sys.argv[1], deliver_in_process=True)
app = create_app(settings)
HookRunner(app.state.engine, settings)  # what the lifespan starts in `fairstead serve`
print(json.dumps(sorted(sys.modules)))
"""


def test_starting_the_server_loads_none_of_the_heavy_modules(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "lean.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    loaded = {name.split(".")[0] for name in json.loads(result.stdout.splitlines()[-1])}
    assert {"api", "fastapi"} <= loaded  # the probe did build the app
    early = {name: why for name, why in LOADED_ON_FIRST_USE.items() if name in loaded}
    assert not early, f"loaded at start, though only needed for: {early}"
