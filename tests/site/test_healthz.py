from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import override_settings

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Port 1 on localhost: nothing listens, the connection is refused at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_healthy_answers_200_with_each_check_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "max-age=0" in cache_control
    assert "X-Page-Cache" not in response
    # A second call is answered afresh too (not from the page cache).
    assert client.get("/healthz").json() == {"database": "ok", "cache": "ok"}


def test_head_is_allowed_and_post_is_not(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_cache_down_answers_503_naming_the_cache_without_leaking_settings(client):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "down"}
    body = response.content.decode()
    assert "127.0.0.1" not in body and "redis" not in body.lower()


def test_database_down_answers_503_naming_the_database(client):
    error = OperationalError('connection to server at "10.9.8.7", port 5432 failed')
    with mock.patch.object(connections["default"], "cursor", side_effect=error):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "cache": "ok"}
    assert "10.9.8.7" not in response.content.decode()


def test_both_down(client):
    error = OperationalError("no database")
    with (
        override_settings(CACHES=UNREACHABLE_REDIS),
        mock.patch.object(connections["default"], "cursor", side_effect=error),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "cache": "down"}


@override_settings(SECURE_SSL_REDIRECT=True)
def test_health_check_is_exempt_from_the_https_redirect(client):
    # A load balancer may probe the app server over plain HTTP.
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
