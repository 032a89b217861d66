"""The publisher's identity: one site settings record, edited in the admin, shown on every page."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.forms import FileField
from django.test import Client

from pages.models import SITE_SETTINGS_PK, SiteSettings
from staff.roles import EDITOR, PUBLISHER
from tests.builders import about_page
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/admin/pages/sitesettings/1/change/"
SAFE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/></svg>'
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def settings_form(client, **overrides):
    """The change form's current values, as a browser would post them back."""
    form = client.get(SETTINGS_URL).context["adminform"].form
    # Files are not posted back (the stored one is kept), as a browser does.
    files = {name for name, field in form.fields.items() if isinstance(field, FileField)}
    data = {name: form.initial.get(name) for name in form.fields if name not in files}
    data.update(overrides)
    return {key: ("" if value is None else value) for key, value in data.items()}


def post_settings(client, **overrides):
    return client.post(SETTINGS_URL, settings_form(client, **overrides))


def test_the_migration_creates_one_row_with_the_seeds_defaults():
    site = SiteSettings.objects.get()
    assert (site.pk, site.organisation_name, site.short_name) == (1, "ICMPD", "ICMPD")
    assert site.data_licence_name == "CC BY 4.0"
    assert site.data_licence_url == "https://creativecommons.org/licenses/by/4.0/"
    # The seeds give no logo, address, e-mail or social links: blank, never invented.
    assert not site.logo and not site.address and not site.contact_email
    assert not site.social_links and not site.share_image


def test_header_and_footer_name_the_publisher(client):
    html = client.get("/").content.decode()
    header = html.split("</header>")[0]
    assert '<span class="wordmark">ICMPD</span>' in header  # no logo: a text wordmark
    footer = html.split('<footer class="site-footer">')[1]
    assert "WB Portal is published by ICMPD." in footer
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0' in footer


def test_editing_the_settings_in_the_admin_changes_every_page_at_once(admin_client, settings):
    settings.PAGE_CACHE = True
    visitor = Client()
    assert visitor.get("/contacts/").status_code == 200
    assert visitor.get("/contacts/")["X-Page-Cache"] == "hit"
    response = post_settings(
        admin_client,
        organisation_name="International Example Centre",
        short_name="IEC",
        address="Street 1\n1010 City",
        contact_email="info@example.org",
        social_links="LinkedIn https://www.linkedin.com/company/example",
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    response = visitor.get("/contacts/")
    assert response["X-Page-Cache"] == "miss"  # the settings count as content
    html = response.content.decode()
    assert '<span class="wordmark">IEC</span>' in html
    assert "published by International Example Centre." in html
    assert "Street 1<br>1010 City" in html
    assert 'href="mailto:info@example.org"' in html
    assert 'href="https://www.linkedin.com/company/example" rel="me noopener">LinkedIn' in html


def test_member_state_lines_name_the_organisation(client, admin_client):
    serbia = CountryFactory(name="Serbia", slug="serbia", iso_code="RS", member_state_since=2014)
    RegionFactory(slug="wb", countries=[serbia])
    assert "ICMPD Member State since 2014" in client.get("/regions/wb/").content.decode()
    assert "ICMPD Member State since 2014" in client.get("/countries/serbia/").content.decode()
    post_settings(admin_client, short_name="IEC")
    html = client.get("/countries/serbia/").content.decode()
    assert "IEC Member State since 2014" in html
    assert "member state since" not in html.lower().replace("iec member state since", "")


def test_the_data_licence_of_own_compilations_comes_from_the_settings(client, admin_client):
    indicator = IndicatorFactory(code="arrivals")
    own = SourceFactory(name="Our compilation", is_own_compilation=True)
    region = RegionFactory(code="WB")
    ObservationFactory(indicator=indicator, region=region, period="2024", source=own)
    post_settings(
        admin_client,
        data_licence_name="CC BY-SA 4.0",
        data_licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
    )
    licence = {"name": "CC BY-SA 4.0", "url": "https://creativecommons.org/licenses/by-sa/4.0/"}
    document = json.loads(client.get("/statistics/arrivals.json").content)
    assert document["licence"] == document["portal_licence"] == licence
    assert document["sources"][0]["licence"] == licence
    # The CSV names its sidecar, the JSON, where the terms are.
    csv = client.get("/statistics/arrivals.csv")
    assert csv["Link"] == '</statistics/arrivals.json>; rel="describedby"; type="application/json"'
    html = client.get("/statistics/arrivals/").content.decode()
    assert (
        'Licence: <a href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license">'
        "CC BY-SA 4.0</a> (the portal's own compilation)." in html
    )


def test_a_safe_svg_logo_is_shown_and_served_with_its_type(client, admin_client):
    logo = SimpleUploadedFile("logo.svg", SAFE_SVG, content_type="image/svg+xml")
    response = post_settings(admin_client, logo=logo)
    assert response.status_code == 302, response.context and response.context["errors"]
    html = client.get("/").content.decode()
    assert '<img class="site-logo" src="/brand/logo?v=' in html
    assert 'alt="ICMPD"' in html and 'class="wordmark"' not in html
    served = client.get("/brand/logo")
    assert served.status_code == 200 and served["Content-Type"] == "image/svg+xml"
    assert b"".join(served.streaming_content) == SAFE_SVG


@pytest.mark.parametrize(
    "svg,reason",
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handler"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            b'<image xlink:href="https://tracker.example/x.png"/></svg>',
            "external resource",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://x.example/a)"'
            b"/></svg>",
            "external resource",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "DOCTYPE",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "foreignobject"),
    ],
)
def test_an_unsafe_svg_logo_is_refused_with_the_reason(admin_client, svg, reason):
    response = post_settings(admin_client, logo=SimpleUploadedFile("logo.svg", svg))
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["logo"])
    assert "This SVG cannot be used" in errors and reason in errors
    assert not SiteSettings.objects.get().logo


