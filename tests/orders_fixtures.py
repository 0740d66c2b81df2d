"""Fixtures of the order test modules, which load this file with `pytest_plugins`.

A plugin rather than an import, so that pytest finds the fixtures without test functions
shadowing imported names.
"""

import pytest

from tests.orders_helpers import Parties, add_lecture, add_profile, order_body


@pytest.fixture
def parties(app, customer, lecturer) -> Parties:
    customer_profile_id = add_profile(app, customer)
    lecturer_profile_id = add_profile(app, lecturer)
    lecture_id = add_lecture(app, lecturer_profile_id, title="Rust for managers")
    return Parties(customer, lecturer, customer_profile_id, lecturer_profile_id, lecture_id)


@pytest.fixture
def deal(client, parties) -> dict:
    """An order of the parties' lecture, created through POST /create_order."""
    response = client.post(
        "/create_order", json=order_body(parties.lecture_id), headers=parties.customer.headers
    )
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def make_stranger(app, make_account):
    """An account that takes part in no order of the parties."""

    def make(role: str, with_profile: bool):
        account = make_account(role)
        if with_profile:
            add_profile(app, account)
        return account

    return make


@pytest.fixture
def stranger(make_stranger):
    return make_stranger("lecturer", True)


@pytest.fixture
def callers(parties, admin, stranger) -> dict:
    return {
        "customer": parties.customer,
        "lecturer": parties.lecturer,
        "admin": admin,
        "stranger": stranger,
    }
