import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.log import record
from audit.models import AuditAction, AuditEntry
from tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_record_names_the_person_the_action_and_the_item():
    person = UserFactory(username="elena")
    office = OfficeFactory()

    entry = record(AuditAction.SUBMIT, actor=person, obj=office, summary="Phone changed")

    assert list(AuditEntry.objects.for_object(office)) == [entry]
    assert (entry.actor, entry.actor_name, entry.action) == (person, "elena", "submit")
    assert entry.object_repr == str(office)


def test_the_record_outlives_the_account():
    person = UserFactory(username="petar")
    entry = record(AuditAction.APPROVE, actor=person, obj=OfficeFactory())

    person.delete()

    entry.refresh_from_db()
    assert (entry.actor, entry.actor_name) == (None, "petar")


def test_a_system_step_names_the_system():
    entry = record(AuditAction.PUBLISH, obj=OfficeFactory(), actor_name="scheduler")
    assert (entry.actor, entry.actor_name) == (None, "scheduler")


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError):
        record("rename", obj=OfficeFactory())


def test_pruning_keeps_recent_entries_and_records_itself():
    old_moment = timezone.now() - datetime.timedelta(days=400)
    with time_machine.travel(old_moment, tick=False):
        old = record(AuditAction.CHANGE, obj=OfficeFactory())
    recent = record(AuditAction.CHANGE, obj=OfficeFactory())

    with pytest.raises(CommandError):
        call_command("prune_audit_log", older_than=30)
    call_command("prune_audit_log", older_than=365, stdout=None)

    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    pruned = AuditEntry.objects.get(action=AuditAction.PRUNE)
    assert pruned.detail == {"deleted": 1, "older_than_days": 365}
