"""The JSON bodies of Keyhold's REST API, typed (field names as on the wire; see /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any, Final, Literal, TypedDict

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


# Every event type an endpoint can subscribe to (lib/events/types.ts, EVENT_TYPES; a test keeps them equal).
EVENT_TYPES: Final[tuple[str, ...]] = (
    "key.created",
    "key.updated",
    "key.rotated",
    "key.revoked",
    "key.expiring",
    "key.expired",
    "key.leaked",
    "key_request.created",
    "key_request.approved",
    "key_request.denied",
    "member.invited",
    "member.joined",
    "member.removed",
    "credits.low",
    "ratelimit.exceeded",
    "webhook.disabled",
    "audit.event",
)

# What "send test event" delivers, to the one endpoint asked for.
TEST_EVENT_TYPE: Final = "webhook.test"


class KeyChanges(TypedDict, total=False):
    """What a key.updated event says the change set, with the new values (ipAllowlist: addresses only)."""

    name: str
    scopes: list[Scope]
    permissions: list[str]
    expiresAt: str | None
    ipAllowlist: list[str]
    rateLimit: int | None
    credits: KeyCredits | None


class KeyRequest(TypedDict):
    """A key request, as the key_request.* events carry it."""

    id: str
    name: str
    environment: Environment
    scopes: list[Scope]
    permissions: list[str]
    keyExpiresAt: str | None
    reason: str
    status: Literal["pending", "approved", "denied", "revealed"]
    requesterId: str
    decidedById: str | None
    denyReason: str | None


class EventMember(TypedDict):
    """The member a member.* event is about, with their role."""

    userId: str
    email: str
    role: Role


class Invitation(TypedDict):
    """An invitation, as member.invited carries it."""

    id: str
    email: str
    role: Role
    invitedById: str
    expiresAt: str


class KeyEventData(TypedDict):
    """The data of key.created, key.revoked and key.expired: the key as it is now (never its secret)."""

    key: Key


class KeyUpdatedData(TypedDict):
    """key.updated: the key as it is now and what the change set."""

    key: Key
    changes: KeyChanges


class KeyRotatedData(TypedDict):
    """key.rotated: the key with its new prefix; the replaced secret's prefix and until when it still works."""

    key: Key
    previousPrefix: str
    previousExpiresAt: str | None


class KeyExpiringData(TypedDict):
    """key.expiring: sent 7 days ahead, then 1 day ahead."""

    key: Key
    daysAhead: Literal[7, 1]


class KeyLeakedData(TypedDict):
    """key.leaked: where the secret was found and what the organization's leak response did."""

    key: Key
    source: Literal["github", "report"]
    url: str | None
    action: Literal["revoked", "notified"]


class KeyRequestData(TypedDict):
    """key_request.created, approved and denied: the request."""

    request: KeyRequest


class MemberInvitedData(TypedDict):
    """member.invited: the invitation."""

    invitation: Invitation


class MemberJoinedData(TypedDict):
    """member.joined: the new member and the invitation they accepted."""

    member: EventMember
    invitationId: str


class MemberRemovedData(TypedDict):
    """member.removed: who, by whom (themselves when they `left`), and how many of their keys it revoked."""

    member: EventMember
    removedById: str
    left: bool
    keysRevoked: int


class CreditsLowData(TypedDict):
    """credits.low: what remains, the percentage of `base` crossed (20, then 0) and the base."""

    key: Key
    remaining: int
    threshold: Literal[20, 0]
    base: int


class RateLimitExceededData(TypedDict):
    """ratelimit.exceeded: the key's limit (requests per minute) and the hour (at most once an hour)."""

    key: Key
    limit: int
    hour: str


class WebhookDisabledData(TypedDict):
    """webhook.disabled: the endpoint Keyhold disabled after 5 days of failed deliveries."""

    webhook: Webhook


class WebhookTestData(TypedDict):
    """webhook.test: the endpoint it was sent to and a message."""

    webhookId: str
    message: str


