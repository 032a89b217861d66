"""Admin forms that fit the work, measured in Chromium at 1280 x 800: no change form is over
three screens tall as it opens (long ones open section by section), and none is wider than
the window, with every section open (the region's contacts are stacked, not a 2,000 px
table). Screenshots of the region form at 1280 and 375 px, and of the message an Editor
reads on an image a live page shows, in test-artifacts/screenshots/."""

import pytest
from django.test import Client
from django.urls import reverse

from staff.roles import EDITOR
from tests.factories import UserFactory

from .conftest import SCREENSHOTS

SCREEN = {"width": 1280, "height": 800}
# Change forms of the demo content: (app, model, lookup). The longest ones.
FORMS = [
    ("regions", "region", {"slug": "western-balkans"}),
    ("regions", "region", {"slug": "western-balkans-turkiye"}),
    ("regions", "country", {"slug": "serbia"}),
    ("regions", "office", {}),
    ("regions", "contact", {}),
    ("projects", "project", {"slug": "psmm"}),
    ("documents", "document", {}),
    ("pages", "page", {"slug": "about"}),
    ("pages", "sitesettings", {}),
    ("statistics", "indicator", {"code": "population"}),
    ("statistics", "source", {}),
]

OPEN_ALL = "() => document.querySelectorAll('#content-main details').forEach(d => d.open = true)"
FORM_WIDTH = "() => document.querySelector('#content-main form').scrollWidth"
PAGE_WIDTH = "() => document.documentElement.scrollWidth"
PAGE_HEIGHT = "() => document.documentElement.scrollHeight"


def signed_in(make_context, site, user, viewport=SCREEN):
    client = Client()
    client.force_login(user)
    context = make_context(viewport=viewport)
    context.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}]
    )
    return context.new_page()


def change_path(app, model, lookup):
    from django.apps import apps

    obj = apps.get_model(app, model)._default_manager.filter(**lookup).first()
    assert obj is not None, f"no {app}.{model} {lookup} in the demo"
    return reverse(f"admin:{app}_{model}_change", args=[obj.pk])


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"admin-{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)  # signs a superuser in: the demo to itself
def test_change_forms_fit_three_screens_and_the_window(make_context, site):
    page = signed_in(make_context, site, UserFactory(is_staff=True, is_superuser=True))
    too_tall, too_wide = [], []
    for app, model, lookup in FORMS:
        path = change_path(app, model, lookup)
        assert page.goto(path).status == 200
        if page.evaluate(PAGE_HEIGHT) > 3 * SCREEN["height"]:
            too_tall.append(f"{path}: {page.evaluate(PAGE_HEIGHT)} px")
        page.evaluate(OPEN_ALL)
        width = max(page.evaluate(FORM_WIDTH), page.evaluate(PAGE_WIDTH))
        if width > SCREEN["width"]:
            too_wide.append(f"{path}: {width} px with every section open")
    assert too_tall == [] and too_wide == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_the_region_form_opens_section_by_section(make_context, site, width):
    page = signed_in(
        make_context,
        site,
        UserFactory(is_staff=True, is_superuser=True),
        viewport={"width": width, "height": 800},
    )
    assert page.goto(change_path("regions", "region", {"slug": "western-balkans"})).status == 200
    shot(page, f"region-form-{width}")
    contacts = page.locator("#contacts-group details")
    assert not contacts.evaluate("d => d.open")
    # A section opens by keyboard, as any <details> does.
    contacts.locator("summary").focus()
    page.keyboard.press("Enter")
    assert contacts.evaluate("d => d.open")
    name = page.locator("#id_contacts-0-name")
    assert name.is_visible()
    if width == 1280:
        assert page.evaluate(FORM_WIDTH) <= width
    contacts.scroll_into_view_if_needed()
    shot(page, f"region-form-contacts-open-{width}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_an_editor_reads_why_a_live_pages_image_is_not_theirs_to_change(
    make_context, site, settings, tmp_path, width
):
    from django.contrib.auth.models import Group

    from regions.models import Region
    from tests.library.images import make_image

    settings.MEDIA_ROOT = tmp_path / "media"
    image = make_image(caption="The reviewed caption", credit="A photographer")
    Region.objects.filter(slug="western-balkans").update(hero_image=image)
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    page = signed_in(make_context, site, editor, viewport={"width": width, "height": 800})
    assert page.goto(reverse("admin:library_image_change", args=[image.pk])).status == 200
    message = page.get_by_text(
        "This image is shown on 1 live page (or in a change a Publisher is reviewing or has "
        "approved); a Publisher must change it."
    )
    assert message.is_visible()
    assert page.locator("input[name=caption]").count() == 0
    shot(page, f"image-publisher-only-{width}")


LABEL_RULE = """async () => {
    const r = await axe.run({include: [['#content-main']], exclude: [['.select2-container']]},
                            {runOnly: {type: 'rule', values: ['label']}});
    return {passes: r.passes.length, nodes: r.violations.flatMap(v => v.nodes.map(
        n => n.target.join(' ')))};
}"""


@pytest.mark.django_db(transaction=True)
def test_every_box_of_the_change_forms_has_a_label(make_context, site):
    """axe's "label" rule (every form box has a name) on the longest change forms with
    every section open: the date and time boxes of a publication date included. Not the
    search box of Django's autocomplete (select2), whose own markup fails this and other
    axe rules, nor Django's other widgets' other rules."""
    from .test_accessibility import axe_source

    page = signed_in(make_context, site, UserFactory(is_staff=True, is_superuser=True))
    unnamed = []
    for app, model, lookup in FORMS:
        assert page.goto(change_path(app, model, lookup)).status == 200
        page.evaluate(OPEN_ALL)
        page.evaluate(axe_source())
        result = page.evaluate(LABEL_RULE)
        assert result["passes"] + len(result["nodes"]) > 0, "axe checked no box"
        unnamed += [f"{app}.{model}: {node}" for node in result["nodes"]]
    assert unnamed == []