SVG_OPEN = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'


@pytest.mark.parametrize(
    "svg,reason",
    [
        # Markup in a processing instruction: dropped by a plain XML parser, read as an
        # <img onerror> by a browser that is served the file as HTML.
        (
            b'<?xml version="1.0"?><?x y="><img src=x onerror=alert(1)>"?>'
            + SVG_OPEN
            + b"<rect/></svg>",
            "processing instruction",
        ),
        (
            b'<?xml-stylesheet type="text/css" href="https://x.example/a.css"?>'
            + SVG_OPEN
            + b"</svg>",
            "processing instruction",
        ),
        (SVG_OPEN + b'<rect style="fill:u\\72 l(https://x.example/a)"/></svg>', "escape"),
        (SVG_OPEN + b"<style>@\\69mport 'https://x.example/a.css';</style></svg>", "escape"),
        (SVG_OPEN + b"<style>@import 'https://x.example/a.css';</style></svg>", "@-rule"),
        (SVG_OPEN + b'<rect style="width:expression(alert(1))"/></svg>', "expression()"),
        (SVG_OPEN + b'<rect filter="url(https://x.example/f.svg#f)"/></svg>', "external"),
        (SVG_OPEN + b"<!--><img src=x onerror=alert(1)>--></svg>", "comment contains markup"),
        (SVG_OPEN + b"<title><![CDATA[<img src=x onerror=alert(1)>]]></title></svg>", "markup"),
        (SVG_OPEN + b'<a href="javascript:alert(1)"><rect/></a></svg>', "<a> element"),
        (SVG_OPEN + b'<set attributeName="fill" to="red"/></svg>', "<set> element"),
        (
            SVG_OPEN + b'<html:img xmlns:html="http://www.w3.org/1999/xhtml" src="x"/></svg>',
            "<img> element",
        ),
        (SVG_OPEN + b'<rect formaction="https://x.example/"/></svg>', "formaction on <rect>"),
    ],
)
def test_svg_tricks_past_the_old_check_are_refused(admin_client, svg, reason):
    response = post_settings(admin_client, logo=SimpleUploadedFile("evil.html", svg))
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["logo"])
    assert "This SVG cannot be used" in errors and reason in errors
    assert not SiteSettings.objects.get().logo


