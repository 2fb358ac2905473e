"""The `fairstead` command: serve, migrate, worker, openapi, households, import, verify."""

import argparse
import subprocess
import sys
from pathlib import Path

from domain.settings import get_settings
from integrations.files.formats import HELP as FORMAT_HELP

OPENAPI_PATH = Path("openapi/openapi.json")


def _migrate() -> None:
    from migrations.runner import upgrade

    upgrade(get_settings().database_url)


def _reachable() -> None:
    """Connects once, so a bad or unreachable database fails here (one line, see main)."""
    from domain.db import make_engine

    engine = make_engine(get_settings().database_url, pool_size=1)
    try:
        with engine.connect():
            pass
    finally:
        engine.dispose()


def _serve(host: str, port: int) -> None:
    import uvicorn

    from api.app import create_app

    # Migrating in a child process keeps Alembic (and what it loads) out of the server's
    # memory for its whole life: some 10 MB, on a Raspberry Pi.
    migrated = subprocess.run([sys.executable, "-m", "api.cli", "migrate"])
    if migrated.returncode != 0:
        # The child has said why in one line (a bad database URL, a short secret key, a
        # refused migration); its exit code is the answer.
        raise SystemExit(migrated.returncode)
    settings = get_settings()
    # On SIGTERM uvicorn stops accepting, lets requests under way finish (for up to the
    # timeout), then runs the lifespan's shutdown: the in-process hook runner stops last.
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        timeout_graceful_shutdown=settings.shutdown_timeout_seconds,
    )


def _worker(interval: float, once: bool) -> None:
    import logging
    import signal
    import threading
    from datetime import UTC, datetime

    from api import logs
    from domain.db import make_engine, unit_of_work
    from domain.jobs import JOBS
    from integrations.hooks_runner import HookRunner
    from integrations.jobs import JOBS as INTEGRATION_JOBS

    settings = get_settings()
    logs.configure(settings.log_level)
    log = logging.getLogger("fairstead.worker")
    _migrate()
    engine = make_engine(settings.database_url, pool_size=4)
    # SIGTERM (or Ctrl-C) lets the job under way finish; then the hook runner finishes the
    # deliveries it is sending and releases the rest of its claimed ones.
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    # Webhooks and MQTT run every second in their own thread; the jobs below every interval.
    hooks = HookRunner(engine, settings)
    if not once:
        hooks.start()
    while not stopping.is_set():
        done: dict[str, int | str] = {}
        for name, job in {**JOBS, **INTEGRATION_JOBS}.items():
            if stopping.is_set():
                break
            try:
                with unit_of_work(engine) as session:
                    done[name] = job(session, datetime.now(UTC))
            except Exception:
                # One failing job must not stop the others, nor the next round.
                log.exception("job %s failed", name)
                done[name] = "failed"
        if once:
            hooks.run_once()
        line = _pass_line(done, hooks.take_counts())
        if once:
            print(f"worker --once: {line}")
            break
        log.info("pass: %s", line)
        stopping.wait(interval)
    hooks.close()
    log.info("worker stopped")


def _pass_line(jobs: dict[str, int | str], hooks: dict[str, int]) -> str:
    """One line: what each job did, and the deliveries since the last line."""
    done = ", ".join(f"{name} {count}" for name, count in jobs.items())
    refused = f" ({hooks['refused']} refused)" if hooks["refused"] else ""
    return (
        f"{done}; webhook deliveries {hooks['sent']} sent, {hooks['failed']} failed{refused}; "
        f"MQTT {hooks['mqtt_published']} published"
    )


def _openapi(path: Path, check: bool) -> int:
    from api.app import create_app
    from api.openapi import render

    text = render(create_app())
    if check:
        current = path.read_text() if path.exists() else ""
        if current != text:
            print(
                f"{path} drifts from the code: run 'fairstead openapi' and commit it",
                file=sys.stderr,
            )
            return 1
        print(f"{path} matches the code")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    print(f"wrote {path}")
    return 0


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fairstead")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _households(email: str | None) -> int:
    from sqlmodel import col, select

    from domain.accounts.models import User
    from domain.accounts.service import normalise_email
    from domain.db import make_engine, unit_of_work
    from domain.households.models import Household, Member

    _migrate()
    engine = make_engine(get_settings().database_url, pool_size=1)
    with unit_of_work(engine) as session:
        query = select(col(Household.id), col(Household.name)).order_by(
            col(Household.name), col(Household.id)
        )
        if email is not None:
            user = session.scalar(
                select(col(User.id)).where(col(User.email) == normalise_email(email))
            )
            if user is None:
                print(f"no account with the email {email!r}", file=sys.stderr)
                return 1
            query = query.join(Member, col(Member.household_id) == col(Household.id)).where(
                col(Member.user_id) == user
            )
        rows = session.execute(query).all()
    for household_id, name in rows:
        print(f"{household_id}\t{name}")
    return 0


