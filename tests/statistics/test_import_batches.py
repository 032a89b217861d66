"""What an import changes in existing observations, shown before confirming (field by field,
with examples), kept as a batch on its import record, inspected and undone as one step in the
admin, never over later work; through real files in tests/data/ and the admin's URLs.

The case of issue 22: the World Bank's population file turned the demo's 70 "estimated"
values into "as published" (tests/data/world_bank_population.csv, made from the demo's own
figures by make_world_bank_population.py: only the status differs)."""

import html
import io
import json
import re
import threading
from decimal import Decimal
from pathlib import Path
from statistics.models import ImportedChange, ImportProfile, ImportRecord, Observation

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

import pagecache
from audit.models import AuditAction, AuditEntry
from tests.factories import CountryFactory, IndicatorFactory, UserFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"
WORLD_BANK = "world_bank_population.csv"
REVISION = "population_revision.csv"  # two of the same figures, revised
NEW_ONLY = "population_projection_new.csv"  # two new observations
PROJECTION_REVISED = "population_projection_revised.csv"  # one of them revised
BUILD = reverse("admin:statistics_importprofile_build")
IMPORT_URL = reverse("admin:statistics_observation_import")
PROCESS_URL = reverse("admin:statistics_observation_process_import")
INDICATORS = reverse("statistics:indicator-list")
UNDO_BUTTON = 'value="Undo this import"'
# The builder's form for the World Bank profile (columns by the file's own numbers).
WB_FORM = {
    "name": "World Bank WDI: total population (no status)",
    "header_row": "5",
    "layout": "wide",
    "column_area": "2",
    "column_indicator": "4",
    "value_columns": r"^(?P<period>\d{4})$",
    "default_source": "worldbank-wdi-sp-pop-totl",
    "decimal": ".",
    "thousands": "",
    "dates": "day",
}


def logged_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def wb_profile(demo):
    definition = json.loads((DATA / "world_bank_population_profile.json").read_text())
    return ImportProfile.objects.create(name=definition["name"], definition=definition)


@pytest.fixture
def elena(demo, staff_with_role):
    return logged_in(staff_with_role("Data manager", "elena"))


@pytest.fixture
def petar(demo, staff_with_role):
    return logged_in(staff_with_role("Data manager", "petar"))


@pytest.fixture
def cache_on(settings):
    """The page cache on, as in production (tests elsewhere see the views alone)."""
    settings.PAGE_CACHE = True
    settings.CACHES = {"default": {"BACKEND": "tests.pagecache.doubles.RecordingCache"}}
    caches["default"].clear()
    pagecache.reset()


def population_statuses():
    return set(
        Observation.objects.filter(indicator__code="population").values_list("status", flat=True)
    )


