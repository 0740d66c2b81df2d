"""Section 10: /, /healthz, /openapi.json and /docs."""

import re

import pytest
from openapi_spec_validator import validate

from tests.helpers import assert_error


def test_the_root_names_the_api_and_where_to_go(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.json == {
        "name": "Lecture marketplace API",
        "version": "1.0",
        "docs": "/docs",
        "openapi": "/openapi.json",
        "health": "/healthz",
    }
    for path in ("/docs", "/openapi.json", "/healthz"):
        assert client.get(path).status_code == 200


def test_the_spec_names_the_server_it_was_fetched_from(client):
    spec = client.get("/openapi.json", base_url="http://127.0.0.1:5000").json
    assert spec["servers"] == [{"url": "http://127.0.0.1:5000"}]


# The routes of the documentation itself, which the document does not describe.
DOCS_ENDPOINTS = {"openapi_document", "docs_index", "swagger_ui.show"}


def test_the_spec_describes_every_route_the_app_serves(app, client):
    spec = client.get("/openapi.json").json
    described = {(path, method.upper()) for path, operations in spec["paths"].items()
                 for method in operations if method != "parameters"}  # fmt: skip
    served = {
        (re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in DOCS_ENDPOINTS
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert len(served) > 40
    assert served - described == set()


def test_mounted_under_a_path_the_spec_names_it(client):
    spec = client.get("/openapi.json", base_url="http://h.example/api/").json
    assert spec["servers"] == [{"url": "http://h.example/api"}]


def test_behind_a_trusted_proxy_the_spec_names_the_public_address(make_app):
    client = make_app(TRUSTED_PROXIES=1).test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "api.example.com"}
    spec = client.get("/openapi.json", headers=forwarded).json
    assert spec["servers"] == [{"url": "https://api.example.com"}]


def test_the_spec_does_not_list_itself(client):
    assert "/openapi.json" not in client.get("/openapi.json").json["paths"]


def test_health_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_is_503_when_database_does_not_answer(make_app, unreachable_database_url):
    broken = make_app(SQLALCHEMY_DATABASE_URI=unreachable_database_url)
    assert_error(broken.test_client().get("/healthz"), 503, "service_unavailable")


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json


def test_spec_is_a_valid_openapi_3_1_document(spec):
    validate(spec)  # raises on any departure from the OpenAPI 3.1 schema


def enums_of(node: object) -> list[list]:
    """Every enum in a part of the document."""
    if isinstance(node, list):
        return [enum for item in node for enum in enums_of(item)]
    if not isinstance(node, dict):
        return []
    own = [node["enum"]] if isinstance(node.get("enum"), list) else []
    return own + [enum for value in node.values() for enum in enums_of(value)]


def test_spec_enums_give_client_generators_distinct_names(spec):
    """Generators name an enum's members after their values (openapi-python-client: upper
    case, other characters as _), and refuse an enum where two names clash."""
    enums = enums_of(spec)
    assert len(enums) >= 5
    for enum in enums:
        names = [re.sub(r"\W+", "_", str(value)).upper() for value in enum]
        assert len(set(names)) == len(names), enum


def test_spec_is_openapi_3_1_with_bearer_scheme(spec):
    assert spec["openapi"] == "3.1.0"
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


@pytest.mark.parametrize(
    ("method", "path", "codes"),
    [
        ("get", "/signup", {"200"}),
        ("post", "/signup", {"201", "400", "409", "413", "415", "422", "429"}),
        ("post", "/login", {"200", "400", "401", "413", "415", "422", "429"}),
        ("get", "/login", {"200", "401"}),
        ("post", "/logout", {"204", "401"}),
        ("post", "/change_password", {"204", "400", "401", "413", "415", "422", "429"}),
        ("get", "/tokens", {"200", "400", "401"}),
        ("delete", "/token/{token_id}", {"204", "401", "404"}),
        ("post", "/logout_all", {"204", "401"}),
        ("post", "/add_city", {"201", "400", "401", "403", "409", "413", "415", "422"}),
        ("get", "/cities", {"200", "400"}),
        ("get", "/healthz", {"200", "503"}),
    ],
)
def test_spec_documents_every_status_code(spec, method, path, codes):
    operation = spec["paths"][path][method]
    assert set(operation["responses"]) == codes | {"default"}
    assert operation["summary"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/login"),
        ("post", "/logout"),
        ("post", "/add_city"),
        ("post", "/change_password"),
        ("get", "/tokens"),
        ("delete", "/token/{token_id}"),
        ("post", "/logout_all"),
    ],
)
def test_spec_marks_protected_operations(spec, method, path):
    assert {"bearerAuth": []} in spec["paths"][path][method]["security"]


def test_spec_error_schema_is_the_error_shape(spec):
    schemas = spec["components"]["schemas"]
    error = schemas["Error"]
    assert error["required"] == ["error"]
    body = schemas[error["properties"]["error"]["$ref"].rsplit("/", 1)[1]]
    assert {"status", "code", "message", "fields"} <= set(body["properties"])


def test_spec_request_body_schemas_come_from_the_loaders(spec):
    body = spec["paths"]["/signup"]["post"]["requestBody"]["content"]["application/json"]
    schema = spec["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[1]]
    assert set(schema["required"]) == {"username", "email", "password", "role"}
    assert schema["properties"]["password"]["minLength"] == 8


def test_docs_page_uses_only_files_the_app_serves(client):
    response = client.get("/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/openapi.json" in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    for asset in assets:
        assert asset.startswith("/docs/"), asset
        with client.get(asset) as response:
            assert response.status_code == 200, asset
