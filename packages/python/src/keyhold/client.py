"""Keyhold: the REST client (whoami, keys, usage, members, organization, permissions) with retries and timeouts."""

from __future__ import annotations

import builtins
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from enum import Enum
from typing import Any, cast
from urllib.parse import quote

import httpx

from . import _http
from .config import resolve_settings
from .errors import KeyholdError
from .types import (
    AllowlistInput,
    Environment,
    Interval,
    Key,
    KeyCredits,
    KeyList,
    KeyWithSecret,
    Member,
    Organization,
    Permission,
    Scope,
    Usage,
    Whoami,
)


class _NotGiven(Enum):
    NOT_GIVEN = "NOT_GIVEN"


# Marks an update argument left out (None means "clear it": no expiry, the plan's rate limit, unlimited credits).
NOT_GIVEN = _NotGiven.NOT_GIVEN

DateLike = datetime | str
CreditsInput = KeyCredits | Mapping[str, Any]


def _iso(value: DateLike, what: str) -> str:
    """An ISO 8601 date-time for the API; a datetime must carry its time zone (the API needs the offset)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{what} must be a timezone-aware datetime (for example datetime.now(timezone.utc))")
        return _date_text(value)
    return value


def _date_text(value: datetime) -> str:
    # Milliseconds at most: the API's date parser reads up to three fraction digits.
    return value.isoformat(timespec="milliseconds")


def _allowlist(entries: AllowlistInput) -> list[dict[str, str]]:
    return [{"value": e} if isinstance(e, str) else {k: str(v) for k, v in e.items()} for e in entries]


def _key_path(key_id: str, suffix: str = "") -> str:
    if not isinstance(key_id, str) or not key_id:
        raise ValueError("key_id must be a non-empty string")
    return f"/api/v1/keys/{quote(key_id, safe='')}{suffix}"


def _create_body(
    name: str,
    scopes: Sequence[Scope],
    environment: Environment,
    permissions: Sequence[str] | None,
    expires_at: DateLike | None,
    ip_allowlist: AllowlistInput | None,
    rate_limit: int | None,
    credits: CreditsInput | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "environment": environment, "scopes": list(scopes)}
    if permissions is not None:
        body["permissions"] = list(permissions)
    if expires_at is not None:
        body["expiresAt"] = _iso(expires_at, "expires_at")
    if ip_allowlist is not None:
        body["ipAllowlist"] = _allowlist(ip_allowlist)
    if rate_limit is not None:
        body["rateLimit"] = rate_limit
    if credits is not None:
        body["credits"] = dict(credits)
    return body


def _update_body(changes: Mapping[str, Any]) -> dict[str, Any]:
    wire = {
        "name": "name",
        "scopes": "scopes",
        "permissions": "permissions",
        "expires_at": "expiresAt",
        "ip_allowlist": "ipAllowlist",
        "rate_limit": "rateLimit",
        "credits": "credits",
    }
    body: dict[str, Any] = {}
    for arg, value in changes.items():
        if value is NOT_GIVEN:
            continue
        if arg == "expires_at" and value is not None:
            value = _iso(value, "expires_at")
        elif arg == "ip_allowlist":
            value = _allowlist(value)
        elif arg in ("scopes", "permissions"):
            value = list(value)
        elif arg == "credits" and value is not None:
            value = dict(value)
        body[wire[arg]] = value
    return body


def _usage_params(
    range: str | None,
    from_: DateLike | None,
    to: DateLike | None,
    interval: str | None,
    key_id: str | None,
    tz: str | None,
) -> dict[str, str]:
    given = {
        "range": range,
        "from": _date_text(from_) if isinstance(from_, datetime) else from_,
        "to": _date_text(to) if isinstance(to, datetime) else to,
        "interval": interval,
        "keyId": key_id,
        "tz": tz,
    }
    return {name: value for name, value in given.items() if value is not None}


class Keyhold:
    """A client of Keyhold's REST API, authenticated by an API key.

    Settings come from the arguments, then KEYHOLD_API_KEY / KEYHOLD_CLIENT_ID / KEYHOLD_ENDPOINT, then the credentials
    file the keyhold CLI writes. Errors raise KeyholdError (status, code, message). Rate-limited calls (429) wait for
    Retry-After (at most `max_retry_delay` seconds) and are retried up to `max_retries` times, as are 503s and, for
    calls that are safe to repeat, other 5xx answers and lost connections.
    """

    def __init__(
        self,
        api_key: str | None = None,
        client_id: str | None = None,
        endpoint: str | None = None,
        profile: str | None = None,
        *,
        timeout: float = 10.0,
        max_retries: int = 2,
        max_retry_delay: float = 30.0,
        http_client: httpx.Client | None = None,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        settings = resolve_settings(api_key=api_key, client_id=client_id, endpoint=endpoint, profile=profile)
        self.endpoint = settings.endpoint
        self.client_id = settings.client_id
        self._api_key = settings.api_key
        self.max_retries = max_retries
        self.max_retry_delay = max_retry_delay
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout)
        self.keys = Keys(self)
        self.permissions = Permissions(self)

    def __repr__(self) -> str:
        return f"Keyhold(endpoint={self.endpoint!r}, api_key={self._api_key[:12] + '…'!r})"

    def __enter__(self) -> Keyhold:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Closes the HTTP connections (not those of an http_client passed in)."""
        if self._owns_http:
            self._http.close()

    def _headers(self) -> dict[str, str]:
        headers = {
            "Authorization": f"Bearer {self._api_key}",
            "Accept": "application/json",
            "User-Agent": _http.USER_AGENT,
        }
        if self.client_id:
            headers["X-Client-ID"] = self.client_id
        return headers

    def request(self, call: _http.Call) -> Any:
        """Sends one REST call (retrying as the class says) and answers its JSON body; raises KeyholdError."""
        attempt = 0
        while True:
            sent = True
            try:
                response = self._http.request(
                    call.method,
                    self.endpoint + call.path,
                    params=dict(call.params) if call.params else None,
                    json=call.body,
                    headers=self._headers(),
                )
            except httpx.TransportError as err:
                error = _http.transport_error(err, call)
                sent = not _http.never_sent(err)
            else:
                if response.status_code < 400:
                    return response.json()
                error = _http.error_from_response(response)
            delay = _http.retry_delay(
                error, attempt, idempotent=call.idempotent, sent=sent, max_delay=self.max_retry_delay
            )
            if delay is None or attempt >= self.max_retries:
                raise error
            time.sleep(delay)
            attempt += 1

    # GET /api/v1/whoami — the calling key, its organization and the organization's client ID.
    def whoami(self) -> Whoami:
        """The calling key, its organization and client ID."""
        return cast(Whoami, self.request(_http.Call("GET", "/api/v1/whoami")))

    # GET /api/v1/usage — requests over time by outcome, with totals (read scope).
    def usage(
        self,
        *,
        range: str | None = None,
        from_: DateLike | None = None,
        to: DateLike | None = None,
        interval: Interval | None = None,
        key_id: str | None = None,
        tz: str | None = None,
    ) -> Usage:
        """Usage over `range` ("24h", "7d", "30d") or from_/to, in minute/hour/day buckets, for one key or all."""
        params = _usage_params(range, from_, to, interval, key_id, tz)
        return cast(Usage, self.request(_http.Call("GET", "/api/v1/usage", params=params)))

    # GET /api/v1/members — the organization's members (read scope).
    def members(self) -> list[Member]:
        """The organization's members, in the order they joined."""
        return cast(list[Member], self.request(_http.Call("GET", "/api/v1/members"))["data"])

    # GET /api/v1/organization — the organization and its policies (read scope).
    def organization(self) -> Organization:
        """The calling key's organization and its policies."""
        return cast(Organization, self.request(_http.Call("GET", "/api/v1/organization")))


