"""webhooks.verify(payload, headers, secret) on deliveries signed by Keyhold's own webhook sender (lib/webhooks/send.ts,
run with node): the event for a good signature; invalid_signature for a changed body, another secret, a stale
timestamp or missing headers. tests/clients/webhooks-verify.test.ts checks the same in TypeScript."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time

import pytest

import keyhold
from keyhold import AsyncWebhooks, KeyholdError, Webhooks
from keyhold_fixture import REPO_ROOT

BODY = json.dumps({"type": "key.created", "timestamp": "2026-01-01T00:00:00.000Z", "data": {"id": "key_1"}})


def new_secret() -> str:
    return "whsec_" + base64.b64encode(os.urandom(24)).decode()


def signed(secret: str, body: str = BODY, at: float | None = None) -> dict[str, str]:
    """The headers Keyhold's sender puts on a delivery of `body` at time `at` (default now)."""
    script = (
        'const send = await import("./lib/webhooks/send.ts");'
        "const { signatureHeaders } = send.default ?? send;"
        "const [secret, body, at] = process.argv.slice(1);"
        'console.log(JSON.stringify(signatureHeaders(secret, { id: "msg_1", timestamp: new Date(Number(at)), body })));'
    )
    millis = str(int((time.time() if at is None else at) * 1000))
    out = subprocess.run(
        ["node", "--import", "tsx", "--input-type=module", "-e", script, secret, body, millis],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    headers: dict[str, str] = json.loads(out.stdout)
    return headers


def test_a_delivery_keyhold_signed_is_verified() -> None:
    secret = new_secret()
    headers = signed(secret)
    assert keyhold.webhooks.verify(BODY, headers, secret) == json.loads(BODY)
    upper = {k.upper(): v for k, v in headers.items()}
    assert Webhooks.verify(BODY.encode(), upper, secret)["type"] == "key.created"
    assert AsyncWebhooks.verify(BODY, headers, secret)["data"] == {"id": "key_1"}


def test_changed_body_other_secret_stale_or_missing_headers_are_refused() -> None:
    secret = new_secret()
    headers = signed(secret)
    cases = [
        (BODY.replace("key_1", "key_2"), headers, secret),
        (BODY, signed(new_secret()), secret),
        (BODY, signed(secret, at=time.time() - 6 * 60), secret),
        (BODY, {}, secret),
    ]
    for body, given, key in cases:
        with pytest.raises(KeyholdError) as refused:
            keyhold.webhooks.verify(body, given, key)
        assert (refused.value.code, refused.value.status) == ("invalid_signature", None)
