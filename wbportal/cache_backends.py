"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` object for every cache operation, and
building one fills its table of ~170 response callbacks: on a page-cache hit that was the
largest single cost in Python (bench/results.md). A `redis.Redis` is safe to share between
threads (each command takes a connection from the pool), so one per pool is enough.
Everything else (pools, serializer, options, behaviour) is Django's own.
"""

# Imported here, not lazily on the first cache operation as Django does, so that
# wbportal.warmup imports it in the gunicorn master (about 160 ms a worker otherwise).
import redis  # noqa: F401
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
