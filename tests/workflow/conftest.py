import datetime

import pytest
from django.contrib.auth.models import Group

from publishing import notifications
from staff.roles import EDITOR, PUBLISHER
from tests.factories import ApproachSectionFactory, RegionFactory, UserFactory


@pytest.fixture
def editor(db):
    user = UserFactory(username="edna", email="edna@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


@pytest.fixture
def publisher(db):
    user = UserFactory(username="pablo", email="pablo@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=PUBLISHER))
    return user


@pytest.fixture
def live_region(db):
    region = RegionFactory(
        name="Western Balkans", slug="western-balkans", summary="The live summary."
    )
    ApproachSectionFactory(region=region, title="Partnership", body="Live approach text.")
    return region


def form_data(client, url, **overrides):
    """The admin form at `url` (with its inlines) as a browser would post it back unchanged,
    then `overrides` (None removes a field)."""
    context = client.get(url).context
    data = {}
    if context.get("edit_version"):
        # The version the form was opened on (the no-silent-replacement check).
        data["_version"] = context["edit_version"]

    def add(form, prefix=None):
        for name, field in form.fields.items():
            key = f"{prefix}-{name}" if prefix else name
            value = form.initial.get(name, field.initial)
            if callable(value):
                value = value()
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, datetime.datetime):
                data[f"{key}_0"] = value.strftime("%Y-%m-%d")
                data[f"{key}_1"] = value.strftime("%H:%M:%S")
            elif isinstance(value, list | tuple):
                data[key] = [str(getattr(v, "pk", v)) for v in value]
            else:
                data[key] = str(getattr(value, "pk", value))

    add(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = str(value)
        for index, form in enumerate(formset.initial_forms):
            add(form, f"{formset.prefix}-{index}")
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture(autouse=True)
def mail_at_once(monkeypatch):
    """Tests run inside a transaction that is never committed: send the workflow's e-mail
    at once, as the commit of the admin's transaction would."""
    monkeypatch.setattr(notifications, "after_commit", lambda send: send())
