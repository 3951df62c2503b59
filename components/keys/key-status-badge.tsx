// A key's status (active, expiring soon, expired, revoked) as a coloured badge.
import { statusBadge } from "@/components/ui/status-badge";
import type { KeyStatus } from "@/lib/keys/status";

export const KeyStatusBadge = statusBadge<KeyStatus>({
  active: { label: "Active", tone: "positive" },
  expiring: { label: "Expiring soon", tone: "warning" },
  expired: { label: "Expired", tone: "neutral" },
  revoked: { label: "Revoked", tone: "negative" },
});