class Keys:
    """/api/v1/keys: the organization's keys."""

    def __init__(self, client: Keyhold) -> None:
        self._client = client

    def list(self, *, cursor: str | None = None, limit: int | None = None) -> KeyList:
        """One page of keys, newest first (read scope); `nextCursor` of the answer fetches the next page."""
        params: dict[str, str | int] = {}
        if cursor is not None:
            params["cursor"] = cursor
        if limit is not None:
            params["limit"] = limit
        return cast(KeyList, self._client.request(_http.Call("GET", "/api/v1/keys", params=params)))

    def iter(self, *, page_size: int = 100) -> Iterator[Key]:
        """Every key, newest first, fetching pages of `page_size` as it goes."""
        cursor: str | None = None
        while True:
            page = self.list(cursor=cursor, limit=page_size)
            yield from page["data"]
            cursor = page["nextCursor"]
            if not cursor:
                return

    def get(self, key_id: str) -> Key:
        """One key (read scope); KeyholdError 404 not_found for an id the organization does not have."""
        return cast(Key, self._client.request(_http.Call("GET", _key_path(key_id))))

    def create(
        self,
        *,
        name: str,
        scopes: Sequence[Scope],
        environment: Environment = "live",
        permissions: Sequence[str] | None = None,
        expires_at: DateLike | None = None,
        ip_allowlist: AllowlistInput | None = None,
        rate_limit: int | None = None,
        credits: CreditsInput | None = None,
    ) -> KeyWithSecret:
        """Creates a key (admin scope); the answer's `secret` is shown this once: store it now."""
        body = _create_body(name, scopes, environment, permissions, expires_at, ip_allowlist, rate_limit, credits)
        return cast(
            KeyWithSecret, self._client.request(_http.Call("POST", "/api/v1/keys", body=body, idempotent=False))
        )

    def update(
        self,
        key_id: str,
        *,
        name: str | _NotGiven = NOT_GIVEN,
        scopes: Sequence[Scope] | _NotGiven = NOT_GIVEN,
        permissions: Sequence[str] | _NotGiven = NOT_GIVEN,
        expires_at: DateLike | None | _NotGiven = NOT_GIVEN,
        ip_allowlist: AllowlistInput | _NotGiven = NOT_GIVEN,
        rate_limit: int | None | _NotGiven = NOT_GIVEN,
        credits: CreditsInput | None | _NotGiven = NOT_GIVEN,
    ) -> Key:
        """Changes the given fields of a key (admin scope); None clears expiry, rate limit (plan default) or credits."""
        body = _update_body(
            {
                "name": name,
                "scopes": scopes,
                "permissions": permissions,
                "expires_at": expires_at,
                "ip_allowlist": ip_allowlist,
                "rate_limit": rate_limit,
                "credits": credits,
            }
        )
        return cast(Key, self._client.request(_http.Call("PATCH", _key_path(key_id), body=body)))

    def rotate(self, key_id: str, *, grace_period_seconds: int = 0) -> KeyWithSecret:
        """Issues a new secret (admin scope); the old one keeps working for `grace_period_seconds` (0 to 604800)."""
        call = _http.Call(
            "POST",
            _key_path(key_id, "/rotate"),
            body={"gracePeriodSeconds": grace_period_seconds},
            idempotent=False,
        )
        return cast(KeyWithSecret, self._client.request(call))

    def regenerate(self, key_id: str, *, grace_period_seconds: int = 0) -> KeyWithSecret:
        """Another name for rotate()."""
        return self.rotate(key_id, grace_period_seconds=grace_period_seconds)

    def revoke(self, key_id: str) -> Key:
        """Revokes a key now (admin scope); revoking it again answers the same."""
        return cast(Key, self._client.request(_http.Call("POST", _key_path(key_id, "/revoke"))))


class Permissions:
    """/api/v1/permissions: the platform's permission catalogue."""

    def __init__(self, client: Keyhold) -> None:
        self._client = client

    def list(self) -> builtins.list[Permission]:
        """The catalogue, by name (any key)."""
        return cast(list[Permission], self._client.request(_http.Call("GET", "/api/v1/permissions"))["data"])


__all__ = ["Keyhold", "Keys", "Permissions", "NOT_GIVEN", "KeyholdError"]
