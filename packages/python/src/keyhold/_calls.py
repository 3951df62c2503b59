"""Each REST call as data (method, path, query, body): built once here for both Keyhold and AsyncKeyhold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from enum import Enum
from typing import Any
from urllib.parse import quote

from ._http import Call
from .types import AllowlistInput, Environment, KeyCredits, Scope


class NotGiven(Enum):
    """The type of NOT_GIVEN."""

    NOT_GIVEN = "NOT_GIVEN"


# Marks an update argument left out (None means "clear it": no expiry, the plan's rate limit, unlimited credits).
NOT_GIVEN = NotGiven.NOT_GIVEN

DateLike = datetime | str
CreditsInput = KeyCredits | Mapping[str, Any]


def _date_text(value: datetime) -> str:
    # Milliseconds at most: the API's date parser reads up to three fraction digits.
    return value.isoformat(timespec="milliseconds")


def _expiry(value: DateLike) -> str:
    """An ISO 8601 date-time for the API; a datetime must carry its time zone (the API needs the offset)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("expires_at must be a timezone-aware datetime (for example datetime.now(timezone.utc))")
        return _date_text(value)
    return value


def _allowlist(entries: AllowlistInput) -> list[dict[str, str]]:
    return [{"value": e} if isinstance(e, str) else {k: str(v) for k, v in e.items()} for e in entries]


