"""Cache backends for the page cache's tests, configured through settings.CACHES.

Both are the local-memory cache (sharing their data by LOCATION, across threads too), with
only public cache methods overridden.
"""

import threading

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import OutOfMemoryError

_written = set()
_written_lock = threading.Lock()


class RecordingCache(LocMemCache):
    """Remembers the keys written to it, so a test can count what is stored."""

    def _record(self, key, version):
        with _written_lock:
            _written.add((key, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout, version)
        self._record(key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        added = super().add(key, value, timeout, version)
        if added:
            self._record(key, version)
        return added

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        failed = super().set_many(data, timeout, version)
        for key in data:
            self._record(key, version)
        return failed

    def clear(self):
        super().clear()
        with _written_lock:
            _written.clear()

    def keys(self, prefix):
        """The keys starting with `prefix` that are still in the cache."""
        with _written_lock:
            candidates = list(_written)
        return sorted(
            key
            for key, version in candidates
            if key.startswith(prefix) and self.has_key(key, version)
        )


class WriteRefusingCache(RecordingCache):
    """Answers reads, refuses every write: what Redis does at `maxmemory` with the default
    `noeviction` policy."""

    def _refuse(self, *args, **kwargs):
        raise OutOfMemoryError("command not allowed when used memory > 'maxmemory'.")

    set = add = set_many = incr = decr = delete = delete_many = touch = _refuse
