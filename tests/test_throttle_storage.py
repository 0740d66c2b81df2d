"""Login throttling kept in Redis: shared by servers, and no outage when Redis is down."""

import logging
import socket
import uuid

import pytest


def redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def fail_login(client, address: str, username: str = "nobody"):
    return client.post(
        "/login", json={"username": username, "password": "wrong-password"},
        environ_overrides={"REMOTE_ADDR": address},
    )  # fmt: skip


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis at 127.0.0.1:6379")
def test_two_servers_share_the_failed_login_count(make_app):
    uri = "redis://127.0.0.1:6379/15"
    one = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=uri).test_client()
    two = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=uri).test_client()
    # A fresh address and name: the counts in Redis outlive the test.
    address = f"10.0.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    name = f"nobody-{uuid.uuid4().hex}"
    codes = [fail_login(one if n % 2 else two, address, name).status_code for n in range(11)]
    assert codes == [401] * 10 + [429]


def test_redis_down_falls_back_to_memory_with_a_warning(make_app, caplog):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0")
    client = app.test_client()
    with caplog.at_level(logging.WARNING):
        codes = [fail_login(client, "10.9.9.9").status_code for _ in range(11)]
    assert codes == [401] * 10 + [429]
    assert any(record.levelno >= logging.WARNING for record in caplog.records)
