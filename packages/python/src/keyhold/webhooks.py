"""Checking a webhook delivery from Keyhold in the receiver: its Standard Webhooks signature (webhook-id,
webhook-timestamp, webhook-signature; HMAC-SHA256 with the endpoint's whsec_ secret), at most 5 minutes old."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import cast

from .errors import KeyholdError
from .types import WebhookEvent

# How far a delivery's timestamp may be from now, either way (Standard Webhooks' tolerance).
TOLERANCE_SECONDS = 5 * 60


def _invalid(why: str) -> KeyholdError:
    return KeyholdError(None, "invalid_signature", f"webhook not verified: {why}")


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise _invalid(f"missing {name} header")


def verify(payload: bytes | str, headers: Mapping[str, str], secret: str, *, now: float | None = None) -> WebhookEvent:
    """The event of a delivery signed with `secret` (the endpoint's whsec_…) less than 5 minutes ago, typed by its
    `type` (WebhookEvent: check `event["type"]` to know its `data`); pass the raw body as received. Raises
    KeyholdError `invalid_signature` otherwise."""
    body = payload.decode("utf-8") if isinstance(payload, bytes) else payload
    message_id = _header(headers, "webhook-id")
    timestamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise _invalid("webhook-timestamp is not a number") from None
    if abs((time.time() if now is None else now) - sent_at) > TOLERANCE_SECONDS:
        raise _invalid("webhook-timestamp is more than 5 minutes away")
    try:
        key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("secret must be the endpoint's whsec_… signing secret") from None
    expected = base64.b64encode(
        hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    ).decode()
    for candidate in signatures.split():
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return cast(WebhookEvent, json.loads(body))
    raise _invalid("no signature matches")
