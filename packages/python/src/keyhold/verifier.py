"""Verifier and AsyncVerifier: ask Keyhold's /api/v1/verify whether a key is good, every time; failing closed."""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from ._http import USER_AGENT
from .config import normalise_endpoint
from .errors import DEFAULT_MESSAGES, ERROR_CODES, KeyholdConfigError

logger = logging.getLogger("keyhold")

# The verdicts of /api/v1/verify, and SERVICE_UNAVAILABLE: this package's own, when Keyhold gave no usable answer.
VerifyCode = Literal[
    "VALID",
    "NOT_FOUND",
    "EXPIRED",
    "REVOKED",
    "INSUFFICIENT_SCOPE",
    "INSUFFICIENT_PERMISSIONS",
    "IP_NOT_ALLOWED",
    "ACCOUNT_SUSPENDED",
    "RATE_LIMITED",
    "USAGE_EXCEEDED",
    "SERVICE_UNAVAILABLE",
]

# The longest an opt-in refusal cache may reuse a refusal (refusal_cache_ttl).
MAX_REFUSAL_CACHE_TTL = 5.0
MAX_COST = 10_000
_SCOPES = ("read", "write", "admin")
# The REST code of a verdict: Keyhold's own API answers an unknown key as invalid_key (see gatewayVerdict).
_REST_CODES = {"NOT_FOUND": "invalid_key", "EXPIRED": "expired_key", "REVOKED": "revoked_key"}


@dataclass(frozen=True)
class RateLimit:
    """The key's rate-limit window, when the request was counted (VALID and RATE_LIMITED)."""

    limit: int
    remaining: int
    reset: int  # Unix time (seconds) when the window ends


@dataclass(frozen=True)
class Credits:
    """What a key with credits has left (VALID and USAGE_EXCEEDED)."""

    remaining: int


@dataclass(frozen=True)
class Verification:
    """The answer of /api/v1/verify: `valid`, its `code`, and the key's identity when it was found.

    `error` says why, when the verdict is SERVICE_UNAVAILABLE (Keyhold could not be reached or gave no usable answer).
    """

    valid: bool
    code: VerifyCode
    key_id: str | None = None
    owner_id: str | None = None
    organization_id: str | None = None
    client_id: str | None = None
    scopes: tuple[str, ...] = ()
    permissions: tuple[str, ...] = ()
    expires_at: str | None = None
    ratelimit: RateLimit | None = None
    credits: Credits | None = None
    error: str | None = field(default=None, compare=False)

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> Verification:
        """The Verification for a verify answer's JSON body."""
        ratelimit = body.get("ratelimit")
        credits = body.get("credits")
        return cls(
            valid=body["valid"] is True,
            code=body["code"],
            key_id=body.get("keyId"),
            owner_id=body.get("ownerId"),
            organization_id=body.get("organizationId"),
            client_id=body.get("clientId"),
            scopes=tuple(body.get("scopes") or ()),
            permissions=tuple(body.get("permissions") or ()),
            expires_at=body.get("expiresAt"),
            ratelimit=RateLimit(ratelimit["limit"], ratelimit["remaining"], ratelimit["reset"]) if ratelimit else None,
            credits=Credits(credits["remaining"]) if credits else None,
        )

    @classmethod
    def unavailable(cls, reason: str) -> Verification:
        """Not valid: Keyhold gave no usable answer (fail closed)."""
        return cls(valid=False, code="SERVICE_UNAVAILABLE", error=reason)

    @property
    def error_code(self) -> str | None:
        """The REST error code of a refusal (None when valid): missing the key aside, as Keyhold's own API answers."""
        if self.valid:
            return None
        return _REST_CODES.get(self.code, self.code.lower())

    @property
    def status(self) -> int:
        """The HTTP status to answer: 200 when valid, else the error code's status (lib/errors.ts)."""
        code = self.error_code
        return 200 if code is None else ERROR_CODES.get(code, 403)

    def retry_after(self, now: float | None = None) -> int | None:
        """Seconds to wait before retrying a RATE_LIMITED key (until its window ends, at least 1); None otherwise."""
        if self.code != "RATE_LIMITED":
            return None
        if self.ratelimit is None:
            return 1
        return max(1, math.ceil(self.ratelimit.reset - (time.time() if now is None else now)))

    def error_body(self) -> dict[str, dict[str, str]]:
        """Keyhold's error body for a refusal: {"error": {"code", "message"}}."""
        code = self.error_code or "invalid_key"
        return {"error": {"code": code, "message": DEFAULT_MESSAGES.get(code, "The API key was refused.")}}


