import logging

from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

import pagecache

logger = logging.getLogger(__name__)


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "down"; details go to the log only
        logger.exception("Health check: the database does not answer.")
        return "down"
    return "ok"


def cache_status():
    return pagecache.status()


@require_safe
def healthz(request):
    """200 when the database and the cache answer, else 503 naming what is down.

    For load balancers and monitoring: says only "ok"/"down" per dependency, never a host
    name, URL or error text; never cached.
    """
    checks = {"database": database_status(), "cache": cache_status()}
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse(checks, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response
