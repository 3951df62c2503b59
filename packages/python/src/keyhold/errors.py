"""Keyhold's error codes and statuses (a copy of lib/errors.ts, checked by the tests) and this package's errors."""

from __future__ import annotations

from typing import Final

# Every error code Keyhold answers, with its HTTP status (lib/errors.ts, ERROR_CODES).
ERROR_CODES: Final[dict[str, int]] = {
    "invalid_request": 400,
    "authorization_pending": 400,
    "slow_down": 400,
    "expired_token": 400,
    "access_denied": 400,
    "unauthenticated": 401,
    "missing_key": 401,
    "invalid_key": 401,
    "expired_key": 401,
    "revoked_key": 401,
    "forbidden": 403,
    "mfa_required": 403,
    "step_up_required": 403,
    "insufficient_scope": 403,
    "insufficient_permissions": 403,
    "ip_not_allowed": 403,
    "client_id_mismatch": 403,
    "account_suspended": 403,
    "not_found": 404,
    "conflict": 409,
    "payload_too_large": 413,
    "locked": 429,
    "rate_limited": 429,
    "usage_exceeded": 429,
    "internal_error": 500,
    "service_unavailable": 503,
}

# What a refusal means to the caller, for the codes the middleware answers (lib/errors.ts, DEFAULT_MESSAGES).
DEFAULT_MESSAGES: Final[dict[str, str]] = {
    "missing_key": "Send an API key in the Authorization: Bearer or X-API-Key header.",
    "invalid_key": "The API key is not valid.",
    "expired_key": "The API key has expired.",
    "revoked_key": "The API key has been revoked.",
    "insufficient_scope": "The API key does not have the scope this request needs.",
    "insufficient_permissions": "The API key does not hold every permission this request needs.",
    "ip_not_allowed": "The API key's IP allowlist does not include this address.",
    "client_id_mismatch": "X-Client-ID does not match the API key's account.",
    "account_suspended": "The account that owns this API key is suspended.",
    "rate_limited": "Too many requests for this API key: retry after the number of seconds in Retry-After.",
    "usage_exceeded": "The API key has no credits left for this request.",
    "service_unavailable": "Key verification is temporarily unavailable. Try again shortly.",
}


class KeyholdError(Exception):
    """An error answer from Keyhold (``status`` and ``code`` from its error table), or a request that got no answer.

    ``status`` is ``None`` when no HTTP answer arrived (``code`` is then ``timeout`` or ``network_error``).
    ``code`` is ``unexpected_response`` for an answer that is not Keyhold's JSON (an HTML page: usually a wrong
    endpoint setting; the message says what to check). ``retry_after`` holds the seconds of a ``Retry-After`` header,
    when the answer carried one: a 429 raises at once, the client never waits for it.
    """

    def __init__(self, status: int | None, code: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(f"{code} ({status}): {message}" if status is not None else f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


class KeyholdConfigError(ValueError):
    """The client or verifier cannot start: a setting is missing, or the credentials file is unreadable.

    ``code`` is ``no_credentials`` or ``invalid_endpoint``, as the TypeScript SDK's KeyholdError says.
    """

    def __init__(self, message: str, code: str = "no_credentials") -> None:
        super().__init__(message)
        self.code = code