@dataclass(frozen=True)
class VerifyRequest:
    """One verification's input, checked: what the cache is keyed by and what /api/v1/verify is sent."""

    key: str
    scope: str | None
    permissions: tuple[str, ...] | None
    cost: int | None
    ip: str | None

    def cache_key(self) -> tuple[Any, ...]:
        # The secret itself is not kept as a dictionary key: its SHA-256 stands for it.
        digest = hashlib.sha256(self.key.encode("utf-8")).digest()
        return (digest, self.scope, self.permissions, self.cost, self.ip)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"key": self.key}
        if self.scope is not None:
            body["scope"] = self.scope
        if self.permissions is not None:
            body["permissions"] = list(self.permissions)
        if self.cost is not None:
            body["cost"] = self.cost
        if self.ip is not None:
            body["ip"] = self.ip
        return body


def _storable(key: str) -> bool:
    # What /api/v1/verify would refuse as a malformed body (it answers 400 rather than a verdict), and control
    # characters: no such key exists (the TypeScript verifier draws the same line).
    if not 1 <= len(key) <= 200 or any(ord(c) < 0x20 or ord(c) == 0x7F for c in key):
        return False
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def verify_request(
    key: str,
    scope: str | None,
    permissions: Sequence[str] | None,
    cost: int | None,
    ip: str | None,
) -> VerifyRequest:
    """Checks a verification's arguments (ValueError naming the argument) and normalises them for the cache."""
    if not isinstance(key, str):
        raise ValueError("key must be a string")
    if scope is not None and scope not in _SCOPES:
        raise ValueError("scope must be read, write or admin")
    if permissions is not None:
        if isinstance(permissions, str) or not all(isinstance(p, str) for p in permissions):
            raise ValueError("permissions must be a list of permission names")
        permissions = tuple(sorted(set(permissions)))
    if cost is not None and (isinstance(cost, bool) or not isinstance(cost, int) or not 0 <= cost <= MAX_COST):
        raise ValueError(f"cost must be a whole number from 0 to {MAX_COST}")
    if ip is not None:
        try:
            ip = str(ipaddress.ip_address(ip))
        except ValueError:
            raise ValueError("ip must be an IPv4 or IPv6 address") from None
    return VerifyRequest(key, scope, permissions, cost, ip)


