"""The review queue on the admin index: each person sees what is theirs, in a fixed number
of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from publishing.actions import Actor, save_draft
from publishing.queue import LIST_LENGTH, review_queue
from publishing.revisions import Revision
from publishing.snapshots import take_snapshot
from tests.factories import ProjectFactory, RegionFactory

pytestmark = pytest.mark.django_db


def region_code(n):
    return "X" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n // 26] + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n % 26]


def add_content(editor, count, first=0):
    for n in range(first, first + count):
        live = RegionFactory(code=region_code(2 * n))
        save_draft(
            Actor.of_user(editor),
            live,
            take_snapshot(live),
            take_snapshot(live),
            submit=bool(n % 2),
        )
        ProjectFactory(is_published=False, review_requested=True, title=f"Draft project {n}")
        ProjectFactory(publish_at=timezone.now() + timedelta(days=n + 1), title=f"Soon {n}")
        RegionFactory(
            code=region_code(2 * n + 1), unpublish_at=timezone.now() + timedelta(days=n + 1)
        )


def index_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_each_person_sees_their_own_queue(client, editor, publisher):
    add_content(editor, 2)
    client.force_login(editor)
    _count, html = index_queries(client)
    assert "<h3>My drafts</h3>" in html and "<h3>Awaiting review</h3>" not in html
    assert "Draft change" in html  # the editor's draft revision
    client.force_login(publisher)
    _count, html = index_queries(client)
    assert "<h3>Awaiting review</h3>" in html
    assert "Project: Draft project 0" in html
    assert "Change by edna" in html
    assert "Scheduled to go live" in html and "Project: Soon 0" in html
    assert "Scheduled to be withdrawn" in html


def queue_queries(user):
    review_queue(user)  # the user's permissions are loaded (and cached) on first use
    with CaptureQueriesContext(connection) as queries:
        queue = review_queue(user)
    return len(queries), queue


def test_the_queue_costs_the_same_number_of_queries_at_any_size(editor, publisher):
    add_content(editor, 2)
    small, queue = queue_queries(publisher)
    assert len(queue.awaiting_review) == 3  # one revision, two new projects
    add_content(editor, 12, first=2)
    large, queue = queue_queries(publisher)
    assert len(queue.awaiting_review) == LIST_LENGTH
    assert small == large
    assert Revision.objects.count() == 14
