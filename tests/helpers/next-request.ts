// Next's request context for server actions called from tests: a cookie jar and request headers behind next/headers.
// Use with `vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders)`.
import { encode, type JWT } from "next-auth/jwt";
import { sessionCookieName } from "@/lib/auth/options";
import { env } from "@/lib/env";
import { PEER_HEADER, PEER_SIG_HEADER, setPeerToken } from "@/lib/ip/client-ip";

type CookieOptions = { expires?: Date; maxAge?: number } & Record<string, unknown>;

export const request = {
  jar: new Map<string, { value: string; options: CookieOptions }>(),
  headers: new Headers(),
};

// Makes the request come from `ip`, as the Keyhold server stamps its TCP peer.
export function fromClientIp(ip: string): void {
  setPeerToken("test-peer-token");
  request.headers.set(PEER_SIG_HEADER, "test-peer-token");
  request.headers.set(PEER_HEADER, ip);
}

// A stand-in for next/headers' cookies() and headers() reading and writing `request`.
export const nextHeaders = {
  cookies: async () => ({
    get: (name: string) => (request.jar.has(name) ? { name, value: request.jar.get(name)!.value } : undefined),
    getAll: () => [...request.jar].map(([name, { value }]) => ({ name, value })),
    set: (...args: [string, string, CookieOptions?] | [{ name: string; value: string } & CookieOptions]) => {
      const [name, value, options = {}] =
        typeof args[0] === "string"
          ? (args as [string, string, CookieOptions?])
          : [args[0].name, args[0].value, args[0]];
      const expired =
        options.maxAge === 0 || (options.expires !== undefined && options.expires.getTime() <= Date.now());
      if (expired) request.jar.delete(name);
      else request.jar.set(name, { value, options });
    },
    delete: (name: string) => request.jar.delete(name),
  }),
  headers: async () => request.headers,
};

// The session cookie value currently in the jar ("" when there is none).
export function sessionCookie(): string {
  return request.jar.get(sessionCookieName())?.value ?? "";
}

// Puts a session cookie in the jar (an encoded token, or a raw value kept from an earlier request).
export async function withSession(token: JWT | string | null): Promise<string> {
  request.jar.delete(sessionCookieName());
  if (token === null) return "";
  const value = typeof token === "string" ? token : await encode({ token, secret: env().authSecret });
  request.jar.set(sessionCookieName(), { value, options: {} });
  return value;
}

// The path a server action redirected to (Next's redirect() throws NEXT_REDIRECT), or null when it returned.
export async function redirectOf(run: Promise<unknown>): Promise<string | null> {
  try {
    await run;
    return null;
  } catch (err) {
    const digest = (err as { digest?: unknown }).digest;
    if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT;")) return digest.split(";")[2];
    throw err;
  }
}