def normalise_ip(address: str | None) -> str | None:
    """A socket address as Keyhold's allowlists read it: IPv4-mapped IPv6 as IPv4, no zone (%eth0); None for anything
    that is not an address (sent without one, a key with an allowlist is refused)."""
    if not address:
        return None
    try:
        parsed = ipaddress.ip_address(address.strip().split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(parsed)


class VerificationCache:
    """The opt-in refusal cache (refusal_cache_ttl): refusals that no rate limit or credits decided (unknown, revoked
    or expired key, missing scope or permission, IP not allowed), reused for `ttl` seconds. Never a success, never a
    rate-limit or credits refusal, never SERVICE_UNAVAILABLE."""

    def __init__(self, ttl: float, clock: Callable[[], float], max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self._clock = clock
        self._max_entries = max_entries
        self._entries: dict[tuple[Any, ...], tuple[float, Verification]] = {}
        self._lock = threading.Lock()

    def get(self, request: VerifyRequest) -> Verification | None:
        """The cached verdict for this request, if it is still fresh."""
        if self.ttl <= 0:
            return None
        with self._lock:
            entry = self._entries.get(request.cache_key())
            if entry is None:
                return None
            if self._clock() >= entry[0]:
                del self._entries[request.cache_key()]
                return None
            return entry[1]

    def put(self, request: VerifyRequest, answer: Verification) -> None:
        """Keeps a refusal for `ttl` seconds when the rules allow."""
        if self.ttl <= 0 or not _reusable(answer):
            return
        lifetime = self.ttl
        now = self._clock()
        with self._lock:
            if len(self._entries) >= self._max_entries:
                for k in [k for k, (expires, _) in self._entries.items() if expires <= now]:
                    del self._entries[k]
                if len(self._entries) >= self._max_entries:
                    self._entries.pop(next(iter(self._entries)))
            self._entries[request.cache_key()] = (now + lifetime, answer)

    def clear(self) -> None:
        """Forgets every verdict."""
        with self._lock:
            self._entries.clear()


def _reusable(answer: Verification) -> bool:
    """Whether a verdict may be reused: a refusal that no rate limit or credits metered, and Keyhold's own."""
    return (
        not answer.valid
        and answer.code != "SERVICE_UNAVAILABLE"
        and answer.ratelimit is None
        and answer.credits is None
    )


def _answer(response: httpx.Response) -> Verification:
    """The verdict in a verify answer; SERVICE_UNAVAILABLE for anything but a well-formed 200."""
    if response.status_code != 200:
        try:
            error = response.json()["error"]
            detail = f"{error['code']}: {error['message']}"
        except (ValueError, KeyError, TypeError):
            detail = response.reason_phrase
        reason = f"/api/v1/verify answered {response.status_code} ({detail})"
        logger.warning("keyhold: key verification failed closed: %s", reason)
        return Verification.unavailable(reason)
    try:
        return Verification.from_json(response.json())
    except (ValueError, KeyError, TypeError):
        logger.warning("keyhold: /api/v1/verify answered a body that is not a verdict")
        return Verification.unavailable("/api/v1/verify answered a body that is not a verdict")


def _unreachable(err: httpx.TransportError) -> Verification:
    reason = f"/api/v1/verify got no answer ({type(err).__name__}: {err})"
    logger.warning("keyhold: key verification failed closed: %s", reason)
    return Verification.unavailable(reason)


class _VerifierBase:
    def __init__(
        self,
        endpoint: str | None,
        service_token: str | None,
        refusal_cache_ttl: float,
        timeout: float,
        clock: Callable[[], float],
    ) -> None:
        url = endpoint or os.environ.get("KEYHOLD_ENDPOINT")
        token = service_token or os.environ.get("KEYHOLD_SERVICE_TOKEN")
        if not url:
            raise KeyholdConfigError("no endpoint: pass endpoint= or set KEYHOLD_ENDPOINT")
        if not token:
            raise KeyholdConfigError("no service token: pass service_token= or set KEYHOLD_SERVICE_TOKEN")
        if not 0 <= refusal_cache_ttl <= MAX_REFUSAL_CACHE_TTL:
            raise ValueError(f"refusal_cache_ttl must be from 0 to {MAX_REFUSAL_CACHE_TTL:g} seconds")
        self.endpoint = normalise_endpoint(url, "endpoint")
        self.timeout = timeout
        self._url = self.endpoint + "/api/v1/verify"
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        self.cache = VerificationCache(refusal_cache_ttl, clock)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(endpoint={self.endpoint!r}, refusal_cache_ttl={self.cache.ttl!r})"


class Verifier(_VerifierBase):
    """Verifies keys for a gateway with Keyhold's service token, asking Keyhold every time (so rate limits, credits and
    usage counting hold) and failing closed: when Keyhold cannot be reached or errs, the answer is not valid
    (SERVICE_UNAVAILABLE).

    `refusal_cache_ttl` (seconds, 0 to 5, default 0: off) reuses refusals that no rate limit or credits decided
    (unknown, revoked or expired key, missing scope or permission, IP not allowed) without asking Keyhold: those
    repeats are not counted in usage, and a key that becomes acceptable is still refused for up to that long.
    Missing endpoint or service token: KeyholdConfigError at construction.
    """

    def __init__(
        self,
        endpoint: str | None = None,
        service_token: str | None = None,
        *,
        refusal_cache_ttl: float = 0.0,
        timeout: float = 5.0,
        http_client: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(endpoint, service_token, refusal_cache_ttl, timeout, clock)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout)

    def verify(
        self,
        key: str,
        scope: str | None = None,
        permissions: Sequence[str] | None = None,
        cost: int | None = None,
        ip: str | None = None,
    ) -> Verification:
        """Whether `key` is good for `scope` and every one of `permissions`, spending `cost` credits, from `ip`."""
        request = verify_request(key, scope, permissions, cost, ip)
        if not _storable(request.key):
            return Verification(valid=False, code="NOT_FOUND")
        cached = self.cache.get(request)
        if cached is not None:
            return cached
        try:
            response = self._http.post(self._url, json=request.body(), headers=self._headers, timeout=self.timeout)
        except httpx.TransportError as err:
            return _unreachable(err)
        answer = _answer(response)
        self.cache.put(request, answer)
        return answer

    def close(self) -> None:
        """Closes the HTTP connections (not those of an http_client passed in)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Verifier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncVerifier(_VerifierBase):
    """Verifier for asyncio code (the ASGI middleware uses it): the same rules, with httpx.AsyncClient."""

    def __init__(
        self,
        endpoint: str | None = None,
        service_token: str | None = None,
        *,
        refusal_cache_ttl: float = 0.0,
        timeout: float = 5.0,
        http_client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(endpoint, service_token, refusal_cache_ttl, timeout, clock)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=timeout)

    async def verify(
        self,
        key: str,
        scope: str | None = None,
        permissions: Sequence[str] | None = None,
        cost: int | None = None,
        ip: str | None = None,
    ) -> Verification:
        """Whether `key` is good for `scope` and every one of `permissions`, spending `cost` credits, from `ip`."""
        request = verify_request(key, scope, permissions, cost, ip)
        if not _storable(request.key):
            return Verification(valid=False, code="NOT_FOUND")
        cached = self.cache.get(request)
        if cached is not None:
            return cached
        try:
            response = await self._http.post(
                self._url, json=request.body(), headers=self._headers, timeout=self.timeout
            )
        except httpx.TransportError as err:
            return _unreachable(err)
        answer = _answer(response)
        self.cache.put(request, answer)
        return answer

    async def aclose(self) -> None:
        """Closes the HTTP connections (not those of an http_client passed in)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncVerifier:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