class KeyCreatedEvent(TypedDict):
    """A key.created event as delivered."""

    type: Literal["key.created"]
    timestamp: str
    data: KeyEventData


class KeyUpdatedEvent(TypedDict):
    """A key.updated event as delivered."""

    type: Literal["key.updated"]
    timestamp: str
    data: KeyUpdatedData


class KeyRotatedEvent(TypedDict):
    """A key.rotated event as delivered."""

    type: Literal["key.rotated"]
    timestamp: str
    data: KeyRotatedData


class KeyRevokedEvent(TypedDict):
    """A key.revoked event as delivered."""

    type: Literal["key.revoked"]
    timestamp: str
    data: KeyEventData


class KeyExpiringEvent(TypedDict):
    """A key.expiring event as delivered."""

    type: Literal["key.expiring"]
    timestamp: str
    data: KeyExpiringData


class KeyExpiredEvent(TypedDict):
    """A key.expired event as delivered."""

    type: Literal["key.expired"]
    timestamp: str
    data: KeyEventData


class KeyLeakedEvent(TypedDict):
    """A key.leaked event as delivered."""

    type: Literal["key.leaked"]
    timestamp: str
    data: KeyLeakedData


class KeyRequestCreatedEvent(TypedDict):
    """A key_request.created event as delivered."""

    type: Literal["key_request.created"]
    timestamp: str
    data: KeyRequestData


class KeyRequestApprovedEvent(TypedDict):
    """A key_request.approved event as delivered."""

    type: Literal["key_request.approved"]
    timestamp: str
    data: KeyRequestData


class KeyRequestDeniedEvent(TypedDict):
    """A key_request.denied event as delivered."""

    type: Literal["key_request.denied"]
    timestamp: str
    data: KeyRequestData


class MemberInvitedEvent(TypedDict):
    """A member.invited event as delivered."""

    type: Literal["member.invited"]
    timestamp: str
    data: MemberInvitedData


class MemberJoinedEvent(TypedDict):
    """A member.joined event as delivered."""

    type: Literal["member.joined"]
    timestamp: str
    data: MemberJoinedData


class MemberRemovedEvent(TypedDict):
    """A member.removed event as delivered."""

    type: Literal["member.removed"]
    timestamp: str
    data: MemberRemovedData


class CreditsLowEvent(TypedDict):
    """A credits.low event as delivered."""

    type: Literal["credits.low"]
    timestamp: str
    data: CreditsLowData


class RateLimitExceededEvent(TypedDict):
    """A ratelimit.exceeded event as delivered."""

    type: Literal["ratelimit.exceeded"]
    timestamp: str
    data: RateLimitExceededData


class WebhookDisabledEvent(TypedDict):
    """A webhook.disabled event as delivered."""

    type: Literal["webhook.disabled"]
    timestamp: str
    data: WebhookDisabledData


class AuditEventEvent(TypedDict):
    """A audit.event event as delivered."""

    type: Literal["audit.event"]
    timestamp: str
    data: AuditEvent


class WebhookTestEvent(TypedDict):
    """A webhook.test event as delivered."""

    type: Literal["webhook.test"]
    timestamp: str
    data: WebhookTestData


# A Keyhold webhook event as delivered, {type, timestamp, data}: a union tagged by `type`, so that after
# `if event["type"] == "key.revoked":` a type checker knows `event["data"]["key"]`. A newer Keyhold may send types this
# version does not list: ignore the ones you do not handle.
WebhookEvent = (
    KeyCreatedEvent
    | KeyUpdatedEvent
    | KeyRotatedEvent
    | KeyRevokedEvent
    | KeyExpiringEvent
    | KeyExpiredEvent
    | KeyLeakedEvent
    | KeyRequestCreatedEvent
    | KeyRequestApprovedEvent
    | KeyRequestDeniedEvent
    | MemberInvitedEvent
    | MemberJoinedEvent
    | MemberRemovedEvent
    | CreditsLowEvent
    | RateLimitExceededEvent
    | WebhookDisabledEvent
    | AuditEventEvent
    | WebhookTestEvent
)
