"""gunicorn settings for WB Portal (`make serve`, `make bench`, production).

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import gc
import multiprocessing
import os

wsgi_app = "wbportal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")

# Sync workers: the work is CPU-bound (templates, ORM) and short. 2 x cores + 1 is
# gunicorn's own rule of thumb; WEB_CONCURRENCY overrides it (as on most PaaS).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request taking longer than this is a bug or an overload: the worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 2
# Load the app once in the master and fork workers from it: less memory, and a recycled
# worker starts in milliseconds instead of re-importing Django (which showed as p99 spikes of
# ~1 s under load). Code changes therefore need a restart, not a HUP.
preload_app = True
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 20000
max_requests_jitter = 2000
# Pending connections the kernel keeps while all workers are busy.
backlog = 2048

# Behind a load balancer: trust X-Forwarded-* only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# GUNICORN_ACCESS_LOG= (empty) turns the access log off (make bench does).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def pre_fork(server, worker):
    """Move everything the master loaded into the garbage collector's permanent generation.

    Without this each worker's full collections walk the whole preloaded Django (and write to
    every object header, which unshares the copy-on-write pages): 95-320 ms pauses measured
    here, which showed as cached pages' p99 over 100 ms under load. Frozen, they take 12-30 ms
    (bench/NOTES.md). Python's gc docs recommend exactly this for fork without exec.
    """
    gc.freeze()
