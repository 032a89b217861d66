"""Where the page cache keeps what all processes share: Redis, or else a Django cache.

With REDIS_URL set, the page cache talks to Redis through its own redis-py client (public
API: one `redis.Redis` per process, safe to share between threads). Django's Redis backend
builds a new client object for every operation, which was the largest single cost of a hit
in Python (bench/NOTES.md); reaching into its private pool to avoid that is what we no
longer do. Without Redis (a newcomer's machine, the tests) the page cache uses the Django
cache PAGE_CACHE_ALIAS, so a test can configure any cache backend through settings.CACHES.

Both stores offer the same few operations; every one may raise when the server is down or
refuses writes, and the callers decide what that means.
"""

import math
import pickle
from collections.abc import Sequence
from typing import Any, Protocol, overload

# Imported here, not on the first request, so that wbportal.warmup loads it in the gunicorn
# master and every worker inherits it.
import redis
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.signals import setting_changed

# Fail fast when Redis is unreachable: pages are then served uncached and /healthz reports
# the cache down, instead of requests hanging.
SOCKET_TIMEOUT_SECONDS = 1


def _dumps(value: Any) -> bytes:
    # Text is stored as it is (the generation: readable, and rewritable by _SET_SUFFIX).
    if isinstance(value, str):
        return value.encode()
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _loads(data: bytes | str | None) -> Any:
    # Replies are bytes (the client does not decode them); redis-py's types also allow the
    # text of a decoding client.
    if data is None or isinstance(data, str):
        return data
    if data[:1] == b"\x80":  # every pickle of protocol 2 and above starts so; text never
        return pickle.loads(data)
    return data.decode()


# KEYS[1] := (its value without any earlier suffix, or ARGV[2] if unset) .. ARGV[1], expiring
# after ARGV[3] ms; in one step, so that no bump made meanwhile can be overwritten by a value
# built on the one before it.
_SET_SUFFIX = """
local base = ARGV[2]
local current = redis.call('GET', KEYS[1])
if current then base = string.gsub(current, ARGV[4] .. '.*$', '') end
local value = base .. ARGV[1]
redis.call('SET', KEYS[1], value, 'PX', ARGV[3])
return {value, current}
"""

# KEYS[1] := ARGV[1] .. ARGV[2] .. (what follows ARGV[2] in its value, up to ARGV[5] when the
# value ends with it (ARGV[5] starts with ARGV[3]); or ARGV[4] when its value has no ARGV[2]
# or holds any other ARGV[3]), with no expiry; in one step, for the same reason.
# Plain find (not patterns): the markers may hold characters that patterns treat specially.
_SET_KEEPING_TAIL = """
local tail = ARGV[4]
local current = redis.call('GET', KEYS[1])
if current then
  local cut = string.find(current, ARGV[3], 1, true)
  local own = cut and ARGV[5] ~= '' and string.sub(current, cut) == ARGV[5]
  if own then current = string.sub(current, 1, cut - 1) end
  if own or not cut then
    local at = string.find(current, ARGV[2], 1, true)
    if at then tail = string.sub(current, at + string.len(ARGV[2])) end
  end
end
local value = ARGV[1] .. ARGV[2] .. tail
redis.call('SET', KEYS[1], value)
return value
"""


def keeping_tail(
    current: str | None, head: str, marker: str, cut: str, default: str, own: str = ""
) -> str:
    """What `set_keeping_tail` writes, given the current value (the Redis script's rule)."""
    tail = default
    if current is not None:
        if own and own.startswith(cut) and current.endswith(own):
            current = current[: -len(own)]
        if cut not in current and marker in current:
            tail = current.split(marker, 1)[1]
    return head + marker + tail


@overload
def _milliseconds(timeout: float) -> int: ...
@overload
def _milliseconds(timeout: None) -> None: ...
def _milliseconds(timeout: float | None) -> int | None:
    return None if timeout is None else max(1, math.ceil(timeout * 1000))


class Store(Protocol):
    """What the page cache asks of the shared store (values are whatever was stored: the
    generation text, a page entry, a lock or a counter)."""

    def get(self, key: str) -> Any: ...
    def get_many(self, keys: Sequence[str]) -> dict[str, Any]: ...
    def set(self, key: str, value: Any, timeout: float | None = None) -> None: ...
    def add(self, key: str, value: Any, timeout: float | None = None) -> bool: ...
    def set_suffix(
        self, key: str, suffix: str, default: str, marker: str, timeout: float
    ) -> tuple[str, str | None]: ...
    def set_keeping_tail(
        self, key: str, head: str, marker: str, cut: str, default: str, own: str = ""
    ) -> str: ...
    def delete(self, key: str) -> None: ...
    def incr(self, key: str, timeout: float) -> int: ...


