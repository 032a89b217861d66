"""/iati/activities.xml and /iati/activities/<slug>.xml: valid IATI 2.03, public projects
only, nothing said that the portal does not know."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from iati import validation
from projects.models import Project
from tests.builders import KOSOVO_NOTE
from tests.factories import DocumentFactory, OrganisationFactory, ThematicAreaFactory

from .conftest import PUBLISHER, assert_valid, complete_project, parse, set_publisher

pytestmark = pytest.mark.django_db

URL = "/iati/activities.xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def activity_of(root, identifier):
    found = [a for a in root.iter("iati-activity") if a.findtext("iati-identifier") == identifier]
    assert len(found) == 1, identifier
    return found[0]


def test_a_complete_project_is_a_valid_activity(client, publisher, places):
    theme = ThematicAreaFactory(name="Return and reintegration", slug="return")
    donor = OrganisationFactory(
        name="European Union", iati_identifier="XI-IATI-EC_NEAR", organisation_type="multilateral"
    )
    partner = OrganisationFactory(name="Ministry of Interior", organisation_type="ngo")
    project = complete_project(
        [places["serbia"]],
        title="Return systems",
        donors=[donor],
        actual_start=datetime.date(2024, 2, 1),
        status=Project.Status.IMPLEMENTATION,
    )
    project.implementing_partners.set([partner])
    project.thematic_areas.set([theme])

    response = client.get(URL)
    assert parse(response).get("version") == "2.03"
    root = assert_valid(response.content)
    activity = activity_of(root, project.iati_identifier)
    assert activity.get("last-updated-datetime")
    assert activity.get("default-currency") == "EUR"
    reporting = activity.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type")) == (PUBLISHER, "40")
    title = activity.find("title/narrative")
    assert title.text == "Return systems" and title.get(XML_LANG) == "en"
    assert activity.find("activity-status").get("code") == "2"
    dates = {d.get("type"): d.get("iso-date") for d in activity.iter("activity-date")}
    assert dates == {"1": "2024-01-01", "2": "2024-02-01", "3": "2026-12-31"}
    orgs = [
        (o.get("role"), o.get("ref"), o.get("type")) for o in activity.iter("participating-org")
    ]
    # The partner's identifier is unknown and "NGO" is several IATI types: neither is written.
    assert orgs == [("1", "XI-IATI-EC_NEAR", "40"), ("4", None, None)]
    assert activity.find("participating-org[@role='4']/narrative").text == "Ministry of Interior"
    sectors = [
        (s.get("vocabulary"), s.get("code"), s.get("percentage")) for s in activity.iter("sector")
    ]
    assert sectors == [("1", "15190", "100"), ("99", "return", "100")]
    theme_sector = activity.find("sector[@vocabulary='99']")
    assert theme_sector.get("vocabulary-uri").endswith("/projects/")
    assert theme_sector.find("narrative").text == "Return and reintegration"
    budget = activity.find("budget")
    assert (budget.get("type"), budget.get("status")) == ("1", "1")  # original, indicative
    assert budget.find("value").text == "1500000"
    assert budget.find("period-start").get("iso-date") == "2024-02-01"
    assert activity.find("document-link/category").get("code") == "A12"


def test_kosovo_several_countries_and_non_ascii_text(client, publisher, places):
    project = complete_project(
        [places["kosovo"], places["serbia"]],
        title="Migracija i razvoj – Kosovo i Srbija",
        summary="Podrška institucijama u Prištini i Beogradu; “quotes” & <angle> \x0b.",
        iati_sectors="15190 70, 13010 30",
    )
    response = client.get(f"/iati/activities/{project.slug}.xml")
    root = assert_valid(response.content)
    activity = activity_of(root, project.iati_identifier)
    countries = {
        c.get("code"): c.find("narrative").text for c in activity.iter("recipient-country")
    }
    assert set(countries) == {"XK", "RS"}
    assert countries["XK"].startswith("Kosovo* (* ")
    assert "UNSCR 1244/1999" in countries["XK"]
    # The portal knows no split between the countries: no percentage is made up.
    assert all(c.get("percentage") is None for c in activity.iter("recipient-country"))
    title = activity.find("title/narrative").text
    assert title.startswith("Migracija i razvoj – Kosovo* i Srbija (* This designation")
    description = activity.find("description/narrative").text
    assert "“quotes” & <angle>" in description and "\x0b" not in description
    shares = [(s.get("code"), s.get("percentage")) for s in activity.iter("sector")]
    assert shares == [("15190", "70"), ("13010", "30")]


def test_no_budget_no_budget_element(client, publisher, places):
    project = complete_project([places["serbia"]], budget=None, currency="")
    activity = activity_of(assert_valid(client.get(URL).content), project.iati_identifier)
    assert activity.find("budget") is None
    assert activity.get("default-currency") is None


def test_only_public_complete_projects(client, publisher, places):
    public = complete_project([places["serbia"]], status=Project.Status.CLOSED)
    draft = complete_project([places["serbia"]], is_published=False)
    withdrawn = complete_project(
        [places["serbia"]],
        publish_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
        unpublish_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )
    no_identifier = complete_project([places["serbia"]], iati_identifier="")
    root = assert_valid(client.get(URL).content)
    identifiers = [a.findtext("iati-identifier") for a in root.iter("iati-activity")]
    assert identifiers == [public.iati_identifier]
    assert activity_of(root, public.iati_identifier).find("activity-status").get("code") == "4"
    for project in (draft, withdrawn, no_identifier):
        assert client.get(f"/iati/activities/{project.slug}.xml").status_code == 404


def test_no_publisher_no_file(client, places):
    complete_project([places["serbia"]])
    response = client.get(URL)
    assert response.status_code == 404


def test_nothing_complete_is_a_404_not_an_empty_file(client, publisher, places):
    complete_project([places["serbia"]], iati_sectors="")
    assert client.get(URL).status_code == 404


def test_the_schema_check_catches_a_misspelt_element(client, publisher, places):
    complete_project([places["serbia"]])
    content = client.get(URL).content.replace(b"<activity-status", b"<activity-state")
    content = content.replace(b"</activity-status", b"</activity-state")
    assert validation.errors(content)


def test_public_documents_with_a_category_are_linked(client, publisher, places):
    project = complete_project([places["serbia"]])
    pdf = Path(__file__).resolve().parent.parent / "data" / "documents" / "report.pdf"
    report = DocumentFactory(
        title="Evaluation – Kosovo",
        slug="evaluation",
        iati_category="A07",
        language="sq",
        date=datetime.date(2025, 3, 31),
        file=SimpleUploadedFile("report.pdf", pdf.read_bytes()),
        projects=[project],
    )
    DocumentFactory(title="No file", slug="no-file", iati_category="A02", projects=[project])
    DocumentFactory(title="Uncategorised", projects=[project])
    DocumentFactory(title="Draft", iati_category="A02", is_published=False, projects=[project])
    DocumentFactory(
        title="Montenegrin", slug="cnr", iati_category="A01", language="cnr", projects=[project]
    )

    activity = activity_of(assert_valid(client.get(URL).content), project.iati_identifier)
    links = {link.find("title/narrative").text: link for link in activity.iter("document-link")}
    evaluation = f"Evaluation – Kosovo* (* {KOSOVO_NOTE})"
    assert set(links) == {str(project), evaluation, "No file", "Montenegrin"}
    pdf_link = links[evaluation]
    assert pdf_link.get("format") == "application/pdf"
    assert pdf_link.get("url").endswith(report.file_url)
    assert pdf_link.find("category").get("code") == "A07"
    assert pdf_link.find("language").get("code") == "sq"
    assert pdf_link.find("document-date").get("iso-date") == "2025-03-31"
    page_link = links["No file"]
    assert page_link.get("format") == "text/html"
    assert page_link.get("url").endswith("/documents/no-file/")
    # Montenegrin ("cnr") is not in IATI's Language list (ISO 639-1): no language said.
    assert links["Montenegrin"].find("language") is None


def test_every_narrative_keeps_the_footnote_rule(client, publisher, places):
    partner = OrganisationFactory(name="Kosovo Police")
    theme = ThematicAreaFactory(name="Border management in Kosovo")
    project = complete_project([places["serbia"]], title="Borders")
    project.implementing_partners.set([partner])
    project.thematic_areas.set([theme])
    activity = activity_of(assert_valid(client.get(URL).content), project.iati_identifier)
    note = f"(* {KOSOVO_NOTE})"
    partner_name = activity.find("participating-org[@role='4']/narrative").text
    assert partner_name == f"Kosovo* Police {note}"
    assert activity.find("sector[@vocabulary='99']/narrative").text.endswith(f"Kosovo* {note}")
    assert activity.find("title/narrative").text == "Borders"  # no mention, no note


def test_a_budget_period_that_ends_before_it_starts_leaves_the_project_out(
    client, publisher, places
):
    project = complete_project(
        [places["serbia"]],
        planned_start=datetime.date(2024, 1, 1),
        planned_end=datetime.date(2025, 3, 31),
        actual_start=datetime.date(2025, 6, 1),
    )
    assert client.get(f"/iati/activities/{project.slug}.xml").status_code == 404
    project.budget, project.currency = None, ""
    project.save()
    assert_valid(client.get(f"/iati/activities/{project.slug}.xml").content)


def test_no_file_says_why_in_plain_text(client, places):
    response = client.get(URL)
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"The portal publishes no IATI file yet.\n"
    set_publisher()
    draft = complete_project([places["serbia"]], is_published=False)
    response = client.get(f"/iati/activities/{draft.slug}.xml")
    assert response.content == b"No published project has this address.\n"
    assert client.get(URL).content == b"No project is published as an IATI activity yet.\n"


def test_head_and_unknown_parameters(client, publisher, places):
    project = complete_project([places["serbia"]])
    head = client.head(f"/iati/activities/{project.slug}.xml?x=<script>")
    assert head.status_code == 200 and head["Content-Type"].startswith("application/xml")
    assert client.post(URL).status_code == 405
    assert client.get("/iati/activities/not a slug.xml").status_code == 404


def test_a_control_character_in_an_identifier_leaves_the_project_out(client, publisher, places):
    # Written around the form (an import, an older rule): XML cannot carry it, and one such
    # identifier used to make the whole file a 500.
    donor = OrganisationFactory(name="Odd donor", iati_identifier="XM-DAC-4\x0111")
    kept = complete_project([places["serbia"]], title="Kept")
    complete_project([places["serbia"]], donors=[donor], title="Odd donor's")
    odd = complete_project([places["serbia"]], iati_identifier=f"{PUBLISHER}-P\x01", title="Odd")

    root = assert_valid(client.get(URL).content)
    assert [a.findtext("iati-identifier") for a in root.iter("iati-activity")] == [
        kept.iati_identifier
    ]
    assert client.get(f"/iati/activities/{odd.slug}.xml").status_code == 404
    # The admin's forms refuse both from now on.
    for instance in (donor, odd):
        with pytest.raises(ValidationError, match="control characters"):
            instance.full_clean()


def test_a_control_character_in_the_publishers_identifier_means_no_file(client, places):
    set_publisher(identifier="XM-DAC-470\x0166")
    complete_project([places["serbia"]], iati_identifier="XM-DAC-470\x0166-P1")
    response = client.get(URL)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")


def test_a_title_or_name_of_control_characters_only_leaves_the_project_out(
    client, publisher, places
):
    # Dropped as XML cannot carry them, they left an empty <narrative>: schema-valid, but
    # refused by IATI's rules.
    kept = complete_project([places["serbia"]], title="Kept")
    complete_project([places["serbia"]], title="\x01\x02")
    complete_project(
        [places["serbia"]], title="Nameless donor", donors=[OrganisationFactory(name="\x01")]
    )
    root = assert_valid(client.get(URL).content)
    assert [a.findtext("iati-identifier") for a in root.iter("iati-activity")] == [
        kept.iati_identifier
    ]
    assert all((n.text or "").strip() for n in root.iter("narrative"))
