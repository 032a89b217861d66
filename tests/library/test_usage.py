"""Where an image is used, read from the links index recorded on save: a text that shows an
image keeps it from deletion without any search through the texts, the uses follow each edit
and deletion, and an existing database gets its index from the migration."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from library.models import Image
from library.usage import uses_of
from links.models import Reference
from pages.models import Page
from richtext.rendering import render
from tests.admin_forms import change_url, delete_url
from tests.factories import ProjectFactory, RegionFactory

from .images import make_image

pytestmark = pytest.mark.django_db


def used_by(image):
    return {use.obj for use in uses_of(image)}


def texts(count, image):
    """`count` texts that do not show `image`, though they mention its number."""
    for n in range(count):
        ProjectFactory(description=f"Item {n}: ref {image.pk}, ![](library:{image.pk}0)")


def test_an_image_shown_only_in_a_text_is_found_without_searching_the_texts(admin_client):
    image = make_image()
    RegionFactory(hero_image=image)  # a foreign key: a query on the relation, as before
    user = ProjectFactory(description=f"Look: ![A photo](library:{image.pk})")
    texts(2, image)

    def queries_to_list_and_refuse():
        with CaptureQueriesContext(connection) as listed:
            assert user in used_by(image)
        with CaptureQueriesContext(connection) as refused, pytest.raises(ProtectedError):
            image.delete()
        return listed.captured_queries + refused.captured_queries

    few = queries_to_list_and_refuse()
    texts(20, image)
    for n in range(5):
        ProjectFactory(title=f"Also showing it {n}", description=f"![](image:{image.pk})")
    many = queries_to_list_and_refuse()
    # A search through the texts reads every Markdown column with LIKE; the index is read
    # by the image's key, and the query count does not grow with the texts.
    assert not [query["sql"] for query in many if " LIKE " in query["sql"].upper()]
    assert len(many) == len(few)
    assert Image.objects.filter(pk=image.pk).exists()
    html = admin_client.get(change_url(image)).content.decode()
    assert html.count(change_url(user)) == 1


def test_an_image_in_a_reference_style_markdown_image_is_used_too(admin_client):
    """The renderer shows `![alt][photo]` with `[photo]: library:42`: that text uses it."""
    image = make_image()
    text = f"Our team:\n\n![The team][photo]\n\n[photo]: library:{image.pk}\n"
    assert "<picture>" in render(text).html
    page = Page.objects.create(title="Team", slug="team", body=text)
    assert used_by(image) == {page}
    with pytest.raises(ProtectedError):
        image.delete()
    html = admin_client.get(delete_url(image)).content.decode()
    assert "This image is in use" in html
    assert f'<a href="{change_url(page)}">{page}</a>' in html


def test_the_uses_follow_each_edit_and_deletion_of_the_text():
    image, other = make_image(), make_image()
    project = ProjectFactory(description=f"![](library:{image.pk})")
    assert used_by(image) == {project}

    project.description = f"Now the other one: ![](image:{other.pk})"
    project.save()
    assert used_by(image) == set()
    assert used_by(other) == {project}

    project.delete()
    assert used_by(other) == set()
    other.delete()
    image.delete()
    assert not Image.objects.exists()


def test_a_text_linking_to_the_image_file_uses_it():
    """A link to the stored file breaks with the image, as a shown image would."""
    image = make_image()
    page = Page.objects.create(
        title="Press", slug="press", body=f"[Download the photo]({image.file.url})"
    )
    assert used_by(image) == {page}
    with pytest.raises(ProtectedError):
        image.delete()


def test_the_migration_fills_the_index_of_an_existing_database():
    """An upgraded database has texts but no references yet: the migration records them."""
    image = make_image()
    project = ProjectFactory(description=f"![](library:{image.pk})")
    page = Page.objects.create(title="P", slug="p", body=f"x\n\n![a][i]\n\n[i]: image:{image.pk}")
    ProjectFactory(description="No image here.")
    Reference.objects.all().delete()
    assert used_by(image) == set()

    migration = importlib.import_module("links.migrations.0002_references")
    state = MigrationExecutor(connection).loader.project_state(("links", "0002_references"))
    schema_editor = SimpleNamespace(connection=connection)
    migration.fill_markdown_references(state.apps, schema_editor)
    assert used_by(image) == {project, page}
    with pytest.raises(ProtectedError):
        image.delete()
    # Run again (a re-applied migration): nothing doubles.
    migration.fill_markdown_references(state.apps, schema_editor)
    assert Reference.objects.to(image).count() == 2
