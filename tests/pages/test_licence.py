"""What the footer and the Data licence page say of reuse: the portal's own texts and
compilations under its licence (the site settings), every other figure under its source's
terms, listed on the licence page source by source, or that the source states none."""

import pytest

from pages.models import Page, SiteSettings
from tests.factories import ObservationFactory, RegionFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def licence_page():
    page = Page.objects.create(
        title="Data licence", slug="data-licence", body="The editors' text.", is_published=True
    )
    SiteSettings.objects.filter(pk=1).update(
        licence_page=page,
        data_licence_name="CC BY-SA 4.0",
        data_licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
    )
    return page


@pytest.fixture
def sources():
    with_licence = SourceFactory(
        name="World Bank WDI", licence="CC BY 4.0", licence_url="https://cc.example/by"
    )
    silent = SourceFactory(name="Border Police")
    own = SourceFactory(name="Portal compilation", is_own_compilation=True)
    unpublished = SourceFactory(name="Draft source", licence="Proprietary")
    for source in (with_licence, silent, own):
        ObservationFactory(source=source)
    ObservationFactory(source=unpublished, region=RegionFactory(is_published=False))
    return with_licence, silent, own, unpublished


def test_the_footer_names_the_portals_licence_and_the_sources_terms(client):
    SiteSettings.objects.filter(pk=1).update(
        data_licence_name="CC BY-SA 4.0",
        data_licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
    )
    footer = client.get("/contacts/").content.decode().split('<footer class="site-footer">')[1]
    assert (
        "The portal's own texts and compilations of figures: "
        '<a href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license">CC BY-SA 4.0</a>. '
        "Every other figure is under its source's terms, shown beside it; some sources state "
        "none."
    ) in footer


def test_the_licence_page_lists_each_source_with_its_terms(client, licence_page, sources):
    html = client.get(licence_page.get_absolute_url()).content.decode()
    article = html.split('<article class="site-page">')[1].split("</article>")[0]
    assert article.index("The editors' text.") < article.index("What is under which terms")
    assert (
        "The portal's own texts and its own compilations of figures are published under "
        '<a href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license">CC BY-SA 4.0</a>.'
    ) in article
    listed = article.split('<ul class="licence-source-list">')[1].split("</ul>")[0]
    items = [item.split("</li>")[0] for item in listed.split("<li>")[1:]]
    assert [item.split("</span>")[0] for item in items] == [
        '<span class="source-name">Border Police',
        '<span class="source-name">Portal compilation',
        '<span class="source-name">World Bank WDI',
    ]
    border_police, compilation, world_bank = items
    assert "The source states no licence or terms of use." in border_police
    assert "(the portal's own compilation)" in compilation and "CC BY-SA 4.0" in compilation
    assert 'Licence: <a href="https://cc.example/by" rel="license">CC BY 4.0</a>.' in world_bank
    assert "Draft source" not in html  # a source of no published figure


def test_other_pages_do_not_list_the_sources(client, licence_page, sources):
    Page.objects.create(title="About", slug="about", body="About us.", is_published=True)
    html = client.get("/pages/about/").content.decode()
    assert "What is under which terms" not in html and "World Bank WDI" not in html
