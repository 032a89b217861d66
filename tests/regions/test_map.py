"""The region map: committed shapes, the renderer (regions/maps.py) and the map on pages."""

import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from regions.maps import SHAPES_FILE, LegendItem, MapFill, project, region_map, shapes
from regions.models import Country
from tests.factories import CountryFactory, OfficeFactory, RegionFactory

pytestmark = pytest.mark.django_db

REGION_CODES = {"AL", "BA", "XK", "ME", "MK", "RS", "TR"}


def test_committed_shapes_cover_the_region_with_attribution():
    data = json.loads(SHAPES_FILE.read_text(encoding="utf-8"))
    assert set(data["countries"]) == REGION_CODES
    assert data["attribution"] == "Country shapes: Natural Earth, public domain, via world-atlas"
    for code, shape in data["countries"].items():
        assert shape["path"].startswith("M") and shape["path"].endswith("z"), code
        x0, y0, x1, y1 = shape["bbox"]
        assert x0 < shape["label"][0] < x1 and y0 < shape["label"][1] < y1, code
    # Neighbours as grey context (Greece, Bulgaria, ...), not linked, not region countries.
    assert {"Greece", "Bulgaria", "Croatia"} <= {c["source_name"] for c in data["context"]}


@pytest.mark.parametrize(
    "city, code, latitude, longitude",
    [
        ("Belgrade", "RS", "44.8178", "20.4569"),
        ("Prishtina", "XK", "42.6629", "21.1655"),
        ("Istanbul", "TR", "41.0136", "28.9550"),
    ],
)
def test_projection_puts_cities_inside_their_country(city, code, latitude, longitude):
    x, y = project(Decimal(longitude), Decimal(latitude))
    x0, y0, x1, y1 = shapes()["countries"][code]["bbox"]
    assert x0 < x < x1 and y0 < y < y1, city


def country(code, name, footnote=""):
    return CountryFactory(
        iso_code=code, name=name, slug=name.lower().replace(" ", "-"), footnote=footnote
    )


@pytest.fixture
def balkans():
    return [
        country("RS", "Serbia"),
        country("XK", "Kosovo", footnote="This reference should be understood ..."),
        country("MK", "North Macedonia"),
    ]


def render(region_map_, **extra):
    return render_to_string("includes/region_map.html", {"map": region_map_, **extra})


def test_every_country_is_a_link_with_its_published_name(balkans):
    html = render(region_map(balkans))
    assert html.count('<a href="/countries/') == 3
    assert 'href="/countries/serbia/" class="map-link" aria-label="Serbia"' in html
    # Kosovo* carries its asterisk in the map and the key links to the note.
    assert 'href="/countries/kosovo/" class="map-link" aria-label="Kosovo*"' in html
    assert 'href="#footnote-xk"' in html
    assert "Country shapes: Natural Earth, public domain, via world-atlas" in html
    assert "<script" not in html and "<title" not in html


def test_view_box_fits_the_countries_shown(balkans):
    small = region_map(balkans)
    large = region_map([*balkans, country("TR", "Turkiye")])
    assert small.width < large.width
    x0, y0, width, height = (float(v) for v in small.view_box.split())
    box = shapes()["countries"]["RS"]["bbox"]
    assert x0 < box[0] and box[2] < x0 + width and y0 < box[1] and box[3] < y0 + height
    # Neighbours in view are grey context; Türkiye, not given, is context there too.
    assert len(small.context) > 3


def test_offices_with_coordinates_are_marked_others_skipped(balkans):
    region = RegionFactory()
    belgrade = OfficeFactory(
        region=region, country=balkans[0], city="Belgrade", latitude="44.8178", longitude="20.4569"
    )
    OfficeFactory(region=region, country=balkans[2], city="Skopje")  # no coordinates
    result = region_map(balkans, offices=[belgrade, *balkans[2].offices.all()])
    assert [marker.label for marker in result.markers] == ["Belgrade"]
    html = render(result)
    assert html.count('<circle class="map-office"') == 1
    # Listed beside the map, each linked to its card (on a phone the dots are too close).
    assert "Our offices:" in html
    assert f'<li><a href="/contacts/#office-{belgrade.slug}">Belgrade</a></li>' in html


