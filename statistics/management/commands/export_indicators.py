from statistics.imports.export import export_csv_chunks
from statistics.models import Indicator, Observation

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from regions.models import Country, Region


class Command(BaseCommand):
    help = "Export observations in the contract CSV format (UTF-8 with BOM)."

    def add_arguments(self, parser):
        parser.add_argument("--indicator", action="append", help="An indicator code (repeatable).")
        parser.add_argument(
            "--area", action="append", help="A country or region code (repeatable)."
        )
        parser.add_argument("-o", "--output", help="File to write; standard output if omitted.")

    def handle(self, *args, indicator, area, output, **options):
        observations = Observation.objects.all()
        if indicator:
            known = set(Indicator.objects.filter(code__in=indicator).values_list("code", flat=True))
            unknown = sorted(set(indicator) - known)
            if unknown:
                raise CommandError(f"Unknown indicator(s): {', '.join(unknown)}.")
            observations = observations.filter(indicator__code__in=indicator)
        if area:
            codes = {code.upper() for code in area}
            known = set(
                Country.objects.filter(iso_code__in=codes).values_list("iso_code", flat=True)
            )
            known |= set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
            unknown = sorted(codes - known)
            if unknown:
                raise CommandError(f"Unknown area(s): {', '.join(unknown)}.")
            observations = observations.filter(
                Q(country__iso_code__in=codes) | Q(region__code__in=codes)
            )
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                for chunk in export_csv_chunks(observations):
                    handle.write(chunk)
            self.stderr.write(f"Wrote {observations.count()} observations to {output}.")
        else:
            for chunk in export_csv_chunks(observations):
                self.stdout.write(chunk, ending="")
