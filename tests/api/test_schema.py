"""The served OpenAPI 3 schema is valid, and every endpoint it documents answers as it says."""

import re
from urllib.parse import urlencode

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from tests.api.conftest import get_json

SCHEMA_URL = "/api/v1/openapi.json"


@pytest.fixture
def schema(world, api):
    return get_json(api, SCHEMA_URL)


def test_the_served_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)  # raises on any error


def resolve(schema, node):
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def fields(schema, node):
    return set(resolve(schema, node)["properties"])


def example_url(path, operation, with_query):
    url = path
    query = []
    for parameter in operation.get("parameters", []):
        example = parameter.get("example", parameter["schema"].get("example"))
        if parameter["in"] == "path":
            assert example is not None, f"{path}: path parameter {parameter['name']} has no example"
            url = url.replace("{" + parameter["name"] + "}", str(example))
        elif with_query and example is not None:
            query.append((parameter["name"], example))
    return url + (f"?{urlencode(query)}" if query else "")


def test_every_documented_endpoint_answers_as_documented(schema, api):
    paths = schema["paths"]
    assert {re.sub(r"/api/v1", "", p) for p in paths} >= {
        "/areas",
        "/areas/{code}",
        "/indicators",
        "/indicators/{code}",
        "/observations",
        "/projects",
        "/projects/{slug}",
        "/documents",
        "/documents/{slug}",
    }
    for path, operations in paths.items():
        assert set(operations) == {"get"}, f"{path} is read-only"
        operation = operations["get"]
        documented = resolve(
            schema, operation["responses"]["200"]["content"]["application/json"]["schema"]
        )
        for with_query in (False, True):
            url = example_url(path, operation, with_query)
            data = get_json(api, url)
            assert set(data) == set(documented["properties"]), url
            # Every value of the expected type, as the schema says (OpenAPI 3.1 schemas are
            # JSON Schema 2020-12; their references point into the document's components).
            answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
            Draft202012Validator({**answer, "components": schema["components"]}).validate(data)
            if "results" in documented["properties"]:
                item = documented["properties"]["results"]["items"]
                assert data["results"] or with_query, f"{url}: the example data answers nothing"
                for row in data["results"]:
                    assert set(row) == fields(schema, item), url
        for status in operation["responses"]:
            assert status in {"200", "400", "404", "429"}


def test_every_list_documents_its_errors(schema):
    for path, operations in schema["paths"].items():
        responses = operations["get"]["responses"]
        assert "429" in responses, path
        assert ("400" in responses) or ("404" in responses), path
