"""uvicorn on loopback in a process of its own, serving `bench.load.served`, and the CPU
time its workers have used (Linux /proc)."""

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
from dataclasses import dataclass
from pathlib import Path

from bench.load.served import BARE_PATH

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 90
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Server:
    port: int
    worker_pids: list[int]

    def cpu_seconds(self) -> float:
        """User and system time of the workers so far: what the requests cost the server,
        whatever share of the cores it was given (SQLite's work is in it, PostgreSQL's not)."""
        total = 0
        for pid in self.worker_pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICKS

    def rss_mb(self) -> float:
        """Resident memory of the workers now, in MB (summed over them)."""
        kb = 0
        for pid in self.worker_pids:
            status = Path(f"/proc/{pid}/status").read_text().splitlines()
            kb += next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
        return kb / 1024


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(database_url: str, *, workers: int) -> Iterator[Server]:
    """Starts the server, waits until every worker answers, yields it, stops it."""
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
        pids = _wait_for_workers(process, port, workers)
        yield Server(port, sorted(pids))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_workers(process: subprocess.Popen[bytes], port: int, workers: int) -> set[int]:
    """The workers' pids, as they answer: a fresh connection per probe, so the kernel hands
    them to every worker in turn. One worker is uvicorn's own process."""
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
    return seen
