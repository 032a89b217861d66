"""Record an object's links whenever it is saved (the admin, the shell, history reverts)."""

from django.db.models.signals import post_delete, post_save

from .scanning import content_models, forget_links, record_links


def _saved(sender, instance, raw=False, **kwargs):
    # loaddata: the objects are not complete yet (`check_links` scans everything); without a
    # primary key there is nothing to record the links against.
    if raw or instance.pk is None:
        return
    record_links(instance)


def _deleted(sender, instance, **kwargs):
    if instance.pk is None:
        return
    forget_links(instance)


def connect():
    for model in content_models():
        post_save.connect(_saved, sender=model, dispatch_uid=f"links-saved-{model._meta.label}")
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"links-deleted-{model._meta.label}"
        )
