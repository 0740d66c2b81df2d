"""schemathesis over every operation of /openapi.json, with all its checks.

Each operation is called with generated input, valid and invalid, by an anonymous caller
and by a logged-in user of each role (a bearer token). A server error, or an answer that
breaks the document (status code, content type, body, headers), fails the test. The
customer and the lecturer share an order (with its lecture and chat), so that their lists
are not empty. The examples are the same on every run; FUZZ_EXAMPLES sets how many each
operation gets.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from app import create_app
from app.extensions import db
from app.models import User
from tests.conftest import make_config
from tests.factories import OrderFactory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
CONFIG = SchemathesisConfig.from_dict(
    {
        # NUL cannot be stored in a text column; every text field refuses it, as documented.
        "generation": {"allow-x00": False},
        # Well-formed input may still break a rule no schema can state; the contract
        # answers it 400 in a query (a status filter naming no status) and 422 in a body
        # (an id naming nothing, a time zone unknown to IANA).
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "422", "429"]
            }
        },
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/openapi.json", create_app(make_config("sqlite://")), config=CONFIG
)


@pytest.fixture(params=["anonymous", "customer", "lecturer", "admin"])
def caller_headers(request, app, make_account) -> dict[str, str]:
    """The headers of one kind of caller; the customer and the lecturer share an order."""
    if request.param == "anonymous":
        return {}
    customer, lecturer = make_account("customer"), make_account("lecturer")
    with app.app_context():
        OrderFactory(
            customer__user=db.session.get(User, customer.id),
            lecture__lecturer__user=db.session.get(User, lecturer.id),
        )
        db.session.commit()
    account = {"customer": customer, "lecturer": lecturer}.get(request.param)
    return (account or make_account("admin")).headers


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_every_operation_keeps_to_the_document(case, app, caller_headers):
    case.call_and_validate(app=app, headers=caller_headers)
