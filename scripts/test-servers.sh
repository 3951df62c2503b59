#!/usr/bin/env bash
# Runs the integration tests against a PostgreSQL server (TEST_DATABASE_URL), the shared rate-limit stores (PostgreSQL,
# and Redis when REDIS_URL is set), and three API processes on one database (tests/stores/three-instances.test.ts, and
# tests/stores/credits-instances.test.ts for credits spent through all three), and forward authentication through real
# nginx and caddy processes (tests/gateway/).
# Prints why and exits 0 when TEST_DATABASE_URL is unset.
set -euo pipefail
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "TEST_DATABASE_URL is not set: skipping the PostgreSQL run"
  exit 0
fi
[ -n "${REDIS_URL:-}" ] || echo "REDIS_URL is not set: the shared-store tests cover PostgreSQL only"
# The integration files two at a time (each has its own throwaway database, as on PGlite in test:unit); the
# multi-process and real-proxy files one at a time: they time revocations and drains across processes.
KEYHOLD_TEST_DB=postgres npx vitest run --config vitest.servers.config.mts --maxWorkers=2 tests/integration
KEYHOLD_TEST_DB=postgres exec npx vitest run --config vitest.servers.config.mts tests/stores tests/gateway
