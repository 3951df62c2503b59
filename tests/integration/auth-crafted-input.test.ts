// Crafted input on /api/auth/* answers 4xx or a normal answer, never 500: a callbackUrl that is no URL (in the query,
// in a form body, where next-auth does not check it), and a callback-url cookie that is no URL (which next-auth
// answers with 500 on every action, session and csrf included).
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { GET, POST } from "@/app/api/auth/[...nextauth]/route";
import { authOptions, callbackUrlCookieName } from "@/lib/auth/options";
import { authRedirectUrl } from "@/lib/auth/redirects";
import { withTestDb } from "../helpers/db";

withTestDb();
const ORIGIN = "http://localhost:3000";
const NOT_A_URL = "http://127.0.0.1:4100.evil.example/";

// A request to the app's /api/auth route handler.
function route(method: "GET" | "POST", path: string, init: { cookie?: string; body?: string } = {}) {
  const url = new URL(path, ORIGIN);
  const headers: Record<string, string> = {};
  if (init.cookie) headers.cookie = init.cookie;
  if (init.body) headers["content-type"] = "application/x-www-form-urlencoded";
  const req = new NextRequest(url, { method, headers, body: init.body });
  const nextauth = url.pathname.replace(/^\/api\/auth\//, "").split("/");
  return (method === "GET" ? GET : POST)(req, { params: Promise.resolve({ nextauth }) });
}

// next-auth's own handler in its API-route form (which needs no Next request scope): status and Location.
async function nextAuthCore(req: {
  method: string;
  nextauth: string[];
  body?: Record<string, string>;
  cookies?: Record<string, string>;
}) {
  const out = { status: 200, location: undefined as string | undefined };
  const res = {
    status: (code: number) => ((out.status = code), res),
    setHeader: (name: string, value: string) => {
      if (name.toLowerCase() === "location") out.location = value;
      return res;
    },
    getHeader: () => undefined,
    send: () => {},
    end: () => {},
    json: () => {},
  };
  await (NextAuth as unknown as (req: unknown, res: unknown, options: unknown) => Promise<void>)(
    {
      method: req.method,
      query: { nextauth: req.nextauth },
      body: req.body ?? {},
      cookies: req.cookies ?? {},
      headers: { host: "localhost:3000" },
    },
    res,
    authOptions(),
  );
  return out;
}

describe("a callbackUrl that is no URL", () => {
  it("in the query: 400 from the route", async () => {
    const res = await route("GET", `/api/auth/signin?callbackUrl=${encodeURIComponent(NOT_A_URL)}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_request" } });
  });

  it("in a sign-in form body: next-auth answers normally and sends nobody elsewhere", async () => {
    const res = await nextAuthCore({
      method: "POST",
      nextauth: ["callback", "credentials"],
      body: {
        email: "someone@example.com",
        password: "a long enough password",
        csrfToken: "x",
        callbackUrl: NOT_A_URL,
      },
    });
    expect(res.status).toBeLessThan(500);
    expect(res.location).toBeDefined();
    expect(new URL(res.location!, ORIGIN).origin).toBe(ORIGIN);
    expect(res.location).not.toContain("evil.example");
  });
});

describe("a callback-url cookie that is no URL", () => {
  for (const path of ["/api/auth/session", "/api/auth/csrf"]) {
    it(`GET ${path}: 400 that clears the cookie (next-auth alone answers 500)`, async () => {
      for (const value of ["http://[", NOT_A_URL]) {
        const res = await route("GET", path, { cookie: `${callbackUrlCookieName()}=${value}` });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: { code: "invalid_request" } });
        expect(res.headers.get("set-cookie")).toMatch(new RegExp(`^${callbackUrlCookieName()}=;.*Max-Age=0`));
        // What the route spares the caller: next-auth's own answer to that cookie.
        const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
        const core = await nextAuthCore({
          method: "GET",
          nextauth: [path.split("/").at(-1)!],
          cookies: { [callbackUrlCookieName()]: value },
        });
        quiet.mockRestore();
        expect(core.status).toBe(500);
      }
    });
  }
});

describe("next-auth's redirect callback", () => {
  it("keeps paths and this origin's URLs; sends another origin or an unparsable URL home; never throws", () => {
    expect(authRedirectUrl("/dashboard/keys?x=1", ORIGIN)).toBe(`${ORIGIN}/dashboard/keys?x=1`);
    expect(authRedirectUrl("//evil.example/x", ORIGIN)).toBe(`${ORIGIN}/`);
    expect(authRedirectUrl(`${ORIGIN}/dashboard`, ORIGIN)).toBe(`${ORIGIN}/dashboard`);
    expect(authRedirectUrl("https://evil.example/", ORIGIN)).toBe(ORIGIN);
    expect(authRedirectUrl(NOT_A_URL, ORIGIN)).toBe(ORIGIN);
    expect(authRedirectUrl("http://[", ORIGIN)).toBe(ORIGIN);
    expect(authRedirectUrl("javascript:alert(1)", ORIGIN)).toBe(ORIGIN);
  });
});
