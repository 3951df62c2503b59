// Vitest for `npm run test:pg`: the integration tests, the shared rate-limit store tests and the real-proxy gateway
// tests (nginx, caddy), against real servers.
import base from "./vitest.config.mts";

const config = {
  ...base,
  test: {
    ...base.test,
    include: ["tests/integration/**/*.test.ts", "tests/stores/**/*.test.ts", "tests/gateway/**/*.test.ts"],
    // One file at a time: the multi-process and real-proxy files time revocations and drains across processes
    // (scripts/test-servers.sh runs tests/integration with two workers, then the rest with this one).
    maxWorkers: 1,
  },
};

export default config;
