"""WB Portal settings: one module, driven by environment variables with safe defaults.

Every variable is listed in docs/operators/deploy.md. Defaults are the safe ones (DEBUG off, HTTPS
protections on); `make run` turns on what local development needs.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    normalised = value.strip().lower()
    if normalised in {"1", "true", "yes", "on"}:
        return True
    if normalised in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1/0, true/false, yes/no.")


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from error


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_site_url(name):
    """The site's public address from `name` ("" when unset), as scheme://host[:port]."""
    value = os.environ.get(name, "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or not port_ok
        or parts.username is not None
        or parts.password is not None
        or parts.path not in {"", "/"}
        or "?" in value
        or "#" in value
    ):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not the site's address: give scheme and host only, such as "
            "https://wb.example.org (http or https, an optional port, no path or query)."
        )
    return f"{parts.scheme}://{parts.netloc}"


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off. Set SECRET_KEY to a long random value "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), or set DEBUG=1 "
            "for local development only."
        )
    # Only reachable with DEBUG on: a development key that protects nothing real.
    SECRET_KEY = "django-insecure-wbportal-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "audit.admin_app.AuditedAdminConfig",  # Django's admin, its steps recorded in the audit log
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",  # search lookups (unaccent, trigram); inert on SQLite
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "wbportal",
    "richtext",
    "formatting",
    "staff",
    "pagecache",
    "publishing",
    "search",
    "regions",
    "projects",
    "statistics",
    "pages",
    "links",
    "documents",
    "library",
    "audit",
    "scheduler",
    "iati",
    "api",
    # django-ninja's templates and static files: the API docs page serves Swagger UI from
    # our own static files, never from a CDN (the site's CSP allows only 'self').
    "ninja",
    "corsheaders",
]

MIDDLEWARE = [
    # Security headers on responses refused before the middleware below (wbportal/security.py).
    "wbportal.security.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS for reading the API and the open-data files (CORS_URLS_REGEX), above the page
    # cache and the rate limit so that a cached answer and a 429 carry it too.
    "corsheaders.middleware.CorsMiddleware",
    # The API's rate limit per client (api/ratelimit.py), above the page cache: a cached
    # answer counts too.
    "api.ratelimit.ApiRateLimitMiddleware",
    # Before sessions: a cache hit skips everything below (pagecache/).
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Every admin POST in one transaction; a failed page-cache bump rolls it back (a 503).
    # After CsrfViewMiddleware: it answers from process_view.
    "pagecache.middleware.AdminWriteMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response; a relaxed policy under /admin/ only.
    "wbportal.security.CSPMiddleware",
    # Records the logged-in user as history_user on every change.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Login throttling: must stay last.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses logins while a user name or address is locked out: must stay first.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "wbportal.urls"
WSGI_APPLICATION = "wbportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wbportal.context_processors.site",
                "wbportal.context_processors.site_settings",
            ],
        },
    },
]

# SQLite file by default so a newcomer needs no server; DATABASE_URL for PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "wbportal")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's own Redis backend. The page cache has its own client on REDIS_URL
            # (pagecache/shared.py).
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # Fail fast when Redis is unreachable: pages are then served uncached and
            # /healthz reports the cache down, instead of requests hanging.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public page cache (pagecache/): anonymous GET/HEAD pages in Redis (REDIS_URL; else
