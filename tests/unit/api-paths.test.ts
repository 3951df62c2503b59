// Which requests scripts/server.ts hands to the API app rather than to Next.js.
import { describe, expect, it } from "vitest";
import { isApiPath } from "@/lib/api/node-handler";

describe("isApiPath", () => {
  it.each([
    "/api/v1",
    "/api/v1/",
    "/api/v1/whoami",
    "/api/v1/keys/abc/rotate?x=1",
    "/api/v1?x",
    "/api/health",
    "/api/health?probe=1",
    "/api/metrics",
    "/api/v1/docs/assets/swagger-ui.css",
  ])("%s goes to the API app", (target) => expect(isApiPath(target)).toBe(true));

  it.each([
    "/",
    "/dashboard",
    "/api/auth/session",
    "/api/v1x",
    "/api/v2/whoami",
    "/api/healthcheck",
    "/api/metrics2",
    "/login?next=/api/v1",
  ])("%s goes to Next.js", (target) => expect(isApiPath(target)).toBe(false));
});
