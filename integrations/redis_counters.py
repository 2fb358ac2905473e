"""Counters in Redis (`FAIRSTEAD_REDIS_URL`): INCRBY and EXPIREAT in one MULTI per call.

Redis forgets a counter by itself when its window has passed, so nothing needs pruning.
Needs the optional `[redis]` extra.
"""

from collections.abc import Mapping

import redis

CONNECT_TIMEOUT = 2.0  # seconds: an unreachable Redis must not hold requests for long


class RedisCounters:
    def __init__(self, url: str, *, prefix: str) -> None:
        self.client = redis.Redis.from_url(
            url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=CONNECT_TIMEOUT
        )
        self.prefix = prefix

    def add(self, increments: Mapping[str, int], *, expires_at: int) -> dict[str, int]:
        keys = sorted(increments)
        with self.client.pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.incrby(self.prefix + key, increments[key])
                pipe.expireat(self.prefix + key, expires_at + 1)
            results = pipe.execute()
        return {key: int(results[2 * i]) for i, key in enumerate(keys)}

    def close(self) -> None:
        self.client.close()