# the cache PAGE_CACHE_ALIAS), invalidated by any content change. On by default only with Redis: a
# process-local cache cannot be invalidated across gunicorn workers or app servers, so with
# it an edit handled by one worker would leave the others serving the old page. (Tests run
# in one process and turn it on explicitly.)
PAGE_CACHE = env_bool("PAGE_CACHE", bool(REDIS_URL))
PAGE_CACHE_ALIAS = "default"
# Whether every process serving the site reads one generation (pagecache.generation) from a
# shared store: what is kept under it (the indicator pages' and region pages' fragments,
# chart files, the site settings) is kept only then. Off without Redis: each worker's
# local-memory cache would hold a generation of its own, which an edit handled by another
# worker does not move. (Tests run in one process and turn it on.)
PAGE_CACHE_GENERATION_SHARED = env_bool("PAGE_CACHE_GENERATION_SHARED", bool(REDIS_URL))
# Upper bound of a cached page's life; changes invalidate it earlier, and the next scheduled
# publication caps it.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Bytes of cached pages each process also keeps in its own memory (0: none), so a hit
# fetches only the small generation value from Redis (pagecache/local.py).
PAGE_CACHE_LOCAL_BYTES = env_int("PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024)
# Single flight: on a miss one request renders the page while the others for the same page
# wait up to this long for it (then render it themselves); 0 turns the waiting off.
PAGE_CACHE_WAIT_SECONDS = env_int("PAGE_CACHE_WAIT_SECONDS", 2)
# Pages rendered while a change is being committed may show the old data: kept this long at
# most (the bump after the commit normally makes them stale at once).
PAGE_CACHE_PENDING_SECONDS = env_int("PAGE_CACHE_PENDING_SECONDS", 5)
# New pages (URLs not in the cache yet) stored per PAGE_CACHE_SECONDS: bounds the store under
# a flood of distinct URLs such as endless search terms.
PAGE_CACHE_MAX_NEW_PAGES = env_int("PAGE_CACHE_MAX_NEW_PAGES", 2000)
PAGE_CACHE_EXCLUDED_PATHS = ["/admin/", "/healthz", "/static/", "/media/"]
# Apps whose models are public content: any change to one of their rows makes every cached
# page stale, and their schedule fields (publish_at, unpublish_at, release_at) cap how long
# a page is kept. A new app with public pages joins here, or its edits are never seen.
PAGE_CACHE_CONTENT_APPS = ["regions", "projects", "statistics", "pages", "documents", "library"]
# Models of those apps that only staff ever see: writing them changes no public page. An
# import preview writes the first two; bumping for them would empty the cache for nothing,
# and refuse the preview while the cache cannot be written. Profiles say how files are read:
# they change no page until an import through them writes observations (which bumps the
# generation itself). Not AreaName: a shared name (`also_covers`) decides which figures a
# country's page shows (Kosovo*'s shows UNHCR's "Serbia and Kosovo: S/RES/1244 (1999)").
PAGE_CACHE_STAFF_ONLY_MODELS = [
    "statistics.ImportRecord",
    "statistics.PendingUpload",
    "statistics.ImportProfile",
    "statistics.HistoricalImportProfile",
    "statistics.HistoricalAreaName",
]
# Changes that cannot alter how figures are shown (an indicator's charts, maps, tables and
# chart files, drawn from its data, the areas' names and publication, sources, derivations
# and the site settings): they make every page stale but keep the data generation, so the
# charts are not redrawn (pagecache.receivers). A model, an app, or some fields of a model
# (a save that changes only those). Anything not named here or below counts as data.
PAGE_CACHE_NOT_DATA = {
    "projects": "*",
    "documents": "*",
    "regions.Office": "*",
    "regions.Contact": "*",
    "regions.ApproachSection": "*",
}
# An item's own texts: shown on its own page (and on pages rendered whole, as the home
# page), never in what other pages keep of it. A save that changes only these keeps the
# shared generation too (pagecache.generation): a region's page renders its summary again,
# not its projects, figures, map and offices. Not data either.
PAGE_CACHE_OWN_TEXT = {
    "regions.Region": [
        "summary",
        "body",
        "hero_image",
        "review_requested",
        "review_note",
        "created_at",
        "updated_at",
    ],
    "regions.Country": [
        "profile",
        "hero_image",
        "review_requested",
        "review_note",
        "updated_at",
    ],
}
# max-age for browsers and a CDN on public HTML pages; 0 = always revalidate (cheap 304s via
# ETag), so an edit is visible on the next request everywhere.
HTTP_CACHE_MAX_AGE = env_int("HTTP_CACHE_MAX_AGE", 0)

# The read API (api/, /api/v1/): requests per client address (wbportal.security.client_ip,
# TRUSTED_PROXY_COUNT) per window of API_RATE_LIMIT_SECONDS; 0 turns the limit off. Answered
# with 429 and Retry-After past it. Pages of at most API_MAX_LIMIT items.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 300)
API_RATE_LIMIT_SECONDS = env_int("API_RATE_LIMIT_SECONDS", 60)
API_MAX_LIMIT = env_int("API_MAX_LIMIT", 1000)
# CORS (django-cors-headers): any origin may read the API and the open-data files (the
# indicators' data files, SDMX, the DCAT catalogue, IATI), never with credentials (no cookie
# is sent or honoured), and only GET/HEAD/OPTIONS.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = (
    r"^/(api/.*|statistics/([-\w]+/)?[-\w]+\.(csv|json|xlsx|zip|xml)|catalog\.jsonld"
    r"|iati/activities(/[-\w]+)?\.xml)$"
)
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Link",
    "Retry-After",
    "Content-Disposition",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date formats per language ("31 March 2025", not Django's English "Dec. 31, 2025"):
# wbportal/formats/<language>/formats.py, used by formatting/display.py and |date.
FORMAT_MODULE_PATH = ["wbportal.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Belgrade")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "").strip() or BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain storage when DEBUG so that
        # runserver and tests need no collectstatic.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("STATIC_PLAIN_STORAGE", False)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# HTTPS protections: on by default whenever DEBUG is off; each can be switched off for a
