"""The password rule, and what a logged-in user does with their password and tokens."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import ApiToken, User
from tests.conftest import Account, login
from tests.helpers import MALFORMED_BODIES, MISSING, assert_error, signup_body

NEW_PASSWORD = "a-new-pass-42"


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def another_login(app, account: Account) -> str:
    """A token of a login of the account's own, made by another client."""
    return login(app.test_client(), replace(account)).token


def cookie_login(app, account: Account) -> tuple[FlaskClient, str]:
    """A client logged in with the session cookie, and the token of that login."""
    client = app.test_client()
    return client, login(client, replace(account)).token


def token_id(app, token: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(ApiToken.id).where(ApiToken.token_hash == ApiToken.hash(token))
        )


def tokens_of(app, user_id: int) -> list[tuple]:
    """(id, revoked_at, expires_at) of each of the user's tokens, by id."""
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(ApiToken.id, ApiToken.revoked_at, ApiToken.expires_at)
                .where(ApiToken.user_id == user_id)
                .order_by(ApiToken.id)
            )
        ]


def state_of(app, user_id: int) -> tuple:
    """The user's password hash and tokens: what a failed request must leave as it was."""
    with app.app_context():
        password_hash = db.session.get(User, user_id).password_hash
    return password_hash, tokens_of(app, user_id)


def lets_in(client: FlaskClient, headers: dict | None = None) -> bool:
    response = client.get("/login", headers=headers or {})
    assert response.status_code in (200, 401), response.json
    return response.status_code == 200


def expire(app, token: str) -> None:
    with app.app_context():
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == ApiToken.hash(token))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()


# The password rule, at sign-up


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password": "password"}, "commonly used"),
        ({"password": "12345678"}, "commonly used"),
        ({"password": "qwertyuiop"}, "commonly used"),
        ({"password": "PassWord1"}, "commonly used"),
        ({"password": "SUNSHINE"}, "commonly used"),
        ({"username": "alice.smith", "password": "alice.smith"}, "username"),
        ({"username": "alice.smith", "password": "Alice.SMITH"}, "username"),
        ({"email": "al@example.com", "password": "al@example.com"}, "email"),
        ({"email": "al@example.com", "password": "AL@Example.com"}, "email"),
    ],
    ids=[
        "password",
        "12345678",
        "qwertyuiop",
        "common-in-another-case",
        "common-in-upper-case",
        "the-username",
        "the-username-in-another-case",
        "the-email",
        "the-email-in-another-case",
    ],
)
def test_signup_with_a_weak_password_is_422_on_password(app, client, changes, message):
    response = client.post("/signup", json=signup_body(**changes))
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"password"}
    assert message in " ".join(error["fields"]["password"])
    assert count_users(app) == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"password": "password-for-alice"},
        {"username": "alice.smith", "password": "alice.smith!"},
        {"email": "al@example.com", "password": "al@example.co"},
    ],
    ids=["common-with-more", "username-with-more", "email-with-less"],
)
def test_signup_takes_a_password_that_only_contains_a_weak_one(client, changes):
    response = client.post("/signup", json=signup_body(**changes))
    assert response.status_code == 201, response.json


def test_a_common_password_is_named_beside_other_bad_fields(app, client):
    response = client.post("/signup", json=signup_body(email="not-an-email", password="password"))
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"email", "password"}
    assert count_users(app) == 0


def test_signup_form_still_gives_the_minimum_length(client):
    assert client.get("/signup").json["password_min_length"] == 8


# POST /change_password


def change_body(account: Account, **changes) -> dict:
    body = {"current_password": account.password, "new_password": NEW_PASSWORD, **changes}
    return {name: value for name, value in body.items() if value is not MISSING}


def logs_in(client: FlaskClient, account: Account, password: str) -> bool:
    response = client.post("/login", json={"username": account.username, "password": password})
    assert response.status_code in (200, 401), response.json
    return response.status_code == 200


def test_change_password_answers_204_with_no_body(client, customer):
    response = client.post("/change_password", json=change_body(customer), headers=customer.headers)
    assert response.status_code == 204, response.json
    assert response.data == b""


def test_the_new_password_logs_in_and_the_old_one_no_longer(app, client, customer):
    client.post("/change_password", json=change_body(customer), headers=customer.headers)
    other = app.test_client()
    assert logs_in(other, customer, NEW_PASSWORD)
    assert not logs_in(other, customer, customer.password)


