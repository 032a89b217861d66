"""How far a change reaches (pagecache.generation): every committed content change makes every
page stale (the content part), but only a change that may alter how figures are shown moves
the data part, under which an indicator's charts, tables and chart files are kept, and only a
change of more than an item's own texts moves the shared part, under which a region's or
country's page keeps its projects, figures, map and offices. Each change runs as the admin's
does: in a transaction that commits (its after-commit bump runs)."""

import re
import time
from statistics.models import Observation, Source

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

import pagecache
from pagecache import generation as generations
from pagecache.signals import content_changed
from regions.models import Country, Office, Region
from tests.admin_forms import change_url, posted_values
from tests.builders import edit
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    OfficeFactory,
    ProjectFactory,
    RegionFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# What a committed change moved: (content, shared, data).
OWN_TEXT = (True, False, False)
CONTENT = (True, True, False)
DATA = (True, True, True)
NOTHING = (False, False, False)


def parts():
    return (
        pagecache.current_generation(),
        pagecache.shared_generation(),
        pagecache.data_generation(),
    )


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run `change()` as a committed change; which parts it moved (content, shared, data)."""

    def run(change):
        before = parts()
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                change()
        assert not generations.writes_pending()
        return tuple(now != then for now, then in zip(parts(), before, strict=True))

    return run


@pytest.fixture
def place(commit):
    """A published region with a country, a source and a figure, committed."""
    made = {}

    def create():
        country = CountryFactory(name="Montenegro", slug="montenegro", iso_code="QM")
        made["region"] = RegionFactory(
            name="Western Balkans", slug="wb", code="WB", summary="Lead.", countries=[country]
        )
        made["country"] = country
        made["source"] = SourceFactory(name="Ministry")
        made["observation"] = ObservationFactory(
            indicator=IndicatorFactory(code="arrivals"),
            region=made["region"],
            period="2024",
            value=10,
            source=made["source"],
        )
        made["office"] = OfficeFactory()

    commit(create)
    return made


@pytest.mark.parametrize(
    "changes",
    [{"summary": "A new lead."}, {"body": "New body."}, {"review_note": "Please look."}],
)
def test_a_region_text_edit_keeps_the_shared_and_data_generations(place, commit, changes):
    assert commit(edit(place["region"], **changes)) == OWN_TEXT


@pytest.mark.parametrize(
    "changes",
    [{"name": "Balkans West"}, {"code": "WBX"}, {"slug": "wbx"}, {"is_published": False}],
)
def test_a_region_edit_that_figures_show_moves_it(place, commit, changes):
    assert commit(edit(place["region"], **changes)) == DATA


def test_a_country_footnote_moves_it_its_profile_does_not(place, commit):
    assert commit(edit(place["country"], profile="A profile.")) == OWN_TEXT
    assert commit(edit(place["country"], footnote="A territory note.")) == DATA


def region_reads(queries):
    return [q["sql"] for q in queries if 'FROM "regions_region" ' in q["sql"]]


def test_a_region_saved_unchanged_keeps_it_one_query_to_tell(place, commit):
    region = Region.objects.get(pk=place["region"].pk)
    with CaptureQueriesContext(connection) as queries:
        moved = commit(region.save)
    assert moved == OWN_TEXT
    assert len(region_reads(queries)) == 1  # the row as it was


def test_a_save_of_named_text_fields_reads_nothing_more(place, commit):
    region = place["region"]
    region.summary = "Only this."
    with CaptureQueriesContext(connection) as queries:
        moved = commit(lambda: region.save(update_fields=["summary"]))
    assert moved == OWN_TEXT
    assert not region_reads(queries)
    # Naming a field that figures show counts, as any other save does.
    region.name = "Renamed"
    assert commit(lambda: region.save(update_fields=["summary", "name"])) == DATA


def test_projects_and_offices_keep_it_figures_and_sources_move_it(place, commit):
    assert commit(lambda: ProjectFactory(regions=[place["region"]])) == CONTENT
    assert commit(edit(place["office"], city="Tirana")) == CONTENT
    assert commit(lambda: Office.objects.get(pk=place["office"].pk).delete()) == CONTENT
    assert commit(edit(place["observation"], value=11)) == DATA
    assert commit(edit(place["source"], name="Office")) == DATA
    # An update() sends no signal: writes that bypass them send content_changed.
    assert commit(lambda: Source.objects.filter(pk=place["source"].pk).update(url="x")) == NOTHING
    assert commit(lambda: content_changed.send(sender=Observation)) == DATA


def test_a_country_added_to_a_region_moves_it(place, commit):
    other = CountryFactory(name="Albania", slug="albania", iso_code="QD")
    assert commit(lambda: place["region"].countries.add(other)) == DATA


def test_a_country_deleted_moves_it(place, commit):
    other = CountryFactory(name="Albania", slug="albania", iso_code="QD")
    assert commit(lambda: Country.objects.get(pk=other.pk).delete()) == DATA


def another_process_pending():
    """What another process's open (or committed, its bump lost) change leaves."""
    deadline_ms = int((time.time() + 60) * 1000)
    pagecache.shared_store().set_suffix(
        generations.GENERATION_KEY,
        f"{generations.PENDING_MARKER}{deadline_ms}~other",
        default="unused",
        marker=generations.PENDING_MARKER,
        timeout=600,
    )
    return pagecache.current_generation()


