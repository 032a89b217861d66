"""History pages people read (wbportal/history_admin.py): who made each version (author and
approver, the demo loader), only the changed paragraphs of a long text, and links that never
lead to a refusal; per role, through the admin's URLs."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from projects.models import Organisation
from publishing.revisions import Revision
from regions.models import Region
from staff.roles import DATA_MANAGER, EDITOR, PUBLISHER
from tests.admin_forms import change_url, history_url, region_form
from tests.factories import ApproachSectionFactory, RegionFactory, UserFactory
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db


def history_rows(html):
    return html.split('<table id="change-history">', 1)[1].split("</table>", 1)[0]


def person(username, first_name, role):
    user = UserFactory(username=username, first_name=first_name, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def approve_through_review(client, region, author, reviewer, **changes):
    """`author` proposes `changes` to the live region, `reviewer` approves them, through the
    admin's forms."""
    client.force_login(author)
    data = form_data(client, change_url(region), _submit="1", **changes)
    assert client.post(change_url(region), data).status_code == 302
    revision = region_revision(region)
    client.force_login(reviewer)
    revision.refresh_from_db()
    response = client.post(
        revision.admin_url(),
        {"action": "approve", "comment": "Good.", "version": revision.version},
    )
    assert response.status_code == 302
    return revision


def region_revision(region):
    return Revision.objects.for_item(region).latest("pk")


def test_a_change_that_came_through_review_credits_its_author_and_its_approver(client):
    elena = person("elena", "Elena", EDITOR)
    petar = person("petar", "Petar", PUBLISHER)
    region = RegionFactory(summary="The live summary.")
    approve_through_review(client, region, elena, petar, summary="The proposed summary.")

    rows = history_rows(client.get(history_url(region)).content.decode())
    assert "Elena proposed, Petar approved" in rows
    assert "Approved revision" not in rows  # the workflow's own note, not a person's words
    assert "Good." in rows  # the approver's comment


def test_a_section_changed_in_the_regions_form_credits_the_regions_author_and_approver(client):
    elena = person("elena", "Elena", EDITOR)
    petar = person("petar", "Petar", PUBLISHER)
    region = RegionFactory(summary="The live summary.")
    section = ApproachSectionFactory(region=region, title="Partnership", body="Live text.")
    approve_through_review(
        client, region, elena, petar, **{"approach_sections-0-body": "Proposed text."}
    )
    section.refresh_from_db()
    assert section.body == "Proposed text."

    rows = history_rows(client.get(history_url(section)).content.decode())
    assert "Elena proposed, Petar approved" in rows


def test_a_publishers_publication_is_credited_to_the_publisher(client):
    petar = person("petar", "Petar", PUBLISHER)
    region = RegionFactory(is_published=False)
    client.force_login(petar)
    data = region_form(region, is_published="on", publish_at_0="", publish_at_1="")
    assert client.post(change_url(region), data).status_code == 302
    rows = history_rows(client.get(history_url(region)).content.decode())
    assert "Petar published" in rows


def test_a_direct_change_names_the_person(client):
    elena = person("elena", "Elena", EDITOR)
    region = RegionFactory(is_published=False)
    client.force_login(elena)
    assert client.post(change_url(region), region_form(region, summary="New.")).status_code == 302
    rows = history_rows(client.get(history_url(region)).content.decode())
    assert "Elena" in rows and "proposed" not in rows


def test_demo_content_shows_as_loaded_with_the_demo_not_by_an_unknown_person(client, demo):
    client.force_login(person("petar", "Petar", PUBLISHER))
    region = Region.objects.get(slug="western-balkans")
    rows = history_rows(client.get(history_url(region)).content.decode())
    assert "Loaded with the demo content" in rows
    assert "unknown" not in rows and "not recorded" not in rows
    # Every item the demo loads has its first version, one, so marked.
    for item in (region.offices.first(), region.countries.first()):
        assert "Loaded with the demo content" in client.get(history_url(item)).content.decode()
    assert region.history.count() == 1


def long_body(changed_word="twelve"):
    paragraphs = [
        f"Paragraph {number} of the approach: the office works with partners "
        f"on migration policy in the region, year after year."
        for number in range(1, 31)
    ]
    paragraphs[14] = f"Paragraph 15 says that the office has {changed_word} staff in Sarajevo."
    return "\n\n".join(paragraphs)


