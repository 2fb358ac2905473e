"""A real `fairstead serve` on a free port with its own SQLite file, for the suites that
drive the API from outside the process (generated SDKs, a browser, the Home Assistant
integration's suite, which loads this file by path from its own venv: stdlib and httpx only)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A port nothing listens on now (the OS's pick)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(folder: Path, *, python: str = sys.executable, **settings: str) -> Iterator[str]:
    """The server's base URL while the block runs; FAIRSTEAD_* `settings` as given; `python`
    is the interpreter of a venv with Fairstead installed (this one by default)."""
    port = free_port()
    env = {
        **os.environ,
        "FAIRSTEAD_DATABASE_URL": f"sqlite:///{folder / 'fairstead.db'}",
        "FAIRSTEAD_DELIVER_IN_PROCESS": "false",
        **{f"FAIRSTEAD_{name.upper()}": value for name, value in settings.items()},
    }
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [python, "-m", "api.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    raise RuntimeError((folder / "server.log").read_text()) from None
                if time.monotonic() > deadline:
                    raise TimeoutError("the server did not start within 90 s") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
