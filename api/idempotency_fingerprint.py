"""What makes two requests "the same request" for an Idempotency-Key.

Two requests are the same when they would do the same thing for the same caller: method,
path, query parameters (in any order), the body's meaning and who asks. So JSON is compared
as canonical JSON (keys sorted, no whitespace), a multipart upload by its parts (names,
file names, types and content, not the random boundary), and the caller by user, household
restriction and scopes, so a response made for one token is never handed to a token that
could not have made it.
"""

import hashlib
import json
from email.message import Message
from urllib.parse import parse_qsl, urlencode


def fingerprint(
    *, method: str, path: str, query: bytes, content_type: str, body: bytes, principal: str
) -> str:
    canonical = {
        "method": method,
        "path": path.rstrip("/") or "/",
        "query": urlencode(sorted(parse_qsl(query.decode("latin-1"), keep_blank_values=True))),
        "principal": principal,
        "body": _canonical_body(content_type, body),
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def _canonical_body(content_type: str, body: bytes) -> str:
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return _raw(body)
        return "json:" + json.dumps(
            document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
    if media == "multipart/form-data":
        parts = _parts(content_type, body)
        if parts is not None:
            return "multipart:" + json.dumps(parts)
    return _raw(body)


def _raw(body: bytes) -> str:
    return "raw:" + hashlib.sha256(body).hexdigest()


def _parts(content_type: str, body: bytes) -> list[list[str]] | None:
    """Each part's disposition, name, file name, type and a digest of its content, in order;
    None when the body is not the multipart document its header announces."""
    header = Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        return None
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        return None
    parts: list[list[str]] = []
    for chunk in chunks[1:-1]:
        if not chunk.startswith(b"\r\n") or b"\r\n\r\n" not in chunk:
            return None
        head, content = chunk[2:].split(b"\r\n\r\n", 1)
        if not content.endswith(b"\r\n"):
            return None
        fields = Message()
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            fields[name.strip()] = value.strip()
        parts.append(
            [
                str(fields.get_param("name", header="content-disposition") or ""),
                str(fields.get_param("filename", header="content-disposition") or ""),
                (fields.get("content-type") or "").lower(),
                hashlib.sha256(content[:-2]).hexdigest(),
            ]
        )
    return parts