def test_change_password_keeps_the_token_in_use_and_revokes_the_others(app, client, customer):
    other_token = another_login(app, customer)
    cookie_client, _ = cookie_login(app, customer)
    response = client.post("/change_password", json=change_body(customer), headers=customer.headers)
    assert response.status_code == 204
    assert lets_in(client, customer.headers)
    assert not lets_in(client, bearer(other_token))
    assert not lets_in(cookie_client)
    assert [revoked is None for _, revoked, _ in tokens_of(app, customer.id)] == [
        True,
        False,
        False,
    ]


def test_change_password_over_a_session_keeps_that_session(app, client, customer):
    cookie_client, cookie_token = cookie_login(app, customer)
    response = cookie_client.post("/change_password", json=change_body(customer))
    assert response.status_code == 204
    assert lets_in(cookie_client)
    assert lets_in(client, bearer(cookie_token))
    assert not lets_in(client, customer.headers)


def test_change_password_leaves_other_users_alone(app, client, customer, lecturer):
    before = state_of(app, lecturer.id)
    client.post("/change_password", json=change_body(customer), headers=customer.headers)
    assert state_of(app, lecturer.id) == before
    assert lets_in(client, lecturer.headers)


def test_a_wrong_current_password_is_422_on_it_and_changes_nothing(app, client, customer):
    another_login(app, customer)
    before = state_of(app, customer.id)
    response = client.post(
        "/change_password",
        json=change_body(customer, current_password="not-the-one"),
        headers=customer.headers,
    )
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"current_password"}
    assert state_of(app, customer.id) == before


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("password", "commonly used"),
        ("Iloveyou", "commonly used"),
        ("{username}", "username"),
        ("{USERNAME}", "username"),
        ("{email}", "email"),
        ("{EMAIL}", "email"),
    ],
    ids=["common", "common-in-another-case", "the-username", "the-username-in-upper-case",
         "the-email", "the-email-in-upper-case"],
)  # fmt: skip
def test_a_new_password_the_rule_refuses_is_422_on_it(
    app, client, make_account, new_password, message
):
    customer = make_account("customer", username="customer.one")
    names = {"username": customer.username, "email": customer.email}
    new_password = new_password.format(
        **names, **{name.upper(): value.upper() for name, value in names.items()}
    )
    before = state_of(app, customer.id)
    response = client.post(
        "/change_password",
        json=change_body(customer, new_password=new_password),
        headers=customer.headers,
    )
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"new_password"}
    assert message in " ".join(error["fields"]["new_password"])
    assert state_of(app, customer.id) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"current_password": MISSING}, "current_password"),
        ({"new_password": MISSING}, "new_password"),
        ({"current_password": ""}, "current_password"),
        ({"current_password": "p" * 129}, "current_password"),
        ({"current_password": 12345678}, "current_password"),
        ({"current_password": None}, "current_password"),
        ({"new_password": "p" * 7}, "new_password"),
        ({"new_password": "p" * 129}, "new_password"),
        ({"new_password": "new-pass\x00word"}, "new_password"),
        ({"new_password": "new-pass\ud800word"}, "new_password"),
        ({"new_password": 123456789}, "new_password"),
        ({"new_password": ["a-new-pass-42"]}, "new_password"),
        ({"new_password": None}, "new_password"),
        ({"password": NEW_PASSWORD}, "password"),
        ({"user_id": 1}, "user_id"),
    ],
    ids=["current-missing", "new-missing", "current-empty", "current-129", "current-number",
         "current-null", "new-7", "new-129", "new-nul", "new-lone-surrogate", "new-number",
         "new-list", "new-null", "unknown-field", "unknown-field-user-id"],
)  # fmt: skip
def test_a_bad_change_password_body_is_422_naming_the_field(app, client, customer, changes, field):
    before = state_of(app, customer.id)
    response = client.post(
        "/change_password", json=change_body(customer, **changes), headers=customer.headers
    )
    error = assert_error(response, 422, "validation_error")
    assert field in error["fields"]
    assert state_of(app, customer.id) == before


def test_an_empty_change_password_body_names_both_fields(client, customer):
    response = client.post("/change_password", json={}, headers=customer.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"current_password", "new_password"}


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_a_malformed_change_password_body_is_rejected(
    app, client, customer, data, content_type, status, code
):
    before = state_of(app, customer.id)
    response = client.post(
        "/change_password", data=data, content_type=content_type, headers=customer.headers
    )
    assert_error(response, status, code)
    assert state_of(app, customer.id) == before


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer garbage"}], ids=["none", "bad"])
def test_change_password_without_a_login_is_401_before_the_body(client, customer, headers):
    response = client.post("/change_password", json={"new_password": 1}, headers=headers)
    assert_error(response, 401, "unauthorized")
    assert logs_in(client, customer, customer.password)


