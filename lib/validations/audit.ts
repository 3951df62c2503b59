// The audit log's query (REST GET /api/v1/audit and the dashboard's NDJSON export): filters, range and cursor.
import { z } from "zod";
import { AUDIT_ACTIONS } from "../audit-actions";
import { pageCursorSchema, pageLimitSchema } from "./page";

const MAX_ID = 64;
const id = (label: string) =>
  z
    .string()
    .min(1, `${label} is empty`)
    .max(MAX_ID, `${label} is too long`)
    .regex(/^[A-Za-z0-9_-]+$/, `${label} is not an id`);
const instant = (label: string) =>
  z.iso.datetime({ offset: true, error: `${label} must be an ISO 8601 date-time, e.g. 2026-01-31T14:00:00Z` });

export const listAuditQuerySchema = z
  .object({
    action: z
      .enum(AUDIT_ACTIONS, { error: "action is not an audit action (see the list in docs/audit.md)" })
      .optional(),
    actorId: id("actorId").optional(),
    keyId: id("keyId").optional(),
    from: instant("from").optional(),
    to: instant("to").optional(),
    cursor: pageCursorSchema("cursor"),
    limit: pageLimitSchema("limit", 50),
  })
  .check((ctx) => {
    const { from, to } = ctx.value;
    if (from && to && Date.parse(from) > Date.parse(to))
      ctx.issues.push({ code: "custom", path: ["to"], message: "to is before from", input: to });
  });

export type ListAuditQuery = z.output<typeof listAuditQuerySchema>;
