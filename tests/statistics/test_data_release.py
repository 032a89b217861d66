"""Scheduled data releases (embargoes): staged observations are staff-only until their
release is due or released by hand, on every public path; then they appear with nobody
acting. The clock is controlled (time-machine).

The structure follows test_draft_visibility.py: the staged batch holds values, notes, a
source, a category, a later period and an indicator of its own, none of which may reach an
anonymous visitor, while the public figures do (so every check can fail both ways).
"""

import csv
import io
from datetime import timedelta
from statistics.models import DataRelease, Observation

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from staff.roles import DATA_MANAGER, EDITOR, PUBLISHER
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

START = timezone.now().replace(microsecond=0) + timedelta(days=1)
RELEASE_AT = START + timedelta(hours=2)

HIDDEN = [
    "888,801",
    "888801",
    "666,601",
    "666601",
    "222,201",
    "222201",
    "333,301",
    "333301",
    "Embargoed note",
    "Staged only note",
    "Embargoed Ministry",
    "embargoed-ministry",
    "Embargoed category",
    "2029",
]


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def release(clock):
    """A published region with a country, their public figures, and a release due at
    RELEASE_AT holding later figures for both, a breakdown and an indicator of its own."""
    country = CountryFactory(name="Bridgeland", slug="bridgeland", iso_code="BL")
    region = RegionFactory(name="Open Region", slug="open", code="OPEN", countries=[country])
    source = SourceFactory(name="Open Statistics Office", code="open-office")
    embargoed = SourceFactory(name="Embargoed Ministry", code="embargoed-ministry")
    arrivals = IndicatorFactory(
        code="arrivals", name="Arrivals", is_featured=True, breakdown_label="Nationality"
    )
    staged_only = IndicatorFactory(code="staged-only", name="Staged only", is_featured=True)
    ObservationFactory(
        indicator=arrivals,
        region=region,
        period="2024",
        value=111101,
        note="Open region note",
        source=source,
    )
    ObservationFactory(
        indicator=arrivals,
        region=None,
        country=country,
        period="2024",
        value=444401,
        note="Shared country note",
        source=source,
    )
    batch = DataRelease.objects.create(name="December figures", release_at=RELEASE_AT)
    staged = {"release": batch, "period": "2029", "source": embargoed}
    ObservationFactory(
        indicator=arrivals,
        region=region,
        value=888801,
        note="Embargoed note",
        status="provisional",
        **staged,
    )
    ObservationFactory(
        indicator=arrivals, region=region, value=222201, category="Embargoed category", **staged
    )
    ObservationFactory(indicator=arrivals, region=None, country=country, value=666601, **staged)
    ObservationFactory(
        indicator=staged_only, region=region, value=333301, note="Staged only note", **staged
    )
    return batch


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


PUBLIC_PATHS = [
    "/",
    "/statistics/",
    "/statistics/arrivals/",
    "/statistics/arrivals/?area=OPEN",
    "/statistics/arrivals/?area=BL",
    "/statistics/arrivals.csv",
    "/statistics/arrivals.json",
    "/statistics/staged-only/",
    "/statistics/staged-only.csv",
    "/statistics/staged-only.json",
    "/sitemap.xml",
    "/regions/open/",
    "/countries/bridgeland/",
    "/search/?q=Embargoed",
]


@pytest.mark.parametrize("url", PUBLIC_PATHS)
def test_no_public_path_shows_a_staged_release(client, release, url):
    text = get(client, url)
    leaked = [hidden for hidden in HIDDEN if hidden in text]
    assert not leaked, f"{url} shows {leaked}"


@pytest.mark.parametrize("url", PUBLIC_PATHS)
def test_every_public_path_shows_the_release_once_due(client, release, clock, url):
    """The same paths with the clock at the release time: nobody acted, the rows are there
    (search finds indicators, not values: it shows none either way)."""
    clock.move_to(RELEASE_AT)
    text = get(client, url)
    expected = {
        "/": "888,801",
        "/statistics/": "\u20132029</td>",  # periods covered now end in 2029
        "/statistics/arrivals/": "888,801",
        "/statistics/arrivals/?area=OPEN": "Embargoed category",
        "/statistics/arrivals/?area=BL": "666,601",
        "/statistics/arrivals.csv": "888801",
        "/statistics/arrivals.json": "Embargoed Ministry",
        "/statistics/staged-only/": "333,301",
        "/statistics/staged-only.csv": "Staged only note",
        "/statistics/staged-only.json": "333301",
        "/regions/open/": "Embargoed note",
        "/countries/bridgeland/": "666,601",
    }.get(url)
    if expected is not None:
        assert expected in text, url


