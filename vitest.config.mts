// Vitest: unit and integration tests (integration on in-memory PGlite, or PostgreSQL with KEYHOLD_TEST_DB=postgres).
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    environment: "node",
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: "test", NEXTAUTH_SECRET: "test-secret-test-secret-test-secret-0123" },
  },
});
