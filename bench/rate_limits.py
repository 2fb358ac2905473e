"""What counting costs a GET: `GET /v1/me` with the rate limiter off and on, per store.

Run by hand (not a test): `.venv/bin/python bench/rate_limits.py [--requests N] [--pg URL]`.

Through the ASGI app with Starlette's TestClient, median and p99 of `--requests` requests
after warm-ups, on SQLite (limiter off; the write-behind buffer; and, for comparison, a
counter write on every request), on PostgreSQL and Redis when reachable. Then the case the
buffer exists for: the same GETs while another connection keeps taking SQLite's write lock
for 20 ms at a time, as a stream of POSTs would.
"""

import argparse
import logging
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.ratelimit import RateLimit
from domain.db import make_engine
from domain.ratelimits.buffer import Buffered
from domain.ratelimits.counters import Counters
from domain.ratelimits.store import DatabaseCounters
from domain.settings import Settings
from migrations.runner import upgrade

PASSWORD = "correct horse battery"


def app_for(url: str, *, enabled: bool, redis: str | None = None, every_request: bool = False):
    settings = Settings(
        database_url=url,
        deliver_in_process=False,
        rate_limit_enabled=enabled,
        rate_limit_per_token=10**9,
        rate_limit_per_ip=10**9,
        redis_url=redis,
    )
    engine = make_engine(url, pool_size=8)
    app = create_app(settings, engine=engine)
    if every_request:
        for middleware in app.user_middleware:
            if middleware.cls is RateLimit:
                middleware.kwargs["counters"] = DatabaseCounters(engine)
    return app


def timings(client: TestClient, requests: int, lock: Path | None = None) -> list[float]:
    client.post(
        "/v1/users", json={"email": "b@example.org", "password": PASSWORD, "display_name": "B"}
    )
    token = client.post(
        "/v1/tokens", json={"email": "b@example.org", "password": PASSWORD, "name": "b"}
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(50):
        client.get("/v1/me", headers=headers)
    out = []
    with writer_holding_lock(lock) if lock else nullcontext():
        for _ in range(requests):
            started = time.perf_counter()
            assert client.get("/v1/me", headers=headers).status_code == 200
            out.append((time.perf_counter() - started) * 1000)
    return out


def store_calls(counters: Counters, calls: int) -> list[float]:
    """One request's counting alone: two counters (address and token) per call."""
    out = []
    for n in range(calls):
        started = time.perf_counter()
        counters.add({f"ip:bench:{n % 7}": 1, f"token:bench:{n % 5}": 1}, expires_at=4 * 10**9)
        out.append((time.perf_counter() - started) * 1000)
    return out


def report(name: str, values: list[float], base: float | None) -> float:
    median = statistics.median(values)
    p99 = statistics.quantiles(values, n=100)[98]
    extra = f"  (+{median - base:.3f} ms)" if base is not None else ""
    print(f"{name:<46} median {median:7.3f} ms   p99 {p99:7.3f} ms{extra}")
    return median


@contextmanager
def writer_holding_lock(path: Path) -> Iterator[None]:
    """Another connection taking the write lock for 20 ms, over and over."""
    stop = threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None, timeout=5)
        while not stop.is_set():
            connection.execute("BEGIN IMMEDIATE")
            time.sleep(0.02)
            connection.execute("COMMIT")
            time.sleep(0.005)
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def sqlite_url(folder: str, name: str) -> tuple[str, Path]:
    path = Path(folder) / f"{name}.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    return url, path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/fs_limits")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    n = args.requests
    with tempfile.TemporaryDirectory() as folder:
        print("-- one request's counting alone (the store call):")
        url, _ = sqlite_url(folder, "store")
        engine = make_engine(url, pool_size=2)
        report("SQLite, a write per request", store_calls(DatabaseCounters(engine), n), None)
        buffered = Buffered(DatabaseCounters(engine), every=0.25)
        report("SQLite, write-behind buffer", store_calls(buffered, n), None)
        try:
            from integrations.redis_counters import RedisCounters

            report("Redis", store_calls(RedisCounters(args.redis, prefix="bench:"), n), None)
            upgrade(args.pg)
            pg = make_engine(args.pg, pool_size=2)
            report("PostgreSQL", store_calls(DatabaseCounters(pg), n), None)
        except Exception as exc:
            print(f"skipped: {exc.__class__.__name__}")
        print("-- GET /v1/me through the app:")
        cases = {
            "SQLite, limiter off": dict(enabled=False),
            "SQLite, write-behind buffer (the default)": dict(enabled=True),
            "SQLite, a counter write on every request": dict(enabled=True, every_request=True),
        }
        base = None
        for index, (name, options) in enumerate(cases.items()):
            url, _ = sqlite_url(folder, f"case{index}")
            with TestClient(app_for(url, **options)) as client:
                median = report(name, timings(client, n), base)
            base = base if base is not None else median
        try:
            url, _ = sqlite_url(folder, "redis")
            with TestClient(app_for(url, enabled=True, redis=args.redis)) as client:
                report("SQLite, counters in Redis", timings(client, n), base)
        except Exception as exc:
            print(f"Redis: skipped ({exc.__class__.__name__})")
        print("-- while another connection keeps taking the write lock for 20 ms:")
        base = None
        for index, (name, options) in enumerate(cases.items()):
            url, path = sqlite_url(folder, f"locked{index}")
            with TestClient(app_for(url, **options)) as client:
                median = report(name, timings(client, n // 4, lock=path), base)
            base = base if base is not None else median
    try:
        upgrade(args.pg)
        print("-- PostgreSQL:")
        with TestClient(app_for(args.pg, enabled=False)) as client:
            base = report("PostgreSQL, limiter off", timings(client, n), None)
        with TestClient(app_for(args.pg, enabled=True)) as client:
            report("PostgreSQL, counters in the database", timings(client, n), base)
    except Exception as exc:
        print(f"PostgreSQL: skipped ({exc.__class__.__name__}: {exc})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