def test_counts_and_latest_period_leave_the_staged_rows_out(client, release, clock):
    html = get(client, "/statistics/")
    arrivals = html[html.index('href="/statistics/arrivals/"') :].split("</tr>")[0]
    assert (
        '<td data-label="Values">2</td>' in arrivals
        and "2024</td>" in arrivals
        and "2029" not in arrivals
    )
    assert "provisional" not in arrivals
    staged_only = html[html.index('href="/statistics/staged-only/"') :].split("</tr>")[0]
    assert '<td data-label="Values">0</td>' in staged_only
    assert "No figures have been published for this indicator yet." in get(
        client, "/statistics/staged-only/"
    )
    rows = list(csv.DictReader(io.StringIO(get(client, "/statistics/arrivals.csv"))))
    assert sorted(row["value"] for row in rows) == ["111101", "444401"]

    clock.move_to(RELEASE_AT)
    arrivals = get(client, "/statistics/")
    arrivals = arrivals[arrivals.index('href="/statistics/arrivals/"') :].split("</tr>")[0]
    assert '<td data-label="Values">5 (1 provisional)' in arrivals


def test_public_is_decided_at_query_time(release, clock):
    assert Observation.objects.public().count() == 2
    clock.move_to(RELEASE_AT - timedelta(seconds=1))
    assert Observation.objects.public().count() == 2
    clock.move_to(RELEASE_AT)
    assert Observation.objects.public().count() == 6
    assert release.status == "released"


def test_a_held_release_stays_hidden_whatever_the_time(client, release, clock):
    DataRelease.objects.filter(pk=release.pk).update(release_at=None)
    clock.move_to(RELEASE_AT + timedelta(days=3650))
    assert "888801" not in get(client, "/statistics/arrivals.csv")
    assert release.__class__.objects.get().status == "held"


def test_a_release_does_not_publish_the_figures_of_a_draft_area(client, release, clock):
    """Both rules hold: a due release in a draft region stays hidden with its region."""
    draft = RegionFactory(name="Draft Region", slug="draft", code="DRAFT", is_published=False)
    ObservationFactory(
        indicator=IndicatorFactory(code="draft-ind"), region=draft, value=555501, release=release
    )
    clock.move_to(RELEASE_AT)
    assert "555501" not in get(client, "/statistics/draft-ind.csv")


# --- staff previews ------------------------------------------------------------------------


def test_staff_who_may_view_releases_see_the_staged_figures_marked(
    client, release, staff_with_role
):
    client.force_login(staff_with_role(DATA_MANAGER))
    html = get(client, "/regions/open/")
    assert "333,301" in html and "staged: not public yet" in html
    assert "666,601" in get(client, "/countries/bridgeland/")
    # Indicator pages and downloads are the same for everyone (and cached as such).
    assert "888801" not in get(client, "/statistics/arrivals.csv")
    assert "888,801" not in get(client, "/statistics/arrivals/")


