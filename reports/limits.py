"""Rate limits per client address, kept in the cache: anonymous intake, and wrong receipt codes."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def _key(kind: str, address: str) -> str:
    # The cache holds no address in clear.
    return f"reports:{kind}:{hashlib.sha256(address.encode()).hexdigest()[:32]}"


def _count(kind: str, address: str) -> int:
    return int(cache.get(_key(kind, address), 0))


def _add(kind: str, address: str) -> None:
    key = _key(kind, address)
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS)


def intake_allowed(address: str) -> bool:
    return _count("intake", address) < settings.REPORT_INTAKE_LIMIT_PER_HOUR


def intake_record(address: str) -> None:
    _add("intake", address)


def follow_allowed(address: str) -> bool:
    return _count("follow", address) < settings.REPORT_FOLLOW_FAILURES_PER_HOUR


def follow_failure_record(address: str) -> None:
    _add("follow", address)
