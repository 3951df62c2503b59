// The audit log as NDJSON (one JSON event per line, the REST API's shape), streamed a page at a time.
import { ApiError } from "./errors";
import { eachAuditEvent, toAuditEventObject } from "./audit";
import { fieldErrors } from "./validations/field-errors";
import { listAuditQuerySchema } from "./validations/audit";

// The export of an organization's events matching the REST filters in `params` (cursor and limit are ignored: the
// export has everything); a bad filter is invalid_request naming it, thrown before the first byte.
export async function auditNdjson(
  organizationId: string,
  params: URLSearchParams,
): Promise<ReadableStream<Uint8Array>> {
  const parsed = listAuditQuerySchema.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    const [field, message] = Object.entries(fieldErrors(parsed.error, "query"))[0];
    throw new ApiError("invalid_request", message, field);
  }
  const { action, actorId, keyId, from, to } = parsed.data;
  const events = eachAuditEvent({ organizationId }, { action, actorId, keyId, from, to });
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await events.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${JSON.stringify(toAuditEventObject(next.value))}\n`));
    },
    async cancel() {
      await events.return(undefined);
    },
  });
}
