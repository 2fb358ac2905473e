"""Two `fairstead serve` processes on one database, as a scaled-out deployment runs them.

SQLite: a temporary file both processes open. PostgreSQL: a database of the suite's own
(`fairstead_races`, never `test`), dropped and created on the server that
FAIRSTEAD_RACES_PG_URL names (default: the local one, as user postgres).
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from migrations.runner import upgrade

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PG_SERVER = os.environ.get(
    "FAIRSTEAD_RACES_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/"
)
PG_DATABASE = "fairstead_races"


def postgres_url() -> str | None:
    """A fresh, empty `fairstead_races` database; None when PostgreSQL is unreachable."""
    server = make_url(PG_SERVER).set(database="postgres")
    engine = create_engine(server, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {PG_DATABASE}"))
    except Exception:  # unreachable, refused, no such role: the caller decides to skip
        return None
    finally:
        engine.dispose()
    return server.set(database=PG_DATABASE).render_as_string(hide_password=False)


def drop_postgres() -> None:
    server = make_url(PG_SERVER).set(database="postgres")
    engine = create_engine(server, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
    finally:
        engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def two_servers(database_url: str, log_folder: Path) -> Iterator[list[str]]:
    """Both servers' base URLs, once both answer."""
    upgrade(database_url)  # once, before two processes would both try at start
    env = os.environ | {
        "FAIRSTEAD_DATABASE_URL": database_url,
        "FAIRSTEAD_LOG_LEVEL": "warning",
        "FAIRSTEAD_RATE_LIMIT_ENABLED": "false",
        "FAIRSTEAD_DB_POOL_SIZE": "10",
    }
    processes: list[subprocess.Popen[bytes]] = []
    bases: list[str] = []
    try:
        for number in (1, 2):
            port = _free_port()
            log = (log_folder / f"server{number}.log").open("wb")
            command = [
                sys.executable,
                "-m",
                "api.cli",
                "serve",
                "--host",
                HOST,
                "--port",
                str(port),
            ]
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log))
            bases.append(f"http://{HOST}:{port}")
        for process, base in zip(processes, bases, strict=True):
            _wait(process, base)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait(process: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{base}/healthz", timeout=2).raise_for_status()
            return
        except httpx.HTTPError:
            if process.poll() is not None:
                raise RuntimeError(f"fairstead serve exited with {process.returncode}") from None
            if time.monotonic() > deadline:
                raise RuntimeError("fairstead serve did not answer within 60 s") from None
            time.sleep(0.2)
