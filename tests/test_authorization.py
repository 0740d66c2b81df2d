"""Who may do what: every operation, called by each kind of caller.

Callers: anonymous, an unrelated customer, an unrelated lecturer, the owner (or the
participant: the customer of the order, the lecturer of the lecture), and an admin.
Private things (orders, chats, messages) answer 404 to strangers; public ones 403.
"""

import pytest

from app.auth.services import issue_token
from app.extensions import db
from app.models import User
from tests.factories import (
    PASSWORD,
    CustomerProfileFactory,
    LectureFactory,
    LecturerProfileFactory,
    MessageFactory,
    OrderFactory,
    ReviewFactory,
)

CALLERS = ("anonymous", "customer", "lecturer", "owner", "admin")
ORDER_BODY = {"lecture_id": "{lecture}", "scheduled_at": "2030-01-01T10:00:00+00:00"}
PROFILE_BODY = {"first_name": "A", "last_name": "B", "contact_info": {"email": "a@b.example"}}

# method, path, body, owner (customer or lecturer), answers for each caller in CALLERS
MATRIX = [
    ("GET", "/signup", None, "customer", (200, 200, 200, 200, 200)),
    ("POST", "/signup", {"username": "newbie", "email": "newbie@example.com",
                         "password": "long-enough", "role": "customer"}, "customer",
     (201, 201, 201, 201, 201)),
    ("POST", "/login", {"username": "{username}", "password": PASSWORD}, "customer",
     (200, 200, 200, 200, 200)),
    ("GET", "/login", None, "customer", (401, 200, 200, 200, 200)),
    ("POST", "/logout", None, "customer", (401, 204, 204, 204, 204)),
    ("POST", "/change_password", {"current_password": PASSWORD, "new_password": "a-new-pass-42"},
     "customer", (401, 204, 204, 204, 204)),
    ("GET", "/tokens", None, "customer", (401, 200, 200, 200, 200)),
    ("DELETE", "/token/{token}", None, "customer", (401, 404, 404, 204, 404)),
    ("POST", "/logout_all", None, "customer", (401, 204, 204, 204, 204)),
    ("POST", "/add_city", {"name": "Omsk"}, "customer", (401, 403, 403, 403, 201)),
    ("GET", "/cities", None, "customer", (200, 200, 200, 200, 200)),
    ("POST", "/create_lecture_profile", PROFILE_BODY, "lecturer", (401, 403, 409, 409, 403)),
    ("GET", "/create_lecture_profile", None, "lecturer", (401, 403, 200, 200, 403)),
    ("POST", "/create_customer_profile", PROFILE_BODY, "customer", (401, 409, 403, 409, 403)),
    ("GET", "/lecture_profile/{lecturer}", None, "lecturer", (200, 200, 200, 200, 200)),
    ("GET", "/lecturer_schedule/{lecturer}", None, "lecturer", (200,) * 5),
    ("PUT", "/lecture_profile/{lecturer}", {}, "lecturer", (401, 403, 403, 200, 200)),
    ("GET", "/customer_profile/{customer}", None, "customer", (200, 200, 200, 200, 200)),
    ("PUT", "/customer_profile/{customer}", {}, "customer", (401, 403, 403, 200, 200)),
    ("POST", "/create_lectures", {"title": "New"}, "lecturer", (401, 403, 201, 201, 403)),
    ("GET", "/lectures", None, "lecturer", (200, 200, 200, 200, 200)),
    ("GET", "/lecture/{lecture}", None, "lecturer", (200, 200, 200, 200, 200)),
    ("PUT", "/lecture/{lecture}", {}, "lecturer", (401, 403, 403, 200, 200)),
    ("DELETE", "/lecture/{lecture}", None, "lecturer", (401, 403, 403, 204, 204)),
    ("POST", "/create_order", ORDER_BODY, "customer", (401, 201, 403, 201, 403)),
    ("GET", "/order/{order}", None, "customer", (401, 404, 404, 200, 200)),
    ("PUT", "/order/{order}", {}, "customer", (401, 404, 404, 200, 200)),
    ("DELETE", "/order/{order}", None, "customer", (401, 404, 404, 204, 204)),
    ("GET", "/consumer_orders", None, "customer", (401, 200, 200, 200, 200)),
    ("GET", "/consumer_orders/{customer}", None, "customer", (401, 403, 403, 200, 200)),
    ("GET", "/lecturer_orders/{lecturer}", None, "lecturer", (401, 403, 403, 200, 200)),
    ("PUT", "/change_order_status/{order}", {"status": "canceled", "reason": "No."}, "customer",
     (401, 404, 404, 200, 200)),
    ("POST", "/add_order_status", {"code": "paused", "title": "Paused", "transitions": []},
     "customer", (401, 403, 403, 403, 201)),
    ("GET", "/order_statuses", None, "customer", (200, 200, 200, 200, 200)),
    ("GET", "/chat/{chat}", None, "customer", (401, 404, 404, 200, 200)),
    ("GET", "/chats", None, "customer", (401, 200, 200, 200, 200)),
    ("POST", "/create_message", {"chat_id": "{chat}", "text": "Hi"}, "customer",
     (401, 422, 422, 201, 403)),
    ("DELETE", "/delete_message/{message}", None, "customer", (401, 404, 404, 204, 204)),
    ("GET", "/sum_messages/{chat}", None, "customer", (401, 404, 404, 200, 200)),
    ("POST", "/add_lecture_review", {"order_id": "{finished}", "grade": 5}, "customer",
     (401, 422, 403, 201, 403)),
    ("GET", "/review_of_lecture/{review}", None, "customer", (200, 200, 200, 200, 200)),
    ("PUT", "/review_of_lecture/{review}", {}, "customer", (401, 403, 403, 200, 200)),
    ("DELETE", "/review_of_lecture/{review}", None, "customer", (401, 403, 403, 204, 204)),
    ("GET", "/reviews", None, "customer", (200, 200, 200, 200, 200)),
    ("GET", "/get_avg_rating/{lecturer}/{lecture}", None, "lecturer", (200,) * 5),
    ("GET", "/get_avg_rating/{lecturer}", None, "lecturer", (200,) * 5),
    ("GET", "/orders_finished/{lecturer}?type=lecturer", None, "lecturer", (200,) * 5),
    ("GET", "/orders_finished", None, "lecturer", (200,) * 5),
    ("GET", "/", None, "lecturer", (200,) * 5),
    ("GET", "/healthz", None, "lecturer", (200,) * 5),
    ("GET", "/openapi.json", None, "lecturer", (200,) * 5),
]  # fmt: skip


