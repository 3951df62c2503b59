// Pieces every /api/v1 route declaration shares: security requirements, the X-Client-ID parameter, the rate-limit
// headers, and the error answers of key-authenticated routes.
import type { RouteConfig } from "@hono/zod-openapi";
import { z } from "zod";
import type { Scope } from "../generated/prisma/enums";
import type { Capability } from "../orgs/roles";
import { requireKey } from "./require-key";
import { ErrorSchema } from "./schemas";

type Responses = Record<
  number,
  { description: string; content?: Record<string, { schema: z.ZodType }>; headers?: Record<string, unknown> }
>;

const integerHeader = (description: string) => ({ description, schema: { type: "integer" as const } });

// On every answer to a request that passed authentication and was counted against the key's rate limit.
export const RATE_LIMIT_HEADERS = {
  "X-RateLimit-Limit": integerHeader("Requests per minute this key may make (its own limit, else its plan's)"),
  "X-RateLimit-Remaining": integerHeader("Requests left in the current window"),
  "X-RateLimit-Reset": integerHeader("Unix time (seconds) when the current window ends"),
};

// A JSON answer with a schema.
export const jsonBody = <S extends z.ZodType>(schema: S) => ({ "application/json": { schema } });

// An error answer (the Error schema) and what it means on this route.
export const errorAnswer = (description: string) => ({ description, content: jsonBody(ErrorSchema) });

export const BAD_REQUEST = {
  400: errorAnswer("invalid_request: malformed JSON or a field that fails validation (the message names it)"),
};
export const NOT_FOUND = {
  404: errorAnswer("not_found: no such key in this organization (another organization's keys are not found either)"),
};

export const idParams = z.object({ id: z.string() });

// What a key-authenticated route declares beside its own answers: requireKey first, the security schemes, X-Client-ID,
// the rate-limit headers on its own answers (which are counted), and the 401, 403 and 429 every such route can give.
// `capability`: a management route, where the key acts as its creator (their current role, capped by the key's scopes).
export function keyAuthenticated<T extends Responses>(scope: Scope | undefined, own: T, capability?: Capability) {
  const counted = Object.fromEntries(
    Object.entries(own).map(([status, answer]) => [status, { ...answer, headers: RATE_LIMIT_HEADERS }]),
  ) as unknown as T;
  return {
    middleware: [requireKey({ scope, capability })],
    description:
      (scope ? `Needs a key with the \`${scope}\` scope (admin implies write implies read).` : "Any valid key.") +
      (capability
        ? ` The key acts as its creator: their current role in the organization must allow \`${capability}\` (a read key acts with a viewer's rights at most, a write key with a developer's); a key whose creator left answers 403 forbidden with reason creator_not_member.`
        : ""),
    security: [{ bearerKey: [] }, { headerKey: [] }] as Record<string, string[]>[],
    responses: {
      ...counted,
      401: errorAnswer("missing_key, invalid_key, expired_key or revoked_key"),
      403: errorAnswer(
        "ip_not_allowed (the key's IP allowlist excludes the caller), insufficient_scope, insufficient_permissions, client_id_mismatch, account_suspended" +
          (capability ? ", or forbidden (the key's creator may not do this, or left: reason creator_not_member)" : ""),
      ),
      429: {
        description: "rate_limited: the key made more requests this minute than its limit allows",
        headers: { ...RATE_LIMIT_HEADERS, "Retry-After": integerHeader("Seconds until the window ends") },
        content: jsonBody(ErrorSchema),
      },
    },
  };
}

// The X-Client-ID request header of key-authenticated routes.
export const clientIdHeader = z.object({
  "X-Client-ID": z.string().optional().meta({
    description: "When sent, must be the client ID of the key's organization (403 client_id_mismatch otherwise).",
  }),
});

// A key-authenticated route's declaration: X-Client-ID beside its own request parts, then keyAuthenticated()'s pieces
// around its own `responses` (`auth`: the scope the key needs, and the capability of a management route, as
// keyAuthenticated() takes them; without it, any valid key).
export function keyRoute<
  M extends RouteConfig["method"],
  P extends string,
  T extends Responses,
  Req extends Omit<NonNullable<RouteConfig["request"]>, "headers"> = object,
>(spec: {
  method: M;
  path: P;
  summary: string;
  request?: Req;
  auth?: { scope: Scope | undefined; capability?: Capability };
  responses: T;
}) {
  const { method, path, summary, request, auth = { scope: undefined }, responses } = spec;
  return {
    method,
    path,
    summary,
    request: { headers: clientIdHeader, ...request } as { headers: typeof clientIdHeader } & Req,
    ...keyAuthenticated(auth.scope, responses, auth.capability),
  };
}
