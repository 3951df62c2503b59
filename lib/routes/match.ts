// Route patterns of the forward-authentication route table and the matching of a request's method and path against
// them. Pure: no database, no environment. The most specific pattern wins: compared segment by segment, a literal beats
// a `:param`, which beats `*`; on equal paths a route for the exact method beats one for `*`.

export const ROUTE_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "*"] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

export type Segment = { kind: "literal"; value: string } | { kind: "param"; name: string } | { kind: "rest" };

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
// RFC 3986 pchar without ":" at the start (that is a parameter) and without "*" (the wildcard).
const LITERAL = /^(?:[A-Za-z0-9\-._~!$&'()+,;=:@]|%[0-9A-Fa-f]{2})+$/;
export const MAX_PATTERN_LENGTH = 512;

// A path segment as a server sees it: percent-decoded; null when the encoding is broken or the segment could change
// the path's meaning on the way to the upstream (".", "..", or an encoded "/").
function decodeSegment(raw: string): string | null {
  let value: string;
  try {
    value = raw.includes("%") ? decodeURIComponent(raw) : raw;
  } catch {
    return null;
  }
  if (value === "." || value === ".." || value.includes("/") || value.includes("\\")) return null;
  return value;
}

// Parses a pattern such as /v1/chat/* or /v1/models/:id; answers an error message instead when it is not one.
export function parsePattern(pattern: string): Segment[] | string {
  if (!pattern.startsWith("/")) return "A path pattern starts with /";
  if (pattern.length > MAX_PATTERN_LENGTH) return `A path pattern is at most ${MAX_PATTERN_LENGTH} characters`;
  if (pattern === "/") return [{ kind: "literal", value: "" }];
  const parts = pattern.slice(1).split("/");
  const segments: Segment[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === "*") {
      if (i !== parts.length - 1) return "* may only be the last segment (it matches the rest of the path)";
      segments.push({ kind: "rest" });
    } else if (part.startsWith(":")) {
      if (!PARAM_NAME.test(part.slice(1))) return `Not a parameter name: ${part} (letters, digits and _)`;
      segments.push({ kind: "param", name: part.slice(1) });
    } else if (part === "") {
      return i === parts.length - 1
        ? "A path pattern does not end with / (requests are matched without their trailing slash)"
        : "A path pattern has no empty segments (//)";
    } else {
      if (part.includes("*")) return `* is a whole segment, not part of one: ${part}`;
      if (!LITERAL.test(part)) return `Not a path segment: ${part}`;
      const value = decodeSegment(part);
      if (value === null) return `Not a path segment: ${part} (no ., .. or encoded /)`;
      segments.push({ kind: "literal", value });
    }
  }
  return segments;
}

// The shape of a pattern, parameter names left out: two patterns with one shape match exactly the same paths.
export function patternShape(segments: readonly Segment[]): string {
  return segments.map((s) => (s.kind === "literal" ? `=${s.value}` : s.kind === "param" ? ":" : "*")).join("/");
}

// The path of a request URI (path and query, or an absolute URI) as decoded segments; null when it is not a path a
// route table can judge safely (no leading /, broken percent-encoding, dot segments, an encoded /, an empty segment
// before the last). A trailing slash is dropped.
export function pathSegments(uri: string): string[] | null {
  let path = uri;
  const cut = path.search(/[?#]/);
  if (cut !== -1) path = path.slice(0, cut);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    const slash = path.indexOf("/", path.indexOf("//") + 2);
    path = slash === -1 ? "/" : path.slice(slash);
  }
  if (!path.startsWith("/")) return null;
  const raws = path.slice(1).split("/");
  const out: string[] = [];
  for (let i = 0; i < raws.length; i++) {
    const value = decodeSegment(raws[i]);
    // An empty segment inside the path (//): an upstream that merges slashes would serve another route than matched.
    if (value === null || (value === "" && i < raws.length - 1)) return null;
    out.push(value);
  }
  // /v1/models/x/ is /v1/models/x, as most upstreams route it (otherwise it would meet a looser route).
  if (out.length > 1 && out[out.length - 1] === "") out.pop();
  return out;
}

export type RouteRule<T> = { method: RouteMethod; path: string; data: T };
export type RouteMatch<T> = { method: RouteMethod; path: string; data: T; params: Record<string, string> };

type Compiled<T> = RouteRule<T> & { segments: Segment[]; ranks: number[] };

export type RouteMatcher<T> = {
  // The most specific route for a method and decoded path segments, or null.
  match(method: string, segments: readonly string[]): RouteMatch<T> | null;
  // The routes, most specific first (the order a lookup tries them in).
  ordered(): RouteRule<T>[];
};

const RANK = { literal: 3, param: 2, rest: 1 } as const;

// Orders two routes: negative when `a` is more specific (tried first).
function bySpecificity<T>(a: Compiled<T>, b: Compiled<T>): number {
  const n = Math.max(a.ranks.length, b.ranks.length);
  for (let i = 0; i < n; i++) {
    const d = (b.ranks[i] ?? 0) - (a.ranks[i] ?? 0);
    if (d !== 0) return d;
  }
  return (a.method === "*" ? 1 : 0) - (b.method === "*" ? 1 : 0);
}

function matchSegments(pattern: readonly Segment[], path: readonly string[], params: Record<string, string>): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const s = pattern[i];
    if (s.kind === "rest") return path.length > i;
    if (i >= path.length) return false;
    if (s.kind === "literal") {
      if (s.value !== path[i]) return false;
    } else params[s.name] = path[i];
  }
  return pattern.length === path.length;
}

// Compiles routes (patterns already valid: an invalid one throws) into a matcher that tries the most specific first.
export function compileRoutes<T>(routes: readonly RouteRule<T>[]): RouteMatcher<T> {
  const compiled: Compiled<T>[] = routes.map((r) => {
    const segments = parsePattern(r.path);
    if (typeof segments === "string") throw new Error(`${r.path}: ${segments}`);
    return { ...r, segments, ranks: segments.map((s) => RANK[s.kind]) };
  });
  compiled.sort(bySpecificity);
  return {
    match(method, path) {
      const upper = method.toUpperCase();
      for (const r of compiled) {
        if (r.method !== "*" && r.method !== upper) continue;
        const params: Record<string, string> = {};
        if (matchSegments(r.segments, path, params)) return { method: r.method, path: r.path, data: r.data, params };
      }
      return null;
    },
    ordered: () => compiled.map(({ method, path, data }) => ({ method, path, data })),
  };
}
