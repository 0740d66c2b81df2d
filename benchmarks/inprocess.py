"""The API in this process over a given database, and one request for each endpoint measured.

Shared by explain.py and profiling.py, which look inside a request rather than load a server.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient

from benchmarks import harness
from benchmarks.load import PASSWORD, chats_of, column, engine_for, sample, title_words


@dataclass
class Call:
    name: str
    method: str
    path: str
    token: str = ""
    body: dict | None = None

    def send(self, client: FlaskClient):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return client.open(self.path, method=self.method, json=self.body, headers=headers)


def argument_parser(doc: str) -> argparse.ArgumentParser:
    """A script's command line, described by its docstring's first paragraph, with the
    --database-url of the seeded database it runs the API over."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    return parser


def make_app(database_url: str) -> Flask:
    """create_app() as gunicorn would build it, over that database."""
    os.environ.update(harness.server_env(database_url))
    from app import create_app  # config.py reads the environment when imported

    return create_app()


def cookieless_client(app: Flask) -> FlaskClient:
    """A test client that keeps no cookies: as under wrk, a request carries its bearer token
    or nothing, and pays for no session cookie that logging in would have left."""
    return app.test_client(use_cookies=False)


def log_in(client: FlaskClient, username: str) -> str:
    answer = client.post("/login", json={"username": username, "password": PASSWORD})
    if answer.status_code != 200:
        raise RuntimeError(f"login as {username}: {answer.status_code} {answer.get_data(True)}")
    return answer.get_json()["token"]


def calls(database_url: str, client: FlaskClient, *, writes: bool = False) -> list[Call]:
    """One request per endpoint of the load benchmark, with ids drawn from the database."""
    engine = engine_for(database_url)
    rng = random.Random(7)
    lecture, lecturer = (
        rng.choice(sample(engine, "lectures")),
        rng.choice(sample(engine, "lecturer_profiles")),
    )
    city, word = (
        rng.choice(column(engine, "SELECT id FROM cities")),
        rng.choice(title_words(engine)),
    )
    reader, writer = log_in(client, "customer1"), log_in(client, "customer2")
    chat, own_chat = chats_of(engine, "customer1")[0], chats_of(engine, "customer2")[0]
    engine.dispose()
    result = [
        Call("lecture", "GET", f"/lecture/{lecture}"),
        Call("lectures", "GET", "/lectures"),
        Call("lectures_q", "GET", f"/lectures?q={word}"),
        Call("lectures_rating", "GET", "/lectures?sort=-rating"),
        Call("lectures_city", "GET", f"/lectures?city_id={city}"),
        Call("lecture_profile", "GET", f"/lecture_profile/{lecturer}"),
        Call("avg_rating", "GET", f"/get_avg_rating/{lecturer}"),
        Call("orders_finished", "GET", f"/orders_finished/{lecturer}?type=lecturer"),
        Call("chat", "GET", f"/chat/{chat}", reader),
        Call("consumer_orders", "GET", "/consumer_orders", reader),
    ]
    if writes:
        body = {"chat_id": own_chat, "text": "Benchmark message, please ignore."}
        result.append(Call("create_message", "POST", "/create_message", writer, body))
    return result


def calls_named(
    parser: argparse.ArgumentParser, database_url: str, client: FlaskClient, names: list[str]
) -> list[Call]:
    """The calls of those names, in that order; else a command-line error that lists the names."""
    known = {call.name: call for call in calls(database_url, client, writes=True)}
    unknown = [name for name in names if name not in known]
    if unknown:
        parser.error(f"no endpoint named {', '.join(unknown)}; the names: {', '.join(known)}")
    return [known[name] for name in names]


def short(body: dict | None) -> str:
    return json.dumps(body)[:80] if body else ""
