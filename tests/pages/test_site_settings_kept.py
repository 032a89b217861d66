"""SiteSettings.objects.current() is kept per process, keyed by the data generation. A
transaction that changes a footer page and reads the settings, then is rolled back (a staff
preview: publishing.snapshots.rolled_back), keeps its uncommitted settings under its own
pending generation. Nothing settles that generation until the same thread serves an
anonymous page (staff requests never call settle()); once its pending deadline has passed
every other thread's data generation is that same pending value, and they are served the
rolled-back footer."""

import threading
import time

import pytest

from pages.models import SiteSettings
from publishing.snapshots import rolled_back
from tests.builders import about_page

pytestmark = pytest.mark.django_db


def test_a_rolled_back_footer_page_title_is_not_served_to_other_threads(committed, settings):
    settings.PAGE_CACHE_PENDING_SECONDS = 1
    about = about_page(committed, "About us")
    assert SiteSettings.objects.current().about_page.title == "About us"

    with rolled_back():  # a staff preview of a proposed title
        about.title = "Draft title never published"
        about.save()
        assert SiteSettings.objects.current().about_page.title == "Draft title never published"

    time.sleep(1.2)  # the preview's pending deadline passes; its thread serves staff only
    seen = []

    def another_thread():
        from django.db import connection

        try:
            seen.append(SiteSettings.objects.current().about_page.title)
        except Exception as error:  # noqa: BLE001 - a read of the database from this thread
            seen.append(f"read the database ({type(error).__name__})")
        finally:
            connection.close()

    thread = threading.Thread(target=another_thread)
    thread.start()
    thread.join()
    assert seen[0] != "Draft title never published"


def test_a_preview_that_publishes_a_draft_footer_page_does_not_leak_it_into_the_footer(
    committed, client
):
    """The staff preview of a proposal (publishing.admin revision_preview_view) makes the
    item public with a queryset update (publish_for_preview: no signal, so no pending
    generation) and renders the public page inside the rolled-back block. The settings read
    there (the footer) are kept under the committed data generation: the draft page they
    hold as published is then linked from every public page's footer."""
    # A new data generation: the settings are not kept yet.
    draft = about_page(committed, "Unpublished About", is_published=False)

    from publishing.preview import publish_for_preview

    with rolled_back():  # as revision_preview_view does before render_public_page
        publish_for_preview(draft, None)
        assert SiteSettings.objects.current().footer_pages() == [draft]  # the preview's footer

    assert SiteSettings.objects.current().footer_pages() == []
    assert "Unpublished About" not in client.get("/").content.decode()


def test_without_redis_a_worker_sees_the_settings_another_worker_saved(committed, settings):
    """Without REDIS_URL (docs/operators/deploy.md: "unset (local-memory cache)", the page
    cache off) each gunicorn worker has its own local-memory cache, so its own generation:
    a save handled by one worker bumps only that worker's. The settings kept by every other
    worker under its unchanged data generation are then served for ever (no time bound)."""
    settings.REDIS_URL = ""
    settings.PAGE_CACHE = False
    settings.PAGE_CACHE_GENERATION_SHARED = False  # as without REDIS_URL
    worker_b = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "worker-b",
        }
    }
    worker_a = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "worker-a",
        }
    }
    settings.CACHES = worker_b
    assert SiteSettings.objects.current().organisation_name == "ICMPD"  # worker B serves a page

    settings.CACHES = worker_a  # worker A handles the admin's save

    def rename():
        row = SiteSettings.objects.get()
        row.organisation_name = "IOM"
        row.save()

    committed(rename)
    settings.CACHES = worker_b  # worker B serves the next page
    assert SiteSettings.objects.current().organisation_name == "IOM"
