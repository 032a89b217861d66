"""A small but complete region built in the test, with names in their own scripts.

`scale` multiplies the projects, contacts and observations so query budgets can be checked
against ten times as much content.
"""

from dataclasses import dataclass, field
from statistics.models import Observation

from pages.models import Page, SiteSettings
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

KOSOVO_NOTE = (
    "This designation is without prejudice to positions on status, and is in line with "
    "UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of independence."
)


@dataclass
class World:
    region: object = None
    kosovo: object = None
    turkiye: object = None
    montenegro: object = None
    north_macedonia: object = None
    offices: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    indicators: dict = field(default_factory=dict)
    draft_project: object = None
    secret_contact: object = None


def build_world(scale=1):
    w = World()
    w.kosovo = CountryFactory(
        name="Kosovo",
        local_name="Kosova / Kosovo",
        slug="kosovo",
        iso_code="XK",
        footnote=KOSOVO_NOTE,
    )
    w.turkiye = CountryFactory(name="Türkiye", local_name="Türkiye", slug="turkiye", iso_code="TR")
    w.montenegro = CountryFactory(
        name="Montenegro", local_name="Crna Gora", slug="montenegro", iso_code="ME"
    )
    w.north_macedonia = CountryFactory(
        name="North Macedonia",
        local_name="Северна Македонија",
        slug="north-macedonia",
        iso_code="MK",
        member_state_since=2015,
    )
    w.region = RegionFactory(
        name="Western Balkans and Türkiye",
        slug="wbt",
        code="WBT",
        summary="Our work from Prishtina/Priština to Ankara.",
        body="We work in **Crna Gora** and in Северна Македонија.",
        countries=[w.kosovo, w.turkiye, w.montenegro, w.north_macedonia],
    )
    ApproachSectionFactory(region=w.region, title="Route-based approach", body="Whole of route.")
    prishtina = OfficeFactory(
        region=w.region,
        country=w.kosovo,
        name="Office in Prishtina/Priština",
        slug="prishtina",
        city="Prishtina/Priština",
        street_address="Rruga Agim Ramadani",
        postal_code="10000",
        is_regional_seat=True,
    )
    skopje = OfficeFactory(
        region=w.region,
        country=w.north_macedonia,
        name="Канцеларија Скопје",
        slug="skopje",
        city="Скопје",
        street_address="Бул. Гоце Делчев",
        postal_code="1000",
    )
    w.offices = [prishtina, skopje]
    for i in range(3 * scale):
        ContactFactory(
            region=w.region,
            office=w.offices[i % 2],
            name=f"Public Person {i}",
            role="Project Officer",
            email=f"person{i}@example.org",
        )
    ContactFactory(region=w.region, office=None, name="Ayşe Yılmaz", role="Special Representative")
    w.secret_contact = ContactFactory(
        region=w.region,
        office=prishtina,
        name="Hidden Colleague",
        role="Intern",
        is_published=False,
    )
    themes = [ThematicAreaFactory(name="Return and readmission", slug="return")]
    themes.append(ThematicAreaFactory(name="Border management", slug="border"))
    facility = FacilityFactory(name="Migration Partnership Facility", slug="mpf")
    donor = OrganisationFactory(name="European Union", slug="eu", acronym="EU")
    for i in range(3 * scale):
        w.projects.append(
            ProjectFactory(
                title=f"Regional project {i:03d}",
                slug=f"regional-project-{i:03d}",
                regions=[w.region],
                countries=[w.kosovo, w.north_macedonia],
                thematic_areas=themes,
                facility=facility,
                donors=[donor],
            )
        )
    w.draft_project = ProjectFactory(
        title="Secret draft project", slug="secret-draft", regions=[w.region], is_published=False
    )
    source = SourceFactory(name="Ministry of Interior")
    total = IndicatorFactory(
        code="arrivals", name="Registered arrivals", unit="people", decimals=0, is_featured=True
    )
    share = IndicatorFactory(
        code="asylum-share", name="Share who applied for asylum", unit="%", decimals=1
    )
    share.is_featured = True
    share.save()
    hidden = IndicatorFactory(code="not-featured", name="A figure not featured", is_featured=False)
    w.indicators = {"total": total, "share": share, "hidden": hidden}
    for i in range(3 * scale):
        year = 1990 + i
        latest = i == 3 * scale - 1
        ObservationFactory(
            indicator=total,
            region=w.region,
            period=str(year),
            value=12345 + i,
            source=source,
            status=Observation.Status.PROVISIONAL if latest else Observation.Status.FINAL,
        )
        ObservationFactory(indicator=share, region=w.region, period=str(year), value="4.25")
        ObservationFactory(indicator=hidden, region=w.region, period=str(year), value=7)
        ObservationFactory(
            indicator=total, region=None, country=w.kosovo, period=str(year), value=500 + i
        )
    return w


def edit(instance, **changes):
    """A change to run later (`committed(edit(region, summary="..."))`): set the fields and
    save, as a form does."""

    def change():
        for name, value in changes.items():
            setattr(instance, name, value)
        instance.save()

    return change


def about_page(committed, title, is_published=True):
    """A page made the site settings' About page, both committed (their bumps done)."""
    page = committed(
        lambda: Page.objects.create(title=title, slug="about-us", is_published=is_published)
    )

    def link():
        row = SiteSettings.objects.get()
        row.about_page = page
        row.save()

    committed(link)
    return page
