"""Which requests belong to a signed-in user, told cheaply.

A session or messages cookie is no proof: anyone can send `Cookie: sessionid=x`. On every
response to a signed-in user we therefore set a second cookie, a timestamped signature
(SECRET_KEY) over a digest of the session key. A request bypasses the page cache only if it
carries both, they match, the signature is younger than SESSION_COOKIE_AGE, and the session
is live and signed in (one session lookup, made only for such requests): a pair kept after sign-out
or copied from an old browser gets the cached page like everyone else. Messages are only
ever written for signed-in staff, so a messages cookie alone proves nothing either.
Everything else is an anonymous visitor: the session and messages cookies are dropped from
the request, so the page is rendered and cached exactly as for a visitor without them.

A user signed in before this marker existed (or whose marker was lost) sees the public
pages until the next admin page sets it again.
"""

import hashlib
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY as SESSION_USER_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.http import HttpRequest
from django.http.response import HttpResponseBase

MARKER_COOKIE = "wbportal_signed_in"
# Named after the package this once lived in: a new salt would void every signed-in marker.
_MARKER_SALT = "wbportal.pagecache.signed-in"


def _digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def _marker_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_MARKER_SALT)


def _verifies(value: str, expected: str) -> bool:
    try:
        payload = _marker_signer().unsign(value, max_age=settings.SESSION_COOKIE_AGE)
    except signing.BadSignature:  # forged, altered or expired
        return False
    return payload == expected


def _session_has_a_user(session_key: str) -> bool:
    """The session is live (not deleted at sign-out, not expired) and signed in."""
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return session.get(SESSION_USER_KEY) is not None


def is_signed_in(request: HttpRequest) -> bool:
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    marker = request.COOKIES.get(MARKER_COOKIE)
    if not session_key or not marker or not _verifies(marker, _digest(session_key)):
        return False
    return _session_has_a_user(session_key)


def is_personal(request: HttpRequest) -> bool:
    """True for a request of a signed-in user (the only readers of messages)."""
    return is_signed_in(request)


def drop_credentials(request: HttpRequest) -> None:
    """Make an anonymous request look like one without cookies to the views below."""
    for name in (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name):
        request.COOKIES.pop(name, None)


def update_marker(request: HttpRequest, response: HttpResponseBase) -> None:
    """Set the marker for a signed-in user's current session; remove it after sign-out."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None:
        return
    if user.is_authenticated and session.session_key:
        expected = _digest(session.session_key)
        if _verifies(request.COOKIES.get(MARKER_COOKIE, ""), expected):
            return
        at_browser_close = settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        response.set_cookie(
            MARKER_COOKIE,
            _marker_signer().sign(expected),
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
