"""deploy/nginx.conf: nginx accepts it, proxies to gunicorn and answers its own errors in JSON."""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks import edge

pytestmark = pytest.mark.skipif(
    edge.executable() is None, reason="nginx is not installed (Debian's nginx package)"
)

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
# API.md section 11: the errors nginx answers itself, in the shape of section 1.
NGINX_ERRORS = {400, 413, 414, 431, 502, 503, 504}


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def from_app(self) -> bool:
        """The app stamps every answer with X-Request-ID; nginx's own answers have none."""
        return "X-Request-ID" in self.headers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def send(port: int, method: str, path: str, body: bytes | None = None, **headers: str) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body, {k.replace("_", "-"): v for k, v in headers.items()})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def send_raw(port: int, data: bytes) -> Answer:
    """Bytes that no HTTP library would send, and the answer to them."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return Answer(response.status, response.headers, response.read())


def assert_json_error(answer: Answer, status: int, code: str) -> None:
    """The answer is an error in the shape of API.md section 1."""
    assert answer.status == status, answer.body
    assert answer.headers["Content-Type"] == "application/json"
    body = json.loads(answer.body)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message"}
    assert (body["error"]["status"], body["error"]["code"]) == (status, code)
    assert body["error"]["message"]


def server_env(database: Path, **extra: str) -> dict[str, str]:
    """A production environment over a SQLite file, with nothing else of the caller's."""
    unset = ("FLASK_", "GUNICORN_", "RATELIMIT_", "LIMIT_", "TRUSTED_", "SECRET_", "DATABASE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(unset)}
    return {**env, "SECRET_KEY": "k" * 32, "DATABASE_URL": f"sqlite:///{database}", **extra}


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[tuple[int, subprocess.Popen]]:
    """The app under gunicorn with the project's gunicorn.conf.py, one worker; stopped after."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*command, "app:create_app()"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not healthy(port):
            assert process.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=20)


def healthy(port: int) -> bool:
    try:
        return send(port, "GET", "/healthz").status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def proxy(tmp_path_factory) -> Iterator[int]:
    """nginx from deploy/nginx.conf in front of gunicorn, as in production; yields its port."""
    database = tmp_path_factory.mktemp("edge") / "served.db"
    with gunicorn(server_env(database, TRUSTED_PROXIES="1")) as (upstream, _):
        port = free_port()
        with edge.nginx(port, f"127.0.0.1:{upstream}"):
            yield port


def test_nginx_accepts_the_config(tmp_path):
    result = edge.check(edge.write_config(tmp_path / "nginx", free_port(), "127.0.0.1:8000"))
    assert result.returncode == 0, result.stderr


def site_error_pages() -> dict[int, tuple[int, dict]]:
    """Each status nginx answers itself: the status it sends and the body it returns."""
    site = edge.SITE.read_text()
    pages = {}
    for status, changed, uri in re.findall(r"error_page (\d+) (?:=(\d+) )?(\S+);", site):
        location = re.search(
            rf"location = {re.escape(uri)} {{\s*internal;\s*return (\d+) '([^']*)';\s*}}", site
        )
        assert location, f"no internal location returning {uri}"
        sent = int(location.group(1))
        assert sent == int(changed or status)
        pages[int(status)] = (sent, json.loads(location.group(2)))
    return pages


def test_every_error_page_is_json_in_the_api_shape():
    """Also those this file cannot provoke (500, 503, 504...): each is read from the site."""
    pages = site_error_pages()
    sent = {status for status, _ in pages.values()}
    assert sent >= NGINX_ERRORS
    for status, body in pages.values():
        assert set(body) == {"error"}
        assert set(body["error"]) == {"status", "code", "message"}
        assert body["error"]["status"] == status
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", body["error"]["code"])
        assert body["error"]["message"].endswith(".")


def test_a_request_goes_through_to_the_app(proxy):
    answer = send(proxy, "GET", "/healthz")
    assert answer.status == 200 and answer.from_app
    assert answer.headers["Content-Type"] == "application/json"
    assert json.loads(answer.body)["status"] == "ok"


def test_the_app_sees_the_host_and_scheme_the_client_used(proxy):
    """nginx replaces the X-Forwarded-Host and -Proto a client made up: the base URL holds."""
    spoofed = {"X_Forwarded_Host": "evil.example", "X_Forwarded_Proto": "https"}
    answer = send(proxy, "GET", "/openapi.json", **spoofed)
    assert json.loads(answer.body)["servers"] == [{"url": f"http://127.0.0.1:{proxy}"}]


def test_a_body_of_1_mib_reaches_the_app(proxy):
    """The edge and the app agree on the bound: 1 MiB passes nginx (the app judges it)."""
    answer = send(proxy, "POST", "/signup", b" " * MIB, Content_Type="application/json")
    assert answer.from_app
    assert_json_error(answer, 400, "bad_request")


def test_a_body_over_1_mib_is_refused_by_nginx(proxy):
    answer = send(proxy, "POST", "/signup", b" " * (MIB + 1), Content_Type="application/json")
    assert not answer.from_app
    assert_json_error(answer, 413, "payload_too_large")


def test_a_uri_too_long_is_refused_by_nginx(proxy):
    answer = send(proxy, "GET", "/lecture/1?q=" + "a" * 9000)
    assert not answer.from_app
    assert_json_error(answer, 414, "uri_too_long")


def test_headers_too_large_are_refused_by_nginx_with_431(proxy):
    answer = send(proxy, "GET", "/healthz", X_Padding="a" * 9000)
    assert not answer.from_app
    assert_json_error(answer, 431, "request_header_fields_too_large")


def test_a_malformed_request_is_refused_by_nginx(proxy):
    answer = send_raw(proxy, b"NOT HTTP AT ALL\r\n\r\n")
    assert not answer.from_app
    assert_json_error(answer, 400, "bad_request")


def test_gunicorn_stopped_is_a_json_502(tmp_path):
    with gunicorn(server_env(tmp_path / "served.db")) as (upstream, process):
        port = free_port()
        with edge.nginx(port, f"127.0.0.1:{upstream}"):
            assert send(port, "GET", "/healthz").status == 200
            process.terminate()
            process.wait(timeout=20)
            answer = send(port, "GET", "/healthz")
    assert not answer.from_app
    assert_json_error(answer, 502, "bad_gateway")


def test_the_app_counts_the_address_nginx_saw(tmp_path):
    """With TRUSTED_PROXIES=1, an X-Forwarded-For the client made up does not dodge a limit."""
    env = server_env(
        tmp_path / "served.db", TRUSTED_PROXIES="1", LIMIT_SIGNUPS_PER_ADDRESS="2/hour"
    )
    subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True,
        capture_output=True,
    )  # fmt: skip
    with gunicorn(env) as (upstream, _):
        port = free_port()
        with edge.nginx(port, f"127.0.0.1:{upstream}"):
            statuses = [sign_up(port, f"user{n}", f"10.0.0.{n}") for n in range(3)]
    assert statuses == [201, 201, 429]


def sign_up(port: int, name: str, forwarded_for: str) -> int:
    account = {"username": name, "email": f"{name}@example.com", "password": "a-long-password"}
    body = json.dumps({**account, "role": "customer"}).encode()
    headers = {"Content_Type": "application/json", "X_Forwarded_For": forwarded_for}
    return send(port, "POST", "/signup", body, **headers).status
