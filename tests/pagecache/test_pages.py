"""The public page cache: served from the cache, never stale, never for staff.

Each kind of change is shown on the next request. Where a change bypasses model signals
(an import, a publication coming due) the test first proves that the page really is served
from the cache, so the invalidation under test is what makes the change visible.
"""

from datetime import timedelta
from statistics.models import ImportRecord, Observation, PendingUpload

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

import pagecache
from pagecache import schedule
from pagecache.signals import content_changed
from projects.models import Project
from regions.models import Country, Region
from tests.clock import midday
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    ProjectFactory,
    RegionFactory,
    UserFactory,
)
from tests.pagecache.conftest import get_twice, sign_in, stored_pages

pytestmark = pytest.mark.django_db


def admin_change_data(admin_client, url):
    """The admin change form's current values, as the browser would post them back."""
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if value is not None:
            data[name] = value
    return data


# --- served from the cache ---------------------------------------------------------------


def test_anonymous_page_is_served_from_the_cache_without_queries(
    visitor, region, django_assert_num_queries
):
    url = region.get_absolute_url()
    visitor.get(url)
    with django_assert_num_queries(0):
        response = visitor.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert "Lead text one." in response.content.decode()


def test_query_string_is_part_of_the_key(visitor, region):
    ProjectFactory(title="Alpha project", regions=[region])
    get_twice(visitor, "/projects/")
    assert visitor.get("/projects/?page=1")["X-Page-Cache"] == "miss"


def test_head_is_served_from_a_cached_get(visitor, region):
    get_twice(visitor, region.get_absolute_url())
    assert visitor.head(region.get_absolute_url())["X-Page-Cache"] == "hit"


def test_error_pages_are_not_cached(visitor):
    assert visitor.get("/regions/nowhere/").status_code == 404
    response = visitor.get("/regions/nowhere/")
    assert response.status_code == 404
    assert response["X-Page-Cache"] == "miss"


def test_cache_disabled_by_setting_renders_every_time(visitor, region, settings):
    settings.PAGE_CACHE = False
    for _ in range(2):
        response = visitor.get(region.get_absolute_url())
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
    assert stored_pages() == []


# --- this process's copy of cached pages (pagecache.local_page_count) -----------------------


def test_a_hit_is_served_from_this_process_copy(visitor, region):
    url = region.get_absolute_url()
    first = visitor.get(url)
    assert pagecache.local_page_count() == 1
    # Without the shared copy the page still comes from this process's copy...
    for key in stored_pages():
        cache.delete(key)
    response = visitor.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert response.content == first.content


def test_this_process_copy_is_stale_after_a_change_made_on_another_server(visitor, region):
    url = region.get_absolute_url()
    get_twice(visitor, url)
    # Another app server saves an edit: the shared generation changes, this process's copy
    # and memory are untouched (update() sends no signal here).
    Region.objects.filter(pk=region.pk).update(summary="Edited on another server.")
    pagecache.bump()
    response = visitor.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Edited on another server." in response.content.decode()
    assert visitor.get(url)["X-Page-Cache"] == "hit"


def test_a_newer_page_stored_by_another_server_replaces_this_process_copy(visitor, region):
    url = region.get_absolute_url()
    get_twice(visitor, url)
    (stored,) = stored_pages()
    key = stored[stored.index(pagecache.PAGE_KEY_PREFIX) :]
    pagecache.bump()
    generation = pagecache.current_generation()
    newer = dict(cache.get(key), generation=generation, content=b"<p>Stored elsewhere</p>")
    cache.set(key, newer)
    response = visitor.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b"<p>Stored elsewhere</p>"


