"""The cache may fail; the portal may not. Django's Redis cache, but an outage reads as a miss.

Nothing a person does in the portal depends on the cache being up: a report, a follow-up, a consent
decision or a login must work while Redis is down (the outbox re-queues its e-mails once the broker
is back). So every cache call that fails to reach Redis is logged as a warning and answered as if the
key were absent (reads) or not stored (writes). After a failure the cache is left alone for a few
seconds, so that a request during an outage does not wait for a connect timeout on every call.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# Seconds the cache is skipped after a failed call (a small circuit breaker, per process).
PAUSE_AFTER_FAILURE = 5.0


def _degrades(default):
    """Wrap a cache method: a Redis error (or a pause after one) answers ``default(args)``."""

    def decorator(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._paused():
                return default(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except self._errors as error:
                self._failed(method.__name__, error)
                return default(*args, **kwargs)

        return wrapper

    return decorator


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty_dict(*args, **kwargs):
    return {}


def _keys(keys, *args, **kwargs):
    # set_many returns the keys that were NOT stored.
    return list(keys)


def _get_default(key, default=None, *args, **kwargs):
    return default


def _incr_default(key, delta=1, *args, **kwargs):
    # The key is unknown while the cache is down, as Django says of a missing key.
    raise ValueError(f"Key {key!r} not found (the cache is unavailable).")


def _get_or_set_default(key, default, *args, **kwargs):
    return default() if callable(default) else default


class OneClientPerPool(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` per connection pool.

    Django's own builds a new ``redis.Redis`` for every call, and redis-py (5 and later) fills a
    table of some 170 response callbacks in each: more work than a GET over loopback. A
    ``redis.Redis`` holds nothing but its pool and is safe to share between threads, so one serves.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """RedisCache whose failures are warnings and misses, never errors for the person in front of it."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        # Fail fast: a request must not hang on a cache that is gone or a network that drops packets.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = OneClientPerPool
        import redis

        self._errors = (redis.RedisError, OSError)
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def _paused(self) -> bool:
        return time.monotonic() < self._paused_until

    def _failed(self, operation: str, error: Exception) -> None:
        with self._lock:
            already_paused = self._paused()
            self._paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
        if not already_paused:
            logger.warning("Cache unavailable (%s: %s); carrying on without it.", operation, type(error).__name__)

    get = _degrades(_get_default)(RedisCache.get)
    get_many = _degrades(_empty_dict)(RedisCache.get_many)
    has_key = _degrades(_false)(RedisCache.has_key)
    set = _degrades(_none)(RedisCache.set)
    add = _degrades(_false)(RedisCache.add)
    set_many = _degrades(_keys)(RedisCache.set_many)
    touch = _degrades(_false)(RedisCache.touch)
    delete = _degrades(_false)(RedisCache.delete)
    delete_many = _degrades(_none)(RedisCache.delete_many)
    incr = _degrades(_incr_default)(RedisCache.incr)
    clear = _degrades(_false)(RedisCache.clear)
    get_or_set = _degrades(_get_or_set_default)(RedisCache.get_or_set)
