"""A change whose bump cannot be written rolls back; a committed change is never left stale.

The cache here answers reads but refuses every write, as Redis does at `maxmemory` with its
default `noeviction` policy (tests/pagecache/doubles.py). Every path that changes content
either saves nothing and says so, or leaves no stale page behind.
"""

import io
from datetime import timedelta
from pathlib import Path
from statistics.models import ImportRecord, Observation, PendingUpload

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import pagecache
from pagecache.signals import content_changed
from projects.models import Project
from regions.models import ApproachSection, Region
from tests.admin_forms import change_url, changelist_url, delete_url, region_form
from tests.clock import midday
from tests.factories import ProjectFactory
from tests.pagecache.conftest import get, get_twice, in_thread, plain_page_app

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"
NOTHING_SAVED = "The page cache could not be updated, so nothing was saved; try again in a minute."


def assert_nothing_saved(response):
    assert response.status_code == 503
    assert NOTHING_SAVED in response.content.decode()
    assert response["Retry-After"] == "60"


def test_admin_edit_during_an_outage_saves_nothing_and_says_so(
    admin_client, visitor, region, refuse_writes
):
    cached = get_twice(visitor, region.get_absolute_url())
    refuse_writes()
    response = admin_client.post(change_url(region), region_form(region, summary="Edited."))
    assert_nothing_saved(response)
    region.refresh_from_db()
    assert region.summary == "Lead text one."
    # What is served is what is stored: nothing stale.
    again = visitor.get(region.get_absolute_url())
    assert again["X-Page-Cache"] == "hit" and again.content == cached.content


def test_inline_change_during_an_outage_saves_nothing(admin_client, region, refuse_writes):
    data = region_form(region)
    data.update(
        {
            "approach_sections-TOTAL_FORMS": "1",
            "approach_sections-0-order": "1",
            "approach_sections-0-title": "A new section",
            "approach_sections-0-body": "Its text.",
        }
    )
    refuse_writes()
    assert_nothing_saved(admin_client.post(change_url(region), data))
    assert not ApproachSection.objects.exists()


@pytest.mark.parametrize(
    ("action", "published", "review_requested"),
    [("publish", False, False), ("unpublish", True, False), ("submit_for_review", False, False)],
)
def test_changelist_action_during_an_outage_saves_nothing(
    admin_client, visitor, refuse_writes, action, published, review_requested
):
    project = ProjectFactory(
        title="Project in question", is_published=published, review_requested=review_requested
    )
    if published:
        assert "Project in question" in get_twice(visitor, "/projects/").content.decode()
    refuse_writes()
    response = admin_client.post(
        changelist_url(Project), {"action": action, "_selected_action": [project.pk]}
    )
    assert_nothing_saved(response)
    project.refresh_from_db()
    assert (project.is_published, project.review_requested) == (published, review_requested)
    # The success message of the rolled-back action is not shown later either.
    assert "1 item" not in admin_client.get(changelist_url(Project)).content.decode()


def test_unpublish_during_an_outage_leaves_the_public_page_true(
    admin_client, visitor, refuse_writes, accept_writes
):
    """The incident: "Unpublish" answered 500 yet committed, and the old page stayed."""
    project = ProjectFactory(title="Project in question", is_published=True)
    get_twice(visitor, project.get_absolute_url())
    refuse_writes()
    admin_client.post(
        changelist_url(Project), {"action": "unpublish", "_selected_action": [project.pk]}
    )
    accept_writes()
    project.refresh_from_db()
    assert project.is_published
    assert visitor.get(project.get_absolute_url()).status_code == 200


def test_delete_during_an_outage_deletes_nothing(admin_client, refuse_writes):
    project = ProjectFactory()
    refuse_writes()
    assert_nothing_saved(admin_client.post(delete_url(project), {"post": "yes"}))
    assert Project.objects.filter(pk=project.pk).exists()


def test_history_revert_during_an_outage_restores_nothing(admin_client, region, refuse_writes):
    admin_client.post(change_url(region), region_form(region, summary="Second text."))
    first = region.history.earliest()
    url = reverse("admin:regions_region_simple_history", args=[region.pk, first.history_id])
    refuse_writes()
    assert_nothing_saved(admin_client.post(url, region_form(first.instance)))
    region.refresh_from_db()
    assert region.summary == "Second text."


def test_admin_import_during_an_outage_writes_nothing(admin_client, demo, refuse_writes):
    import re

    name = "utf8_bom_comma.csv"
    upload = admin_client.post(
        reverse("admin:statistics_observation_import"),
        {
            "import_file": SimpleUploadedFile(name, (DATA / name).read_bytes()),
            "format": "0",
            "resource": "0",
        },
    )
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', upload.content.decode()))
    before = Observation.objects.count()
    uploaded_at = PendingUpload.objects.get(pk=fields["upload"]).created_at
    refuse_writes()
    response = admin_client.post(
        reverse("admin:statistics_observation_process_import"),
        {"upload": fields["upload"]},
    )
    assert_nothing_saved(response)
    assert Observation.objects.count() == before
    assert not ImportRecord.objects.filter(committed=True).exists()
    # The upload is still waiting: confirming again once the cache is back imports it.
    # (The confirm claims it before the import and puts it back, as old as it was.)
    assert PendingUpload.objects.get(pk=fields["upload"]).created_at == uploaded_at


