"""Every image field on an admin form opens the image chooser: a thumbnail of the chosen
image, Change and Clear (library.widgets), over the raw id box, which still works alone
(without JavaScript). And the focal point, set by clicking on the image's preview, still
takes its two numbers."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

from library.models import Image
from library.widgets import ImageChooserWidget
from tests.admin_forms import change_url, region_form
from tests.factories import ProjectFactory, RegionFactory

from .images import make_image, photo_bytes

pytestmark = pytest.mark.django_db


def image_fields(model):
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.many_to_one and field.related_model is Image
    ]


def admin_forms_with_image_fields(user):
    """(label, form class, image field names) of every admin form and inline form whose model
    has a foreign key to a library image."""
    request = RequestFactory().get("/admin/")
    request.user = user
    found = []
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        admins = [model_admin, *model_admin.get_inline_instances(request)]
        for each in admins:
            names = image_fields(each.model)
            if not names:
                continue
            if isinstance(each, admin.options.InlineModelAdmin):
                form = each.get_formset(request).form
            else:
                form = each.get_form(request)
            shown = [name for name in names if name in form.base_fields]
            if shown:
                found.append((f"{type(each).__name__}", form, shown))
    return found


def test_every_image_field_in_the_admin_is_chosen_with_the_chooser(superuser):
    found = admin_forms_with_image_fields(superuser)
    labels = {label for label, _form, _names in found}
    # The forms known today: a new image field anywhere is checked the same way.
    assert {"RegionAdmin", "CountryAdmin", "ContactAdmin", "ProjectAdmin"} <= labels
    assert "SiteSettingsAdmin" in labels
    for label, form, names in found:
        for name in names:
            widget = form.base_fields[name].widget
            assert isinstance(widget, ImageChooserWidget), f"{label}.{name}: {type(widget)}"


def test_a_chosen_image_shows_its_thumbnail_change_and_clear(admin_client, media):
    image = make_image(photo_bytes(1200, 800), alt_text="Harbour at dawn")
    project = ProjectFactory(image=image)
    html = admin_client.get(change_url(project)).content.decode()
    start = html.index('<div class="image-chooser-field"')
    field = html[start : html.index("</span>", html.index("image-chooser-chosen", start))]
    assert 'data-chooser-url="/admin/library/image/chooser/"' in field
    assert '<img src="/media/library/renditions/' in field and 'width="160"' in field
    # The raw id box, still there for a browser without JavaScript.
    assert f'name="image" value="{image.pk}"' in field and "vForeignKeyRawIdAdminField" in field
    assert ">Change image</button>" in field and ">Clear</button>" in field
    assert "Harbour at dawn" in field
    assert "library/image-chooser.js" in html and "library/image-chooser.css" in html


def test_an_empty_image_field_offers_to_choose(admin_client):
    project = ProjectFactory(image=None)
    html = admin_client.get(change_url(project)).content.decode()
    assert ">Choose an image</button>" in html
    assert '<button type="button" class="button image-chooser-clear" hidden>' in html


def test_an_odd_id_in_the_box_shows_no_image_and_no_error(superuser):
    project = ProjectFactory(image=None)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    form_class = admin.site.get_model_admin(type(project)).get_form(request, project)
    for odd in ("abc", "99999999", "1.5"):
        form = form_class({"image": odd}, instance=project)
        html = str(form["image"])
        assert "image-chooser-field" in html and "<img" not in html, odd
        assert not form.is_valid() and "image" in form.errors, odd


def test_the_raw_id_box_alone_chooses_the_image(staff_with_role, client, media):
    """What a browser without JavaScript posts: the id typed or looked up in the box."""
    client.force_login(staff_with_role("Editor"))
    image = make_image(alt_text="Harbour at dawn")
    region = RegionFactory(body="Old.", is_published=False, hero_image=None)
    response = client.post(change_url(region), region_form(region, hero_image=str(image.pk)))
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.hero_image == image
    response = client.post(change_url(region), region_form(region, hero_image=""))
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.hero_image is None


def test_the_markdown_editor_opens_the_same_chooser(admin_client):
    region = RegionFactory()
    html = admin_client.get(change_url(region)).content.decode()
    assert 'data-image-chooser-url="/admin/library/image/chooser/"' in html
    assert html.count("library/image-chooser.js") == 1


# --- The focal point -------------------------------------------------------------------


def test_the_preview_is_the_focal_point_picker_and_the_numbers_stay(admin_client, media):
    image = make_image(photo_bytes(1200, 800), alt_text="Harbour")
    html = admin_client.get(change_url(image)).content.decode()
    assert "library/focal-point.js" in html and "library/focal-point.css" in html
    assert 'id="focal-point-hint"' in html and 'data-label="Focal point"' in html
    # Shown from a rendition at least as wide as the preview, for a precise click.
    assert 'src="/media/library/renditions/' in html and 'width="320"' in html
    assert 'name="focal_x"' in html and 'name="focal_y"' in html
    form = {
        "alt_text": image.alt_text,
        "caption": "",
        "credit": "",
        "licence": "",
        "licence_url": "",
        "focal_x": "20",
        "focal_y": "75",
    }
    response = admin_client.post(change_url(image), form)
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (20, 75)
    response = admin_client.post(change_url(image), {**form, "focal_x": "101"})
    assert response.status_code == 200
    image.refresh_from_db()
    assert image.focal_x == 20
