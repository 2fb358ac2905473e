"""The shared per-request path of the hot reads: CPU per request in-process, beside a bare
FastAPI endpoint, and where it goes (yappi, every thread).

Run by hand (not a test): `.venv/bin/python bench/hot_path.py [--expenses N] [--profile NAME]
[--load]`. One household of 4 members in a fresh SQLite file (or `--pg-url`, a database of
the bench's own, dropped and created again), `--expenses` written by the services. Requests
go straight into the ASGI app (no HTTP client, no sockets: what is measured is the app's own
work), `--concurrency` at once from one event loop, as uvicorn would hand them over; the
figure is the process's CPU time (every thread's) per request, in `--rounds` slices that
alternate with a bare FastAPI app's, and the median slice is shown with its ratio.
`--profile NAME` profiles NAME's requests instead (yappi, CPU clock, every thread: top
functions by total and by own time; `pip install yappi` first). `--load` adds the served
figures: uvicorn with one worker under 8 connections (bench/load), as `bench/scale.py`
measures them.
"""

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi import FastAPI
from fastapi.testclient import TestClient

import bench.ledger as seeding
from bench.ledger import _household, _through_service
from domain.db import make_engine
from domain.settings import Settings
from migrations.runner import upgrade

App = Callable[..., Any]


def _bare_app() -> FastAPI:
    bare = FastAPI()

    @bare.get("/bare")
    def get_bare() -> dict[str, bool]:
        return {"ok": True}

    return bare


