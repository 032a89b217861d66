"""Public figures only: a draft area's figures (and its name, category, source) and a data
release not yet due are in no SDMX file, data or structure, while the public ones are."""

from statistics.models import Observation

import pytest
from django.urls import reverse

from tests.statistics.test_data_release import HIDDEN as STAGED
from tests.statistics.test_data_release import clock, release  # noqa: F401 - fixtures
from tests.statistics.test_draft_visibility import areas, hidden_texts  # noqa: F401 - fixture

from .reading import assert_matches_database, codes, read_data, read_structure

pytestmark = pytest.mark.django_db

STRUCTURE = "/statistics/sdmx/structure.xml"


def texts(client, *urls):
    return {url: client.get(url).content.decode() for url in urls}


def test_a_draft_area_holding_figures_is_left_out(client, areas):  # noqa: F811
    urls = (
        reverse("statistics:indicator-sdmx", args=["arrivals"]),
        reverse("statistics:indicator-sdmx", args=["draft-only"]),
        reverse("statistics:sdmx-data") + "?indicators=arrivals,draft-only",
        STRUCTURE,
    )
    for url, text in texts(client, *urls).items():
        leaked = [hidden for hidden in hidden_texts() if hidden in text]
        assert not leaked, f"{url} shows {leaked}"
    structure = read_structure(client)
    assert {"ZDR", "SX", "SCHED"}.isdisjoint(codes(structure, "CL_AREA"))
    assert {"OPEN", "BL"} <= set(codes(structure, "CL_AREA"))
    assert "Open category" in codes(structure, "CL_CATEGORY").values()
    rows, _response = read_data(client, urls[2], structure)
    public = list(
        Observation.objects.public().filter(indicator__code__in=["arrivals", "draft-only"])
    )
    assert len(public) == 3  # the published region's two and the shared country's
    assert Observation.objects.filter(indicator__code__in=["arrivals", "draft-only"]).count() > 3
    assert_matches_database(rows, public, structure)


def test_a_release_not_yet_due_is_left_out_until_it_is(client, release, clock):  # noqa: F811
    urls = (reverse("statistics:indicator-sdmx", args=["arrivals"]), STRUCTURE)
    for url, text in texts(client, *urls).items():
        leaked = [hidden for hidden in STAGED if hidden in text]
        assert not leaked, f"{url} shows {leaked}"
    clock.move_to(release.release_at)
    text = client.get(urls[0]).content.decode()
    assert "888801" in text and "2029" in text
