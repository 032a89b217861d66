"""Settings come from the environment; unsafe combinations refuse to start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_python(code, **env):
    """Run `code` in a fresh interpreter with no settings variable but these."""
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def load_settings(**env):
    """Import wbportal.settings in a fresh interpreter with exactly these variables."""
    return run_python(
        "import json, wbportal.settings as s; "
        "print(json.dumps({'DEBUG': s.DEBUG, 'CACHE': s.CACHES['default']['BACKEND'], "
        "'ENGINE': s.DATABASES['default']['ENGINE'], 'HOSTS': s.ALLOWED_HOSTS, "
        "'CSRF': s.CSRF_TRUSTED_ORIGINS, 'SSL_REDIRECT': s.SECURE_SSL_REDIRECT, "
        "'HSTS': s.SECURE_HSTS_SECONDS, 'SITE_URL': s.SITE_URL}))",
        **env,
    )


SETTINGS_VARIABLES = {
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL", "REDIS_URL",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "STATIC_PLAIN_STORAGE", "SITE_URL",
}  # fmt: skip


def test_debug_off_without_secret_key_refuses_to_start():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr


def test_default_is_debug_off_and_needs_a_key():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_off_without_site_url_refuses_to_start():
    """Absolute URLs come only from SITE_URL: without it production would have none to use
    (and falling back to the request's Host would let one visitor's host into cached pages)."""
    result = load_settings(DEBUG="0", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "SITE_URL is not set and DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    "value",
    [
        "wb.example.org",
        "//wb.example.org",
        "ftp://wb.example.org",
        "https://",
        "https://wb.example.org/portal",
        "https://wb.example.org/?x=1",
        "https://wb.example.org?",
        "https://wb.example.org/#top",
        "https://user:pw@wb.example.org",
        "https://wb.example.org:99999",
        "https://wb.example.org:port",
    ],
)
def test_a_site_url_that_is_not_scheme_and_host_refuses_to_start(value):
    result = load_settings(DEBUG="0", SECRET_KEY="x" * 60, SITE_URL=value)
    assert result.returncode != 0
    assert f"SITE_URL={value!r} is not the site's address" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://wb.example.org", "https://wb.example.org"),
        ("https://wb.example.org/", "https://wb.example.org"),
        (" http://127.0.0.1:8001 ", "http://127.0.0.1:8001"),
        ("HTTPS://wb.example.org", "https://wb.example.org"),
    ],
)
def test_site_url_is_read_as_scheme_and_host(value, expected):
    import json

    result = load_settings(DEBUG="0", SECRET_KEY="x" * 60, SITE_URL=value)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["SITE_URL"] == expected


def test_debug_on_defaults_site_url_to_runservers_address():
    import json

    result = load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["SITE_URL"] == "http://127.0.0.1:8000"


def test_production_environment_is_read():
    import json

    result = load_settings(
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="wb.example.org, www.wb.example.org",
        CSRF_TRUSTED_ORIGINS="https://wb.example.org",
        SITE_URL="https://wb.example.org",
        DATABASE_URL="postgres://user@db.example.org:5432/wbportal",
        REDIS_URL="redis://cache.example.org:6379/0",
    )
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["DEBUG"] is False
    assert settings["HOSTS"] == ["wb.example.org", "www.wb.example.org"]
    assert settings["CSRF"] == ["https://wb.example.org"]
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert settings["CACHE"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["SSL_REDIRECT"] is True
    assert settings["HSTS"] > 0
    assert settings["SITE_URL"] == "https://wb.example.org"


def test_local_defaults_are_sqlite_and_local_memory_cache():
    import json

    result = load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings["SSL_REDIRECT"] is False


def test_a_malformed_boolean_is_a_clear_error():
    result = load_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.django_db
def test_stdlib_statistics_still_works_for_django_sqlite_backend():
    """Our app shadows stdlib `statistics`; Django's SQLite aggregates need the real one."""
    import statistics

    from django.db.models import StdDev

    from tests.factories import ObservationFactory

    assert statistics.median([1, 3, 2]) == 2
    assert statistics.__file__.endswith(os.path.join("statistics", "__init__.py"))
    for value in (2, 4, 4, 4, 5, 5, 7, 9):
        ObservationFactory(
            value=value, category=str(value) + str(ObservationFactory._meta.model.objects.count())
        )
    from statistics.models import Observation

    spread = Observation.objects.aggregate(spread=StdDev("value"))["spread"]
    assert round(float(spread), 6) == 2.0


def django_request_log(**env):
    """What one warning of Django's request logger (a 404's "Not Found") prints."""
    result = run_python(
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('Not Found: /no-such-page/')",
        **{"DEBUG": "1", "SECRET_KEY": "test-only", "LOG_LEVEL": "INFO", **env},
        DJANGO_SETTINGS_MODULE="wbportal.settings",
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_django_messages_are_printed_once_by_default():
    assert django_request_log().count("Not Found: /no-such-page/") == 1


def test_log_level_also_quiets_djangos_own_messages():
    assert "Not Found" not in django_request_log(LOG_LEVEL="ERROR")


def test_a_wrong_host_is_logged_in_one_line_without_a_traceback():
    """Anyone can send a wrong Host header at will: each is one log line, not a traceback."""
    result = run_python(
        "import django; django.setup(); "
        "from django.test import Client; "
        "print(Client(raise_request_exception=False).get('/', headers={'host': 'evil.example'})"
        ".status_code)",
        **{"DEBUG": "0", "SECRET_KEY": "test-only-" + "x" * 50, "ALLOWED_HOSTS": "good.example"},
        SITE_URL="https://good.example",
        DJANGO_SETTINGS_MODULE="wbportal.settings",
        SECURE_SSL_REDIRECT="0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "400"
    assert result.stderr.count("Invalid HTTP_HOST header: 'evil.example'") == 1
    assert "Traceback" not in result.stderr
