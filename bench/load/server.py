"""uvicorn on loopback in a process of its own, serving `bench.load.served`."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.load.served import BARE_PATH

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(database_url: str, *, workers: int) -> Iterator[int]:
    """Starts the server, waits until every worker answers, yields its port, stops it."""
    port = _free_port()
    env = os.environ | {
        "FAIRSTEAD_DATABASE_URL": database_url,
        "FAIRSTEAD_LOG_LEVEL": "warning",
        # Measuring throughput, not the limiter (another branch adds it; unknown here).
        "FAIRSTEAD_RATE_LIMIT_ENABLED": "false",
    }
    command = [
        sys.executable, "-m", "uvicorn", "bench.load.served:create", "--factory",
        "--host", HOST, "--port", str(port), "--workers", str(workers),
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        _wait_for_workers(process, port, workers)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_workers(process: subprocess.Popen[bytes], port: int, workers: int) -> None:
    """A fresh connection per probe, so the kernel hands them to every worker in turn."""
    seen: set[int] = set()
    deadline = time.monotonic() + START_SECONDS
    while len(seen) < workers:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(seen)} of {workers} workers up in {START_SECONDS} s")
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            connection.request("GET", BARE_PATH)
            seen.add(json.loads(connection.getresponse().read())["worker"])
            time.sleep(0.05)
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
