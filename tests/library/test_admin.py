"""The library in the admin: list with thumbnails, search and filters, where an image is
used, and no deletion while it is used (by a foreign key or in a Markdown text)."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from library.models import Image
from pages.models import SiteSettings
from tests.admin_forms import change_url, delete_url
from tests.factories import (
    ContactFactory,
    CountryFactory,
    ProjectFactory,
    RegionFactory,
)

from .images import make_image, photo_bytes

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:library_image_changelist")


def test_changelist_shows_thumbnails_and_searches_alt_caption_and_credit(admin_client):
    make_image(alt_text="Harbour at night", credit="Jane Doe", licence="CC BY 4.0")
    make_image(alt_text="Workshop", caption="Training of border police")
    html = admin_client.get(CHANGELIST).content.decode()
    assert html.count('src="/media/library/renditions/') == 2
    assert 'width="80"' in html
    harbour = Image.objects.get(alt_text="Harbour at night")
    assert f"![Harbour at night](library:{harbour.pk})" in html  # to copy into a text
    for query, expected, other in [
        ("harbour", "Harbour at night", "Workshop"),
        ("border police", "Workshop", "Harbour at night"),
        ("jane", "Harbour at night", "Workshop"),
    ]:
        found = admin_client.get(CHANGELIST, {"q": query}).content.decode()
        assert expected in found and other not in found


def test_changelist_filters_by_licence(admin_client):
    make_image(alt_text="Licensed photo", licence="CC BY 4.0")
    make_image(alt_text="Other photo", licence="All rights reserved")
    html = admin_client.get(CHANGELIST, {"licence": "CC BY 4.0"}).content.decode()
    assert "Licensed photo" in html and "Other photo" not in html


def test_one_image_used_in_many_places_lists_every_use(admin_client):
    image = make_image(alt_text="Shared photo")
    region = RegionFactory(hero_image=image, name="Region With Hero")
    country = CountryFactory(hero_image=image, name="Country With Hero")
    project = ProjectFactory(image=image, title="Project With Image")
    contact = ContactFactory(portrait=image, name="Ana Portrait")
    SiteSettings.objects.update(logo_image=image, default_share_image=image)
    text_user = ProjectFactory(
        title="Project Showing It", description=f"Look: ![](library:{image.pk})"
    )
    ProjectFactory(title="Not a use", description=f"![](library:{image.pk}0) ref {image.pk}")
    html = admin_client.get(change_url(image)).content.decode()
    section = html.split("Where it is used")[1]
    for obj in (region, country, project, contact, text_user):
        assert f'<a href="{change_url(obj)}">' in section, obj
    assert section.count(change_url(SiteSettings.objects.get())) == 2  # logo and share image
    assert "Not a use" not in section


def test_an_image_in_use_by_a_foreign_key_cannot_be_deleted(admin_client, media):
    image = make_image()
    region = RegionFactory(hero_image=image)
    page = admin_client.get(delete_url(image))
    html = page.content.decode()
    assert "protected related objects" in html or "would require deleting" in html
    assert str(region) in html
    response = admin_client.post(delete_url(image), {"post": "yes"})
    assert response.status_code == 200  # the page again, listing the uses
    assert Image.objects.filter(pk=image.pk).exists()
    assert (media / image.file.name).is_file()


def test_an_image_used_by_the_site_settings_lists_every_use_on_its_delete_page(admin_client):
    """The site settings' admin refuses deletion; that must not hide the list of uses behind
    Django's "your account doesn't have permission to delete" notice."""
    image = make_image()
    region = RegionFactory(hero_image=image)
    SiteSettings.objects.update(default_share_image=image)
    html = admin_client.get(delete_url(image)).content.decode()
    assert "doesn't have permission" not in html
    assert f'<a href="{change_url(region)}">{region}</a>' in html
    assert f'<a href="{change_url(SiteSettings.objects.get())}">' in html
    assert admin_client.post(delete_url(image), {"post": "yes"}).status_code == 200
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_image_shown_in_a_markdown_text_cannot_be_deleted(admin_client):
    image = make_image()
    project = ProjectFactory(description=f"![A photo](library:{image.pk})")
    html = admin_client.get(delete_url(image)).content.decode()
    assert f'<a href="{change_url(project)}">{project}</a>' in html
    assert "This image is in use" in html
    response = admin_client.post(delete_url(image), {"post": "yes"})
    assert response.status_code == 200  # the page again, listing the uses
    assert Image.objects.filter(pk=image.pk).exists()
    with pytest.raises(ProtectedError):
        image.delete()


def test_an_unused_image_is_deleted_with_its_files(
    admin_client, media, django_capture_on_commit_callbacks
):
    image = make_image(photo_bytes(700, 400))
    admin_client.get(change_url(image))  # the preview makes renditions
    renditions = list((media / "library/renditions").iterdir())
    assert renditions
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(delete_url(image), {"post": "yes"})
    assert response.status_code == 302
    assert not Image.objects.exists()
    assert not (media / image.file.name).exists()
    assert not any(path.exists() for path in renditions)


def test_region_and_project_admins_choose_images_by_id(admin_client):
    image = make_image()
    region = RegionFactory(hero_image=image)
    project = ProjectFactory(image=image)
    for obj, field in ((region, "hero_image"), (project, "image")):
        html = admin_client.get(change_url(obj)).content.decode()
        assert f'name="{field}" value="{image.pk}"' in html
        assert "vForeignKeyRawIdAdminField" in html


def test_an_editor_uploads_and_describes_images_but_a_publisher_deletes_them(
    client, staff_with_role
):
    from staff.roles import EDITOR, PUBLISHER

    from .test_upload import post_image

    editor = staff_with_role(EDITOR)
    client.force_login(editor)
    assert post_image(client, photo_bytes(300, 200)).status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by == editor
    assert client.get(delete_url(image)).status_code == 403
    client.force_login(staff_with_role(PUBLISHER))
    assert client.post(delete_url(image), {"post": "yes"}).status_code == 302
    assert not Image.objects.exists()


def test_the_upload_form_asks_only_for_what_an_editor_can_give(admin_client):
    html = admin_client.get(reverse("admin:library_image_add")).content.decode()
    assert 'name="file"' in html and 'name="alt_text"' in html and 'name="licence"' in html
    assert 'name="focal_x"' in html
    for absent in ("Where it is used", "Not used anywhere yet", "Preview:", "Record"):
        assert absent not in html
    change = admin_client.get(change_url(make_image())).content.decode()
    assert "Where it is used" in change and "Preview:" in change


def test_the_credit_help_says_what_the_page_shows_before_it(admin_client):
    """The page writes "Image: <credit>": the help says so, so nobody types "Photo: X"."""
    html = admin_client.get(reverse("admin:library_image_add")).content.decode()
    assert "Who made the image, as shown after “Image:” under it" in html
    assert "Photographer or source." not in html
