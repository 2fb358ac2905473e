"""The `fairstead` command: serve, migrate, openapi."""

import argparse
import sys
from pathlib import Path

from domain.settings import get_settings

OPENAPI_PATH = Path("openapi/openapi.json")


def _migrate() -> None:
    from migrations.runner import upgrade

    upgrade(get_settings().database_url)


def _serve(host: str, port: int) -> None:
    import uvicorn

    from api.app import create_app

    _migrate()
    settings = get_settings()
    uvicorn.run(create_app(settings), host=host, port=port, log_level=settings.log_level.lower())


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fairstead", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="migrate the database, then serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    commands.add_parser("migrate", help="upgrade the database to the newest schema")
    openapi = commands.add_parser("openapi", help="write or check openapi/openapi.json")
    openapi.add_argument("--check", action="store_true", help="fail if the file drifts")
    openapi.add_argument("--output", type=Path, default=OPENAPI_PATH)
    args = parser.parse_args(argv)

    if args.command == "serve":
        _serve(args.host, args.port)
    elif args.command == "migrate":
        _migrate()
    elif args.command == "openapi":
        return _openapi(args.output, args.check)
    return 0


if __name__ == "__main__":
    sys.exit(main())