# plain-HTTP local trial (see docs/operators/deploy.md, `make serve`).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# The preload directive only allows submitting the domain to browsers' preload lists (a
# separate, deliberate step at hstspreload.org); check --deploy asks for it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
if env_bool("TRUST_X_FORWARDED_PROTO", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer's health check may speak plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp 4). Public pages: our own files only, no inline script
# or style, never framed. The admin (django-import-export's pages use inline styles) gets
# ADMIN_CONTENT_SECURITY_POLICY, applied by wbportal.security under /admin/: inline styles,
# but still only the site's own scripts (the Markdown editor's too); the one inline handler
# of django-import-export, on its export form, is not used (skip_export_form).
_CSP_SELF = "'self'"
_CSP_NONE = "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF],
        "style-src": [_CSP_SELF],
        "img-src": [_CSP_SELF, "data:"],
        "font-src": [_CSP_SELF],
        "connect-src": [_CSP_SELF],
        "object-src": [_CSP_NONE],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_NONE],
    },
}
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "style-src": [_CSP_SELF, "'unsafe-inline'"],
    },
}
ADMIN_URL_PREFIX = "/admin/"


def static_file_headers(headers, path, url):
    """Static files, answered by WhiteNoise before the CSP and clickjacking middleware run,
    get the same frame denial and strict policy (SecurityMiddleware, above WhiteNoise,
    already adds nosniff and Referrer-Policy)."""
    # Imported when called: csp.utils reads these settings, so it cannot be imported while
    # this module is still being read.
    from csp.utils import build_policy

    headers["X-Frame-Options"] = X_FRAME_OPTIONS
    headers["Content-Security-Policy"] = build_policy()


WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
# Files served at the site root, e.g. /favicon.ico, which browsers ask for whatever the page
# says (made from the wordmark by tools/make_brand_images.py).
WHITENOISE_ROOT = BASE_DIR / "root_files"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for a user name
# from one address, that user name is refused (HTTP 429) from that address for
# AXES_COOLOFF_MINUTES; the same user elsewhere is not. Wider, higher limits
# (wbportal.login_throttle): a user name from any addresses, and an address
# for any user names.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "wbportal.login_throttle.LoginThrottleHandler"
LOGIN_USERNAME_FAILURE_LIMIT = env_int("LOGIN_USERNAME_FAILURE_LIMIT", 30)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Behind load balancers: how many proxies in front of the app append to X-Forwarded-For
# (0: the client address is REMOTE_ADDR). See wbportal.security.client_ip.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "wbportal.security.client_ip"

