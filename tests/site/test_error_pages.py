"""The error pages: a 404 with the site's navigation, a 500 that needs neither the request's
context nor the database."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_custom_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'class="skip-link"' in html and 'href="/projects/"' in html


def test_500_page_needs_no_request_context_or_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Something went wrong</h1>" in html
    assert '<html lang="en">' in html and "<title>Server error | WB Portal</title>" in html
