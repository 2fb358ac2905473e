"""The load generator of `make bench`, run in a process of its own:

    python -m bench.load.client < slice.json > result.json

A slice is one request repeated over `connections` keep-alive connections (a closed loop:
each connection sends its next request when the last answer is in) until `max_requests`
answers or `seconds` have passed, whichever comes first. The answer is the count, the
wall time and every latency in milliseconds; any status other than `expect` is counted
and the first such answer kept, so the caller can refuse figures measured on errors.

It speaks HTTP/1.1 over asyncio streams itself, with the request bytes built once: an
httpx client costs several times the bare endpoint's own time per request in Python, which
would hide the very gap measured. Only the standard library is imported, so the process
starts in a fraction of a second. Only loopback addresses are accepted.
"""

import asyncio
import ipaddress
import json
import sys
import time
from typing import Any


def _request_bytes(job: dict[str, Any]) -> bytes:
    body = json.dumps(job["body"]).encode() if job.get("body") is not None else b""
    lines = [
        f"{job['method']} {job['path']} HTTP/1.1",
        f"Host: {job['host']}:{job['port']}",
        "Accept: application/json",
        *(f"{name}: {value}" for name, value in job.get("headers", {}).items()),
    ]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body and whether the server keeps the connection open."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    status = int(status_line.split()[1])
    if status in (204, 304):
        return status, b"", headers.get("connection") != "close"  # never a body
    if "content-length" not in headers:
        # JSON responses from Starlette always carry one; anything else is not measured.
        raise RuntimeError(f"response without Content-Length: {status_line}")
    body = await reader.readexactly(int(headers["content-length"]))
    return status, body, headers.get("connection") != "close"


async def _run(job: dict[str, Any]) -> dict[str, Any]:
    if not ipaddress.ip_address(job["host"]).is_loopback:
        raise ValueError(f"{job['host']} is not a loopback address")
    request = _request_bytes(job)
    latencies: list[float] = []
    errors: list[str] = []
    sent = 0
    started = time.perf_counter()
    deadline = started + job["seconds"]

    async def connection() -> None:
        nonlocal sent
        reader, writer = await asyncio.open_connection(job["host"], job["port"])
        try:
            while sent < job["max_requests"] and time.perf_counter() < deadline:
                sent += 1
                begun = time.perf_counter()
                writer.write(request)
                status, body, keep = await _read_response(reader)
                latencies.append((time.perf_counter() - begun) * 1000)
                if status != job["expect"]:
                    errors.append(f"{status} {body[:300].decode(errors='replace')}")
                if not keep:
                    writer.close()
                    reader, writer = await asyncio.open_connection(job["host"], job["port"])
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(job["connections"])))
    return {
        "count": len(latencies),
        "seconds": time.perf_counter() - started,
        "latencies_ms": latencies,
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
    }


def main() -> None:
    job = json.load(sys.stdin)
    json.dump(asyncio.run(_run(job)), sys.stdout)


if __name__ == "__main__":
    main()
