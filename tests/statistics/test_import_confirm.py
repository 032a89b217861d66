"""The admin import's confirm step: it names a pending upload by a random id, for its uploader
only, once, before it expires; nothing the client sends names a path."""

import re
import tempfile
import threading
import uuid
from datetime import timedelta
from io import StringIO
from pathlib import Path
from statistics.models import ImportRecord, Observation, PendingUpload

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.locks import wait_for_a_lock_wait

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"
IMPORT_URL = reverse("admin:statistics_observation_import")
PROCESS_URL = reverse("admin:statistics_observation_process_import")
CHANGELIST_URL = reverse("admin:statistics_observation_changelist")
GOOD = "utf8_bom_comma.csv"  # on the demo content: 3 new, 1 updated
REJECTED = "error_unknown_area.csv"
NOT_WAITING = "This upload is not waiting for confirmation"
NAMED_NO_UPLOAD = "The confirmation named no upload."
NOTHING_IMPORTED = "Nothing was imported; upload the file again."
START = timezone.now().replace(microsecond=0)


def logged_in(user):
    client = Client(raise_request_exception=False)  # a crash must show as a 500, not raise
    client.force_login(user)
    return client


@pytest.fixture
def manager(demo, staff_with_role):
    return staff_with_role("Data manager", "uploader")


@pytest.fixture
def uploader(manager):
    return logged_in(manager)


@pytest.fixture
def colleague(demo, staff_with_role):
    return staff_with_role("Data manager", "colleague")


def preview(client, name=GOOD):
    response = client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, (DATA / name).read_bytes()), "format": "0"},
    )
    assert response.status_code == 200
    return response


def upload_id(response):
    """The pending upload's id from the confirm form, or None when there is no confirm step."""
    match = re.search(r'name="upload" value="([^"]*)"', response.content.decode())
    return match and match.group(1)


def confirm(client, data):
    return client.post(PROCESS_URL, data, follow=True)


def assert_refused(response, reason):
    """Sent back to the upload form with a message saying why; no server error."""
    assert response.redirect_chain == [(IMPORT_URL, 302)]
    html = response.content.decode()
    assert reason in html
    assert NOTHING_IMPORTED in html
    assert 'name="import_file"' in html


def test_confirm_imports_the_pending_upload_once_and_deletes_it(uploader, manager):
    before = Observation.objects.count()
    response = preview(uploader)
    pending = PendingUpload.objects.get()
    assert (pending.user, pending.file_name) == (manager, GOOD)
    assert bytes(pending.data) == (DATA / GOOD).read_bytes() and pending.size == len(pending.data)
    # The confirm form carries the id and nothing else: no file name, no format, no path.
    html = response.content.decode()
    form = re.search(f'<form action="{PROCESS_URL}".*?</form>', html, re.S).group(0)
    names = re.findall(r'name="(\w+)"', form)
    assert names == ["csrfmiddlewaretoken", "upload", "confirm"]
    assert upload_id(response) == str(pending.pk)

    response = confirm(uploader, {"upload": upload_id(response)})
    assert response.redirect_chain == [(CHANGELIST_URL, 302)]
    assert "3 new, 1 updated, 0 unchanged observations" in response.content.decode()
    assert Observation.objects.count() == before + 3
    record = ImportRecord.objects.get(committed=True)
    assert (record.user, record.file_name) == (manager, GOOD)
    assert not PendingUpload.objects.exists()


def test_a_double_confirm_imports_once(uploader):
    before = Observation.objects.count()
    data = {"upload": upload_id(preview(uploader))}
    assert confirm(uploader, data).redirect_chain == [(CHANGELIST_URL, 302)]
    assert_refused(confirm(uploader, data), NOT_WAITING)
    assert Observation.objects.count() == before + 3
    assert ImportRecord.objects.filter(committed=True).count() == 1


def test_a_confirm_that_fails_leaves_no_upload_to_fail_again(uploader, monkeypatch, caplog):
    """A failed import (here a database error while writing; in production also a worker
    killed at its timeout) writes nothing, says so, and its upload is gone: a retry cannot
    fail the same way again."""
    before = Observation.objects.count()
    data = {"upload": upload_id(preview(uploader))}

    def broken_write(*args):
        raise DatabaseError("the server closed the connection")

    monkeypatch.setattr("statistics.imports.writing.write", broken_write)
    response = confirm(uploader, data)
    assert_refused(response, f"The import of {GOOD} failed with an unexpected error")
    assert "the server closed the connection" in caplog.text  # logged, not shown
    assert "the server closed the connection" not in response.content.decode()
    assert Observation.objects.count() == before
    assert not ImportRecord.objects.filter(committed=True).exists()
    assert not PendingUpload.objects.exists()
    assert_refused(confirm(uploader, data), NOT_WAITING)


