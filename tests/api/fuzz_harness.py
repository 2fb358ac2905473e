"""Schemathesis against the real app: uvicorn on loopback, two peer users, a seeded world.

The command line (not the Python API) is what runs, so what passes here passes for anyone
running `schemathesis run` by hand; the app serves from a thread of the test process so it
shares the test's database and its connector stub. Path parameters are pinned to household
A's real ids, so generated requests reach real objects instead of 404ing on random strings.
"""

import json
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from tests.api.tenant_world import World


def deletions(app: FastAPI) -> dict[str, str]:
    """Every DELETE operation, with the path parameter naming what it deletes. Each gets a
    spare object of its own, so the seeded ones stay for every other operation (deleting
    the household, or the caller's own membership, would end the run there). `DELETE
    /v1/me` names nothing in its path and needs the password, which no example carries:
    schemathesis runs it like any other operation."""
    return {
        op["operationId"]: re.findall(r"{(\w+)}", path)[-1]
        for path, item in app.openapi()["paths"].items()
        for method, op in item.items()
        if method == "delete" and "{" in path
    }


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app under uvicorn on 127.0.0.1, on a free port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def write_auth(world: World, directory: Path) -> Path:
    """A Web Fuzzing Commons auth document: the owner first (it makes the requests), the
    peer second (the object-level authorisation check replays reads as them)."""
    users = [("owner", world.owner.token), ("peer", world.peer.token)]
    document = {
        "auth": [
            {
                "name": name,
                "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {token}"}],
            }
            for name, token in users
        ]
    }
    path = directory / "auth.json"
    path.write_text(json.dumps(document))
    return path


def _toml(value: object) -> str:
    return json.dumps(value)


# The stateful phase follows OpenAPI links from what it creates; pinning the object ids
# too would send it back to the seeded objects instead, some of which earlier steps deleted.
STATEFUL_PINNED = frozenset({"household_id", "member_id"})


def write_config(
    world: World,
    deleted: dict[str, tuple[str, str]],
    directory: Path,
    *,
    max_examples: int,
    stateful: bool,
    seed: int | None,
) -> Path:
    """schemathesis.toml: both users as peers (which makes the object-level authorisation
    check active), how much to generate, and the ids to use for path parameters."""
    auth = write_auth(world, directory)
    lines = [
        "workers = 1",
        *([] if seed is None else [f"seed = {seed}"]),
        "max-failures = 200",
        "continue-on-failure = true",
        "request-timeout = 30",
        "[auth.wfc]",
        f"path = {_toml(str(auth))}",
        'peers = ["owner", "peer"]',
        "[generation]",
        f"max-examples = {max_examples}",
        # NUL characters are the classic way text reaches PostgreSQL in a shape it rejects.
        "allow-x00 = true",
        "[phases.coverage]",
        "generate-duplicate-query-parameters = true",
        "[phases.stateful]",
        "max-steps = 20",
        "[parameters]",
    ]
    for name, values in world.ids.items():
        if not stateful or name in STATEFUL_PINNED:
            lines.append(f"{_toml('path.' + name)} = {_toml(values[0])}")
    for operation, (name, value) in deleted.items():
        lines += [
            "[[operations]]",
            f"include-operation-id = {_toml(operation)}",
            "[operations.parameters]",
            f"{_toml('path.' + name)} = {_toml(value)}",
        ]
    path = directory / ("stateful.toml" if stateful else "schemathesis.toml")
    path.write_text("\n".join(lines) + "\n")
    return path


def run_schemathesis(
    base_url: str, config: Path, *, stateful: bool
) -> subprocess.CompletedProcess[str]:
    phases = "stateful" if stateful else "examples,coverage,fuzzing"
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        f"{base_url}/openapi.json",
        "--checks",
        "all",
        # Excluded, for a reason: a schema cannot say what this API also checks against its
        # data (a cursor must be one it gave out, a member_id a member of this household, 'to'
        # not before 'from', a webhook URL must resolve), so a schema-valid request is rightly
        # a 422 on most operations. The converse, negative_data_rejection, stays on.
        "--exclude-checks",
        "positive_data_acceptance",
        "--phases",
        phases,
        "--no-color",
        "--generation-database",
        "none",
    ]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
        cwd=config.parent,  # its cache directory lands beside the config, not in the repo
    )
