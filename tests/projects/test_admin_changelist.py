"""The project changelist: its two statuses labelled apart, few enough columns for 1280 px."""

import datetime

import pytest

from projects.models import Project
from staff.roles import EDITOR
from tests.admin_forms import changelist_url
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def column_headers(html):
    head = html.split('<table id="result_list">', 1)[1].split("</thead>", 1)[0]
    return [
        part.split("</", 1)[0].rsplit(">", 1)[-1].strip()
        for part in head.split('<div class="text">')[1:]
    ]


def test_the_two_statuses_have_their_own_labels(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    ProjectFactory(planned_start=datetime.date(2024, 1, 1), planned_end=datetime.date(2026, 12, 31))
    html = client.get(changelist_url(Project)).content.decode()
    headers = [header for header in column_headers(html) if header]  # not the checkbox
    assert "Project status" in headers and "Publication" in headers
    assert "Status" not in headers
    assert len(headers) <= 4
    assert "1 January 2024 \u2013 31 December 2026" in html
