"""KeyholdMiddleware: pure ASGI middleware (Starlette, FastAPI, any ASGI app) letting only verified API keys through."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from .errors import DEFAULT_MESSAGES
from .verifier import AsyncVerifier, Verification, normalise_ip, verify_request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def presented_key(headers: Sequence[tuple[bytes, bytes]]) -> str | None:
    """The API key of a request: `Authorization: Bearer <key>`, else `X-API-Key: <key>` (as Keyhold's own API reads)."""
    bearer: str | None = None
    api_key: str | None = None
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"authorization" and bearer is None:
            scheme, _, token = value.decode("latin-1").strip().partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                bearer = token.strip()
        elif lowered == b"x-api-key" and api_key is None:
            api_key = value.decode("latin-1").strip() or None
    return bearer or api_key


def client_host(scope: Scope) -> str | None:
    """The address of the peer as the ASGI server reports it (behind a proxy, run the server with its proxy-headers
    option, or pass `client_ip=` to read the address another way)."""
    client = scope.get("client")
    return normalise_ip(client[0]) if client else None


class KeyholdMiddleware:
    """Verifies the request's API key with Keyhold before the app runs.

    A good key: the Verification goes to ``scope["state"]["keyhold"]`` (``request.state.keyhold`` in Starlette/FastAPI)
    and the app's answer gets the X-RateLimit-* headers. A refused key: Keyhold's status and error body
    ``{"error": {"code", "message"}}`` (401 missing_key/invalid_key/expired_key/revoked_key, 403 insufficient_scope…,
    429 rate_limited with Retry-After, 429 usage_exceeded), and 503 service_unavailable when Keyhold cannot answer.

    ``app.add_middleware(KeyholdMiddleware, scope="write", permissions=["inference:write"], cost=1)`` reads the endpoint
    and service token from KEYHOLD_ENDPOINT / KEYHOLD_SERVICE_TOKEN unless a ``verifier`` is given. ``exclude`` lists
    paths served without a key (health checks): "/health" covers /health and /health/…, not /healthz.
    """

    def __init__(
        self,
        app: ASGIApp,
        verifier: AsyncVerifier | None = None,
        *,
        scope: str | None = None,
        permissions: Sequence[str] | None = None,
        cost: int | None = None,
        client_ip: Callable[[Scope], str | None] = client_host,
        exclude: Sequence[str] = (),
    ) -> None:
        # The requirements are checked now (ValueError naming the argument), not at the first request.
        verify_request("kh", scope, permissions, cost, None)
        self.app = app
        self.verifier = verifier if verifier is not None else AsyncVerifier()
        self.required_scope = scope
        self.permissions = list(permissions) if permissions is not None else None
        self.cost = cost
        self.client_ip = client_ip
        self.exclude = tuple(p.rstrip("/") for p in exclude)

    def _excluded(self, path: str) -> bool:
        # "/health" covers /health and /health/…, not /healthz: a prefix must end at a path segment.
        return any(path == p or path.startswith(p + "/") for p in self.exclude)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self._excluded(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        key = presented_key(scope.get("headers", ()))
        verification = (
            await self.verifier.verify(
                key,
                scope=self.required_scope,
                permissions=self.permissions,
                cost=self.cost,
                ip=normalise_ip(self.client_ip(scope)),
            )
            if key is not None
            else None
        )
        if verification is None or not verification.valid:
            if scope["type"] == "websocket":
                await receive()  # websocket.connect; closing before accepting refuses the handshake (403)
                await send({"type": "websocket.close", "code": 1008})
                return
            await _refuse(send, verification)
            return
        scope.setdefault("state", {})["keyhold"] = verification
        extra = _limit_headers(verification)
        if not extra:
            await self.app(scope, receive, send)
            return

        async def send_with_limits(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_limits)


def _limit_headers(verification: Verification) -> list[tuple[bytes, bytes]]:
    """The X-RateLimit-* headers of a request Keyhold counted against the key's limit."""
    limits = verification.ratelimit
    if limits is None:
        return []
    return [
        (b"x-ratelimit-limit", str(limits.limit).encode()),
        (b"x-ratelimit-remaining", str(limits.remaining).encode()),
        (b"x-ratelimit-reset", str(limits.reset).encode()),
    ]


async def _refuse(send: Send, verification: Verification | None) -> None:
    """Answers Keyhold's error body for a missing (None) or refused key."""
    if verification is None:
        status, body = 401, {"error": {"code": "missing_key", "message": DEFAULT_MESSAGES["missing_key"]}}
    else:
        status, body = verification.status, verification.error_body()
    headers = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]
    if verification is not None:
        headers.extend(_limit_headers(verification))
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="keyhold"'))
    retry_after = verification.retry_after() if verification is not None else None
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    payload = json.dumps(body).encode()
    headers.append((b"content-length", str(len(payload)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