ILLUSTRATOR_SVG = b"""<?xml version="1.0" encoding="utf-8"?>
<!-- Generator: Adobe Illustrator 27.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->
<svg version="1.1" id="Layer_1" xmlns="http://www.w3.org/2000/svg"
 xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px" viewBox="0 0 200 60"
 style="enable-background:new 0 0 200 60;" xml:space="preserve">
<style type="text/css"><![CDATA[
	.st0{fill:#0B4F8A;}
	.st1{font-family:'DejaVu Sans', sans-serif; font-size:24px;}
]]></style>
<defs><clipPath id="c"><rect width="200" height="60"/></clipPath></defs>
<g clip-path="url(#c)" data-name="Logo"><path class="st0" d="M0,0h60v60H0V0z"/>
<use xlink:href="#c" transform="translate(1 2) scale(0.5)"/>
<text transform="matrix(1 0 0 1 70 40)" class="st0 st1">WB Portal</text></g>
</svg>
"""
INKSCAPE_SVG = b"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<svg width="200" height="60" viewBox="0 0 200 60" version="1.1" id="svg1"
   inkscape:version="1.3 (0e150ed6c4, 2023-07-21)" sodipodi:docname="logo (final).svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns="http://www.w3.org/2000/svg" xmlns:svg="http://www.w3.org/2000/svg"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
   xmlns:cc="http://creativecommons.org/ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <sodipodi:namedview id="namedview1" pagecolor="#ffffff" inkscape:zoom="2.5"/>
  <metadata><rdf:RDF><cc:Work rdf:about=""><dc:format>image/svg+xml</dc:format>
  <dc:type rdf:resource="http://purl.org/dc/dcmitype/StillImage"/></cc:Work></rdf:RDF>
  </metadata>
  <defs id="defs1"><linearGradient id="g"><stop offset="0" style="stop-color:#0b4f8a"/>
  </linearGradient></defs>
  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">
    <rect style="fill:url(#g);stroke:none" width="60" height="60" x="0" y="0" id="rect1"/>
  </g>
</svg>
"""


@pytest.mark.parametrize(
    "svg",
    [
        SAFE_SVG,
        ILLUSTRATOR_SVG,
        INKSCAPE_SVG,
        (settings.BASE_DIR / "static" / "brand" / "favicon.svg").read_bytes(),
    ],
    ids=["minimal", "illustrator", "inkscape", "favicon"],
)
def test_logos_as_drawing_programs_export_them_are_accepted(admin_client, svg):
    response = post_settings(admin_client, logo=SimpleUploadedFile("logo.svg", svg))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert SiteSettings.objects.get().logo_is_svg


@pytest.mark.parametrize(
    "field,content,extension",
    [("logo", SAFE_SVG, ".svg"), ("logo", PNG, ".png"), ("share_image", PNG, ".png")],
    ids=["svg-logo", "png-logo", "share-image"],
)
def test_brand_files_are_stored_under_a_random_name_with_the_real_extension(
    admin_client, tmp_path, field, content, extension
):
    response = post_settings(admin_client, **{field: SimpleUploadedFile("evil.html", content)})
    assert response.status_code == 302
    stored = getattr(SiteSettings.objects.get(), field).name
    assert stored.startswith("brand/") and stored.endswith(extension)
    assert "evil" not in stored
    assert [path.name for path in (tmp_path / "brand").iterdir()] == [stored[len("brand/") :]]


def test_a_logo_is_judged_by_its_content_not_its_name(admin_client):
    renamed = SimpleUploadedFile("logo.png", b"<html><script>alert(1)</script></html>")
    response = post_settings(admin_client, logo=renamed)
    assert "must be an SVG, PNG or JPEG" in " ".join(
        response.context["adminform"].form.errors["logo"]
    )
    response = post_settings(admin_client, logo=SimpleUploadedFile("logo.bin", PNG))
    assert response.status_code == 302
    assert Client().get("/brand/logo")["Content-Type"] == "image/png"


def test_the_share_image_must_be_png_or_jpeg(admin_client):
    response = post_settings(admin_client, share_image=SimpleUploadedFile("s.svg", SAFE_SVG))
    assert "must be a PNG or JPEG" in " ".join(
        response.context["adminform"].form.errors["share_image"]
    )


def test_a_bad_social_link_line_is_refused(admin_client):
    response = post_settings(admin_client, social_links="LinkedIn www.linkedin.com")
    assert "Line 1" in " ".join(response.context["adminform"].form.errors["social_links"])


def test_brand_files_404_when_none_is_uploaded(client):
    assert client.get("/brand/logo").status_code == 404
    assert client.get("/brand/share-image").status_code == 404


def test_a_stored_file_that_is_not_an_image_is_never_served(client):
    """E.g. a file put there bypassing the admin's checks: no type is guessed from its name."""
    site = SiteSettings.objects.get()
    site.logo = SimpleUploadedFile("logo.html", b"<html><script>alert(1)</script></html>")
    site.save()
    assert client.get("/brand/logo").status_code == 404


