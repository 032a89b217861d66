"""History people can read (wbportal/history_admin.py), through the admin's URLs."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from regions.models import Region
from staff.roles import EDITOR, PUBLISHER
from tests.admin_forms import change_url, history_url, region_form
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def revert_url(obj, version):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[obj.pk, version.history_id],
    )


def history_rows(html):
    """The <tbody> of the history table, as text without tags (but with <del>/<ins>)."""
    body = html.split('<table id="change-history">', 1)[1].split("</table>", 1)[0]
    return body


def publish_fields(moment):
    local = timezone.localtime(moment)
    return {"publish_at_0": local.strftime("%d.%m.%Y"), "publish_at_1": local.strftime("%H:%M")}


def test_differences_use_labels_local_times_and_plain_values(client, staff_with_role):
    publisher = staff_with_role(PUBLISHER)
    client.force_login(publisher)
    region = RegionFactory(is_published=False)
    when = timezone.make_aware(datetime.datetime(2026, 11, 28, 6, 13))  # Belgrade time
    data = region_form(region, is_published="on", **publish_fields(when))
    assert client.post(change_url(region), data).status_code == 302

    html = client.get(history_url(region)).content.decode()
    rows = history_rows(html)
    assert "Publish from:" in rows and "publish_at" not in rows
    assert "Approved for publication:" in rows
    assert "No" in rows and "Yes" in rows
    assert "28 November 2026, 06:13" in rows  # local time, the site's style
    assert "+00:00" not in rows and "None" not in rows
    # The date and time of each version in the same style.
    assert re.search(r"\d{1,2} \w+ \d{4}, \d{2}:\d{2}", rows)


def test_long_texts_are_shown_in_full_with_the_changed_words_marked_and_escaped(
    client, staff_with_role
):
    client.force_login(staff_with_role(EDITOR))
    opening = "The regional office works with six governments on migration policy. " * 4
    region = RegionFactory(is_published=False, body=opening + "Old <b>ending</b>.")
    data = region_form(region, body=opening + "New <b>ending</b>.")
    assert client.post(change_url(region), data).status_code == 302

    rows = history_rows(client.get(history_url(region)).content.decode())
    assert rows.count(opening.strip()) == 2  # both versions, not shortened
    assert "chars]" not in rows
    assert "<del>Old</del> &lt;b&gt;ending&lt;/b&gt;." in rows
    assert "<ins>New</ins> &lt;b&gt;ending&lt;/b&gt;." in rows
    assert "<b>ending</b>" not in rows


def test_the_history_marks_words_and_signs_apart(client, staff_with_role):
    # Finer than the review of a proposed change, which marks "2024." as one word.
    client.force_login(staff_with_role(EDITOR))
    region = RegionFactory(is_published=False, summary="Figures for 2024.")
    data = region_form(region, summary="Figures for 2025.")
    assert client.post(change_url(region), data).status_code == 302

    rows = history_rows(client.get(history_url(region)).content.decode())
    assert "Figures for <del>2024</del>." in rows
    assert "Figures for <ins>2025</ins>." in rows


def test_a_change_comment_is_kept_and_listed_and_never_reads_none(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    region = RegionFactory(is_published=False, summary="Before.")
    form = client.get(change_url(region)).content.decode()
    assert "Change comment (optional)" in form
    data = region_form(region, summary="After.", change_comment="Figures from the 2025 report")
    assert client.post(change_url(region), data).status_code == 302
    assert region.history.latest().history_change_reason == "Figures from the 2025 report"

    data = region_form(region, summary="After again.")
    assert client.post(change_url(region), data).status_code == 302
    assert region.history.latest().history_change_reason is None

    html = client.get(history_url(region)).content.decode()
    assert "Change comment" in html
    assert "Figures from the 2025 report" in html
    assert "None" not in history_rows(html)


def test_the_add_form_has_no_change_comment(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    form = client.get(reverse("admin:regions_region_add")).content.decode()
    assert "Change comment" not in form


def test_saving_without_changes_records_no_version(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    region = RegionFactory(is_published=False)
    before = region.history.count()
    assert client.post(change_url(region), region_form(region)).status_code == 302
    assert region.history.count() == before


def test_a_published_item_saved_with_a_blank_publish_from_records_no_change(
    client, staff_with_role
):
    region = RegionFactory(is_published=True, publish_at=None)
    client.force_login(staff_with_role(PUBLISHER))
    before = region.history.count()
    data = region_form(region, is_published="on", publish_at_0="", publish_at_1="")
    assert client.post(change_url(region), data).status_code == 302
    region.refresh_from_db()
    assert region.publish_at is None
    assert region.history.count() == before


def test_an_unchanged_publish_time_keeps_its_microseconds(client, staff_with_role):
    moment = timezone.now().replace(microsecond=45176) - datetime.timedelta(days=1)
    region = RegionFactory(is_published=True, publish_at=moment)
    client.force_login(staff_with_role(PUBLISHER))
    before = region.history.count()
    data = region_form(region, is_published="on", **publish_fields(moment))
    data["publish_at_1"] = timezone.localtime(moment).strftime("%H:%M:%S")
    assert client.post(change_url(region), data).status_code == 302
    region.refresh_from_db()
    assert region.publish_at == moment
    assert region.history.count() == before


def test_approving_still_dates_the_approval(client, staff_with_role):
    region = RegionFactory(is_published=False, publish_at=None)
    client.force_login(staff_with_role(PUBLISHER))
    data = region_form(region, is_published="on", publish_at_0="", publish_at_1="")
    assert client.post(change_url(region), data).status_code == 302
    region.refresh_from_db()
    assert region.publish_at is not None


def test_the_revert_page_shows_the_items_publication_status(client, staff_with_role):
    region = RegionFactory(is_published=False)
    region.is_published = True
    region.save()  # published now; the first version was a draft
    client.force_login(staff_with_role(EDITOR))
    page = client.get(revert_url(region, region.history.earliest())).content.decode()
    status = page.split("field-publication_status_display", 1)[1][:600]
    assert "Published" in status and "Draft" not in status
    assert Region.objects.published().filter(pk=region.pk).exists()


def test_changed_by_links_to_the_user_only_for_those_who_may_view_users(
    client, staff_with_role, superuser
):
    editor = staff_with_role(EDITOR)
    region = RegionFactory(is_published=False)
    client.force_login(editor)
    client.post(change_url(region), region_form(region, summary="Edited."))
    user_url = reverse("admin:auth_user_change", args=[editor.pk])

    client.force_login(staff_with_role(PUBLISHER, username="pub"))
    html = client.get(history_url(region)).content.decode()
    assert editor.username in history_rows(html)
    assert user_url not in html
    assert client.get(user_url).status_code == 403  # the link would have led here

    client.force_login(superuser)
    html = client.get(history_url(region)).content.decode()
    assert f'href="{user_url}"' in html


@pytest.mark.parametrize(
    ("object_id", "version_id"), [("pk", "abc"), ("abc", "1"), ("pk", "1.5"), ("pk", "9" * 30)]
)
def test_a_malformed_history_address_is_not_found_not_an_error(admin_user, object_id, version_id):
    region = RegionFactory()
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    object_id = region.pk if object_id == "pk" else object_id
    url = f"/admin/regions/region/{object_id}/history/{version_id}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"_change_history": "1"}).status_code == 404
    if object_id == "abc":
        assert client.get(f"/admin/regions/region/{object_id}/history/").status_code == 404
