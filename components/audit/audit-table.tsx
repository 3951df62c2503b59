// Audit events as a table: time, actor, action, key (name and prefix), IP.
import { EmptyTable, Table, TBody, TD, THeadLabels } from "@/components/ui/table";
import type { listAuditEvents } from "@/lib/audit";
import { formatDateTime } from "@/lib/format-date";

type AuditRow = Awaited<ReturnType<typeof listAuditEvents>>["data"][number];

const LABELS: Record<string, string> = {
  "auth.signup": "Account created",
  "auth.signin": "Signed in",
  "auth.signin_failed": "Sign-in failed",
  "auth.signin_locked": "Sign-in refused (locked)",
  "key.created": "Key created",
  "key.updated": "Key updated",
  "key.credits_added": "Credits added",
  "key.rotated": "Key rotated",
  "key.revoked": "Key revoked",
  "key.leaked": "Key found in public",
  "member.invited": "Member invited",
  "member.invitation_revoked": "Invitation revoked",
  "org.ownership_transferred": "Ownership transferred",
  "org.created": "Organization created",
  "org.updated": "Organization renamed",
  "admin.plan_changed": "Plan changed",
  "admin.organization_suspended": "Organization suspended",
  "admin.organization_restored": "Organization restored",
  "member.joined": "Member joined",
  "member.role_changed": "Member role changed",
  "member.removed": "Member removed",
  "member.left": "Member left",
  "key_request.created": "Key requested",
  "key_request.approved": "Key request approved",
  "key_request.denied": "Key request denied",
  "key_request.revealed": "Requested key revealed",
  "org.policies_updated": "Policies updated",
  "admin.account_suspended": "Account suspended",
  "admin.account_restored": "Account restored",
  "auth.password_reset_issued": "Password-reset link issued",
  "permissions.added": "Permissions added",
  "permissions.described": "Permission described",
  "permissions.deleted": "Permission deleted",
  "permissions.updated": "Permission catalogue replaced",
  "routes.updated": "Route table changed",
  "auth.signin_sso_required": "Password refused (SSO required)",
  "auth.sso_linked": "SSO identity linked",
  "auth.sso_refused": "SSO sign-in refused",
  "sso.domain_claimed": "SSO domain claimed",
  "sso.domain_approved": "SSO domain approved",
  "sso.domain_rejected": "SSO domain rejected",
  "sso.domain_updated": "SSO domain updated",
  "sso.domain_removed": "SSO domain removed",
  "sso.settings_updated": "SSO settings updated",
};

// Who acted: the user, or for a change made over REST the acting key and the user it acted as.
function AuditActor({ event }: { event: AuditRow }) {
  const user = event.actor?.email ?? (event.actorId ? "Removed user" : null);
  if (event.actorType === "key")
    return (
      <>
        API key {event.actorKeyName} <code className="font-mono text-xs text-slate-600">{event.actorKeyPrefix}…</code>
        {user ? <span className="block text-xs text-slate-600">as {user}</span> : null}
      </>
    );
  if (event.actorType === "service") return <>Service token</>;
  return <>{user ?? (event.actorType === "anonymous" ? "Anonymous" : event.actorType ? "System" : "API")}</>;
}

// `showTarget`: a column naming the organization and account concerned (the instance log, across organizations).
export function AuditTable({ events, showTarget = false }: { events: AuditRow[]; showTarget?: boolean }) {
  if (events.length === 0) return <EmptyTable title="No events yet." />;
  return (
    <Table caption="Audit events, newest first">
      <THeadLabels labels={["Time", "Actor", "Action", ...(showTarget ? ["Concerning"] : []), "Key", "IP"]} />
      <TBody>
        {events.map((event) => (
          <tr key={event.id}>
            <TD className="whitespace-nowrap">{formatDateTime(event.createdAt)}</TD>
            <TD>
              <AuditActor event={event} />
            </TD>
            <TD>
              {LABELS[event.action] ?? event.action}
              <span className="sr-only"> ({event.action})</span>
            </TD>
            {showTarget ? (
              <TD>{[event.organizationName, event.subjectEmail].filter(Boolean).join(" · ") || "This instance"}</TD>
            ) : null}
            <TD>
              {event.key ? (
                <>
                  {event.key.name} <code className="font-mono text-xs text-slate-600">{event.key.prefix}…</code>
                </>
              ) : (
                "—"
              )}
            </TD>
            <TD className="font-mono text-xs">{event.ip ?? "—"}</TD>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
