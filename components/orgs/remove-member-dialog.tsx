"use client";
// Removing a member behind a confirmation that lists the keys they created and offers to revoke them with the removal.
import { ConfirmRevokeDialog } from "@/components/keys/confirm-revoke-dialog";
import { removeMemberAction } from "@/lib/actions/members";

export type MemberKey = { id: string; name: string; prefix: string };

export function RemoveMemberDialog({
  slug,
  userId,
  email,
  keys,
}: {
  slug: string;
  userId: string;
  email: string;
  // The active keys the member created in this organization.
  keys: MemberKey[];
}) {
  const description =
    keys.length === 0
      ? "They lose access to this organization at once. They created no active keys here."
      : "They lose access to this organization at once. Their keys keep working for your API until revoked, but can no longer manage anything.";
  return (
    <ConfirmRevokeDialog
      action={removeMemberAction}
      input={{ org: slug, userId, revokeKeys: false }}
      toInput={(form) => ({ org: slug, userId, revokeKeys: form.get("revokeKeys") === "on" })}
      title={`Remove ${email}?`}
      description={description}
      trigger="Remove"
      triggerLabel={`Remove ${email}`}
      confirmLabel="Yes, remove"
      pendingLabel="Removing…"
      compact
    >
      {keys.length > 0 ? (
        <fieldset className="flex flex-col gap-2 text-sm">
          <legend className="font-medium">Active keys they created ({keys.length})</legend>
          <ul className="max-h-40 overflow-y-auto rounded border border-slate-200 px-3 py-2">
            {keys.map((k) => (
              <li key={k.id} className="break-all">
                {k.name} <code className="font-mono text-xs text-slate-500">{k.prefix}…</code>
              </li>
            ))}
          </ul>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="revokeKeys" defaultChecked />
            Also revoke {keys.length === 1 ? "this key" : `these ${keys.length} keys`}
          </label>
        </fieldset>
      ) : null}
    </ConfirmRevokeDialog>
  );
}
