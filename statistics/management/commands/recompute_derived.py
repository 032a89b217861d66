from statistics.derived.admin import describe
from statistics.derived.store import recompute_all_derivations, recompute_indicator
from statistics.models import Indicator

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from pagecache import PageCacheUnavailable


class Command(BaseCommand):
    help = (
        "Compute the figures of derived indicators (totals, rates) again from their inputs, "
        "each after those it reads from, in one transaction. Every import, undo and admin "
        "change does this by itself; use it after loading fixtures (which write no derived "
        "figure), or to check that nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--indicator",
            metavar="CODE",
            help="Only this indicator's derivation (if derived) and those computed from it.",
        )

    def handle(self, *args, indicator=None, **options):
        try:
            with transaction.atomic():
                if indicator:
                    try:
                        chosen = Indicator.objects.get(code=indicator)
                    except Indicator.DoesNotExist:
                        raise CommandError(f"No indicator has the code {indicator!r}.") from None
                    results = recompute_indicator(chosen.pk)
                else:
                    results = recompute_all_derivations()
        except PageCacheUnavailable as error:
            raise CommandError(f"Nothing was written: {error}") from None
        if not results:
            self.stdout.write("No derived indicator to compute.")
        for result in results:
            self.stdout.write(describe(result))
