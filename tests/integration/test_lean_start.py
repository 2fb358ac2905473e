"""The server does not load its heavy, rarely used modules at start (scipy for chore
rebalancing, ofxtools for OFX files, Alembic for migrations and readiness, paho for MQTT,
Apprise for reminders, actualpy for Actual Budget, icalendar for calendar feeds): they
load on first use, so a household server on a Raspberry Pi carries them only when needed."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAZY = ("scipy", "numpy", "ofxtools", "alembic", "paho", "apprise", "actual", "icalendar")


def test_creating_the_app_loads_none_of_the_heavy_modules(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from api.app import create_app\n"
        "from domain.settings import Settings\n"
        "create_app(Settings(database_url='sqlite:///' + sys.argv[1]))\n"
        f"print(' '.join(m for m in {LAZY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "lean.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
