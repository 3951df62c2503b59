"""Keyhold and AsyncKeyhold: the REST client (whoami, keys, usage, members, organization, permissions), with retries."""

from __future__ import annotations

import asyncio
import builtins
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any, cast

import httpx

from . import _calls, _http, webhooks
from ._calls import NOT_GIVEN, CreditsInput, DateLike, NotGiven
from .config import resolve_settings
from .types import (
    AllowlistInput,
    AuditEvent,
    AuditEventList,
    Environment,
    Interval,
    Key,
    KeyList,
    KeyWithSecret,
    LeakReportAccepted,
    Member,
    Organization,
    Permission,
    Scope,
    Usage,
    Webhook,
    WebhookDelivery,
    WebhookDeliveryList,
    WebhookTest,
    WebhookEvent,
    WebhookWithSecret,
    Whoami,
)

DEFAULT_TIMEOUT = 10.0


class _Client:
    """What both clients share: settings, headers, and what to do after each attempt."""

    def __init__(
        self,
        api_key: str | None,
        client_id: str | None,
        endpoint: str | None,
        profile: str | None,
        max_retries: int,
        max_retry_delay: float,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        settings = resolve_settings(api_key=api_key, client_id=client_id, endpoint=endpoint, profile=profile)
        self.endpoint = settings.endpoint
        self.client_id = settings.client_id
        self._api_key = settings.api_key
        self.max_retries = max_retries
        self.max_retry_delay = max_retry_delay

    def __repr__(self) -> str:
        return f"{type(self).__name__}(endpoint={self.endpoint!r}, api_key={self._api_key[:12] + '…'!r})"

    def _request_args(self, call: _http.Call) -> dict[str, Any]:
        headers = {
            "Authorization": f"Bearer {self._api_key}",
            "Accept": "application/json",
            "User-Agent": _http.USER_AGENT,
        }
        if self.client_id:
            headers["X-Client-ID"] = self.client_id
        return {
            "method": call.method,
            "url": self.endpoint + call.path,
            "params": dict(call.params) if call.params else None,
            "json": call.body,
            "headers": headers,
        }

    def _outcome(self, call: _http.Call, attempt: int, result: httpx.Response | httpx.TransportError) -> _Body | float:
        """The JSON body of a success; else raises the KeyholdError, or answers the seconds to wait before retrying."""
        if isinstance(result, httpx.Response):
            if result.status_code < 400:
                return _Body(_http.success_body(result))
            error = _http.error_from_response(result)
        else:
            error = _http.transport_error(result, call)
        delay = _http.retry_delay(error, attempt, idempotent=call.idempotent, max_delay=self.max_retry_delay)
        if delay is None or attempt >= self.max_retries:
            raise error
        return delay


class _Body:
    """A success's JSON body, told apart from a retry delay."""

    def __init__(self, value: Any) -> None:
        self.value = value


class Keyhold(_Client):
    """A client of Keyhold's REST API, authenticated by an API key.

    Settings come from the arguments, then KEYHOLD_API_KEY / KEYHOLD_CLIENT_ID / KEYHOLD_ENDPOINT, then the credentials
    file the keyhold CLI writes. Errors raise KeyholdError (status, code, message). Calls that are safe to repeat (GET,
    PATCH, DELETE, revoke) are retried up to `max_retries` times, with backoff of at most `max_retry_delay` seconds,
    after a network error, a timeout or a 5xx; creating and rotating are sent once. A 429 raises at once with
    `retry_after`: the client never waits for it.
    """

    def __init__(
        self,
        api_key: str | None = None,
        client_id: str | None = None,
        endpoint: str | None = None,
        profile: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        max_retry_delay: float = 10.0,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(api_key, client_id, endpoint, profile, max_retries, max_retry_delay)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout)
        self.keys = Keys(self)
        self.permissions = Permissions(self)
        self.webhooks = Webhooks(self)
        self.audit = Audit(self)

    def __enter__(self) -> Keyhold:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Closes the HTTP connections (not those of an http_client passed in)."""
        if self._owns_http:
            self._http.close()

    def _send(self, call: _http.Call) -> Any:
        """Sends one REST call (retrying as the class says) and answers its JSON body; raises KeyholdError."""
        attempt = 0
        while True:
            result: httpx.Response | httpx.TransportError
            try:
                result = self._http.request(**self._request_args(call))
            except httpx.TransportError as err:
                result = err
            outcome = self._outcome(call, attempt, result)
            if isinstance(outcome, _Body):
                return outcome.value
            time.sleep(outcome)
            attempt += 1

    def whoami(self) -> Whoami:
        """GET /api/v1/whoami — the calling key, its organization and client ID."""
        return cast(Whoami, self._send(_calls.whoami()))

    def report_leak(self, key: str, url: str | None = None) -> LeakReportAccepted:
        """POST /api/v1/leaks/report — report a Keyhold key found in a public place (`url`: where); always received."""
        return cast(LeakReportAccepted, self._send(_calls.report_leak(key, url)))

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
        """GET /api/v1/usage — usage over `range` ("24h", "7d", "30d") or from_/to, by minute/hour/day (read)."""
        return cast(Usage, self._send(_calls.usage(range, from_, to, interval, key_id, tz)))

    def members(self) -> list[Member]:
        """GET /api/v1/members — the organization's members, in the order they joined (read)."""
        return cast(list[Member], self._send(_calls.members())["data"])

    def organization(self) -> Organization:
        """GET /api/v1/organization — the calling key's organization and its policies (read)."""
        return cast(Organization, self._send(_calls.organization()))


class Keys:
    """/api/v1/keys: the organization's keys."""

    def __init__(self, client: Keyhold) -> None:
        self._client = client

    def list(self, *, cursor: str | None = None, limit: int | None = None) -> KeyList:
        """One page of keys, newest first (read scope); `nextCursor` of the answer fetches the next page."""
        return cast(KeyList, self._client._send(_calls.list_keys(cursor, limit)))

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
        return cast(Key, self._client._send(_calls.get_key(key_id)))

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
        call = _calls.create_key(name, scopes, environment, permissions, expires_at, ip_allowlist, rate_limit, credits)
        return cast(KeyWithSecret, self._client._send(call))

    def update(
        self,
        key_id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        scopes: Sequence[Scope] | NotGiven = NOT_GIVEN,
        permissions: Sequence[str] | NotGiven = NOT_GIVEN,
        expires_at: DateLike | None | NotGiven = NOT_GIVEN,
        ip_allowlist: AllowlistInput | NotGiven = NOT_GIVEN,
        rate_limit: int | None | NotGiven = NOT_GIVEN,
        credits: CreditsInput | None | NotGiven = NOT_GIVEN,
    ) -> Key:
        """Changes the given fields of a key (admin scope); None clears expiry, rate limit (plan default) or credits."""
        call = _calls.update_key(key_id, name, scopes, permissions, expires_at, ip_allowlist, rate_limit, credits)
        return cast(Key, self._client._send(call))

    def rotate(self, key_id: str, *, grace_period_seconds: int = 0) -> KeyWithSecret:
        """Issues a new secret (admin scope); the old one keeps working for `grace_period_seconds` (0 to 604800)."""
        return cast(KeyWithSecret, self._client._send(_calls.rotate_key(key_id, grace_period_seconds)))

    regenerate = rotate

    def revoke(self, key_id: str) -> Key:
        """Revokes a key now (admin scope); revoking it again answers the same."""
        return cast(Key, self._client._send(_calls.revoke_key(key_id)))


class Audit:
    """/api/v1/audit: the organization's audit log (an admin-scope key whose creator is an admin or owner)."""

    def __init__(self, client: Keyhold) -> None:
        self._client = client

    def list(
        self,
        *,
        action: str | None = None,
        actor_id: str | None = None,
        key_id: str | None = None,
        from_: DateLike | None = None,
        to: DateLike | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> AuditEventList:
        """One page of events, newest first; filters: action, acting user, acting key, from_ (inclusive), to
        (exclusive)."""
        call = _calls.list_audit(action, actor_id, key_id, from_, to, cursor, limit)
        return cast(AuditEventList, self._client._send(call))

    def iter(self, *, page_size: int = 100, **filters: Any) -> Iterator[AuditEvent]:
        """Every matching event, newest first, fetching pages of `page_size` as it goes."""
        cursor: str | None = None
        while True:
            page = self.list(cursor=cursor, limit=page_size, **filters)
            yield from page["data"]
            cursor = page["nextCursor"]
            if cursor is None:
                return


class Permissions:
    """/api/v1/permissions: the platform's permission catalogue."""

    def __init__(self, client: Keyhold) -> None:
        self._client = client

    def list(self) -> builtins.list[Permission]:
        """The catalogue, by name (any key)."""
        return cast(builtins.list[Permission], self._client._send(_calls.list_permissions())["data"])


class AsyncKeyhold(_Client):
    """Keyhold for asyncio code: the same settings, methods (awaited), errors and retries, on httpx.AsyncClient."""

    def __init__(
        self,
        api_key: str | None = None,
        client_id: str | None = None,
        endpoint: str | None = None,
        profile: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        max_retry_delay: float = 10.0,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(api_key, client_id, endpoint, profile, max_retries, max_retry_delay)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=timeout)
        self.keys = AsyncKeys(self)
        self.permissions = AsyncPermissions(self)
        self.webhooks = AsyncWebhooks(self)
        self.audit = AsyncAudit(self)

    async def __aenter__(self) -> AsyncKeyhold:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Closes the HTTP connections (not those of an http_client passed in)."""
        if self._owns_http:
            await self._http.aclose()

    async def _send(self, call: _http.Call) -> Any:
        """Sends one REST call (retrying as Keyhold does) and answers its JSON body; raises KeyholdError."""
        attempt = 0
        while True:
            result: httpx.Response | httpx.TransportError
            try:
                result = await self._http.request(**self._request_args(call))
            except httpx.TransportError as err:
                result = err
            outcome = self._outcome(call, attempt, result)
            if isinstance(outcome, _Body):
                return outcome.value
            await asyncio.sleep(outcome)
            attempt += 1

    async def whoami(self) -> Whoami:
        """GET /api/v1/whoami — the calling key, its organization and client ID."""
        return cast(Whoami, await self._send(_calls.whoami()))

    async def report_leak(self, key: str, url: str | None = None) -> LeakReportAccepted:
        """POST /api/v1/leaks/report — report a Keyhold key found in a public place (`url`: where); always received."""
        return cast(LeakReportAccepted, await self._send(_calls.report_leak(key, url)))

    async def usage(
        self,
        *,
        range: str | None = None,
        from_: DateLike | None = None,
        to: DateLike | None = None,
        interval: Interval | None = None,
        key_id: str | None = None,
        tz: str | None = None,
    ) -> Usage:
        """GET /api/v1/usage — usage over `range` ("24h", "7d", "30d") or from_/to, by minute/hour/day (read)."""
        return cast(Usage, await self._send(_calls.usage(range, from_, to, interval, key_id, tz)))

    async def members(self) -> list[Member]:
        """GET /api/v1/members — the organization's members, in the order they joined (read)."""
        return cast(list[Member], (await self._send(_calls.members()))["data"])

    async def organization(self) -> Organization:
        """GET /api/v1/organization — the calling key's organization and its policies (read)."""
        return cast(Organization, await self._send(_calls.organization()))


class AsyncKeys:
    """/api/v1/keys for AsyncKeyhold."""

    def __init__(self, client: AsyncKeyhold) -> None:
        self._client = client

    async def list(self, *, cursor: str | None = None, limit: int | None = None) -> KeyList:
        """One page of keys, newest first (read scope); `nextCursor` of the answer fetches the next page."""
        return cast(KeyList, await self._client._send(_calls.list_keys(cursor, limit)))

    async def iter(self, *, page_size: int = 100) -> AsyncIterator[Key]:
        """Every key, newest first, fetching pages of `page_size` as it goes."""
        cursor: str | None = None
        while True:
            page = await self.list(cursor=cursor, limit=page_size)
            for key in page["data"]:
                yield key
            cursor = page["nextCursor"]
            if not cursor:
                return

    async def get(self, key_id: str) -> Key:
        """One key (read scope); KeyholdError 404 not_found for an id the organization does not have."""
        return cast(Key, await self._client._send(_calls.get_key(key_id)))

    async def create(
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
        call = _calls.create_key(name, scopes, environment, permissions, expires_at, ip_allowlist, rate_limit, credits)
        return cast(KeyWithSecret, await self._client._send(call))

    async def update(
        self,
        key_id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        scopes: Sequence[Scope] | NotGiven = NOT_GIVEN,
        permissions: Sequence[str] | NotGiven = NOT_GIVEN,
        expires_at: DateLike | None | NotGiven = NOT_GIVEN,
        ip_allowlist: AllowlistInput | NotGiven = NOT_GIVEN,
        rate_limit: int | None | NotGiven = NOT_GIVEN,
        credits: CreditsInput | None | NotGiven = NOT_GIVEN,
    ) -> Key:
        """Changes the given fields of a key (admin scope); None clears expiry, rate limit (plan default) or credits."""
        call = _calls.update_key(key_id, name, scopes, permissions, expires_at, ip_allowlist, rate_limit, credits)
        return cast(Key, await self._client._send(call))

    async def rotate(self, key_id: str, *, grace_period_seconds: int = 0) -> KeyWithSecret:
        """Issues a new secret (admin scope); the old one keeps working for `grace_period_seconds` (0 to 604800)."""
        return cast(KeyWithSecret, await self._client._send(_calls.rotate_key(key_id, grace_period_seconds)))

    regenerate = rotate

    async def revoke(self, key_id: str) -> Key:
        """Revokes a key now (admin scope); revoking it again answers the same."""
        return cast(Key, await self._client._send(_calls.revoke_key(key_id)))


class AsyncAudit:
    """/api/v1/audit for AsyncKeyhold."""

    def __init__(self, client: AsyncKeyhold) -> None:
        self._client = client

    async def list(
        self,
        *,
        action: str | None = None,
        actor_id: str | None = None,
        key_id: str | None = None,
        from_: DateLike | None = None,
        to: DateLike | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> AuditEventList:
        """One page of events, newest first; filters: action, acting user, acting key, from_ (inclusive), to
        (exclusive)."""
        call = _calls.list_audit(action, actor_id, key_id, from_, to, cursor, limit)
        return cast(AuditEventList, await self._client._send(call))


class AsyncPermissions:
    """/api/v1/permissions for AsyncKeyhold."""

    def __init__(self, client: AsyncKeyhold) -> None:
        self._client = client

    async def list(self) -> builtins.list[Permission]:
        """The catalogue, by name (any key)."""
        return cast(builtins.list[Permission], (await self._client._send(_calls.list_permissions()))["data"])


__all__ = [
    "AsyncAudit",
    "AsyncKeyhold",
    "AsyncKeys",
    "AsyncPermissions",
    "Audit",
    "Keyhold",
    "Keys",
    "NOT_GIVEN",
    "Permissions",
]


class Webhooks:
    """The organization's webhook endpoints and their delivery log (an admin-scope key): `client.webhooks`."""

    def __init__(self, client: Keyhold) -> None:
        self._client = client

    @staticmethod
    def verify(payload: bytes | str, headers: Mapping[str, str], secret: str) -> WebhookEvent:
        """In your receiver: the event of a delivery signed with the endpoint's `secret` (whsec_…), less than 5 minutes
        old; raises KeyholdError `invalid_signature` otherwise (also `keyhold.webhooks.verify`, no client needed)."""
        return webhooks.verify(payload, headers, secret)

    def list(self) -> builtins.list[Webhook]:
        """Every endpoint."""
        return cast(builtins.list[Webhook], self._client._send(_calls.list_webhooks())["data"])

    def create(self, url: str, events: Sequence[str], *, description: str | None = None) -> WebhookWithSecret:
        """Adds an endpoint; the answer's `secret` (whsec_…) is shown this once."""
        return cast(WebhookWithSecret, self._client._send(_calls.create_webhook(url, events, description)))

    def get(self, webhook_id: str) -> Webhook:
        """One endpoint."""
        return cast(Webhook, self._client._send(_calls.get_webhook(webhook_id)))

    def update(
        self,
        webhook_id: str,
        *,
        url: str | NotGiven = NOT_GIVEN,
        events: Sequence[str] | NotGiven = NOT_GIVEN,
        description: str | NotGiven = NOT_GIVEN,
        enabled: bool | NotGiven = NOT_GIVEN,
    ) -> Webhook:
        """Changes the fields given."""
        call = _calls.update_webhook(webhook_id, url, events, description, enabled)
        return cast(Webhook, self._client._send(call))

    def delete(self, webhook_id: str) -> None:
        """Removes the endpoint with its delivery log."""
        self._client._send(_calls.delete_webhook(webhook_id))

    def deliveries(
        self, webhook_id: str, *, cursor: str | None = None, limit: int | None = None
    ) -> WebhookDeliveryList:
        """The delivery log, newest first, each delivery with its attempts."""
        return cast(WebhookDeliveryList, self._client._send(_calls.webhook_deliveries(webhook_id, cursor, limit)))

    def redeliver(self, webhook_id: str, delivery_id: str) -> WebhookDelivery:
        """Queues one more attempt of a delivery now."""
        return cast(WebhookDelivery, self._client._send(_calls.redeliver(webhook_id, delivery_id)))

    def test(self, webhook_id: str) -> WebhookTest:
        """Queues a signed `webhook.test` event to this endpoint only: `{"deliveryId", "eventId"}`."""
        return cast(WebhookTest, self._client._send(_calls.test_webhook(webhook_id)))


class AsyncWebhooks:
    """The organization's webhook endpoints and their delivery log, awaited: `client.webhooks`."""

    def __init__(self, client: AsyncKeyhold) -> None:
        self._client = client

    @staticmethod
    def verify(payload: bytes | str, headers: Mapping[str, str], secret: str) -> WebhookEvent:
        """In your receiver: the event of a delivery signed with the endpoint's `secret` (whsec_…), less than 5 minutes
        old; raises KeyholdError `invalid_signature` otherwise (also `keyhold.webhooks.verify`, no client needed)."""
        return webhooks.verify(payload, headers, secret)

    async def list(self) -> builtins.list[Webhook]:
        """Every endpoint."""
        return cast(builtins.list[Webhook], (await self._client._send(_calls.list_webhooks()))["data"])

    async def create(self, url: str, events: Sequence[str], *, description: str | None = None) -> WebhookWithSecret:
        """Adds an endpoint; the answer's `secret` (whsec_…) is shown this once."""
        return cast(WebhookWithSecret, await self._client._send(_calls.create_webhook(url, events, description)))

    async def get(self, webhook_id: str) -> Webhook:
        """One endpoint."""
        return cast(Webhook, await self._client._send(_calls.get_webhook(webhook_id)))

    async def update(
        self,
        webhook_id: str,
        *,
        url: str | NotGiven = NOT_GIVEN,
        events: Sequence[str] | NotGiven = NOT_GIVEN,
        description: str | NotGiven = NOT_GIVEN,
        enabled: bool | NotGiven = NOT_GIVEN,
    ) -> Webhook:
        """Changes the fields given."""
        call = _calls.update_webhook(webhook_id, url, events, description, enabled)
        return cast(Webhook, await self._client._send(call))

    async def delete(self, webhook_id: str) -> None:
        """Removes the endpoint with its delivery log."""
        await self._client._send(_calls.delete_webhook(webhook_id))

    async def deliveries(
        self, webhook_id: str, *, cursor: str | None = None, limit: int | None = None
    ) -> WebhookDeliveryList:
        """The delivery log, newest first, each delivery with its attempts."""
        return cast(WebhookDeliveryList, await self._client._send(_calls.webhook_deliveries(webhook_id, cursor, limit)))

    async def redeliver(self, webhook_id: str, delivery_id: str) -> WebhookDelivery:
        """Queues one more attempt of a delivery now."""
        return cast(WebhookDelivery, await self._client._send(_calls.redeliver(webhook_id, delivery_id)))

    async def test(self, webhook_id: str) -> WebhookTest:
        """Queues a signed `webhook.test` event to this endpoint only: `{"deliveryId", "eventId"}`."""
        return cast(WebhookTest, await self._client._send(_calls.test_webhook(webhook_id)))
