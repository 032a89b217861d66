import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wbportal.settings")

application = get_wsgi_application()

# Django's lazy set-up done now, at import: in gunicorn's master (preload_app), before the
# workers are forked, instead of on each worker's first requests (see wbportal/warmup.py).
from wbportal.warmup import warm_up  # noqa: E402

warm_up()
