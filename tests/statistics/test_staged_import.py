"""Staging an import as a scheduled data release: the admin's upload -> preview -> confirm
and `import_indicators --release-at/--staged`, with real files from tests/data/."""

import re
from datetime import timedelta
from pathlib import Path
from statistics.models import DataRelease, ImportRecord, Observation

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from staff.roles import DATA_MANAGER

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"
IMPORT_URL = reverse("admin:statistics_observation_import")
PROCESS_URL = reverse("admin:statistics_observation_process_import")
START = timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)
RELEASE_AT = START + timedelta(days=3)
STAGED_CSV = "/statistics/reception-accommodated.csv"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def data_manager(client, staff_with_role):
    user = staff_with_role(DATA_MANAGER)
    client.force_login(user)
    return user


def upload(client, name, **release):
    data = (DATA / name).read_bytes()
    return client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, data), "format": "0", "resource": "0", **release},
    )


def confirm_data(html):
    return dict(re.findall(r'name="(upload)" value="([^"]*)"', html))


def local_input(moment):
    """The release time as staff type it: day.month.year and the local time."""
    local = timezone.localtime(moment)
    return {"release_at_0": local.strftime("%d.%m.%Y"), "release_at_1": local.strftime("%H:%M")}


def public_csv(client):
    client.logout()
    response = client.get(STAGED_CSV)
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_upload_form_offers_staging(client, data_manager):
    html = client.get(IMPORT_URL).content.decode()
    assert 'name="release_mode"' in html and 'name="release_at_0"' in html
    assert "Date as day.month.year (01.03.2026)" in html
    assert "held until a Publisher or Data manager releases it" in html


def test_admin_stages_an_import_that_appears_at_its_time(client, demo, data_manager, clock):
    response = upload(
        client,
        "staged_release.csv",
        release_mode="schedule",
        **local_input(RELEASE_AT),
        release_name="Q1 2029 reception",
    )
    html = response.content.decode()
    assert "2 new, 0 updated, 0 unchanged, 0 with errors." in html
    assert "Staged as the data release “Q1 2029 reception”: public from" in html
    assert not DataRelease.objects.exists()  # the preview wrote nothing

    response = client.post(PROCESS_URL, confirm_data(html), follow=True)
    page = response.content.decode()
    assert "2 new, 0 updated, 0 unchanged observations" in page
    assert "Staged as the data release “Q1 2029 reception”" in page
    release = DataRelease.objects.get()
    record = ImportRecord.objects.get(committed=True)
    assert (release.name, release.release_at, release.created_by) == (
        "Q1 2029 reception",
        RELEASE_AT,
        data_manager,
    )
    assert release.import_record == record
    assert release.observations.count() == 2 and release.status == "scheduled"
    assert "1234.5" not in public_csv(client)

    clock.move_to(RELEASE_AT)
    assert "1234.5" in public_csv(client)


def test_admin_stages_a_held_import_released_by_hand(client, demo, data_manager):
    html = upload(client, "staged_release.csv", release_mode="hold").content.decode()
    assert "not public until a Publisher or Data manager releases it" in html
    client.post(PROCESS_URL, confirm_data(html))
    release = DataRelease.objects.get()
    assert release.name == "staged_release.csv" and release.status == "held"
    assert "1234.5" not in public_csv(client)

    client.force_login(data_manager)
    client.post(
        reverse("admin:statistics_datarelease_changelist"),
        {"action": "release_now", "_selected_action": [release.pk]},
    )
    assert "1234.5" in public_csv(client)


