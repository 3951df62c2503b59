// Vitest for `npm run test:pg`: the integration tests plus the shared rate-limit store tests, against real servers.
import base from "./vitest.config.mts";

const config = {
  ...base,
  test: { ...base.test, include: ["tests/integration/**/*.test.ts", "tests/stores/**/*.test.ts"] },
};

export default config;
