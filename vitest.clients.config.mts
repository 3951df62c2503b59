// Vitest for `npm run test:clients`: the SDK and CLI against real Keyhold API servers (scripts/fixture-server.ts, one per
// test file). The packages must be built first (`npm run build:packages`; test:clients does it).
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    environment: "node",
    include: ["tests/clients/**/*.test.ts"],
    pool: "forks",
    // Tests of the SDK's deadlines collect garbage on purpose (globalThis.gc).
    execArgv: ["--expose-gc"],
    // One fixture server at a time: each starts a migrated embedded database, and the machine is small.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: "test" },
  },
});
