"""What every app server process would otherwise do on its first requests, done once.

gunicorn preloads the app in its master process and forks the workers from it (see
wbportal/gunicorn.conf.py). Django does much of its set-up lazily, on the first request that
needs it: importing the URLconf (and with it every view, form and filter), building the
reverse-URL tables, loading the translation catalogues, compiling templates, importing the
cache client library. Left lazy, every new worker, at start and each time one is recycled,
pays for it on its first requests: about 300 ms for the first cache hit measured here, while
the requests queued behind it wait (bench/NOTES.md). Done in the master before forking, the
workers inherit it. Nothing here opens a connection: the database and Redis connections are
made by each worker.
"""

from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template.loader import get_template
from django.urls import resolve, reverse
from django.utils import translation

import pagecache


def template_names():
    """The project's own templates (templates/), by the names views load them with."""
    for directory in settings.TEMPLATES[0]["DIRS"]:
        directory = Path(directory)
        for path in sorted(directory.rglob("*.html")):
            yield path.relative_to(directory).as_posix()


def warm_up():
    for alias in settings.CACHES:
        caches[alias]  # instantiates the backend
    pagecache.warm_up()  # builds the page cache's Redis client (imported with it)
    resolve("/")  # imports the URLconf
    reverse("home")  # builds the reverse lookup tables
    for language, _ in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Home")  # loads the catalogues
    for name in template_names():
        get_template(name)  # compiled once, by the cached loader
