"""The fixture server the tests run against: scripts/fixture-server.ts from the repository root, and what it prints."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
# Starting the fixture server compiles TypeScript and migrates a database: generous, it is a deadline, not a wait.
START_DEADLINE_SECONDS = 180


@dataclass(frozen=True)
class Server:
    """The running fixture server: where it listens, its service token, its organization and keys."""

    endpoint: str
    service_token: str
    organization_id: str
    client_id: str
    admin_id: str
    admin_key: str
    read_id: str
    read_key: str


def start_fixture_server(log: Path) -> tuple[subprocess.Popen[bytes], dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATA_DIR", "PORT")}
    with log.open("wb") as stderr:
        proc = subprocess.Popen(
            ["node", "--import", "tsx", "scripts/fixture-server.ts"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    line = b""
    while not line.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not selector.select(timeout=remaining):
            proc.kill()
            pytest.exit(f"fixture server printed nothing in {START_DEADLINE_SECONDS}s: {log.read_text()[-2000:]}", 1)
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            proc.wait()
            pytest.exit(f"fixture server exited ({proc.returncode}): {log.read_text()[-2000:]}", 1)
        line += chunk
    selector.close()
    return proc, json.loads(line)
