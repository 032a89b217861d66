"""The versions the demo loader makes say so: "Loaded with the demo content", not "Changed by
unknown".

Fixtures are loaded raw, which django-simple-history does not record, except through a
many-to-many field (a region's countries), which it records as a change by nobody. The
loader (`load_demo`) notes every item the fixtures save (`DemoLoad`), then marks those
versions, one per item, and gives each of those items that has no version a first one, with
the marker as its change reason and no person; the history pages show such a version as
demo content (wbportal/history_admin.py). Only the items the fixtures saved are touched:
rows made otherwise without a version (an import's bulk writes, say) are never claimed for
the demo.
"""

from collections import defaultdict

from django.apps import apps
from django.db import models
from django.db.models import Max
from django.db.models.signals import post_save

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


class DemoLoad:
    """`with DemoLoad() as load:` around the loading: notes the items the fixtures save (raw
    saves, as `loaddata` makes them) and the newest version before; on leaving without an
    error, marks their versions as demo content."""

    def __enter__(self):
        self.with_history = models_with_history()
        self.before = {
            model: _history_manager(model).aggregate(latest=Max("history_id"))["latest"] or 0
            for model in self.with_history
        }
        self.loaded: dict[type[models.Model], set] = defaultdict(set)
        post_save.connect(self._note, dispatch_uid=id(self))
        return self

    def _note(self, sender, instance, raw=False, **kwargs):
        if raw and sender in self.before:
            self.loaded[sender].add(instance.pk)

    def __exit__(self, kind, error, traceback):
        post_save.disconnect(dispatch_uid=id(self))
        if kind is None:
            for model, pks in self.loaded.items():
                mark_demo_versions(model, pks, self.before[model])
        return False


def mark_demo_versions(model: type[models.Model], pks, before: int) -> None:
    """Of the items `pks` of `model`: the versions made since `before` by nobody become one
    version marked as demo content (a load sets each many-to-many field apart, each a version
    of its own), and each item without any version gets a first one so marked."""
    history = _history_manager(model)
    pk_name = model._meta.pk.attname
    loaded = history.filter(
        **{f"{pk_name}__in": pks},
        history_id__gt=before,
        history_user__isnull=True,
        history_change_reason__isnull=True,
    )
    last_of_each = loaded.order_by().values(pk_name).annotate(last=Max("history_id"))
    loaded.exclude(history_id__in=last_of_each.values("last")).delete()
    # An item the load made (no version from before it) was created, not changed.
    earlier = history.filter(history_id__lte=before).values(pk_name)
    loaded.exclude(**{f"{pk_name}__in": earlier}).update(history_type="+")
    loaded.update(history_change_reason=DEMO_CHANGE_REASON)
    versioned = history.filter(**{f"{pk_name}__in": pks}).values(pk_name).order_by()
    unversioned = model._base_manager.filter(pk__in=pks).exclude(pk__in=versioned)
    history.bulk_history_create(
        list(unversioned), default_change_reason=DEMO_CHANGE_REASON, batch_size=500
    )


def is_demo_version(record: models.Model) -> bool:
    return (
        getattr(record, "history_user_id", None) is None
        and getattr(record, "history_change_reason", None) == DEMO_CHANGE_REASON
    )
