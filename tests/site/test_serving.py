"""Smoke test: the production settings start under gunicorn and serve a page and a static file.

Starts a real gunicorn (DEBUG off, hashed + compressed static files collected into a temporary
directory, its own SQLite file) on a free port, and stops it at the end.
"""

import gc
import json
import os
import re
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def gunicorn_server(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "PAGE_CACHE", "STATIC_PLAIN_STORAGE"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="smoke-test-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        GUNICORN_ACCESS_LOG="",
    )
    for command in (
        ["collectstatic", "--no-input"],
        ["migrate", "--no-input"],
        ["load_demo", "--without-source-files"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command, "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    log = open(tmp_path / "gunicorn.log", "w")  # closed in `finally`
    process = subprocess.Popen(
        [BIN / "gunicorn", "-c", "wbportal/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                fetch(base + "/healthz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        f"gunicorn did not start:\n{(tmp_path / 'gunicorn.log').read_text()}"
                    )
                time.sleep(0.2)
        yield base, tmp_path / "static"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def test_production_settings_serve_a_page_and_a_static_file(gunicorn_server):
    base, static_root = gunicorn_server

    status, headers, body = fetch(base + "/healthz")
    assert status == 200
    assert json.loads(body) == {"database": "ok", "cache": "ok"}

    status, headers, body = fetch(base + "/regions/western-balkans/")
    assert status == 200
    assert headers["Server"].startswith("gunicorn")
    html = body.decode()
    assert "Western Balkans" in html
    assert headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert headers["ETag"]

    # The page links the hashed stylesheet (manifest storage), served with immutable headers.
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
    assert (static_root / stylesheet.removeprefix("/static/")).exists()
    status, headers, body = fetch(base + stylesheet)
    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    assert body == (static_root / stylesheet.removeprefix("/static/")).read_bytes()

    # DEBUG is off: an unknown page is a plain 404, without Django's debug page.
    status, _, body = fetch(base + "/no-such-page/")
    assert status == 404
    assert b"URLconf" not in body


def test_workers_fork_with_the_preloaded_app_out_of_reach_of_the_garbage_collector():
    """gunicorn calls pre_fork in the master before each worker: it must freeze the heap."""
    config = runpy.run_path(str(ROOT / "wbportal" / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    assert gc.get_freeze_count() == 0
    try:
        config["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
