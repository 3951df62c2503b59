// A key request's status as a coloured badge.
import { statusBadge } from "@/components/ui/status-badge";
import type { KeyRequestView } from "@/lib/orgs/key-requests";

export const RequestStatusBadge = statusBadge<KeyRequestView>({
  pending: { label: "Pending", tone: "warning" },
  approved: { label: "Approved", tone: "positive" },
  denied: { label: "Denied", tone: "negative" },
  revealed: { label: "Revealed", tone: "neutral" },
  expired: { label: "Expired", tone: "neutral" },
});