class WorkerKilled(BaseException):
    """Stands in for kill -9: no handler runs, the open transaction is abandoned."""


def test_a_worker_killed_during_the_import_leaves_no_upload_to_confirm_again(uploader, monkeypatch):
    """The claim is committed before the import starts, not rolled back with the admin
    request's transaction when the worker dies: the same upload is never imported twice."""
    before = Observation.objects.count()
    data = {"upload": upload_id(preview(uploader))}
    with monkeypatch.context() as patched:

        def killed(*args, **kwargs):
            raise WorkerKilled

        patched.setattr("statistics.admin.import_observations", killed)
        with pytest.raises(WorkerKilled):
            uploader.post(PROCESS_URL, data)
    assert not PendingUpload.objects.exists()
    assert_refused(confirm(uploader, data), NOT_WAITING)
    assert Observation.objects.count() == before


def test_a_forged_id_is_refused_and_spends_nothing(uploader):
    real = upload_id(preview(uploader))
    before = Observation.objects.count()
    assert_refused(confirm(uploader, {"upload": str(uuid.uuid4())}), NOT_WAITING)
    assert Observation.objects.count() == before
    assert str(PendingUpload.objects.get().pk) == real  # the real one still waits


@pytest.mark.parametrize("data", [{}, {"upload": ""}, {"upload": "not-an-id"}])
def test_a_missing_or_malformed_id_is_refused(uploader, data):
    before = Observation.objects.count()
    assert_refused(confirm(uploader, data), NAMED_NO_UPLOAD)
    assert Observation.objects.count() == before


@pytest.fixture
def file_in_temp_folder():
    """A valid import file in the system temp folder, where the old confirm step read from."""
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as handle:
        handle.write((DATA / GOOD).read_bytes())
    path = Path(handle.name)
    yield path
    path.unlink(missing_ok=True)


@pytest.mark.parametrize("which", ["absolute path", "bare name", "../../etc/passwd", "/etc/passwd"])
def test_a_path_is_never_read_or_deleted(uploader, file_in_temp_folder, which):
    value = {
        "absolute path": str(file_in_temp_folder),
        "bare name": file_in_temp_folder.name,
    }.get(which, which)
    before = Observation.objects.count()
    # Every field the old and the new confirm form had, each naming the file.
    data = {"upload": value, "import_file_name": value, "original_file_name": value}
    response = confirm(uploader, {**data, "format": "0", "resource": "0"})
    assert_refused(response, NAMED_NO_UPLOAD)
    assert file_in_temp_folder.read_bytes() == (DATA / GOOD).read_bytes()
    assert Observation.objects.count() == before
    assert not ImportRecord.objects.exists()  # nothing was even read


def test_another_users_upload_cannot_be_confirmed(uploader, colleague):
    before = Observation.objects.count()
    data = {"upload": upload_id(preview(uploader))}
    assert_refused(confirm(logged_in(colleague), data), NOT_WAITING)
    assert Observation.objects.count() == before
    # Refusing the colleague left the upload to its owner.
    assert confirm(uploader, data).redirect_chain == [(CHANGELIST_URL, 302)]
    assert Observation.objects.count() == before + 3


def test_confirm_needs_the_import_permission(uploader):
    data = {"upload": upload_id(preview(uploader))}
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="add_observation"))
    assert logged_in(viewer).post(PROCESS_URL, data).status_code == 403
    assert PendingUpload.objects.exists()


@pytest.mark.parametrize(("waited", "imported"), [(59, True), (61, False)])
def test_an_upload_expires_after_import_pending_seconds(uploader, settings, waited, imported):
    settings.IMPORT_PENDING_SECONDS = 60
    before = Observation.objects.count()
    with time_machine.travel(START, tick=False):
        data = {"upload": upload_id(preview(uploader))}
    with time_machine.travel(START + timedelta(seconds=waited), tick=False):
        response = confirm(uploader, data)
    if imported:
        assert response.redirect_chain == [(CHANGELIST_URL, 302)]
        assert Observation.objects.count() == before + 3
    else:
        assert_refused(response, f"The upload of {GOOD} expired before it was confirmed.")
        assert Observation.objects.count() == before
    assert not PendingUpload.objects.exists()  # imported or expired, it is gone


