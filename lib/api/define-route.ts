// The one way to declare a route of the API app: the full declaration (body, query, responses) goes into the OpenAPI
// document (unless `hide`: /api/health, /api/metrics and the docs page are not part of it), and the handler receives the
// body and query parsed by the same zod schemas through lib/api/request.ts.
// Why not zod-openapi's own body and query validators: they refuse a JSON body sent without
// `Content-Type: application/json` (415) or with an empty body on an optional one, and read a repeated query parameter
// as a list; the REST contract has always accepted these, and one parser keeps every message ("<field>: <message>").
import type { OpenAPIHono, RouteConfig, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { parseJsonBody, parseQuery, readBodyText, requestHeaders, MAX_API_BODY_BYTES } from "./request";
import { json, type JsonText } from "./responses";
import type { ApiEnv } from "./require-key";

type JsonSchemaOf<R extends RouteConfig> = R["request"] extends {
  body?: { content: { "application/json": { schema: infer S } } };
}
  ? S
  : undefined;
type QuerySchemaOf<R extends RouteConfig> = R["request"] extends { query?: infer S } ? S : undefined;
type ParamsSchemaOf<R extends RouteConfig> = R["request"] extends { params?: infer S } ? S : undefined;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

// The body each declared status answers with, by its JSON schema (what the document promises that status carries).
type ReplyBodies<R extends RouteConfig> = {
  [S in keyof R["responses"]]: R["responses"][S] extends { content: { "application/json": { schema: infer B } } }
    ? B extends z.ZodType
      ? z.input<B>
      : never
    : never;
};
// The statuses a handler replies with: the declared ones with a JSON body (errors are thrown, not replied).
type ReplyStatus<R extends RouteConfig> = {
  [S in keyof ReplyBodies<R>]: ReplyBodies<R>[S] extends never ? never : S extends number ? S : never;
}[keyof ReplyBodies<R>];

export type RouteInput<R extends RouteConfig, Raw extends boolean = false> = {
  // With `rawBody`, the body's text as it arrived (a route that checks a signature over it parses it itself).
  body: Raw extends true ? string : Parsed<JsonSchemaOf<R>>;
  query: Parsed<QuerySchemaOf<R>>;
  params: Parsed<ParamsSchemaOf<R>>;
  // The JSON answer (200 unless `status` names another declared status), typed by that status's response schema, with
  // the rate-limit headers of a counted request.
  reply: <S extends ReplyStatus<R> = 200 & ReplyStatus<R>>(
    body: ReplyBodies<R>[S] | JsonText<ReplyBodies<R>[S]>,
    status?: S,
  ) => Response;
};
export type RouteHandler<R extends RouteConfig, Raw extends boolean = false> = (
  c: Context<ApiEnv>,
  input: RouteInput<R, Raw>,
) => Response | Promise<Response>;

// Registers a route on an app: documented in full, served with its middleware (requireKey) first, then its input parsed.
// `maxBodyBytes`: the largest body the route reads (default MAX_API_BODY_BYTES, 1 MiB; 413 payload_too_large beyond);
// `rawBody`: the handler gets the body's text instead of the parsed JSON.
export function defineRoute<R extends RouteConfig, Raw extends boolean = false>(
  app: OpenAPIHono<ApiEnv>,
  route: R,
  handler: RouteHandler<R, Raw>,
  options: { maxBodyBytes?: number; rawBody?: Raw } = {},
): void {
  // The document describes the route; its middleware (functions) is the server's business.
  if (!route.hide) app.openAPIRegistry.registerPath({ ...route, middleware: undefined });
  const body = route.request?.body;
  const bodySchema = (body?.content["application/json"] as { schema?: z.ZodType } | undefined)?.schema;
  // An optional body may be left out entirely: an empty body stands for {}.
  const emptyAs = body?.required ? undefined : {};
  const querySchema = route.request?.query as z.ZodType | undefined;
  const runtime = {
    ...route,
    hide: true,
    request: route.request?.params ? { params: route.request.params } : undefined,
  };
  app.openapi(runtime, (async (c: Context<ApiEnv>) => {
    const input = {
      body: options.rawBody
        ? await readBodyText(c.req.raw, requestHeaders(c), options.maxBodyBytes ?? MAX_API_BODY_BYTES)
        : bodySchema
          ? await parseJsonBody(c.req.raw, requestHeaders(c), bodySchema, { emptyAs, maxBytes: options.maxBodyBytes })
          : undefined,
      query: querySchema ? parseQuery(c.req.raw.url, querySchema) : undefined,
      params: c.req.param(),
      reply: replyFor(c),
    } as RouteInput<R, Raw>;
    return handler(c, input);
  }) as never);
}

// The request's reply(). Returned from a function rather than written in the object literal: tsx (esbuild keepNames)
// would name an arrow written there with a defineProperty call on every request.
function replyFor(c: Context<ApiEnv>): (body: unknown, status?: number) => Response {
  return (answer, status = 200) => json(answer, status, c.get("rateLimitHeaders"));
}
