"""What the client's HTTP layer decides: errors from answers, and whether and when to retry (no I/O here)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from .errors import KeyholdError

USER_AGENT = "keyhold-python/0.1.0"


@dataclass(frozen=True)
class Call:
    """One REST call: `idempotent` says whether sending it twice is harmless (a 5xx or lost answer may be retried)."""

    method: str
    path: str
    params: Mapping[str, str | int] | None = None
    body: Any = None
    idempotent: bool = True


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """The seconds a Retry-After header asks for (delta-seconds or an HTTP date); None when absent or malformed."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def error_from_response(response: httpx.Response) -> KeyholdError:
    """The KeyholdError for an error answer: Keyhold's {error: {code, message}} body, else the status alone."""
    retry_after = retry_after_seconds(response.headers.get("retry-after"))
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        message = error.get("message")
        return KeyholdError(
            response.status_code,
            error["code"],
            message if isinstance(message, str) else response.reason_phrase,
            retry_after=retry_after,
        )
    return KeyholdError(
        response.status_code,
        "http_error",
        f"{response.request.method} {response.request.url.path} answered {response.status_code} "
        f"{response.reason_phrase} without a Keyhold error body",
        retry_after=retry_after,
    )


def transport_error(err: httpx.TransportError, call: Call) -> KeyholdError:
    """The KeyholdError for a request that got no answer (timeout or connection failure)."""
    if isinstance(err, httpx.TimeoutException):
        return KeyholdError(None, "timeout", f"{call.method} {call.path} timed out ({type(err).__name__})")
    return KeyholdError(None, "connection_error", f"{call.method} {call.path} failed: {err}")


def never_sent(err: httpx.TransportError) -> bool:
    """Whether the request surely never reached the server (so even a non-idempotent call may be sent again)."""
    return isinstance(err, (httpx.ConnectError, httpx.ConnectTimeout))


def backoff(attempt: int, cap: float) -> float:
    """Exponential backoff with jitter for retry number `attempt` (0-based): about 0.5 s, 1 s, 2 s … at most `cap`."""
    return min(cap, 0.5 * 2.0**attempt) * (0.5 + random.random() / 2)


def retry_delay(error: KeyholdError, attempt: int, *, idempotent: bool, sent: bool, max_delay: float) -> float | None:
    """Seconds to wait before retrying after `error`, or None when retrying would not help or could do harm.

    429 rate_limited waits for Retry-After (capped at `max_delay`); credits (usage_exceeded) do not come back by
    waiting.
    A 503 was not processed, so it is retried; other 5xx and lost answers only for idempotent calls.
    """
    if error.status == 429:
        if error.code in ("usage_exceeded", "locked"):
            return None
        return min(max_delay, error.retry_after) if error.retry_after is not None else backoff(attempt, max_delay)
    if error.status is None:
        return backoff(attempt, max_delay) if (idempotent or not sent) else None
    if error.status == 503 or (error.status in (500, 502, 504) and idempotent):
        if error.retry_after is not None:
            return min(max_delay, error.retry_after)
        return backoff(attempt, max_delay)
    return None
