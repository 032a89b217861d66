"""factory_boy factories for every model; tests build exactly the data they need.

Every unique field comes from a sequence that does not repeat within what its constraint
allows, and no factory looks an existing row up: a test that asks for a new object gets a new
one, or an IntegrityError, never someone else's row.
"""

import string
from statistics.models import Indicator, Observation, Source

import factory
from django.contrib.auth import get_user_model

from documents.models import Document
from projects.models import Facility, Organisation, Project, ThematicArea
from regions.models import ApproachSection, Contact, Country, Office, Region

# Two capital letters that fixtures, tests and their data files spell out by hand (real
# countries, deliberately unknown areas, and a few strings that only look like codes): the
# factory never makes them, so a test that creates one of them, or expects it to be unknown,
# cannot meet a factory-made country of that code. tests/suite/test_factories.py fails when
# a test quotes two capital letters missing here.
HAND_PICKED_COUNTRY_CODES = frozenset(
    (
        "AA AL AN AR BA BB BL BP DE DR EU EV FI HG HX LA LG LN MA MB ME MK MR NA NB NR OK QD QH "
        "QM QQ QR QS QU QX QZ RS SX TR WB XK XX ZZ"
    ).split()
)


def capital_letters(n: int, width: int) -> str:
    """`n` written in base 26 with `width` capital letters: AA, AB, ... ZZ for width 2."""
    letters = []
    for _ in range(width):
        n, digit = divmod(n, 26)
        letters.append(string.ascii_uppercase[digit])
    return "".join(reversed(letters))


# Every other two-letter code: the country factory goes through all of them before it
# repeats one (its sequence runs on across tests, whose rows are rolled back).
COUNTRY_CODES = tuple(
    code
    for code in (capital_letters(n, 2) for n in range(26**2))
    if code not in HAND_PICKED_COUNTRY_CODES
)
# Region codes are 2 to 6 capital letters; the factory's are "R" and four more (26**4 before
# one repeats), a shape no hand-picked region code in the tests has.
REGION_CODE_LETTERS = 4


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country

    name = factory.Sequence(lambda n: f"Country {n}")
    slug = factory.Sequence(lambda n: f"country-{n}")
    iso_code = factory.Sequence(lambda n: COUNTRY_CODES[n % len(COUNTRY_CODES)])
    is_published = True


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    code = factory.Sequence(lambda n: "R" + capital_letters(n, REGION_CODE_LETTERS))
    summary = "A region used in tests."
    body = "Overview of the region."
    is_published = True

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)


class ApproachSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApproachSection

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Approach {n}")
    body = "How we work."
    order = factory.Sequence(lambda n: n)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    region = factory.SubFactory(RegionFactory)
    country = factory.SubFactory(CountryFactory)
    name = factory.Sequence(lambda n: f"Office {n}")
    slug = factory.Sequence(lambda n: f"office-{n}")
    city = "Belgrade"
    street_address = "Trg Nikole Pašića 5"
    postal_code = "11000"
    is_published = True


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    region = factory.SubFactory(RegionFactory)
    office = None
    name = factory.Sequence(lambda n: f"Contact Person {n}")
    role = "Project Manager"
    is_published = True


class ThematicAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThematicArea

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Facility {n}")
    slug = factory.Sequence(lambda n: f"facility-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    summary = "A project used in tests."
    status = Project.Status.IMPLEMENTATION
    is_published = True

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)

    @factory.post_generation
    def thematic_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.thematic_areas.set(extracted)

    @factory.post_generation
    def donors(self, create, extracted, **kwargs):
        if create and extracted:
            self.donors.set(extracted)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Source {n}")
    code = factory.Sequence(lambda n: f"source-{n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "people"


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    region = factory.SubFactory(RegionFactory)
    country = None
    period = "2024"
    category = ""
    value = 100
    source = factory.SubFactory(SourceFactory)


class DocumentFactory(factory.django.DjangoModelFactory):
    """A published document without a file (tests/documents/ upload real files)."""

    class Meta:
        model = Document
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Document {n}")
    slug = factory.Sequence(lambda n: f"document-{n}")
    is_published = True

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def projects(self, create, extracted, **kwargs):
        if create and extracted:
            self.projects.set(extracted)
