"""Every in-page link (`href="#..."`) on the pages this part changed has its target, and
ids are unique: the footnote asterisks and their "back" links, the tables of contents."""

import re

import pytest

pytestmark = pytest.mark.django_db

PATHS = [
    "/",
    "/regions/western-balkans/",
    "/regions/western-balkans-turkiye/",
    "/countries/kosovo/",
    "/countries/serbia/",
    "/countries/turkiye/",
    "/statistics/population/?area=XK",
    "/search/?q=Kosovo",
]


@pytest.mark.parametrize("path", PATHS)
def test_in_page_links_resolve(client, demo, path):
    html = client.get(path).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), f"duplicate ids on {path}"
    missing = {target for target in re.findall(r'href="#([^"]+)"', html) if target not in ids}
    assert not missing, f"{path}: links to missing anchors {sorted(missing)}"
