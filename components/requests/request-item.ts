// A key request as the requests page hands it to client components (dates as ISO strings).
import type { KeyRequestRow, KeyRequestView } from "@/lib/orgs/key-requests";

export type RequestItem = {
  id: string;
  name: string;
  environment: string;
  scopes: string[];
  permissions: string[];
  keyExpiresAt: string | null;
  reason: string;
  status: KeyRequestView;
  denyReason: string | null;
  requesterEmail: string | null;
  createdAt: string;
  expiresAt: string;
};

export function toRequestItem(row: KeyRequestRow): RequestItem {
  return {
    id: row.id,
    name: row.name,
    environment: row.environment,
    scopes: row.scopes,
    permissions: [...row.permissions].sort(),
    keyExpiresAt: row.keyExpiresAt?.toISOString() ?? null,
    reason: row.reason,
    status: row.view,
    denyReason: row.denyReason,
    requesterEmail: row.requesterEmail,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}
