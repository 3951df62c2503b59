"use client";
// Pending SSO domain claims for the instance administrator: approve (the domain's SSO users then join the
// organization) or reject, behind the admin's step-up when they have MFA.
import { useRouter } from "next/navigation";
import { ActionError } from "@/components/keys/action-error";
import { Button } from "@/components/ui/button";
import { EmptyTable, Table, TBody, TD, THeadLabels } from "@/components/ui/table";
import { useStepUpFormAction } from "@/components/mfa/step-up-provider";
import { decideSsoDomainAction } from "@/lib/actions/sso";

export type PendingClaim = {
  id: string;
  domain: string;
  defaultRole: string;
  organization: { slug: string; name: string };
};

function Decide({ claim }: { claim: PendingClaim }) {
  const router = useRouter();
  const approve = useStepUpFormAction(decideSsoDomainAction, {
    toInput: () => ({ id: claim.id, approve: true }),
    onSuccess: () => router.refresh(),
  });
  const reject = useStepUpFormAction(decideSsoDomainAction, {
    toInput: () => ({ id: claim.id, approve: false }),
    onSuccess: () => router.refresh(),
  });
  return (
    <div className="flex flex-col gap-1">
      <ActionError failure={approve.failure ?? reject.failure} />
      <div className="flex gap-2">
        <form {...approve.formProps}>
          <Button type="submit" pending={approve.pending} aria-label={`Approve ${claim.domain}`}>
            Approve
          </Button>
        </form>
        <form {...reject.formProps}>
          <Button type="submit" look="danger" pending={reject.pending} aria-label={`Reject ${claim.domain}`}>
            Reject
          </Button>
        </form>
      </div>
    </div>
  );
}

export function SsoDomainClaims({ claims }: { claims: PendingClaim[] }) {
  return (
    <section aria-labelledby="sso-claims-title">
      <h2 id="sso-claims-title" className="mb-2 text-lg font-semibold">
        SSO domain claims
      </h2>
      {claims.length === 0 ? (
        <EmptyTable title="No domain claims waiting." />
      ) : (
        <Table caption="Domain claims waiting for approval">
          <THeadLabels labels={["Domain", "Organization", "Default role", ""]} />
          <TBody>
            {claims.map((claim) => (
              <tr key={claim.id}>
                <TD className="font-mono">{claim.domain}</TD>
                <TD>
                  {claim.organization.name} <span className="text-slate-600">({claim.organization.slug})</span>
                </TD>
                <TD>{claim.defaultRole}</TD>
                <TD>
                  <Decide claim={claim} />
                </TD>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