def test_staff_without_release_permission_see_the_public_figures(client, release, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    html = get(client, "/regions/open/")
    assert "111,101" in html
    assert not [hidden for hidden in HIDDEN if hidden in html]


def test_released_figures_are_not_marked_for_staff(client, release, clock, staff_with_role):
    client.force_login(staff_with_role(DATA_MANAGER))
    clock.move_to(RELEASE_AT)
    html = get(client, "/regions/open/")
    assert "333,301" in html and "staged: not public yet" not in html


# --- the admin: list, time, release now, permissions ----------------------------------------

CHANGELIST = reverse("admin:statistics_datarelease_changelist")


def change_url(release):
    return reverse("admin:statistics_datarelease_change", args=[release.pk])


@pytest.mark.parametrize("role", [PUBLISHER, DATA_MANAGER])
def test_publishers_and_data_managers_see_releases_with_status_and_counts(
    client, release, staff_with_role, role
):
    client.force_login(staff_with_role(role))
    html = get(client, CHANGELIST)
    assert "December figures" in html and "Scheduled" in html
    assert '<td class="field-observation_count">4</td>' in html
    assert "Release now" in get(client, change_url(release))


def test_editors_may_not_see_or_release_releases(client, release, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(release)).status_code == 403
    response = client.post(CHANGELIST, {"action": "release_now", "_selected_action": [release.pk]})
    assert response.status_code == 403
    release.refresh_from_db()
    assert release.release_at == RELEASE_AT


@pytest.mark.parametrize("role", [PUBLISHER, DATA_MANAGER])
def test_release_now_action_makes_the_batch_public_at_once(client, release, staff_with_role, role):
    user = staff_with_role(role)
    client.force_login(user)
    response = client.post(
        CHANGELIST, {"action": "release_now", "_selected_action": [release.pk]}, follow=True
    )
    assert "Released now: December figures." in response.content.decode()
    release.refresh_from_db()
    assert release.status == "released" and release.released_by == user
    assert release.release_at == START
    client.logout()
    assert "888801" in get(client, "/statistics/arrivals.csv")


def test_release_now_button_on_the_change_form(client, release, staff_with_role):
    client.force_login(staff_with_role(PUBLISHER))
    response = client.post(
        change_url(release),
        {"name": "December figures", "release_at_0": "", "release_at_1": "", "_release_now": "1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == CHANGELIST
    assert "“December figures” is public now." in response.content.decode()
    release.refresh_from_db()
    assert release.is_released
    # Released: the time is fixed now, and there is no button any more.
    html = get(client, change_url(release))
    assert 'name="release_at_0"' not in html and "_release_now" not in html


def test_staff_with_change_but_not_release_permission_cannot_release(
    client, release, staff_with_role
):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(username="scheduler", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="statistics",
            codename__in=["view_datarelease", "change_datarelease"],
        )
    )
    client.force_login(user)
    assert "Release now" not in get(client, change_url(release))
    response = client.post(
        change_url(release),
        {"name": "December figures", "release_at_0": "", "release_at_1": "", "_release_now": "1"},
    )
    assert response.status_code == 403
    release.refresh_from_db()
    assert release.release_at == RELEASE_AT  # the save was rolled back with the refusal


def test_the_time_of_a_pending_release_can_be_moved_but_not_into_the_past(
    client, release, staff_with_role
):
    client.force_login(staff_with_role(DATA_MANAGER))
    local = timezone.localtime(RELEASE_AT + timedelta(days=1))
    response = client.post(
        change_url(release),
        {
            "name": "December figures",
            "release_at_0": local.strftime("%Y-%m-%d"),
            "release_at_1": local.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.release_at == RELEASE_AT + timedelta(days=1)

    past = timezone.localtime(START - timedelta(hours=1))
    response = client.post(
        change_url(release),
        {
            "name": "December figures",
            "release_at_0": past.strftime("%Y-%m-%d"),
            "release_at_1": past.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 200
    assert "use “Release now”" in response.content.decode()


def test_a_released_release_cannot_be_deleted_and_a_pending_one_keeps_its_rows(
    client, release, clock, staff_with_role
):
    client.force_login(staff_with_role(DATA_MANAGER))
    delete_url = reverse("admin:statistics_datarelease_delete", args=[release.pk])
    # Pending: deleting is refused while it holds observations (they would become public).
    response = client.post(delete_url, {"post": "yes"})
    assert DataRelease.objects.filter(pk=release.pk).exists()
    assert response.status_code == 200
    clock.move_to(RELEASE_AT)
    assert client.post(delete_url, {"post": "yes"}).status_code == 403


def test_the_observation_admin_shows_and_filters_by_release(client, release, staff_with_role):
    client.force_login(staff_with_role(DATA_MANAGER))
    html = get(
        client,
        reverse("admin:statistics_observation_changelist") + f"?release__id__exact={release.pk}",
    )
    assert "4 observations" in html
    observation = release.observations.first()
    html = get(client, reverse("admin:statistics_observation_change", args=[observation.pk]))
    assert "December figures" in html


def test_admin_pages_open_for_a_superuser(admin_client, release):
    assert admin_client.get(CHANGELIST).status_code == 200
    assert admin_client.get(CHANGELIST, {"q": "Dec"}).status_code == 200
    assert admin_client.get(CHANGELIST, {"status": "scheduled"}).status_code == 200
    # Releases are made by staged imports only.
    assert admin_client.get(reverse("admin:statistics_datarelease_add")).status_code == 403
    change = admin_client.get(change_url(release))
    assert change.status_code == 200 and "Release now" in change.content.decode()
    history = reverse("admin:statistics_datarelease_history", args=[release.pk])
    assert admin_client.get(history).status_code == 200


@pytest.mark.parametrize(
    ("status", "shown"), [("scheduled", True), ("held", False), ("released", False)]
)
def test_changelist_filters_by_status(admin_client, release, status, shown):
    html = get(admin_client, CHANGELIST + f"?status={status}")
    assert ("December figures" in html) == shown
