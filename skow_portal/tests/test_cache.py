"""With Redis gone, the cache reads as empty and the pages that use it still answer."""

from __future__ import annotations

import logging
import os

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {"BACKEND": "skow_portal.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    "public_pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dead-redis-pages"},
}


@pytest.fixture
def dead_cache(settings):
    settings.CACHES = DEAD_REDIS  # nothing listens on port 1: every call fails to connect
    yield cache
    cache._paused_until = 0.0


def test_an_unreachable_cache_answers_as_empty_and_stores_nothing(dead_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="skow_portal.cache"):
        assert dead_cache.get("key", "default") == "default"
        dead_cache.set("key", "value")
        assert dead_cache.add("key", "value") is False
        assert dead_cache.get_many(["a", "b"]) == {}
        assert dead_cache.get_or_set("key", lambda: "computed") == "computed"
        dead_cache.delete("key")
        with pytest.raises(ValueError):
            dead_cache.incr("counter")
    warnings = [record for record in caplog.records if record.name == "skow_portal.cache"]
    assert len(warnings) == 1 and "carrying on without it" in warnings[0].getMessage()


def test_after_a_failure_the_cache_is_left_alone_for_a_few_seconds(dead_cache, monkeypatch):
    dead_cache.get("key")
    calls = []
    monkeypatch.setattr(type(dead_cache._cache), "get", lambda *args: calls.append(args))
    assert dead_cache.get("key", 1) == 1 and calls == []  # no connect attempt while paused


@pytest.mark.parametrize("name", ["home", "policy:current", "help", "reports:new", "reports:follow", "accounts:login"])
def test_public_pages_answer_with_the_cache_unreachable(client, dead_cache, name):
    from policy.tests.factories import version_1

    version_1()
    assert client.get(reverse(name)).status_code == 200


def test_the_demo_data_loads_with_the_cache_unreachable(dead_cache, caplog):
    from django.core.management import call_command

    from reports.models import Report

    call_command("seed_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Report.objects.exists()


def test_every_cache_call_shares_one_redis_client():
    """Django builds a redis.Redis per call; building one cost more than the GET it was for."""
    from skow_portal.cache import ResilientRedisCache

    redis_cache = ResilientRedisCache("redis://127.0.0.1:1/0", {})  # no call reaches a server here
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is redis_cache._cache.get_client()
