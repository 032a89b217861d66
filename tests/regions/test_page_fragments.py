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
from tests.builders import KOSOVO_NOTE, build_world, edit
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


@pytest.mark.parametrize(
    ("path", "item", "text"),
    [(REGION, "region", "summary"), (REGION, "region", "body"), (COUNTRY, "kosovo", "profile")],
)
def test_an_edit_of_its_own_text_renders_only_that_text_again(
    client, world, committed, monkeypatch, path, item, text
):
    """The projects, figures, map and offices are kept while only the item's own texts
    change (settings.PAGE_CACHE_OWN_TEXT); the text and "Last updated" show the edit."""
    committed(world.region.save)  # what the world made is committed, its bump done
    first, _ = render(client, path)
    instance = getattr(world, item)
    committed(edit(instance, **{text: "A text written just now."}))
    monkeypatch.setattr(views.RegionDetailView, "content_context", no_content)
    monkeypatch.setattr(views.CountryDetailView, "content_context", no_content)
    response = client.get(path)
    html = response.content.decode()
    assert "A text written just now." in html
    instance.refresh_from_db()
    assert response.context["last_updated"] == instance.updated_at
    # All else as before: only the edited text differs.
    assert html.count("Regional project 000") == first.count("Regional project 000") > 0
    assert html.count(KOSOVO_NOTE) == 1


def test_an_edit_beyond_its_own_text_renders_the_content_again(client, world, committed):
    committed(world.region.save)  # what the world made is committed, its bump done
    render(client, REGION)
    project = Project.objects.get(title="Regional project 000")
    committed(edit(project, title="A project renamed just now"))
    assert "A project renamed just now" in render(client, REGION)[0]
    committed(edit(world.region, name="Balkans and Türkiye"))
    html, _ = render(client, REGION)
    assert "All projects in Balkans and Türkiye" in html  # inside the kept content


def test_a_summary_that_now_names_kosovo_moves_the_footnote_markers_of_the_content(
    client, world, committed
):
    """The content kept was rendered after a summary that named no footnoted country: with
    one that does, the footnote state before the content differs, so it is rendered again
    (the first mention carries the marker and the back-link id, once)."""
    committed(world.region.save)  # what the world made is committed, its bump done
    before, _ = render(client, REGION)
    committed(edit(world.region, summary="Our work in Kosovo and beyond."))
    html, _ = render(client, REGION)
    cache.clear()
    assert html == render(client, REGION)[0]  # as rendered with nothing kept
    assert html.count('id="fnref-xk"') == 1
    assert html.index('id="fnref-xk"') < html.index('id="key-figures"')
    assert before.index('id="fnref-xk"') > before.index('id="key-figures"')
