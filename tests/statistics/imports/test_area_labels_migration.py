"""Migration 0016 moves the "Source label: X" an import profile appended to notes into
Observation.area_label, and back when reversed."""

import importlib
from statistics.models import Observation
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import ObservationFactory

pytestmark = pytest.mark.django_db
LABEL = "Serbia and Kosovo: S/RES/1244 (1999)"
MIGRATION = "0016_area_labels_out_of_notes"


def run(direction):
    migration = importlib.import_module(f"statistics.migrations.{MIGRATION}")
    state = MigrationExecutor(connection).loader.project_state(("statistics", MIGRATION))
    getattr(migration, direction)(state.apps, SimpleNamespace(connection=connection))


def test_source_labels_move_from_notes_to_the_area_label():
    whole = ObservationFactory(note=f"Source label: {LABEL}")
    trailing = ObservationFactory(note=f"Provisional figure. Source label: {LABEL}")
    plain = ObservationFactory(note="Counted at the border.")
    labelled = ObservationFactory(note="Source label: Serbia", area_label="Serbia (UNHCR)")
    run("labels_out_of_notes")
    stored = {o.pk: (o.note, o.area_label) for o in Observation.objects.all()}
    assert stored == {
        whole.pk: ("", LABEL),
        trailing.pk: ("Provisional figure.", LABEL),
        plain.pk: ("Counted at the border.", ""),
        # Already has a label: left as it is, never overwritten.
        labelled.pk: ("Source label: Serbia", "Serbia (UNHCR)"),
    }
    run("labels_out_of_notes")  # applied again: nothing changes
    assert {o.pk: (o.note, o.area_label) for o in Observation.objects.all()} == stored

    run("labels_back_into_notes")
    assert Observation.objects.get(pk=trailing.pk).note == (
        f"Provisional figure. Source label: {LABEL}"
    )
    assert Observation.objects.get(pk=whole.pk).note == f"Source label: {LABEL}"
    assert not Observation.objects.exclude(area_label="").exists()
