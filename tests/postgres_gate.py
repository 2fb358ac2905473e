"""Decides whether `make test` also runs on PostgreSQL.

Exit 0: reachable, run it. Exit 1: not reachable on a laptop, skip it (and say so in one
line). Under CI an unreachable PostgreSQL is a failure (exit 2), never a silent skip.
"""

import os
import sys

import psycopg


def main(url: str) -> int:
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    try:
        psycopg.connect(dsn, connect_timeout=3).close()
        return 0
    except psycopg.Error as exc:
        if os.environ.get("CI"):
            print(f"PostgreSQL at {dsn} is required under CI and unreachable: {exc}")
            return 2
        print(f"PostgreSQL at {dsn} not reachable: PostgreSQL tests skipped.")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
