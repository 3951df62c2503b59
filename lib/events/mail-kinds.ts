// The kinds of notification mail a user can turn off (no Node-only imports: the Security page's form reads them).
export const MAIL_KINDS = ["key_expiry", "request_digest", "request_decision"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const MAIL_KIND_LABELS: Record<MailKind, string> = {
  key_expiry: "A key I created, or a key of an organization I administer, expires in 7 days, in 1 day, or expired",
  request_digest: "A daily digest of pending key requests (organizations I administer)",
  request_decision: "My key request was approved or denied",
};