@pytest.mark.parametrize(("name", "kept"), [(GOOD, 1), (REJECTED, 0)])
def test_previews_write_nothing_to_any_folder(
    uploader, settings, monkeypatch, tmp_path, name, kept
):
    """The old confirm step left every preview's upload in the temp folder for ever."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    response = preview(uploader, name)
    assert PendingUpload.objects.count() == kept  # a rejected preview has nothing to confirm
    assert bool(upload_id(response)) == bool(kept)
    if kept:
        confirm(uploader, {"upload": upload_id(response)})
        assert not PendingUpload.objects.exists()
    assert [path.name for path in tmp_path.rglob("*")] == ["tmp"]


def pending_at(moment, user, name):
    with time_machine.travel(moment, tick=False):
        return PendingUpload.objects.create(user=user, file_name=name, size=1, data=b"x")


def test_the_command_deletes_expired_uploads_and_keeps_fresh_ones(manager, settings):
    settings.IMPORT_PENDING_SECONDS = 3600
    pending_at(START - timedelta(hours=2), manager, "old.csv")
    pending_at(START - timedelta(minutes=59), manager, "fresh.csv")
    out = StringIO()
    with time_machine.travel(START, tick=False):
        call_command("clean_pending_imports", stdout=out)
    assert out.getvalue() == "Deleted 1 expired pending upload(s).\n"
    assert list(PendingUpload.objects.values_list("file_name", flat=True)) == ["fresh.csv"]


def test_each_new_upload_first_deletes_expired_ones(uploader, colleague, settings):
    settings.IMPORT_PENDING_SECONDS = 3600
    pending_at(START - timedelta(hours=2), colleague, "old.csv")
    pending_at(START - timedelta(minutes=59), colleague, "fresh.csv")
    with time_machine.travel(START, tick=False):
        preview(uploader)
    names = set(PendingUpload.objects.values_list("file_name", flat=True))
    assert names == {"fresh.csv", GOOD}


def test_each_user_keeps_only_the_newest_uploads(uploader, manager, settings):
    settings.IMPORT_PENDING_PER_USER = 2
    ids = []
    for seconds in range(3):
        with time_machine.travel(START + timedelta(seconds=seconds), tick=False):
            ids.append(upload_id(preview(uploader)))
    assert sorted(str(pk) for pk in PendingUpload.objects.values_list("pk", flat=True)) == sorted(
        ids[1:]
    )
    with time_machine.travel(START + timedelta(seconds=3), tick=False):
        assert_refused(confirm(uploader, {"upload": ids[0]}), NOT_WAITING)


def test_deleting_the_user_deletes_their_pending_uploads(uploader, manager):
    preview(uploader)
    manager.delete()
    assert not PendingUpload.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL only"
)
def test_two_simultaneous_confirms_claim_the_upload_once(django_user_model):
    """Both confirms read the upload before either commits: only the first may import it."""
    user = django_user_model.objects.create_user("racer")
    pending = PendingUpload.objects.create(user=user, file_name=GOOD, size=1, data=b"x")
    first_claimed, first_may_commit = threading.Event(), threading.Event()
    claimed = {}

    def confirm_in_thread(name, hold):
        try:
            with transaction.atomic():
                try:
                    claimed[name] = PendingUpload.objects.claim(pending.pk, user).pk
                except PendingUpload.DoesNotExist:
                    claimed[name] = None
                if hold:
                    first_claimed.set()
                    first_may_commit.wait(timeout=60)
        finally:
            connection.close()

    first = threading.Thread(target=confirm_in_thread, args=("first", True))
    first.start()
    assert first_claimed.wait(timeout=60)
    second = threading.Thread(target=confirm_in_thread, args=("second", False))
    second.start()
    # The second has read the row and now waits for the first's lock on it.
    wait_for_a_lock_wait()
    first_may_commit.set()
    first.join(timeout=60)
    second.join(timeout=60)
    assert claimed == {"first": pending.pk, "second": None}
    assert not PendingUpload.objects.exists()
