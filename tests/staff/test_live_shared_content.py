"""Shared content a live page shows (library images, organisations, thematic areas,
facilities) is Publisher-only once an approved page uses it; Editors add new ones and change
those nothing live uses yet. Tried through the admin's URLs as each role: the change form, a
forged POST, the history revert, the delete page; the public page (and the page cache) shows
a Publisher's change at once and never an Editor's."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

import pagecache
from library.models import Image
from projects.models import Organisation
from staff.roles import DATA_MANAGER, EDITOR, PUBLISHER
from tests.admin_forms import change_url, delete_url
from tests.factories import (
    FacilityFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionFactory,
    ThematicAreaFactory,
)
from tests.library.images import make_image, photo_bytes, upload
from tests.pagecache.conftest import RECORDING, get_twice
from tests.workflow.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cached_pages(settings):
    settings.PAGE_CACHE = True
    settings.CACHES = {"default": RECORDING}
    caches["default"].clear()
    pagecache.reset()


@pytest.fixture
def hero(db):
    image = make_image(caption="Reviewed caption", credit="Reviewed credit", licence="CC BY 4.0")
    region = RegionFactory(hero_image=image)
    return image, region


def signed_in(client, user):
    client.force_login(user)
    return client


def image_fields(image):
    """The image form's fields as posted unchanged (no new file)."""
    return {
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "licence": image.licence,
        "licence_url": image.licence_url,
        "focal_x": str(image.focal_x),
        "focal_y": str(image.focal_y),
    }


def history_url(obj, version):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[obj.pk, version.history_id],
    )


def test_an_editor_cannot_change_the_caption_credit_or_licence_of_a_live_hero(
    client, staff_with_role, hero, cached_pages
):
    image, region = hero
    visitor = Client()
    get_twice(visitor, region.get_absolute_url())
    signed_in(client, staff_with_role(EDITOR))
    page = client.get(change_url(image))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "This image is shown on 1 live page (or in a change a Publisher is reviewing or has "
        "approved); a Publisher must change it." in html
    )
    assert 'name="caption"' not in html  # read-only

    # A forged POST (or a form opened before the page used the image) changes nothing.
    data = form_data(
        client, change_url(image), caption="Unreviewed", credit="Nobody", licence="All mine"
    )
    data.update(caption="Unreviewed", credit="Nobody", licence="All mine", alt_text="Changed")
    response = client.post(change_url(image), data, follow=True)
    assert "a Publisher must change it" in response.content.decode()
    image.refresh_from_db()
    assert (image.caption, image.credit, image.licence) == (
        "Reviewed caption",
        "Reviewed credit",
        "CC BY 4.0",
    )
    page = visitor.get(region.get_absolute_url()).content.decode()
    assert "Reviewed caption" in page and "Unreviewed" not in page


def test_an_editor_cannot_replace_the_file_of_an_image_a_live_page_shows(
    client, staff_with_role, hero
):
    image, _region = hero
    stored = image.file.name
    signed_in(client, staff_with_role(EDITOR))
    data = {**image_fields(image), "focal_x": "10", "file": upload(photo_bytes(640, 480))}
    client.post(change_url(image), data)
    image.refresh_from_db()
    assert image.file.name == stored and image.focal_x == 50


def test_an_image_shown_in_a_live_text_is_protected_too(client, staff_with_role):
    image = make_image(caption="In the text")
    ProjectFactory(description=f"Our work: ![A workshop](library:{image.pk})")
    signed_in(client, staff_with_role(EDITOR))
    assert "a Publisher must change it" in client.get(change_url(image)).content.decode()


def test_a_scheduled_page_counts_as_live(client, staff_with_role):
    from datetime import timedelta

    from django.utils import timezone

    image = make_image()
    RegionFactory(hero_image=image, publish_at=timezone.now() + timedelta(days=1))
    signed_in(client, staff_with_role(EDITOR))
    assert "a Publisher must change it" in client.get(change_url(image)).content.decode()


def test_an_editor_changes_an_image_only_drafts_use_and_uploads_new_ones(client, staff_with_role):
    from tests.library.test_upload import post_image

    image = make_image(caption="Draft caption")
    RegionFactory(hero_image=image, is_published=False)
    signed_in(client, staff_with_role(EDITOR))
    data = form_data(client, change_url(image), caption="Better caption")
    assert client.post(change_url(image), data).status_code == 302
    image.refresh_from_db()
    assert image.caption == "Better caption"
    # Uploading a new image stays the Editor's (the chooser's upload in place is one).
    assert post_image(client, photo_bytes(300, 200)).status_code == 302
    assert Image.objects.count() == 2


def test_an_editor_cannot_revert_a_live_image_through_its_history(client, staff_with_role, hero):
    image, _region = hero
    old = image.history.earliest()
    image.caption = "Second reviewed caption"
    image.save()
    signed_in(client, staff_with_role(EDITOR))
    data = {**image_fields(image), "caption": "Reverted by an editor", "_change_history": "1"}
    response = client.post(history_url(image, old), data, follow=True)
    assert "a Publisher must change it" in response.content.decode()
    image.refresh_from_db()
    assert image.caption == "Second reviewed caption"


