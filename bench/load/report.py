"""The machine a run was made on, the table it printed, and bench/RESULTS.md.

RESULTS.md keeps whatever is written around the generated block (notes, earlier figures):
a run replaces only the text between the two markers.
"""

import os
import platform
import sqlite3
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench.load.measure import Paired

START = "<!-- make bench: generated from here -->"
END = "<!-- make bench: generated up to here -->"
NOTE = (
    "Absolute figures depend on whatever else the machine was doing (this one's two cores "
    "were shared with other jobs): the ratios to the bare endpoint, measured in alternating "
    "slices of the same run by the same server process and client, are the figures to "
    "compare. `× req/s` is how many bare requests are answered in the time of one to the "
    "endpoint; `× p50` and `× p99` divide the endpoint's latency by the bare one's. "
    "`CPU ms` is the user and system time the uvicorn workers spent per request (SQLite's "
    "work is in it, PostgreSQL's server processes are not): it depends least on what else "
    "ran, and `× CPU` divides it by the bare endpoint's."
)


def machine(postgres_version: str | None, started: datetime, load_at_start: str) -> list[str]:
    memory = "?"
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    return [
        f"- date: {started:%Y-%m-%d %H:%M} to {datetime.now(UTC):%H:%M} UTC",
        f"- machine: {os.cpu_count()} CPUs (nproc), {memory} memory, {platform.platform()}; "
        f"load average (1, 5, 15 min) "
        f"{load_at_start} at the start, {load_average()} at the end",
        f"- Python {sys.version.split()[0]}, uvicorn {version('uvicorn')}, FastAPI "
        f"{version('fastapi')}, SQLAlchemy {version('sqlalchemy')}, pydantic "
        f"{version('pydantic')}",
        f"- SQLite {sqlite3.sqlite_version}; PostgreSQL {postgres_version or 'not measured'}",
    ]


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def table(title: str, rows: list[Paired]) -> list[str]:
    out = [
        f"### {title}",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | CPU ms | bare req/s | bare p50 | bare p99 "
        "| bare CPU ms | × req/s | × p50 | × p99 | × CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for row in rows:
        m, b = row.measured, row.bare
        out.append(
            f"| `{row.endpoint}` | {m.per_second:.0f} | {m.p50_ms:.1f} | {m.p99_ms:.1f} "
            f"| {m.cpu_ms:.2f} | {b.per_second:.0f} | {b.p50_ms:.1f} | {b.p99_ms:.1f} "
            f"| {b.cpu_ms:.2f} | {b.per_second / m.per_second:.1f} | {m.p50_ms / b.p50_ms:.1f} "
            f"| {m.p99_ms / b.p99_ms:.1f} | {m.cpu_ms / b.cpu_ms:.1f} |"
        )
    return [*out, ""]


def write(path: Path, block: list[str]) -> None:
    generated = "\n".join([START, *block, END])
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        raise SystemExit(f"{path} lost its markers; restore them or delete the file")
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    path.write_text(head + generated + tail)
