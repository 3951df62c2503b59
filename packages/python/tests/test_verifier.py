"""Verifier against the real fixture server: verdicts, exact by default, the opt-in refusal cache, failing closed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator

import httpx
import pytest

from keyhold import AsyncVerifier, Keyhold, KeyholdConfigError, Verification, Verifier
from keyhold.types import KeyWithSecret
from keyhold.verifier import normalise_ip, verify_request
from keyhold_fixture import Server

MakeKey = Callable[..., KeyWithSecret]


class Clock:
    """A clock the test moves by hand, so cache expiry is checked without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sent() -> list[dict[str, object]]:
    """The bodies the verifier sent to /api/v1/verify."""
    return []


@pytest.fixture
def verifier(server: Server, clock: Clock, sent: list[dict[str, object]]) -> Iterator[Verifier]:
    def record(request: httpx.Request) -> None:
        sent.append(json.loads(request.content))

    http = httpx.Client(event_hooks={"request": [record]})
    with (
        http,
        Verifier(server.endpoint, server.service_token, refusal_cache_ttl=5, clock=clock, http_client=http) as v,
    ):
        yield v


def test_a_good_key_is_valid_with_its_identity(verifier: Verifier, make_key: MakeKey, server: Server) -> None:
    created = make_key(scopes=["write"], permissions=["inference:write", "inference:read"])
    answer = verifier.verify(created["secret"], scope="read", permissions=["inference:write"], ip="127.0.0.1")
    assert answer.valid and answer.code == "VALID"
    assert answer.key_id == created["key"]["id"]
    assert answer.organization_id == server.organization_id
    assert answer.client_id == server.client_id
    assert answer.scopes == ("write",)
    assert answer.permissions == ("inference:read", "inference:write")
    assert answer.ratelimit is not None and answer.ratelimit.limit == 60
    assert answer.credits is None
    assert (answer.status, answer.error_code) == (200, None)


def test_refusals_carry_the_verdict_and_the_rest_code(verifier: Verifier, make_key: MakeKey) -> None:
    read = make_key()
    scope = verifier.verify(read["secret"], scope="admin")
    assert (scope.valid, scope.code, scope.error_code, scope.status) == (
        False,
        "INSUFFICIENT_SCOPE",
        "insufficient_scope",
        403,
    )
    perms = verifier.verify(read["secret"], permissions=["analytics:read"])
    assert (perms.code, perms.status) == ("INSUFFICIENT_PERMISSIONS", 403)
    unknown = verifier.verify("kh_test_" + "B" * 38)
    assert (unknown.code, unknown.error_code, unknown.status) == ("NOT_FOUND", "invalid_key", 401)
    assert unknown.error_body() == {"error": {"code": "invalid_key", "message": "The API key is not valid."}}


def test_every_success_is_asked_of_keyhold_and_a_cached_refusal_lasts_its_ttl(
    verifier: Verifier, admin: Keyhold, make_key: MakeKey, clock: Clock, sent: list[dict[str, object]]
) -> None:
    created = make_key()
    assert verifier.verify(created["secret"]).valid
    assert verifier.verify(created["secret"]).valid
    assert len(sent) == 2  # successes are never reused, even with the refusal cache on
    admin.keys.revoke(created["key"]["id"])
    assert verifier.verify(created["secret"]).code == "REVOKED"
    clock.now += 4.9
    assert verifier.verify(created["secret"]).code == "REVOKED"
    assert len(sent) == 3  # the refusal was reused within its TTL…
    clock.now += 0.2
    assert verifier.verify(created["secret"]).code == "REVOKED"
    assert len(sent) == 4  # …and not a moment past it


def test_the_refusal_cache_is_keyed_by_everything_in_the_request(
    verifier: Verifier, make_key: MakeKey, sent: list[dict[str, object]]
) -> None:
    created = make_key(scopes=["read"])
    assert verifier.verify(created["secret"], scope="admin").code == "INSUFFICIENT_SCOPE"
    assert verifier.verify(created["secret"], scope="admin").code == "INSUFFICIENT_SCOPE"
    assert len(sent) == 1
    verifier.verify(created["secret"], scope="write")
    verifier.verify(created["secret"], scope="admin", ip="127.0.0.1")
    verifier.verify(created["secret"], permissions=["inference:read"])
    verifier.verify(created["secret"], scope="admin", cost=0)
    assert len(sent) == 5
    # Permissions are a set: their order and repeats do not make a new entry.
    verifier.verify(created["secret"], permissions=["b:x", "a:y"])
    verifier.verify(created["secret"], permissions=["a:y", "b:x", "a:y"])
    assert len(sent) == 6


def test_rate_limit_refusals_are_never_reused(
    verifier: Verifier, make_key: MakeKey, sent: list[dict[str, object]]
) -> None:
    created = make_key(rate_limit=1)
    assert verifier.verify(created["secret"]).valid
    assert verifier.verify(created["secret"]).code == "RATE_LIMITED"
    assert verifier.verify(created["secret"]).code == "RATE_LIMITED"
    assert len(sent) == 3


def test_by_default_nothing_is_cached(server: Server, make_key: MakeKey) -> None:
    sent: list[str] = []
    http = httpx.Client(event_hooks={"request": [lambda request: sent.append(request.url.path)]})
    with http, Verifier(server.endpoint, server.service_token, http_client=http) as v:
        for _ in range(3):
            assert v.verify("kh_test_" + "C" * 38).code == "NOT_FOUND"
    assert len(sent) == 3


