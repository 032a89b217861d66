"""ATTACK (issue 22 review): the image chooser's search chains one filter per word of the
query; a query of a few thousand words answers 500 (the database refuses a condition that
deep) instead of a result."""

import pytest
from django.test import Client
from django.urls import reverse

from staff.roles import EDITOR

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("words", [200, 2000])
def test_attack_a_long_chooser_search_is_answered(staff_with_role, words):
    client = Client(raise_request_exception=False)
    client.force_login(staff_with_role(EDITOR))
    response = client.get(reverse("admin:library_image_picker"), {"q": "ab " * words})
    assert response.status_code == 200
    assert response.json() == {"results": []}
