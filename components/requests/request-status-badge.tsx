// A key request's status as a coloured badge.
import { StatusBadge, type StatusTone } from "@/components/ui/status-badge";
import type { KeyRequestView } from "@/lib/orgs/key-requests";

const looks: Record<KeyRequestView, { label: string; tone: StatusTone }> = {
  pending: { label: "Pending", tone: "warning" },
  approved: { label: "Approved", tone: "positive" },
  denied: { label: "Denied", tone: "negative" },
  revealed: { label: "Revealed", tone: "neutral" },
  expired: { label: "Expired", tone: "neutral" },
};

export function RequestStatusBadge({ status }: { status: KeyRequestView }) {
  return <StatusBadge {...looks[status]} />;
}
