"""`clean_orphan_files`: lists the stored files under library/ and documents/ that nothing
refers to (dry run by default), removes them with --delete, and keeps every file a row, a
change waiting for review or a current rendition needs."""

import os
import time
from io import StringIO

import pytest
from django.core.management import call_command

from documents.models import Document
from library.renditions import make_standard_renditions
from publishing.revisions import Revision
from staff.roles import EDITOR
from tests.admin_forms import change_url
from tests.documents.conftest import data_file
from tests.documents.test_admin import document_form
from tests.factories import DocumentFactory

from .images import make_image, photo_bytes

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("clean_orphan_files", *args, stdout=out)
    return out.getvalue()


def all_files(media):
    return {path.relative_to(media).as_posix() for path in media.rglob("*") if path.is_file()}


def write(media, name, data=b"x", age=7200):
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    then = time.time() - age
    os.utime(path, (then, then))
    return name


@pytest.fixture
def stored(media, client, staff_with_role):
    image = make_image(photo_bytes(700, 400))
    make_standard_renditions(image)
    published = DocumentFactory(slug="published")
    published.file = data_file("report.pdf")
    published.save()
    draft = DocumentFactory(slug="draft", is_published=False)
    draft.file = data_file("report.docx")
    draft.save()
    # A new file proposed for a published document, waiting for review.
    proposed_for = DocumentFactory(title="Report", slug="report")
    client.force_login(staff_with_role(EDITOR))
    response = client.post(
        change_url(proposed_for),
        document_form(
            title="Report", slug="report", file=data_file("report.pdf"), review_requested="on"
        ),
    )
    assert response.status_code == 302
    assert Revision.objects.get().snapshot["object"]["fields"]["file"].startswith("documents/")
    kept = all_files(media)
    # The published and the draft document's files, and the proposed one.
    assert len({name for name in kept if name.startswith("documents/")}) == 3
    orphans = {
        write(media, "documents/withdrawn-long-ago.pdf", b"%PDF-1.4 old"),
        write(media, "library/replaced.jpg"),
        write(media, f"library/renditions/{image.pk}-0123456789-full-160.webp"),
        write(media, "library/renditions/99999-0123456789-full-160.webp"),
    }
    young = write(media, "documents/uploading-now.pdf", age=0)
    return {"kept": kept, "orphans": orphans, "young": young}


def test_a_dry_run_lists_the_orphans_and_deletes_nothing(media, stored):
    before = all_files(media)
    output = run()
    for name in stored["orphans"]:
        assert name in output
    assert not any(name in output for name in stored["kept"])
    assert stored["young"] not in output  # stored moments ago: its row may be on its way
    assert "4 orphan files" in output and "--delete" in output
    assert all_files(media) == before


def test_delete_removes_the_orphans_and_keeps_every_referenced_file(media, stored):
    output = run("--delete")
    assert "Deleted 4 orphan files" in output
    assert all_files(media) == stored["kept"] | {stored["young"]}
    assert run().strip() == "No orphan files."


def test_min_age_zero_also_takes_a_young_orphan(media, stored):
    run("--delete", "--min-age", "0")
    assert all_files(media) == stored["kept"]


def test_a_draft_documents_file_is_kept_but_not_served(client, media, stored):
    """The cleaner keeps a draft's file (its row refers to it); the public cannot reach it."""
    run("--delete")
    draft = Document.objects.get(slug="draft")
    assert (media / draft.file.name).is_file()
    client.logout()
    assert client.get("/documents/draft/file/").status_code == 404
