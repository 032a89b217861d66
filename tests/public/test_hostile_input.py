"""Hostile input sweep: script, javascript: links, event handlers and over-long values in
every public text field; no page executes any of it, none fails, and nothing non-public shows.
"""

from html.parser import HTMLParser
from statistics.models import Indicator, Observation, Source

import pytest
from django.db import models
from django.urls import reverse

from projects.models import Facility, Organisation, Project, ThematicArea
from regions.models import ApproachSection, Contact, Country, Office, Region
from tests.admin_forms import add_url, region_form
from tests.factories import (
    ApproachSectionFactory,
    ContactFactory,
    CountryFactory,
    FacilityFactory,
    IndicatorFactory,
    ObservationFactory,
    OfficeFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionFactory,
    SourceFactory,
    ThematicAreaFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<script>alert("xss")</script>"><img src=x onerror=alert(1)>'
    '<a href="javascript:alert(2)">j</a>[md](javascript:alert(3))<svg/onload=alert(4)>'
    "' onfocus='alert(5)' <iframe src=\"data:text/html,<script>alert(6)</script>\">"
)
SHORT = "<script>a()</script>"  # for fields of 20 characters
MEDIUM = '"><svg onload=alert(1)>'  # for fields of 30 to 60 characters

# Every free-text field the public site shows, per model (slugs, codes and numbers excluded).
TEXT_FIELDS = {
    Region: ["name", "summary", "body"],
    ApproachSection: ["title", "body"],
    Country: ["name", "local_name", "footnote"],
    Office: ["name", "city", "street_address", "postal_code", "phone", "email"],
    Contact: ["name", "role", "email", "phone"],
    Project: ["title", "acronym", "summary", "description", "iati_identifier", "website"],
    ThematicArea: ["name", "description"],
    Facility: ["name", "acronym", "description", "website"],
    Organisation: ["name", "acronym", "website"],
    Indicator: ["name", "description", "unit", "breakdown_label"],
    Source: ["name", "description", "url"],
    Observation: ["category", "note"],
}


def hostile_values(model, tag):
    """A hostile value for each text field, as long as the column allows, made unique."""
    values = {}
    for name in TEXT_FIELDS[model]:
        field = model._meta.get_field(name)
        limit = field.max_length if isinstance(field, models.CharField) else None
        value = f"{tag}{HOSTILE}"
        if limit and len(value) > limit:
            value = next(
                (f"{tag[: limit - len(p)]}{p}" for p in (MEDIUM, SHORT) if len(p) < limit),
                SHORT,
            )[:limit]
        values[name] = value
    return values


