"""Which changes bump the generation: every change of a content model, and the
`pagecache.signals.content_changed` signal sent by writes that bypass model signals."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .generation import content_changed
from .schedule import CONTENT_APPS
from .signals import content_changed as content_changed_signal

# Records of the content apps that only staff ever see: writing them changes no public page.
# An import preview writes the first two; bumping for them would empty the cache for nothing, and
# refuse the preview while the cache cannot be written.
STAFF_ONLY_MODELS = {
    "statistics.ImportRecord",
    "statistics.PendingUpload",
    # How files are read: a profile or another name for a country changes no page until an
    # import through it writes observations (which bumps the generation itself).
    "statistics.ImportProfile",
    "statistics.AreaName",
    "statistics.HistoricalImportProfile",
    "statistics.HistoricalAreaName",
}


def is_content_model(sender):
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.label in STAFF_ONLY_MODELS:
        return False
    if meta.app_label in CONTENT_APPS:
        return True
    # An auto-created M2M through table belongs to its content model's app anyway.
    return bool(meta.auto_created and meta.auto_created._meta.app_label in CONTENT_APPS)


def on_model_change(sender, using=None, **kwargs):
    # Fixture loads (raw saves) change content too: no exception for them.
    if is_content_model(sender):
        content_changed(using)


def on_m2m_change(sender, action, using=None, **kwargs):
    if action.startswith("post_") and is_content_model(sender):
        content_changed(using)


def on_content_changed(sender, using=None, **kwargs):
    content_changed(using)


def connect_signals():
    post_save.connect(on_model_change, dispatch_uid="pagecache.post_save")
    post_delete.connect(on_model_change, dispatch_uid="pagecache.post_delete")
    m2m_changed.connect(on_m2m_change, dispatch_uid="pagecache.m2m_changed")
    content_changed_signal.connect(on_content_changed, dispatch_uid="pagecache.content_changed")