# History (django-simple-history): who changed what, when; restore from the admin.
SIMPLE_HISTORY_REVERT_DISABLED = False

# Uploads (CSV/XLSX imports) are capped; the importer checks its own limit too.
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# What one import may hold, however small the file (statistics/imports/readers/): a file
# over a limit is refused whole, with a message naming the limit.
# See docs/staff/data.md, "Import limits".
# The admin's confirm step writes the rows inside one web request: the row limit keeps the
# worst case (every row an update of every field) well within GUNICORN_TIMEOUT. Bigger files
# go through `manage.py import_indicators`, which has no worker timeout and its own limit.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 10_000)
IMPORT_COMMAND_MAX_ROWS = env_int("IMPORT_COMMAND_MAX_ROWS", 200_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 50)
# A wide table read through an import profile has one column per year (World Bank: 1960-).
IMPORT_PROFILE_MAX_COLUMNS = env_int("IMPORT_PROFILE_MAX_COLUMNS", 300)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 10_000)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100)
IMPORT_MAX_ERRORS = env_int("IMPORT_MAX_ERRORS", 100)
# Documents (documents app): the largest file accepted, and the most its zip directory may
# declare unpacked (DOCX, PPTX, XLSX, ODT, ODP, ODS are zip files; documents/files.py).
DOCUMENT_MAX_UPLOAD_BYTES = env_int("DOCUMENT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
DOCUMENT_MAX_UNCOMPRESSED_BYTES = env_int("DOCUMENT_MAX_UNCOMPRESSED_BYTES", 500 * 1024 * 1024)
# How a document's file reaches the reader (documents/downloads.py): "" Django streams it;
# "x-accel-redirect" (nginx) or "x-sendfile" (Apache, lighttpd) hand the body to the web
# server, which must then serve DOCUMENT_SENDFILE_PREFIX as an internal location
# (docs/operators/deploy.md). Either way Django decides first whether the reader may have it.
DOCUMENT_SENDFILE = os.environ.get("DOCUMENT_SENDFILE", "").strip().lower()
if DOCUMENT_SENDFILE not in {"", "x-accel-redirect", "x-sendfile"}:
    raise ImproperlyConfigured(
        f"DOCUMENT_SENDFILE={DOCUMENT_SENDFILE!r}: use x-accel-redirect, x-sendfile or nothing."
    )
DOCUMENT_SENDFILE_PREFIX = os.environ.get("DOCUMENT_SENDFILE_PREFIX", "/protected-media/")
# Whole request bodies with files are refused (HTTP 400) before they are read when larger than
# UPLOAD_MAX_REQUEST_BYTES, so nobody fills the disk; the importer's, the documents' and the
# media library's own, friendlier checks (IMPORT_MAX_UPLOAD_BYTES, DOCUMENT_MAX_UPLOAD_BYTES,
# LIBRARY_IMAGE_MAX_BYTES) apply below it.
# The media library's images (library/validation.py): file size, and width x height (read
# from the header, so a decompression bomb is refused before it is unpacked).
LIBRARY_IMAGE_MAX_BYTES = env_int("LIBRARY_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
LIBRARY_IMAGE_MAX_PIXELS = env_int("LIBRARY_IMAGE_MAX_PIXELS", 40_000_000)
UPLOAD_MAX_REQUEST_BYTES = env_int(
    "UPLOAD_MAX_REQUEST_BYTES",
    max(IMPORT_MAX_UPLOAD_BYTES, DOCUMENT_MAX_UPLOAD_BYTES, LIBRARY_IMAGE_MAX_BYTES) + 1_048_576,
)
FILE_UPLOAD_HANDLERS = [
    "wbportal.uploads.RequestSizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Form fields other than files (2.5 MB), the number of fields and of files per request.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# Uploads above this size go to a temporary file (random name, outside MEDIA_ROOT).
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_PERMISSIONS = 0o640

# An import whose preview passed waits this long for its uploader to confirm it (kept in the
# database, statistics.PendingUpload); each user keeps at most IMPORT_PENDING_PER_USER.
IMPORT_PENDING_SECONDS = env_int("IMPORT_PENDING_SECONDS", 3600)
IMPORT_PENDING_PER_USER = env_int("IMPORT_PENDING_PER_USER", 5)

# django-import-export serves only the observations' export (statistics/resources.py); the
# import is the shared pipeline's own flow, which needs add and change permission
# (statistics/admin.py). The library's import settings stay safe for any admin that adds it.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

SITE_NAME = os.environ.get("SITE_NAME", "WB Portal")
# The site's public address, e.g. https://wb.example.org: the only source of absolute URLs
# (canonical links, Open Graph tags, downloads, embeds, citations, the sitemap, e-mail). Never
# the request's Host or X-Forwarded-* headers: a cached page must not depend on what one
# visitor sent, or that visitor's host and port would be served to everyone.
SITE_URL = env_site_url("SITE_URL")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SITE_URL is not set and DEBUG is off. Set SITE_URL to the site's public address, "
            "such as https://wb.example.org: canonical links, sharing tags, downloads, the "
            "sitemap and e-mail are built from it, never from the request's Host header."
        )
    # Only reachable with DEBUG on: runserver's default address (`make run` passes its own).
    SITE_URL = "http://127.0.0.1:8000"

# Workflow e-mail (publishing/notifications.py). Development prints mail on the
# console; production sends it through SMTP (EMAIL_HOST and friends, see docs/operators/deploy.md).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_traceback": {"()": "wbportal.security.WithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "console_short": {"class": "logging.StreamHandler", "filters": ["without_traceback"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own "django" logger has its own level (INFO) and handlers, so without this
        # LOG_LEVEL=ERROR would still print every 404 ("Not Found: ...") and, with DEBUG on,
        # print Django's messages twice (its console handler, then the root's).
        "django": {"level": LOG_LEVEL, "handlers": []},
        "django.db.backends": {"level": "WARNING"},
        # The scheduler (scheduler/) runs every minute: APScheduler's "Running job" lines
        # would drown the log; our own logger says when something went live or failed.
        "apscheduler": {"level": "WARNING"},
        # Anyone can send a wrong Host header: one line each, not a traceback.
        "django.security.DisallowedHost": {
            "level": LOG_LEVEL,
            "handlers": ["console_short"],
            "propagate": False,
        },
    },
}

# The longest Markdown text (every MarkdownField, and the editor's preview): about six times
# the longest text of the demo content (about 5,000), and short enough that the slowest text
# of this length renders in well under a second (`make bench-security`). Texts whose shape
# would make rendering slow are refused too (richtext/limits.py); docs/operators/security.md.
MARKDOWN_MAX_CHARS = env_int("MARKDOWN_MAX_CHARS", 30_000)

# Link checking (links app, `manage.py check_links`): external links checked per run, seconds
# to wait for a server, least seconds between two requests to one host, and the private or
# local (address, port) pairs that may be requested all the same: only tests set it, to
# their own local server's port. Empty, and never read from the environment.
LINK_CHECK_MAX_LINKS = env_int("LINK_CHECK_MAX_LINKS", 200)
LINK_CHECK_TIMEOUT = float(os.environ.get("LINK_CHECK_TIMEOUT", "10"))
LINK_CHECK_HOST_INTERVAL = float(os.environ.get("LINK_CHECK_HOST_INTERVAL", "2"))
LINK_CHECK_ALLOWED_ADDRESSES: set[tuple[str, int]] = set()
