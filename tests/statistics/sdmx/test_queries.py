"""The SDMX files cost a fixed number of queries whatever the data: the structure six (one a
code list read from the database, and the site settings for the sources' licences), a data
file two (the indicator, then its figures with their related rows in one query)."""

from statistics.models import Indicator

import pytest
from django.urls import reverse

from regions.models import Country
from tests.factories import IndicatorFactory, ObservationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def grow(code):
    """More of everything: indicators, sources, categories, areas and periods."""
    indicator = Indicator.objects.get(code=code)
    countries = list(Country.objects.public())
    for n in range(3):
        other = IndicatorFactory(code=f"more-{n}")
        source = SourceFactory(code=f"more-source-{n}", licence="CC BY 4.0")
        for country in countries:
            for year in (2020, 2021):
                kwargs = {"country": country, "region": None, "period": str(year)}
                ObservationFactory(indicator=other, source=source, **kwargs)
                ObservationFactory(
                    indicator=indicator, source=source, category=f"Group {n}", **kwargs
                )


def test_query_budgets_stay_as_the_data_grows(client, demo, django_assert_num_queries):
    code = sorted(
        Indicator.objects.filter(observations__isnull=False).values_list("code", flat=True)
    )[0]
    urls = {
        reverse("statistics:sdmx-structure"): 6,
        reverse("statistics:indicator-sdmx", args=[code]): 2,
        reverse("statistics:sdmx-data") + f"?indicators={code}": 2,
    }
    sizes = []
    for scale in range(2):
        if scale:
            grow(code)
        for url, budget in urls.items():
            with django_assert_num_queries(budget):
                response = client.get(url)
            assert response.status_code == 200
            sizes.append(len(response.content))
    assert all(after > before for before, after in zip(sizes[:3], sizes[3:], strict=True))
