"""Markdown fields in the admin: the editor, the help text, and the report of what the
sanitiser would remove, through the admin's own URLs."""

import pytest

from pages.models import Page
from regions.models import ApproachSection
from richtext.fields import MARKDOWN_HELP, MarkdownField
from tests.admin_forms import add_url, change_url, region_form
from tests.factories import CountryFactory, IndicatorFactory, ProjectFactory, RegionFactory

pytestmark = pytest.mark.django_db


def page_form(**overrides):
    data = {
        "title": "About",
        "slug": "about",
        "summary": "",
        "body": "Text.",
        "review_note": "",
        "is_published": "on",
    }
    data.update(overrides)
    return data


def test_every_text_rendered_as_markdown_is_a_markdown_field():
    from django.apps import apps

    fields = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, MarkdownField) and not model.__name__.startswith("Historical")
    }
    assert fields == {
        "regions.Region.body",
        "regions.ApproachSection.body",
        "regions.Country.profile",
        "projects.ThematicArea.description",
        "projects.Facility.description",
        "projects.Project.description",
        "pages.Page.body",
        "statistics.Indicator.description",
        "documents.Document.description",
    }


@pytest.mark.parametrize(
    "make_url",
    [
        lambda: add_url(Page),
        lambda: change_url(RegionFactory()),
        lambda: change_url(ProjectFactory()),
        lambda: change_url(CountryFactory()),
        lambda: change_url(IndicatorFactory()),
    ],
    ids=["page", "region", "project", "country", "indicator"],
)
def test_each_form_has_the_editor_and_says_what_is_supported(admin_client, make_url):
    html = admin_client.get(make_url()).content.decode()
    assert 'class="markdown-editor"' in html
    assert 'role="toolbar"' in html and " hidden>" in html  # shown by the script only
    assert "js/markdown-editor.js" in html and "css/markdown-editor.css" in html
    assert 'data-stylesheet="/static/css/site.css"' in html  # the preview's styles
    assert 'class="vLargeTextField markdown-source"' in html  # a plain textarea without JS
    assert str(MARKDOWN_HELP)[:60].replace("*", "") in html.replace("*", "")


def test_raw_html_and_a_script_are_refused_with_what_would_be_removed(admin_client):
    body = (
        '## Who we are\n\n<div onclick="steal()">Text <span>here</span></div>\n\n'
        "<script>alert(1)</script>\n\n"
        "[Click](javascript:alert(1)) ![Map](https://tiles.example/map.png)"
    )
    response = admin_client.post(add_url(Page), page_form(body=body))
    assert response.status_code == 200
    assert not Page.objects.exists()
    errors = " ".join(str(error) for error in response.context["adminform"].form.errors["body"])
    assert "would not show all of this text" in errors
    assert "<script> with everything in it" in errors
    assert "HTML tag <span>" in errors
    assert "attribute onclick on <div>" in errors
    assert "Link to javascript:alert(1)" in errors
    assert "Image https://tiles.example/map.png" in errors
    # The text is kept in the form to be corrected, not lost.
    assert "steal()" in response.content.decode()


def test_a_level_1_heading_is_saved_and_shown_as_level_2_with_a_notice(admin_client):
    response = admin_client.post(add_url(Page), page_form(body="# Who we are\n\nText."))
    assert response.status_code == 302
    page = Page.objects.get()
    html = admin_client.get(change_url(page)).content.decode()
    assert "Heading “Who we are” (#) is shown as a level-2 heading" in html
    assert 'class="markdown-changed"' in html
    assert "<h2>Who we are</h2>" in html  # the preview of the saved text


def test_an_inline_text_is_checked_too(admin_client):
    region = RegionFactory()
    data = region_form(
        region,
        # (Posted as it is: the form would otherwise unpublish the region.)
        is_published="on",
        **{
            "approach_sections-TOTAL_FORMS": "1",
            "approach_sections-0-order": "1",
            "approach_sections-0-title": "Approach",
            "approach_sections-0-body": "Fine text <style>p{}</style>",
        },
    )
    response = admin_client.post(change_url(region), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "<style> with everything in it: removed." in errors[0]["body"]
    assert not ApproachSection.objects.exists()
