"""Region pages put figures first: lead, key figures, map, where we work, approach,
projects, offices; the long overview last, collapsed (no JavaScript)."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["western-balkans", "western-balkans-turkiye"])
def test_region_page_order(client, demo, slug):
    html = client.get(f"/regions/{slug}/").content.decode()
    order = [
        'class="lead"',
        'id="where-we-work-heading"',
        'class="region-map"',
        'id="projects-heading"',
        'id="offices-heading"',
        'id="overview-heading"',
    ]
    if slug == "western-balkans":
        order.insert(1, 'id="key-figures-heading"')
        order.insert(-3, 'id="approach-heading"')
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    overview = html[html.index('id="overview-heading"') :]
    assert overview.index("<details") < overview.index("<p>")
    assert "<script" not in html


@pytest.mark.parametrize("slug", ["western-balkans", "western-balkans-turkiye"])
def test_lead_does_not_repeat_the_first_overview_sentence(client, demo, slug):
    from regions.models import Region

    region = Region.objects.get(slug=slug)
    first_sentence = re.split(r"(?<=\.)\s", region.body.strip(), maxsplit=1)[0]
    assert region.summary.strip() != first_sentence
    assert first_sentence not in region.summary
    html = client.get(f"/regions/{slug}/").content.decode()
    assert f'<p class="lead">{region.summary}</p>' in html.replace("&#x27;", "'")


def test_approach_sections_collapse_with_their_title_visible(client, demo):
    html = client.get("/regions/western-balkans/").content.decode()
    assert html.count('<details class="prose-section">') == 4  # 3 approach sections + overview
    assert "<summary><h3>Strengthening Institutions and Enhancing Migration Governance</h3>" in html
