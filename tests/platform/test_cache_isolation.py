"""Two test runs sharing one Redis database each clear only their own cache keys."""

import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from tests.run_cache import clear_this_run

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs Redis (REDIS_URL), as scripts/test gives")


def _run_cache(prefix: str) -> RedisCache:
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


@needs_redis
def test_clearing_one_runs_keys_leaves_another_runs_keys():
    ours, theirs = _run_cache(f"ours-{uuid.uuid4().hex}"), _run_cache(f"theirs-{uuid.uuid4().hex}")
    try:
        for n in range(3):
            ours.set(f"rate-limit-{n}", n)
            theirs.set(f"rate-limit-{n}", n)
        assert clear_this_run(ours) == 3
        assert [ours.get(f"rate-limit-{n}") for n in range(3)] == [None, None, None]
        assert [theirs.get(f"rate-limit-{n}") for n in range(3)] == [0, 1, 2]
    finally:
        clear_this_run(theirs)
    assert theirs.get("rate-limit-0") is None


@needs_redis
def test_keys_without_the_prefix_are_left_alone():
    prefix = f"run-{uuid.uuid4().hex}"
    ours, client = _run_cache(prefix), _run_cache("")._cache.get_client(write=True)
    stranger = f"{prefix}-other:1:key"  # starts like ours, but is not under "<prefix>:"
    client.set(stranger, b"1")
    try:
        ours.set("key", 1)
        clear_this_run(ours)
        assert client.get(stranger) == b"1"
        assert ours.get("key") is None
    finally:
        client.delete(stranger)


@needs_redis
def test_this_runs_cache_has_a_prefix_of_its_own():
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    assert cache.key_prefix == settings.TEST_CACHE_KEY_PREFIX
    assert cache.key_prefix.startswith("test-")
    assert os.environ["TEST_CACHE_KEY_PREFIX"] == cache.key_prefix  # a worker process shares it


def test_an_in_memory_cache_is_simply_cleared():
    local = LocMemCache(f"test-{uuid.uuid4().hex}", {})
    local.set("key", 1)
    assert clear_this_run(local) == 0
    assert local.get("key") is None