class RedisStore:
    def __init__(self, url: str, prefix: str) -> None:
        # from_url() does not connect: the first command does.
        self.client = redis.Redis.from_url(
            url,
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
            socket_timeout=SOCKET_TIMEOUT_SECONDS,
        )
        self.prefix = f"{prefix}:" if prefix else ""
        self._set_suffix = self.client.register_script(_SET_SUFFIX)
        self._set_keeping_tail = self.client.register_script(_SET_KEEPING_TAIL)

    def _key(self, key: str) -> str:
        return self.prefix + key

    def get(self, key: str) -> Any:
        return _loads(self.client.get(self._key(key)))

    def get_many(self, keys: Sequence[str]) -> dict[str, Any]:
        values = self.client.mget([self._key(key) for key in keys])
        return {
            key: _loads(value) for key, value in zip(keys, values, strict=True) if value is not None
        }

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        """timeout in seconds (a float is fine); None keeps the value until it is evicted."""
        self.client.set(self._key(key), _dumps(value), px=_milliseconds(timeout))

    def add(self, key: str, value: Any, timeout: float | None = None) -> bool:
        """Set only if absent; True if this call set it."""
        data = _dumps(value)
        return bool(self.client.set(self._key(key), data, nx=True, px=_milliseconds(timeout)))

    def set_suffix(
        self, key: str, suffix: str, default: str, marker: str, timeout: float
    ) -> tuple[str, str | None]:
        """Text `key` := its value up to any `marker` (or `default` if unset) + `suffix`,
        atomically; (the new value, the value before it or None)."""
        args: list[str | int] = [suffix, default, _milliseconds(timeout), marker]
        # A Lua table ends at its first nil: no value before comes back as a list of one.
        value, *before = self._set_suffix(keys=[self._key(key)], args=args)
        return _loads(value), _loads(before[0]) if before else None

    def set_keeping_tail(
        self, key: str, head: str, marker: str, cut: str, default: str, own: str = ""
    ) -> str:
        """Text `key` := `head` + `marker` + the part of its value after `marker`, or `default`
        when there is none or the value holds `cut` other than as its ending `own` (which
        starts with `cut`: a suffix the caller wrote itself); atomically, no expiry."""
        args = [head, marker, cut, default, own]
        return _loads(self._set_keeping_tail(keys=[self._key(key)], args=args))

    def delete(self, key: str) -> None:
        self.client.delete(self._key(key))

    def incr(self, key: str, timeout: float) -> int:
        """Add one to a counter (created at 1, expiring after `timeout`); the new count."""
        with self.client.pipeline(transaction=True) as pipe:
            pipe.incr(self._key(key))
            pipe.expire(self._key(key), math.ceil(timeout))
            count, _ = pipe.execute()
        return count


class DjangoCacheStore:
    """The same operations on a Django cache (looked up on each call: tests swap CACHES)."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    @property
    def cache(self) -> BaseCache:
        return caches[self.alias]

    def get(self, key: str) -> Any:
        return self.cache.get(key)

    def get_many(self, keys: Sequence[str]) -> dict[str, Any]:
        return self.cache.get_many(keys)

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        self.cache.set(key, value, timeout=None if timeout is None else math.ceil(timeout))

    def add(self, key: str, value: Any, timeout: float | None = None) -> bool:
        return self.cache.add(key, value, timeout=None if timeout is None else math.ceil(timeout))

    def delete(self, key: str) -> None:
        self.cache.delete(key)

    def set_suffix(
        self, key: str, suffix: str, default: str, marker: str, timeout: float
    ) -> tuple[str, str | None]:
        # Not atomic: this store serves one process (development, tests) or a Django cache
        # that has no such operation.
        current = self.cache.get(key)
        value = (default if current is None else current.split(marker)[0]) + suffix
        self.set(key, value, timeout)
        return value, current

    def set_keeping_tail(
        self, key: str, head: str, marker: str, cut: str, default: str, own: str = ""
    ) -> str:
        # Not atomic either (see set_suffix).
        value = keeping_tail(self.cache.get(key), head, marker, cut, default, own)
        self.set(key, value)
        return value

    def incr(self, key: str, timeout: float) -> int:
        self.cache.add(key, 0, timeout=math.ceil(timeout))
        return self.cache.incr(key)


_store: Store | None = None


def shared_store() -> Store:
    """This process's store (built on first use, without connecting)."""
    global _store
    if _store is None:
        if settings.REDIS_URL:
            _store = RedisStore(settings.REDIS_URL, settings.CACHE_KEY_PREFIX)
        else:
            _store = DjangoCacheStore(settings.PAGE_CACHE_ALIAS)
    return _store


def forget_store(**kwargs: Any) -> None:
    global _store
    _store = None


def _on_setting_changed(setting: str, **kwargs: Any) -> None:
    if setting in ("REDIS_URL", "CACHE_KEY_PREFIX", "PAGE_CACHE_ALIAS"):
        forget_store()


setting_changed.connect(_on_setting_changed, dispatch_uid="pagecache.shared")
