"""With its default options, KeyholdMiddleware has Keyhold verify every request, so rate limits and usage hold: a key
limited to 2 requests a minute, sent 10 requests within a second (pure ASGI, Starlette, FastAPI), gets exactly 2
through, and the usage API counts all 10."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
import pytest

from keyhold import Keyhold, KeyholdMiddleware
from keyhold.asgi import Receive, Scope, Send
from keyhold.types import KeyWithSecret
from keyhold_fixture import Server


async def ok_app(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


def ten_statuses(app: Any, secret: str) -> list[int]:
    """Ten requests with the key, one after another in one event loop (well within a second)."""

    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            headers = {"Authorization": f"Bearer {secret}"}
            return [(await client.get("/", headers=headers)).status_code for _ in range(10)]

    return asyncio.run(run())


def usage_total(admin: Keyhold, key_id: str, expected: int) -> int:
    """The usage API's total for the key once it reaches `expected` (usage is buffered), or its count after 20 s."""
    deadline = time.monotonic() + 20
    while True:
        total = admin.usage(key_id=key_id, range="24h")["totals"]["total"]
        if total >= expected or time.monotonic() > deadline:
            return total
        time.sleep(0.5)


@pytest.fixture
def limited(admin: Keyhold, server: Server, monkeypatch: pytest.MonkeyPatch) -> KeyWithSecret:
    """A fresh key limited to 2 requests a minute, with KEYHOLD_ENDPOINT and KEYHOLD_SERVICE_TOKEN set for the default
    verifier the middleware makes."""
    monkeypatch.setenv("KEYHOLD_ENDPOINT", server.endpoint)
    monkeypatch.setenv("KEYHOLD_SERVICE_TOKEN", server.service_token)
    return admin.keys.create(
        name=f"py-exact-{uuid.uuid4().hex[:10]}", scopes=["write"], environment="test", rate_limit=2
    )


def check(app: Any, admin: Keyhold, key: KeyWithSecret) -> None:
    statuses = ten_statuses(app, key["secret"])
    assert statuses.count(200) == 2, statuses
    assert statuses.count(429) == 8, statuses
    assert usage_total(admin, key["key"]["id"], 10) == 10


def test_pure_asgi_two_of_ten_pass_and_usage_counts_ten(admin: Keyhold, limited: KeyWithSecret) -> None:
    check(KeyholdMiddleware(ok_app, scope="write"), admin, limited)


def test_starlette_two_of_ten_pass_and_usage_counts_ten(admin: Keyhold, limited: KeyWithSecret) -> None:
    pytest.importorskip("starlette")
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    async def home(request: Any) -> PlainTextResponse:
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/", home)], middleware=[Middleware(KeyholdMiddleware, scope="write")])
    check(app, admin, limited)


def test_fastapi_two_of_ten_pass_and_usage_counts_ten(admin: Keyhold, limited: KeyWithSecret) -> None:
    fastapi = pytest.importorskip("fastapi")

    app = fastapi.FastAPI()
    app.add_middleware(KeyholdMiddleware, scope="write")

    def home() -> str:
        return "ok"

    app.add_api_route("/", home)

    check(app, admin, limited)
