"""The Nu HTML Checker (npm vnu-jar, on the machine's Java) finds no errors on any page type.

vnu takes a few seconds to start, so all pages are checked in one run: each page's HTML is
written to a file and the files are passed together.
"""

import json
import subprocess
from pathlib import PurePath

from django.test import RequestFactory
from django.views.defaults import server_error

from .conftest import PAGES, VNU_JAR

# A document with a known error, checked in the same run: proves vnu really read the files.
CANARY_NAME = "zz-canary-invalid"
CANARY_HTML = (
    '<!DOCTYPE html><html lang="en"><head><title>c</title></head>'
    "<body><p><div></div></p></body></html>"
)


def run_vnu(files):
    completed = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report to standard error.
    try:
        report = json.loads(completed.stderr)
    except json.JSONDecodeError as error:
        raise AssertionError(
            f"vnu did not produce a JSON report (exit {completed.returncode}): {error}\n"
            f"stdout: {completed.stdout}\nstderr: {completed.stderr}"
        ) from None
    errors = {}
    for message in report["messages"]:
        name = PurePath(message.get("url", "")).stem
        errors.setdefault(name, []).append(message)
    return errors


def format_errors(paths, errors):
    lines = []
    for name, messages in sorted(errors.items()):
        lines.append(f"{paths.get(name, name)}: {len(messages)} error(s)")
        for m in messages:
            where = (
                f"line {m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}"
            )
            extract = " ".join(m.get("extract", "").split())
            lines.append(f"    {where}: {m['message']}  [{extract}]")
    return "\n".join(lines)


def test_every_page_is_valid_html(client, demo, tmp_path):
    paths = {}
    files = []
    for name, path, status in PAGES:
        response = client.get(path)
        assert response.status_code == status, f"{path} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), path
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(file)
        paths[name] = path
    # The 500 page as Django's handler renders it (no request context, no database).
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    file = tmp_path / "server-error.html"
    file.write_bytes(response.content)
    files.append(file)
    paths["server-error"] = "the 500 page"

    canary = tmp_path / f"{CANARY_NAME}.html"
    canary.write_text(CANARY_HTML, encoding="utf-8")

    errors = run_vnu([*files, canary])

    assert errors.pop(CANARY_NAME, None), "vnu did not report the canary's error: did it run?"
    assert errors == {}, "Nu HTML Checker errors:\n" + format_errors(paths, errors)
