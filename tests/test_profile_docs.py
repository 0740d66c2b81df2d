"""Section 4 in /openapi.json: the profile endpoints' codes, bodies and answers."""

import pytest

from tests.test_profiles import CUSTOMER, LECTURER


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json


def resolve(spec: dict, node: dict) -> dict:
    """A schema or response with its $ref followed; of a nullable anyOf, the non-null part."""
    while "$ref" in node:
        _hash, _components, section, name = node["$ref"].split("/")
        node = spec["components"][section][name]
    not_null = [branch for branch in node.get("anyOf", []) if branch.get("type") != "null"]
    return resolve(spec, not_null[0]) if len(not_null) == 1 else node


def json_schema(spec: dict, content_holder: dict) -> dict:
    return resolve(spec, resolve(spec, content_holder)["content"]["application/json"]["schema"])


WRITE_CODES = {"400", "401", "403", "413", "415", "422"}
# method, path, documented codes, needs a login, the kind of profile it answers with
OPERATIONS = [
    ("post", "/create_lecture_profile", {"201", "409"} | WRITE_CODES, True, LECTURER),
    ("get", "/create_lecture_profile", {"200", "401", "403", "404"}, True, LECTURER),
    ("post", "/create_customer_profile", {"201", "409"} | WRITE_CODES, True, CUSTOMER),
    ("get", "/lecture_profile/{profile_id}", {"200", "404"}, False, LECTURER),
    ("put", "/lecture_profile/{profile_id}", {"200", "404"} | WRITE_CODES, True, LECTURER),
    ("get", "/customer_profile/{profile_id}", {"200", "404"}, False, CUSTOMER),
    ("put", "/customer_profile/{profile_id}", {"200", "404"} | WRITE_CODES, True, CUSTOMER),
]
CODES = [(method, path, codes) for method, path, codes, *_ in OPERATIONS]


@pytest.mark.parametrize(("method", "path", "codes"), CODES)
def test_spec_documents_every_status_code(spec, method, path, codes):
    operation = spec["paths"][path][method]
    assert set(operation["responses"]) == codes | {"default"}
    assert operation["summary"]


@pytest.mark.parametrize(("method", "path", "codes"), CODES)
def test_spec_documents_errors_with_the_error_shape(spec, method, path, codes):
    responses = spec["paths"][path][method]["responses"]
    for code in sorted(codes - {"200", "201"}):
        assert set(json_schema(spec, responses[code])["properties"]) == {"error"}, code


@pytest.mark.parametrize(
    ("method", "path", "secured"),
    [(method, path, secured) for method, path, _, secured, _ in OPERATIONS],
)
def test_spec_marks_only_protected_operations(spec, method, path, secured):
    operation = spec["paths"][path][method]
    assert bool(operation.get("security")) is secured


@pytest.mark.parametrize(
    ("method", "path", "kind"), [(method, path, kind) for method, path, *_, kind in OPERATIONS]
)
def test_spec_response_schema_is_the_profile(spec, method, path, kind):
    responses = spec["paths"][path][method]["responses"]
    schema = json_schema(spec, responses["201" if method == "post" else "200"])
    assert set(schema["properties"]) == kind.keys
    contact = resolve(spec, schema["properties"]["contact_info"])
    assert set(contact["properties"]) == kind.contact_keys


@pytest.mark.parametrize(
    ("schema", "nullable"), [("CustomerProfileOut", True), ("LecturerProfileOut", False)]
)
def test_spec_says_only_customer_contact_info_may_be_null(spec, schema, nullable):
    contact = spec["components"]["schemas"][schema]["properties"]["contact_info"]
    assert ({"type": "null"} in contact.get("anyOf", [])) is nullable


@pytest.mark.parametrize(
    ("method", "path", "kind", "required"),
    [
        ("post", "/create_lecture_profile", LECTURER, {"first_name", "last_name", "contact_info"}),
        ("post", "/create_customer_profile", CUSTOMER, {"first_name", "last_name", "contact_info"}),
        ("put", "/lecture_profile/{profile_id}", LECTURER, set()),
        ("put", "/customer_profile/{profile_id}", CUSTOMER, set()),
    ],
)
def test_spec_request_schema_is_the_body(spec, method, path, kind, required):
    schema = json_schema(spec, spec["paths"][path][method]["requestBody"])
    expected = {"first_name", "last_name", "photo_url", "visit_card", "contact_info"}
    lecturer_only = {"experience", "working_hours"}
    assert set(schema["properties"]) == expected | (lecturer_only if kind is LECTURER else set())
    assert set(schema.get("required", [])) == required
    assert schema.get("additionalProperties") is False
    contact = resolve(spec, schema["properties"]["contact_info"])
    assert set(contact["properties"]) == {"email", "phone", "city_id"} | (
        {"company"} if kind is CUSTOMER else set()
    )
    assert set(contact.get("required", [])) == ({"email"} if required else set())
    assert contact.get("additionalProperties") is False


@pytest.mark.parametrize(
    "path", ["/lecture_profile/{profile_id}", "/customer_profile/{profile_id}"]
)
def test_spec_path_id_is_a_positive_integer(spec, path):
    [parameter] = spec["paths"][path]["parameters"]
    assert parameter["name"] == "profile_id"
    assert parameter["schema"]["type"] == "integer"
    assert parameter["schema"]["minimum"] == 1
