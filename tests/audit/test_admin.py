"""The audit log in the admin (audit/admin.py): who may read it, that nobody may change it,
its filters, search, CSV download and links to the items."""

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.log import record
from audit.models import AuditAction, AuditEntry
from staff.roles import DATA_MANAGER, EDITOR, PUBLISHER
from tests.factories import IndicatorFactory, OfficeFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/audit/auditentry/"
EXPORT = "/admin/audit/auditentry/export.csv"


def rows_of(html):
    """The result table of a changelist page (empty string when there is none)."""
    if 'id="result_list"' not in html:
        return ""
    return html.split('id="result_list"', 1)[1].split("</table>", 1)[0]


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def entry():
    return record(
        AuditAction.CHANGE,
        actor=UserFactory(username="elena"),
        obj=OfficeFactory(),
        summary="Changed phone.",
    )


@pytest.fixture
def role_client(staff_with_role):
    def make(role):
        client = Client(raise_request_exception=False)
        client.force_login(staff_with_role(role))
        return client

    return make


@pytest.mark.parametrize(("role", "status"), [(EDITOR, 403), (DATA_MANAGER, 403), (PUBLISHER, 200)])
def test_publishers_read_the_log_and_other_roles_do_not(role_client, entry, role, status):
    client = role_client(role)
    assert client.get(CHANGELIST).status_code == status
    assert client.get(f"{CHANGELIST}{entry.pk}/change/").status_code == status
    assert client.get(EXPORT).status_code == status
    index = client.get("/admin/").content.decode()
    assert (CHANGELIST in index) == (status == 200)


