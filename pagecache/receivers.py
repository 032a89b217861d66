"""Which changes bump the generation: every change of a model of the content apps
(settings.PAGE_CACHE_CONTENT_APPS) except those only staff see (PAGE_CACHE_STAFF_ONLY_MODELS),
and the `pagecache.signals.content_changed` signal sent by writes that bypass model signals.
The apps are named in settings, never here: this app knows no other app of the project."""

from typing import Any

from django.conf import settings
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from .generation import content_changed
from .signals import content_changed as content_changed_signal


def is_content_model(sender: object) -> bool:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.label in settings.PAGE_CACHE_STAFF_ONLY_MODELS:
        return False
    content_apps = settings.PAGE_CACHE_CONTENT_APPS
    if meta.app_label in content_apps:
        return True
    # An auto-created M2M through table belongs to its content model's app anyway.
    return bool(meta.auto_created and meta.auto_created._meta.app_label in content_apps)


def on_model_change(sender: type[Model], using: str | None = None, **kwargs: Any) -> None:
    # Fixture loads (raw saves) change content too: no exception for them.
    if is_content_model(sender):
        content_changed(using)


def on_m2m_change(
    sender: type[Model], action: str, using: str | None = None, **kwargs: Any
) -> None:
    if action.startswith("post_") and is_content_model(sender):
        content_changed(using)


def on_content_changed(sender: type[Model], using: str | None = None, **kwargs: Any) -> None:
    content_changed(using)


def connect_signals() -> None:
    post_save.connect(on_model_change, dispatch_uid="pagecache.post_save")
    post_delete.connect(on_model_change, dispatch_uid="pagecache.post_delete")
    m2m_changed.connect(on_m2m_change, dispatch_uid="pagecache.m2m_changed")
    content_changed_signal.connect(on_content_changed, dispatch_uid="pagecache.content_changed")
