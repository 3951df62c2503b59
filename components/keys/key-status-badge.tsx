// A key's status (active, expiring soon, expired, revoked) as a coloured badge.
import { StatusBadge, type StatusTone } from "@/components/ui/status-badge";
import type { KeyStatus } from "@/lib/keys/status";

const looks: Record<KeyStatus, { label: string; tone: StatusTone }> = {
  active: { label: "Active", tone: "positive" },
  expiring: { label: "Expiring soon", tone: "warning" },
  expired: { label: "Expired", tone: "neutral" },
  revoked: { label: "Revoked", tone: "negative" },
};

export function KeyStatusBadge({ status }: { status: KeyStatus }) {
  return <StatusBadge {...looks[status]} />;
}
