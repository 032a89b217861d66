"""Bad parameters get a clear 400 (text, never a 500), an unknown indicator's own file a
404; nothing of it is stored by the page cache (only 200s are)."""

from statistics.models import Indicator, Observation

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import IndicatorFactory, ObservationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes(db):
    return [IndicatorFactory(code=f"indicator-{n:02d}").code for n in range(22)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Name the indicators by their codes: ?indicators=code,code (at most 20)."),
        ("?indicators=", "Name the indicators by their codes"),
        ("?indicators=,,", "Name the indicators by their codes"),
        ("?indicators=indicator-01,nope", "Unknown indicator: nope."),
        ("?indicators=nope,<script>,indicator-01", "Unknown indicators: <script>, nope."),
        ("?indicators=" + "x" * 2000, "Too many indicators: name at most 20."),
    ],
)
def test_bad_selection_is_a_clear_400(codes, query, message):
    client = Client(raise_request_exception=False)
    response = client.get(reverse("statistics:sdmx-data") + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()


def test_too_many_indicators_is_a_clear_400(client, codes):
    response = client.get(reverse("statistics:sdmx-data") + "?indicators=" + ",".join(codes))
    assert response.status_code == 400
    assert response.content.decode() == "Too many indicators: 22 named, at most 20."
    twenty = ",".join(codes[:20])
    assert client.get(reverse("statistics:sdmx-data") + f"?indicators={twenty}").status_code == 200


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/statistics/nope/sdmx.csv", "No indicator has this code."),
        ("/statistics/indicator-01/sdmx.csv?places=ZZ", "Unknown place."),
        ("/statistics/indicator-01/sdmx.csv?places=%00", "Unknown place."),
    ],
)
def test_unknown_indicator_or_place_is_a_plain_404(client, codes, path, message):
    # Read by programs: a sentence, not the site's HTML page.
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().strip() == message


def test_too_many_rows_is_a_clear_413(client, codes, settings):
    settings.DOWNLOAD_MAX_ROWS = 1
    for year in (2023, 2024):
        ObservationFactory(indicator=Indicator.objects.get(code=codes[0]), period=str(year))
    assert Observation.objects.public().count() == 2
    response = client.get(reverse("statistics:indicator-sdmx", args=[codes[0]]))
    assert response.status_code == 413
    assert "too large" in response.content.decode()
