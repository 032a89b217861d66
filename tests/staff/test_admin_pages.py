"""Every admin page an editor uses opens: changelist, search, add and change forms."""

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.models import HistoricalChanges

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"regions", "projects", "statistics", "documents"}
# Read-only records (no add form, no public page): tested in tests/statistics/.
READ_ONLY = {("statistics", "importrecord")}
# Transient uploads waiting for an import's confirm step: nothing for anyone to do there, they
# expire by themselves (tests/statistics/test_import_confirm.py).
NOT_IN_ADMIN = {("statistics", "pendingupload")}
# What a written import added and changed: shown on its import record's page, which undoes it
# (tests/statistics/test_import_batches.py).
NOT_IN_ADMIN |= {("statistics", "importedchange")}
# Made only by staged imports (no add form, no demo content): tests/statistics/test_data_release.py.
MADE_BY_IMPORTS = {("statistics", "datarelease")}
ALL_REGISTERED = {
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in PROJECT_APPS
}
# No public page, and profiles are made by Data managers (no demo content):
# tests/statistics/profiles/test_profile_admin.py.
PROFILES = {("statistics", "importprofile"), ("statistics", "areaname")}
# Defined by Data managers over the demo's indicators: tests/statistics/derived/test_admin.py
# opens its pages.
DERIVED = {("statistics", "derivation")}
REGISTERED = sorted(ALL_REGISTERED - READ_ONLY - MADE_BY_IMPORTS - PROFILES - DERIVED)


def test_every_content_model_has_an_admin():
    from django.apps import apps

    expected = {
        (model._meta.app_label, model._meta.model_name)
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        # django-simple-history's Historical* models are shown through their model's admin.
        if not issubclass(model, HistoricalChanges)
    }
    assert ALL_REGISTERED == expected - NOT_IN_ADMIN


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_admin_pages_open_for_a_superuser(admin_client, demo, app_label, model_name):
    from django.apps import apps

    model = apps.get_model(app_label, model_name)
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "Bal"}).status_code == 200
    assert admin_client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 200
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"demo content has no {model_name}"
    change = admin_client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]))
    assert change.status_code == 200
    # "View on site" is offered wherever the model has a public URL.
    assert 'class="viewsitelink"' in change.content.decode()


def test_admin_requires_login(client):
    response = client.get(reverse("admin:regions_region_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_region_change_form_has_offices_contacts_and_approach_inlines(admin_client, demo):
    from regions.models import Region

    region = Region.objects.get(slug="western-balkans")
    html = admin_client.get(reverse("admin:regions_region_change", args=[region.pk])).content
    for prefix in (
        b"approach_sections-TOTAL_FORMS",
        b"offices-TOTAL_FORMS",
        b"contacts-TOTAL_FORMS",
    ):
        assert prefix in html
