// Parsing request input for /api/v1: JSON bodies, query strings and path parameters through the shared zod schemas.
import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import type { z } from "zod";
import type { HeaderSource } from "../ip/client-ip";
import { ApiError } from "../errors";
import { invalidRequest } from "../validations/field-errors";

// The largest JSON body an API route reads (1 MiB): larger ones are refused with 413 payload_too_large.
export const MAX_API_BODY_BYTES = 1024 * 1024;

const tooLarge = (maxBytes: number) => new ApiError("payload_too_large", `The request body is over ${maxBytes} bytes.`);

// The request body as text, at most `maxBytes` of it (413 payload_too_large beyond): a larger Content-Length is refused
// before a byte is read; a body of unknown length (chunked) is counted as it arrives and refused once it passes the cap.
// (Hono's bodyLimit reads request.body before the route reads the text, which through @hono/node-server could leave
// the route waiting for a body already taken.)
export async function readBodyText(request: Request, headers: HeaderSource, maxBytes: number): Promise<string> {
  const declared = headers.get("content-length");
  if (declared !== null && headers.get("transfer-encoding") === null) {
    if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
    // Node's parser delivers exactly the declared length.
    return request.text();
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
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
  headers: HeaderSource,
  schema: S,
  { emptyAs, maxBytes = MAX_API_BODY_BYTES }: { emptyAs?: unknown; maxBytes?: number } = {},
): Promise<z.output<S>> {
  const text = await readBodyText(request, headers, maxBytes);
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
function queryOf(url: string): string {
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