def test_change_password_with_a_revoked_token_is_401(app, client, customer):
    before = state_of(app, customer.id)
    assert client.post("/logout", headers=customer.headers).status_code == 204
    response = client.post("/change_password", json=change_body(customer), headers=customer.headers)
    assert_error(response, 401, "unauthorized")
    assert state_of(app, customer.id)[0] == before[0]


# GET /tokens


def test_tokens_lists_the_live_ones_newest_first(app, client, customer):
    second, third = another_login(app, customer), another_login(app, customer)
    response = client.get("/tokens", headers=customer.headers)
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["page"], body["per_page"], body["total"]) == (1, 20, 3)
    ids = [token_id(app, token) for token in (third, second, customer.token)]
    assert [item["id"] for item in body["items"]] == ids
    assert [item["current"] for item in body["items"]] == [False, False, True]


def test_a_token_item_has_its_times_and_nothing_secret(app, client, customer):
    [item] = client.get("/tokens", headers=customer.headers).json["items"]
    assert set(item) == {"id", "created_at", "expires_at", "current"}
    [(_, _, expires_at)] = tokens_of(app, customer.id)
    assert datetime.fromisoformat(item["expires_at"]) == expires_at
    created_at = datetime.fromisoformat(item["created_at"])
    assert abs(datetime.now(UTC) - created_at) < timedelta(minutes=1)
    assert item["created_at"].endswith("+00:00")


def test_tokens_never_shows_a_token_or_its_hash(app, client, customer):
    other = another_login(app, customer)
    text = client.get("/tokens", headers=customer.headers).get_data(as_text=True)
    for token in (customer.token, other):
        assert token not in text
        assert ApiToken.hash(token) not in text


def test_tokens_leaves_out_revoked_expired_and_other_users_tokens(app, client, customer, lecturer):
    revoked, expired = another_login(app, customer), another_login(app, customer)
    assert client.post("/logout", headers=bearer(revoked)).status_code == 204
    expire(app, expired)
    response = client.get("/tokens", headers=customer.headers)
    assert [item["id"] for item in response.json["items"]] == [token_id(app, customer.token)]
    assert response.json["total"] == 1


def test_tokens_over_a_session_marks_the_token_of_its_login(app, customer):
    cookie_client, cookie_token = cookie_login(app, customer)
    items = cookie_client.get("/tokens").json["items"]
    current = {item["id"]: item["current"] for item in items}
    assert current == {token_id(app, cookie_token): True, token_id(app, customer.token): False}


def test_tokens_is_paged(app, client, customer):
    tokens = [another_login(app, customer) for _ in range(4)]  # 5 in all, newest last
    response = client.get("/tokens?page=2&per_page=2", headers=customer.headers)
    assert response.status_code == 200
    body = response.json
    assert (body["page"], body["per_page"], body["total"]) == (2, 2, 5)
    assert [item["id"] for item in body["items"]] == [token_id(app, t) for t in tokens[1::-1]]
    past = client.get("/tokens?page=4&per_page=2", headers=customer.headers).json
    assert (past["items"], past["total"]) == ([], 5)


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=abc", "per_page=0", "per_page=101", "per_page=1.5", "page=99999999999"],
)
def test_tokens_with_a_bad_paging_parameter_is_400(client, customer, query):
    error = assert_error(
        client.get(f"/tokens?{query}", headers=customer.headers), 400, "bad_request"
    )
    assert set(error["fields"]) == {query.split("=")[0]}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer garbage"}], ids=["none", "bad"])
def test_tokens_without_a_login_is_401(client, customer, headers):
    assert_error(client.get("/tokens", headers=headers), 401, "unauthorized")


# DELETE /token/<id>


def test_revoking_another_token_ends_it_and_keeps_the_one_in_use(app, client, customer):
    other = another_login(app, customer)
    response = client.delete(f"/token/{token_id(app, other)}", headers=customer.headers)
    assert response.status_code == 204
    assert response.data == b""
    assert not lets_in(client, bearer(other))
    assert lets_in(client, customer.headers)
    items = client.get("/tokens", headers=customer.headers).json["items"]
    assert [item["id"] for item in items] == [token_id(app, customer.token)]


