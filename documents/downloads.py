"""A document's file as the reader gets it: only through Django, which first applies the
document page's publication rule (documents.views.DocumentFileView), then either streams the
file itself or hands it to the web server (settings.DOCUMENT_SENDFILE).

The stored file is never served from MEDIA_URL: a withdrawn, draft, scheduled or deleted
document's file is unreachable to the public like its page (docs/operators/deploy.md).
"""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

DOWNLOAD_POLICY = "default-src 'none'; sandbox"


def file_response(document):
    """The response that delivers `document`'s file as a download under its download name."""
    content_type = document.kind.content_type if document.kind else "application/octet-stream"
    if settings.DOCUMENT_SENDFILE == "x-accel-redirect":
        # nginx replaces this empty body with the file from its internal location.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.DOCUMENT_SENDFILE_PREFIX + quote(document.file.name)
    elif settings.DOCUMENT_SENDFILE == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = document.file.path
    else:
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as missing:  # lost from storage: the same 404 as nginx's
            raise Http404 from missing
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document.download_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it after all: no script, no requests, an opaque origin.
    response["Content-Security-Policy"] = DOWNLOAD_POLICY
    return response
