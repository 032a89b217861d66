"""Security: headers on every response, login throttling, deploy checks, upload limits."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from tests.factories import ProjectFactory, RegionFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "pR0d-" + "k3y_Zx9" * 9,
    "ALLOWED_HOSTS": "wb.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://wb.example.org",
    "SITE_URL": "https://wb.example.org",
}
# Variables the test run sets (pytest-env, make test) that production does not.
RUN_VARIABLES = {
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "STATIC_PLAIN_STORAGE", "REDIS_URL",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "TRUST_X_FORWARDED_PROTO",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "AXES_FAILURE_LIMIT", "AXES_COOLOFF_MINUTES",
    "DJANGO_SETTINGS_MODULE", "SITE_URL",
    # Set for the session by the browser tests (pytest-django's live_server under Playwright).
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}  # fmt: skip


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in RUN_VARIABLES}
    env.update(PRODUCTION_ENV)
    env.update(extra)
    return env


def settings_in_subprocess(*names, **env):
    code = (
        "import json, wbportal.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# Deployment settings


def test_check_deploy_is_clean_with_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_when_https_protections_are_switched_off():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
    assert "security.W004" in result.stderr + result.stdout


def test_https_protections_are_on_by_default_and_switchable_for_a_plain_http_trial():
    names = [
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER",
    ]  # fmt: skip
    on = settings_in_subprocess(*names)
    assert on["SECURE_SSL_REDIRECT"] is True
    assert on["SECURE_HSTS_SECONDS"] >= 31536000
    assert on["SESSION_COOKIE_SECURE"] is True and on["CSRF_COOKIE_SECURE"] is True
    assert on["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    off = settings_in_subprocess(
        *names,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        TRUST_X_FORWARDED_PROTO="0",
    )
    assert off == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_login_throttling_is_configurable_by_environment():
    read = settings_in_subprocess(
        "AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="30"
    )
    assert read == {"AXES_FAILURE_LIMIT": 3, "AXES_COOLOFF_TIME": "0:30:00"}


def test_production_settings_without_secret_key_fail_loudly():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr


# Headers


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_public_pages_get_the_strict_policy_and_security_headers(client):
    region = RegionFactory()
    project = ProjectFactory()
    for url in (
        "/",
        region.get_absolute_url(),
        "/projects/",
        project.get_absolute_url(),
        "/contacts/",
        "/statistics/",
        "/no-such-page/",
    ):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        directives = csp_directives(response)
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert directives["object-src"] == ["'none'"], url
        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header
        assert "http:" not in header and "https:" not in header and "*" not in header
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response["X-Frame-Options"] == "DENY", url


@pytest.mark.django_db
@pytest.mark.parametrize("page_cache", [False, True])
@pytest.mark.parametrize("ssl_redirect", [False, True])
def test_a_disallowed_host_is_refused_with_the_security_headers(settings, page_cache, ssl_redirect):
    """The 400 comes from whichever middleware reads the host first, before the ones that add
    the policy and the frame denial."""
    from django.test import Client

    settings.PAGE_CACHE = page_cache
    settings.SECURE_SSL_REDIRECT = ssl_redirect
    response = Client(raise_request_exception=False).get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert csp_directives(response)["default-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.django_db
def test_only_the_admin_gets_the_relaxed_policy(admin_client):
    for url in ("/admin/", "/admin/regions/region/", "/admin/login/"):
        response = admin_client.get(url)
        directives = csp_directives(response)
        assert "'unsafe-inline'" in directives["style-src"], url
        # Only the site's own scripts, in the admin too (the Markdown editor needs no more).
        assert directives["script-src"] == ["'self'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
    # A public page requested by the same logged-in staff member stays strict.
    assert "unsafe-inline" not in admin_client.get("/")["Content-Security-Policy"]


def test_the_admin_policy_has_no_third_party_source():
    for policy in (settings.CONTENT_SECURITY_POLICY, settings.ADMIN_CONTENT_SECURITY_POLICY):
        for sources in policy["DIRECTIVES"].values():
            for source in sources:
                assert source.startswith("'") or source == "data:", source


# Login throttling


def login(client, username, password, ip="203.0.113.5"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


HOME, ELSEWHERE = "203.0.113.5", "198.51.100.7"
RIGHT = "correct horse battery staple"  # the factories' password


@pytest.mark.django_db
def test_repeated_failures_lock_out_the_user_from_that_address_until_the_cool_off_expires(
    client,
):
    UserFactory(username="editor1", is_staff=True)
    limit = settings.AXES_FAILURE_LIMIT
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(limit - 1):
            response = login(client, "editor1", "wrong")
            assert response.status_code == 200  # the form again, with an error
        locked = login(client, "editor1", "wrong")
        assert locked.status_code == 429
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        assert f"Try again in {minutes} minutes." in locked.content.decode()
        # Now even the right password is refused for this user from this address...
        assert login(client, "editor1", RIGHT).status_code == 429

    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
        response = login(client, "editor1", RIGHT)
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(client):
    """Knowing a colleague's user name is not enough to lock them out."""
    UserFactory(username="editor1", is_staff=True)
    UserFactory(username="editor2", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "editor1", "wrong", ip=HOME)
    assert login(client, "editor1", RIGHT, ip=HOME).status_code == 429
    # The same user from another address, and another user from this one, still log in.
    assert login(client, "editor1", RIGHT, ip=ELSEWHERE).status_code == 302
    client.logout()
    assert login(client, "editor2", RIGHT, ip=HOME).status_code == 302


