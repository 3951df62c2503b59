// The key page's governance sections: its IP allowlist and its rate limit, each with its own Save.
import { Card } from "@/components/ui/card";
import type { KeyObject } from "@/lib/keys/record";
import { IpAllowlistForm } from "./ip-allowlist-form";
import { RateLimitForm } from "./rate-limit-form";

export function KeyGovernanceSections({
  keyObject,
  mfaEnabled,
  planLimit,
}: {
  keyObject: KeyObject;
  mfaEnabled: boolean;
  planLimit: number;
}) {
  return (
    <>
      <Card id="allowlist" title="IP allowlist" className="mt-6">
        <IpAllowlistForm keyObject={keyObject} mfaEnabled={mfaEnabled} />
      </Card>
      <Card id="rate-limit" title="Rate limit" className="mt-6">
        <RateLimitForm keyObject={keyObject} planLimit={planLimit} />
      </Card>
    </>
  );
}
