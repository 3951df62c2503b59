// Parsing request input for /api/v1: JSON bodies, query strings and path parameters through the shared zod schemas.
import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import type { z } from "zod";
import type { HeaderSource } from "../ip/client-ip";
import { ApiError } from "./errors";
import { fieldErrors } from "../validations/field-errors";

// The 400 for input that fails its schema: invalid_request naming the first field at fault ("<field>: <message>").
export function invalidRequest(error: z.ZodError): ApiError {
  const [field, message] = Object.entries(fieldErrors(error, "body"))[0] ?? ["body", "Invalid request"];
  return new ApiError("invalid_request", message, field);
}

function validated<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidRequest(parsed.error);
}

// The JSON body validated by a schema; malformed JSON or a schema failure is invalid_request naming the field.
// With emptyAs, an empty body stands for that value (for routes whose every field is optional).
export async function parseJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  emptyAs?: unknown,
): Promise<z.output<S>> {
  const text = await request.text();
  if (text.trim() === "" && emptyAs !== undefined) return validated(schema, emptyAs);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError("invalid_request", "Malformed JSON", "body");
  }
  return validated(schema, body);
}

// The query string of a request URL, without `new URL()` ("" when there is none).
export function queryOf(url: string): string {
  const start = url.indexOf("?");
  return start === -1 ? "" : url.slice(start + 1);
}

// The query string of a request URL validated by a schema (a repeated parameter: its last value).
export function parseQuery<S extends z.ZodType>(url: string, schema: S): z.output<S> {
  return validated(schema, Object.fromEntries(new URLSearchParams(queryOf(url))));
}

// A request's headers for reading by lower-case name. Through @hono/node-server, node:http's parsed headers, read as
// they are: the Request's own Headers object would be built from them on first use, per request.
export function requestHeaders(c: Context): HeaderSource {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return c.req.raw.headers;
  const headers = incoming.headers;
  return {
    get(name) {
      const value = headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

// A path parameter validated by a schema; one that no resource can have (NUL, too long) is not_found, like an unknown id.
export function parsePathParam<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError("not_found");
  return parsed.data;
}
