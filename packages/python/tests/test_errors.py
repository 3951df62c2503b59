"""The package's copy of Keyhold's error table stays in step with lib/errors.ts, and the retry rules."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from keyhold import ERROR_CODES, KeyholdError
from keyhold._http import retry_after_seconds, retry_delay
from keyhold.errors import DEFAULT_MESSAGES
from keyhold_fixture import REPO_ROOT

ERRORS_TS = (REPO_ROOT / "lib" / "errors.ts").read_text()


def ts_object(name: str) -> dict[str, str]:
    """The entries of `export const NAME … = { … };` in lib/errors.ts."""
    block = re.search(rf"export const {name}\b[^=]*= \{{(.*?)\n\}}", ERRORS_TS, re.S)
    assert block, f"{name} not found in lib/errors.ts"
    return dict(re.findall(r'^\s+(\w+): ("(?:[^"\\]|\\.)*"|\d+),?$', block.group(1), re.M))


def test_error_codes_match_the_typescript_table() -> None:
    table = {code: int(status) for code, status in ts_object("ERROR_CODES").items()}
    assert ERROR_CODES == table


def test_refusal_messages_match_the_typescript_messages() -> None:
    messages = {code: text[1:-1] for code, text in ts_object("DEFAULT_MESSAGES").items()}
    # service_unavailable differs on purpose: for a gateway it is Keyhold that cannot be reached, not a database.
    for code, message in DEFAULT_MESSAGES.items():
        if code != "service_unavailable":
            assert messages[code] == message, code


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Thu, 26 Nov 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("yesterday") is None
    assert retry_after_seconds(None) is None
    assert retry_after_seconds((now - timedelta(minutes=1)).strftime("%a, %d %b %Y %H:%M:%S GMT"), now) == 0.0


def test_what_is_retried_and_how_long_it_waits() -> None:
    limited = KeyholdError(429, "rate_limited", "slow down", retry_after=12)
    assert retry_delay(limited, 0, idempotent=True, max_delay=30) is None  # raised at once, never waited for
    unavailable = KeyholdError(503, "service_unavailable", "db down")
    assert retry_delay(unavailable, 0, idempotent=True, max_delay=30) is not None
    assert retry_delay(unavailable, 0, idempotent=False, max_delay=30) is None  # a create is sent once
    crashed = KeyholdError(500, "internal_error", "oops")
    assert retry_delay(crashed, 0, idempotent=True, max_delay=30) is not None
    lost = KeyholdError(None, "timeout", "no answer")
    assert retry_delay(lost, 0, idempotent=True, max_delay=30) is not None
    assert retry_delay(lost, 0, idempotent=False, max_delay=30) is None
    for attempt in range(8):
        delay = retry_delay(crashed, attempt, idempotent=True, max_delay=4)
        assert delay is not None and 0 < delay <= 4
    assert retry_delay(KeyholdError(404, "not_found", "no"), 0, idempotent=True, max_delay=30) is None
