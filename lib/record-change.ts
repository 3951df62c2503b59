// One change, recorded twice in its transaction: the audit row (who did what) and the webhook event (the outbox), so
// neither is written without the other nor kept when the change rolls back.
import { recordAudit, type AuditInput } from "./audit";
import { emitEvent } from "./events/emit";
import type { Prisma } from "./generated/prisma/client";

// Omit over each member of a union (an event's data depends on its type).
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

// The event of a change: the organization is the audit row's.
export type ChangeEvent = DistributiveOmit<Parameters<typeof emitEvent>[1], "organizationId">;

// Records an organization's change: its audit row and, unless `event` is null (a change no webhook announces), its event.
export async function recordChange(
  tx: Prisma.TransactionClient,
  change: { audit: AuditInput & { organizationId: string }; event: ChangeEvent | null },
): Promise<void> {
  await recordAudit(change.audit, tx);
  if (change.event) await emitEvent(tx, { organizationId: change.audit.organizationId, ...change.event });
}
