// Vitest: unit and integration tests (integration on in-memory PGlite, or PostgreSQL with KEYHOLD_TEST_DB=postgres).
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    environment: "node",
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    pool: "forks",
    // Vitest's default on a 2-core machine is one worker; most files wait on their own embedded database or servers,
    // so two halve the suite's time (5 min against 10 in CI).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: "test", NEXTAUTH_SECRET: "test-secret-test-secret-test-secret-0123" },
  },
});
