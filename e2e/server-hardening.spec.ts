// The production server (scripts/server.ts in front of Next): cross-origin server actions get 403, not Next's 500.
import { expect, test } from "@playwright/test";

const ACTION = {
  "Next-Action": "0123456789abcdef0123456789abcdef01234567",
  "Content-Type": "text/plain;charset=UTF-8",
};

test("a server action from another origin, Origin: null or a mismatched X-Forwarded-Host gets 403, no stack", async ({
  request,
  baseURL,
}) => {
  const host = new URL(baseURL!).host;
  for (const headers of <Record<string, string>[]>[
    { Origin: "http://evil.example" },
    { Origin: "null" },
    { Origin: `http://${host}`, "X-Forwarded-Host": "evil.example" },
  ]) {
    const response = await request.post("/login", { headers: { ...ACTION, ...headers }, data: "[]" });
    expect(response.status(), JSON.stringify(headers)).toBe(403);
    expect(await response.text()).not.toMatch(/at .*\.js|digest/);
  }
  // Same origin: Next handles it (an unknown action is its own 4xx).
  const same = await request.post("/login", { headers: { ...ACTION, Origin: `http://${host}` }, data: "[]" });
  expect(same.status()).toBeLessThan(500);
});
