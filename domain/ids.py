"""Identifiers: UUIDv7 strings, so sorting by id is sorting by creation time.

Lists are ordered newest first by id alone, which makes a cursor nothing more than the last
id seen. Python 3.11 has no `uuid.uuid7`, hence this small generator (RFC 9562, section
6.2 method 1: a counter in `rand_a` keeps ids monotonic within one millisecond).
"""

import os
import threading
import time

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def new_id() -> str:
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms, _counter = ms, int.from_bytes(os.urandom(2), "big") & 0x3FF
        else:
            _counter += 1
            if _counter > 0xFFF:
                _last_ms, _counter = _last_ms + 1, 0
            ms = _last_ms
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | _counter << 64 | 0b10 << 62 | rand_b
    # The canonical 8-4-4-4-12 form, as str(uuid.UUID(int=value)) gives, without the object.
    digits = f"{value:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"