def test_a_publisher_changes_a_live_image_and_the_page_shows_it_at_once(
    client, staff_with_role, hero, cached_pages
):
    image, region = hero
    visitor = Client()
    get_twice(visitor, region.get_absolute_url())
    signed_in(client, staff_with_role(PUBLISHER))
    html = client.get(change_url(image)).content.decode()
    assert "a Publisher must change it" not in html and 'name="caption"' in html
    data = form_data(client, change_url(image), caption="New reviewed caption")
    assert client.post(change_url(image), data).status_code == 302
    response = visitor.get(region.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "New reviewed caption" in response.content.decode()


def test_a_role_that_may_only_view_cannot_post_a_change(client, staff_with_role, hero):
    image, _region = hero
    signed_in(client, staff_with_role(DATA_MANAGER))
    response = client.post(change_url(image), {"caption": "x", "alt_text": "y"})
    assert response.status_code in (403, 302)
    image.refresh_from_db()
    assert image.caption == "Reviewed caption"


def _project_using(kind, obj):
    if kind == "organisation":
        return ProjectFactory(donors=[obj])
    if kind == "thematicarea":
        return ProjectFactory(thematic_areas=[obj])
    return ProjectFactory(facility=obj)


@pytest.mark.parametrize(
    ("kind", "factory"),
    [
        ("organisation", OrganisationFactory),
        ("thematicarea", ThematicAreaFactory),
        ("facility", FacilityFactory),
    ],
)
def test_an_editor_cannot_rename_what_a_live_project_shows(client, staff_with_role, kind, factory):
    obj = factory(name="Reviewed Name")
    project = _project_using(kind, obj)
    signed_in(client, staff_with_role(EDITOR))
    html = client.get(change_url(obj)).content.decode()
    assert (
        "shown on 1 live page (or in a change a Publisher is reviewing or has approved); "
        "a Publisher must change it." in html
    )
    data = form_data(client, change_url(obj), name="Renamed By Editor")
    data["name"] = "Renamed By Editor"
    data["slug"] = "reviewed-name"
    client.post(change_url(obj), data)
    obj.refresh_from_db()
    assert obj.name == "Reviewed Name"
    page = Client().get(project.get_absolute_url()).content.decode()
    assert "Renamed By Editor" not in page

    # Unused by any approved project: the Editor's to change.
    project.is_published = False
    project.save()
    data = form_data(client, change_url(obj), name="Renamed By Editor")
    assert client.post(change_url(obj), data).status_code == 302
    obj.refresh_from_db()
    assert obj.name == "Renamed By Editor"


def test_a_publisher_renames_an_organisation_of_a_live_project(client, staff_with_role):
    organisation = OrganisationFactory(name="Old Donor Name")
    project = ProjectFactory(donors=[organisation])
    signed_in(client, staff_with_role(PUBLISHER))
    data = form_data(client, change_url(organisation), name="New Donor Name")
    assert client.post(change_url(organisation), data).status_code == 302
    assert Organisation.objects.get().name == "New Donor Name"
    assert "New Donor Name" in Client().get(project.get_absolute_url()).content.decode()


def test_deleting_what_a_live_page_uses_is_not_offered_without_the_permission(
    client, staff_with_role
):
    organisation = OrganisationFactory()
    ProjectFactory().implementing_partners.add(organisation)
    editor = staff_with_role(EDITOR)
    # Even an Editor given the delete permission may not delete what a live page shows.
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="delete_organisation"))
    signed_in(client, editor)
    assert client.post(delete_url(organisation), {"post": "yes"}).status_code == 403
    changelist = reverse("admin:projects_organisation_changelist")
    client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [organisation.pk], "post": "yes"},
    )
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_countries_and_documents_go_through_review(client, staff_with_role):
    """Countries and documents have the workflow: an Editor's change to a live one is a
    proposal, and the public page keeps the reviewed name and footnote."""
    from regions.models import Country
    from tests.factories import CountryFactory, DocumentFactory

    country = CountryFactory(name="Kosovo", slug="kosovo", iso_code="XK", footnote="Reviewed.")
    region = RegionFactory(countries=[country], summary="Offices in Kosovo.")
    document = DocumentFactory(title="Reviewed title")
    signed_in(client, staff_with_role(EDITOR))
    for obj, changes in (
        (country, {"name": "Kosovo2", "footnote": "Unreviewed."}),
        (document, {"title": "Unreviewed title"}),
    ):
        data = form_data(client, change_url(obj), **changes)
        assert client.post(change_url(obj), data).status_code == 302
    assert Country.objects.get(pk=country.pk).footnote == "Reviewed."
    page = Client().get(region.get_absolute_url()).content.decode()
    assert "Reviewed." in page and "Unreviewed." not in page and "Kosovo2" not in page
    document.refresh_from_db()
    assert document.title == "Reviewed title"


def test_the_sites_logo_counts_as_live_an_unpublished_regions_section_does_not(
    client, staff_with_role
):
    from pages.models import SiteSettings
    from tests.factories import ApproachSectionFactory

    logo = make_image(caption="Logo")
    settings_row = SiteSettings.objects.first() or SiteSettings.objects.create()
    settings_row.logo_image = logo
    settings_row.save()
    in_draft = make_image(caption="Draft section image")
    ApproachSectionFactory(
        region=RegionFactory(is_published=False), body=f"![A map](library:{in_draft.pk})"
    )
    signed_in(client, staff_with_role(EDITOR))
    assert "a Publisher must change it" in client.get(change_url(logo)).content.decode()
    html = client.get(change_url(in_draft)).content.decode()
    assert "a Publisher must change it" not in html and 'name="caption"' in html
