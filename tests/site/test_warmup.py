"""The WSGI module does Django's lazy set-up at import, without opening any connection."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import wbportal.wsgi
from django.db import connections
from django.template import engines
from django.urls import get_resolver
loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "urlconf": "wbportal.urls" in sys.modules,
    "reverse_tables": get_resolver()._populated,
    "redis": "redis" in sys.modules,
    "templates": sorted(loader.get_template_cache),
    "database_connections": [a for a in connections if connections[a].connection is not None],
}))
"""


def test_wsgi_import_warms_up_django_without_connecting_to_anything():
    env = dict(
        os.environ,
        DEBUG="0",
        SECRET_KEY="test-only-not-secret-abcdefghijklmnopqrstuvwxyz0123456789",
        # Nothing listens on port 1: any attempt to reach Redis here would fail the import.
        REDIS_URL="redis://127.0.0.1:1/0",
        PAGE_CACHE="1",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state["urlconf"] and state["reverse_tables"] and state["redis"]
    # Every template of templates/ is compiled, the pages' and the includes they use.
    for name in ("base.html", "regions/region_detail.html", "includes/project_card.html"):
        assert name in state["templates"]
    assert state["database_connections"] == []