def test_revoking_the_token_in_use_ends_it(app, client, customer):
    response = client.delete(f"/token/{token_id(app, customer.token)}", headers=customer.headers)
    assert response.status_code == 204
    assert not lets_in(client, customer.headers)


def test_revoking_the_token_of_a_login_ends_its_session(app, client, customer):
    cookie_client, cookie_token = cookie_login(app, customer)
    stolen = cookie_client.get_cookie("session").value
    response = client.delete(f"/token/{token_id(app, cookie_token)}", headers=customer.headers)
    assert response.status_code == 204
    assert not lets_in(cookie_client)
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert not lets_in(replay)


def test_revoking_the_token_of_its_own_session_deletes_the_cookie(app, customer):
    cookie_client, cookie_token = cookie_login(app, customer)
    response = cookie_client.delete(f"/token/{token_id(app, cookie_token)}")
    assert response.status_code == 204
    assert cookie_client.get_cookie("session") is None
    assert lets_in(cookie_client, customer.headers)


def test_revoking_another_users_token_is_404_and_changes_nothing(app, client, customer, admin):
    before = tokens_of(app, customer.id)
    response = client.delete(f"/token/{token_id(app, customer.token)}", headers=admin.headers)
    assert_error(response, 404, "not_found")
    assert tokens_of(app, customer.id) == before
    assert lets_in(client, customer.headers)


def test_revoking_a_revoked_or_expired_token_is_404(app, client, customer):
    revoked, expired = another_login(app, customer), another_login(app, customer)
    assert client.post("/logout", headers=bearer(revoked)).status_code == 204
    expire(app, expired)
    before = tokens_of(app, customer.id)
    for token in (revoked, expired):
        response = client.delete(f"/token/{token_id(app, token)}", headers=customer.headers)
        assert_error(response, 404, "not_found")
    assert tokens_of(app, customer.id) == before


@pytest.mark.parametrize(
    "token", ["999999", "0", "-1", "abc", "1.5", "2147483648", "99999999999999999999", "1e3"]
)
def test_revoking_an_id_that_names_no_token_is_404(app, client, customer, token):
    before = tokens_of(app, customer.id)
    assert_error(client.delete(f"/token/{token}", headers=customer.headers), 404, "not_found")
    assert tokens_of(app, customer.id) == before


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer garbage"}], ids=["none", "bad"])
def test_revoking_without_a_login_is_401_and_changes_nothing(app, client, customer, headers):
    before = tokens_of(app, customer.id)
    response = client.delete(f"/token/{token_id(app, customer.token)}", headers=headers)
    assert_error(response, 401, "unauthorized")
    assert tokens_of(app, customer.id) == before


def test_other_methods_on_a_token_are_405(app, client, customer):
    response = client.get(f"/token/{token_id(app, customer.token)}", headers=customer.headers)
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"]


# POST /logout_all


def test_logout_all_revokes_every_token_and_session_of_the_caller(app, client, customer):
    other = another_login(app, customer)
    cookie_client, _ = cookie_login(app, customer)
    response = client.post("/logout_all", headers=customer.headers)
    assert response.status_code == 204
    assert response.data == b""
    assert not lets_in(client, customer.headers)
    assert not lets_in(client, bearer(other))
    assert not lets_in(cookie_client)
    assert all(revoked is not None for _, revoked, _ in tokens_of(app, customer.id))


def test_logout_all_over_a_session_ends_it_and_deletes_the_cookie(app, client, customer):
    cookie_client, _ = cookie_login(app, customer)
    stolen = cookie_client.get_cookie("session").value
    assert cookie_client.post("/logout_all").status_code == 204
    assert cookie_client.get_cookie("session") is None
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert not lets_in(replay)
    assert not lets_in(client, customer.headers)


def test_logout_all_leaves_other_users_alone(app, client, customer, lecturer):
    before = tokens_of(app, lecturer.id)
    assert client.post("/logout_all", headers=customer.headers).status_code == 204
    assert tokens_of(app, lecturer.id) == before
    assert lets_in(client, lecturer.headers)


def test_logging_in_after_logout_all_works(app, client, customer):
    assert client.post("/logout_all", headers=customer.headers).status_code == 204
    assert lets_in(client, bearer(another_login(app, customer)))


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer garbage"}], ids=["none", "bad"])
def test_logout_all_without_a_login_is_401_and_changes_nothing(app, client, customer, headers):
    before = tokens_of(app, customer.id)
    assert_error(client.post("/logout_all", headers=headers), 401, "unauthorized")
    assert tokens_of(app, customer.id) == before
