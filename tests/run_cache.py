"""Clearing the cache between tests without touching anyone else's keys.

`cache.clear()` on Redis is FLUSHDB: it would delete every key in the database, including the
rate-limit records of another test run sharing that Redis database. The test settings give this
run's cache a key prefix of its own (TEST_CACHE_KEY_PREFIX), and `clear_this_run` deletes only the
keys under it, found with SCAN (which, unlike KEYS, does not block Redis while it walks a large
database). Any other cache (the in-memory one, without Redis) belongs to this process alone and is
simply cleared."""

import re

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache

_BATCH = 500


def _glob_escape(text: str) -> str:
    """`text` as a literal in a Redis MATCH pattern."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)


def clear_this_run(cache: BaseCache) -> int:
    """Delete this cache's keys; on Redis, only those under its key prefix. Returns how many keys
    were deleted on Redis (0 for other caches)."""
    if not isinstance(cache, RedisCache) or not cache.key_prefix:
        cache.clear()
        return 0
    client = cache._cache.get_client(write=True)
    deleted, batch = 0, []
    for key in client.scan_iter(match=f"{_glob_escape(cache.key_prefix)}:*", count=_BATCH):
        batch.append(key)
        if len(batch) == _BATCH:
            deleted += client.delete(*batch)
            batch = []
    if batch:
        deleted += client.delete(*batch)
    return deleted