@pytest.mark.parametrize("reach", [generations.Reach.CONTENT, generations.Reach.OWN_TEXT])
def test_a_narrow_change_over_anothers_pending_generation_moves_it_all_the_same(reach):
    """Another process's pending change may be committed already with its bump lost (a
    failed write, a worker killed after its commit): a bump that would keep the data part
    (or the shared part) writes new ones instead, never those from before that change."""
    pagecache.reset()
    committed = pagecache.data_generation()
    shared = pagecache.shared_generation()
    pending = another_process_pending()
    assert generations.data_part(pending, time.time()) == committed  # still, as others read it
    assert generations.shared_part(pending, time.time()) == shared
    generations.bump(reach)
    now = time.time()
    assert generations.data_part(pagecache.current_generation(), now) not in (committed, pending)
    assert generations.shared_part(pagecache.current_generation(), now) not in (shared, pending)


def test_a_change_that_is_not_data_over_its_own_pending_generation_keeps_it(commit):
    """The usual way: a transaction writes its pending generation, commits, then bumps."""
    pagecache.reset()
    committed = pagecache.data_generation()
    assert commit(lambda: ProjectFactory()) == CONTENT
    assert pagecache.data_generation() == committed

    # ... unless another change became pending meanwhile (its suffix replaced this one's).
    def change_while_another_is_pending():
        ProjectFactory()
        another_process_pending()

    assert commit(change_while_another_is_pending) == DATA


def test_one_bump_after_a_transaction_however_many_changes(place, commit, monkeypatch):
    """A region saved is two changes (the row and its history record), and more with its
    inlines: one bump after the commit, so a page is not rendered for a generation that a
    second bump a moment later makes stale (two cold renders a change)."""
    bumps = []
    real_bump = generations.bump
    monkeypatch.setattr(generations, "bump", lambda reach: bumps.append(reach) or real_bump(reach))
    assert commit(edit(place["region"], summary="Once.")) == OWN_TEXT
    assert bumps == [generations.Reach.OWN_TEXT]
    bumps.clear()

    def three_saves():
        edit(place["region"], summary="Twice.")()
        ProjectFactory()
        edit(place["region"], name="Renamed")()

    assert commit(three_saves) == DATA
    assert bumps == [generations.Reach.DATA]


def test_a_pending_generation_past_its_deadline_shares_no_data_part():
    pagecache.reset()
    committed = generations.data_part(pagecache.current_generation(), time.time())
    generations.content_changed()
    pending = pagecache.current_generation()
    late = time.time() + 3600
    assert generations.data_part(pending, late) == pending != committed


def test_nothing_is_kept_under_it_while_a_bump_is_owed():
    pagecache.reset()
    assert pagecache.data_generation() is not None
    generations.debt.incur()
    try:
        assert pagecache.data_generation() is None
    finally:
        generations.debt.clear()


def test_a_generation_of_an_older_release_has_a_data_part_of_its_own():
    """A value written before data parts existed (no marker) is its own data generation, and
    a bump that keeps the data part starts a new one."""
    store = pagecache.shared_store()
    store.set(generations.GENERATION_KEY, "1700000000-abcdef12", timeout=None)
    assert generations.data_part("1700000000-abcdef12", time.time()) == "1700000000-abcdef12"
    generations.bump(generations.Reach.CONTENT)
    value = pagecache.current_generation()
    assert generations.DATA_MARKER in value and "abcdef12" not in value


def test_a_generation_of_the_release_before_shared_parts_gets_one():
    """A value of the release before (content and data parts only): a change of more than
    an item's texts keeps its data part and starts a shared part; a change of texts alone
    cannot keep a shared part it does not have, so it starts both."""
    store = pagecache.shared_store()
    store.set(generations.GENERATION_KEY, "1-aa~data~2-bb", timeout=None)
    assert pagecache.shared_generation() == "1-aa~data~2-bb"  # its own, whole
    generations.bump(generations.Reach.CONTENT)
    assert pagecache.data_generation() == "2-bb"
    assert generations.SHARED_MARKER in pagecache.current_generation()
    store.set(generations.GENERATION_KEY, "1-aa~data~2-bb", timeout=None)
    generations.bump(generations.Reach.OWN_TEXT)
    assert pagecache.data_generation() != "2-bb"
    assert pagecache.shared_generation() != "1-aa~data~2-bb"


def test_a_text_edit_keeps_the_shared_part_a_project_moves_it_keeping_the_data_part():
    pagecache.reset()
    shared, data = pagecache.shared_generation(), pagecache.data_generation()
    generations.bump(generations.Reach.OWN_TEXT)
    assert (pagecache.shared_generation(), pagecache.data_generation()) == (shared, data)
    generations.bump(generations.Reach.CONTENT)
    assert pagecache.shared_generation() != shared and pagecache.data_generation() == data
    assert pagecache.shared_generation().endswith(data)


def test_an_editors_summary_edit_in_the_admin_keeps_the_shared_part(place, commit, client):
    """The staff path: the region's change form posted back as the browser would, with only
    the summary changed (its inlines and countries posted unchanged)."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = change_url(place["region"])
    values = posted_values(client.get(url).content.decode(), form_id="region_form")
    assert values["name"] == "Western Balkans" and "countries" in values
    values["summary"] = "A summary an editor wrote."

    def post():
        response = client.post(url, values)
        errors = re.findall(r'<ul class="errorlist[^>]*>.*?</ul>', response.content.decode(), re.S)
        assert response.status_code == 302, errors

    assert commit(post) == OWN_TEXT
    assert Region.objects.get(pk=place["region"].pk).summary == "A summary an editor wrote."
    values = posted_values(client.get(url).content.decode(), form_id="region_form")
    values["name"] = "Balkans West"
    assert commit(post) == DATA