def test_current_country_is_marked_not_linked(balkans):
    html = render(region_map(balkans, current=balkans[0]))
    assert 'href="/countries/serbia/"' not in html
    assert 'class="map-country map-current"' in html and 'aria-label="Serbia"' in html


def test_choropleth_fills_values_and_legend(balkans):
    result = region_map(
        balkans,
        fills={"RS": MapFill("map-fill-5", "6,586,476 people")},
        legend=[LegendItem("map-fill-5", "5 million or more")],
    )
    html = render(result)
    assert 'class="map-country map-fill-5"' in html
    assert 'aria-label="Serbia: 6,586,476 people"' in html
    assert (
        '<span class="map-swatch map-fill-5" aria-hidden="true"></span> 5 million or more' in html
    )
    assert html.count("map-linked") == 2  # the others keep the plain fill


def test_labels_never_overlap_and_abbreviations_are_explained(balkans):
    result = region_map([*balkans, country("TR", "Turkiye")])
    for label_set in result.label_sets:
        boxes = []
        for label in label_set.labels:
            half = len(label.text) * 0.6 * label_set.font_size / 2
            box = (label.x - half, label.y - label_set.font_size, label.x + half, label.y)
            assert not any(
                box[0] < b[2] and box[2] > b[0] and box[1] < b[3] and box[3] > b[1] for b in boxes
            ), label.text
            boxes.append(box)
    shown = {label.text for s in result.label_sets for label in s.labels}
    html = render(result)
    for code in shown & {"RS", "XK*", "MK"}:
        assert f'<span class="map-code" aria-hidden="true">{code}</span>' in html


def test_country_without_shape_is_left_out_and_no_shapes_means_no_map():
    assert region_map([country("QQ", "Atlantis")]) is None
    result = region_map([country("RS", "Serbia"), country("QX", "Utopia")])
    assert [item.country.name for item in result.countries] == ["Serbia"]


def test_office_coordinates_come_in_pairs_within_range():
    office = OfficeFactory.build(
        region=RegionFactory(), country=CountryFactory(), latitude="44.8", longitude=None
    )
    with pytest.raises(ValidationError):
        office.full_clean()
    office.longitude = "200"
    with pytest.raises(ValidationError):
        office.full_clean()
    office.longitude = "20.45"
    office.full_clean()


def test_map_on_home_region_and_country_pages(client, demo):
    home = client.get("/").content.decode()
    assert home.count('class="map-link"') == 7  # every public country, Türkiye included
    assert home.count('<circle class="map-office') == 6  # the six demo offices
    assert 'aria-label="Kosovo*"' in home
    region = client.get("/regions/western-balkans/").content.decode()
    assert region.count('class="map-link"') == 6
    assert 'href="/countries/turkiye/" class="map-link"' not in region
    serbia = client.get("/countries/serbia/").content.decode()
    assert 'class="map-country map-current"' in serbia
    assert 'href="/countries/kosovo/" class="map-link"' in serbia
    # Served from the page's own HTML: no script, no external file.
    assert not re.search(r"<script|https?://[^\"]*\.(js|svg)", home)