def test_staging_an_import_that_changes_existing_values_is_refused(client, demo, data_manager):
    before = list(Observation.objects.values_list("pk", "value"))
    html = upload(client, "staged_release_changes.csv", release_mode="hold").content.decode()
    assert "Rejected: nothing will be written" in html
    assert "2 new, 0 updated, 0 unchanged, 1 with errors." in html
    assert "This row would change an existing observation (value)" in html
    assert "confirm" not in confirm_data(html) and not confirm_data(html)
    assert list(Observation.objects.values_list("pk", "value")) == before

    # The same file without staging updates the value, as before.
    html = upload(client, "staged_release_changes.csv").content.decode()
    assert "2 new, 1 updated, 0 unchanged, 0 with errors." in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"release_mode": "schedule"}, "Give the time the release becomes public."),
        (
            {"release_mode": "schedule", "release_at_0": "1.1.2020", "release_at_1": "10:00"},
            "has passed; choose a time in the future",
        ),
    ],
)
def test_the_release_time_must_be_given_and_in_the_future(
    client, demo, data_manager, fields, message
):
    html = upload(client, "staged_release.csv", **fields).content.decode()
    assert message in html
    assert not confirm_data(html)


def test_a_release_time_that_passes_before_the_confirm_is_refused(
    client, demo, data_manager, clock
):
    soon = START + timedelta(minutes=10)  # well within IMPORT_PENDING_SECONDS
    html = upload(
        client, "staged_release.csv", release_mode="schedule", **local_input(soon)
    ).content.decode()
    clock.move_to(soon + timedelta(minutes=1))
    response = client.post(PROCESS_URL, confirm_data(html), follow=True)
    assert "has passed; choose a time in the future" in response.content.decode()
    assert (
        not DataRelease.objects.exists() and not Observation.objects.filter(period="2029").exists()
    )


# --- the command ---------------------------------------------------------------------------


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_indicators", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_command_release_at_stages_the_import(demo, client, clock):
    when = timezone.localtime(RELEASE_AT).strftime("%Y-%m-%d %H:%M")
    out = run(str(DATA / "staged_release.csv"), "--release-at", when)
    assert "2 new, 0 updated" in out
    assert "Staged as the data release “staged_release.csv”: public from" in out
    release = DataRelease.objects.get()
    assert release.release_at == RELEASE_AT and release.import_record.via == "command"
    assert "1234.5" not in public_csv(client)
    clock.move_to(RELEASE_AT)
    assert "1234.5" in public_csv(client)


def test_command_staged_holds_the_import(demo, client):
    out = run(str(DATA / "staged_release.csv"), "--staged", "--release-name", "Embargo")
    assert "“Embargo”: not public until" in out
    assert DataRelease.objects.get().status == "held"
    assert "1234.5" not in public_csv(client)


def test_command_staged_dry_run_writes_nothing(demo):
    out = run(str(DATA / "staged_release.csv"), "--staged", "--dry-run")
    assert "Dry run: nothing was written." in out
    assert not DataRelease.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--staged", "--release-at", "2030-01-01 10:00"], "not both"),
        (["--release-at", "next week"], "is not a date and time"),
        (["--release-at", "2020-01-01 10:00"], "has passed"),
        (["--release-name", "Embargo"], "needs --release-at or --staged"),
    ],
)
def test_command_refuses_unclear_staging(demo, args, message):
    with pytest.raises(CommandError, match=message):
        run(str(DATA / "staged_release.csv"), *args)
    assert not Observation.objects.filter(period="2029").exists()


def test_command_refuses_a_staged_change_of_existing_values(demo):
    with pytest.raises(CommandError, match="Rejected"):
        run(str(DATA / "staged_release_changes.csv"), "--staged")
    assert not DataRelease.objects.exists()
    assert not Observation.objects.filter(period="2029").exists()


def test_a_direct_import_correcting_a_staged_value_keeps_it_staged(demo, client):
    """Documented rule: a direct import that changes a staged observation changes it inside
    its release; it does not publish it."""
    run(str(DATA / "staged_release.csv"), "--staged")
    Observation.objects.filter(period="2029-Q1").update(value=1)
    out = run(str(DATA / "staged_release.csv"))
    assert "0 new, 1 updated, 1 unchanged" in out
    staged = Observation.objects.get(period="2029-Q1")
    assert staged.release is not None and str(staged.value) == "1234.5000"
    assert "1234.5" not in public_csv(client)
