// The route table's patterns and matching (lib/routes/match.ts): parsing, specificity (literal > :param > *; an exact
// method over *), * as the rest of the path, and request paths that could mean something else upstream refused.
import { describe, expect, it } from "vitest";
import { compileRoutes, parsePattern, pathSegments, type RouteMethod } from "@/lib/routes/match";
import { routeTableSchema } from "@/lib/validations/routes";

function matcher(routes: [RouteMethod, string][]) {
  return compileRoutes(routes.map(([method, path]) => ({ method, path, data: `${method} ${path}` })));
}

function winner(m: ReturnType<typeof matcher>, method: string, uri: string): string | null {
  return m.match(method, pathSegments(uri)!)?.data ?? null;
}

describe("parsePattern", () => {
  it.each(["/", "/v1", "/v1/chat/*", "/v1/models/:id", "/v1/models/:id/versions/:v", "/*", "/a%20b", "/v1:x"])(
    "accepts %s",
    (p) => expect(Array.isArray(parsePattern(p))).toBe(true),
  );

  it.each([
    ["v1", "starts with /"],
    ["/v1/*/x", "last segment"],
    ["/v1/chat*", "whole segment"],
    ["/v1//x", "empty segments"],
    ["/v1/", "does not end with /"],
    ["/v1/:", "parameter name"],
    ["/v1/:a-b", "parameter name"],
    ["/v1/../admin", "no ., .."],
    ["/v1/%2e%2e/admin", "no ., .."],
    ["/v1/a%2Fb", "encoded /"],
    ["/v1/%zz", "Not a path segment"],
    ["/v1?x=1", "Not a path segment"],
    [`/${"a".repeat(600)}`, "at most"],
  ])("refuses %s", (p, message) => {
    const result = parsePattern(p);
    expect(typeof result).toBe("string");
    expect(result).toContain(message);
  });
});

describe("pathSegments", () => {
  it("drops the query and fragment and decodes segments", () => {
    expect(pathSegments("/v1/a%20b?x=/y#z")).toEqual(["v1", "a b"]);
    expect(pathSegments("/")).toEqual([""]);
    expect(pathSegments("https://api.example.com/v1/x?q")).toEqual(["v1", "x"]);
  });

  it.each([
    "v1/x",
    "/v1/../admin",
    "/v1/./x",
    "/v1/%2e%2E/admin",
    "/v1/a%2fb",
    "/v1/a%5cb",
    "/v1/%e0%a4%a",
    "/v1//models/x",
    "//v1",
  ])("refuses %s", (uri) => expect(pathSegments(uri)).toBeNull());
});

