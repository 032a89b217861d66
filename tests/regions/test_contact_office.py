"""A contact's office is one of the offices of the contact's region: in the choices offered
and in validation, in the contact form and in the region form's contacts."""

import pytest

from regions.models import Contact
from staff.roles import EDITOR
from tests.admin_forms import add_url, change_url, region_form
from tests.factories import ContactFactory, OfficeFactory, RegionFactory

pytestmark = pytest.mark.django_db


def contact_form(contact, **overrides):
    data = {
        "region": contact.region_id,
        "office": contact.office_id or "",
        "name": contact.name,
        "role": contact.role,
        "email": "",
        "phone": "",
        "display_order": "0",
        "review_note": "",
    }
    data.update(overrides)
    return data


def test_the_contact_form_offers_only_the_regions_offices(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    belgrade = OfficeFactory(name="Belgrade office")
    ankara = OfficeFactory(name="Ankara office")
    contact = ContactFactory(region=belgrade.region, is_published=False)
    html = client.get(change_url(contact)).content.decode()
    options = html.split('name="office"', 1)[1].split("</select>", 1)[0]
    assert "Belgrade office" in options
    assert "Ankara office" not in options
    assert ankara.region_id != contact.region_id


def test_an_office_of_another_region_is_refused(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    office = OfficeFactory()
    other = OfficeFactory()
    contact = ContactFactory(region=office.region, is_published=False)
    response = client.post(change_url(contact), contact_form(contact, office=other.pk))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()  # not among the choices
    contact.refresh_from_db()
    assert contact.office_id is None

    response = client.post(change_url(contact), contact_form(contact, office=office.pk))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.office == office


def test_a_new_contact_names_each_office_with_its_region(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    office = OfficeFactory(name="Skopje office", region=RegionFactory(name="Western Balkans"))
    html = client.get(add_url(Contact)).content.decode()
    assert "Skopje office (Western Balkans)" in html
    other_region = RegionFactory()
    data = contact_form(
        Contact(region=other_region, name="A. Person", role="Officer"), office=office.pk
    )
    response = client.post(add_url(Contact), data)
    assert response.status_code == 200
    assert "Choose an office of the contact&#x27;s region" in response.content.decode()
    assert not Contact.objects.filter(name="A. Person").exists()


def test_the_region_forms_contacts_offer_only_its_offices(client, staff_with_role):
    client.force_login(staff_with_role(EDITOR))
    own = OfficeFactory(name="Own office")
    OfficeFactory(name="Foreign office")
    region = own.region
    html = client.get(change_url(region)).content.decode()
    template = html.split('id="contacts-empty"', 1)[1]
    options = template.split('name="contacts-__prefix__-office"', 1)[1].split("</select>", 1)[0]
    assert "Own office" in options and "Foreign office" not in options
    assert region_form(region)  # the form helper still knows the region's inlines
