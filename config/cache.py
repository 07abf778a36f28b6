"""The cache in front of Redis, failing open.

Rate limits, the public pages' cache and locks live in Redis; when Redis is
down or hung, a submission or the gallery must still answer. Every call
gets short socket timeouts (`CACHE_SOCKET_TIMEOUT`), a Redis error becomes a
miss (reads), a no-op (writes) or "first use" (`add`, `incr`: a rate limit
then lets the request through), with a log line, and after one failure
this process leaves Redis alone for `CACHE_RETRY_AFTER` seconds instead of
paying the timeout on every call.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("config.cache")

# Seconds a process skips Redis after a failure (per cache location).
RETRY_AFTER = 5.0
_down_until: dict[str, float] = {}
_lock = threading.Lock()


def redis_cache_config(*, url: str, socket_timeout: float, retry_after: float = RETRY_AFTER) -> dict:
    """A CACHES entry for Redis at `url` that fails open, with connect and
    read timeouts of `socket_timeout` seconds."""
    return {
        "BACKEND": "config.cache.FailOpenRedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "socket_connect_timeout": socket_timeout,
            "socket_timeout": socket_timeout,
            "retry_on_timeout": False,
            "health_check_interval": 30,
        },
        "KEY_PREFIX": "",
        "RETRY_AFTER": retry_after,
    }


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache whose calls never raise a Redis error."""

    def __init__(self, server, params):
        params = dict(params)
        self.retry_after = float(params.pop("RETRY_AFTER", RETRY_AFTER))
        super().__init__(server, params)
        self._where = server if isinstance(server, str) else ",".join(server)

    def _down(self) -> bool:
        return _down_until.get(self._where, 0.0) > time.monotonic()

    def _call(self, name, fallback, *args, **kwargs):
        if self._down():
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except RedisError as exc:
            with _lock:
                _down_until[self._where] = time.monotonic() + self.retry_after
            logger.warning("cache unavailable (%s %s): %s; carrying on without it", name, self._where, exc)
            return fallback

    def ping(self) -> bool:
        """Ask Redis itself (raises its error): for the health check."""
        return self._cache.get_client(write=True).ping()

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # "Added": the caller counts this as the first use (a rate limit lets it through).
        return self._call("add", True, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", delta, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