describe("specificity", () => {
  const m = matcher([
    ["*", "/*"],
    ["*", "/v1/*"],
    ["*", "/v1/chat/*"],
    ["POST", "/v1/chat/completions"],
    ["GET", "/v1/models/:id"],
    ["GET", "/v1/models/special"],
    ["*", "/v1/models/:id"],
    ["GET", "/v1/:resource/list"],
    ["GET", "/"],
  ]);

  it.each([
    ["POST", "/v1/chat/completions", "POST /v1/chat/completions"],
    ["GET", "/v1/chat/completions", "* /v1/chat/*"],
    ["GET", "/v1/chat/a/b/c", "* /v1/chat/*"],
    ["GET", "/v1/models/gpt", "GET /v1/models/:id"],
    ["DELETE", "/v1/models/gpt", "* /v1/models/:id"],
    ["GET", "/v1/models/special", "GET /v1/models/special"],
    ["GET", "/v1/models/gpt/extra", "* /v1/*"],
    ["GET", "/v1/models/list", "GET /v1/models/:id"],
    ["GET", "/v1/things/list", "GET /v1/:resource/list"],
    ["GET", "/v2/anything", "* /*"],
    ["GET", "/", "GET /"],
    ["post", "/v1/chat/completions", "POST /v1/chat/completions"],
  ])("%s %s → %s", (method, uri, expected) => expect(winner(m, method, uri)).toBe(expected));

  it("* matches at least one segment: /v1/chat/* does not match /v1/chat (nor /v1/chat/)", () => {
    expect(winner(matcher([["*", "/v1/chat/*"]]), "GET", "/v1/chat")).toBeNull();
    expect(winner(matcher([["*", "/v1/chat/*"]]), "GET", "/v1/chat/")).toBeNull();
    expect(winner(matcher([["*", "/v1/chat/*"]]), "GET", "/v1/chat/x")).toBe("* /v1/chat/*");
  });

  it("a trailing slash is ignored: /v1/models/x/ meets /v1/models/:id, not a looser route", () => {
    const m2 = matcher([
      ["*", "/v1/*"],
      ["DELETE", "/v1/models/:id"],
    ]);
    expect(winner(m2, "DELETE", "/v1/models/x/")).toBe("DELETE /v1/models/:id");
    expect(pathSegments("/")).toEqual([""]);
  });

  it("captures parameters", () => {
    expect(matcher([["GET", "/v1/models/:id"]]).match("GET", ["v1", "models", "gpt"])?.params).toEqual({ id: "gpt" });
  });

  it("the order written does not matter", () => {
    const routes: [RouteMethod, string][] = [
      ["*", "/v1/*"],
      ["GET", "/v1/models/:id"],
      ["GET", "/v1/models/x"],
    ];
    for (const order of [routes, [...routes].reverse()]) {
      const m2 = matcher(order);
      expect(winner(m2, "GET", "/v1/models/x")).toBe("GET /v1/models/x");
      expect(winner(m2, "GET", "/v1/models/y")).toBe("GET /v1/models/:id");
      expect(m2.ordered().map((r) => r.path)).toEqual(["/v1/models/x", "/v1/models/:id", "/v1/*"]);
    }
  });

  it("no route: null", () => {
    expect(winner(matcher([["GET", "/v1/models"]]), "POST", "/v1/models")).toBeNull();
    expect(winner(matcher([]), "GET", "/")).toBeNull();
  });
});

describe("routeTableSchema", () => {
  const fieldOf = (input: unknown) => {
    const r = routeTableSchema.safeParse(input);
    return r.success ? null : r.error.issues[0].path.join(".");
  };

  it("defaults to deny and upper-cases methods", () => {
    expect(routeTableSchema.parse({ routes: [{ method: "get", path: "/x" }] })).toEqual({
      default: "deny",
      routes: [{ method: "GET", path: "/x" }],
    });
  });

  it.each([
    [
      {
        routes: [
          { method: "GET", path: "/a/:id" },
          { method: "GET", path: "/a/:name" },
        ],
      },
      "routes.1.path",
    ],
    [
      {
        routes: [
          { method: "GET", path: "/a" },
          { method: "get", path: "/a" },
        ],
      },
      "routes.1.path",
    ],
    [{ routes: [{ method: "GET", path: "/a/*/b" }] }, "routes.0.path"],
    [{ routes: [{ method: "FETCH", path: "/a" }] }, "routes.0.method"],
    [{ routes: [{ method: "GET", path: "/a", cost: 10_001 }] }, "routes.0.cost"],
    [{ routes: [{ method: "GET", path: "/a", permissions: ["Bad"] }] }, "routes.0.permissions.0"],
    [{ routes: [{ method: "GET", path: "/a", public: true, scope: "read" }] }, "routes.0.scope"],
    [{ routes: [{ method: "GET", path: "/a", extra: 1 }] }, "routes.0"],
    [{ default: "maybe", routes: [] }, "default"],
  ])("refuses %j at %s", (input, field) => expect(fieldOf(input)).toBe(field));

  it("the same pattern for two methods is no duplicate", () => {
    expect(
      fieldOf({
        routes: [
          { method: "GET", path: "/a/:id" },
          { method: "*", path: "/a/:id" },
        ],
      }),
    ).toBeNull();
  });
});
