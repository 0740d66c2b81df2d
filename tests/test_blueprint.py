"""ApiBlueprint's loading of query strings."""

import marshmallow as ma
import pytest
from werkzeug.datastructures import MultiDict

from app.common.blueprint import query_loader
from app.errors import ApiError


class Args(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
    sort = ma.fields.String(data_key="order")


def test_a_query_loads_each_parameters_first_value_and_leaves_unknown_ones_out():
    load = query_loader(Args())
    args = MultiDict([("page", "3"), ("page", "4"), ("order", "title"), ("other", "x")])
    assert load(args) == {"page": 3, "sort": "title"}


def test_a_query_without_parameters_loads_the_defaults():
    assert query_loader(Args())(MultiDict()) == {"page": 1}


def test_a_bad_query_parameter_is_a_400_that_names_it():
    with pytest.raises(ApiError) as raised:
        query_loader(Args())(MultiDict([("page", "0")]))
    assert raised.value.status == 400
    assert raised.value.message.startswith("Invalid query parameter. page: ")


def test_a_query_schema_with_a_list_is_refused_when_declared():
    class Lists(ma.Schema):
        ids = ma.fields.List(ma.fields.Integer())

    with pytest.raises(TypeError, match="ids"):
        query_loader(Lists())
