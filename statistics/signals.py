from django.db.models.signals import pre_save
from django.dispatch import receiver

from .models import Observation


@receiver(pre_save, sender=Observation)
def derive_period_bounds(sender, instance, **kwargs):
    # A receiver rather than save(): fixtures (raw saves) must get the bounds too.
    # Bulk paths (the CSV importer) call set_period_bounds() themselves.
    instance.set_period_bounds()