def _missing_driver(exc: Exception) -> bool:
    """A URL naming a database whose driver is not installed (mysql://…)."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    return isinstance(exc, ImportError) and any(
        "sqlalchemy" in f.filename and "dialects" in f.filename for f in frames
    )


def _problem(exc: Exception) -> str | None:
    """One line for an operator's mistake (a bad setting, a database that is not there),
    or None for anything else, which keeps its traceback."""
    from pydantic import ValidationError
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from migrations.runner import MigrationRefused

    if isinstance(exc, ValidationError):
        return "cannot start: " + "; ".join(
            f"FAIRSTEAD_{'_'.join(str(p) for p in error['loc']).upper()}: "
            + error["msg"].removeprefix("Value error, ")
            for error in exc.errors()
        )
    if isinstance(exc, ArgumentError) or _missing_driver(exc):
        return (
            "cannot start: FAIRSTEAD_DATABASE_URL is not a database URL Fairstead can use "
            "(sqlite:///path/to/fairstead.db or postgresql+psycopg://user:pass@host/db)"
        )
    if isinstance(exc, DBAPIError):
        reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc)
        return f"cannot reach the database at FAIRSTEAD_DATABASE_URL: {reason}"
    if isinstance(exc, MigrationRefused):
        return f"cannot migrate: {exc}"
    return None


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except Exception as exc:
        line = _problem(exc)
        if line is None:
            raise
        print(f"fairstead: {line}", file=sys.stderr)
        return 2


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fairstead", description=__doc__)
    parser.add_argument("--version", action="version", version=f"fairstead {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="migrate the database, then serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    commands.add_parser("migrate", help="upgrade the database to the newest schema")
    worker = commands.add_parser("worker", help="run the periodic jobs; deliver webhooks and MQTT")
    worker.add_argument("--interval", type=float, default=60.0, help="seconds between rounds")
    worker.add_argument("--once", action="store_true", help="run one round and exit")
    openapi = commands.add_parser("openapi", help="write or check openapi/openapi.json")
    openapi.add_argument("--check", action="store_true", help="fail if the file drifts")
    openapi.add_argument("--output", type=Path, default=OPENAPI_PATH)
    households = commands.add_parser(
        "households", help="list households (id and name, tab-separated), for `import`"
    )
    households.add_argument("--email", help="only the households of this account")
    imports = commands.add_parser("import", help="import a bank file (OFX, QIF, CSV, CAMT.053)")
    imports.add_argument("file", type=Path)
    imports.add_argument("--household", required=True, help="the household's id")
    imports.add_argument("--format", help=f"{FORMAT_HELP} (default: detected)")
    imports.add_argument("--account", help="the account, for files that do not name it")
    imports.add_argument("--currency", help="ISO 4217 code, for files without one (QIF)")
    imports.add_argument("--connection", help="a 'file' connection: CSV mapping, account map")
    imports.add_argument("--member", help="the member who pays from unmapped accounts")
    verify = commands.add_parser(
        "verify", help="recompute the kept balance totals from the ledger and report drift"
    )
    verify.add_argument("--repair", action="store_true", help="make the kept totals right")
    args = parser.parse_args(argv)

    if args.command == "serve":
        _serve(args.host, args.port)
    elif args.command == "migrate":
        _migrate()
    elif args.command == "worker":
        _worker(args.interval, args.once)
    elif args.command == "openapi":
        return _openapi(args.output, args.check)
    elif args.command == "households":
        return _households(args.email)
    elif args.command == "verify":
        from api.verify_command import run_verify

        _migrate()
        return run_verify(repair=args.repair)
    elif args.command == "import":
        from api.import_command import run_import

        _reachable()  # before the progress display starts drawing
        return run_import(
            args.file,
            household_id=args.household,
            format=args.format,
            account=args.account,
            currency=args.currency,
            connection_id=args.connection,
            member_id=args.member,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
