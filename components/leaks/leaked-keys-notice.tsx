// The organization overview's notice of keys found in public: each with where and when, and what it still needs.
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import type { LeakNotice, LeakState } from "@/lib/leaks/notices";
import { LeakPlace } from "./leak-place";

const OUTCOME: Record<LeakState, string> = {
  revoked: "revoked",
  exposed: "still works: rotate or revoke it now",
  replaced: "rotated since",
};

export function LeakedKeysNotice({ slug, notices }: { slug: string; notices: LeakNotice[] }) {
  if (notices.length === 0) return null;
  const exposed = notices.some((n) => n.state === "exposed");
  return (
    <section aria-label="Keys found in public" className="mb-6">
      <Alert tone={exposed ? "error" : "warning"}>
        <p className="font-semibold">
          {notices.length === 1 ? "A key was" : `${notices.length} keys were`} found in a public place
        </p>
        <ul className="mt-1 list-disc pl-5">
          {notices.map((n) => (
            <li key={n.keyId}>
              <Link href={`/dashboard/${slug}/keys/${n.keyId}`} className="font-medium underline">
                {n.name}
              </Link>{" "}
              <code className="font-mono text-xs">{n.prefix}…</code> <LeakPlace notice={n} /> — {OUTCOME[n.state]}
            </li>
          ))}
        </ul>
      </Alert>
    </section>
  );
}
