// Playwright: user journeys in Debian's Chromium against a production build (next build + the Keyhold server) on a fresh embedded database.
import { defineConfig, devices } from "@playwright/test";
import { env } from "./lib/env";

const { CHROMIUM_PATH, E2E_PORT: port } = env();
const baseURL = `http://localhost:${port}`;

export const E2E_SERVICE_TOKEN = "e2e-service-token-0123456789";

// The test identity provider (e2e/sso.spec.ts starts it in its beforeAll) listens on the port after the app's, so the
// server knows its issuer before it starts.
export const E2E_IDP = {
  port: port + 1,
  issuer: `http://127.0.0.1:${port + 1}`,
  clientId: "keyhold-e2e",
  clientSecret: "keyhold-e2e-client-secret-0123456789",
  callbackUrl: `${baseURL}/api/auth/callback/oidc`,
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/, use: { ...devices["Desktop Chrome"] } },
    {
      name: "chromium",
      testIgnore: /.*\.setup\.ts/,
      dependencies: ["setup"],
      use: { ...devices["Desktop Chrome"] },
    },
  ],
  webServer: {
    command: "rm -rf .e2e-data && npm run build && npm start",
    url: `${baseURL}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      DATA_DIR: ".e2e-data",
      NEXTAUTH_URL: baseURL,
      NEXTAUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123456789",
      KEYHOLD_SERVICE_TOKEN: E2E_SERVICE_TOKEN,
      // Every journey signs up from 127.0.0.1: more than the default per-IP sign-up throttle allows.
      SIGNUP_RATE_LIMIT_PER_HOUR: "1000",
      // …and signs in from it, more often a minute than the default per-IP sign-in throttle allows.
      SIGNIN_RATE_LIMIT_PER_MINUTE: "1000",
      // The webhook journey's receiver is plain http on 127.0.0.1.
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
      NEXT_TELEMETRY_DISABLED: "1",
      // Single sign-on through the test identity provider.
      OIDC_ISSUER: E2E_IDP.issuer,
      OIDC_CLIENT_ID: E2E_IDP.clientId,
      OIDC_CLIENT_SECRET: E2E_IDP.clientSecret,
      OIDC_NAME: "Test IdP",
      DATABASE_URL: "",
    },
  },
});
