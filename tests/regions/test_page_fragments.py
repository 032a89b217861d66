"""The region and country pages' content is rendered once per content version and language
(statistics/fragments.py, `content_fragments`): a second render reads it and computes none
of it, every change of content or data shows on the next render, a scheduled change shows
once due, and what a signed-in user or a staff preview sees never fills or reads the
public fragment."""

import time
from datetime import timedelta
from statistics.fragments import content_fragments, shares_fragments
from statistics.models import DataRelease

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import regions.views as views
from projects.models import Project
from regions.footnotes import FootnoteRegistry
from tests.builders import KOSOVO_NOTE, build_world
from tests.factories import ObservationFactory, ProjectFactory

pytestmark = pytest.mark.django_db

REGION = "/regions/wbt/"
COUNTRY = "/countries/kosovo/"
# A render that finds the content: the region (or country), the site settings (header),
# the footnoted countries (the notes the content names, for the footer).
HIT_QUERIES = 3


@pytest.fixture
def world():
    return build_world()


def render(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode(), len(queries)


def no_content(self):
    raise AssertionError("the page's content was computed again")


@pytest.mark.parametrize("path", [REGION, COUNTRY])
def test_a_second_render_reads_the_content_and_computes_none(
    client, world, monkeypatch, django_assert_num_queries, path
):
    first, first_queries = render(client, path)
    monkeypatch.setattr(views.RegionDetailView, "content_context", no_content)
    monkeypatch.setattr(views.CountryDetailView, "content_context", no_content)
    with django_assert_num_queries(HIT_QUERIES):
        second, _ = render(client, path)
    assert second == first  # footnote markers, their ids, the notes in the footer and all
    assert first_queries > HIT_QUERIES + 8
    assert second.count(KOSOVO_NOTE) == 1 and 'id="fnref-xk"' in second


def test_a_figure_edited_shows_at_once(client, world):
    assert "12,347 people" in render(client, REGION)[0]
    latest = world.indicators["total"].observations.get(region=world.region, period="1992")
    latest.value = 54321
    latest.save()
    html, _ = render(client, REGION)
    assert "54,321 people" in html and "12,347 people" not in html


def test_content_edited_shows_at_once(client, world):
    render(client, REGION)
    render(client, COUNTRY)
    world.region.summary = "A summary written just now."
    world.region.save()
    project = Project.objects.get(title="Regional project 000")
    project.title = "A project renamed just now"
    project.save()
    region_html, _ = render(client, REGION)
    assert "A summary written just now." in region_html
    assert "A project renamed just now" in region_html
    assert "Regional project 000" not in region_html
    assert "A project renamed just now" in render(client, COUNTRY)[0]


def test_a_project_published_shows_at_once(client, world):
    assert "Secret draft project" not in render(client, REGION)[0]
    world.draft_project.is_published = True
    world.draft_project.save()
    assert "Secret draft project" in render(client, REGION)[0]


def test_a_scheduled_project_shows_once_due(client, world):
    """Time alone makes it public (no change is saved then): the content kept before must not
    outlive that moment."""
    ProjectFactory(
        title="Scheduled project",
        regions=[world.region],
        publish_at=timezone.now() + timedelta(seconds=1.5),
    )
    assert "Scheduled project" not in render(client, REGION)[0]
    assert "Scheduled project" not in render(client, REGION)[0]  # kept, and still true
    time.sleep(1.6)
    assert "Scheduled project" in render(client, REGION)[0]


@pytest.fixture
def staged_figure(world):
    """A figure of a data release not yet due: staff who may view releases see it, marked;
    the public does not."""
    release = DataRelease.objects.create(
        name="Next month", release_at=timezone.now() + timedelta(days=30)
    )
    return ObservationFactory(
        indicator=world.indicators["total"],
        region=world.region,
        period="1999",
        value=98765,
        release=release,
    )


@pytest.fixture
def superuser_client(superuser):
    staff = Client()
    staff.force_login(superuser)
    return staff


def test_staff_never_fill_the_public_content(client, superuser_client, staged_figure):
    staff_html, _ = render(superuser_client, REGION)
    assert "98,765" in staff_html
    public_html, _ = render(client, REGION)
    assert "98,765" not in public_html
    assert render(client, REGION)[0] == public_html


def test_staff_never_read_the_public_content(client, superuser_client, staged_figure):
    public_html, _ = render(client, REGION)
    assert "98,765" not in public_html
    staff_html, staff_queries = render(superuser_client, REGION)
    assert "98,765" in staff_html
    assert staff_queries > HIT_QUERIES + 8  # rendered for them, not read


def test_who_shares_the_fragments():
    request = RequestFactory().get(REGION)
    request.user = AnonymousUser()
    assert shares_fragments(request)
    # A staff preview renders proposed changes inside a transaction rolled back afterwards.
    request.publishing_preview = "Proposed changes"
    assert not shares_fragments(request)


def test_a_fragments_notes_are_restored_without_scanning_it(world):
    """A hit takes the notes the fragment's render left (in order, with the back-link id
    where a linked mention carried it); a country no longer footnoted: nothing restored."""
    notes = FootnoteRegistry()
    assert notes.restore((("XK", True),))
    [note] = notes.notes
    assert note.country.name == "Kosovo" and note.ref_id == "fnref-xk"
    assert 'id="' not in notes.mention(world.kosovo)  # the id is not given twice
    fresh = FootnoteRegistry()
    assert not fresh.restore((("XK", False), ("ZZ", False)))
    assert fresh.notes == []


def test_content_found_under_another_footnote_state_is_rendered_afresh(client, world):
    """The kept content is only used after the same footnote state it was rendered after;
    otherwise the page computes its content then (late) and renders it in full."""
    first, _ = render(client, REGION)
    request = RequestFactory().get(REGION)
    request.user = AnonymousUser()
    key = content_fragments(request, f"region:{world.region.pk}", None).key
    kept = cache.get(key)
    kept["content"]["before"] = (("TR", True),)
    kept["content"]["html"] = "<p>Not this</p>"
    cache.set(key, kept)
    second, _ = render(client, REGION)
    assert "Not this" not in second
    assert second == first