def test_a_key_with_credits_is_never_served_from_the_cache(
    verifier: Verifier, admin: Keyhold, make_key: MakeKey, sent: list[dict[str, object]]
) -> None:
    created = make_key(credits={"remaining": 1, "refill": None})
    first = verifier.verify(created["secret"])
    assert first.valid and first.credits is not None and first.credits.remaining == 0
    exceeded = verifier.verify(created["secret"])
    assert (exceeded.valid, exceeded.code, exceeded.error_code, exceeded.status) == (
        False,
        "USAGE_EXCEEDED",
        "usage_exceeded",
        429,
    )
    assert len(sent) == 2
    # The refusal is not cached either: credits added are honoured at once.
    admin.keys.update(created["key"]["id"], credits={"remaining": 5, "refill": None})
    again = verifier.verify(created["secret"])
    assert again.valid and again.credits is not None and again.credits.remaining == 4
    assert len(sent) == 3


def test_a_rate_limited_refusal_is_not_cached(
    verifier: Verifier, admin: Keyhold, make_key: MakeKey, sent: list[dict[str, object]]
) -> None:
    created = make_key(rate_limit=1)
    assert verifier.verify(created["secret"], scope="read").valid
    limited = verifier.verify(created["secret"])  # another cache entry: no scope
    assert (limited.code, limited.error_code, limited.status) == ("RATE_LIMITED", "rate_limited", 429)
    assert limited.ratelimit is not None and limited.ratelimit.remaining == 0
    retry_after = limited.retry_after()
    assert retry_after is not None and 1 <= retry_after <= 61  # until the (whole-second) reset
    admin.keys.update(created["key"]["id"], rate_limit=60)
    assert verifier.verify(created["secret"]).valid  # asked again, not answered from the cache
    assert len(sent) == 3


def test_an_unreachable_keyhold_fails_closed_and_is_not_cached(clock: Clock) -> None:
    with Verifier(endpoint="http://127.0.0.1:9", service_token="svc", clock=clock) as down:
        answer = down.verify("kh_test_" + "C" * 38)
        assert (answer.valid, answer.code, answer.error_code, answer.status) == (
            False,
            "SERVICE_UNAVAILABLE",
            "service_unavailable",
            503,
        )
        assert answer.error and "no answer" in answer.error
        assert down.cache.get(verify_request("kh_test_" + "C" * 38, None, None, None, None)) is None


def test_a_wrong_service_token_fails_closed(server: Server, make_key: MakeKey) -> None:
    created = make_key()
    with Verifier(endpoint=server.endpoint, service_token="svc_wrong") as wrong:
        answer = wrong.verify(created["secret"])
    assert (answer.valid, answer.code) == (False, "SERVICE_UNAVAILABLE")
    assert answer.error is not None and "401" in answer.error and "svc_wrong" not in answer.error


def test_a_string_no_key_can_be_is_not_found_without_asking(verifier: Verifier, sent: list[dict[str, object]]) -> None:
    for bad in ("", "x" * 201, "kh_test_\x00abc", "kh_\ud800"):
        assert verifier.verify(bad).code == "NOT_FOUND"
    assert sent == []


def test_bad_arguments_name_the_argument(verifier: Verifier) -> None:
    with pytest.raises(ValueError, match="scope"):
        verifier.verify("kh_test_x", scope="root")
    with pytest.raises(ValueError, match="cost"):
        verifier.verify("kh_test_x", cost=10_001)
    with pytest.raises(ValueError, match="ip"):
        verifier.verify("kh_test_x", ip="not-an-ip")
    with pytest.raises(ValueError, match="permissions"):
        verifier.verify("kh_test_x", permissions="inference:read")
    with pytest.raises(ValueError, match="refusal_cache_ttl"):
        Verifier(endpoint="http://127.0.0.1:9", service_token="svc", refusal_cache_ttl=6)
    with pytest.raises(KeyholdConfigError, match="KEYHOLD_SERVICE_TOKEN"):
        Verifier(endpoint="http://127.0.0.1:9")


def test_endpoint_and_token_from_the_environment(
    server: Server, make_key: MakeKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEYHOLD_ENDPOINT", server.endpoint)
    monkeypatch.setenv("KEYHOLD_SERVICE_TOKEN", server.service_token)
    created = make_key()
    with Verifier() as v:
        assert v.verify(created["secret"]).valid
        assert server.service_token not in repr(v)


def test_the_async_verifier_follows_the_same_rules(server: Server, make_key: MakeKey, admin: Keyhold) -> None:
    created = make_key()

    async def run() -> tuple[Verification, Verification]:
        async with AsyncVerifier(endpoint=server.endpoint, service_token=server.service_token) as v:
            first = await v.verify(created["secret"])
            admin.keys.revoke(created["key"]["id"])
            fresh = await v.verify(created["secret"])
            return first, fresh

    first, fresh = asyncio.run(run())
    assert first.valid
    assert fresh.code == "REVOKED"  # no cache by default: the revocation holds at once


def test_client_addresses_are_normalised_for_allowlists() -> None:
    assert normalise_ip("::ffff:10.0.0.7") == "10.0.0.7"
    assert normalise_ip("fe80::1%eth0") == "fe80::1"
    assert normalise_ip("2001:DB8::0:1") == "2001:db8::1"
    assert normalise_ip("203.0.113.9") == "203.0.113.9"
    assert normalise_ip("unix:/tmp/socket") is None
    assert normalise_ip("") is None and normalise_ip(None) is None
