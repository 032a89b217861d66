"""Every date and time box of the admin reads the region's way of writing dates
("08.12.2026", "8.12.2026 09:00") as well as ISO, and shows a stored date back as day.month.year
(formatting/regional_input.py, docs/staff/numbers-and-dates.md)."""

import datetime
import importlib
import re

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.utils import timezone

from formatting.regional_input import RegionalDateField, RegionalSplitDateTimeField
from tests.admin_forms import change_url
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

DATE = datetime.date(2026, 12, 8)
DATE_INPUTS = ["08.12.2026", "8.12.2026", "08.12.2026.", "2026-12-08"]
DATETIME_INPUTS = [("08.12.2026", "09:00"), ("8.12.2026", "09:00:00"), ("2026-12-08", "09:00")]


def _our_form_classes():
    """Every plain form class defined in the project's own apps (the admin's custom forms:
    the review form, the import form, ...), found by walking the subclasses of Form. Model
    forms are walked through their admin (admin_date_fields), which builds their fields."""
    ours = [c for c in apps.get_app_configs() if "site-packages" not in c.path]
    for config in ours:
        for module in ("admin", "forms"):
            try:
                importlib.import_module(f"{config.name}.{module}")
            except ModuleNotFoundError:
                pass
    seen, stack = set(), [forms.Form]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    project_roots = {config.name.split(".")[0] for config in ours}
    return [cls for cls in seen if cls.__module__.split(".")[0] in project_roots]


def _date_fields_of(form_class):
    return [
        (name, field)
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField)
    ]


def admin_date_fields():
    """(where, name, field) for every date or time field of every admin form and inline a
    superuser sees, and of every custom form of ours."""
    request = RequestFactory().get("/admin/")
    request.user = User(username="walker", is_superuser=True, is_staff=True, is_active=True)
    found = []
    for model, model_admin in admin.site._registry.items():
        form = model_admin.get_form(request, None, change=False)
        found += [(model._meta.label, n, f) for n, f in _date_fields_of(form)]
        for inline in model_admin.get_inline_instances(request, None):
            formset = inline.get_formset(request, None)
            found += [
                (f"{model._meta.label} > {inline.model._meta.label}", n, f)
                for n, f in _date_fields_of(formset.form)
            ]
    for form_class in _our_form_classes():
        found += [(form_class.__qualname__, n, f) for n, f in _date_fields_of(form_class)]
    return found


def test_the_walk_finds_the_date_fields_we_know_of():
    where = {(place, name) for place, name, _field in admin_date_fields()}
    assert ("projects.Project", "planned_start") in where
    assert ("documents.Document", "date") in where
    assert ("regions.Region > regions.Office", "publish_at") in where
    assert ("statistics.DataRelease", "release_at") in where
    assert ("ReviewForm", "go_live_at") in where
    assert ("ObservationImportForm", "release_at") in where


def test_every_admin_date_field_reads_regional_and_iso_input():
    refused = []
    for place, name, field in admin_date_fields():
        if isinstance(field, forms.SplitDateTimeField):
            for value in DATETIME_INPUTS:
                try:
                    cleaned = field.clean(list(value))
                except forms.ValidationError as error:
                    refused.append((place, name, value, error.messages))
                    continue
                assert timezone.localtime(cleaned).replace(tzinfo=None) == datetime.datetime(
                    2026, 12, 8, 9, 0
                ), (place, name, value)
        elif isinstance(field, forms.DateField):
            for value in DATE_INPUTS:
                try:
                    assert field.clean(value) == DATE, (place, name, value)
                except forms.ValidationError as error:
                    refused.append((place, name, value, error.messages))
        else:  # a single-box DateTimeField reads only the locale's formats
            refused.append((place, name, "a single date-and-time box", []))
    assert refused == []


def test_every_admin_date_field_is_a_regional_one_with_the_hint():
    for place, name, field in admin_date_fields():
        assert isinstance(field, RegionalDateField | RegionalSplitDateTimeField), (place, name)
        assert "day.month.year" in str(field.help_text), (place, name)


def test_a_stored_date_is_shown_back_as_day_month_year(admin_client):
    project = ProjectFactory(planned_start=datetime.date(2026, 3, 1))
    html = admin_client.get(change_url(project)).content.decode()
    assert 'value="01.03.2026"' in html
    assert "2026-03-01" not in html.split('name="planned_start"')[1][:200]


def test_the_date_and_the_time_box_each_have_a_name(admin_client):
    """The admin's label of a date + time pair points at neither box (axe: "Form elements
    must have labels"): each box is named after its field."""
    project = ProjectFactory()
    html = admin_client.get(change_url(project)).content.decode()
    for box, part in (("publish_at_0", "date"), ("publish_at_1", "time")):
        tag = re.search(rf'<input[^>]*name="{box}"[^>]*>', html).group(0)
        assert f'aria-label="Publish from, {part}"' in tag, tag