def test_the_settings_are_one_row_that_cannot_be_added_or_deleted(admin_client):
    response = admin_client.get("/admin/pages/sitesettings/")
    assert response.status_code == 302 and response["Location"] == SETTINGS_URL
    assert admin_client.get("/admin/pages/sitesettings/add/").status_code == 403
    assert admin_client.get("/admin/pages/sitesettings/1/delete/").status_code == 403
    assert SiteSettings.objects.count() == 1


def test_publishers_edit_the_settings_editors_do_not(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    assert client.get(SETTINGS_URL).status_code == 403
    client.force_login(staff_with_role(PUBLISHER))
    response = post_settings(client, organisation_name="Edited by a Publisher")
    assert response.status_code == 302
    assert SiteSettings.objects.get().organisation_name == "Edited by a Publisher"


def test_settings_changes_are_kept_in_the_history(admin_client):
    post_settings(admin_client, organisation_name="First")
    post_settings(admin_client, organisation_name="Second")
    names = list(SiteSettings.history.values_list("organisation_name", flat=True))
    assert names[:2] == ["Second", "First"]


def test_a_missing_row_falls_back_to_the_defaults(client):
    SiteSettings.objects.all().delete()
    html = client.get("/").content.decode()
    assert '<span class="wordmark">ICMPD</span>' in html


def test_the_settings_row_is_back_after_a_flush(db):
    """A flush (what follows a test that commits) empties every table; post_migrate puts the
    one settings row back, as the roles are put back, so no later test or page goes without
    it."""
    call_command("flush", interactive=False, verbosity=0)
    assert SiteSettings.objects.filter(pk=SITE_SETTINGS_PK).exists()


class TestReadOncePerDataGeneration:
    """Every page reads the site settings (header, footer, citations): read once a data
    generation in each process, and again after any save of the settings, a footer page or
    an image, by anyone."""

    def reads(self, django_assert_num_queries, count):
        with django_assert_num_queries(count):
            return SiteSettings.objects.current()

    def test_read_once_then_kept(self, committed, django_assert_num_queries):
        committed(lambda: SiteSettings.objects.get().save())  # its bump done: a settled state
        assert self.reads(django_assert_num_queries, 1).organisation_name == "ICMPD"
        kept = self.reads(django_assert_num_queries, 0)
        assert kept.organisation_name == "ICMPD"
        kept.organisation_name = "Changed on a copy only"
        assert self.reads(django_assert_num_queries, 0).organisation_name == "ICMPD"

    def test_a_save_of_the_settings_or_a_footer_page_is_read_at_once(
        self, committed, django_assert_num_queries
    ):
        committed(lambda: SiteSettings.objects.get().save())
        self.reads(django_assert_num_queries, 1)

        def rename():
            row = SiteSettings.objects.get()
            row.organisation_name = "IOM"
            row.save()
            # The changing transaction reads its own change before the commit.
            assert SiteSettings.objects.current().organisation_name == "IOM"

        committed(rename)
        assert self.reads(django_assert_num_queries, 1).organisation_name == "IOM"
        about = about_page(committed, "About us")
        assert self.reads(django_assert_num_queries, 1).about_page.title == "About us"
        self.reads(django_assert_num_queries, 0)
        about.title = "Who we are"
        committed(about.save)
        assert self.reads(django_assert_num_queries, 1).about_page.title == "Who we are"

    def test_read_every_time_while_a_bump_is_owed(self, django_assert_num_queries):
        from pagecache import generation

        generation.debt.incur()
        try:
            self.reads(django_assert_num_queries, 1)
            self.reads(django_assert_num_queries, 1)
        finally:
            generation.debt.clear()
