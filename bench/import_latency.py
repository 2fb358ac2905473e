"""Another household's write latency while a big import runs, on SQLite.

    .venv/bin/python -m bench.import_latency [--quick] [--rows N]

One `fairstead serve` on a fresh SQLite file and two households. Household B posts an
expense every 50 ms (20 a second, one after another), first with nothing else running (the
baseline), then while `fairstead import` books a CSV of 100,000 rows (10,000 with --quick)
into household A in another process, as an operator would. Rules share some rows, so the
import also makes expenses. Printed: writes sent, p50, p99 and max latency, and the writes
that did not answer 201 (a 503 is SQLite's busy timeout running out behind the import's
lock), with the ratio of p50 and p99 to the baseline measured in the same run.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.imports import csv_bytes
from migrations.runner import upgrade

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
BASELINE_WRITES = 200
PACE_SECONDS = 0.05  # household B writes 20 times a second: busy, not a flood
PASSWORD = "correct horse battery"
MAPPING = {
    "date_column": "Date",
    "amount_column": "Amount",
    "payee_column": "Payee",
    "currency": "EUR",
    "delimiter": ",",
}


@dataclass
class Writes:
    latencies: list[float]
    failures: int

    def row(self, name: str, baseline: "Writes | None", extra: str) -> list[str]:
        ordered = sorted(self.latencies)
        p50, p99 = _quantile(ordered, 0.50), _quantile(ordered, 0.99)
        ratio = ""
        if baseline is not None:
            base = sorted(baseline.latencies)
            ratio = f"{p50 / _quantile(base, 0.5):.1f}x / {p99 / _quantile(base, 0.99):.1f}x"
        return [
            name,
            str(len(ordered)),
            f"{p50 * 1000:.1f}",
            f"{p99 * 1000:.1f}",
            f"{ordered[-1] * 1000:.1f}",
            str(self.failures),
            ratio,
            extra,
        ]


def _quantile(ordered: list[float], q: float) -> float:
    if len(ordered) < 2:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(q * 100) - 1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _environment(url: str) -> dict[str, str]:
    return os.environ | {
        "FAIRSTEAD_DATABASE_URL": url,
        "FAIRSTEAD_LOG_LEVEL": "warning",
        "FAIRSTEAD_RATE_LIMIT_ENABLED": "false",
    }


@contextmanager
def serving(url: str) -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--host", HOST, "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env=_environment(url))
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("fairstead serve did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _household(client: httpx.Client, name: str) -> tuple[dict[str, str], str, str]:
    email = f"{name.lower()}@example.org"
    body = {"email": email, "password": PASSWORD, "display_name": name}
    client.post("/v1/users", json=body).raise_for_status()
    token = client.post("/v1/tokens", json={"email": email, "password": PASSWORD, "name": "b"})
    headers = {"Authorization": f"Bearer {token.raise_for_status().json()['token']}"}
    home = client.post(
        "/v1/households",
        json={"name": name, "currency": "EUR", "timezone": "Europe/Berlin"},
        headers=headers,
    ).raise_for_status()
    household_id = home.json()["id"]
    members = client.get(f"/v1/households/{household_id}/members", headers=headers)
    return headers, household_id, members.raise_for_status().json()["data"][0]["id"]


def _write(client: httpx.Client, headers: dict[str, str], path: str, body: Any) -> float | None:
    started = time.perf_counter()
    try:
        response = client.post(path, json=body, headers=headers)
    except httpx.TimeoutException:
        return None
    elapsed = time.perf_counter() - started
    return elapsed if response.status_code == 201 else None


def _writes(
    client: httpx.Client, headers: dict[str, str], path: str, body: Any, until: Any
) -> Writes:
    writes = Writes([], 0)
    while not until(len(writes.latencies)):
        started = time.perf_counter()
        elapsed = _write(client, headers, path, body)
        if elapsed is None:
            writes.failures += 1
            writes.latencies.append(time.perf_counter() - started)
        else:
            writes.latencies.append(elapsed)
        time.sleep(max(0.0, PACE_SECONDS - (time.perf_counter() - started)))
    return writes


def measure(rows: int) -> list[list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'latency.db'}"
        upgrade(url)
        statement = Path(folder) / "statement.csv"
        statement.write_bytes(csv_bytes(rows))
        with serving(url) as base, httpx.Client(base_url=base, timeout=60) as client:
            a_headers, a_home, a_member = _household(client, "Avery")
            b_headers, b_home, b_member = _household(client, "Blake")
            connection = client.post(
                f"/v1/households/{a_home}/connections",
                json={"provider": "file", "name": "bank", "config": {"csv_mapping": MAPPING}},
                headers=a_headers,
            ).raise_for_status()
            for payee in ("Supermarket", "Rent"):
                client.post(
                    f"/v1/households/{a_home}/import-rules",
                    json={"payee": payee, "action": "shared"},
                    headers=a_headers,
                ).raise_for_status()
            path = f"/v1/households/{b_home}/expenses"
            body = {
                "description": "Groceries",
                "amount": 1250,
                "currency": "EUR",
                "paid_by": b_member,
                "date": "2026-03-01",
            }
            baseline = _writes(client, b_headers, path, body, lambda n: n >= BASELINE_WRITES)
            command = [
                sys.executable, "-m", "api.cli", "import", str(statement),
                "--household", a_home, "--member", a_member,
                "--connection", connection.json()["id"],
            ]  # fmt: skip
            started = time.perf_counter()
            importer = subprocess.Popen(
                command, cwd=ROOT, env=_environment(url), stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            during = _writes(client, b_headers, path, body, lambda _: importer.poll() is not None)
            import_seconds = time.perf_counter() - started
            if importer.returncode != 0:
                raise RuntimeError(f"fairstead import exited with {importer.returncode}")
    return [
        baseline.row("no import running", None, ""),
        during.row(
            f"during a {rows:,}-row import", baseline, f"import took {import_seconds:.1f} s"
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 10,000-row import")
    parser.add_argument("--rows", type=int)
    arguments = parser.parse_args()
    rows = arguments.rows or (10_000 if arguments.quick else 100_000)
    header = ["household B's POST /expenses", "writes", "p50 ms", "p99 ms", "max ms",
              "not 201", "p50 / p99 vs baseline", ""]  # fmt: skip
    table = [header, *measure(rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))


if __name__ == "__main__":
    main()