class Inspector(HTMLParser):
    """Collects anything executable in a page: scripts, event handlers, script URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.in_data_block = False

    def handle_starttag(self, tag, attrs):
        # A JSON-LD block is data the browser never runs (the dataset record): allowed, as
        # long as no text in it could end it (its "<" are written \u003C, see handle_data).
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self.in_data_block = True
        elif tag in {"script", "iframe", "object", "embed"}:
            src = dict(attrs).get("src") or ""
            if not (tag == "script" and src.startswith("/static/")):
                self.problems.append(f"<{tag}> {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name in {"href", "src", "action", "formaction", "xlink:href"} and value:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_data_block = False

    def handle_data(self, data):
        if self.in_data_block and "<" in data:
            self.problems.append(f"markup inside a JSON-LD block: {data[:80]!r}")


def executable_parts(html):
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


@pytest.fixture
def hostile_site():
    country = CountryFactory(**hostile_values(Country, "C"))
    region = RegionFactory(countries=[country], **hostile_values(Region, "R"))
    ApproachSectionFactory(region=region, **hostile_values(ApproachSection, "A"))
    office = OfficeFactory(region=region, country=country, **hostile_values(Office, "O"))
    contact = ContactFactory(
        region=region, office=office, is_published=True, **hostile_values(Contact, "P")
    )
    theme = ThematicAreaFactory(**hostile_values(ThematicArea, "T"))
    facility = FacilityFactory(**hostile_values(Facility, "F"))
    donor = OrganisationFactory(**hostile_values(Organisation, "D"))
    project = ProjectFactory(
        regions=[region],
        countries=[country],
        thematic_areas=[theme],
        donors=[donor],
        facility=facility,
        contact=contact,
        **hostile_values(Project, "J"),
    )
    source = SourceFactory(**hostile_values(Source, "S"))
    indicator = IndicatorFactory(is_featured=True, **hostile_values(Indicator, "I"))
    ObservationFactory(
        indicator=indicator, region=region, source=source, **hostile_values(Observation, "V")
    )
    ObservationFactory(
        indicator=indicator,
        region=None,
        country=country,
        source=source,
        **hostile_values(Observation, "W"),
    )
    return {
        "region": region,
        "country": country,
        "project": project,
        "indicator": indicator,
    }


def public_urls(site):
    return [
        "/",
        reverse("regions:region-detail", kwargs={"slug": site["region"].slug}),
        reverse("regions:country-detail", kwargs={"slug": site["country"].slug}),
        reverse("projects:project-list"),
        reverse("projects:project-detail", kwargs={"slug": site["project"].slug}),
        reverse("regions:contacts"),
        reverse("statistics:indicator-list"),
        reverse("statistics:indicator-detail", kwargs={"code": site["indicator"].code}),
    ]


def test_no_public_page_executes_hostile_input(client, hostile_site):
    for url in public_urls(hostile_site):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert executable_parts(html) == [], url
        assert '<script>alert("xss")' not in html, url
    # The hostile text is shown, escaped, rather than silently lost.
    region_page = client.get(public_urls(hostile_site)[1]).content.decode()
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in region_page


def test_the_admin_escapes_hostile_input_too(admin_client, hostile_site):
    for model in (Region, Project, Contact, Indicator, Observation):
        opts = model._meta
        html = admin_client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        ).content.decode()
        assert '<script>alert("xss")' not in html
        assert "<svg/onload=" not in html and "<svg onload=" not in html


def test_hostile_input_through_the_admin_forms_is_stored_and_escaped(admin_client):
    data = region_form(
        name='<script>alert("n")</script>',
        slug="hostile",
        code="HX",
        summary=HOSTILE,
        body=HOSTILE,
        is_published="on",
    )
    # A Markdown text is refused with what the sanitiser would remove (tests/content/).
    response = admin_client.post(add_url(Region), data)
    assert response.status_code == 200
    assert "<script> with everything in it: removed." in response.context["errors"][0]
    data["body"] = "Plain text."
    response = admin_client.post(add_url(Region), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    region = Region.objects.get(slug="hostile")
    assert region.summary == HOSTILE  # kept as typed: escaping happens on output
    html = admin_client.get(region.get_absolute_url()).content.decode()
    assert executable_parts(html) == []
    html = admin_client.get("/").content.decode()
    assert executable_parts(html) == []


OVERLONG = [
    (Region, region_form(name="N" * 151, slug="long", code="LG"), "name"),
    (
        Contact,
        {"name": "N" * 201, "role": "R" * 201, "display_order": "0", "review_note": ""},
        "name",
    ),
    (Country, {"name": "C" * 101, "slug": "c", "iso_code": "QQ", "footnote": ""}, "name"),
    (
        Project,
        {"title": "T" * 301, "slug": "t", "summary": "s", "status": "pipeline"},
        "title",
    ),
    (Indicator, {"code": "i", "name": "I" * 201, "unit": "u", "decimals": "0"}, "name"),
    (Source, {"name": "S" * 301, "code": "s"}, "name"),
]


@pytest.mark.parametrize(("model", "data", "field"), OVERLONG)
def test_overlong_values_in_the_admin_are_form_errors(admin_client, model, data, field):
    limit = model._meta.get_field(field).max_length
    response = admin_client.post(add_url(model), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Ensure this value has at most {limit} characters" in html
    assert not model.objects.filter(**{f"{field}__startswith": data[field][:limit]}).exists()


def test_an_enormous_text_is_refused_with_400_not_500(admin_client):
    response = admin_client.post(
        add_url(Region), region_form(body="B" * 3_000_000, slug="huge", code="HG")
    )
    assert response.status_code == 400
    assert not Region.objects.filter(slug="huge").exists()


def test_public_pages_never_show_drafts_private_contacts_or_internal_notes(client):
    country = CountryFactory()
    region = RegionFactory(countries=[country], review_note="INTERNAL-REGION-NOTE")
    RegionFactory(is_published=False, name="DRAFT-REGION", summary="DRAFT-REGION-SUMMARY")
    office = OfficeFactory(region=region, country=country)
    ContactFactory(region=region, office=office, name="Public Person")
    ContactFactory(
        region=region,
        office=office,
        name="PRIVATE-PERSON",
        email="private@example.org",
        is_published=False,
        review_note="INTERNAL-CONTACT-NOTE",
    )
    private_contact = Contact.objects.get(name="PRIVATE-PERSON")
    project = ProjectFactory(
        regions=[region],
        countries=[country],
        contact=private_contact,
        review_note="INTERNAL-PROJECT-NOTE",
    )
    ProjectFactory(is_published=False, title="DRAFT-PROJECT", regions=[region])
    urls = [
        "/",
        region.get_absolute_url(),
        country.get_absolute_url(),
        "/projects/",
        project.get_absolute_url(),
        "/contacts/",
        "/statistics/",
    ]
    seen = ""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        seen += response.content.decode()
    assert "Public Person" in seen
    # A project whose contact is public shows it.
    public_contact = Contact.objects.get(name="Public Person")
    shown = ProjectFactory(contact=public_contact, title="With Contact")
    assert "Public Person" in client.get(shown.get_absolute_url()).content.decode()
    for secret in (
        "DRAFT-REGION",
        "DRAFT-PROJECT",
        "PRIVATE-PERSON",
        "private@example.org",
        "INTERNAL-REGION-NOTE",
        "INTERNAL-CONTACT-NOTE",
        "INTERNAL-PROJECT-NOTE",
    ):
        assert secret not in seen, secret
