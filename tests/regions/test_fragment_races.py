"""A region page's fragments are keyed by the shared generation read in get_context_data,
after the view has read the region itself (get_object). A change committed (and bumped)
between those two reads is rendered from the region as it was before it, into fragments
keyed by the generation after it: kept and served until the next change."""

import pytest
from django.test import Client

import regions.views as views
from regions.models import Region
from tests.builders import build_world, edit

pytestmark = pytest.mark.django_db

REGION = "/regions/wbt/"


@pytest.fixture
def world():
    return build_world()


def test_a_rename_committed_between_the_region_read_and_the_generation_read(
    world, monkeypatch, committed
):
    original = views.RegionDetailView.get_object
    renamed = []

    def get_object(self, queryset=None):
        region = original(self, queryset)
        if not renamed:  # another editor's rename commits just now (its bump included)
            renamed.append(True)
            committed(edit(Region.objects.get(pk=region.pk), name="Balkans Renamed"))
        return region

    monkeypatch.setattr(views.RegionDetailView, "get_object", get_object)
    Client().get(REGION)  # rendered from the region as read before the rename
    html = Client().get(REGION).content.decode()  # a later visitor, after the rename
    assert "<h1>Balkans Renamed</h1>" in html
    assert "All projects in Western Balkans and Türkiye" not in html
    assert "All projects in Balkans Renamed" in html


def test_without_redis_a_worker_shows_a_region_rename_another_worker_saved(
    world, settings, committed
):
    """Without REDIS_URL (the documented default: local-memory cache, page cache off) each
    worker keys the region page's fragments by its own generation: a rename handled by
    another worker leaves this worker's fragments with the old name (up to ten minutes)."""
    settings.REDIS_URL = ""
    settings.PAGE_CACHE = False
    settings.PAGE_CACHE_GENERATION_SHARED = False  # as without REDIS_URL
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    worker_a = {"default": {"BACKEND": locmem, "LOCATION": "worker-a"}}
    worker_b = {"default": {"BACKEND": locmem, "LOCATION": "worker-b"}}
    settings.CACHES = worker_b
    Client().get(REGION)  # worker B renders the page
    settings.CACHES = worker_a
    committed(edit(Region.objects.get(pk=world.region.pk), name="Balkans Renamed"))
    settings.CACHES = worker_b
    html = Client().get(REGION).content.decode()
    assert "<h1>Balkans Renamed</h1>" in html
    assert "All projects in Balkans Renamed" in html
