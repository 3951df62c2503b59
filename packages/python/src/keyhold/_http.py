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


def endpoint_hint(url: httpx.URL) -> str:
    """What to check when an answer is not Keyhold's: the endpoint setting, and what it is now."""
    path = url.path
    base = path[: path.find("/api/v1/")] if "/api/v1/" in path else path
    origin = f"{url.scheme}://{url.netloc.decode()}"
    return (
        "Check the endpoint setting (endpoint=, KEYHOLD_ENDPOINT, or the profile's endpoint): it must be Keyhold's "
        f"base URL, such as https://keys.example.com, without /dashboard or /api/v1 (it is {origin}{base.rstrip('/')})."
    )


def unexpected_response(response: httpx.Response, *, json_body: bool) -> KeyholdError:
    """unexpected_response: an answer that is not Keyhold's JSON (an HTML page from a wrong endpoint, say)."""
    kind = response.headers.get("content-type", "").split(";")[0].strip() or "no content type"
    what = "JSON that is not Keyhold's" if json_body else f"a {kind} answer that is not JSON"
    return KeyholdError(
        response.status_code,
        "unexpected_response",
        f"Keyhold answered HTTP {response.status_code} with {what}. {endpoint_hint(response.request.url)}",
        retry_after=retry_after_seconds(response.headers.get("retry-after")),
    )


def success_body(response: httpx.Response) -> Any:
    """The JSON body of a successful answer (None when empty); unexpected_response when it is not JSON."""
    if not response.content.strip():
        return None
    try:
        return response.json()
    except ValueError:
        raise unexpected_response(response, json_body=False) from None


def error_from_response(response: httpx.Response) -> KeyholdError:
    """The KeyholdError for an error answer: Keyhold's {error: {code, message}} body, else unexpected_response."""
    retry_after = retry_after_seconds(response.headers.get("retry-after"))
    try:
        body = response.json()
        json_body = True
    except ValueError:
        body, json_body = None, False
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        message = error.get("message")
        return KeyholdError(
            response.status_code,
            error["code"],
            message if isinstance(message, str) else response.reason_phrase,
            retry_after=retry_after,
        )
    return unexpected_response(response, json_body=json_body)


def transport_error(err: httpx.TransportError, call: Call) -> KeyholdError:
    """The KeyholdError for a request that got no answer (timeout or connection failure)."""
    if isinstance(err, httpx.TimeoutException):
        return KeyholdError(None, "timeout", f"{call.method} {call.path} timed out ({type(err).__name__})")
    return KeyholdError(None, "network_error", f"{call.method} {call.path} failed: {err}")


def backoff(attempt: int, cap: float) -> float:
    """Exponential backoff with jitter for retry number `attempt` (0-based): about 0.5 s, 1 s, 2 s … at most `cap`."""
    return min(cap, 0.5 * 2.0**attempt) * (0.5 + random.random() / 2)


def retry_delay(error: KeyholdError, attempt: int, *, idempotent: bool, max_delay: float) -> float | None:
    """Seconds to wait before retrying after `error`, or None when the error is the answer.

    Only calls that are safe to repeat are retried, after a lost answer (network error, timeout) or a 5xx, with
    backoff. A 429 is never waited for: it raises at once with `retry_after` (the caller decides whether to wait).
    """
    if not idempotent:
        return None
    if error.status is None or error.status >= 500:
        return backoff(attempt, max_delay)
    return None