@pytest.fixture
def world(app, make_account) -> dict:
    """A deal between two accounts, two strangers with profiles, and an admin."""
    accounts = {
        "owner-customer": make_account("customer"),
        "owner-lecturer": make_account("lecturer"),
        "customer": make_account("customer"),
        "lecturer": make_account("lecturer"),
        "admin": make_account("admin"),
    }
    with app.app_context():

        def user(name):
            return db.session.get(User, accounts[name].id)

        customer = CustomerProfileFactory(user=user("owner-customer"))
        lecturer = LecturerProfileFactory(user=user("owner-lecturer"))
        CustomerProfileFactory(user=user("customer"))
        LecturerProfileFactory(user=user("lecturer"))
        lecture = LectureFactory(lecturer=lecturer)
        order = OrderFactory(lecture=lecture, customer=customer)
        message = MessageFactory(order=order)
        review = ReviewFactory(order=OrderFactory(lecture=lecture, customer=customer,
                                                  status_code="finished"))  # fmt: skip
        finished = OrderFactory(lecture=lecture, customer=customer, status_code="finished")
        _, token = issue_token(user("owner-customer"))  # not the one the owner calls with
        db.session.commit()
        ids = {
            "customer": customer.id, "lecturer": lecturer.id, "lecture": lecture.id,
            "order": order.id, "chat": order.chat.id, "message": message.id,
            "review": review.id, "finished": finished.id, "token": token.id,
            "username": accounts["owner-customer"].username,
        }  # fmt: skip
    return {"accounts": accounts, "ids": ids}


def fill(value, ids: dict):
    """The body or path with {placeholders} replaced by the world's ids."""
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value.format(**ids) if isinstance(value, str) else value


@pytest.mark.parametrize(("method", "path", "body", "owner", "answers"), MATRIX,
                         ids=[f"{m} {p}" for m, p, *_ in MATRIX])  # fmt: skip
@pytest.mark.parametrize("caller", CALLERS)
def test_who_may_do_what(client, world, method, path, body, owner, answers, caller):
    account = {
        "anonymous": None,
        "owner": world["accounts"][f"owner-{owner}"],
    }.get(caller, world["accounts"].get(caller))
    headers = account.headers if account else {}
    options = {"headers": headers}
    if body is not None:
        options["json"] = fill(body, world["ids"])
    response = client.open(fill(path, world["ids"]), method=method, **options)
    expected = answers[CALLERS.index(caller)]
    assert response.status_code == expected, response.get_data(as_text=True)


def test_matrix_covers_every_operation(client):
    documented = {
        (method.upper(), path)
        for path, operations in client.get("/openapi.json").json["paths"].items()
        for method in operations
        if method != "parameters"
    }
    covered = set()
    for method, path, *_ in MATRIX:
        template = path.split("?")[0]
        for name, param in (("lecturer", "lecturer_id"), ("customer", "profile_id")):
            template = template.replace("{" + name + "}", "{" + param + "}")
        covered.add((method, template))
    missing = {
        op for op in documented if not any(op[0] == m and _same(op[1], p) for m, p in covered)
    }
    assert not missing, sorted(missing)


def _same(documented: str, covered: str) -> bool:
    """Paths equal once every {parameter} is read as a wildcard."""
    return _shape(documented) == _shape(covered)


def _shape(path: str) -> list[str]:
    return ["*" if part.startswith("{") else part for part in path.split("/")]
