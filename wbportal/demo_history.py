"""The versions the demo loader makes say so: "Loaded with the demo content", not "Changed by
unknown".

Fixtures are loaded raw, which django-simple-history does not record, except through a
many-to-many field (a region's countries), which it records as a change by nobody. The
loader (`load_demo`) marks those versions, and gives every item it loaded without a version a
first one, with the same marker as its change reason and no person; the history pages show
such a version as demo content (wbportal/history_admin.py).
"""

from django.apps import apps
from django.db import models
from django.db.models import Max

# Kept in the history table as the change reason; shown through gettext by the history page.
DEMO_CHANGE_REASON = "Loaded with the demo content"


def models_with_history() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    ]


def _history_manager(model: type[models.Model]):
    return getattr(model, model._meta.simple_history_manager_attribute)


def latest_versions() -> dict[type[models.Model], int]:
    """The newest version id of each model's history (0 for none): what was there before."""
    return {
        model: _history_manager(model).aggregate(latest=Max("history_id"))["latest"] or 0
        for model in models_with_history()
    }


def mark_demo_versions(before: dict[type[models.Model], int]) -> None:
    """Mark the versions made since `before` (latest_versions()) by nobody as demo content,
    one per item (a load sets each many-to-many field apart, each a version of its own), and
    give each item without any version a first one so marked."""
    for model in models_with_history():
        history = _history_manager(model)
        pk_name = model._meta.pk.attname
        loaded = history.filter(
            history_id__gt=before.get(model, 0),
            history_user__isnull=True,
            history_change_reason__isnull=True,
        )
        last_of_each = loaded.order_by().values(pk_name).annotate(last=Max("history_id"))
        loaded.exclude(history_id__in=last_of_each.values("last")).delete()
        # An item the load made (no version from before it) was created, not changed.
        earlier = history.filter(history_id__lte=before.get(model, 0)).values(pk_name)
        loaded.exclude(**{f"{pk_name}__in": earlier}).update(history_type="+")
        loaded.update(history_change_reason=DEMO_CHANGE_REASON)
        unversioned = model._base_manager.exclude(pk__in=history.values(pk_name).order_by())
        history.bulk_history_create(
            list(unversioned), default_change_reason=DEMO_CHANGE_REASON, batch_size=500
        )


def is_demo_version(record: models.Model) -> bool:
    return (
        getattr(record, "history_user_id", None) is None
        and getattr(record, "history_change_reason", None) == DEMO_CHANGE_REASON
    )
