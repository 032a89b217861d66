"""Linking a project to an indicator (or unlinking it) changes both cached pages at once."""

import pytest

from tests.factories import IndicatorFactory, ObservationFactory, ProjectFactory, RegionFactory
from tests.pagecache.conftest import get_twice

pytestmark = pytest.mark.django_db


def test_both_pages_follow_the_link(visitor):
    region = RegionFactory(code="WB")
    indicator = IndicatorFactory(code="returns", name="Assisted returns")
    ObservationFactory(indicator=indicator, region=region, value=3353)
    project = ProjectFactory(title="Return systems", slug="return-systems", regions=[region])
    project_url, indicator_url = project.get_absolute_url(), indicator.get_absolute_url()
    get_twice(visitor, project_url)
    get_twice(visitor, indicator_url)

    project.indicators.add(indicator)
    project_page = visitor.get(project_url)
    indicator_page = visitor.get(indicator_url)
    assert project_page["X-Page-Cache"] == indicator_page["X-Page-Cache"] == "miss"
    assert "3,353" in project_page.content.decode()
    assert "Return systems" in indicator_page.content.decode()

    assert visitor.get(indicator_url)["X-Page-Cache"] == "hit"
    indicator.projects.remove(project)  # from the other side too
    assert "Return systems" not in visitor.get(indicator_url).content.decode()