def profile_preview(client, profile, name=WORLD_BANK):
    """Upload a file with a saved profile: (its builder URL, the preview page)."""
    upload = SimpleUploadedFile(name, (DATA / name).read_bytes())
    response = client.post(f"{BUILD}?profile={profile.pk}", {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    url = response["Location"]
    page = client.get(url)
    assert page.status_code == 200
    return url, page.content.decode()


def profile_import(client, profile, name=WORLD_BANK, **form):
    url, _page = profile_preview(client, profile, name)
    response = client.post(url, {**WB_FORM, **form, "action": "import"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportRecord.objects.written().latest("pk")


def contract_preview(client, name):
    upload = SimpleUploadedFile(name, (DATA / name).read_bytes())
    response = client.post(IMPORT_URL, {"import_file": upload})
    assert response.status_code == 200
    return response


def contract_import(client, name):
    """Preview and confirm a contract file through Observations -> Import: the record."""
    page = contract_preview(client, name).content.decode()
    upload_id = re.search(r'name="upload" value="([^"]*)"', page).group(1)
    response = client.post(PROCESS_URL, {"upload": upload_id})
    assert response.status_code == 302
    return ImportRecord.objects.written().latest("pk")


def record_page(client, record):
    return client.get(reverse("admin:statistics_importrecord_change", args=[record.pk]))


def undo(client, record):
    return client.post(reverse("admin:statistics_importrecord_undo", args=[record.pk]), follow=True)


def readable(page):
    """A page's text without tags, spaces collapsed (the preview's lines as read)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def text(response):
    return readable(response.content.decode())


# The preview of changes -----------------------------------------------------------------


def test_profile_preview_lists_the_70_status_changes_with_examples(elena, wb_profile):
    _url, page = profile_preview(elena, wb_profile)
    read = readable(page)
    assert "0 new, 70 updated, 0 unchanged, 0 with errors." in read
    assert "Changes to 70 existing observations" in read
    assert "70 observations : status Estimated → As published" in read
    # Examples name the place, the period and the indicator, then old -> new.
    assert "Population, Albania, 2015: Estimated → As published" in read
    assert "and 67 more" in read
    assert "value changed" not in read  # the figures are the file's own: only the status


def test_contract_preview_lists_each_field_in_regional_numbers(elena, demo):
    """Observations -> Import: a revision of two World Bank figures, value, status and note."""
    read = text(contract_preview(elena, REVISION))
    assert "0 new, 2 updated" in read
    assert "Changes to 2 existing observations" in read
    assert "2 observations : value changed" in read
    assert "Population, Albania, 2015: 2,731,293 → 2,731,300" in read
    assert "Population, Serbia, 2024: 6,586,476 → 6,600,000" in read
    assert "1 observation : status Estimated → As published" in read
    assert "1 observation : status Estimated → Final" in read
    assert "1 observation : note changed" in read
    assert "Population, Serbia, 2024: (blank) → Revised by the national statistical office" in read


def test_a_new_only_import_lists_no_changes(elena, demo):
    read = text(contract_preview(elena, NEW_ONLY))
    assert "2 new, 0 updated" in read and "existing observation" not in read


# The batch: inspected and undone --------------------------------------------------------


def test_the_batch_is_inspected_and_undone_as_one_step(elena, wb_profile, cache_on):
    visitor = Client()
    assert "70 estimated" in text(visitor.get(INDICATORS))
    assert visitor.get(INDICATORS)["X-Page-Cache"] == "hit"
    record = profile_import(elena, wb_profile)
    assert population_statuses() == {"as_published"}
    assert "70 estimated" not in text(visitor.get(INDICATORS))
    assert record.changes.count() == 70

    page = record_page(elena, record)
    read = text(page)
    assert "It added 0 observations." in read
    assert "70 observations : status Estimated → As published" in read
    assert "elena" in read and WORLD_BANK in read
    assert UNDO_BUTTON in page.content.decode()

    response = undo(elena, record)
    assert "The import of world_bank_population.csv was undone: 70 observations" in text(response)
    assert population_statuses() == {"estimated"}
    albania = Observation.objects.get(
        indicator__code="population", country__iso_code="AL", period="2015"
    )
    assert albania.value == Decimal("2731293")
    after = visitor.get(INDICATORS)
    assert after["X-Page-Cache"] == "miss"  # the undo bumped the page cache
    assert "70 estimated" in text(after)
    record.refresh_from_db()
    assert record.undone_at is not None and record.undone_by.username == "elena"
    assert "Undone on" in text(record_page(elena, record))
    assert UNDO_BUTTON not in record_page(elena, record).content.decode()
    actions = list(
        AuditEntry.objects.filter(object_id=str(record.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == [AuditAction.IMPORT, AuditAction.UNDO_IMPORT]


def test_undo_deletes_what_the_import_added(elena, demo):
    record = contract_import(elena, NEW_ONLY)
    read = text(record_page(elena, record))
    assert "It added 2 observations." in read
    assert "Population, AL, 2030" in read and "Population, AL, 2031" in read
    undo(elena, record)
    assert not Observation.objects.filter(
        indicator__code="population", period__in=["2030", "2031"]
    ).exists()


def test_an_undo_after_a_later_import_changed_what_it_added_is_refused(elena, petar, demo):
    """Elena adds two figures; Petar's later import revises one: deleting it would lose his
    revision, so Elena's undo is refused until his is undone."""
    first = contract_import(elena, NEW_ONLY)
    assert len(first.added_observations) == 2
    second = contract_import(petar, PROJECTION_REVISED)
    read = text(undo(elena, first))
    assert "1 observation this import wrote has been changed since." in read
    assert f"import record {second.pk}" in read
    assert Observation.objects.filter(indicator__code="population", period="2030").exists()
    undo(petar, second)
    assert "was undone" in text(undo(elena, first))
    assert not Observation.objects.filter(indicator__code="population", period="2030").exists()


def test_undoing_twice_is_refused(elena, wb_profile):
    record = profile_import(elena, wb_profile)
    undo(elena, record)
    response = undo(elena, record)
    assert "This import has been undone already" in text(response)
    assert population_statuses() == {"estimated"}


def test_an_undo_after_someone_elses_later_import_is_refused(elena, petar, wb_profile):
    """Two people: Elena imports the World Bank file; Petar then imports a revision of two of
    the same figures; Elena's undo would put back "estimated" over Petar's values: refused,
    naming his import, nothing changed. Once Petar undoes his, Elena's undo goes through."""
    first = profile_import(elena, wb_profile)
    second = contract_import(petar, REVISION)
    response = undo(elena, first)
    read = text(response)
    assert "Not undone: nothing was changed." in read
    assert "2 observations this import wrote have been changed since." in read
    assert "“population_revision.csv” by petar" in read and f"import record {second.pk}" in read
    assert population_statuses() == {"as_published", "final"}
    first.refresh_from_db()
    assert first.undone_at is None
    albania = Observation.objects.get(
        indicator__code="population", country__iso_code="AL", period="2015"
    )
    assert albania.value == Decimal("2731300")

    undo(petar, second)
    assert "was undone" in text(undo(elena, first))
    assert population_statuses() == {"estimated"}
    assert albania.__class__.objects.get(pk=albania.pk).value == Decimal("2731293")


def test_an_undo_after_an_edit_in_the_admin_is_refused(elena, wb_profile, superuser):
    record = profile_import(elena, wb_profile)
    albania = Observation.objects.get(
        indicator__code="population", country__iso_code="AL", period="2015"
    )
    albania.note = "Checked by hand"
    albania.save()  # as the admin's form saves: a history entry
    read = text(undo(elena, record))
    assert "1 observation this import wrote has been changed since." in read
    assert population_statuses() == {"as_published"}


def test_an_undo_after_a_changed_observation_was_deleted_is_refused(elena, wb_profile):
    record = profile_import(elena, wb_profile)
    Observation.objects.get(
        indicator__code="population", country__iso_code="ME", period="2020"
    ).delete()
    read = text(undo(elena, record))
    assert "1 observation this import changed has been deleted since." in read
    assert population_statuses() == {"as_published"}


def test_a_view_only_role_may_see_a_batch_but_not_undo_it(elena, wb_profile, demo):
    record = profile_import(elena, wb_profile)
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_importrecord"))
    client = logged_in(viewer)
    page = record_page(client, record)
    assert page.status_code == 200 and UNDO_BUTTON not in page.content.decode()
    assert "70 observations : status Estimated → As published" in text(page)
    response = client.post(reverse("admin:statistics_importrecord_undo", args=[record.pk]))
    assert response.status_code == 403
    assert population_statuses() == {"as_published"}
    record.refresh_from_db()
    assert record.undone_at is None


def test_undo_is_a_post(elena, wb_profile):
    record = profile_import(elena, wb_profile)
    response = elena.get(reverse("admin:statistics_importrecord_undo", args=[record.pk]))
    assert response.status_code == 405
    assert population_statuses() == {"as_published"}


def test_a_preview_or_rejected_run_has_nothing_to_undo(elena, wb_profile):
    profile_preview(elena, wb_profile)
    preview = ImportRecord.objects.latest("pk")
    assert preview.dry_run
    assert UNDO_BUTTON not in record_page(elena, preview).content.decode()
    read = text(undo(elena, preview))
    assert "This import has been undone already, or it wrote nothing." in read
    assert not ImportedChange.objects.exists()


def test_the_import_is_in_the_audit_log(elena, wb_profile):
    record = profile_import(elena, wb_profile)
    entry = AuditEntry.objects.get(action=AuditAction.IMPORT, object_id=str(record.pk))
    assert entry.actor.username == "elena"
    assert entry.detail["updated"] == 70 and entry.detail["file"] == WORLD_BANK


# The profile builder's default status -----------------------------------------------------


def test_the_builder_saves_a_default_status_and_the_import_applies_it(elena, wb_profile):
    url, page = profile_preview(elena, wb_profile)
    assert 'name="default_status"' in page
    assert '<option value="as_published" selected>' in page
    response = elena.post(url, {**WB_FORM, "default_status": "estimated", "action": "save"})
    assert response.status_code == 302
    wb_profile.refresh_from_db()
    assert wb_profile.definition["defaults"]["status"] == "estimated"

    # The file states no status: with the profile's default, nothing changes.
    url, page = profile_preview(elena, wb_profile)
    assert '<option value="estimated" selected>' in page
    assert "0 new, 0 updated, 70 unchanged" in " ".join(page.split())
    # Another default status is applied to every row on import.
    profile_import(elena, wb_profile, default_status="provisional")
    assert population_statuses() == {"provisional"}


def test_the_default_status_offers_only_statuses_of_a_number(elena, wb_profile):
    url, _page = profile_preview(elena, wb_profile)
    page = elena.post(url, {**WB_FORM, "default_status": "suppressed", "action": "save"})
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()
    wb_profile.refresh_from_db()
    assert "status" not in wb_profile.definition.get("defaults", {})


def test_the_command_prints_the_changes_and_its_import_can_be_undone(elena, demo):
    out = io.StringIO()
    call_command(
        "import_indicators",
        str(DATA / WORLD_BANK),
        "--profile",
        str(DATA / "world_bank_population_profile.json"),
        stdout=out,
        stderr=io.StringIO(),
    )
    printed = out.getvalue()
    assert "0 new, 70 updated, 0 unchanged" in printed
    assert "70 observations: status Estimated -> As published" in printed
    assert "Population, Albania, 2015: Estimated -> As published" in printed
    record = ImportRecord.objects.written().get()
    assert record.via == "command" and record.user is None
    entry = AuditEntry.objects.get(action=AuditAction.IMPORT, object_id=str(record.pk))
    assert entry.actor is None and entry.actor_name == "import_indicators"
    assert "was undone" in text(undo(elena, record))
    assert population_statuses() == {"estimated"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL only"
)
def test_two_simultaneous_undos_undo_once(django_user_model):
    """Both undos start before either commits: the second waits for the first's claim on the
    record and is then refused; the values are restored once."""
    from statistics.imports.pipeline import import_observations
    from statistics.imports.undo import UndoRefused, undo_import

    user = django_user_model.objects.create_user("racer")
    indicator = IndicatorFactory(code="racing")
    CountryFactory(iso_code="QR")
    import_observations(b"indicator,area,period,value\nracing,QR,2020,1\n", user=user)
    record = import_observations(b"indicator,area,period,value\nracing,QR,2020,2\n").record
    first_undone, first_may_commit = threading.Event(), threading.Event()
    outcome = {}

    def undo_in_thread(name, hold):
        try:
            with transaction.atomic():
                try:
                    outcome[name] = undo_import(record, user).restored
                except UndoRefused as refusal:
                    outcome[name] = str(refusal)
                if hold:
                    first_undone.set()
                    first_may_commit.wait(timeout=60)
        finally:
            connection.close()

    first = threading.Thread(target=undo_in_thread, args=("first", True))
    first.start()
    assert first_undone.wait(timeout=60)
    second = threading.Thread(target=undo_in_thread, args=("second", False))
    second.start()
    with connection.cursor() as cursor:  # the second now waits for the first's row lock
        for _ in range(6000):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.01)
    first_may_commit.set()
    first.join(timeout=60)
    second.join(timeout=60)
    assert outcome["first"] == 1
    assert outcome["second"].startswith("This import has been undone already")
    assert Observation.objects.get(indicator=indicator).value == 1
