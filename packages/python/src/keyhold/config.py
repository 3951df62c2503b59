"""Where the client's settings come from: arguments, then KEYHOLD_* environment variables, then the credentials file."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import KeyholdConfigError

DEFAULT_PROFILE = "default"


@dataclass(frozen=True)
class Settings:
    """The resolved connection settings of a client."""

    endpoint: str
    api_key: str
    client_id: str | None


def credentials_path(environ: Mapping[str, str] | None = None) -> Path:
    """The credentials file the keyhold CLI writes: $XDG_CONFIG_HOME/keyhold/credentials.json or ~/.config/…."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "keyhold" / "credentials.json"


def read_profile(name: str, path: Path, *, required: bool) -> dict[str, Any]:
    """One profile of the credentials file ({} when the file or profile is absent and not `required`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise KeyholdConfigError(f"profile {name!r}: no credentials file at {path}; run `keyhold login`") from None
        return {}
    except OSError as err:
        raise KeyholdConfigError(f"cannot read the credentials file {path}: {err.strerror}") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise KeyholdConfigError(f"the credentials file {path} is not valid JSON") from None
    profiles = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(profiles, dict):
        raise KeyholdConfigError(f'the credentials file {path} has no "profiles" object')
    profile = profiles.get(name)
    if profile is None:
        if required:
            raise KeyholdConfigError(f"profile {name!r} is not in {path}; run `keyhold login --profile {name}`")
        return {}
    if not isinstance(profile, dict):
        raise KeyholdConfigError(f"profile {name!r} in {path} is not an object")
    return profile


def _text(value: Any, what: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise KeyholdConfigError(f"{what} must be a string")
    return value


def resolve_settings(
    *,
    api_key: str | None = None,
    client_id: str | None = None,
    endpoint: str | None = None,
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Each setting from its argument, else KEYHOLD_API_KEY / KEYHOLD_CLIENT_ID / KEYHOLD_ENDPOINT, else the profile
    (`profile`, else KEYHOLD_PROFILE, else "default") of the credentials file, read only when needed (as the TypeScript
    SDK and CLI do). A profile's clientId goes only with that profile's key (another key would get client_id_mismatch).
    """
    env = os.environ if environ is None else environ
    from_env = {
        field: _text(env.get(variable), variable)
        for field, variable in (
            ("apiKey", "KEYHOLD_API_KEY"),
            ("clientId", "KEYHOLD_CLIENT_ID"),
            ("endpoint", "KEYHOLD_ENDPOINT"),
        )
    }
    args = {"apiKey": api_key or None, "clientId": client_id or None, "endpoint": endpoint or None}
    name = profile or env.get("KEYHOLD_PROFILE") or DEFAULT_PROFILE
    stored: dict[str, str | None] = {}
    if not (args["apiKey"] or from_env["apiKey"]) or not (args["endpoint"] or from_env["endpoint"]):
        path = credentials_path(env)
        raw = read_profile(name, path, required=bool(profile or env.get("KEYHOLD_PROFILE")))
        stored = {field: _text(raw.get(field), f"{field} in profile {name!r} of {path}") for field in args}
    sources = (args, from_env, stored)

    def pick(field: str, among: tuple[dict[str, str | None], ...]) -> tuple[str | None, object]:
        return next(((source[field], source) for source in among if source.get(field)), (None, None))

    key, key_source = pick("apiKey", sources)
    url, _ = pick("endpoint", sources)
    if not key:
        raise KeyholdConfigError("no credentials: pass api_key=, set KEYHOLD_API_KEY, or run `keyhold login`")
    if not url:
        raise KeyholdConfigError("no endpoint: pass endpoint=, set KEYHOLD_ENDPOINT, or run `keyhold login`")
    client, _ = pick("clientId", sources if key_source is stored else tuple(s for s in sources if s is not stored))
    return Settings(endpoint=normalise_endpoint(url, "endpoint"), api_key=key, client_id=client)


def normalise_endpoint(url: str, what: str) -> str:
    """The Keyhold base URL without a trailing slash or `/api/v1`; refuses anything but http(s)://host…."""
    stripped = url.strip().rstrip("/")
    if stripped.lower().endswith("/api/v1"):
        stripped = stripped[: -len("/api/v1")].rstrip("/")
    scheme, sep, rest = stripped.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest:
        raise KeyholdConfigError(f"{what} must be an http:// or https:// URL, got {url!r}", "invalid_endpoint")
    return stripped
