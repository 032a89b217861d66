"""The source files that ship with the project (fixtures/data/), imported through the import
profiles that ship beside them (fixtures/profiles/), as a Data manager would import them: each
profile saved as an ImportProfile (so staff find it in the admin, and the next release of the
file imports with it), each file through the normal pipeline (checked, all or nothing,
recorded), then the derived figures defined (fixtures/derivations.json) and computed.

`load_demo` calls `load_source_files()`; the tests of the demo data call its parts."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ..derived import recompute_for
from ..imports.report import ImportReport
from ..models import Derivation, ImportProfile, ImportRecord, Indicator
from .format import parse_profile
from .load import import_with_profile

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DATA = FIXTURES / "data"
PROFILES = FIXTURES / "profiles"
DERIVATIONS = FIXTURES / "derivations.json"


@dataclass(frozen=True)
class SourceFile:
    data: str  # file name in fixtures/data/
    profile: str  # file name in fixtures/profiles/


# Population first: the rates per inhabitant divide by it.
SOURCE_FILES = [
    SourceFile("worldbank_population_wb7_1960_2024.csv", "worldbank_population.json"),
    SourceFile("unhcr_population_wb7_1951_2025.csv", "unhcr_population.json"),
    SourceFile("unhcr_asylum_applications_wb7_2000_2025.csv", "unhcr_asylum_applications.json"),
    SourceFile("unhcr_asylum_decisions_wb7_2000_2025.csv", "unhcr_asylum_decisions.json"),
]


class SourceFileRefused(Exception):
    """A shipped file did not import: the report's error lines say why."""

    def __init__(self, name: str, report: ImportReport) -> None:
        self.report = report
        lines = "\n".join(report.error_lines()[:20])
        super().__init__(f"{name} was not imported:\n{lines}")


def save_profile(file_name: str) -> ImportProfile:
    """The shipped profile `file_name` saved as an ImportProfile under its own name (updated
    in place when it exists). ProfileError if it does not follow the format."""
    definition = json.loads((PROFILES / file_name).read_text(encoding="utf-8"))
    profile = parse_profile(definition)
    saved = ImportProfile.objects.filter(name=profile.name).first()
    if saved is None:
        saved = ImportProfile(name=profile.name)
    if saved.pk is None or saved.definition != definition:
        saved.definition = definition
        saved.full_clean()
        saved.save()
    return saved


def import_source_file(source: SourceFile, saved: ImportProfile) -> ImportReport:
    """One shipped file imported through its saved profile; SourceFileRefused if any row is
    refused (then nothing of it is written)."""
    report = import_with_profile(
        (DATA / source.data).read_bytes(),
        saved.profile(),
        label=saved.name,
        file_name=source.data,
        via=ImportRecord.Via.COMMAND,
        max_rows=settings.IMPORT_COMMAND_MAX_ROWS,
    )
    if report.has_errors:
        raise SourceFileRefused(source.data, report)
    return report


def define_derivations(path: Path = DERIVATIONS) -> list[Derivation]:
    """The derived indicators of fixtures/derivations.json defined (or updated in place): one
    object per derived indicator, its inputs by indicator code."""
    codes = {code: pk for pk, code in Indicator.objects.values_list("pk", "code")}
    defined = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        derivation = Derivation.objects.filter(indicator_id=codes[item["indicator"]]).first()
        if derivation is None:
            derivation = Derivation(indicator_id=codes[item["indicator"]])
        derivation.method = item["method"]
        derivation.numerator_id = codes[item["numerator"]]
        denominator = item.get("denominator")
        derivation.denominator_id = codes[denominator] if denominator else None
        derivation.scale = item.get("scale", 1)
        derivation.explanation = item.get("explanation", "")
        derivation.full_clean()
        derivation.save()
        defined.append(derivation)
    return defined


def recompute(derivations: list[Derivation]) -> None:
    """Compute the derived figures from their inputs (statistics.derived)."""
    inputs = {
        pk
        for derivation in derivations
        for pk in (derivation.numerator_id, derivation.denominator_id)
        if pk
    }
    recompute_for(sorted(inputs | {derivation.indicator_id for derivation in derivations}))


def load_source_files(sources: list[SourceFile] = SOURCE_FILES) -> list[ImportReport]:
    """Save the shipped profiles, import every shipped file, define the derived indicators
    and compute the derived figures: all in one transaction. Defined after the imports, so
    a first load computes them once, not after each file (an import that writes recomputes
    what depends on it)."""
    with transaction.atomic():
        saved = [save_profile(source.profile) for source in sources]
        reports = [
            import_source_file(source, profile)
            for source, profile in zip(sources, saved, strict=True)
        ]
        recompute(define_derivations())
    return reports
