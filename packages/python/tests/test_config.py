"""Where the client's settings come from: arguments > KEYHOLD_* environment > credentials file (on a real server)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from keyhold import Keyhold, KeyholdConfigError, KeyholdError, credentials_path
from keyhold.types import KeyWithSecret
from keyhold_fixture import Server

MakeKey = Callable[..., KeyWithSecret]


def write_credentials(config: Path, profiles: dict[str, dict[str, Any]]) -> Path:
    """The credentials file as the keyhold CLI writes it."""
    path = config / "keyhold" / "credentials.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"profiles": profiles}))
    path.chmod(0o600)
    return path


def caller(client: Keyhold) -> str:
    with client:
        return client.whoami()["key"]["id"]


@pytest.fixture
def two_keys(make_key: MakeKey) -> tuple[KeyWithSecret, KeyWithSecret]:
    return make_key(), make_key()


def test_the_credentials_file_alone_is_enough(clean_config: Path, server: Server, make_key: MakeKey) -> None:
    key = make_key()
    path = write_credentials(
        clean_config,
        {"default": {"endpoint": server.endpoint, "apiKey": key["secret"], "clientId": server.client_id}},
    )
    assert credentials_path() == path
    client = Keyhold()
    assert (client.endpoint, client.client_id) == (server.endpoint, server.client_id)
    assert caller(client) == key["key"]["id"]


def test_environment_beats_the_file(
    clean_config: Path, server: Server, two_keys: tuple[KeyWithSecret, KeyWithSecret], monkeypatch: pytest.MonkeyPatch
) -> None:
    in_file, in_env = two_keys
    write_credentials(
        clean_config,
        {"default": {"endpoint": "http://127.0.0.1:9", "apiKey": in_file["secret"], "clientId": "kh_client_file"}},
    )
    monkeypatch.setenv("KEYHOLD_API_KEY", in_env["secret"])
    monkeypatch.setenv("KEYHOLD_ENDPOINT", server.endpoint)
    client = Keyhold()
    # The file's clientId belongs to the file's key: it is not sent with the environment's key.
    assert client.client_id is None
    assert caller(client) == in_env["key"]["id"]


def test_the_file_is_not_read_when_the_environment_has_everything(
    clean_config: Path, server: Server, make_key: MakeKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = make_key()
    path = write_credentials(clean_config, {})
    path.write_text("{broken")
    monkeypatch.setenv("KEYHOLD_API_KEY", key["secret"])
    monkeypatch.setenv("KEYHOLD_ENDPOINT", server.endpoint)
    assert caller(Keyhold()) == key["key"]["id"]
    monkeypatch.delenv("KEYHOLD_ENDPOINT")
    with pytest.raises(KeyholdConfigError, match="not valid JSON"):
        Keyhold()


def test_the_file_fills_what_the_environment_leaves_out(
    clean_config: Path, server: Server, two_keys: tuple[KeyWithSecret, KeyWithSecret], monkeypatch: pytest.MonkeyPatch
) -> None:
    in_file, in_env = two_keys
    write_credentials(clean_config, {"default": {"endpoint": server.endpoint, "apiKey": in_file["secret"]}})
    monkeypatch.setenv("KEYHOLD_API_KEY", in_env["secret"])
    assert caller(Keyhold()) == in_env["key"]["id"]


def test_arguments_beat_the_environment(
    server: Server, two_keys: tuple[KeyWithSecret, KeyWithSecret], monkeypatch: pytest.MonkeyPatch
) -> None:
    in_args, in_env = two_keys
    monkeypatch.setenv("KEYHOLD_API_KEY", in_env["secret"])
    monkeypatch.setenv("KEYHOLD_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("KEYHOLD_CLIENT_ID", "kh_client_from_env")
    client = Keyhold(api_key=in_args["secret"], endpoint=server.endpoint, client_id=server.client_id)
    assert client.client_id == server.client_id
    assert caller(client) == in_args["key"]["id"]


def test_the_environments_client_id_is_sent(server: Server, make_key: MakeKey, monkeypatch: pytest.MonkeyPatch) -> None:
    key = make_key()
    monkeypatch.setenv("KEYHOLD_API_KEY", key["secret"])
    monkeypatch.setenv("KEYHOLD_ENDPOINT", server.endpoint)
    monkeypatch.setenv("KEYHOLD_CLIENT_ID", "kh_client_not_ours")
    with Keyhold(max_retries=0) as client, pytest.raises(KeyholdError) as refused:
        client.whoami()
    assert refused.value.code == "client_id_mismatch"


def test_a_named_profile_fills_what_arguments_and_environment_leave_out(
    clean_config: Path, server: Server, two_keys: tuple[KeyWithSecret, KeyWithSecret], monkeypatch: pytest.MonkeyPatch
) -> None:
    staging, in_env = two_keys
    write_credentials(
        clean_config,
        {
            "default": {"endpoint": "http://127.0.0.1:9", "apiKey": "kh_test_default"},
            "staging": {"endpoint": server.endpoint, "apiKey": staging["secret"], "clientId": server.client_id},
        },
    )
    client = Keyhold(profile="staging")
    assert client.client_id == server.client_id
    assert caller(client) == staging["key"]["id"]
    monkeypatch.setenv("KEYHOLD_PROFILE", "staging")
    assert caller(Keyhold()) == staging["key"]["id"]
    # The environment still comes before any profile, as with the keyhold CLI's --profile.
    monkeypatch.setenv("KEYHOLD_API_KEY", in_env["secret"])
    client = Keyhold(profile="staging")
    assert client.client_id is None
    assert caller(client) == in_env["key"]["id"]


def test_xdg_config_home_unset_means_dot_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert credentials_path() == tmp_path / ".config" / "keyhold" / "credentials.json"


def test_no_credentials_says_how_to_get_some() -> None:
    with pytest.raises(KeyholdConfigError, match="no credentials.*KEYHOLD_API_KEY.*keyhold login"):
        Keyhold(endpoint="http://127.0.0.1:9")
    with pytest.raises(KeyholdConfigError, match="no endpoint.*KEYHOLD_ENDPOINT"):
        Keyhold(api_key="kh_test_x")


def test_an_unknown_profile_or_a_broken_file_is_named(clean_config: Path) -> None:
    path = write_credentials(clean_config, {"default": {"endpoint": "http://127.0.0.1:9", "apiKey": "kh_test_x"}})
    with pytest.raises(KeyholdConfigError, match="profile 'prod' is not in"):
        Keyhold(profile="prod")
    path.write_text("{not json")
    with pytest.raises(KeyholdConfigError, match=f"{path} is not valid JSON"):
        Keyhold()
    path.write_text(json.dumps({"profiles": {"default": {"endpoint": "ftp://x", "apiKey": "kh_test_x"}}}))
    with pytest.raises(KeyholdConfigError, match="endpoint must be an http"):
        Keyhold()
    path.write_text(json.dumps({"profiles": {"default": {"endpoint": "http://x", "apiKey": 42}}}))
    with pytest.raises(KeyholdConfigError, match="apiKey in profile 'default'"):
        Keyhold()
