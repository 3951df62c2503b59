// /api/v1/authorize: forward authentication for reverse proxies (any method), authenticated by X-Keyhold-Service-Token.
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { AUTHORIZE_PATH, authorizeForward } from "../forward-auth";
import { serviceTokenCheck } from "../gateway-verify";
import { requireToken } from "../guards";
import type { ApiEnv } from "../require-key";
import { requestHeaders } from "../request";
import { errorAnswer, RATE_LIMIT_HEADERS } from "../route-declarations";

export const SERVICE_TOKEN_HEADER = "x-keyhold-service-token";

// The proxy's service token in X-Keyhold-Service-Token (Authorization carries the customer's key); 404 while
// KEYHOLD_SERVICE_TOKEN is unset, as /verify.
const requireProxyToken = requireToken(
  (headers) => serviceTokenCheck(headers.get(SERVICE_TOKEN_HEADER)?.trim() || null),
  "Send the service token as X-Keyhold-Service-Token: <token>.",
);

export const authorizeRoutes = new OpenAPIHono<ApiEnv>();

// ANY /api/v1/authorize — may the request the proxy describes pass? (and /api/v1/authorize/<path>, Envoy's ext_authz form)
for (const path of [AUTHORIZE_PATH, `${AUTHORIZE_PATH}/*`])
  authorizeRoutes.all(path, requireProxyToken, (c) => authorizeForward(requestHeaders(c), c.req.method, c.req.url));

const text = (description: string) => ({ description, schema: { type: "string" as const } });
const proxyHeaders = z.object({
  "X-Keyhold-Service-Token": z.string().meta({ description: "KEYHOLD_SERVICE_TOKEN" }),
  "X-Forwarded-Method": z.string().optional().meta({ description: "The original method (or X-Original-Method)" }),
  "X-Forwarded-Uri": z.string().optional().meta({ description: "The original path and query (or X-Original-URI)" }),
  "X-Forwarded-Host": z.string().optional().meta({ description: "The original host" }),
  "X-Original-Method": z.string().optional(),
  "X-Original-URI": z.string().optional(),
  "X-Keyhold-Error-Body": z.enum(["omit"]).optional().meta({
    description: "omit: refusals without a body, the error only in X-Keyhold-Error (nginx keeps its connection)",
  }),
});
const refusal = (description: string) => ({
  ...errorAnswer(description),
  headers: {
    "WWW-Authenticate": text("Bearer challenge; error=invalid_token or insufficient_scope (RFC 6750)"),
    "X-Keyhold-Error": text("The JSON error body again, for proxies that cannot read the body (nginx)"),
  },
});

// Documented once per method: the route answers every method alike.
for (const method of ["get", "post", "put", "patch", "delete", "head", "options"] as const)
  authorizeRoutes.openAPIRegistry.registerPath({
    method,
    path: AUTHORIZE_PATH,
    operationId: `authorize${method[0].toUpperCase()}${method.slice(1)}`,
    summary: "Forward authentication: may the request the proxy describes pass?",
    description:
      "For reverse proxies (nginx auth_request, Caddy forward_auth, Traefik forwardAuth, Envoy ext_authz). Every method " +
      "is answered alike. Needs X-Keyhold-Service-Token (404 while KEYHOLD_SERVICE_TOKEN is unset). The customer's key " +
      "comes from FORWARD_AUTH_KEY_HEADERS (default Authorization: Bearer, then X-API-Key); the route table " +
      "(PUT /api/v1/routes) gives the scope, permissions and cost the original method and path need.",
    security: [{ proxyToken: [] }],
    request: { headers: proxyHeaders },
    responses: {
      200: {
        description: "Pass: identity headers for the upstream (none for a public route)",
        headers: {
          ...RATE_LIMIT_HEADERS,
          "X-Keyhold-Key-Id": text("The key's id"),
          "X-Keyhold-Organization": text("The key's organization (slug)"),
          "X-Keyhold-Organization-Id": text("The key's organization (id)"),
          "X-Keyhold-Client-Id": text("The organization's client ID"),
          "X-Keyhold-Permissions": text("The key's permissions, comma-separated"),
          "X-Keyhold-Credits-Remaining": text("Credits left, when the key has credits"),
        },
      },
      400: errorAnswer(
        "invalid_request: the original method or URI is missing or unusable (the message names the header)",
      ),
      401: refusal("missing_key, invalid_key, expired_key or revoked_key; or a missing or wrong service token"),
      403: refusal(
        "forbidden (no route matches and the table denies by default), insufficient_scope, insufficient_permissions, " +
          "ip_not_allowed, client_id_mismatch or account_suspended",
      ),
      404: errorAnswer("the route is disabled (KEYHOLD_SERVICE_TOKEN unset)"),
      429: {
        ...refusal("rate_limited or usage_exceeded"),
        headers: { ...refusal("").headers, ...RATE_LIMIT_HEADERS, "Retry-After": text("Seconds to wait") },
      },
    },
  });