def test_a_small_change_to_a_long_text_shows_the_changed_paragraph_and_folds_the_rest(client):
    client.force_login(person("elena", "Elena", EDITOR))
    region = RegionFactory(is_published=False, body=long_body("twelve"))
    data = region_form(region, body=long_body("fourteen"))
    assert client.post(change_url(region), data).status_code == 302

    rows = history_rows(client.get(history_url(region)).content.decode())
    changed = rows.split("<strong>Overview:</strong>", 1)[1].split("</li>", 1)[0]
    assert "has <del>twelve</del> staff" in changed
    assert "has <ins>fourteen</ins> staff" in changed
    # One paragraph of context on each side, shown...
    shown = re.sub(r"<details.*?</details>", "", changed, flags=re.S)
    assert "Paragraph 14 of" in shown and "Paragraph 16 of" in shown
    # ...and the rest folded away: there, but closed.
    assert "Paragraph 1 of" not in shown and "Paragraph 30 of" not in shown
    folded = re.findall(r"<details class=\"history-folded\">(.*?)</details>", changed, re.S)
    assert len(folded) == 2
    assert "13 unchanged paragraphs" in folded[0] and "Paragraph 1 of" in folded[0]
    assert "14 unchanged paragraphs" in folded[1] and "Paragraph 30 of" in folded[1]
    assert " open" not in changed  # folded, not opened
    # The whole text is not repeated: each unchanged paragraph appears once.
    assert changed.count("Paragraph 2 of") == 1


def test_paragraphs_added_or_removed_are_labelled_so(client):
    client.force_login(person("elena", "Elena", EDITOR))
    body = long_body()
    region = RegionFactory(is_published=False, body=body)
    data = region_form(region, body=body + "\n\nA new closing paragraph <b>here</b>.")
    assert client.post(change_url(region), data).status_code == 302
    rows = history_rows(client.get(history_url(region)).content.decode())
    assert "Added:</span> <ins>" in rows
    assert "&lt;b&gt;here&lt;/b&gt;" in rows and "<b>here</b>" not in rows
    assert "Before:" not in rows.split("<strong>Overview:</strong>", 1)[1].split("</li>", 1)[0]


ROLES = [EDITOR, PUBLISHER, DATA_MANAGER, "superuser"]


@pytest.mark.parametrize("role", ROLES)
def test_no_link_on_a_history_page_leads_a_role_to_a_refusal(role, superuser):
    elena = person("elena", "Elena", EDITOR)
    petar = person("petar", "Petar", PUBLISHER)
    region = RegionFactory(summary="The live summary.")
    setup = Client()
    approve_through_review(setup, region, elena, petar, summary="The proposed summary.")
    setup.force_login(elena)
    draft = RegionFactory(is_published=False)
    setup.post(change_url(draft), region_form(draft, summary="Edited."))

    reader = superuser if role == "superuser" else person(f"reader-{role}", "", role)
    client = Client(raise_request_exception=False)
    client.force_login(reader)
    for item in (region, draft):
        response = client.get(history_url(item))
        if response.status_code == 403:
            continue  # the page itself is refused: it links nowhere
        assert response.status_code == 200
        rows = history_rows(response.content.decode())
        links = re.findall(r'href="([^"]+)"', rows)
        for url in links:
            assert client.get(url).status_code == 200, (role, url)
        user_links = [url for url in links if "/auth/user/" in url]
        assert bool(user_links) == (role == "superuser"), role


def test_names_are_escaped_in_the_credit(client):
    elena = person("elena", '<img src=x onerror="alert(1)">', EDITOR)
    petar = person("petar", "<b>Petar</b>", PUBLISHER)
    region = RegionFactory(summary="The live summary.")
    approve_through_review(client, region, elena, petar, summary="The proposed summary.")
    rows = history_rows(client.get(history_url(region)).content.decode())
    assert "<img" not in rows and "<b>Petar</b>" not in rows
    assert "&lt;b&gt;Petar&lt;/b&gt; approved" in rows


def test_the_demo_loader_marks_only_what_it_loads_and_once():
    # A row made without a version (as bulk writes make them) before the demo is loaded.
    [own] = Organisation.objects.bulk_create([Organisation(name="Own row", slug="own-row")])
    call_command("load_demo", without_source_files=True, verbosity=0)
    call_command(
        "load_demo", without_source_files=True, verbosity=0
    )  # safe to repeat: no second version

    assert not own.history.exists()
    region = Region.objects.get(slug="western-balkans")
    [version] = region.history.all()
    assert (version.history_type, version.history_user) == ("+", None)
    assert version.history_change_reason == "Loaded with the demo content"
    demo_organisation = Organisation.objects.exclude(pk=own.pk).first()
    assert demo_organisation.history.count() == 1
