"""wbportal.cache_backends.RedisCache against the real Redis service.

Skipped, saying why, when no Redis answers at TEST_REDIS_URL (a newcomer's machine); CI and
the team's machines run Redis on 127.0.0.1:6379.
"""

import os
import uuid

import pytest

from wbportal.cache_backends import RedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_cache():
    backend = RedisCache(
        REDIS_URL,
        {
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    )
    try:
        backend.get("ping")
    except Exception as error:  # noqa: BLE001 - any connection failure
        pytest.skip(f"no Redis at {REDIS_URL} ({error.__class__.__name__})")
    yield backend
    backend.clear()


def test_values_round_trip(redis_cache):
    redis_cache.set("page", {"content": b"<p>x</p>", "generation": "g1"}, timeout=60)
    redis_cache.set("generation", "g1", timeout=None)
    assert redis_cache.get_many(["generation", "page", "missing"]) == {
        "generation": "g1",
        "page": {"content": b"<p>x</p>", "generation": "g1"},
    }
    assert redis_cache.add("generation", "g2") is False
    redis_cache.delete("page")
    assert redis_cache.get("page") is None


def test_one_client_is_reused_for_every_operation(redis_cache):
    client = redis_cache._cache
    assert client.get_client() is client.get_client(write=True)
    assert client.get_client("a") is client.get_client("b")
