"""The site's URLs with MEDIA_ROOT served at MEDIA_URL after them, as `make run` (DEBUG)
mounts it and as a web server in front used to serve it: the stored file's address must
still not be a way round a document's publication rule."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from wbportal.urls import urlpatterns as site_urlpatterns


def serve_media(request, path):
    # MEDIA_ROOT read per request: each test has its own.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    *site_urlpatterns,
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media),
]
