"""Which changes bump the generation: every change of a model of the content apps
(settings.PAGE_CACHE_CONTENT_APPS) except those only staff see (PAGE_CACHE_STAFF_ONLY_MODELS),
and the `pagecache.signals.content_changed` signal sent by writes that bypass model signals.
The apps are named in settings, never here: this app knows no other app of the project.

Which of them also move the data generation (pagecache.generation): all, except the changes
settings.PAGE_CACHE_NOT_DATA names (a whole model, or only some fields of one: a save that
changes none of its other fields, compared with the row as it was before the save) and
history records (django-simple-history writes one beside each change, which is judged
itself). When in doubt a change counts: a needless redraw costs time, a missed one shows
old figures.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from simple_history.models import HistoricalChanges

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


# Every field of a model: no change of it can alter figures ("*" in the setting).
ALL_FIELDS = frozenset({"*"})
# Set on an instance by pre_save: its data fields' values as they were in the database.
_DATA_BEFORE = "_pagecache_data_before"


def not_data_fields(model: type[Model]) -> frozenset[str]:
    """ALL_FIELDS when no change of `model` can alter how figures are shown, else the names
    of its fields that cannot (empty: every change can)."""
    if issubclass(model, HistoricalChanges):
        return ALL_FIELDS
    meta = model._meta
    owner = meta.auto_created
    if isinstance(owner, type):  # a many-to-many table counts as its model does
        return ALL_FIELDS if not_data_fields(owner) == ALL_FIELDS else frozenset()
    declared = settings.PAGE_CACHE_NOT_DATA
    for name in (meta.label, meta.app_label):
        if name in declared:
            fields = declared[name]
            return ALL_FIELDS if fields == "*" else frozenset(fields)
    return frozenset()


def data_fields(model: type[Model], not_data: frozenset[str]) -> list[str]:
    """The attribute names (`country_id` for a foreign key) of the concrete fields whose
    change may alter figures."""
    return [field.attname for field in model._meta.concrete_fields if field.name not in not_data]


def remember_data_fields(
    sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any
) -> None:
    """pre_save: read the data fields of a model with some fields declared not data, as
    they are before this save (one query; none for a new row or a save of named fields)."""
    if raw or instance._state.adding or instance.pk is None or not is_content_model(sender):
        return
    not_data = not_data_fields(sender)
    if not not_data or not_data == ALL_FIELDS:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= not_data:
        instance.__dict__[_DATA_BEFORE] = {}  # only fields that are not data are written
        return
    fields = data_fields(sender, not_data)
    using = kwargs.get("using")
    before = sender._base_manager.using(using).filter(pk=instance.pk)
    if transaction.get_connection(using).in_atomic_block:
        # Locked until this save commits: a rename committed by someone else between this
        # read and the save's UPDATE (which writes every column back) would otherwise be
        # undone in the database while its charts stayed drawn under the new data part.
        before = before.select_for_update()
    instance.__dict__[_DATA_BEFORE] = before.values(*fields).first()


def changes_data(sender: type[Model], instance: Model | None, created: bool) -> bool:
    not_data = not_data_fields(sender)
    if not_data == ALL_FIELDS:
        return False
    if not not_data or created or instance is None:
        return True
    before = instance.__dict__.pop(_DATA_BEFORE, None)
    if before is None:  # not read (a raw save, a row gone meanwhile): it may
        return True
    return any(getattr(instance, name) != value for name, value in before.items())


def on_model_change(sender: type[Model], using: str | None = None, **kwargs: Any) -> None:
    # Fixture loads (raw saves) change content too: no exception for them.
    if is_content_model(sender):
        # post_delete has no `created`: a deleted row counts as a new one would.
        created = kwargs.get("created", True)
        if kwargs.get("raw"):
            created = True
        content_changed(using, data=changes_data(sender, kwargs.get("instance"), created))


def on_m2m_change(
    sender: type[Model], action: str, using: str | None = None, **kwargs: Any
) -> None:
    if action.startswith("post_") and is_content_model(sender):
        content_changed(using, data=not_data_fields(sender) != ALL_FIELDS)


def on_content_changed(sender: type[Model], using: str | None = None, **kwargs: Any) -> None:
    content_changed(using)


def connect_signals() -> None:
    pre_save.connect(remember_data_fields, dispatch_uid="pagecache.pre_save")
    post_save.connect(on_model_change, dispatch_uid="pagecache.post_save")
    post_delete.connect(on_model_change, dispatch_uid="pagecache.post_delete")
    m2m_changed.connect(on_m2m_change, dispatch_uid="pagecache.m2m_changed")
    content_changed_signal.connect(on_content_changed, dispatch_uid="pagecache.content_changed")