def _scope(path: str, headers: dict[str, str]) -> dict[str, Any]:
    path, _, query = path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        + [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


async def _one(app: App, scope: dict[str, Any], expect: int) -> None:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(dict(scope), receive, send)
    assert status == expect, (scope["path"], status)


async def _many(app: App, scope: dict[str, Any], n: int, concurrency: int, expect: int) -> None:
    left = n

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await _one(app, scope, expect)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def _cpu_per_request(
    loop: asyncio.AbstractEventLoop,
    app: App,
    scope: dict[str, Any],
    n: int,
    concurrency: int,
    expect: int,
) -> float:
    started = time.process_time()
    loop.run_until_complete(_many(app, scope, n, concurrency, expect))
    return (time.process_time() - started) * 1000 / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expenses", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200, help="requests a slice")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--profile", help="a read's name (e.g. 304, balances): profile it")
    parser.add_argument("--top", type=int, default=60, help="profile: functions shown")
    parser.add_argument("--load", action="store_true", help="also served, 8 connections")
    parser.add_argument("--pg-url", help="a PostgreSQL database of the bench's own")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    seeding.FIRST_DAY = datetime.now(UTC).date() - timedelta(days=365)
    with tempfile.TemporaryDirectory() as tmp:
        if args.pg_url:
            from bench.scale import _fresh_postgres

            url = _fresh_postgres(args.pg_url)
        else:
            url = f"sqlite:///{Path(tmp) / 'h.db'}"
        upgrade(url)
        engine = make_engine(url, pool_size=10)
        settings = Settings(
            database_url=url, db_pool_size=10, deliver_in_process=False, rate_limit_enabled=False
        )
        from api.app import create_app

        app = create_app(settings, engine=engine)
        with TestClient(app) as client:
            headers, household_id, members = _household(client, 4)
            _through_service(engine, household_id, members, args.expenses)
            base = f"/v1/households/{household_id}"
            today = datetime.now(UTC).date()
            year_ago = (today - timedelta(days=364)).isoformat()
            reads = {
                "balances": f"{base}/balances",
                "settle-up": f"{base}/settle-up",
                "summary": f"{base}/fairness/summary",
                "report": f"{base}/fairness/report?from={year_ago}&to={today}",
                "expenses": f"{base}/expenses?limit=50",
            }
            for path in reads.values():  # settle-up keeps its plan, summary its score
                assert client.get(path, headers=headers).status_code == 200
            tag = client.get(reads["balances"], headers=headers).headers["etag"]
        cases: dict[str, tuple[App, dict[str, Any], int]] = {
            "bare": (_bare_app(), _scope("/bare", {}), 200),
            **{name: (app, _scope(path, headers), 200) for name, path in reads.items()},
            "304": (app, _scope(reads["balances"], headers | {"If-None-Match": tag}), 304),
        }
        loop = asyncio.new_event_loop()
        if args.profile:
            target, scope, expect = cases[args.profile]
            _cpu_per_request(loop, target, scope, 50, args.concurrency, expect)
            import yappi  # every thread's work: the sync dependencies run in the threadpool

            yappi.set_clock_type("cpu")
            yappi.start()
            ms = _cpu_per_request(loop, target, scope, args.requests, args.concurrency, expect)
            yappi.stop()
            print(f"{args.profile}: {ms:.2f} CPU ms a request under the profiler")
            stats = yappi.get_func_stats()
            for key in ("ttot", "tsub"):
                stats.sort(key, "desc")
                print(f"\nby {key}, seconds over {args.requests} requests")
                for item in list(stats)[: args.top]:
                    print(
                        f"{item.ttot:8.3f} {item.tsub:8.3f} {item.ncall:7}  "
                        f"{Path(item.module).name}:{item.lineno} {item.name}"
                    )
            return 0
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for target, scope, expect in cases.values():
            _cpu_per_request(loop, target, scope, 20, args.concurrency, expect)
        for _ in range(args.rounds):
            for name, (target, scope, expect) in cases.items():
                samples[name].append(
                    _cpu_per_request(loop, target, scope, args.requests, args.concurrency, expect)
                )
                if name != "bare":  # a bare slice beside each read
                    bare, bare_scope, _ = cases["bare"]
                    samples["bare"].append(
                        _cpu_per_request(loop, bare, bare_scope, args.requests, 1, 200)
                    )
        loop.close()
        floor = statistics.median(samples["bare"])
        print(
            f"in-process, {url.split(':', 1)[0].split('+', 1)[0]}, {args.expenses:,} expenses, "
            f"{args.concurrency} at once; CPU ms a request, median of {args.rounds} slices "
            f"of {args.requests}"
        )
        for name, values in samples.items():
            ms = statistics.median(values)
            spread = f"{min(values):.2f}-{max(values):.2f}"
            print(f"  {name:10} {ms:7.3f}  ({spread:>11})  {ms / floor:5.1f}x bare")
        if args.load:
            _load(url, headers, reads)
        engine.dispose()
    return 0


def _load(url: str, headers: dict[str, str], reads: dict[str, str]) -> None:
    from bench.load.measure import Endpoint, paired
    from bench.load.server import serving
    from bench.scale import _served_etag

    endpoints = [Endpoint(name, "GET", path, headers) for name, path in reads.items()]
    print("served, 1 uvicorn worker, 8 connections: CPU ms a request (bare), x bare")
    with serving(url, workers=1) as server:
        for endpoint in [*endpoints, None]:
            if endpoint is None:  # the tag covers the UTC hour: taken just before its slices
                tag = _served_etag(server.port, reads["balances"], headers)
                revalidate = headers | {"If-None-Match": tag}
                endpoint = Endpoint("304", "GET", reads["balances"], revalidate, expect=304)
            row = paired(
                server.port,
                endpoint,
                cpu=server.cpu_seconds,
                rounds=3,
                seconds=1.0,
                connections=8,
            )
            m, b = row.measured, row.bare
            print(
                f"  {endpoint.name:10} {m.cpu_ms:7.2f} ({b.cpu_ms:.2f})  "
                f"{m.cpu_ms / b.cpu_ms:5.1f}x  {m.per_second:7.0f} req/s  p99 {m.p99_ms:.0f} ms"
            )


if __name__ == "__main__":
    raise SystemExit(main())
