// Vitest for `npm run test:pg`: the integration tests plus the shared rate-limit store tests, against real servers.
import base from "./vitest.config.mts";

export default { ...base, test: { ...base.test, include: ["tests/integration/**/*.test.ts", "tests/stores/**/*.test.ts"] } };
