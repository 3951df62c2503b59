// A list's paging query parameters (cursor and limit), named in messages as each route's docs spell them.
import { z } from "zod";
import { safeText } from "./text";

// The opaque cursor of the next page, as the previous page gave it.
export const pageCursorSchema = (label: string) =>
  z.string().max(200, `${label} is too long`).check(safeText(label)).optional();

// How many rows a page holds: a whole number from 1 to 100, `fallback` when left out.
export const pageLimitSchema = (label: string, fallback: number) =>
  z.coerce
    .number({ error: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .min(1, `${label} must be at least 1`)
    .max(100, `${label} must be at most 100`)
    .default(fallback);
