// Vitest for the container test (scripts/ci-docker.sh): the image built, the compose stack up, then the checks.
import base from "./vitest.config.mts";

const config = {
  ...base,
  test: {
    ...base.test,
    include: ["tests/container/**/*.test.ts"],
    testTimeout: 120_000,
    // beforeAll builds the image and brings the stack up: generous, each step has its own deadline too.
    hookTimeout: 45 * 60_000,
  },
};

export default config;
