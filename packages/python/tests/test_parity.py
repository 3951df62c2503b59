"""The contract both SDKs keep (docs/clients.md, "One contract for both SDKs"), row by row, in Python;
tests/clients/parity.test.ts checks the same rows in TypeScript."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from keyhold import AsyncVerifier, Keyhold, KeyholdConfigError, KeyholdError, KeyholdMiddleware, Verifier
from keyhold.types import KeyWithSecret
from keyhold_fixture import Server
from test_middleware import call, echo_key

MakeKey = Callable[..., KeyWithSecret]


@dataclass
class Scripted:
    """A local HTTP server answering each request with the next scripted (status, content type, body)."""

    replies: list[tuple[int, str, bytes]]
    methods: list[str] = field(default_factory=list)
    endpoint: str = ""


@pytest.fixture
def scripted() -> Iterator[Callable[..., Scripted]]:
    servers: list[ThreadingHTTPServer] = []

    def start(*replies: tuple[int, str, bytes]) -> Scripted:
        script = Scripted(list(replies))

        class Handler(BaseHTTPRequestHandler):
            def _reply(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                script.methods.append(self.command)
                status, kind, body = script.replies[min(len(script.methods), len(script.replies)) - 1]
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PATCH = _reply

            def log_message(self, format: str, *args: Any) -> None:
                return None

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        script.endpoint = f"http://127.0.0.1:{server.server_address[1]}"
        return script

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


JSON = "application/json"
HTML = "text/html; charset=utf-8"
CRASH = (500, JSON, b'{"error":{"code":"internal_error","message":"boom"}}')
OK = (200, JSON, b'{"status":"ok"}')


def test_idempotent_calls_retry_at_most_twice_on_5xx_and_creations_are_sent_once(
    scripted: Callable[..., Scripted],
) -> None:
    script = scripted(CRASH)
    with Keyhold(api_key="kh_test_x", endpoint=script.endpoint, max_retry_delay=0.05) as client:
        with pytest.raises(KeyholdError) as failed:
            client.whoami()
        assert (failed.value.status, failed.value.code) == (500, "internal_error")
        assert script.methods == ["GET", "GET", "GET"]
        script.methods.clear()
        with pytest.raises(KeyholdError):
            client.keys.create(name="n", scopes=["read"], environment="test")
        assert script.methods == ["POST"]
        script.methods.clear()
        with pytest.raises(KeyholdError):
            client.webhooks.test("wh_1")
        assert script.methods == ["POST"]


def test_a_5xx_then_a_success_is_a_success(scripted: Callable[..., Scripted]) -> None:
    script = scripted(CRASH, OK)
    with Keyhold(api_key="kh_test_x", endpoint=script.endpoint, max_retry_delay=0.05) as client:
        assert client.whoami() == {"status": "ok"}  # type: ignore[comparison-overlap]
    assert script.methods == ["GET", "GET"]


def test_an_html_answer_is_unexpected_response_naming_the_endpoint_setting(scripted: Callable[..., Scripted]) -> None:
    script = scripted((200, HTML, b"<!DOCTYPE html><html><body>Dashboard</body></html>"))
    with Keyhold(api_key="kh_test_x", endpoint=script.endpoint + "/dashboard", max_retries=0) as client:
        with pytest.raises(KeyholdError) as failed:
            client.whoami()
    assert (failed.value.status, failed.value.code) == (200, "unexpected_response")
    assert "KEYHOLD_ENDPOINT" in failed.value.message and "/dashboard" in failed.value.message
    error_page = scripted((404, HTML, b"<html>Not found</html>"))
    with Keyhold(api_key="kh_test_x", endpoint=error_page.endpoint, max_retries=0) as client:
        with pytest.raises(KeyholdError) as missing:
            client.keys.list()
    assert (missing.value.status, missing.value.code) == (404, "unexpected_response")
    assert "endpoint" in missing.value.message


def test_network_error_and_timeout_codes(scripted: Callable[..., Scripted]) -> None:
    with Keyhold(api_key="kh_test_x", endpoint="http://127.0.0.1:9", max_retries=0) as client:
        with pytest.raises(KeyholdError) as unreachable:
            client.whoami()
    assert (unreachable.value.status, unreachable.value.code) == (None, "network_error")

    silent = threading.Event()

    class Hang(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            silent.wait(5)

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hang)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}"
        with Keyhold(api_key="kh_test_x", endpoint=endpoint, timeout=0.3, max_retries=0) as client:
            with pytest.raises(KeyholdError) as slow:
                client.whoami()
        assert (slow.value.status, slow.value.code) == (None, "timeout")
    finally:
        silent.set()
        server.shutdown()
        server.server_close()


def test_an_endpoint_ending_in_api_v1_works(server: Server) -> None:
    with Keyhold(api_key=server.read_key, endpoint=server.endpoint + "/api/v1/") as client:
        assert client.whoami()["key"]["id"] == server.read_id
    with Verifier(server.endpoint + "/api/v1", server.service_token) as verifier:
        assert verifier.verify(server.read_key).valid


def test_report_leak_is_always_received(server: Server) -> None:
    with Keyhold(api_key=server.read_key, endpoint=server.endpoint) as client:
        assert client.report_leak("kh_test_" + "Z" * 38, url="https://example.com/paste") == {"status": "received"}


def test_audit_list_pages_the_audit_log_with_filters_and_a_read_key_is_refused(
    server: Server, make_key: MakeKey
) -> None:
    made = make_key(name="py-parity-audit")
    with Keyhold(api_key=server.admin_key, endpoint=server.endpoint) as client:
        first = client.audit.list(action="key.created", limit=1)
        assert len(first["data"]) == 1
        event = first["data"][0]
        assert event["action"] == "key.created" and event["actor"]["type"] == "key"
        assert event["target"]["keyId"] == made["key"]["id"] and event["target"]["keyName"] == "py-parity-audit"
        assert isinstance(first["nextCursor"], str)
        second = client.audit.list(action="key.created", limit=1, cursor=first["nextCursor"])
        assert second["data"][0]["id"] != event["id"]
        assert all(e["action"] == "key.created" for e in second["data"])
        with pytest.raises(KeyholdError) as bad:
            client.audit.list(from_="yesterday")
        assert (bad.value.status, bad.value.code) == (400, "invalid_request") and "from" in str(bad.value)
    with Keyhold(api_key=server.read_key, endpoint=server.endpoint) as reader:
        with pytest.raises(KeyholdError) as refused:
            reader.audit.list()
        assert refused.value.code == "insufficient_scope"


def test_a_missing_service_token_fails_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEYHOLD_ENDPOINT", "http://127.0.0.1:9")
    with pytest.raises(KeyholdConfigError, match="KEYHOLD_SERVICE_TOKEN") as missing:
        KeyholdMiddleware(echo_key)
    assert missing.value.code == "no_credentials"
    with pytest.raises(KeyholdConfigError):
        AsyncVerifier()


def test_the_middleware_503_is_generic_and_the_reason_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    verifier = AsyncVerifier(endpoint="http://127.0.0.1:9", service_token="svc_secret_reason")
    with caplog.at_level(logging.WARNING, logger="keyhold"):
        response = call(KeyholdMiddleware(echo_key, verifier), headers={"X-API-Key": "kh_test_" + "E" * 38})
    assert response.status_code == 503
    assert response.json() == {
        "error": {
            "code": "service_unavailable",
            "message": "Key verification is temporarily unavailable. Try again shortly.",
        }
    }
    assert "127.0.0.1:9" not in response.text
    assert any("/api/v1/verify got no answer" in record.getMessage() for record in caplog.records)


def test_x_api_key_and_rate_limit_headers_on_success(server: Server, make_key: MakeKey) -> None:
    created = make_key(rate_limit=5)
    verifier = AsyncVerifier(endpoint=server.endpoint, service_token=server.service_token)
    response = call(KeyholdMiddleware(echo_key, verifier), headers={"X-API-Key": created["secret"]})
    assert response.status_code == 200
    assert (response.headers["x-ratelimit-limit"], response.headers["x-ratelimit-remaining"]) == ("5", "4")
    assert int(response.headers["x-ratelimit-reset"]) > 0


def test_a_429_raises_at_once_with_retry_after(make_key: MakeKey, server: Server) -> None:
    created = make_key(rate_limit=1)
    sent: list[str] = []
    http = httpx.Client(event_hooks={"request": [lambda request: sent.append(request.url.path)]})
    with http, Keyhold(api_key=created["secret"], endpoint=server.endpoint, http_client=http) as client:
        client.whoami()
        with pytest.raises(KeyholdError) as limited:
            client.whoami()
    assert (limited.value.status, limited.value.code) == (429, "rate_limited")
    assert limited.value.retry_after is not None and 1 <= limited.value.retry_after <= 60
    assert len(sent) == 2