def _segment(value: str, name: str) -> str:
    """`value` escaped as one path segment; `name` is the argument a ValueError names when it is not a non-empty str."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string")
    return quote(value, safe="")


def _key_path(key_id: str, suffix: str = "") -> str:
    return f"/api/v1/keys/{_segment(key_id, 'key_id')}{suffix}"


def whoami() -> Call:
    """GET /api/v1/whoami."""
    return Call("GET", "/api/v1/whoami")


def usage(
    range: str | None,
    from_: DateLike | None,
    to: DateLike | None,
    interval: str | None,
    key_id: str | None,
    tz: str | None,
) -> Call:
    """GET /api/v1/usage; a naive datetime is wall-clock time in `tz` (as the API reads a date without offset)."""
    given = {
        "range": range,
        "from": _date_text(from_) if isinstance(from_, datetime) else from_,
        "to": _date_text(to) if isinstance(to, datetime) else to,
        "interval": interval,
        "keyId": key_id,
        "tz": tz,
    }
    return Call("GET", "/api/v1/usage", params={k: v for k, v in given.items() if v is not None})


def list_audit(
    action: str | None,
    actor_id: str | None,
    key_id: str | None,
    from_: DateLike | None,
    to: DateLike | None,
    cursor: str | None,
    limit: int | None,
) -> Call:
    """GET /api/v1/audit; a datetime is sent as ISO 8601 (a naive one as UTC)."""
    given: dict[str, str | int | None] = {
        "action": action,
        "actorId": actor_id,
        "keyId": key_id,
        "from": _instant(from_),
        "to": _instant(to),
        "cursor": cursor,
        "limit": limit,
    }
    return Call("GET", "/api/v1/audit", params={k: v for k, v in given.items() if v is not None})


def _instant(value: DateLike | None) -> str | None:
    """An instant for the audit filters: a datetime as ISO 8601 with its offset (naive: UTC), a string as given."""
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def report_leak(key: str, url: str | None) -> Call:
    """POST /api/v1/leaks/report: sent once (as every POST but revoke)."""
    body: dict[str, Any] = {"key": key}
    if url is not None:
        body["url"] = url
    return Call("POST", "/api/v1/leaks/report", body=body, idempotent=False)


def members() -> Call:
    """GET /api/v1/members."""
    return Call("GET", "/api/v1/members")


def organization() -> Call:
    """GET /api/v1/organization."""
    return Call("GET", "/api/v1/organization")


def list_permissions() -> Call:
    """GET /api/v1/permissions."""
    return Call("GET", "/api/v1/permissions")


def list_keys(cursor: str | None, limit: int | None) -> Call:
    """GET /api/v1/keys."""
    params: dict[str, str | int] = {}
    if cursor is not None:
        params["cursor"] = cursor
    if limit is not None:
        params["limit"] = limit
    return Call("GET", "/api/v1/keys", params=params)


def get_key(key_id: str) -> Call:
    """GET /api/v1/keys/{id}."""
    return Call("GET", _key_path(key_id))


def create_key(
    name: str,
    scopes: Sequence[Scope],
    environment: Environment,
    permissions: Sequence[str] | None,
    expires_at: DateLike | None,
    ip_allowlist: AllowlistInput | None,
    rate_limit: int | None,
    credits: CreditsInput | None,
) -> Call:
    """POST /api/v1/keys: not idempotent (a lost answer may have created the key)."""
    body: dict[str, Any] = {"name": name, "environment": environment, "scopes": list(scopes)}
    if permissions is not None:
        body["permissions"] = list(permissions)
    if expires_at is not None:
        body["expiresAt"] = _expiry(expires_at)
    if ip_allowlist is not None:
        body["ipAllowlist"] = _allowlist(ip_allowlist)
    if rate_limit is not None:
        body["rateLimit"] = rate_limit
    if credits is not None:
        body["credits"] = dict(credits)
    return Call("POST", "/api/v1/keys", body=body, idempotent=False)


def update_key(
    key_id: str,
    name: str | NotGiven,
    scopes: Sequence[Scope] | NotGiven,
    permissions: Sequence[str] | NotGiven,
    expires_at: DateLike | None | NotGiven,
    ip_allowlist: AllowlistInput | NotGiven,
    rate_limit: int | None | NotGiven,
    credits: CreditsInput | None | NotGiven,
) -> Call:
    """PATCH /api/v1/keys/{id} with the fields given (the same changes twice give the same key: idempotent)."""
    body: dict[str, Any] = {}
    if not isinstance(name, NotGiven):
        body["name"] = name
    if not isinstance(scopes, NotGiven):
        body["scopes"] = list(scopes)
    if not isinstance(permissions, NotGiven):
        body["permissions"] = list(permissions)
    if not isinstance(expires_at, NotGiven):
        body["expiresAt"] = None if expires_at is None else _expiry(expires_at)
    if not isinstance(ip_allowlist, NotGiven):
        body["ipAllowlist"] = _allowlist(ip_allowlist)
    if not isinstance(rate_limit, NotGiven):
        body["rateLimit"] = rate_limit
    if not isinstance(credits, NotGiven):
        body["credits"] = None if credits is None else dict(credits)
    return Call("PATCH", _key_path(key_id), body=body)


def rotate_key(key_id: str, grace_period_seconds: int) -> Call:
    """POST /api/v1/keys/{id}/rotate: not idempotent (each call issues another secret)."""
    body = {"gracePeriodSeconds": grace_period_seconds}
    return Call("POST", _key_path(key_id, "/rotate"), body=body, idempotent=False)


def revoke_key(key_id: str) -> Call:
    """POST /api/v1/keys/{id}/revoke: idempotent."""
    return Call("POST", _key_path(key_id, "/revoke"))


def _webhook_path(webhook_id: str, suffix: str = "") -> str:
    return f"/api/v1/webhooks/{_segment(webhook_id, 'webhook_id')}{suffix}"


def list_webhooks() -> Call:
    """GET /api/v1/webhooks."""
    return Call("GET", "/api/v1/webhooks")


def create_webhook(url: str, events: Sequence[str], description: str | None) -> Call:
    """POST /api/v1/webhooks: not idempotent (each call adds an endpoint with its own secret)."""
    body: dict[str, Any] = {"url": url, "events": list(events)}
    if description is not None:
        body["description"] = description
    return Call("POST", "/api/v1/webhooks", body=body, idempotent=False)


def get_webhook(webhook_id: str) -> Call:
    """GET /api/v1/webhooks/{id}."""
    return Call("GET", _webhook_path(webhook_id))


def update_webhook(
    webhook_id: str,
    url: str | NotGiven,
    events: Sequence[str] | NotGiven,
    description: str | NotGiven,
    enabled: bool | NotGiven,
) -> Call:
    """PATCH /api/v1/webhooks/{id} with the fields given."""
    given: dict[str, Any] = {"url": url, "events": events, "description": description, "enabled": enabled}
    body = {k: (list(v) if k == "events" else v) for k, v in given.items() if not isinstance(v, NotGiven)}
    return Call("PATCH", _webhook_path(webhook_id), body=body)


def delete_webhook(webhook_id: str) -> Call:
    """DELETE /api/v1/webhooks/{id}."""
    return Call("DELETE", _webhook_path(webhook_id))


def webhook_deliveries(webhook_id: str, cursor: str | None, limit: int | None) -> Call:
    """GET /api/v1/webhooks/{id}/deliveries."""
    params: dict[str, str | int] = {}
    if cursor is not None:
        params["cursor"] = cursor
    if limit is not None:
        params["limit"] = limit
    return Call("GET", _webhook_path(webhook_id, "/deliveries"), params=params)


def redeliver(webhook_id: str, delivery_id: str) -> Call:
    """POST /api/v1/webhooks/{id}/deliveries/{d}/retry: not idempotent (each call queues another attempt)."""
    path = _webhook_path(webhook_id, f"/deliveries/{_segment(delivery_id, 'delivery_id')}/retry")
    return Call("POST", path, idempotent=False)


def test_webhook(webhook_id: str) -> Call:
    """POST /api/v1/webhooks/{id}/test: not idempotent (each call queues another test event)."""
    return Call("POST", _webhook_path(webhook_id, "/test"), idempotent=False)
