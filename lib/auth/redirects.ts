// Safe post-sign-in destinations: only same-site paths, never another origin.

// Any origin we own would do: `next` is resolved against it only to see where a browser would go.
const BASE = "http://keyhold.invalid";

// Browsers drop tabs and newlines from URLs (`/\t/evil.com` becomes `//evil.com`) and read `\` as `/`, so such a
// `next` is refused outright rather than cleaned.
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\\]/;

// Returns `next` as a path on this origin (pathname, query, fragment) when it stays here, else the fallback.
export function safeNextPath(next: string | null | undefined, fallback = "/dashboard"): string {
  if (!next || !next.startsWith("/") || UNSAFE_CHARACTER.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  const path = url.pathname + url.search + url.hash;
  // Dot segments can resolve to `//host` (`/.//evil.com`), which a browser reads as another origin.
  if (url.origin !== BASE || path.startsWith("//")) return fallback;
  return path;
}

// next-auth's redirect callback: a path, or a URL on this origin, stays; another origin or an unparsable URL (from a
// form field or the callback-url cookie, which next-auth does not check) goes to `baseUrl` instead of throwing.
export function authRedirectUrl(url: string, baseUrl: string): string {
  if (url.startsWith("/")) return `${baseUrl}${safeNextPath(url, "/")}`;
  try {
    return new URL(url).origin === baseUrl ? url : baseUrl;
  } catch {
    return baseUrl;
  }
}
