"""The page cache's Redis store (pagecache/shared.py) against the real Redis service.

Skipped, saying why, when no Redis answers at TEST_REDIS_URL (a newcomer's machine); CI and
the team's machines run Redis on 127.0.0.1:6379.
"""

import os
import uuid

import pytest
from django.test import Client

import pagecache
from pagecache.shared import RedisStore
from tests.factories import RegionFactory

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def prefix():
    return f"test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def redis_store(prefix):
    store = RedisStore(REDIS_URL, prefix)
    try:
        store.client.ping()
    except Exception as error:  # noqa: BLE001 - any connection failure
        pytest.skip(f"no Redis at {REDIS_URL} ({error.__class__.__name__})")
    yield store
    for key in store.client.scan_iter(f"{prefix}:*"):
        store.client.delete(key)


def test_values_round_trip(redis_store):
    redis_store.set("page", {"content": b"<p>x</p>", "generation": "g1"}, timeout=60)
    redis_store.set("generation", "g1", timeout=None)
    assert redis_store.get_many(["generation", "page", "missing"]) == {
        "generation": "g1",
        "page": {"content": b"<p>x</p>", "generation": "g1"},
    }
    assert redis_store.add("generation", "g2") is False
    assert redis_store.add("lock", 1, timeout=0.5) is True
    assert 0 < redis_store.client.pttl(f"{redis_store.prefix}lock") <= 500
    assert redis_store.client.ttl(f"{redis_store.prefix}generation") == -1  # no expiry
    redis_store.delete("page")
    assert redis_store.get("page") is None


def test_counter_counts_and_expires(redis_store):
    assert [redis_store.incr("count", timeout=30) for _ in range(3)] == [1, 2, 3]
    assert 0 < redis_store.client.ttl(f"{redis_store.prefix}count") <= 30


@pytest.mark.django_db
def test_pages_are_served_from_redis_when_redis_url_is_set(settings, redis_store, prefix):
    settings.REDIS_URL = REDIS_URL
    settings.CACHE_KEY_PREFIX = prefix
    settings.PAGE_CACHE = True
    pagecache.reset()
    region = RegionFactory(slug="redis-region")
    visitor = Client()
    assert visitor.get(region.get_absolute_url())["X-Page-Cache"] == "miss"
    assert visitor.get(region.get_absolute_url())["X-Page-Cache"] == "hit"
    keys = [key.decode() for key in redis_store.client.scan_iter(f"{prefix}:*")]
    assert f"{prefix}:{pagecache.PAGE_KEY_PREFIX}" in "\n".join(keys)
    region.summary = "Changed."
    region.save()
    response = visitor.get(region.get_absolute_url())
    assert response["X-Page-Cache"] == "miss" and "Changed." in response.content.decode()


def test_a_suffix_is_set_on_the_value_without_its_earlier_suffix(redis_store):
    assert redis_store.set_suffix("g", "~p~1", default="fresh", marker="~p~", timeout=5) == (
        "fresh~p~1",
        None,
    )
    redis_store.set("g", "base", timeout=None)
    assert redis_store.set_suffix("g", "~p~2", default="x", marker="~p~", timeout=5) == (
        "base~p~2",
        "base",
    )
    assert redis_store.set_suffix("g", "~p~3", default="x", marker="~p~", timeout=5) == (
        "base~p~3",
        "base~p~2",
    )
    assert redis_store.get("g") == "base~p~3"
    assert 0 < redis_store.client.pttl(f"{redis_store.prefix}g") <= 5000


def test_set_keeping_tail_keeps_the_data_part_in_one_step(redis_store):
    """The bump that keeps the data generation (pagecache.generation): a new head, the data
    part after the marker kept, or the default without one or when the value is pending."""
    args = {"marker": "~data~", "cut": "~pending~"}
    assert redis_store.set_keeping_tail("g", "h1", default="d1", **args) == "h1~data~d1"
    assert redis_store.set_keeping_tail("g", "h2", default="x", **args) == "h2~data~d1"
    redis_store.set("g", "h2~data~d1~pending~123~ab", timeout=5)
    # Another's pending change may be committed with its bump lost: a new data part; after
    # its own pending suffix, the caller's data part is kept.
    assert redis_store.set_keeping_tail("g", "h3", default="d9", **args) == "h3~data~d9"
    redis_store.set("g", "h3~data~d1~pending~123~ab", timeout=5)
    own = "~pending~123~ab"
    assert redis_store.set_keeping_tail("g", "h6", default="x", own=own, **args) == "h6~data~d1"
    redis_store.set("g", "h3~data~d1~pending~456~cd", timeout=5)
    assert redis_store.set_keeping_tail("g", "h7", default="d8", own=own, **args) == "h7~data~d8"
    assert redis_store.client.ttl(f"{redis_store.prefix}g") == -1  # a bump does not expire
    redis_store.set("g", "old-value-1", timeout=None)  # written before data parts existed
    assert redis_store.set_keeping_tail("g", "h4", default="d2", **args) == "h4~data~d2"
    # Characters Lua patterns treat specially are taken as they are.
    redis_store.set("g", "a-b.c%~data~d-1.%", timeout=None)
    assert redis_store.set_keeping_tail("g", "h5", default="x", **args) == "h5~data~d-1.%"


@pytest.mark.django_db
def test_each_reach_keeps_the_parts_it_cannot_move_in_redis(settings, redis_store, prefix):
    """pagecache.generation's three parts through the Redis script: a text edit keeps the
    shared and data parts, a project edit the data part, a figure none."""
    from pagecache import generation as generations
    from pagecache.generation import Reach

    settings.REDIS_URL = REDIS_URL
    settings.CACHE_KEY_PREFIX = prefix
    settings.PAGE_CACHE = True
    pagecache.reset()

    def parts():
        return (
            pagecache.current_generation(),
            pagecache.shared_generation(),
            pagecache.data_generation(),
        )

    content, shared, data = parts()
    assert shared.endswith(data) and content.endswith(shared)
    generations.bump(Reach.OWN_TEXT)
    after = parts()
    assert after[0] != content and after[1:] == (shared, data)
    generations.bump(Reach.CONTENT)
    later = parts()
    assert later[0] != after[0] and later[1] != shared and later[2] == data
    generations.bump(Reach.DATA)
    assert all(now != then for now, then in zip(parts(), later, strict=True))
    pagecache.reset()