@pytest.mark.django_db
def test_failures_spread_over_many_addresses_lock_the_user_name(client, settings):
    UserFactory(username="editor1", is_staff=True)
    UserFactory(username="editor2", is_staff=True)
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 12
    per_address = settings.AXES_FAILURE_LIMIT - 1  # each address stays under axes' limit
    addresses = [f"192.0.2.{n}" for n in range(1, 10)]
    failures = 0
    for address in addresses:
        for _ in range(per_address):
            failures += 1
            response = login(client, "editor1", "wrong", ip=address)
            expected = 429 if failures >= settings.LOGIN_USERNAME_FAILURE_LIMIT else 200
            assert response.status_code == expected, failures
    # The user name is locked from every address, a fresh one too...
    assert login(client, "editor1", RIGHT, ip=ELSEWHERE).status_code == 429
    # ...and a different user is not, from those addresses either.
    assert login(client, "editor2", RIGHT, ip=addresses[0]).status_code == 302


@pytest.mark.django_db
def test_one_address_guessing_many_user_names_is_locked(client, settings):
    """One password tried on many names, each under axes' own limit."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    UserFactory(username="editor1", is_staff=True)
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        assert login(client, f"name{n}", "wrong", ip=HOME).status_code == 200
    assert login(client, "name-last", "wrong", ip=HOME).status_code == 429
    assert login(client, "editor1", RIGHT, ip=HOME).status_code == 429
    assert login(client, "editor1", RIGHT, ip=ELSEWHERE).status_code == 302


def test_the_wider_limits_are_higher_than_axes_own():
    assert settings.LOGIN_USERNAME_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT


@pytest.mark.django_db
def test_the_client_address_behind_trusted_proxies(rf):
    from wbportal.security import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert client_ip(request) == "10.0.0.2"  # a forged header is ignored
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "203.0.113.9"  # not the forgeable left-most entry


# Uploads


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_before_it_is_read(client):
    big = SimpleUploadedFile("data.csv", b"x" * 4096, content_type="text/csv")
    with override_settings(UPLOAD_MAX_REQUEST_BYTES=1024):
        response = client.post("/admin/login/", {"file": big})
    assert response.status_code == 400
    small = SimpleUploadedFile("data.csv", b"x" * 100, content_type="text/csv")
    with override_settings(UPLOAD_MAX_REQUEST_BYTES=1024):
        response = client.post("/admin/login/", {"file": small})
    assert response.status_code == 200  # the login form again, not a refusal


def test_upload_limits_are_sensible():
    assert settings.UPLOAD_MAX_REQUEST_BYTES > settings.IMPORT_MAX_UPLOAD_BYTES
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.FILE_UPLOAD_HANDLERS[0] == "wbportal.uploads.RequestSizeLimitUploadHandler"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


@pytest.mark.django_db
def test_static_files_get_the_security_headers_too(client):
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
