"""A project's image from the media library: restoring an earlier version (the history's
revert, or a revision's snapshot) restores which image the project used."""

import pytest
from django.urls import reverse

from publishing.snapshots import apply_snapshot, take_snapshot
from tests.admin_forms import change_url
from tests.factories import ProjectFactory
from tests.library.images import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def project_data(project, **overrides):
    data = {
        "title": project.title,
        "acronym": project.acronym,
        "slug": project.slug,
        "iati_identifier": project.iati_identifier,
        "status": project.status,
        "summary": project.summary,
        "description": project.description,
        "website": project.website,
        "review_note": "",
        "budget": "",
        "currency": "",
        "image": project.image_id or "",
    }
    data.update(overrides)
    return data


def test_restoring_an_earlier_version_restores_the_image(admin_client):
    first, second = make_image(alt_text="First"), make_image(alt_text="Second")
    project = ProjectFactory(image=first)
    response = admin_client.post(change_url(project), project_data(project, image=second.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    project.refresh_from_db()
    assert project.image == second

    earlier = project.history.earliest()
    assert earlier.image_id == first.pk
    opts = project._meta
    url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[project.pk, earlier.history_id],
    )
    form = admin_client.get(url)
    assert form.status_code == 200
    # The restore form offers the earlier image; the editor saves it as offered.
    offered = form.context["adminform"].form.initial["image"]
    assert offered == first.pk
    response = admin_client.post(url, project_data(earlier.instance, image=offered))
    assert response.status_code == 302, response.content.decode()[:3000]
    project.refresh_from_db()
    assert project.image == first


def test_a_snapshot_keeps_and_restores_the_image():
    first, second = make_image(alt_text="First"), make_image(alt_text="Second")
    project = ProjectFactory(image=first)
    snapshot = take_snapshot(project)
    assert snapshot["object"]["fields"]["image"] == first.pk
    project.image = second
    project.save()
    apply_snapshot(project, snapshot)
    project.refresh_from_db()
    assert project.image == first


def test_the_project_page_shows_no_figure_without_an_image(client):
    project = ProjectFactory(image=None)
    html = client.get(project.get_absolute_url()).content.decode()
    assert '<figure class="hero">' not in html and "<picture>" not in html
