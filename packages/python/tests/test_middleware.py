"""KeyholdMiddleware on tiny ASGI apps (pure ASGI and Starlette) against the real fixture server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from keyhold import AsyncVerifier, KeyholdMiddleware
from keyhold.asgi import Message, Receive, Scope, Send
from keyhold.types import KeyWithSecret
from keyhold_fixture import Server

MakeKey = Callable[..., KeyWithSecret]


async def echo_key(scope: Scope, receive: Receive, send: Send) -> None:
    """A pure ASGI app that answers the verified key's id from the state the middleware set."""
    verification = scope["state"]["keyhold"]
    body = json.dumps({"keyId": verification.key_id, "path": scope["path"]}).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


async def open_app(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def calls(app: Any, *requests: tuple[str, dict[str, str]]) -> list[httpx.Response]:
    """Requests to `app` through httpx's ASGI transport, in order, in one event loop (as a server would run them)."""

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return [await client.get(path, headers=headers) for path, headers in requests]

    return asyncio.run(run())


def call(app: Any, path: str = "/", headers: dict[str, str] | None = None) -> httpx.Response:
    """One request to `app`."""
    return calls(app, (path, headers or {}))[0]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def protect(server: Server) -> Callable[..., KeyholdMiddleware]:
    """Wraps an app in KeyholdMiddleware with a fresh verifier (every request asks Keyhold)."""

    def wrap(app: Any = echo_key, **options: Any) -> KeyholdMiddleware:
        verifier = AsyncVerifier(endpoint=server.endpoint, service_token=server.service_token)
        return KeyholdMiddleware(app, verifier, **options)

    return wrap


def error_of(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"} and body["error"]["message"]
    return response.status_code, body["error"]["code"]


def test_a_good_key_reaches_the_handler(protect: Callable[..., KeyholdMiddleware], make_key: MakeKey) -> None:
    created = make_key(scopes=["write"])
    response = call(protect(scope="write"), "/things", bearer(created["secret"]))
    assert response.status_code == 200
    assert response.json() == {"keyId": created["key"]["id"], "path": "/things"}
    assert response.headers["x-ratelimit-limit"] == "60"
    assert int(response.headers["x-ratelimit-remaining"]) < 60


def test_x_api_key_works_too(protect: Callable[..., KeyholdMiddleware], make_key: MakeKey) -> None:
    created = make_key()
    response = call(protect(), "/", {"X-API-Key": created["secret"]})
    assert response.json()["keyId"] == created["key"]["id"]


def test_no_key_is_401_missing_key(protect: Callable[..., KeyholdMiddleware]) -> None:
    response = call(protect())
    assert error_of(response) == (401, "missing_key")
    assert response.headers["www-authenticate"] == 'Bearer realm="keyhold"'
    assert error_of(call(protect(), headers={"Authorization": "Basic abc"})) == (401, "missing_key")


def test_an_unknown_key_is_401_invalid_key(protect: Callable[..., KeyholdMiddleware]) -> None:
    assert error_of(call(protect(), headers=bearer("kh_test_" + "D" * 38))) == (401, "invalid_key")
    assert error_of(call(protect(), headers=bearer("x" * 500))) == (401, "invalid_key")


def test_a_revoked_key_is_401_revoked_key(
    protect: Callable[..., KeyholdMiddleware], make_key: MakeKey, admin: Any
) -> None:
    created = make_key()
    admin.keys.revoke(created["key"]["id"])
    assert error_of(call(protect(), headers=bearer(created["secret"]))) == (401, "revoked_key")


def test_a_key_without_the_scope_or_permissions_is_403(
    protect: Callable[..., KeyholdMiddleware], make_key: MakeKey
) -> None:
    created = make_key(scopes=["read"], permissions=["inference:read"])
    assert error_of(call(protect(scope="write"), headers=bearer(created["secret"]))) == (403, "insufficient_scope")
    denied = call(protect(permissions=["inference:write"]), headers=bearer(created["secret"]))
    assert error_of(denied) == (403, "insufficient_permissions")
    allowed = call(protect(permissions=["inference:read"]), headers=bearer(created["secret"]))
    assert allowed.status_code == 200


def test_a_rate_limited_key_is_429_with_retry_after(
    protect: Callable[..., KeyholdMiddleware], make_key: MakeKey
) -> None:
    created = make_key(rate_limit=1)
    first, limited = calls(protect(), ("/", bearer(created["secret"])), ("/", bearer(created["secret"])))
    assert first.status_code == 200
    assert error_of(limited) == (429, "rate_limited")
    assert 1 <= int(limited.headers["retry-after"]) <= 61
    assert limited.headers["x-ratelimit-remaining"] == "0"


def test_a_key_out_of_credits_is_429_usage_exceeded(
    protect: Callable[..., KeyholdMiddleware], make_key: MakeKey
) -> None:
    created = make_key(credits={"remaining": 2, "refill": None})
    first, exceeded = calls(protect(cost=2), ("/", bearer(created["secret"])), ("/", bearer(created["secret"])))
    assert first.status_code == 200
    assert error_of(exceeded) == (429, "usage_exceeded")


def test_an_unreachable_keyhold_is_503(make_key: MakeKey) -> None:
    verifier = AsyncVerifier(endpoint="http://127.0.0.1:9", service_token="svc")
    response = call(KeyholdMiddleware(echo_key, verifier), headers=bearer("kh_test_" + "E" * 38))
    assert error_of(response) == (503, "service_unavailable")


def test_excluded_paths_and_lifespan_pass_through(protect: Callable[..., KeyholdMiddleware]) -> None:
    health, below, healthz, other = calls(
        protect(open_app, exclude=["/health/"]), ("/health", {}), ("/health/db", {}), ("/healthz", {}), ("/other", {})
    )
    assert (health.status_code, below.status_code) == (204, 204)
    assert error_of(healthz) == (401, "missing_key")  # a prefix ends at a path segment
    assert error_of(other) == (401, "missing_key")

    sent: list[Message] = []

    async def lifespan_app(scope: Scope, receive: Receive, send: Send) -> None:
        sent.append({"type": scope["type"]})

    async def nothing() -> Message:
        return {"type": "lifespan.startup"}

    async def ignore(message: Message) -> None:
        return None

    asyncio.run(protect(lifespan_app)({"type": "lifespan"}, nothing, ignore))
    assert sent == [{"type": "lifespan"}]


def test_starlette_handlers_read_request_state_keyhold(server: Server, make_key: MakeKey) -> None:
    starlette = pytest.importorskip("starlette")
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def whoami(request: Request) -> JSONResponse:
        verification = request.state.keyhold
        return JSONResponse({"keyId": verification.key_id, "scopes": list(verification.scopes)})

    verifier = AsyncVerifier(endpoint=server.endpoint, service_token=server.service_token)
    app = Starlette(
        routes=[Route("/whoami", whoami)],
        middleware=[Middleware(KeyholdMiddleware, verifier=verifier, scope="read")],
    )
    assert starlette.__version__
    created = make_key()
    response, missing = calls(app, ("/whoami", bearer(created["secret"])), ("/whoami", {}))
    assert response.json() == {"keyId": created["key"]["id"], "scopes": ["read"]}
    assert error_of(missing) == (401, "missing_key")


def test_bad_requirements_fail_at_construction() -> None:
    verifier = AsyncVerifier(endpoint="http://127.0.0.1:9", service_token="svc")
    with pytest.raises(ValueError, match="scope"):
        KeyholdMiddleware(echo_key, verifier, scope="root")
    with pytest.raises(ValueError, match="cost"):
        KeyholdMiddleware(echo_key, verifier, cost=-1)


def test_a_websocket_without_a_key_is_refused_before_the_handshake(
    protect: Callable[..., KeyholdMiddleware],
) -> None:
    reached: list[str] = []
    sent: list[Message] = []

    async def ws_app(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append(scope["path"])

    async def receive() -> Message:
        return {"type": "websocket.connect"}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(protect(ws_app)({"type": "websocket", "path": "/ws", "headers": []}, receive, send))
    assert reached == []
    assert sent == [{"type": "websocket.close", "code": 1008}]


def test_the_client_address_reaches_the_allowlist(protect: Callable[..., KeyholdMiddleware], make_key: MakeKey) -> None:
    created = make_key(ip_allowlist=["10.0.0.7"])
    secret = bearer(created["secret"])
    mapped = call(protect(client_ip=lambda scope: "::ffff:10.0.0.7"), headers=secret)
    assert mapped.json()["keyId"] == created["key"]["id"]
    assert error_of(call(protect(), headers=secret)) == (403, "ip_not_allowed")  # httpx's ASGI client is 127.0.0.1
    # Something that is no address is left out (never a 500): the allowlisted key is then refused.
    assert error_of(call(protect(client_ip=lambda scope: "not-an-ip"), headers=secret)) == (403, "ip_not_allowed")
