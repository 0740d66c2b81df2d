"""ApiBlueprint's loading of query strings, through the catalogue's parameters."""


def test_a_query_loads_each_parameters_first_value_and_leaves_unknown_ones_out(client):
    answer = client.get("/lectures?page=3&page=4&per_page=5&other=x")
    assert answer.status_code == 200
    assert (answer.json["page"], answer.json["per_page"]) == (3, 5)


def test_a_query_without_parameters_loads_the_defaults(client):
    answer = client.get("/lectures").json
    assert (answer["page"], answer["per_page"]) == (1, 20)


def test_a_bad_query_parameter_is_a_400_that_names_each_one(client):
    error = client.get("/lectures?page=0&per_page=x").json["error"]
    assert error["status"] == 400
    assert error["message"].startswith("Invalid query parameter. page: ")
    assert error["fields"] == {
        "page": ["Must be greater than or equal to 1 and less than or equal to 2147483647."],
        "per_page": ["Not a valid integer."],
    }
