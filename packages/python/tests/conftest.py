"""A real Keyhold for the tests: scripts/fixture-server.ts (fresh embedded database, free port) for the session."""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from keyhold import Keyhold
from keyhold.types import KeyWithSecret
from keyhold_fixture import Server, start_fixture_server


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    with tempfile.TemporaryDirectory(prefix="keyhold-py-tests-") as tmp:
        proc, info = start_fixture_server(Path(tmp) / "fixture-server.log")
        try:
            keys = info["keys"]
            org = info["organization"]
            assert isinstance(keys, dict) and isinstance(org, dict)
            yield Server(
                endpoint=str(info["endpoint"]),
                service_token=str(info["serviceToken"]),
                organization_id=org["id"],
                client_id=org["clientId"],
                admin_id=keys["admin"]["id"],
                admin_key=keys["admin"]["secret"],
                read_id=keys["read"]["id"],
                read_key=keys["read"]["secret"],
            )
        finally:
            assert proc.stdin is not None
            proc.stdin.close()  # the fixture server stops when its stdin closes
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.terminate()
                proc.wait(timeout=10)


@pytest.fixture(autouse=True)
def clean_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No KEYHOLD_* variable and an empty config folder: the developer's own credentials never leak into a test."""
    for name in list(os.environ):
        if name.startswith("KEYHOLD_"):
            monkeypatch.delenv(name)
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config


@pytest.fixture(scope="session")
def admin_chain(server: Server) -> list[str]:
    """The admin secret the next test starts from (the free plan allows 60 requests per minute per key, so each test
    gets a fresh admin key, created with the previous one)."""
    return [server.admin_key]


@pytest.fixture
def admin(server: Server, admin_chain: list[str]) -> Iterator[Keyhold]:
    """A client with an admin key of its own."""
    with Keyhold(api_key=admin_chain[-1], endpoint=server.endpoint) as previous:
        fresh = previous.keys.create(name=f"py-admin-{uuid.uuid4().hex[:10]}", scopes=["admin"], environment="test")
    admin_chain.append(fresh["secret"])
    with Keyhold(api_key=fresh["secret"], endpoint=server.endpoint) as client:
        yield client


@pytest.fixture
def make_key(admin: Keyhold) -> Callable[..., KeyWithSecret]:
    """Creates a key with the admin client: a fresh name, test environment, read scope unless told otherwise."""

    def make(**fields: Any) -> KeyWithSecret:
        fields.setdefault("name", f"py-{uuid.uuid4().hex[:10]}")
        fields.setdefault("environment", "test")
        fields.setdefault("scopes", ["read"])
        return admin.keys.create(**fields)

    return make
