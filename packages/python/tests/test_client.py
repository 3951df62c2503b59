"""Keyhold (the REST client) against the real fixture server: every method, errors with code and status, retries."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from keyhold import NOT_GIVEN, AsyncKeyhold, Keyhold, KeyholdError
from keyhold.types import KeyWithSecret
from keyhold_fixture import Server

MakeKey = Callable[..., KeyWithSecret]


def test_whoami_answers_the_calling_key_and_its_organization(server: Server) -> None:
    with Keyhold(api_key=server.admin_key, endpoint=server.endpoint) as client:
        me = client.whoami()
    assert me["key"]["id"] == server.admin_id
    assert me["key"]["scopes"] == ["admin"]
    assert me["clientId"] == server.client_id
    assert me["organization"]["id"] == server.organization_id
    assert me["organization"]["slug"] == "fixture"


def test_create_returns_the_secret_once_and_the_key_works(admin: Keyhold, server: Server) -> None:
    created = admin.keys.create(name="py-create", scopes=["read"], environment="test", permissions=["inference:read"])
    secret = created["secret"]
    assert secret.startswith("kh_test_")
    assert created["key"]["name"] == "py-create"
    assert created["key"]["permissions"] == ["inference:read"]
    assert secret.startswith(created["key"]["prefix"])

    fetched = admin.keys.get(created["key"]["id"])
    assert fetched["id"] == created["key"]["id"]
    assert "secret" not in fetched and secret not in str(fetched)
    page = admin.keys.list(limit=100)
    assert created["key"]["id"] in [k["id"] for k in page["data"]]
    assert secret not in str(page)

    with Keyhold(api_key=secret, endpoint=server.endpoint) as client:
        assert client.whoami()["key"]["id"] == created["key"]["id"]


def test_list_pages_with_cursor_and_iter_walks_every_page(admin: Keyhold, make_key: MakeKey) -> None:
    ids = {make_key()["key"]["id"] for _ in range(3)}
    first = admin.keys.list(limit=2)
    assert len(first["data"]) == 2 and first["nextCursor"]
    second = admin.keys.list(limit=2, cursor=first["nextCursor"])
    assert not {k["id"] for k in first["data"]} & {k["id"] for k in second["data"]}
    walked = [k["id"] for k in admin.keys.iter(page_size=2)]
    assert ids <= set(walked)
    assert len(walked) == len(set(walked))


def test_update_changes_only_the_given_fields_and_none_clears(admin: Keyhold, make_key: MakeKey) -> None:
    key = make_key()["key"]
    expiry = datetime.now(timezone.utc) + timedelta(days=3)
    updated = admin.keys.update(
        key["id"],
        name="py-renamed-" + key["id"][-6:],
        scopes=["write"],
        expires_at=expiry,
        ip_allowlist=["10.0.0.1/24", {"value": "2001:db8::1", "note": "office"}],
        rate_limit=30,
        credits={"remaining": 10, "refill": {"amount": 10, "interval": "day"}},
    )
    assert updated["name"].startswith("py-renamed-")
    assert updated["scopes"] == ["write"]  # stored as the highest scope: write implies read
    assert updated["expiresAt"] is not None
    assert abs(datetime.fromisoformat(updated["expiresAt"].replace("Z", "+00:00")) - expiry) < timedelta(seconds=1)
    assert [e["value"] for e in updated["ipAllowlist"]] == ["10.0.0.0/24", "2001:db8::1"]
    assert updated["rateLimit"] == 30
    assert updated["credits"] == {"remaining": 10, "refill": {"amount": 10, "interval": "day"}}

    cleared = admin.keys.update(key["id"], expires_at=None, rate_limit=None, credits=None, name=NOT_GIVEN)
    assert cleared["name"] == updated["name"]
    assert (cleared["expiresAt"], cleared["rateLimit"], cleared["credits"]) == (None, None, None)
    assert cleared["ipAllowlist"] == updated["ipAllowlist"]


def test_rotate_issues_a_new_secret_and_the_old_one_stops_after_grace_zero(
    admin: Keyhold, make_key: MakeKey, server: Server
) -> None:
    created = make_key()
    rotated = admin.keys.rotate(created["key"]["id"], grace_period_seconds=0)
    assert rotated["key"]["id"] == created["key"]["id"]
    assert rotated["secret"] != created["secret"]
    with Keyhold(api_key=rotated["secret"], endpoint=server.endpoint) as fresh:
        assert fresh.whoami()["key"]["id"] == created["key"]["id"]
    with Keyhold(api_key=created["secret"], endpoint=server.endpoint, max_retries=0) as old:
        with pytest.raises(KeyholdError) as refused:
            old.whoami()
    assert refused.value.status == 401
    assert refused.value.code in ("invalid_key", "revoked_key", "expired_key")


def test_regenerate_is_rotate_with_a_grace_period(admin: Keyhold, make_key: MakeKey, server: Server) -> None:
    created = make_key()
    rotated = admin.keys.regenerate(created["key"]["id"], grace_period_seconds=3600)
    for secret in (created["secret"], rotated["secret"]):
        with Keyhold(api_key=secret, endpoint=server.endpoint) as client:
            assert client.whoami()["key"]["id"] == created["key"]["id"]


def test_revoke_refuses_the_key_and_is_idempotent(admin: Keyhold, make_key: MakeKey, server: Server) -> None:
    created = make_key()
    revoked = admin.keys.revoke(created["key"]["id"])
    assert revoked["revokedAt"] is not None
    assert admin.keys.revoke(created["key"]["id"])["revokedAt"] == revoked["revokedAt"]
    with Keyhold(api_key=created["secret"], endpoint=server.endpoint, max_retries=0) as client:
        with pytest.raises(KeyholdError) as refused:
            client.whoami()
    assert (refused.value.status, refused.value.code) == (401, "revoked_key")


def test_an_unknown_key_is_401_invalid_key(server: Server) -> None:
    with Keyhold(api_key="kh_test_" + "A" * 38, endpoint=server.endpoint, max_retries=0) as client:
        with pytest.raises(KeyholdError) as refused:
            client.whoami()
    assert (refused.value.status, refused.value.code) == (401, "invalid_key")
    assert refused.value.message


def test_the_read_key_cannot_create_403_insufficient_scope(server: Server) -> None:
    with Keyhold(api_key=server.read_key, endpoint=server.endpoint, max_retries=0) as client:
        with pytest.raises(KeyholdError) as refused:
            client.keys.create(name="py-not-allowed", scopes=["read"])
        assert client.keys.get(server.read_id)["id"] == server.read_id  # reading is allowed
    assert (refused.value.status, refused.value.code) == (403, "insufficient_scope")


def test_an_unknown_id_is_404_not_found(admin: Keyhold) -> None:
    for call in (lambda: admin.keys.get("nope"), lambda: admin.keys.revoke("nope"), lambda: admin.keys.rotate("nope")):
        with pytest.raises(KeyholdError) as missing:
            call()
        assert (missing.value.status, missing.value.code) == (404, "not_found")


def test_a_bad_body_is_400_naming_the_field(admin: Keyhold) -> None:
    with pytest.raises(KeyholdError) as bad:
        admin.keys.create(name="py-bad-scope", scopes=["root"])  # type: ignore[list-item]
    assert (bad.value.status, bad.value.code) == (400, "invalid_request")
    assert "scope" in bad.value.message.lower()
    with pytest.raises(KeyholdError) as nothing:
        admin.keys.update("whatever")
    assert nothing.value.status in (400, 404)


def test_a_wrong_client_id_is_403_client_id_mismatch(server: Server) -> None:
    with Keyhold(api_key=server.read_key, endpoint=server.endpoint, client_id="kh_client_other", max_retries=0) as c:
        with pytest.raises(KeyholdError) as refused:
            c.whoami()
    assert (refused.value.status, refused.value.code) == (403, "client_id_mismatch")
    with Keyhold(api_key=server.read_key, endpoint=server.endpoint, client_id=server.client_id) as c:
        assert c.whoami()["key"]["id"] == server.read_id


def test_a_naive_datetime_is_refused_before_sending(admin: Keyhold) -> None:
    with pytest.raises(ValueError, match="expires_at"):
        admin.keys.create(name="py-naive", scopes=["read"], expires_at=datetime(2030, 1, 1))


def test_usage_members_organization_and_permissions(server: Server) -> None:
    with Keyhold(api_key=server.read_key, endpoint=server.endpoint) as client:
        client.whoami()
        usage = client.usage(range="24h", interval="hour", tz="UTC")
        assert usage["interval"] == "hour" and usage["data"]
        assert usage["totals"]["total"] >= 0
        one = client.usage(from_=datetime.now(timezone.utc) - timedelta(hours=2), key_id=server.read_id)
        assert one["keyId"] == server.read_id
        members = client.members()
        assert [m["email"] for m in members] == ["fixture@example.com"]
        assert members[0]["role"] == "owner"
        organization = client.organization()
        assert organization["id"] == server.organization_id
        assert "requireMfa" in organization["policies"]
        names = [p["name"] for p in client.permissions.list()]
        assert {"inference:read", "inference:write", "analytics:read"} <= set(names)
        with pytest.raises(KeyholdError) as bad:
            client.usage(interval="week")  # type: ignore[arg-type]
        assert (bad.value.status, bad.value.code) == (400, "invalid_request")


def _counting(requests: list[str]) -> httpx.Client:
    def count(request: httpx.Request) -> None:
        requests.append(request.url.path)

    return httpx.Client(event_hooks={"request": [count]})


def test_a_rate_limited_call_raises_429_at_once_with_retry_after(make_key: MakeKey, server: Server) -> None:
    created = make_key(rate_limit=1)
    sent: list[str] = []
    with _counting(sent) as http:
        client = Keyhold(
            api_key=created["secret"], endpoint=server.endpoint, max_retries=2, max_retry_delay=0, http_client=http
        )
        client.whoami()
        with pytest.raises(KeyholdError) as limited:
            client.whoami()
    assert (limited.value.status, limited.value.code) == (429, "rate_limited")
    assert limited.value.retry_after is not None and limited.value.retry_after >= 1
    assert len(sent) == 2  # no retry: the caller decides whether to wait retry_after seconds


def test_no_retries_means_one_request(make_key: MakeKey, server: Server) -> None:
    created = make_key(rate_limit=1)
    sent: list[str] = []
    with _counting(sent) as http:
        client = Keyhold(api_key=created["secret"], endpoint=server.endpoint, max_retries=0, http_client=http)
        client.whoami()
        with pytest.raises(KeyholdError):
            client.whoami()
    assert len(sent) == 2


def test_an_unreachable_endpoint_is_a_network_error() -> None:
    with Keyhold(api_key="kh_test_x", endpoint="http://127.0.0.1:9", max_retries=0) as client:
        with pytest.raises(KeyholdError) as failed:
            client.whoami()
    assert failed.value.status is None
    assert failed.value.code == "network_error"


def test_repr_never_shows_the_secret(server: Server) -> None:
    client = Keyhold(api_key=server.read_key, endpoint=server.endpoint)
    assert server.read_key not in repr(client)
    assert server.read_key[:12] in repr(client)


def test_keyword_arguments_are_required_for_create(admin: Keyhold) -> None:
    create: Any = admin.keys.create
    with pytest.raises(TypeError):
        create("py-positional", ["read"])


def test_the_async_client_does_the_same(server: Server, admin: Keyhold, admin_chain: list[str]) -> None:
    async def run() -> None:
        async with AsyncKeyhold(api_key=admin_chain[-1], endpoint=server.endpoint) as client:
            assert (await client.whoami())["organization"]["id"] == server.organization_id
            created = await client.keys.create(name="py-async", scopes=["read"], environment="test", rate_limit=5)
            assert created["secret"].startswith("kh_test_")
            assert (await client.keys.get(created["key"]["id"]))["rateLimit"] == 5
            updated = await client.keys.update(created["key"]["id"], rate_limit=None)
            assert updated["rateLimit"] is None
            assert created["key"]["id"] in [k["id"] async for k in client.keys.iter(page_size=5)]
            rotated = await client.keys.rotate(created["key"]["id"])
            assert rotated["secret"] != created["secret"]
            assert (await client.keys.revoke(created["key"]["id"]))["revokedAt"] is not None
            assert await client.permissions.list()
            assert (await client.organization())["id"] == server.organization_id
            assert len(await client.members()) == 1
            assert (await client.usage(range="24h"))["data"]
            with pytest.raises(KeyholdError) as missing:
                await client.keys.get("nope")
            assert (missing.value.status, missing.value.code) == (404, "not_found")

    asyncio.run(run())


def test_webhooks_are_managed_and_their_deliveries_read(admin: Keyhold, server: Server, admin_chain: list[str]) -> None:
    # A host that never resolves: accepted at creation (every attempt re-checks it), so nothing is sent anywhere.
    created = admin.webhooks.create("https://hooks.keyhold-py-test.invalid/in", ["key.created"], description="py")
    assert created["secret"].startswith("whsec_")
    hook_id = created["webhook"]["id"]
    assert hook_id in [w["id"] for w in admin.webhooks.list()]
    assert admin.webhooks.update(hook_id, description="renamed")["description"] == "renamed"
    assert admin.webhooks.get(hook_id)["events"] == ["key.created"]

    admin.keys.create(name="py-webhook-trigger", scopes=["read"], environment="test")
    log = admin.webhooks.deliveries(hook_id, limit=10)
    assert "key.created" in [d["eventType"] for d in log["data"]]
    assert admin.webhooks.redeliver(hook_id, log["data"][0]["id"])["id"] == log["data"][0]["id"]
    sent = admin.webhooks.test(hook_id)
    assert sent["eventId"].startswith("evt_")
    tested = [d for d in admin.webhooks.deliveries(hook_id, limit=10)["data"] if d["id"] == sent["deliveryId"]]
    assert [(d["eventId"], d["eventType"]) for d in tested] == [(sent["eventId"], "webhook.test")]
    with pytest.raises(KeyholdError) as no_hook:
        admin.webhooks.test("no-such-webhook")
    assert no_hook.value.status == 404

    async def run() -> None:
        async with AsyncKeyhold(api_key=admin_chain[-1], endpoint=server.endpoint) as client:
            assert (await client.webhooks.get(hook_id))["description"] == "renamed"
            assert (await client.webhooks.deliveries(hook_id))["data"]
            assert (await client.webhooks.test(hook_id))["eventId"].startswith("evt_")
            await client.webhooks.delete(hook_id)

    asyncio.run(run())
    with pytest.raises(KeyholdError) as gone:
        admin.webhooks.get(hook_id)
    assert (gone.value.status, gone.value.code) == (404, "not_found")
    with pytest.raises(ValueError):
        admin.webhooks.get("")
