"""The audit log and a history page in a real browser, as a Publisher reads them: axe, no
horizontal scrolling at 375 px, screenshots at 375 and 1280 px
(test-artifacts/screenshots/audit-*.png)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from audit.models import AuditAction, AuditEntry
from projects.models import Organisation
from publishing.revisions import Revision
from regions.models import Region
from staff.roles import EDITOR, PUBLISHER
from tests.admin_forms import change_url
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_accessibility import check_axe
from tests.factories import UserFactory
from tests.workflow.conftest import form_data

PASSWORD = "a-long-test-password-42"


def make_staff(username, first_name, last_name, role):
    user = UserFactory(username=username, first_name=first_name, last_name=last_name, is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def a_morning_of_work(elena, petar):
    """Elena changes two words of the live region's long overview; Petar approves it, renames
    an organisation and gives someone a role."""
    region = Region.objects.get(slug="western-balkans")
    client = Client()
    client.force_login(elena)
    body = region.body.replace("for over 30 years", "for more than 30 years", 1)
    assert body != region.body
    data = form_data(client, change_url(region), body=body, _submit="1")
    assert client.post(change_url(region), data).status_code == 302
    revision = Revision.objects.for_item(region).latest("pk")
    client.force_login(petar)
    revision.refresh_from_db()
    response = client.post(
        revision.admin_url(),
        {"action": "approve", "comment": "Thanks.", "version": revision.version},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.first()
    data = form_data(client, change_url(organisation), name=f"{organisation.name} (renamed)")
    assert client.post(change_url(organisation), data).status_code == 302
    UserFactory(username="marija")
    call_command("grant_role", "marija", EDITOR, stdout=None)
    return region


@pytest.mark.django_db(transaction=True)  # signs in and writes: the demo to itself
def test_the_audit_log_and_a_history_page_read_well(make_context, site):
    elena = make_staff("elena", "Elena", "Kovač", EDITOR)
    petar = make_staff("petar", "Petar", "Nikolić", PUBLISHER)
    region = a_morning_of_work(elena, petar)
    session = Client()
    session.force_login(petar)
    cookie = session.cookies["sessionid"].value

    role_change = AuditEntry.objects.get(action=AuditAction.ROLE_CHANGE)
    pages = {
        "audit-entry": f"/admin/audit/auditentry/{role_change.pk}/change/",
        "audit-log": "/admin/audit/auditentry/",
        "audit-log-filtered": "/admin/audit/auditentry/?date_from=01.01.2020&action__exact=change",
        "history-long-text": f"/admin/regions/region/{region.pk}/history/",
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        context = make_context(viewport={"width": width, "height": 900})
        context.context.add_cookies([{"name": "sessionid", "value": cookie, "url": site.url}])
        page = context.new_page()
        for name, path in pages.items():
            assert page.goto(path, wait_until="load").status == 200, path
            check_axe(page, f"{path} at {width} px")
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width, path
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        history = page.content()
        assert "Elena Kovač proposed, Petar Nikolić approved" in history
        assert "for <del>over</del> 30 years" in history
        assert "for <ins>more than</ins> 30 years" in history
        # The history of a two-word change is short: the rest of the text is folded away.
        height = page.evaluate("() => document.documentElement.scrollHeight")
        assert height < 2600, height
        assert context.errors == [] and context.offsite_requests() == []
