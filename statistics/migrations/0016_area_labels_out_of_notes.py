"""Area labels out of notes: an import profile used to record the source's own name for an
area it files under one of the portal's ("Serbia and Kosovo: S/RES/1244 (1999)" under Serbia)
by appending "Source label: <name>" to the observation's note (statistics/profiles/names.py,
in English, the portal's only language). Observation.area_label (0015) now holds that name:
this moves it there from the note, whether the note is only the label or ends with it."""

from django.db import migrations

PREFIX = "Source label: "
MAX_LABEL = 200  # Observation.area_label's max_length
BATCH = 500


def split_note(note: str) -> tuple[str, str] | None:
    """(the note without the label, the label) when `note` is or ends with the label."""
    if note.startswith(PREFIX):
        return "", note[len(PREFIX) :].strip()
    index = note.rfind(" " + PREFIX)
    if index < 0:
        return None
    return note[:index].strip(), note[index + 1 + len(PREFIX) :].strip()


def labels_out_of_notes(apps, schema_editor):
    Observation = apps.get_model("statistics", "Observation")
    rows = Observation.objects.filter(note__contains=PREFIX, area_label="").only("note")
    batch = []
    for observation in rows.iterator(chunk_size=2000):
        parts = split_note(observation.note)
        if parts is None or not parts[1] or len(parts[1]) > MAX_LABEL:
            continue  # not a label the import appended, or too long to move: left as it is
        observation.note, observation.area_label = parts
        batch.append(observation)
        if len(batch) == BATCH:
            Observation.objects.bulk_update(batch, ["note", "area_label"])
            batch = []
    if batch:
        Observation.objects.bulk_update(batch, ["note", "area_label"])


def labels_back_into_notes(apps, schema_editor):
    Observation = apps.get_model("statistics", "Observation")
    rows = Observation.objects.exclude(area_label="").only("note", "area_label")
    batch = []
    for observation in rows.iterator(chunk_size=2000):
        label = PREFIX + observation.area_label
        observation.note = f"{observation.note} {label}".strip()
        observation.area_label = ""
        batch.append(observation)
        if len(batch) == BATCH:
            Observation.objects.bulk_update(batch, ["note", "area_label"])
            batch = []
    if batch:
        Observation.objects.bulk_update(batch, ["note", "area_label"])


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0015_derived_figures_and_area_labels"),
    ]

    operations = [
        migrations.RunPython(labels_out_of_notes, labels_back_into_notes, elidable=True),
    ]
