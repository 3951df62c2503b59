// The key page's governance sections: its IP allowlist and its rate limit, each with its own Save.
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
      <section aria-labelledby="allowlist-heading" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="allowlist-heading" className="mb-3 font-semibold">
          IP allowlist
        </h2>
        <IpAllowlistForm keyObject={keyObject} mfaEnabled={mfaEnabled} />
      </section>
      <section aria-labelledby="rate-limit-heading" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="rate-limit-heading" className="mb-3 font-semibold">
          Rate limit
        </h2>
        <RateLimitForm keyObject={keyObject} planLimit={planLimit} />
      </section>
    </>
  );
}
