// One colour per usage outcome, the same in every chart and legend.
import type { UsageOutcome } from "@/lib/usage/outcomes";

export const OUTCOME_COLORS: Record<UsageOutcome, string> = {
  valid: "#10b981",
  invalid_key: "#64748b",
  expired_key: "#f59e0b",
  revoked_key: "#ef4444",
  insufficient_scope: "#8b5cf6",
  insufficient_permissions: "#a855f7",
  ip_not_allowed: "#f97316",
  client_id_mismatch: "#ec4899",
  account_suspended: "#1e293b",
  rate_limited: "#0ea5e9",
  usage_exceeded: "#a16207",
};
