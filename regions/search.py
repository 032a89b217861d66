"""Regions, countries, offices and contacts in the site search (see search/registry.py)."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from richtext.rendering import plain_text
from search.registry import TextList, register

from .models import Contact, Country, Office, Region


def public_countries():
    """Public countries with the cities of their public offices (`office_cities`): a
    country's page lists its offices, so "Sarajevo" finds Bosnia and Herzegovina."""
    cities = (
        Office.objects.public()
        .filter(country=OuterRef("pk"))
        .order_by()
        .values("country")
        .annotate(cities=TextList("city"))
        .values("cities")
    )
    return Country.objects.public().annotate(office_cities=Subquery(cities))


def country_texts(country):
    texts = [plain_text(country.profile), country.local_name]
    if country.office_cities:
        texts.append(gettext("Our offices: %(cities)s") % {"cities": country.office_cities})
    return texts


def office_address(office):
    """The address as the contacts page shows it (no phone or email: a snippet is for
    finding the office, its card gives the rest). A draft country's name is unreviewed text:
    left out, as the page's `{% country_name %}` does."""
    town = " ".join(part for part in (office.postal_code, office.city) if part)
    country = office.country.display_name if office.country.is_public_now else ""
    return ", ".join(part for part in (office.street_address, town, country) if part)


register(
    "region",
    _("Region"),
    Region.objects.published,
    fields={"name": "A", "summary": "B", "body": "C"},
    snippet_fields=("summary", "body"),
)
register(
    "country",
    _("Country"),
    public_countries,
    fields={"name": "A", "local_name": "A", "office_cities": "B", "profile": "C"},
    snippet=country_texts,
    title=lambda country: country.display_name,
)
register(
    "office",
    _("Office"),
    lambda: Office.objects.public().select_related("country"),
    fields={"name": "A", "city": "A", "street_address": "C"},
    snippet=office_address,
)
# Name and role only: what the contacts page shows of everyone (email and phone are for
# writing to them, not for finding them).
register(
    "contact",
    _("Contact"),
    Contact.objects.listed,
    fields={"name": "A", "role": "B"},
    snippet_fields=("role",),
    title=lambda contact: contact.name,
)