def test_an_import_preview_during_an_outage_still_works(admin_client, demo, refuse_writes):
    """Previews write only staff records (ImportRecord, PendingUpload): no public page
    changes, so they need no bump and work while the cache refuses writes."""
    refuse_writes()
    name = "utf8_bom_comma.csv"
    response = admin_client.post(
        reverse("admin:statistics_observation_import"),
        {
            "import_file": SimpleUploadedFile(name, (DATA / name).read_bytes()),
            "format": "0",
            "resource": "0",
        },
    )
    assert response.status_code == 200
    assert 'name="upload"' in response.content.decode()
    assert ImportRecord.objects.filter(dry_run=True).count() == 1


def test_import_command_during_an_outage_writes_nothing(demo, refuse_writes):
    before = Observation.objects.count()
    refuse_writes()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_indicators", str(DATA / "utf8_bom_comma.csv"), stdout=io.StringIO())
    assert Observation.objects.count() == before


def test_load_demo_during_an_outage_loads_nothing(refuse_writes):
    refuse_writes()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("load_demo", stdout=io.StringIO())
    assert not Region.objects.exists()


def test_a_failed_bump_after_commit_leaves_no_stale_page(
    visitor, region, refuse_writes, accept_writes, django_capture_on_commit_callbacks
):
    """The bump inside the transaction worked; the one after the commit is refused."""
    import time_machine

    url = region.get_absolute_url()
    get_twice(visitor, url)
    with django_capture_on_commit_callbacks(execute=True):
        region.summary = "Committed text."
        region.save()
        # Pages rendered now, between the bump and the commit, may show the old text (read
        # by another connection); they are kept only briefly (see the next test).
        refuse_writes()  # The bump after the commit will fail.
    # Redis still refuses writes: this process owes a bump and serves nothing from the cache.
    during = visitor.get(url)
    assert during["X-Page-Cache"] != "hit"
    # Redis accepts writes again: the bump is retried (at most once a second) before the
    # next lookup; the committed text is served, then cached.
    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=False):
        accept_writes()
        after = visitor.get(url)
        assert "Committed text." in after.content.decode()
        assert after["X-Page-Cache"] == "miss"
        assert visitor.get(url)["X-Page-Cache"] == "hit"


def test_a_page_rendered_under_a_pending_generation_is_kept_briefly(region, settings, no_schedule):
    """While a change is being committed, other requests may read the old data: their pages
    expire on their own within PAGE_CACHE_PENDING_SECONDS, should the bump after the commit
    fail."""
    import time_machine

    settings.PAGE_CACHE_PENDING_SECONDS = 5
    app = plain_page_app()
    start = midday()
    with time_machine.travel(start, tick=False) as clock, transaction.atomic():
        region.summary = "Being committed."
        region.save()
        assert pagecache.is_pending(pagecache.current_generation())
        # Another request (thread) renders a page meanwhile.
        assert in_thread(get, app)["X-Page-Cache"] == "miss"
        clock.move_to(start + timedelta(seconds=4))
        assert in_thread(get, app)["X-Page-Cache"] == "hit"
        clock.move_to(start + timedelta(seconds=5))
        assert in_thread(get, app)["X-Page-Cache"] == "miss"


def test_a_rolled_back_change_does_not_leave_the_generation_pending(no_schedule):
    app = plain_page_app()

    def change_rolled_back_then_request():
        with transaction.atomic():
            content_changed.send(sender=Region)
            transaction.set_rollback(True)
        assert pagecache.is_pending(pagecache.current_generation())
        get(app)  # the next request of this thread settles it
        return pagecache.is_pending(pagecache.current_generation())

    assert in_thread(change_rolled_back_then_request) is False
    assert get(app)["X-Page-Cache"] == "hit"


def test_pages_stay_served_while_a_change_is_being_committed(
    settings, no_schedule, django_capture_on_commit_callbacks
):
    """Until the commit, the committed data is the old one: other requests still get the
    cached page (no render); after the commit it is stale at once."""
    import time_machine

    settings.PAGE_CACHE_PENDING_SECONDS = 5
    app = plain_page_app()
    start = midday()
    with time_machine.travel(start, tick=False) as clock:
        assert in_thread(get, app)["X-Page-Cache"] == "miss"
        with django_capture_on_commit_callbacks(execute=True):
            content_changed.send(sender=Region)
            assert pagecache.is_pending(pagecache.current_generation())
            assert in_thread(get, app)["X-Page-Cache"] == "hit"
            # A transaction still open after its deadline: the old page is no longer trusted.
            clock.move_to(start + timedelta(seconds=5))
            assert in_thread(get, app)["X-Page-Cache"] == "miss"
            assert in_thread(get, app)["X-Page-Cache"] == "hit"  # kept briefly
        assert not pagecache.is_pending(pagecache.current_generation())
        assert in_thread(get, app)["X-Page-Cache"] == "miss"


def test_bump_page_cache_command_makes_every_page_stale(visitor, region, refuse_writes):
    """For an operator after a shell write during an outage: one command, and it says if the
    cache still refuses."""
    url = region.get_absolute_url()
    get_twice(visitor, url)
    Region.objects.filter(pk=region.pk).update(summary="Changed behind the cache's back.")
    assert visitor.get(url)["X-Page-Cache"] == "hit"  # update() sends no signal
    out = io.StringIO()
    call_command("bump_page_cache", stdout=out)
    assert "Every cached page is stale now" in out.getvalue()
    fresh = visitor.get(url)
    assert fresh["X-Page-Cache"] == "miss" and "behind the cache" in fresh.content.decode()
    refuse_writes()
    with pytest.raises(CommandError, match="could not be updated"):
        call_command("bump_page_cache", stdout=io.StringIO())
