"""One endpoint beside the bare one: alternating slices, so both see the same machine.

Five agents may share this machine's cores, so its speed drifts from minute to minute. A
figure measured a minute before its baseline would carry that drift into the ratio;
alternating short slices (bare, endpoint, bare, endpoint …) gives both the same moments.
"""

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.load.served import BARE_PATH
from bench.load.server import HOST, ROOT

MAX_REQUESTS = 50_000  # per slice; the time bound ends a slice long before, normally
WARM_UP_SECONDS = 0.5


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None = None
    expect: int = 200


@dataclass(frozen=True)
class Figures:
    requests: int
    per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float  # the server's CPU time per request


@dataclass(frozen=True)
class Paired:
    endpoint: str
    measured: Figures
    bare: Figures


BARE = Endpoint("GET /bare", "GET", BARE_PATH, {})


def paired(
    port: int,
    endpoint: Endpoint,
    *,
    cpu: Callable[[], float],
    rounds: int,
    seconds: float,
    connections: int,
) -> Paired:
    """`cpu` is the server's CPU time so far, in seconds."""
    for warm in (BARE, endpoint):
        _slice(port, warm, WARM_UP_SECONDS, connections)
    slices: dict[str, list[dict[str, Any]]] = {"bare": [], "measured": []}
    for _ in range(rounds):
        for kind, measured in (("bare", BARE), ("measured", endpoint)):
            before = cpu()
            result = _slice(port, measured, seconds, connections)
            slices[kind].append(result | {"cpu": cpu() - before})
    return Paired(endpoint.name, _figures(slices["measured"]), _figures(slices["bare"]))


def _slice(port: int, endpoint: Endpoint, seconds: float, connections: int) -> dict[str, Any]:
    job = {
        "host": HOST, "port": port, "method": endpoint.method, "path": endpoint.path,
        "headers": endpoint.headers, "body": endpoint.body, "expect": endpoint.expect,
        "connections": connections, "seconds": seconds, "max_requests": MAX_REQUESTS,
    }  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "bench.load.client"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=seconds + 120,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    if result["errors"]:
        raise RuntimeError(
            f"{endpoint.name}: {result['errors']} of {result['count']} answers were not "
            f"{endpoint.expect}; first: {result['first_error']}"
        )
    return result


def _figures(slices: list[dict[str, Any]]) -> Figures:
    latencies = sorted(ms for s in slices for ms in s["latencies_ms"])
    count = len(latencies)
    return Figures(
        requests=count,
        per_second=count / sum(s["seconds"] for s in slices),
        p50_ms=_rank(latencies, 50),
        p99_ms=_rank(latencies, 99),
        cpu_ms=1000 * sum(s["cpu"] for s in slices) / count,
    )


def _rank(ordered: list[float], percent: int) -> float:
    """Nearest rank: the smallest sample at or above `percent`% of them."""
    return ordered[max(0, -(-len(ordered) * percent // 100) - 1)]
