"""The typed webhook events: the package's event types equal the server's (lib/events/types.ts), the WebhookEvent union
has one member per type with the fields of the OpenAPI document's `webhooks` section, and webhooks.verify answers a
delivery of each type (signed by Keyhold's own sender) as that type."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import types
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

import httpx
import pytest

import keyhold
from keyhold import EVENT_TYPES, WebhookEvent
from keyhold.types import TEST_EVENT_TYPE
from keyhold_fixture import REPO_ROOT, Server

TYPES_TS = (REPO_ROOT / "lib" / "events" / "types.ts").read_text()


def members() -> dict[str, type]:
    """Each member of the WebhookEvent union, by the type its `type` field names."""
    found: dict[str, type] = {}
    for cls in get_args(WebhookEvent):
        (name,) = get_args(get_type_hints(cls)["type"])
        found[name] = cls
    return found


def test_event_types_match_the_server_list() -> None:
    block = re.search(r"export const EVENT_TYPES = \[(.*?)\] as const;", TYPES_TS, re.S)
    assert block, "EVENT_TYPES not found in lib/events/types.ts"
    assert EVENT_TYPES == tuple(re.findall(r'"([^"]+)"', block.group(1)))
    assert re.search(rf'export const TEST_EVENT_TYPE = "{re.escape(TEST_EVENT_TYPE)}";', TYPES_TS)


def test_the_union_has_one_member_per_type() -> None:
    assert sorted(members()) == sorted((*EVENT_TYPES, TEST_EVENT_TYPE))
    assert len(get_args(WebhookEvent)) == len(EVENT_TYPES) + 1


@pytest.fixture(scope="module")
def document(server: Server) -> dict[str, Any]:
    answer = httpx.get(f"{server.endpoint}/api/v1/openapi.json", timeout=30)
    answer.raise_for_status()
    doc: dict[str, Any] = answer.json()
    return doc


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The schema itself: a $ref followed, and the non-null branch of a nullable one."""
    if "$ref" in schema:
        resolved: dict[str, Any] = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return resolve(doc, resolved)
    for union in ("anyOf", "oneOf"):
        branches = [s for s in schema.get(union, []) if s.get("type") != "null"]
        if len(branches) == 1:
            return resolve(doc, branches[0])
    return schema


def typed_dict(hint: Any) -> Any:
    """The TypedDict inside `X | None` or `list[X]`, else None."""
    if is_typeddict(hint):
        return hint
    if get_origin(hint) in (Union, types.UnionType, list):
        for arg in get_args(hint):
            inner = typed_dict(arg)
            if inner is not None:
                return inner
    return None


def compare(doc: dict[str, Any], schema: dict[str, Any], hint: Any, path: str) -> None:
    """The TypedDict `hint` has the fields `schema` has, at every depth."""
    schema = resolve(doc, schema)
    if schema.get("type") == "array" and "items" in schema:
        schema = resolve(doc, schema["items"])
    cls = typed_dict(hint)
    if cls is None or "properties" not in schema:
        return
    fields = get_type_hints(cls)
    assert set(fields) == set(schema["properties"]), path
    for name, field in fields.items():
        compare(doc, schema["properties"][name], field, f"{path}.{name}")


TYPED_KEYWORDS = {"type", "$ref", "anyOf", "oneOf", "enum", "const", "properties"}


def envelope(doc: dict[str, Any], event_type: str) -> dict[str, Any]:
    schema: dict[str, Any] = doc["webhooks"][event_type]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return schema


def test_each_type_has_the_fields_of_the_document(document: dict[str, Any]) -> None:
    assert sorted(document["webhooks"]) == sorted(members())
    for event_type, cls in members().items():
        schema = envelope(document, event_type)
        assert schema["properties"]["type"]["const"] == event_type
        compare(document, schema, cls, event_type)
        data = resolve(document, schema["properties"]["data"])
        hint = get_type_hints(cls)["data"]
        # Any-value fields (audit metadata) are optional in JSON Schema, yet always sent.
        typed = {name for name in hint.__required_keys__ if TYPED_KEYWORDS & set(data["properties"][name])}
        assert set(data.get("required", [])) == typed, event_type


def sample(doc: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A value of `schema` (the first enum value, minimal numbers, one array item)."""
    schema = resolve(doc, schema)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object" or "properties" in schema:
        return {name: sample(doc, sub) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [sample(doc, schema["items"])]
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if kind == "string":
        return "2026-12-04T10:00:00.000Z" if schema.get("format") == "date-time" else "x"
    return None


def sign_all(secret: str, bodies: list[str]) -> list[dict[str, str]]:
    """The headers Keyhold's sender (lib/webhooks/send.ts) puts on a delivery of each body, now."""
    script = (
        'const send = await import("./lib/webhooks/send.ts");'
        "const { signatureHeaders } = send.default ?? send;"
        "const [secret, bodies] = process.argv.slice(1);"
        "console.log(JSON.stringify(JSON.parse(bodies).map((body, i) =>"
        " signatureHeaders(secret, { id: `msg_${i}`, timestamp: new Date(), body }))));"
    )
    out = subprocess.run(
        ["node", "--import", "tsx", "--input-type=module", "-e", script, secret, json.dumps(bodies)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    signed: list[dict[str, str]] = json.loads(out.stdout)
    return signed


def summary(event: WebhookEvent) -> str:
    """What a receiver reads from an event, by its type (a type checker narrows `data` on `type`)."""
    if event["type"] == "key.revoked":
        return f"revoked {event['data']['key']['id']}"
    if event["type"] == "member.removed":
        return f"{event['data']['member']['email']} {'left' if event['data']['left'] else 'removed'}"
    if event["type"] == "credits.low":
        return f"{event['data']['remaining']} credits left"
    return event["type"]


def test_verify_answers_each_type_as_delivered(document: dict[str, Any]) -> None:
    secret = "whsec_" + base64.b64encode(os.urandom(24)).decode()
    events = {t: sample(document, envelope(document, t)) for t in sorted(members())}
    bodies = [json.dumps(e) for e in events.values()]
    for (event_type, expected), body, headers in zip(events.items(), bodies, sign_all(secret, bodies)):
        event = keyhold.webhooks.verify(body, headers, secret)
        assert event == expected
        assert event["type"] == event_type
        assert set(event["data"]) == set(get_type_hints(members()[event_type])["data"].__annotations__)
    summaries = {t: summary(e) for t, e in events.items()}  # type: ignore[arg-type]
    assert summaries["key.revoked"] == "revoked x"
    assert summaries["member.removed"] == "x left"
    assert summaries["credits.low"] == "0 credits left"
    assert summaries["webhook.test"] == "webhook.test"
