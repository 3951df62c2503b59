// Parsing request input for /api/v1: JSON bodies and query strings through the shared zod schemas.
import type { z } from "zod";
import { ApiError } from "./errors";
import { fieldErrors } from "../validations/field-errors";

function validated<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const [field, message] = Object.entries(fieldErrors(parsed.error, "body"))[0] ?? ["body", "Invalid request"];
  throw new ApiError("invalid_request", message, field);
}

// The JSON body validated by a schema; malformed JSON or a schema failure is invalid_request naming the field.
// With emptyAs, an empty body stands for that value (for routes whose every field is optional).
export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S, emptyAs?: unknown): Promise<z.output<S>> {
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