def test_publishers_hold_only_the_view_permission_of_the_log():
    codenames = set(
        Group.objects.get(name=PUBLISHER)
        .permissions.filter(content_type__app_label="audit")
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_auditentry"}
    for role in (EDITOR, DATA_MANAGER):
        group = Group.objects.get(name=role)
        assert not group.permissions.filter(content_type__app_label="audit").exists()


@pytest.mark.parametrize("who", ["publisher", "superuser"])
def test_nobody_adds_changes_or_deletes_an_entry_from_the_admin(
    who, entry, staff_with_role, superuser
):
    client = Client(raise_request_exception=False)
    client.force_login(superuser if who == "superuser" else staff_with_role(PUBLISHER))
    before = list(AuditEntry.objects.values_list("pk", "summary", "action"))

    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert (
        client.post(f"{CHANGELIST}add/", {"summary": "Made up", "action": "create"}).status_code
        == 403
    )
    page = client.get(f"{CHANGELIST}{entry.pk}/change/").content.decode()
    assert 'name="summary"' not in page and "Save" not in page.split('id="content"')[1]
    client.post(f"{CHANGELIST}{entry.pk}/change/", {"summary": "Tidied", "action": "create"})
    assert client.get(f"{CHANGELIST}{entry.pk}/delete/").status_code == 403
    assert client.post(f"{CHANGELIST}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert 'name="action"' not in client.get(CHANGELIST).content.decode()  # no bulk actions

    assert list(AuditEntry.objects.values_list("pk", "summary", "action")) == before


def test_the_list_says_who_did_what_to_which_item_when(role_client):
    office = OfficeFactory()
    moment = timezone.make_aware(datetime.datetime(2026, 12, 7, 9, 30))
    with time_machine.travel(moment, tick=False):
        record(AuditAction.CHANGE, actor=UserFactory(username="elena"), obj=office, summary="Phone")
    rows = rows_of(role_client(PUBLISHER).get(CHANGELIST).content.decode())
    assert "elena" in rows
    assert "Changed" in rows
    assert "Office" in rows
    assert str(office) in rows
    assert "7 December 2026, 09:30" in rows  # local time, the site's style


def test_an_item_links_to_its_admin_page_only_where_the_reader_may_view_it(role_client, superuser):
    office = OfficeFactory()
    indicator = IndicatorFactory()
    gone = OfficeFactory()
    person = UserFactory(username="elena")
    for obj in (office, indicator, gone):
        record(AuditAction.CHANGE, actor=person, obj=obj)
    record(AuditAction.ROLE_CHANGE, obj=person)
    gone_url = reverse("admin:regions_office_change", args=[gone.pk])
    gone.delete()

    publisher = role_client(PUBLISHER)
    rows = rows_of(publisher.get(CHANGELIST).content.decode())
    office_url = reverse("admin:regions_office_change", args=[office.pk])
    indicator_url = reverse("admin:statistics_indicator_change", args=[indicator.pk])
    user_url = reverse("admin:auth_user_change", args=[person.pk])
    assert f'href="{office_url}"' in rows
    assert indicator_url not in rows and str(indicator) in rows  # no view permission
    assert user_url not in rows and "elena" in rows
    assert gone_url not in rows
    # Every link the reader gets opens.
    for url in (office_url,):
        assert publisher.get(url).status_code == 200
    assert publisher.get(indicator_url).status_code == 403
    assert publisher.get(user_url).status_code == 403

    admin = Client()
    admin.force_login(superuser)
    rows = rows_of(admin.get(CHANGELIST).content.decode())
    assert f'href="{indicator_url}"' in rows and f'href="{user_url}"' in rows


def test_the_list_costs_no_query_per_entry(role_client):
    client = role_client(PUBLISHER)
    person = UserFactory(username="elena")

    def add_entries(count):
        for _ in range(count):
            record(AuditAction.CHANGE, actor=person, obj=OfficeFactory())
            record(AuditAction.CHANGE, actor=person, obj=RegionFactory())

    def queries_to_list():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CHANGELIST).status_code == 200
        return len(queries)

    add_entries(1)
    queries_to_list()  # permissions and content types cached
    few = queries_to_list()
    add_entries(24)
    assert queries_to_list() == few


def test_filters_by_person_kind_action_and_search(role_client):
    elena, petar = UserFactory(username="elena"), UserFactory(username="petar")
    office, region = OfficeFactory(), RegionFactory(name="Western Balkans test")
    record(AuditAction.CHANGE, actor=elena, obj=office, summary="Changed phone.")
    record(AuditAction.DELETE, actor=petar, obj=region, summary="Deleted.")
    client = role_client(PUBLISHER)

    def shown(query):
        response = client.get(CHANGELIST + query)
        assert response.status_code == 200
        return rows_of(response.content.decode())

    assert "elena" in shown(f"?actor__id__exact={elena.pk}")
    assert "petar" not in shown(f"?actor__id__exact={elena.pk}")
    office_kind = AuditEntry.objects.get(actor=elena).content_type_id
    assert "elena" in shown(f"?kind={office_kind}") and "petar" not in shown(f"?kind={office_kind}")
    assert "petar" in shown("?action__exact=delete") and "elena" not in shown(
        "?action__exact=delete"
    )
    assert "elena" in shown("?q=phone") and "petar" not in shown("?q=phone")
    assert "petar" in shown("?q=Balkans") and "elena" not in shown("?q=Balkans")
    filters = client.get(CHANGELIST).content.decode()
    assert "By person" in filters and "By kind of item" in filters and "By action" in filters
    assert "Offices" in filters and "Regions" in filters


def test_the_date_range_is_typed_as_dates_are_typed_everywhere(role_client):
    person = UserFactory(username="elena")
    days = {}
    for day in (6, 7, 8):
        # Late in the evening, local time: the range follows the site's days, not UTC's.
        moment = timezone.make_aware(datetime.datetime(2026, 12, day, 23, 30))
        with time_machine.travel(moment, tick=False):
            days[day] = record(
                AuditAction.CHANGE, actor=person, obj=OfficeFactory(name=f"day{day}")
            )
    client = role_client(PUBLISHER)

    def shown(query):
        response = client.get(CHANGELIST + query)
        assert response.status_code == 200
        return response.content.decode()

    page = shown("?date_from=07.12.2026&date_to=7.12.2026")
    assert str(days[7].object_repr) in rows_of(page)
    assert days[6].object_repr not in rows_of(page) and days[8].object_repr not in rows_of(page)
    page = shown("?date_from=2026-12-07")
    assert days[6].object_repr not in rows_of(page) and days[8].object_repr in rows_of(page)
    page = shown("?date_to=07.12.2026&action__exact=change")
    assert days[7].object_repr in rows_of(page) and days[8].object_repr not in rows_of(page)
    # The form keeps the other filters and shows what was typed.
    assert 'name="action__exact" value="change"' in page
    assert 'value="07.12.2026"' in page

    page = shown("?date_from=12/07/2026")
    assert "day/month in others" in page  # the regional hint, not a silent guess
    assert all(days[d].object_repr in rows_of(page) for d in days)
    assert shown("?date_from=" + "9" * 5000).count("is not a date") == 1


def test_the_csv_download_has_the_lists_filters_and_is_safe_in_a_spreadsheet(role_client):
    hostile = UserFactory(username="=HYPERLINK(1)")
    office = OfficeFactory(name="@SUM(A1) office")
    record(AuditAction.CHANGE, actor=hostile, obj=office, summary="+cmd|' /C calc'!A0")
    record(AuditAction.DELETE, actor=UserFactory(username="petar"), obj=RegionFactory())
    client = role_client(PUBLISHER)

    response = client.get(EXPORT + "?action__exact=change")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:3] == ["when (UTC, ISO 8601)", "person", "action"]
    assert len(rows) == 1
    row = rows[0]
    assert row[1] == "'=HYPERLINK(1)"
    assert row[2] == "Changed"
    assert row[3] == "Office"
    assert row[5] == "'@SUM(A1) office"
    assert row[6] == "'+cmd|' /C calc'!A0"
    assert datetime.datetime.fromisoformat(row[0]).utcoffset() == datetime.timedelta(0)

    list_page = client.get(CHANGELIST + "?action__exact=change").content.decode()
    assert f'href="{EXPORT}?action__exact=change"' in list_page


def test_text_in_an_entry_is_escaped(role_client):
    person = UserFactory(username="<script>x</script>")
    record(AuditAction.CHANGE, actor=person, obj=OfficeFactory(name="<b>Office</b>"), summary="<i>")
    client = role_client(PUBLISHER)
    rows = rows_of(client.get(CHANGELIST).content.decode())
    assert "<script>" not in rows and "<b>Office</b>" not in rows and "<i>" not in rows
    assert "&lt;b&gt;Office&lt;/b&gt;" in rows
    entry = AuditEntry.objects.get()
    page = client.get(f"{CHANGELIST}{entry.pk}/change/").content.decode()
    assert "<script>x" not in page and "&lt;b&gt;Office&lt;/b&gt;" in page
