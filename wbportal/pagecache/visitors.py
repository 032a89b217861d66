"""Which requests belong to a signed-in user, told without a database query.

A session or messages cookie is no proof: anyone can send `Cookie: sessionid=x`. On every
response to a signed-in user we therefore set a second cookie, a signature (SECRET_KEY) over
a digest of the session key; a request bypasses the page cache only if it carries both and
they match, or a messages cookie whose signature Django's message storage would accept.
Everything else is an anonymous visitor: the session and messages cookies are dropped from
the request, so the page is rendered and cached exactly as for a visitor without them.

A user signed in before this marker existed (or whose marker was lost) sees the public
pages until the next admin page sets it again.
"""

import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing

MARKER_COOKIE = "wbportal_signed_in"
_MARKER_SALT = "wbportal.pagecache.signed-in"


def _digest(session_key):
    return hashlib.sha256(session_key.encode()).hexdigest()


def _verifies(signer, value, expected=None):
    try:
        payload = signer.unsign(value)
    except signing.BadSignature:
        return False
    return expected is None or payload == expected


def is_signed_in(request):
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    marker = request.COOKIES.get(MARKER_COOKIE)
    if not session_key or not marker:
        return False
    signer = signing.get_cookie_signer(salt=_MARKER_SALT)
    return _verifies(signer, marker, _digest(session_key))


def has_messages(request):
    value = request.COOKIES.get(CookieStorage.cookie_name)
    if not value:
        return False
    return _verifies(signing.get_cookie_signer(salt=CookieStorage.key_salt), value)


def is_personal(request):
    """True for a request of a signed-in user or carrying a real message for its reader."""
    return is_signed_in(request) or has_messages(request)


def drop_credentials(request):
    """Make an anonymous request look like one without cookies to the views below."""
    for name in (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name):
        request.COOKIES.pop(name, None)


def update_marker(request, response):
    """Set the marker for a signed-in user's current session; remove it after sign-out."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None:
        return
    if user.is_authenticated and session.session_key:
        expected = _digest(session.session_key)
        signer = signing.get_cookie_signer(salt=_MARKER_SALT)
        if _verifies(signer, request.COOKIES.get(MARKER_COOKIE, ""), expected):
            return
        at_browser_close = settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        response.set_cookie(
            MARKER_COOKIE,
            signer.sign(expected),
            max_age=None if at_browser_close else settings.SESSION_COOKIE_AGE,
            domain=settings.SESSION_COOKIE_DOMAIN,
            path=settings.SESSION_COOKIE_PATH,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite=settings.SESSION_COOKIE_SAMESITE,
        )
    elif MARKER_COOKIE in request.COOKIES:
        response.delete_cookie(
            MARKER_COOKIE,
            path=settings.SESSION_COOKIE_PATH,
            domain=settings.SESSION_COOKIE_DOMAIN,
            samesite=settings.SESSION_COOKIE_SAMESITE,
        )