def test_this_process_copy_is_not_served_past_its_expiry(visitor, region, monkeypatch, settings):
    url = region.get_absolute_url()
    get_twice(visitor, url)
    later = timezone.now() + timedelta(seconds=settings.PAGE_CACHE_SECONDS + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert visitor.get(url)["X-Page-Cache"] == "miss"


def test_local_page_store_keeps_the_most_recently_used_pages_within_its_budget(settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 1000
    store = pagecache.LocalPageStore()

    def entry(size):
        return {"generation": "g", "expires": 0, "content": b"x" * size}

    store.put("a", entry(200))
    store.put("b", entry(200))
    store.put("c", entry(200))
    assert store.get("a") is not None  # a is now the most recently used
    store.put("d", entry(200))
    store.put("e", entry(200))  # 1,000 bytes: still within the budget
    assert len(store) == 5
    store.put("f", entry(200))  # over: the least recently used (b) goes
    assert store.get("b") is None
    assert all(store.get(key) is not None for key in "acdef")
    store.put("big", entry(251))  # more than a quarter of the budget: not kept
    assert store.get("big") is None
    store.discard("a")
    assert store.get("a") is None and len(store) == 4


def test_local_copy_can_be_switched_off(visitor, region, settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 0
    get_twice(visitor, region.get_absolute_url())
    assert pagecache.local_page_count() == 0


# --- each kind of change shows on the next request ---------------------------------------


def test_admin_edit_shows_on_next_request(visitor, region, admin_client):
    country = Country.objects.get(slug="montenegro")
    get_twice(visitor, region.get_absolute_url())

    url = f"/admin/regions/country/{country.pk}/change/"
    data = admin_change_data(admin_client, url)
    data["name"] = "Crna Gora (edited)"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]

    response = visitor.get(region.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Crna Gora (edited)" in response.content.decode()


def test_admin_edit_of_a_region_shows_on_next_request(visitor, region):
    get_twice(visitor, region.get_absolute_url())
    region.summary = "Lead text two."
    region.save()
    html = visitor.get(region.get_absolute_url()).content.decode()
    assert "Lead text two." in html and "Lead text one." not in html


def test_delete_through_the_admin_shows_on_next_request(visitor, region, admin_client):
    project = ProjectFactory(title="Project to be deleted", regions=[region])
    ProjectFactory(title="Project that stays", regions=[region])
    assert "Project to be deleted" in get_twice(visitor, "/projects/").content.decode()

    response = admin_client.post(f"/admin/projects/project/{project.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()

    html = visitor.get("/projects/").content.decode()
    assert "Project to be deleted" not in html
    assert "Project that stays" in html


def test_m2m_change_shows_on_next_request(visitor, region):
    extra = CountryFactory(name="Serbia", slug="serbia", iso_code="QS")
    assert "Serbia" not in get_twice(visitor, region.get_absolute_url()).content.decode()

    region.countries.add(extra)
    assert "Serbia" in visitor.get(region.get_absolute_url()).content.decode()

    region.countries.remove(extra)
    assert "Serbia" not in visitor.get(region.get_absolute_url()).content.decode()


def test_import_signal_shows_on_next_request(visitor):
    """A bulk import writes without model signals, then sends content_changed."""
    observation = ObservationFactory(indicator=IndicatorFactory(code="arrivals"), value=111)
    url = observation.indicator.get_absolute_url()
    assert "111" in get_twice(visitor, url).content.decode()

    # The importer's bulk write: no post_save. Until the signal, the cached page stays.
    Observation.objects.filter(pk=observation.pk).update(value=222)
    assert "111" in visitor.get(url).content.decode()

    content_changed.send(sender=Observation, count=1)
    html = visitor.get(url).content.decode()
    assert "222" in html and "111" not in html


def test_scheduled_change_coming_due_shows_at_that_moment(visitor, region, monkeypatch):
    """A page rendered before a scheduled publication is not served after it.

    The scheduled change itself fires no signal (the row is already in the database; time
    makes it public). Here the "next scheduled change" provider says 10:00 and the data
    changes without a signal, as a `publish_at` coming due would; the clock is controlled.
    """
    start = midday()
    due = start + timedelta(minutes=5)
    clock = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    monkeypatch.setattr(schedule, "next_scheduled_change", lambda now=None: due)

    get_twice(visitor, region.get_absolute_url())
    Region.objects.filter(pk=region.pk).update(summary="Published at ten.")

    clock["now"] = due - timedelta(seconds=1)
    before = visitor.get(region.get_absolute_url())
    assert before["X-Page-Cache"] == "hit"
    assert "Published at ten." not in before.content.decode()

    clock["now"] = due
    after = visitor.get(region.get_absolute_url())
    assert after["X-Page-Cache"] == "miss"
    assert "Published at ten." in after.content.decode()


def test_scheduled_project_appears_on_the_cached_list_when_its_publish_at_comes(visitor):
    """End to end with the real `publish_at` field: no signal fires when the moment comes."""
    import time_machine

    start = midday()
    with time_machine.travel(start, tick=False) as clock:
        ProjectFactory(title="Already public project", slug="already-public")
        ProjectFactory(
            title="Scheduled project",
            slug="scheduled",
            is_published=True,
            publish_at=start + timedelta(minutes=5),
        )
        cached = get_twice(visitor, "/projects/").content.decode()
        assert "Already public project" in cached and "Scheduled project" not in cached

        clock.move_to(start + timedelta(minutes=5) - timedelta(seconds=1))
        before = visitor.get("/projects/")
        assert before["X-Page-Cache"] == "hit"
        assert "Scheduled project" not in before.content.decode()

        clock.move_to(start + timedelta(minutes=5))
        after = visitor.get("/projects/")
        assert after["X-Page-Cache"] == "miss"
        assert "Scheduled project" in after.content.decode()


def test_page_lifetime_is_capped_by_the_next_scheduled_change(monkeypatch, settings):
    settings.PAGE_CACHE_SECONDS = 600
    now = midday()
    monkeypatch.setattr(schedule, "next_scheduled_change", lambda now=None: None)
    assert pagecache.page_lifetime("g1", now) == 600
    monkeypatch.setattr(
        schedule, "next_scheduled_change", lambda now=None: now + timedelta(seconds=42)
    )
    assert pagecache.page_lifetime("g2", now) == 42


def test_next_scheduled_change_finds_the_earliest_future_value_generically():
    """Works on any model with a datetime field: here `created_at`, set into the future."""
    now = timezone.now()
    first, second, past = RegionFactory(), RegionFactory(), RegionFactory()
    Region.objects.filter(pk=first.pk).update(created_at=now + timedelta(hours=2))
    Region.objects.filter(pk=second.pk).update(created_at=now + timedelta(hours=1))
    Region.objects.filter(pk=past.pk).update(created_at=now - timedelta(hours=1))
    pairs = [(Region, "created_at")]
    assert pagecache.next_scheduled_change(now, pairs) == now + timedelta(hours=1)
    assert pagecache.next_scheduled_change(now + timedelta(hours=3), pairs) is None


def test_next_scheduled_change_asks_once_for_every_schedule_field(django_assert_num_queries):
    """Asked once per generation by every process (the page cache, the pages' content
    fragments): one query whatever the number of fields, the earliest of them all."""
    now = timezone.now()
    ProjectFactory(publish_at=now + timedelta(hours=3))
    region = RegionFactory()
    Region.objects.filter(pk=region.pk).update(unpublish_at=now + timedelta(hours=2))
    pairs = pagecache.scheduled_models()
    assert len(pairs) > 10
    with django_assert_num_queries(1):
        assert pagecache.next_scheduled_change(now, pairs) == now + timedelta(hours=2)
    assert pagecache.next_scheduled_change(now + timedelta(hours=4), pairs) is None


def test_the_compiled_schedule_query_reads_the_same_as_the_orm(django_assert_num_queries):
    """Without `pairs`, the SQL compiled once per process is run with this moment in it: the
    same answer as the ORM's query, a moment from the database's own type, whatever `now`."""
    now = timezone.now()
    ProjectFactory(publish_at=now + timedelta(hours=3))
    region = RegionFactory()
    Region.objects.filter(pk=region.pk).update(unpublish_at=now + timedelta(hours=2))
    pairs = pagecache.scheduled_models()
    for moment in (now, now + timedelta(hours=2, seconds=1), now + timedelta(hours=4)):
        expected = pagecache.next_scheduled_change(moment, pairs)
        with django_assert_num_queries(1):
            found = pagecache.next_scheduled_change(moment)
        assert found == expected
    assert pagecache.next_scheduled_change(now) == now + timedelta(hours=2)
    assert pagecache.next_scheduled_change(now + timedelta(hours=2, seconds=1)) == (
        now + timedelta(hours=3)
    )
    assert pagecache.next_scheduled_change(now + timedelta(hours=4)) is None


def test_an_old_versions_schedule_schedules_nothing():
    """A go-live moved back to now leaves the earlier date in the history records only: pages
    are not cut short for it, and the schedule query reads no history table."""
    now = timezone.now()
    project = ProjectFactory(publish_at=now + timedelta(hours=3))
    project.publish_at = None
    project.save()
    assert project.history.filter(publish_at__gt=now).exists()
    assert pagecache.next_scheduled_change(now) is None
    assert not [m for m, _ in pagecache.scheduled_models() if "Historical" in m.__name__]


def test_schedule_fields_are_found_with_meta(monkeypatch):
    monkeypatch.setattr(schedule, "SCHEDULE_FIELD_NAMES", ("updated_at",))
    found = {(model._meta.label, name) for model, name in pagecache.scheduled_models()}
    assert {
        ("regions.Region", "updated_at"),
        ("projects.Project", "updated_at"),
        ("statistics.Observation", "updated_at"),
    } <= found
    # Non-datetime fields of that name would be ignored; models without it are skipped.
    assert all(name == "updated_at" for _, name in found)


# --- staff and sessions never touch the cache --------------------------------------------


def test_staff_draft_view_is_never_stored_nor_served(visitor, client):
    draft = RegionFactory(slug="draft-region", summary="Secret draft text.", is_published=False)
    staff = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, staff)

    staff_response = client.get(draft.get_absolute_url())
    assert staff_response.status_code == 200  # staff preview drafts (issue 3's pages)
    assert "Secret draft text." in staff_response.content.decode()
    assert {"private", "no-store"} <= {
        part.strip() for part in staff_response["Cache-Control"].split(",")
    }
    assert staff_response.get("X-Page-Cache") == "bypass"
    assert stored_pages() == []

    # Twice: neither a stored page nor the staff response reaches the visitor.
    assert visitor.get(draft.get_absolute_url()).status_code == 404
    anonymous = visitor.get(draft.get_absolute_url())
    assert anonymous.status_code == 404
    assert "Secret draft text." not in anonymous.content.decode()


def test_staff_never_get_a_cached_page(visitor, client, region):
    get_twice(visitor, region.get_absolute_url())
    Region.objects.filter(pk=region.pk).update(summary="Changed without a signal.")
    # Anonymous visitors still get the cached page (no signal was sent)...
    cached = visitor.get(region.get_absolute_url())
    assert "Changed without a signal." not in cached.content.decode()

    sign_in(client, UserFactory(is_staff=True))
    response = client.get(region.get_absolute_url())
    assert response.get("X-Page-Cache") == "bypass"
    assert "Changed without a signal." in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_page_using_the_csrf_token_is_not_stored(visitor, rf):
    from django.middleware.csrf import get_token

    from pagecache.middleware import PageCacheMiddleware

    def view(request):
        from django.http import HttpResponse

        return HttpResponse(f"<form>{get_token(request)}</form>", content_type="text/html")

    request = rf.get("/some-form/")
    response = PageCacheMiddleware(view)(request)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    assert stored_pages() == []


def test_cache_outage_serves_pages_uncached(visitor, region, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = visitor.get(region.get_absolute_url())
    assert response.status_code == 200
    assert "Lead text one." in response.content.decode()


# --- HTTP caching headers ----------------------------------------------------------------


def test_public_page_headers_allow_revalidation(visitor, region):
    response = visitor.get(region.get_absolute_url())
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    etag = response["ETag"]
    assert etag.startswith('"') and len(etag) > 10

    # 304 on If-None-Match: on a cache hit and on a freshly rendered page alike.
    hit = visitor.get(region.get_absolute_url(), headers={"if-none-match": etag})
    assert hit.status_code == 304 and hit.content == b""
    cache.clear()
    miss = visitor.get(region.get_absolute_url(), headers={"if-none-match": etag})
    assert miss.status_code == 304

    # After a change the old ETag no longer matches.
    region.summary = "Lead text two."
    region.save()
    changed = visitor.get(region.get_absolute_url(), headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_admin_pages_are_private_no_store(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_static_hashed_files_get_far_future_immutable_headers(tmp_path, settings):
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = staticfiles_storage.url("css/site.css")
    assert hashed != "/static/css/site.css" and hashed.endswith(".css")
    assert (settings.STATIC_ROOT / (hashed.removeprefix("/static/") + ".gz")).exists()

    fresh = Client()  # a new handler: WhiteNoise indexes STATIC_ROOT when it starts
    response = fresh.get(hashed)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert b"".join(response.streaming_content)
    # The same file under its plain name may change: short max-age only.
    plain = fresh.get("/static/css/site.css")
    assert plain.status_code == 200
    assert "immutable" not in plain["Cache-Control"]


CONTENT_MODELS = [
    model
    for app_label in django_settings.PAGE_CACHE_CONTENT_APPS
    for model in django_apps.get_app_config(app_label).get_models()
    if model._meta.label not in django_settings.PAGE_CACHE_STAFF_ONLY_MODELS
]


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda model: model._meta.label)
def test_every_content_model_change_bumps_the_generation(model, settings):
    from django.db.models.signals import post_delete, post_save

    # The instances are unsaved stand-ins: keep simple-history from recording them.
    settings.SIMPLE_HISTORY_ENABLED = False

    for signal in (post_save, post_delete):
        before = pagecache.current_generation()
        signal.send(sender=model, instance=model(), created=True, raw=False, using="default")
        assert pagecache.current_generation() != before, (signal, model)


def test_every_app_with_public_pages_is_a_content_app():
    """An app is a content app by being named in settings.PAGE_CACHE_CONTENT_APPS (the page
    cache names no app itself): one with pages of its own and not named there would have
    its edits never seen by visitors of cached pages."""
    with_pages = {
        model._meta.app_label
        for model in django_apps.get_models()
        if hasattr(model, "get_absolute_url")
    }
    assert with_pages <= set(django_settings.PAGE_CACHE_CONTENT_APPS)


def test_content_apps_are_those_named_in_settings(visitor, region, settings):
    settings.PAGE_CACHE_CONTENT_APPS = ["projects"]
    get_twice(visitor, region.get_absolute_url())
    region.name = "Renamed"
    region.save()
    assert visitor.get(region.get_absolute_url())["X-Page-Cache"] == "hit"

    before = pagecache.current_generation()
    ProjectFactory()
    assert pagecache.current_generation() != before


def test_other_models_do_not_invalidate_pages(visitor, region):
    get_twice(visitor, region.get_absolute_url())
    UserFactory(username="someone")  # e.g. last_login updates on every staff login
    assert visitor.get(region.get_absolute_url())["X-Page-Cache"] == "hit"


def test_staff_only_records_do_not_invalidate_pages(visitor, region):
    get_twice(visitor, region.get_absolute_url())
    ImportRecord.objects.create(file_name="preview.csv", via="admin", dry_run=True, committed=False)
    PendingUpload.objects.store(UserFactory(username="dm"), "preview.csv", b"x")
    assert visitor.get(region.get_absolute_url())["X-Page-Cache"] == "hit"


def test_head_from_the_cache_carries_the_length_of_the_page(visitor, region):
    page = get_twice(visitor, region.get_absolute_url())
    head = visitor.head(region.get_absolute_url())
    assert head["X-Page-Cache"] == "hit"
    assert head["Content-Length"] == str(len(page.content))
