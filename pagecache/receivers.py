"""Which changes bump the generation: every change of a model of the content apps
(settings.PAGE_CACHE_CONTENT_APPS) except those only staff see (PAGE_CACHE_STAFF_ONLY_MODELS),
and the `pagecache.signals.content_changed` signal sent by writes that bypass model signals.
The apps are named in settings, never here: this app knows no other app of the project.

How far each reaches (pagecache.generation.Reach):
- only the content part: a save that changes nothing but fields settings.PAGE_CACHE_OWN_TEXT
  names (a region's summary, a country's profile: texts shown on the item's own page), and
  history records (django-simple-history writes one beside each change, which is judged
  itself);
- the shared part too: a change settings.PAGE_CACHE_NOT_DATA names (a whole model, as a
  project or an office, or some fields of one), which cannot alter how figures are shown;
- every part: anything else, including deletes, new rows (other than of a model NOT_DATA
  names whole), many-to-many changes of a data model and `content_changed` signals.
A save of a model with fields named is compared with the row as it was before it. When in
doubt a change reaches further: a needless render costs time, a missed one shows old
content.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from simple_history.models import HistoricalChanges

from .generation import Reach, content_changed
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
# Set on an instance by pre_save: the values of its fields that are not its own texts, as
# they were in the database.
_BEFORE = "_pagecache_before"


def _declared(setting: dict, model: type[Model]) -> frozenset[str]:
    meta = model._meta
    for name in (meta.label, meta.app_label):
        if name in setting:
            fields = setting[name]
            return ALL_FIELDS if fields == "*" else frozenset(fields)
    return frozenset()


def own_text_fields(model: type[Model]) -> frozenset[str]:
    """The names of `model`'s fields settings.PAGE_CACHE_OWN_TEXT names (its own texts)."""
    return _declared(settings.PAGE_CACHE_OWN_TEXT, model)


def not_data_fields(model: type[Model]) -> frozenset[str]:
    """ALL_FIELDS when no change of `model` can alter how figures are shown, else the names
    of its fields that cannot (its own texts among them; empty: every change can)."""
    if issubclass(model, HistoricalChanges):
        return ALL_FIELDS
    owner = model._meta.auto_created
    if isinstance(owner, type):  # a many-to-many table counts as its model does
        return ALL_FIELDS if not_data_fields(owner) == ALL_FIELDS else frozenset()
    declared = _declared(settings.PAGE_CACHE_NOT_DATA, model)
    return declared if declared == ALL_FIELDS else declared | own_text_fields(model)


def compared_fields(model: type[Model]) -> list[str]:
    """The attribute names (`country_id` for a foreign key) of the concrete fields a save is
    judged by: all but the model's own texts."""
    own = own_text_fields(model)
    return [field.attname for field in model._meta.concrete_fields if field.name not in own]


def remember_fields(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    """pre_save: read the fields a save of a model with some fields named is judged by, as
    they are before this save (one query; none for a new row or a save of named fields)."""
    if raw or instance._state.adding or instance.pk is None or not is_content_model(sender):
        return
    not_data = not_data_fields(sender)
    if not not_data or not_data == ALL_FIELDS:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= not_data:
        # Only fields named are written: how far it reaches is known without a read.
        own_only = set(update_fields) <= own_text_fields(sender)
        instance.__dict__[_BEFORE] = Reach.OWN_TEXT if own_only else Reach.CONTENT
        return
    fields = compared_fields(sender)
    using = kwargs.get("using")
    before = sender._base_manager.using(using).filter(pk=instance.pk)
    if transaction.get_connection(using).in_atomic_block:
        # Locked until this save commits: a rename committed by someone else between this
        # read and the save's UPDATE (which writes every column back) would otherwise be
        # undone in the database while its charts stayed drawn under the new data part.
        before = before.select_for_update()
    instance.__dict__[_BEFORE] = before.values(*fields).first()


def change_reach(sender: type[Model], instance: Model | None, created: bool) -> Reach:
    if issubclass(sender, HistoricalChanges):
        return Reach.OWN_TEXT
    not_data = not_data_fields(sender)
    if not_data == ALL_FIELDS:
        return Reach.CONTENT
    if not not_data or created or instance is None:
        return Reach.DATA
    before = instance.__dict__.pop(_BEFORE, None)
    if before is None:  # not read (a raw save, a row gone meanwhile): it may
        return Reach.DATA
    if isinstance(before, Reach):  # a save of named fields only
        return before
    attnames = {field.attname: field.name for field in sender._meta.concrete_fields}
    changed = {
        attnames.get(name, name)
        for name, value in before.items()
        if getattr(instance, name) != value
    }
    if changed - not_data:
        return Reach.DATA
    return Reach.CONTENT if changed else Reach.OWN_TEXT


def on_model_change(sender: type[Model], using: str | None = None, **kwargs: Any) -> None:
    # Fixture loads (raw saves) change content too: no exception for them.
    if is_content_model(sender):
        # post_delete has no `created`: a deleted row counts as a new one would.
        created = kwargs.get("created", True)
        if kwargs.get("raw"):
            created = True
        content_changed(using, reach=change_reach(sender, kwargs.get("instance"), created))


def on_m2m_change(
    sender: type[Model], action: str, using: str | None = None, **kwargs: Any
) -> None:
    if action.startswith("post_") and is_content_model(sender):
        reach = Reach.CONTENT if not_data_fields(sender) == ALL_FIELDS else Reach.DATA
        content_changed(using, reach=reach)


def on_content_changed(sender: type[Model], using: str | None = None, **kwargs: Any) -> None:
    content_changed(using)


def connect_signals() -> None:
    pre_save.connect(remember_fields, dispatch_uid="pagecache.pre_save")
    post_save.connect(on_model_change, dispatch_uid="pagecache.post_save")
    post_delete.connect(on_model_change, dispatch_uid="pagecache.post_delete")
    m2m_changed.connect(on_m2m_change, dispatch_uid="pagecache.m2m_changed")
    content_changed_signal.connect(on_content_changed, dispatch_uid="pagecache.content_changed")
