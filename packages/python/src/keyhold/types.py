"""The JSON bodies of Keyhold's REST API, typed (field names as on the wire; see /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

Scope = Literal["read", "write", "admin"]
Environment = Literal["live", "test"]
Plan = Literal["FREE", "PRO", "ENTERPRISE"]
Role = Literal["owner", "admin", "developer", "viewer"]
Interval = Literal["minute", "hour", "day"]


class AllowlistEntry(TypedDict, total=False):
    """One IP allowlist entry: an address or CIDR range, with an optional note."""

    value: str
    note: str


class Refill(TypedDict):
    """Credits are set to `amount` at each UTC day or month boundary."""

    amount: int
    interval: Literal["day", "month"]


class KeyCredits(TypedDict):
    """Prepaid credits each verification spends; a key without credits (None) is unlimited."""

    remaining: int
    refill: Refill | None


class Key(TypedDict):
    """A key as the API shows it: never its secret."""

    id: str
    name: str
    prefix: str
    environment: Environment
    scopes: list[Scope]
    permissions: list[str]
    expiresAt: str | None
    ipAllowlist: list[AllowlistEntry]
    rateLimit: int | None
    createdAt: str
    lastUsedAt: str | None
    revokedAt: str | None
    createdBy: str | None
    credits: KeyCredits | None


class KeyWithSecret(TypedDict):
    """The answer to create and rotate: the key and its secret, shown this once."""

    key: Key
    secret: str


class KeyList(TypedDict):
    """One page of keys, newest first; pass `nextCursor` back for the next page (None: last page)."""

    data: list[Key]
    nextCursor: str | None


class OrganizationSummary(TypedDict):
    """The organization a key belongs to."""

    id: str
    slug: str
    name: str
    plan: Plan


class Whoami(TypedDict):
    """The calling key, its organization and the organization's client ID."""

    key: Key
    clientId: str
    organization: OrganizationSummary


class Policies(TypedDict):
    """An organization's key policies."""

    maxKeyLifetimeDays: int | None
    requireAllowlistForAdmin: bool
    requireMfa: bool
    keyRequestPolicy: Literal["never", "admin_scope", "always"]
    approvalPermissions: list[str]
    leakResponse: Literal["revoke", "notify"]


class Organization(TypedDict):
    """The calling key's organization with its policies."""

    id: str
    slug: str
    name: str
    plan: Plan
    policies: Policies


class AuditActor(TypedDict):
    """Who acted: a user in a session, or an API key acting as its creator (keyId, keyPrefix, keyName)."""

    type: Literal["user", "key", "service", "system", "anonymous"]
    userId: str | None
    email: str | None
    keyId: str | None
    keyPrefix: str | None
    keyName: str | None


class AuditTarget(TypedDict):
    """What an audit event is about: an account, a key."""

    userId: str | None
    keyId: str | None
    keyName: str | None
    keyPrefix: str | None


class AuditEvent(TypedDict):
    """One audit event, as the dashboard shows it."""

    id: str
    action: str
    at: str
    organizationId: str | None
    actor: AuditActor
    target: AuditTarget
    metadata: Any
    ip: str | None


class AuditEventList(TypedDict):
    """One page of audit events, newest first; pass `nextCursor` back for the next page (None: last page)."""

    data: list[AuditEvent]
    nextCursor: str | None


class Member(TypedDict):
    """A member of the organization."""

    userId: str
    email: str
    role: Role
    mfa: bool
    joinedAt: str


class Permission(TypedDict):
    """A permission of the platform's catalogue."""

    name: str
    description: str


class UsageBucket(TypedDict):
    """Requests in one interval, by outcome (valid, or the refusal's error code)."""

    start: str
    total: int
    outcomes: dict[str, int]
    avgLatencyMs: float | None
    credits: int


class UsageKeyTotals(TypedDict):
    """One key's share of the range."""

    keyId: str
    name: str
    prefix: str | None
    total: int
    outcomes: dict[str, int]
    credits: int


class UsageTotals(TypedDict):
    """The whole range."""

    total: int
    outcomes: dict[str, int]
    successRate: float | None
    credits: int
    keys: list[UsageKeyTotals]


# The organization's usage: zero-filled buckets, oldest first, and totals (functional form: `from` is a keyword).
Usage = TypedDict(
    "Usage",
    {
        "from": str,
        "to": str,
        "interval": Interval,
        "timeZone": str,
        "keyId": str | None,
        "data": list[UsageBucket],
        "totals": UsageTotals,
    },
)

# An IP allowlist as create/update accept it: entries, or plain strings (each an address or CIDR range).
AllowlistInput = list[str | AllowlistEntry]


class Webhook(TypedDict):
    """A webhook endpoint of the organization (its signing secret is only in WebhookWithSecret, once)."""

    id: str
    url: str
    description: str
    events: list[str]
    enabled: bool
    failingSince: str | None
    disabledAt: str | None
    disabledReason: str | None
    createdAt: str


class WebhookWithSecret(TypedDict):
    """A new endpoint and its signing secret (whsec_…), shown this once."""

    webhook: Webhook
    secret: str


class WebhookAttempt(TypedDict):
    """One attempt of a delivery: the receiver's status (None: no answer), how long it took, the answer's start."""

    attempt: int
    statusCode: int | None
    durationMs: int
    responseExcerpt: str | None
    error: str | None
    createdAt: str


class WebhookDelivery(TypedDict):
    """One event sent to one endpoint, with its attempts."""

    id: str
    eventId: str
    eventType: str
    status: str
    attempts: int
    nextAttemptAt: str | None
    lastStatus: int | None
    lastError: str | None
    createdAt: str
    attemptLog: list[WebhookAttempt]


class WebhookDeliveryList(TypedDict):
    """One page of deliveries, newest first; pass `nextCursor` back for the next page (None: last page)."""

    data: list[WebhookDelivery]
    nextCursor: str | None


class WebhookTest(TypedDict):
    """The answer to `webhooks.test(id)`: the queued delivery (see `deliveries`) and its `webhook.test` event."""

    deliveryId: str
    eventId: str


class LeakReportAccepted(TypedDict):
    """The answer to a leak report: always `received` (the same for every key, so it is no oracle)."""

    status: Literal["received"]


class WebhookEvent(TypedDict):
    """A Keyhold webhook event as delivered: its type (`key.created`, `key.revoked`, …), when, and what about."""

    type: str
    timestamp: str
    data: dict[str, Any]