def test_every_country_is_labelled_on_a_phone_small_ones_beside_with_a_leader_line(db):
    """The seven countries of the Western Balkans and Türkiye at phone size: the codes that fit
    on no small country go beside it, joined to its label point by a line; no label covers
    another or the view's edge, and no line crosses another label."""
    countries = [
        country("AL", "Albania"),
        country("BA", "Bosnia and Herzegovina"),
        country("XK", "Kosovo", footnote="This reference should be understood ..."),
        country("ME", "Montenegro"),
        country("MK", "North Macedonia"),
        country("RS", "Serbia"),
        country("TR", "Turkiye"),
    ]
    result = region_map(countries)
    narrow = next(s for s in result.label_sets if s.css_class == "map-labels-narrow")
    by_text = {label.text: label for label in narrow.labels}
    assert {"XK*", "MK", "AL", "BA", "RS", "ME", "Turkiye"} <= set(by_text)
    x0, y0, width, height = (float(n) for n in result.view_box.split())
    size = narrow.font_size
    boxes = {}
    for label in narrow.labels:
        half = len(label.text) * 0.6 * size / 2
        box = (label.x - half, label.y - size, label.x + half, label.y)
        assert x0 <= box[0] and box[2] <= x0 + width and y0 <= box[1] and box[3] <= y0 + height
        assert not any(
            box[0] < b[2] and box[2] > b[0] and box[1] < b[3] and box[3] > b[1]
            for b in boxes.values()
        ), label.text
        boxes[label.text] = box
    beside = [label for label in narrow.labels if label.line]
    assert {label.text for label in beside} >= {"XK*"}
    for label in beside:
        code = label.text.rstrip("*")
        assert label.line[2:] == tuple(round(v, 1) for v in shapes()["countries"][code]["label"])
        ax, ay, bx, by = label.line
        for step in range(1, 20):
            x, y = ax + (bx - ax) * step / 20, ay + (by - ay) * step / 20
            for text, box in boxes.items():
                if text != label.text:
                    assert not (box[0] < x < box[2] and box[1] < y < box[3]), (label.text, text)
    leaders = sum(1 for s in result.label_sets for label in s.labels if label.line)
    assert render(result).count('<line class="map-leader"') == leaders


def test_home_map_lists_every_office_with_a_link_to_its_card(client, demo):
    """Each office dot's place is named beside the map and leads to its card on the
    contacts page; each country is named in the key (a link to its page)."""
    home = client.get("/").content.decode()
    caption = home.split('class="map-caption"')[1].split("</figcaption>")[0]
    links = re.findall(r'<a href="/contacts/#(office-[\w-]+)">([^<]+)</a>', caption)
    dots = home.count('<circle class="map-office')
    assert dots >= 6 and len(links) == dots
    contacts = client.get("/contacts/").content.decode()
    for anchor, city in links:
        card = contacts.split(f'id="{anchor}"')[1].split("</article>")[0]
        assert city in card, (anchor, city)
    for code in REGION_CODES:
        name = Country.objects.get(iso_code=code).get_absolute_url()
        assert f'href="{name}"' in caption, code


MAP_CIRCLE = re.compile(
    r'<circle class="map-office[^"]*" cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"/>'
)
MAP_LABEL_SET = re.compile(
    r'<g class="map-labels ([\w-]+)" aria-hidden="true" font-size="([\d.]+)">(.*?)</g>'
)
MAP_TEXT = re.compile(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle">([^<]+)</text>')


def test_no_label_touches_an_office_dot_on_any_demo_map(client, demo):
    """At both label sizes (phone and wide), on the home, region and every country page: the
    text of a label (its glyphs' full width and height) keeps clear of every office's dot."""
    paths = ["/", "/regions/western-balkans/"]
    paths += [c.get_absolute_url() for c in Country.objects.public()]
    checked = 0
    for path in paths:
        html = client.get(path).content.decode()
        dots = [tuple(float(n) for n in m) for m in MAP_CIRCLE.findall(html)]
        for css_class, size, body in MAP_LABEL_SET.findall(html):
            size = float(size)
            for x, y, text in MAP_TEXT.findall(body):
                x, y = float(x), float(y)
                half = len(text) * 0.6 * size / 2
                box = (x - half, y - 0.8 * size, x + half, y + 0.25 * size)
                for cx, cy, r in dots:
                    nearest_x = min(max(cx, box[0]), box[2])
                    nearest_y = min(max(cy, box[1]), box[3])
                    distance = ((cx - nearest_x) ** 2 + (cy - nearest_y) ** 2) ** 0.5
                    assert distance > r, (path, css_class, text, (cx, cy))
                checked += 1
    assert checked > 50
